"""The offline engine: a section from a lead sentence, the user's facts in sentences made for their kind
(drafter/draft/fact_frames.py), the user's own highlights and events, and exemplar sentences rewritten
to the user's facts where every figure they keep is bound to the fact its clause names.

A borrowed sentence is kept only whole and only when nothing in it is someone else's: no figure the
facts don't hold under that very label and unit, no date, no numeral idiom, no period word of another
part of the year, no instruction text that came in with a user's exemplar.
"""

import re
from dataclasses import replace
from functools import cache
from itertools import pairwise

from drafter import regexes
from drafter.draft.fact_frames import fact_sentences
from drafter.draft.model import PlannedSection
from drafter.facts.model import Facts, Metric
from drafter.resources import load_lexicon
from drafter.rewrite.engine import rewrite_offline
from drafter.verify import gate_findings

PASSAGE_CHARS = 520  # exemplar sentences per section, besides the lead, the facts and the user's items
SECTION_CHARS = 330  # a work section shorter than this takes the topic's practice sentences
MAX_SENTENCE = 150  # a longer borrowed sentence is a list of someone else's work
MIN_SENTENCE = 12
LEAD_PARAGRAPH_CHARS = 180  # borrowed sentences join the lead paragraph up to this length
# "一是做强自有平台。": an ordinal lead standing alone; "一是" before real content is dropped too, since
# the sentences around it may be gone
_ORDINAL_LEAD = regexes.compile(r"^[一二三四五六七八九十]是[^，。]{0,12}。$")
_ORDINAL_PREFIX = regexes.compile(r"^(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十][)）]|\d+[.、．])")


def compose_section(section: PlannedSection, exemplars: list[str], facts: Facts) -> str:
    """The section's body; every number in it verifies against ``facts``."""
    if section.topic in ("存在问题", "下一步计划"):
        return compose_list_section(section, facts)
    section_facts = replace(facts, metrics=section.metrics)
    candidates = borrowed_sentences(exemplars, section_facts, facts)
    stated: set[str] = set()
    with_facts: list[tuple[int, str]] = []  # (position of the first fact it states, sentence)
    plain: list[str] = []
    budget = PASSAGE_CHARS
    order = {m.name: i for i, m in enumerate(section.metrics)}
    for sentence, used in candidates:
        if used & stated or len(sentence) > budget:
            continue
        stated |= used
        budget -= len(sentence)
        if used:
            with_facts.append((min(order[n] for n in used), sentence))
        else:
            plain.append(sentence)
    missing = [m for m in section.metrics if m.name not in stated]
    framed = list(zip(_first_positions(missing, order), fact_sentences(missing, facts), strict=True))
    facts_paragraph = "".join(s for _, s in sorted(with_facts + framed, key=lambda t: t[0]))
    lead = qualitative(section.topic, facts)
    written = lead + facts_paragraph + own_items(section)
    kept: list[str] = []
    for sentence in plain:  # two exemplars may say the same thing in other words
        if not repeats(sentence, written + "".join(kept)):
            kept.append(sentence)
    plain = kept
    # a section short of borrowed text takes the topic's own practice sentences until it reads as one
    extra = []
    for sentence in practice(section.topic, facts):
        if len(written) + sum(map(len, plain + extra)) >= SECTION_CHARS:
            break
        if not repeats(sentence, written + "".join(plain + extra)):
            extra.append(sentence)
    method = extra + plain  # how the work is done, then what was borrowed
    while method and len(lead) + len(method[0]) <= LEAD_PARAGRAPH_CHARS:
        lead += method.pop(0)
    paragraphs = [lead, facts_paragraph, own_items(section) + "".join(method)]
    return "\n".join(p for p in paragraphs if p)


REPEAT_SHARE = 0.5  # of a sentence's character pairs already written: it says again what was said
REPEAT_OPENING = 6  # characters: two sentences opening alike ("邀请县融媒体中心……") read as one said twice


REPEAT_HEAD_SHARE = 0.75  # of its opening clause's: "严格落实网络意识形态工作责任制，……" after "落实网络意识形态工作责任制"


def repeats(sentence: str, written: str) -> bool:
    """Does ``sentence`` say again what ``written`` already says (most of its words, or its opening)?"""
    head = re.split(r"[，。；：]", sentence, maxsplit=1)[0]
    openings = {s.strip()[:REPEAT_OPENING] for s in split_sentences(written)}
    return (_share_written(sentence, written) >= REPEAT_SHARE
            or (len(head) >= 8 and _share_written(head, written) >= REPEAT_HEAD_SHARE)
            or sentence[:REPEAT_OPENING] in openings)


