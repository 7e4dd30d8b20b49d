"""May this fact's figure stand here? The one binding test check, the draft gate and rewrite share (issue 11).

A figure belongs to the noun phrase that governs it in its own clause (its label). A fact stands behind it
only when that label names the fact:
- the label's head (Chinese noun phrases end in their head: 专题党课 is a 党课) is in the fact's name;
- no modifier of the label is missing from the fact (省级媒体 is not 县级以上媒体, 各类活动 not 志愿服务活动);
- no derived-figure marker of the clause is missing from it (较上年增加3次 needs a fact about the increase);
- the period word that governs the figure is the fact's period, and planned work is not told as done.
Values, units and qualifiers are compared elsewhere (``values``); this module only answers "which fact".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter import regexes
from drafter.numbers.lexicon import derived, fold, modifiers, parts, periods

if TYPE_CHECKING:
    from drafter.facts.model import Facts, Metric
    from drafter.numbers.claims import NumberClaim

HEAD_MIN = 2  # characters of the label's end the fact's name must hold (the whole label when shorter)
HEAD_TAIL = 2  # characters a covered name may leave after it in the label (宣传栏更新)
RATE_TAIL = 3  # ... or, for a percentage, a rate word of this length at most (学习强国参学率)
NOUN_TAIL = 4  # ... or a tail this long ending in the name's own last character (县级以上媒体刊播稿件 / …用稿)
ATTACH = 2  # characters after a modifier that must be in the fact's name for the modifier to narrow it


def label_problem(metric: Metric, claim: NumberClaim) -> str | None:
    """Why ``metric`` may not stand behind ``claim`` (a Chinese phrase for messages), or None."""
    return _derived_problem(metric, claim) or _modifier_problem(metric, claim) or _head_problem(metric, claim)


def label_binds(metric: Metric, claim: NumberClaim) -> bool:
    return label_problem(metric, claim) is None


def _derived_problem(metric: Metric, claim: NumberClaim) -> str | None:
    d = derived()
    ctx = _clause_before(claim) or claim.context  # the words before the figure govern it: 较上年增加3次
    for m in d.pattern.finditer(ctx):
        if ctx.startswith(d.level_after, m.end()):
            continue  # 增长到5200余人: a level, not a change
        word = m.group(0)
        if not any(word in name for name in metric.names):
            return f"“{word}”是推算出的数字（变化、比率或排名），事实「{metric.name}」没有这一项"
    return None


def modifier_forms(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every modifier written in ``text``, longest form first."""
    mods = modifiers()
    return [(m.start(), m.end(), mods.canonical[m.group(0)]) for m in mods.pattern.finditer(text)]


def _fact_modifiers(metric: Metric) -> set[str]:
    return {canon for name in metric.names for _, _, canon in modifier_forms(name)}


def _modifier_problem(metric: Metric, claim: NumberClaim) -> str | None:
    ctx = claim.context
    found = modifier_forms(ctx)
    if not found:
        return None
    mods = modifiers()
    have = _fact_modifiers(metric)
    for s, e, canon in found:
        if canon in have:
            continue
        if canon in mods.objects and ctx.endswith(mods.object_after, 0, s):
            continue  # 为党员讲党课: the 党员 are who it is for, not a narrower 党课
        if _attached(ctx, e, metric, found):
            return f"“{ctx[s:e]}”限定了所说的对象，事实「{metric.name}」没有这一限定"
    return None


def _attached(ctx: str, end: int, metric: Metric, found: list[tuple[int, int, str]]) -> bool:
    """Does the modifier ending at ``end`` narrow a noun this fact's name has ("省级媒体" vs 县级媒体用稿)?
    Joiners and further modifiers between them are skipped (党员干部参学率)."""
    joiners = modifiers().joiners
    pos = end
    while True:
        while pos < len(ctx) and ctx[pos] in joiners:
            pos += 1
        nxt = next((e for s, e, _ in found if s == pos), None)
        if nxt is None:
            break
        pos = nxt
    piece = ctx[pos : pos + ATTACH]
    if len(piece) < ATTACH:
        return bool(piece) and any(piece in name for name in metric.names)
    return any(piece in name for name in metric.names) or any(fold(piece) and fold(piece) in fold(name)
                                                               for name in metric.names)


def _head_problem(metric: Metric, claim: NumberClaim) -> str | None:
    raw = claim.label
    if claim.label_after:
        for word in parts().locatives:
            if raw.endswith(word) and len(raw) > len(word):
                raw = raw[: -len(word)]  # 在这38篇稿件中: 稿件
                break
    label = fold(raw)
    if label and _only_derived(label, claim):
        # "注册志愿者从3100余人增长到5200人": the level's own words are the marker; its noun leads the clause
        lead = _clause_before(claim)
        raw = _NUMBERS.sub("", lead)
        label = fold(raw)
        names = [fold(n) for n in metric.names]
        if head_named(label, names, after=True):
            return None
    if not label:
        return None  # a figure with no words of its own ("5个方面21项"): the sentence's context decides
    names = [fold(n) for n in metric.names]
    if head_named(label, names, after=claim.label_after, rate=claim.kind == "percent"):
        return None
    return f"这里说的是“{claim.label}”，不是事实「{metric.name}」"


