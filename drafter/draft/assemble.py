"""Assemble title, opening, numbered sections, signature and date line into the report text."""

import re

from drafter.draft.model import Plan, SectionDraft
from drafter.facts.model import Facts
from drafter.markers import TODO, marker
from drafter.numerals import int_to_chinese
from drafter.resources import load_lexicon

DATE_LABEL = "成文日期"


def opening(facts: Facts) -> str:
    lex = load_lexicon("draft_phrases")
    unit = facts.unit
    county = unit.county if unit and unit.county else "县"
    span = facts.period.span or "全年"
    lead = "今年以来" if span in ("全年", "年度") else f"今年{span}"
    year = f"{facts.period.year}年" if facts.period.year else ""
    year_span = year + ("" if span in ("全年", "年度") else span)
    text = lex["opening"].format(span_lead=lead, unit=unit.name if unit else "我单位", county=county,
                                 county_kind=county[-1] if county[-1] in "县区市旗" else "县", year_span=year_span)
    text = text.replace("\n", "").replace(" ", "")
    if unit and unit.kind == "街道":
        text = text.replace(f"{unit.name}党委", f"{unit.name}党工委")
    return text


def date_line(facts: Facts) -> str:
    """The 成文日期 as 公文 write it ("2025年12月20日": Arabic numerals, no zero padding), else a marker."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(facts.date or "").strip())
    if not m:
        return marker(TODO, DATE_LABEL)
    year, month, day = (int(g) for g in m.groups())
    return f"{year}年{month}月{day}日"


def signature(facts: Facts) -> str | None:
    if not facts.unit:
        return None
    key = "signature_street" if facts.unit.kind == "街道" else "signature"
    lex = load_lexicon("draft_phrases")
    return lex.get(key, lex["signature"]).format(unit=facts.unit.name)


def assemble(plan: Plan, sections: list[SectionDraft], facts: Facts) -> str:
    lines = [plan.title, opening(facts)]
    seen: set[str] = set()
    for n, draft in enumerate(sections, 1):
        lines.append(f"{int_to_chinese(n)}、{draft.heading}")
        for line in draft.body.split("\n"):
            line = without_repeats(line, seen)
            if line.strip():
                lines.append(line)
    sign = signature(facts)
    if sign:
        lines.append(sign)
    lines.append(date_line(facts))
    return "\n".join(lines) + "\n"


def without_repeats(line: str, seen: set[str]) -> str:
    """``line`` without the sentences an earlier section already said (two sections can borrow the same
    exemplar sentence). A sentence with a figure stays: it states a fact, and the fact was placed once."""
    from drafter.draft.offline import sentence_key, split_sentences

    kept = []
    for sentence in split_sentences(line):
        key = sentence_key(sentence)
        if key in seen and not re.search(r"\d", sentence):
            continue
        seen.add(key)
        kept.append(sentence)
    return "".join(kept)