def _share_written(text: str, written: str) -> float:
    pairs = {text[i:i + 2] for i in range(len(text) - 1) if not set(text[i:i + 2]) & set("，。；、：“”")}
    return sum(p in written for p in pairs) / len(pairs) if pairs else 0.0


def _first_positions(missing: list[Metric], order: dict[str, int]) -> list[int]:
    """The place of each fact sentence among the section's facts (grouped facts sit at their head's)."""
    from drafter.draft.fact_frames import group_facts

    return [order[head.name] for head, _ in group_facts(missing)]


def own_items(section: PlannedSection) -> str:
    """The user's highlights as they wrote them, then the dated events in order, joined as one sentence
    when they are more than one ("3月，举办……；9月，举办……。")."""
    dated = [i for i in section.free_items if _EVENT_LEAD.match(i)]
    other = [i for i in section.free_items if not _EVENT_LEAD.match(i)]
    text = "".join(other)
    if dated:
        dated.sort(key=lambda i: int(_EVENT_LEAD.match(i).group(1)))  # type: ignore[union-attr]
        text += "；".join(i.rstrip("。") for i in dated) + "。"
    return text


_EVENT_LEAD = regexes.compile(r"^(\d{1,2})月，")


def borrowed_sentences(exemplars: list[str], section_facts: Facts, facts: Facts) -> list[tuple[str, set[str]]]:
    """Whole exemplar sentences fit to borrow, each with the section's facts it states, best first."""
    seen: set[str] = set()
    kept = []
    for exemplar in exemplars:
        for sentence in adapt_passage(_without_instructions(exemplar), section_facts):
            key = sentence_key(sentence)
            if key in seen or len(sentence) > MAX_SENTENCE or not borrowable(sentence, facts):
                continue
            used = bound_facts(sentence, section_facts)
            if used is None or gate_findings(sentence, facts):
                continue
            seen.add(key)
            kept.append((sentence, used))
    return kept


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
        if "【" in sentence:
            # what is left of a cut sentence may keep no figure: its clauses were about someone else's
            sentence = without_marked_clauses(sentence)
            if re.search(r"\d", sentence):
                continue
        if not sentence or _ORDINAL_LEAD.match(sentence):
            continue
        sentence = _strip_opener(_ORDINAL_PREFIX.sub("", sentence))
        if len(sentence) < MIN_SENTENCE:
            continue
        if not sentence.endswith(("。", "！", "？")):
            sentence = sentence.rstrip("，；、：") + "。"
        kept.append(sentence)
    return kept


def without_marked_clauses(sentence: str) -> str:
    """The sentence without the clauses the rewrite marked (a figure or name of someone else's), when
    what is left still reads as a sentence: "开展宣传阵地专项清理，【…】。" → "开展宣传阵地专项清理。";
    "依托实践站，【…】。" (a bare prepositional phrase) and "【…】，做到……" (a tail without its head) are
    nothing."""
    end = sentence[-1] if sentence[-1] in "。！？" else "。"
    clauses = [c for c in re.split(r"[，；]", sentence.rstrip("。！？")) if c and "【" not in c]
    if not clauses or any(clauses[0].startswith(w) for w in _filters()["tail_openers"]):
        return ""
    if len(clauses) == 1 and any(clauses[0].startswith(w) for w in _filters()["preposition_openers"]):
        return ""
    return "，".join(clauses) + end


def split_sentences(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"[^。！？!?\n]+[。！？!?]?|\n", text)]


def sentence_key(sentence: str) -> str:
    """What two sentences share when one repeats the other: the words, without punctuation, and a long
    opening clause ("建立信息报送月通报制度，……" twice is a repeat even when the rest differs)."""
    head = re.split(r"[，。；：！？]", sentence, maxsplit=1)[0]
    return head if len(head) >= 8 else re.sub(r"[，。；：、！？“”‘’（）\s]", "", sentence)


@cache
def _filters() -> dict:
    return load_lexicon("exemplar_filters")


def _without_instructions(exemplar: str) -> str:
    """A user's exemplar may carry lines written to a model ("SYSTEM:", "请编造数字"): never prose."""
    return "\n".join(line for line in exemplar.split("\n") if not _instruction(line))


def _instruction(text: str) -> bool:
    low = text.lower()
    return any(marker.lower() in low for marker in _filters()["instruction_markers"])


def _strip_opener(sentence: str) -> str:
    """"同时，……" leans on the sentence before it, which was someone else's: the opener goes."""
    for opener in _filters()["loose_openers"]:
        if sentence.startswith(opener):
            return sentence[len(opener):]
    return sentence


