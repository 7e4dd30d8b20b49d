"""Align every number of a template to the user's facts by its context, and rewrite it in the template's
own form (Arabic or Chinese numeral, 余/多 only when the fact says so). What no fact supports never
survives: its clause becomes a 【待补充：…】 marker, or is dropped with ``drop``.
"""

from dataclasses import dataclass

from drafter.edits import Edit
from drafter.facts.model import Facts, Metric, qualify
from drafter.numbers import MatchStatus, NumberClaim, extract_claims, fact_index, match_claim_to_facts
from drafter.numbers.binding import binding_problem
from drafter.numbers.lexicon import count_nouns
from drafter.numbers.values import unit_drift
from drafter.numerals import format_number, int_to_chinese
from drafter.rewrite.clauses import TODO, VERIFY, clause_span, drop_span, marker

# A supported claim is kept only when its context names the fact at least this well: a template's
# "5个行政村" must not survive because the user happens to have 5 宣传栏.
KEEP_SCORE = 0.35
SENTINEL = 987_654  # stands in for an unfilled count slot (x次) while its context is matched


@dataclass
class AlignResult:
    edits: list[Edit]
    used: set[str]  # names of the metric facts the template now states


def align_numbers(text: str, facts: Facts, template_year: int | None, *, drop: bool = False,
                  count_slots: list[tuple[int, int]] = ()) -> AlignResult:
    index = fact_index(facts)
    edits: list[Edit] = []
    used: set[str] = set()
    # per clause: its figures without a fact — (start, end, label, measure word to keep; None for a year or
    # date) — and the clauses that state one of the user's figures, kept or rendered from a fact
    todo_clauses: dict[tuple[int, int], list[tuple[int, int, str, str | None]]] = {}
    bound: set[tuple[int, int]] = set()

    def unsupported(claim_start: int, claim_end: int, label: str, claim: NumberClaim | None = None) -> None:
        unit = None if claim is None else claim.unit if text[claim_start:claim_end].endswith(claim.unit) else ""
        todo_clauses.setdefault(clause_span(text, claim_start, claim_end), []).append(
            (claim_start, claim_end, label, unit))

    probe, slot_at = _probe_with_sentinels(text, count_slots)
    for claim in extract_claims(probe):
        s, e = _orig_span(claim.start, claim.end, slot_at)
        if claim.kind == "year":
            edit = _year_edit(text, claim, s, e, facts.period.year, template_year)
            if edit is None:
                unsupported(s, e, "年份")
            elif edit.old != edit.new:
                edits.append(edit)
            continue
        match = match_claim_to_facts(claim, index)
        if claim.kind == "date":
            if match.status is not MatchStatus.SUPPORTED:
                unsupported(s, e, "时间")
            continue
        is_slot = claim.value == SENTINEL
        fact = match.fact if match.via == "metric" else None
        named = fact is not None and (match.status is MatchStatus.MISMATCH or match.score >= KEEP_SCORE
                                      or (is_slot and match.score >= KEEP_SCORE / 2))
        # and the clause must name the fact itself: the template's "撤除破损宣传牌20块" is not the user's
        # 48 块宣传栏, however alike the words (a guess; the spec says mark it, never guess)
        if named and fact is not None and not fact.named_in(claim.wide or claim.context + claim.label):
            named = False
        # the one binding test check runs (drafter.numbers.binding): the label must name the fact, its period
        # and status must be the fact's; a template's "其中省级媒体22篇" never takes 县级媒体用稿's figure
        if named and fact is not None and binding_problem(fact, claim, facts) is not None:
            named = False
        if match.status is MatchStatus.SUPPORTED and match.via in ("free-text",) and not is_slot:
            continue
        if named and fact is not None:
            used.add(fact.name)
            bound.add(clause_span(text, s, e))
            new = render_claim(text, claim, s, e, fact, is_slot)
            if new != text[s:e]:
                edits.append(Edit(s, e, text[s:e], new, "number", fact=fact.name,
                                  note=f"按事实“{fact.name}”改为{fact.display()}"))
        else:
            unsupported(s, e, _label(claim), claim)
    for (cs, ce), figures in todo_clauses.items():
        if drop:
            ds, de = drop_span(text, cs, ce)
            edits.append(Edit(ds, de, text[ds:de], "", "drop-clause", note="没有对应事实的数字，已删去该分句"))
            continue
        kind = VERIFY if "【待核实" in text[cs:ce] else TODO
        if (cs, ce) in bound and all(unit is not None for *_, unit in figures):
            # "辖区5个村45个村民小组" with a fact for the 村民小组 only: the figure without a fact is marked
            # where it stands and the user's 64 stays, rather than one marker for the whole clause
            edits.extend(Edit(fs, fe, text[fs:fe], marker(kind, label) + (unit or ""), "todo-figure",
                              note="事实文件里没有这个数字的依据：请补充事实或改写") for fs, fe, label, unit in figures)
        else:
            label = "、".join(dict.fromkeys(label for _, _, label, _ in figures))
            edits.append(Edit(cs, ce, text[cs:ce], marker(kind, label), "todo-clause",
                              note="事实文件里没有这个数字的依据：请补充事实或改写这一句"))
    return AlignResult(edits, used)


