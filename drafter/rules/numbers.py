"""Number rules (need --facts): every number the report claims must trace to the user's facts.

- ``unsupported-number`` (error): a count or percentage no fact supports (value, unit and qualifier).
- ``number-mismatch`` (error): the context names a fact whose value differs ("党课4次" when 党课 is 31 次),
  even if another fact happens to have the claimed value.
- ``unsupported-date`` (warning): a month/day no event or free-text item mentions; dates are often
  approximate scheduling, so this is a prompt to check rather than an error.
- ``unnamed-fact`` (warning, only when selected): a figure that equals a fact's value in a sentence that does
  not name the fact ("撤除破损宣传牌48块" against 宣传栏 48 块). The verify gate selects it, since generated
  text may not do this; a user's own report often names facts in other words (党课 for 支部党课, 11 hits
  on seed 000 with its hand-written facts), so `check` runs it only with --select unnamed-fact.
- ``number-part`` (error): after 其中/中有/分别为/包括, a part above its total or parts that sum above it,
  even when every value is some fact's.
- ``number-period`` (error): a period word (上半年, 前三季度 …) governs a figure whose fact is another period's.
- ``number-status`` (error): a planned fact told as done (已建成) or a done fact told as planned (拟/计划).
- ``number-qualifier`` (warning): the fact's number with its qualifier written otherwise (350人 for 350 余人,
  100余次 for an exact 105).
- ``number-unit`` (warning): a near unit instead of the fact's own (8场 for 道德讲堂 8 期, 条 for 篇).
- ``unused-fact`` (info): a metric the report never states.
Which fact may support a figure at all is decided by ``drafter.numbers.binding`` (its label must name it).
Years are left to ``stale-year`` (drafter/rules/stale.py), which reads the facts' period.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from drafter.findings import Finding, Severity
from drafter.rules import CheckContext, rule

# drafter.numbers (claims, matching, the facts model; ~20 ms of imports) is imported inside the rules:
# they run only with --facts, and a check without facts must not pay for it.
if TYPE_CHECKING:
    from drafter.numbers import ClaimMatch

_CACHE_ATTR = "_number_matches"


def analyse(ctx: CheckContext) -> list[ClaimMatch]:
    """The report's claims matched to the facts, computed once per check and shared by the rules."""
    from drafter.numbers import extract_claims, match_claims

    cached = ctx.__dict__.get(_CACHE_ATTR)
    if cached is not None:
        return cached
    report = ctx.report
    claims = extract_claims(ctx.text, report)
    if report.date is not None:  # the signature date is when the report was written, not a fact
        claims = [c for c in claims if not report.date.start <= c.start < report.date.end]
    matches = match_claims(claims, ctx.facts)
    ctx.__dict__[_CACHE_ATTR] = matches
    return matches


def _where(m: ClaimMatch) -> str:
    return f"（事实文件第 {m.fact.line} 行）" if m.fact is not None and m.fact.line else ""