def borrowable(sentence: str, facts: Facts) -> bool:
    """May the draft say this sentence of someone else's? Not when it leans on a sentence before it,
    names someone else's brand, event or product, lists the template's own work ("围绕A、B等"), or carries
    a number, date, idiom with a numeral or period word that is not the user's."""
    filters = _filters()
    if _instruction(sentence) or any(sentence.startswith(w) for w in filters["context_openers"]):
        return False
    if sentence[0] in filters["bad_starts"]:
        return False
    if re.search(r"[A-Za-z]{2,}|《|第[一二三四五六七八九十\d]+届", sentence):  # English, titles, editions
        return False
    if any(w in sentence for w in filters["local_words"]) or re.search(filters["enumeration"], sentence):
        return False
    if any(w in sentence for w in filters["dangling_words"]) or re.match(filters["outcome_opening"], sentence) \
            or re.search(filters["inner_ordinal"], sentence):
        return False
    if _other_unit_kind(sentence, facts):
        return False
    if not _quotes_allowed(sentence, facts):
        return False
    if re.search(filters["share_pattern"], sentence) or _too_early(sentence, facts):
        return False
    return not (_idiom_number(sentence) or _other_period(sentence, facts) or _dated(sentence))


def _too_early(sentence: str, facts: Facts) -> bool:
    """A term the report's own period ends before ("四中全会" in a 2024 report)."""
    end = _period_end(facts)
    return end is not None and any(t in sentence and end < since for t, since in _filters()["dated_terms"].items())


def _period_end(facts: Facts) -> str | None:
    """"2025-12" for a 2025 全年 report: the 成文日期's month, else the period's last month."""
    if facts.date and len(str(facts.date)) >= 7:
        return str(facts.date)[:7]
    if not facts.period.year:
        return None
    month = _filters()["span_end_month"].get(facts.period.span or "全年", 12)
    return f"{facts.period.year}-{month:02d}"


def _other_unit_kind(sentence: str, facts: Facts) -> bool:
    """Words of another kind of unit (街道 in a 镇's draft) or of another kind of county (县委 under a 区)."""
    filters = _filters()
    own = facts.unit.kind if facts.unit and facts.unit.kind else "镇"
    county = facts.unit.county if facts.unit and facts.unit.county else "县"
    text = sentence
    for name in (n for m in facts.metrics for n in m.names):
        text = text.replace(name, "")  # the user's own names are never someone else's
    for table, mine in ((filters["unit_kind_words"], own), (filters["county_kind_words"], county[-1])):
        own_words = set(table.get(mine, ()))
        if any(w in text and w not in own_words for kind, ws in table.items() if kind != mine for w in ws):
            return True
    return False


def _quotes_allowed(sentence: str, facts: Facts) -> bool:
    own = " ".join(facts.free_texts())
    allowed = _filters()["allowed_quotes"]
    return all(q in allowed or q in own for q in re.findall(r"“([^”]{1,20})”", sentence))


def bound_facts(sentence: str, facts: Facts, whole_names: bool = True) -> set[str] | None:
    """The facts ``sentence`` states, when each of its figures is bound to the fact its own clause names,
    in that fact's unit and qualifier; None when any figure is not (a figure of another section's fact,
    "参加人员350余人次" for a fact of 350余人, "其中省级媒体9篇" for 市级以上媒体用稿)."""
    from drafter.numbers import MatchStatus, extract_claims, match_claims

    claims = extract_claims(sentence)
    if _loose_digits(sentence, claims) or _part_not_below_total(sentence, claims):
        return None
    used = set()
    for m in match_claims([c for c in claims if c.is_metric], facts):
        c, fact = m.claim, m.fact
        if m.status is not MatchStatus.SUPPORTED or m.via != "metric" or fact is None:
            return None
        if fact.name in used:  # "书记讲党课12次，班子成员讲党课12次": one fact, two items
            return None
        if not _same_unit(c.unit, fact.unit) or (c.qualifier or None) != (fact.qualifier or None):
            return None
        if not label_names(fact, c.context + c.label, sentence if not whole_names else None):
            return None
        if _says_planned(c.context + c.label) != (fact.status == "planned"):
            return None  # a plan told as done, or work done told as a plan
        used.add(fact.name)
    return used