def head_named(label: str, names: list[str], after: bool = False, rate: bool = False) -> bool:
    """Folded ``label`` names one of the folded ``names``: its last HEAD_MIN characters are in the name, or
    the name is written in the label (name_covered) with at most HEAD_TAIL characters after it (a verb or
    a rate word: 宣传栏更新, 学习强国参学率). A label after the number ("近百名群众登台分享") starts with its
    noun and may run on into the predicate: its first characters, or the name anywhere in it, will do."""
    need = min(HEAD_MIN, len(label))
    if any(label[-need:] in n or (n and label.endswith(n)) for n in names):
        return True
    from drafter.facts.model import name_covered

    if after and any(label[:need] in n or (len(n) >= 2 and name_covered(n, label)) for n in names):
        return True
    for n in names:
        if len(n) >= 2 and name_covered(n, label):
            last = max(label.rfind(n[i : i + 2]) for i in range(len(n) - 1))
            tail = len(label) - (last + 2)
            if last >= 0 and (tail <= HEAD_TAIL or (rate and tail <= RATE_TAIL and label.endswith("率"))
                              or (tail <= NOUN_TAIL and label[-1] == n[-1])):
                return True
    return False


# --- periods and status --------------------------------------------------------------------------------------


def claim_period(claim: NumberClaim) -> str | None:
    """The span the period word governing ``claim`` scopes it to (上半年 …), or None: the report's own."""
    p = periods()
    lead = claim.lead
    best: tuple[int, str] | None = None
    for word in p.scoping:  # longest first: at the same end, 前三季度 beats 三季度
        at = lead.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best[0]):
            best = (at + len(word), word)
    if best is None:
        return None
    return p.scoping_span.get(best[1])


_NUMBERS = regexes.compile(r"[\d.]+(?:余|多)?[\u4e00-\u9fff]?")


def _only_derived(label: str, claim: NumberClaim) -> bool:
    """Is the label nothing but a derived marker and its level word (增长到, 提高至)?"""
    d = derived()
    m = d.pattern.search(claim.label)
    clause = _clause_before(claim)
    return m is not None and len(claim.label) - (m.end() - m.start()) <= 1 and clause.endswith(d.level_after)


_YEAR = regexes.compile(r"(\d{4})年")


def claim_planned(claim: NumberClaim, report_span: str | None = None, report_year: int | None = None) -> bool | None:
    """True for planned work (拟/计划/将…, a later year or span), False for work told as done (已/建成/完成),
    None when neither."""
    p = periods()
    clause = _clause_before(claim)
    for word in p.planned:
        at = clause.rfind(word)
        if at < 0:
            continue
        after = at + len(word)
        if word in p.planned_only_before and not clause.startswith(p.planned_only_before[word], after):
            continue  # 将宣传栏48块全部更新: the object marker
        if word in p.planned_not_before and clause.startswith(p.planned_not_before[word], after):
            continue  # 计划总结报告: a noun
        return True
    opening = claim.lead.split("，", 1)[0] if "，" in claim.lead else ""
    if report_year is not None and any(int(y) > report_year for y in _YEAR.findall(clause + " " + opening[:8])):
        return True  # "2026年，…" or "于2026年建成…" in a 2025 report
    span = claim_period(claim)
    if report_span and span and span in p.later.get(report_span, ()):
        return True  # 上半年 report: "下半年建成4个" is still to come
    if any(word in clause for word in p.done):
        return False
    return None


def _clause_before(claim: NumberClaim) -> str:
    """The sentence before the claim from its last clause or list break: where 拟/计划/已 governing it are."""
    lead = claim.lead
    for ch in "，,；;：:、":
        lead = lead.rsplit(ch, 1)[-1]
    return lead


def period_problem(metric: Metric, claim: NumberClaim, facts: Facts | None) -> str | None:
    report_span = facts.period.span if facts is not None else None
    span = claim_period(claim)
    if span is None or span == (metric.period or report_span):
        return None
    if metric.status == "planned" and claim_planned(claim, report_span, facts.period.year if facts else None):
        return None  # a plan for the rest of the year
    if report_span and span == report_span and metric.period is None:
        return None
    told = metric.period or report_span or "全年"
    return f"“{span}”限定了这个数字的时段，事实「{metric.name}」{metric.display()}是{told}的数字"


def status_problem(metric: Metric, claim: NumberClaim, facts: Facts | None) -> str | None:
    report_span = facts.period.span if facts is not None else None
    planned = claim_planned(claim, report_span, facts.period.year if facts is not None else None)
    if metric.status == "planned" and planned is None and _in_plans(claim):
        return None  # a planned fact in the 下一步打算 section; a stock count there is no plan of its own
    if metric.status == "planned" and planned is not True:
        return f"事实「{metric.name}」是计划要做的事（status: planned），这里却写成已经做成"
    if metric.status != "planned" and planned is True:
        return f"事实「{metric.name}」是已经做成的事，这里却写成计划"
    return None


def _in_plans(claim: NumberClaim) -> bool:
    return bool(claim.section) and any(w in claim.section for w in periods().plan_sections)


def binding_problem(metric: Metric, claim: NumberClaim, facts: Facts | None = None) -> str | None:
    """Every reason ``metric``'s figure may not stand at ``claim``: label, then period, then status."""
    return label_problem(metric, claim) or period_problem(metric, claim, facts) or status_problem(metric, claim, facts)


def binds(metric: Metric, text: str, start: int, end: int | None = None, facts: Facts | None = None) -> bool:
    """May fact ``metric``'s figure stand at the number written in ``text[start:end]``?

    The strict test the offline composer and rewrite use before placing a figure: the claim's own label
    must name the fact (head, modifiers, derived markers), its unit must agree, and its period and status
    must be the fact's. Values are not compared: ask ``value_supports`` for that. False when no claim is
    written there.
    """
    from drafter.numbers.claims import extract_claims
    from drafter.numbers.values import units_agree

    end = start + 1 if end is None else end
    claim = next((c for c in extract_claims(text) if c.start < end and start < c.end and c.is_metric), None)
    if claim is None:
        return False
    if not units_agree(metric.unit, claim.unit, claim.context + claim.label):
        return False
    return binding_problem(metric, claim, facts) is None
