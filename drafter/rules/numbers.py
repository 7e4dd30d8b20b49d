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
- ``unused-fact`` (info): a metric the report never states.
Years are left to ``stale-year`` (drafter/rules/stale.py), which reads the facts' period.
"""

from collections.abc import Iterator

from drafter.findings import Finding, Severity
from drafter.numbers import ClaimMatch, MatchStatus, extract_claims, match_claims
from drafter.rules import CheckContext, rule

_CACHE_ATTR = "_number_matches"


def analyse(ctx: CheckContext) -> list[ClaimMatch]:
    """The report's claims matched to the facts, computed once per check and shared by the rules."""
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
    for m in analyse(ctx):
        c = m.claim
        if m.status is not MatchStatus.UNSUPPORTED or not c.is_metric:
            continue
        hint = ""
        if m.fact is not None:
            hint = f"上下文最接近的是「{m.fact.name}」：{m.fact.display()}{_where(m)}。"
        yield ctx.finding(
            "unsupported-number", Severity.ERROR, c.start, c.end,
            f"“{c.text}”在事实文件中找不到依据。{hint}若属实，请在事实文件 metrics 中补上这一项；"
            "若是范文留下的数字，请改成本单位的实际数字或删去。",
        )


@rule("number-mismatch", Severity.ERROR, "数字与上下文所指的事实不符（如 党课4次，事实为 党课31次）", needs_facts=True)
def number_mismatch(ctx: CheckContext) -> Iterator[Finding]:
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


@rule("unused-fact", Severity.INFO, "事实文件中的指标在总结中没有出现", needs_facts=True)
def unused_fact(ctx: CheckContext) -> Iterator[Finding]:
    matches = analyse(ctx)
    used = {id(m.fact) for m in matches if m.fact is not None and m.status is not MatchStatus.UNSUPPORTED}
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