def label_names(fact: Metric, label: str, sentence: str | None = None) -> bool:
    """Does a figure's clause name ``fact`` and nothing more? Its name (or an alias) is there whole, no
    modifier the fact lacks (省级 for 县级以上媒体用稿, 党员 for 中心组学习), no rate other than the fact's
    (注册率 for 参学率), and no change verb before a stock ("更新宣传栏48块" is no count of 宣传栏).
    With ``sentence`` (drafter's own frames), the name may be split across the sentence as a report writes
    a head count after its work ("举办道德讲堂6期，参加群众420余人次")."""
    from drafter.draft.fact_frames import kind_of

    if sentence is not None:
        if not fact.named_in(sentence):
            return False
    elif not any(name in label for name in fact.names):  # a borrowed clause names the fact in full
        return False
    names = " ".join(fact.names)
    filters = _filters()
    if any(w in label and w not in names for w in filters["modifiers"]):
        return False
    if any(r not in names for r in re.findall(r"[\u4e00-\u9fff]{2}率", label)):
        return False
    return not (kind_of(fact).kind == "stock" and any(v in label for v in filters["stock_change_verbs"]))


def _says_planned(clause: str) -> bool:
    words = [*load_lexicon("periods")["planned"], *_filters()["unfinished_words"]]
    return any(w in clause for w in words)


def _part_not_below_total(sentence: str, claims) -> bool:
    """"42篇，其中省级42篇": a part stated after 其中 (中有 …) is smaller than the total before it."""
    metric = [c for c in claims if c.is_metric]
    markers = _filters()["part_markers"]
    return any(any(w in sentence[a.end:b.start] for w in markers) and b.value >= a.value
               for a, b in pairwise(metric))


def _loose_digits(sentence: str, claims) -> bool:
    """An Arabic number that is no claim ("成立75周年", "G69"): someone else's, and unreadable as a fact."""
    spans = [(c.start, c.end) for c in claims]
    return any(not any(s <= m.start() < e for s, e in spans) for m in re.finditer(r"\d+", sentence))


def _same_unit(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"%", "％"}


def qualitative(topic: str, facts: Facts) -> str:
    phrases = load_lexicon("draft_phrases")["qualitative"]
    return _party_body(phrases.get(topic, phrases["default"]), facts)


def _party_body(text: str, facts: Facts) -> str:
    """The lexicon writes for a 镇: a 乡 has a 乡党委, a 街道 a 街道党工委."""
    kind = facts.unit.kind if facts.unit and facts.unit.kind else "镇"
    if kind == "镇":
        return text
    if kind == "街道":  # a 街道's party body is a 党工委 and its base units are 社区
        text = text.replace("镇党委", "街道党委").replace("党委", "党工委")
        return text.replace("镇村", "街道社区").replace("全镇", "全街道")
    text = text.replace("镇党委", f"{kind}党委")
    return text.replace("镇村", f"{kind}村").replace("全镇", f"全{kind}")


def practice(topic: str, facts: Facts) -> list[str]:
    pools = load_lexicon("draft_phrases")["practice"]
    return [_party_body(s, facts) for s in pools.get(topic, pools["default"])]


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


@cache
def _numeral_measure() -> re.Pattern[str]:
    """A Chinese numeral before a measure word (千家万户, 三番五次, “五年看变化”): true prose, but a reader
    checking the figures cannot tell it from a claim."""
    from drafter.numbers.lexicon import measures

    words = sorted({*measures().words, *_filters()["idiom_measures"]}, key=len, reverse=True)
    return regexes.compile("[两三四五六七八九十百千万]+[余多]?(?:" + "|".join(map(re.escape, words)) + ")")


def _idiom_number(sentence: str) -> bool:
    from drafter.numbers import extract_claims
    from drafter.numbers.lexicon import formulaic_pattern

    # a claim is checked as a figure, a formula (四个意识, 镇村两级) is no figure at all
    known = [(c.start, c.end) for c in extract_claims(sentence)]
    known += [m.span() for m in formulaic_pattern().finditer(sentence)]
    return any(not any(s <= m.start() < e for s, e in known) for m in _numeral_measure().finditer(sentence))


def _other_period(sentence: str, facts: Facts) -> bool:
    """A period word of another part of the year: "上半年" in an annual report, "年底" in a half-year one."""
    span = facts.period.span or "全年"
    whole = span in ("全年", "年度")
    words = list(load_lexicon("periods")["scoping"])
    if not whole:
        words += _filters()["year_end_words"]
    return any(w in sentence and not (w == span or span.startswith(w) or w.startswith(span)) for w in words
               if w not in _filters()["any_period_words"])


def _dated(sentence: str) -> bool:
    """Does a borrowed sentence state a month or day? The user's events are told in their own words (the
    section's free items), so a borrowed date could only be someone else's."""
    from drafter.numbers import extract_claims

    return any(c.kind == "date" for c in extract_claims(sentence))
