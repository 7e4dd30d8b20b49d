"""The offline engine: each section from the best exemplar passages rewritten to the user's facts
(the rewrite engine, unsupported clauses dropped), plus sentence frames for facts no passage carries."""

import re
from dataclasses import replace

from drafter.draft.model import PlannedSection
from drafter.facts.model import Facts
from drafter.resources import load_lexicon
from drafter.rewrite.engine import rewrite_offline
from drafter.rewrite.missing import fact_sentence
from drafter.verify import gate_findings, stated_facts

PASSAGE_CHARS = 800  # exemplar sentences per section, besides the lead and the fact sentences
MIN_SENTENCE = 12
# "一是做强自有平台。": an ordinal lead standing alone; "一是" before real content is dropped too, since
# the sentences around it may be gone
_ORDINAL_LEAD = re.compile(r"^[一二三四五六七八九十]是[^，。]{0,12}。$")
_ORDINAL_PREFIX = re.compile(r"^[一二三四五六七八九十]是")


def compose_section(section: PlannedSection, exemplars: list[str], facts: Facts) -> str:
    """The section's body; every number in it verifies against ``facts``."""
    if section.topic in ("存在问题", "下一步计划"):
        return compose_list_section(section, facts)
    section_facts = replace(facts, metrics=section.metrics)
    paragraphs = [qualitative(section.topic, facts)]
    borrowed: list[str] = []
    stated: set[str] = set()
    budget = PASSAGE_CHARS
    for exemplar in exemplars:
        for sentence in adapt_passage(exemplar, section_facts):
            used = stated_facts(sentence, section_facts)
            # never the same figure twice, and never more than the section's share of the length
            # gate_findings: a figure must also be named in its clause (the unnamed-fact rule): "撤除破损
            # 宣传牌48块" is not the user's 48 块宣传栏
            if (sentence in borrowed or used & stated or len(sentence) > budget or _idiom_number(sentence)
                    or _other_period(sentence, facts) or gate_findings(sentence, facts)
                    or _dated(sentence)):
                continue
            borrowed.append(sentence)
            stated |= used
            budget -= len(sentence)
    own = "".join(section.free_items)  # the user's highlights and events, in their words
    if borrowed or own:
        paragraphs.append(own + "".join(borrowed))
    missing = [m for m in section.metrics if m.name not in stated]
    if missing:
        paragraphs.append(("同时，" if len(paragraphs) > 1 else "") + "；".join(
            fact_sentence(m, facts.period.span) for m in missing) + "。")
    return "\n".join(paragraphs)


def adapt_passage(exemplar: str, facts: Facts) -> list[str]:
    """An exemplar ("title\npassage") rewritten to the user's facts, as the whole sentences that need no
    marker: a sentence with a number, name or date the facts do not support is left out, and so is a bare
    "一是做强平台。" lead whose content went with it."""
    result = rewrite_offline(exemplar, facts, add_missing=False)
    lines = result.text.split("\n")
    body = "".join(lines[1:]) if len(lines) > 1 else result.text
    kept = []
    for sentence in split_sentences(body):
        sentence = sentence.strip()
        if not sentence or "【" in sentence or _ORDINAL_LEAD.match(sentence) or len(sentence) < MIN_SENTENCE:
            continue
        if not sentence.endswith(("。", "！", "？")):
            sentence = sentence.rstrip("，；、：") + "。"
        kept.append(_ORDINAL_PREFIX.sub("", sentence))
    return kept


def split_sentences(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"[^。！？!?\n]+[。！？!?]?|\n", text)]


def qualitative(topic: str, facts: Facts) -> str:
    phrases = load_lexicon("draft_phrases")["qualitative"]
    text = phrases.get(topic, phrases["default"])
    if facts.unit and facts.unit.kind and facts.unit.kind != "镇":
        text = text.replace("镇党委", f"{facts.unit.kind}党委")
    return text


def compose_list_section(section: PlannedSection, facts: Facts) -> str:
    lex = load_lexicon("draft_phrases")
    problems = section.topic == "存在问题"
    items = section.free_items
    if items:
        ordinals = lex["ordinals"]
        body = "；".join(f"{ordinals[i] if i < len(ordinals) else ''}{item.rstrip('。；')}" for i, item in
                        enumerate(items)) + "。"
    else:
        body = lex["problems_default" if problems else "plans_default"]
    if problems:
        return f"{lex['problems_lead']}{body}{lex['problems_close']}"
    return f"{lex['plans_lead']}{body}"


# A numeral before a measure word that is no claim (千家万户, 三番五次): true prose, but a reader checking
# the figures cannot tell it from one, so borrowed sentences with such words are left out.
_NUMERAL_MEASURE = re.compile(r"[两三四五六七八九十百千万]+[余多]?(?:次|场|篇|条|人|名|个|支|块|份|期|户|家|所|处|项|批|部|台|间|座|天)")


def _idiom_number(sentence: str) -> bool:
    from drafter.numbers import extract_claims

    claimed = [(c.start, c.end) for c in extract_claims(sentence)]
    return any(not any(s <= m.start() < e for s, e in claimed) for m in _NUMERAL_MEASURE.finditer(sentence))


# Time words that only fit a whole-year report ("年底策划……" in a 上半年 report is someone else's year).
_YEAR_END = re.compile(r"年底|年末|全年|一年来|年终")


def _other_period(sentence: str, facts: Facts) -> bool:
    span = facts.period.span or "全年"
    return span not in ("全年", "年度") and bool(_YEAR_END.search(sentence))


def _dated(sentence: str) -> bool:
    """Does a borrowed sentence state a month or day? The user's events are told in their own words (the
    section's free items), so a borrowed date could only be someone else's."""
    from drafter.numbers import extract_claims

    return any(c.kind == "date" for c in extract_claims(sentence))
