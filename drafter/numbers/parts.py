"""Totals and their parts in one sentence: "在县级以上媒体发稿42篇，其中市级以上9篇", "12个村中有8个".

A part never exceeds its total and the parts never sum above it (DOMAIN.md), whether or not each value is
some fact's: "全年刊播稿件22篇，其中省级媒体22篇、市级媒体22篇" is wrong however often 22 is a fact.
The part markers are corpus/lexicons/part_markers.yaml.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from drafter.numbers.lexicon import parts as part_lexicon
from drafter.numbers.values import base_unit, units_agree

if TYPE_CHECKING:
    from drafter.facts.model import Metric
    from drafter.numbers.claims import NumberClaim

_EPS = 1e-9


def _declared_parts(total: Metric, by_name: dict[str, Metric]) -> set[str]:
    """Names of the facts ``total`` declares as parts, and their parts in turn (省级 ⊂ 市级以上 ⊂ 县级以上)."""
    seen: set[str] = set()
    todo = list(total.parts)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        fact = by_name.get(name)
        if fact is not None:
            seen.update(fact.names)
            todo.extend(fact.parts)
    return seen


def _amount(claim: NumberClaim) -> float:
    return claim.value * base_unit(claim.unit)[1]


def part_groups(claims: list[NumberClaim]) -> list[tuple[NumberClaim, list[NumberClaim]]]:
    """(total, parts) for every part marker that follows a figure in its sentence."""
    markers = part_lexicon().markers
    groups: dict[tuple[int, int], list[NumberClaim]] = defaultdict(list)
    totals: dict[tuple[int, int], NumberClaim] = {}
    metric = [c for c in claims if c.is_metric and not c.in_range]
    by_sentence: dict[int, list[NumberClaim]] = defaultdict(list)
    for c in metric:
        by_sentence[c.start - len(c.lead)].append(c)
    for sentence_start, members in by_sentence.items():
        for c in members:
            at = max((c.lead.rfind(w) for w in markers), default=-1)
            if at < 0:
                continue
            marker_pos = sentence_start + at
            before = [t for t in members if t.end <= marker_pos and units_agree(t.unit, c.unit, t.context)]
            if not before:
                continue
            key = (sentence_start, marker_pos)
            totals[key] = before[-1]
            groups[key].append(c)
    return [(totals[k], v) for k, v in groups.items()]


def part_problems(claims: list[NumberClaim], bound: dict[int, Metric] | None = None,
                  metrics: list[Metric] | None = None) -> list[tuple[NumberClaim, NumberClaim, str]]:
    """(part, total, what is wrong, in Chinese) for parts above their total or parts that sum above it, and,
    given the facts each claim is ``bound`` to (by claim start), a part whose fact the total's fact does not
    declare among its ``parts``."""
    out: list[tuple[NumberClaim, NumberClaim, str]] = []
    bound = bound or {}
    by_name = {n: m for m in metrics or () for n in m.names}
    for total, members in part_groups(claims):
        whole = _amount(total)
        flagged = False
        for p in members:
            if _amount(p) > whole + _EPS:
                out.append((p, total, f"分项不能大于总数（{p.text} ＞ {total.text}）"))
                flagged = True
                continue
            t_fact, p_fact = bound.get(total.start), bound.get(p.start)
            if t_fact is not None and p_fact is not None and t_fact.parts \
                    and p_fact.name not in _declared_parts(t_fact, by_name):
                out.append((p, total, f"事实文件中「{p_fact.name}」不是「{t_fact.name}」的分项"
                                      f"（其 parts 为：{'、'.join(t_fact.parts)}）"))
                flagged = True
        if flagged or len(members) < 2:
            continue
        if any(p.qualifier in ("余", "多", "以上", "超过") for p in members):
            continue  # 余 / 以上 are lower bounds: their sum is one too
        if sum(_amount(p) for p in members) > whole + _EPS:
            listed = "、".join(p.text for p in members)
            out.append((members[-1], total, f"各分项（{listed}）加起来超过了总数 {total.text}"))
    return out
