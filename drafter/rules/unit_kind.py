"""Rule ``unit-kind``: words of the wrong kind of unit — 我镇 / 镇党委 / 镇村两级 in a 乡's report, 我乡 in a
镇's, 镇政府 in a 街道's (which has a 街道办事处) — the marks of a template copied from another kind.

Only runs when the unit's kind is known (``--unit 青石乡`` or the facts file). The forms and their
guards (乡镇, 城乡, 乡村振兴 …) are data: ``corpus/lexicons/unit_kind.yaml``.
"""

import re
from collections.abc import Iterator
from functools import cache

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.gazetteer import stopwords as place_stopwords
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule

RULE_ID = "unit-kind"


@rule(RULE_ID, Severity.ERROR, "单位类别写错：乡的总结里出现“我镇、镇党委”等（需 --unit 或事实文件）")
def check_unit_kind(ctx: CheckContext) -> Iterator[Finding]:
    unit = ctx.unit
    if unit is None or not unit.kind:
        return
    text = ctx.text
    # positions already reported, marked per character: an overlap test costs the span's length, not
    # the number of earlier findings (a list scan made long documents quadratic)
    taken = bytearray(len(text))
    for start, end, wrong_kind in _own_name_with_wrong_kind(text, unit.short, unit.kind):
        taken[start:end] = b"\x01" * (end - start)
        message = (f"本单位是{unit.name}，这里却写成“{text[start:end]}”：多半是照抄{wrong_kind}的范文，"
                   f"请改为“{unit.name}”。")
        yield ctx.finding(RULE_ID, Severity.ERROR, start, end, message, unit.name)
    for start, end, wrong_kind, right in sorted(_wrong_forms(text, unit.kind)):
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        message = (f"本单位是{unit.kind}（{unit.name}），这里却写“{text[start:end]}”：多半是照抄{wrong_kind}"
                   f"的范文，请改为“{right}”。")
        yield ctx.finding(RULE_ID, Severity.ERROR, start, end, message, right)


@cache
def _lexicon() -> dict:
    return load_lexicon("unit_kind")


@cache
def _form_patterns(kind: str) -> list[tuple[re.Pattern[str], str, str, bool]]:
    """(pattern of a wrong form, its kind, the right form, attach) for a unit of ``kind``, longest first."""
    out = []
    for row in _lexicon()["forms"]:
        right = row.get(kind)
        if not right:
            continue
        for other in ("乡", "镇", "街道"):
            wrong = row.get(other)
            if other != kind and wrong and wrong != right:
                out.append((wrong, other, right, bool(row.get("attach"))))
    out.sort(key=lambda item: len(item[0]), reverse=True)
    return [(regexes.compile(re.escape(w)), other, right, attach) for w, other, right, attach in out]


def _wrong_forms(text: str, kind: str) -> Iterator[tuple[int, int, str, str]]:
    lex = _lexicon()
    boundary = lex["boundary_chars"]
    guards: list[str] = lex["guards"]
    seen = bytearray(len(text))  # characters of forms already found, as ``taken`` above
    for pattern, wrong_kind, right, attach in _form_patterns(kind):
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(seen[start:end]):
                continue  # a longer form already covers it (镇人民政府 before 镇政府 … 镇村两级干部)
            if attach and start > 0 and text[start - 1] not in boundary:
                continue  # 勐约镇党委: a place name's, not the unit's
            if _inside_guard(text, start, end, guards):
                continue
            seen[start:end] = b"\x01" * (end - start)
            yield start, end, wrong_kind, right


def _inside_guard(text: str, start: int, end: int, guards: list[str]) -> bool:
    """Whether a guard word overlaps the match without being part of it (全乡镇 → 乡镇)."""
    form = text[start:end]
    for guard in guards:
        if guard in form:
            continue
        lo, hi = max(0, start - len(guard) + 1), end + len(guard) - 1
        at = text.find(guard, lo, hi)
        while at >= 0:
            if at < end and at + len(guard) > start:
                return True
            at = text.find(guard, at + 1, hi)
    return False


def _own_name_with_wrong_kind(text: str, short: str, kind: str) -> Iterator[tuple[int, int, str]]:
    """青石乡 in 青石镇's report (not 青石乡村振兴: the continuation guard of the place finder)."""
    if len(short) < 2:
        return
    continuation: dict[str, str] = place_stopwords()["continuation"]
    for other in ("街道", "乡", "镇"):
        if other == kind:
            continue
        for m in re.finditer(re.escape(short + other), text):
            nxt = text[m.end() : m.end() + 1]
            if nxt and nxt in continuation.get(other, ""):
                continue
            yield m.start(), m.end(), other