def render_claim(text: str, claim: NumberClaim, s: int, e: int, fact: Metric, is_slot: bool) -> str:
    """The fact's value written the way the template wrote this claim."""
    value = fact.value
    if claim.form == "chinese" and float(value).is_integer() and not is_slot:
        number = int_to_chinese(int(value), liang=text[claim.num_start : claim.num_start + 1] == "两")
    else:
        number = format_number(value)
    original = text[s:e]
    unit = claim.unit if claim.unit and claim.unit in original else fact.unit
    if unit_drift(fact.unit, unit):
        unit = fact.unit  # 8场 for 道德讲堂 8 期: the fact's own word, as check asks
    if claim.kind == "percent":
        unit = "％" if "％" in original else "%"
        if "百分之" in original:
            return qualify(f"百分之{number}", "", fact.qualifier)
    return qualify(number, unit, fact.qualifier)


def _label(claim: NumberClaim) -> str:
    base = claim.label or "数字"
    suffix = "比例" if claim.kind == "percent" else count_nouns().get(claim.unit, "数量")
    return base if base.endswith(suffix) else base + suffix


def _year_edit(text: str, claim: NumberClaim, s: int, e: int, year: int | None,
               template_year: int | None) -> Edit | None:
    """The template's own year becomes the user's; the year after it, the user's next year."""
    if year is None:
        return Edit(s, e, text[s:e], text[s:e], "year")
    value = int(claim.value)
    if value in (year, year + 1):
        return Edit(s, e, text[s:e], text[s:e], "year")
    if template_year is not None and value in (template_year, template_year + 1):
        new_year = year + (value - template_year)
        old = text[s:e]
        return Edit(s, e, old, old.replace(str(value), str(new_year)), "year",
                    note=f"范文年份{value}年改为{new_year}年")
    return None


def _probe_with_sentinels(text: str, slots: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int, int]]]:
    """``text`` with each count slot replaced by SENTINEL; also (probe_start, shift, slot_len) per slot."""
    out, pos, shift = [], 0, 0
    slot_at: list[tuple[int, int, int]] = []
    for s, e in sorted(slots):
        out.append(text[pos:s])
        out.append(str(SENTINEL))
        slot_at.append((s + shift, len(str(SENTINEL)) - (e - s), e - s))
        shift += len(str(SENTINEL)) - (e - s)
        pos = e
    out.append(text[pos:])
    return "".join(out), slot_at


def _orig_span(start: int, end: int, slot_at: list[tuple[int, int, int]]) -> tuple[int, int]:
    return _orig(start, slot_at), _orig(end, slot_at, is_end=True)


def _orig(pos: int, slot_at: list[tuple[int, int, int]], is_end: bool = False) -> int:
    shift = 0
    for probe_start, delta, slot_len in slot_at:
        width = slot_len + delta
        if pos >= probe_start + width:
            shift += delta
        elif pos > probe_start:
            return probe_start - shift + (slot_len if is_end else 0)
    return pos - shift