@rule("unsupported-number", Severity.ERROR, "数字在事实文件中找不到依据（数值、单位、限定词须一致）", needs_facts=True)
def unsupported_number(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers import MatchStatus

    for m in analyse(ctx):
        c = m.claim
        if m.status is not MatchStatus.UNSUPPORTED or not c.is_metric:
            continue
        hint = ""
        if m.reason is not None and m.fact is not None:
            hint = f"数值与「{m.fact.name}」{m.fact.display()}{_where(m)}相同，但{m.reason}。"
        elif m.fact is not None:
            hint = f"上下文最接近的是「{m.fact.name}」：{m.fact.display()}{_where(m)}。"
        yield ctx.finding(
            "unsupported-number", Severity.ERROR, c.start, c.end,
            f"“{c.text}”在事实文件中找不到依据。{hint}若属实，请在事实文件 metrics 中补上这一项；"
            "若是范文留下的数字，请改成本单位的实际数字或删去。",
        )


@rule("number-mismatch", Severity.ERROR, "数字与上下文所指的事实不符（如 党课4次，事实为 党课31次）", needs_facts=True)
def number_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers import MatchStatus

    for m in analyse(ctx):
        if m.status is not MatchStatus.MISMATCH or m.fact is None:
            continue
        c, fact = m.claim, m.fact
        yield ctx.finding(
            "number-mismatch", Severity.ERROR, c.start, c.end,
            f"这里说的是「{fact.name}」，事实文件中为 {fact.display()}{_where(m)}，文中却写“{c.text}”。"
            "请改为事实文件中的数字；若事实文件有误，请先改正事实文件。",
            suggestion=fact.display(),
        )


@rule("unsupported-date", Severity.WARNING, "日期在事实文件的 events 和文字说明中都没有出现", needs_facts=True)
def unsupported_date(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers import MatchStatus

    for m in analyse(ctx):
        c = m.claim
        if c.kind != "date" or m.status is not MatchStatus.UNSUPPORTED:
            continue
        yield ctx.finding(
            "unsupported-date", Severity.WARNING, c.start, c.end,
            f"“{c.text}”在事实文件的 events（大事记）中没有对应的日期，可能是范文留下的。"
            f"请核实：若属实，在 events 中补上 {{date: …-{int(c.value):02d}, what: 做了什么}}；否则改正或删去。",
        )


@rule("unnamed-fact", Severity.WARNING, "数字与某项事实相符，但句中没有写明是哪项事实", needs_facts=True,
      default=False)
def unnamed_fact(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers import MatchStatus

    for m in analyse(ctx):
        c, fact = m.claim, m.fact
        if m.status is not MatchStatus.SUPPORTED or m.via != "metric" or fact is None or not c.is_metric:
            continue
        if fact.named_in(c.wide or c.context + c.label):
            continue
        yield ctx.finding(
            "unnamed-fact", Severity.WARNING, c.start, c.end,
            f"“{c.text}”与事实「{fact.name}」{fact.display()}{_where(m)}相符，但这一句没有写明「{fact.name}」。"
            "若说的正是这项事实，请写明；若是另一件事，请在事实文件中补上它。",
            suggestion=fact.name,
        )


def _bound(ctx: CheckContext) -> Iterator[ClaimMatch]:
    """Claims a metric fact supports."""
    from drafter.numbers import MatchStatus

    for m in analyse(ctx):
        if m.status is MatchStatus.SUPPORTED and m.via == "metric" and m.fact is not None and m.claim.is_metric:
            yield m


@rule("number-part", Severity.ERROR, "分项数字超过总数（其中/中有/分别为/包括）", needs_facts=True)
def number_part(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers.parts import part_problems

    bound = {m.claim.start: m.fact for m in _bound(ctx)}
    for claim, total, message in part_problems([m.claim for m in analyse(ctx)], bound, ctx.facts.metrics):
        yield ctx.finding(
            "number-part", Severity.ERROR, claim.start, claim.end,
            f"“{claim.text}”是“{total.text}”的一部分，{message}。请按事实文件核对总数和分项。",
        )


@rule("number-period", Severity.ERROR, "数字所说的时段与事实的时段不符（如全年报告里的“上半年”）", needs_facts=True)
def number_period(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers.binding import period_problem

    for m in _bound(ctx):
        problem = period_problem(m.fact, m.claim, ctx.facts)
        if problem:
            yield ctx.finding(
                "number-period", Severity.ERROR, m.claim.start, m.claim.end,
                f"{problem}{_where(m)}。请删去或改正时段；若确是该时段的数字，请在事实文件中为它写上 period。",
            )


@rule("number-status", Severity.ERROR, "计划中的事写成了已完成，或已完成的事写成了计划", needs_facts=True)
def number_status(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers.binding import status_problem

    for m in _bound(ctx):
        problem = status_problem(m.fact, m.claim, ctx.facts)
        if problem:
            yield ctx.finding(
                "number-status", Severity.ERROR, m.claim.start, m.claim.end,
                f"“{m.claim.text}”：{problem}{_where(m)}。请按事实文件的 status 改写（拟/计划 或 已/建成）。",
            )


@rule("number-qualifier", Severity.WARNING, "数字的限定词与事实不一致（如 350人 写成了 350余人 的事实）",
      needs_facts=True)
def number_qualifier(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers.values import DRIFT, value_verdict

    for m in _bound(ctx):
        c, fact = m.claim, m.fact
        if value_verdict(fact.value, fact.unit, fact.qualifier, c.value, c.unit, c.qualifier) != DRIFT:
            continue
        said = "没有写出限定词" if c.qualifier is None else f"写成了“{c.qualifier}”"
        yield ctx.finding(
            "number-qualifier", Severity.WARNING, c.start, c.end,
            f"事实「{fact.name}」为 {fact.display()}{_where(m)}，文中“{c.text}”{said}。请照事实文件写作"
            f"“{fact.display()}”。",
            suggestion=fact.display(),
        )


@rule("number-unit", Severity.WARNING, "数字的单位与事实的单位不同（如 期 写成 场、篇 写成 条）", needs_facts=True)
def number_unit(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers.values import unit_drift

    for m in _bound(ctx):
        c, fact = m.claim, m.fact
        if not unit_drift(fact.unit, c.unit):
            continue
        yield ctx.finding(
            "number-unit", Severity.WARNING, c.start, c.end,
            f"事实「{fact.name}」的单位是“{fact.unit}”（{fact.display()}{_where(m)}），文中写作“{c.text}”。"
            f"请改用事实文件的单位：{fact.display()}。",
            suggestion=fact.display(),
        )


@rule("unused-fact", Severity.INFO, "事实文件中的指标在总结中没有出现", needs_facts=True)
def unused_fact(ctx: CheckContext) -> Iterator[Finding]:
    from drafter.numbers import MatchStatus

    matches = analyse(ctx)
    used = {id(m.fact) for m in matches if m.fact is not None and m.status is not MatchStatus.UNSUPPORTED}
    used |= {id(part) for m in matches for part in m.parts}
    unused = [m for m in ctx.facts.metrics if id(m) not in used]
    if not unused:
        return
    # one finding for all of them: they have no place in the text to point at
    items = "、".join(f"「{m.name}」{m.display()}" + (f"（第 {m.line} 行）" if m.line else "") for m in unused[:12])
    more = f"等 {len(unused)} 项" if len(unused) > 12 else ""
    yield ctx.finding(
        "unused-fact", Severity.INFO, 0, 0,
        f"事实文件中的 {items}{more}在总结中没有出现。如需体现，请写进相应部分。",
    )
