"""The offline engine: each section from the best exemplar passages rewritten to the user's facts
(the rewrite engine, unsupported clauses dropped), plus sentence frames for facts no passage carries."""

from drafter.draft.model import PlannedSection
from drafter.facts.model import Facts
from drafter.resources import load_lexicon
from drafter.rewrite.engine import rewrite_offline
from drafter.rewrite.missing import fact_sentence
from drafter.verify import gate_findings

MIN_EXEMPLAR_CHARS = 60


def compose_section(section: PlannedSection, exemplars: list[str], facts: Facts) -> str:
    """The section's body; every number in it verifies against ``facts``."""
    if section.topic in ("存在问题", "下一步计划"):
        return compose_list_section(section, facts)
    section_facts = Facts(unit=facts.unit, period=facts.period, metrics=section.metrics, events=facts.events,
                          highlights=facts.highlights, problems=facts.problems, plans=facts.plans)
    paragraphs: list[str] = []
    stated: set[str] = set()
    for passage in exemplars:
        if len(passage) < MIN_EXEMPLAR_CHARS:
            continue
        result = rewrite_offline(passage, section_facts, drop=True, add_missing=False)
        text = result.text.strip()
        if len(text) < MIN_EXEMPLAR_CHARS or gate_findings(text, facts) or "【" in text:
            continue
        paragraphs.append(text)
        stated |= result.used_facts
        if len(paragraphs) == 2:
            break
    missing = [m for m in section.metrics if m.name not in stated]
    if missing:
        sentence = "；".join(fact_sentence(m, facts.period.span) for m in missing) + "。"
        paragraphs.append(("同时，" if paragraphs else "") + sentence)
    if not paragraphs:
        paragraphs.append(qualitative(section.topic, facts))
    return "\n".join(paragraphs)


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
