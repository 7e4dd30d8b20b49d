"""Assemble title, opening, numbered sections and signature into the report text."""

from drafter.draft.model import Plan, SectionDraft
from drafter.facts.model import Facts
from drafter.numerals import int_to_chinese
from drafter.resources import load_lexicon


def opening(facts: Facts) -> str:
    lex = load_lexicon("draft_phrases")
    unit = facts.unit
    county = unit.county if unit and unit.county else "县"
    span = facts.period.span or "全年"
    lead = "今年以来" if span in ("全年", "年度") else f"今年{span}"
    text = lex["opening"].format(span_lead=lead, unit=unit.name if unit else "我单位", county=county,
                                 county_kind=county[-1] if county[-1] in "县区市旗" else "县",
                                 year=facts.period.year or "", span="" if span in ("全年", "年度") else span)
    return text.replace("\n", "").replace(" ", "")


def assemble(plan: Plan, sections: list[SectionDraft], facts: Facts) -> str:
    lines = [plan.title, opening(facts)]
    for n, draft in enumerate(sections, 1):
        lines.append(f"{int_to_chinese(n)}、{draft.heading}")
        lines.extend(line for line in draft.body.split("\n") if line.strip())
    if facts.unit:
        lines.append(load_lexicon("draft_phrases")["signature"].format(unit=facts.unit.name))
    return "\n".join(lines) + "\n"
