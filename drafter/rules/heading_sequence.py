"""Rule ``heading-sequence``: sibling headings that skip (一、二、四), repeat (two （二）), or start a new
run at something other than 1.

Siblings are the headings of one level under the same parent, in order. A compilation of reports
restarts numbering: a compilation heading line (``……工作总结篇3``, found by the residue rule) or a
title-like line (``关于……情况的汇报``) between two headings begins a new report, and every count
starts again.
"""

import re
from dataclasses import dataclass

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.headings import match_heading
from drafter.numerals import int_to_chinese
from drafter.parse import iter_lines
from drafter.report import Heading
from drafter.rules import CheckContext, rule
from drafter.rules.residue import find_residue

RULE_ID = "heading-sequence"
_LEVEL_NAMES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
# A report's title: the line's first stretch (before any space) names a document type, carries no
# sentence punctuation, and is short.
_TITLE = regexes.compile(
    r"^[^\s。，；：！？,;:!?]{2,50}?(?:总结|报告|汇报|计划|方案|要点|情况|打算|意见)(?:[（(][^）)]{1,12}[）)])?(?=\s|$)"
)


def _marker_for(heading: Heading, number: int) -> str:
    """``heading``'s marker with ``number`` in it: 四、 / （三） / 5. / （2）."""
    if re.search(r"\d", heading.marker):
        return re.sub(r"\d+", str(number), heading.marker, count=1)
    return re.sub(r"[一二三四五六七八九十]+", int_to_chinese(number), heading.marker, count=1)


@dataclass(frozen=True)
class SequenceProblem:
    start: int
    end: int
    message: str
    suggestion: str | None


def _hidden_headings(ctx: CheckContext, known: set[int]) -> list[Heading]:
    """Headings the parser could not see behind inline residue: "[bookmark: _GoBack]（二）……"."""
    out = []
    for r in find_residue(ctx.text):
        line_start = ctx.text.rfind("\n", 0, r.start) + 1
        if r.whole_line or ctx.text[line_start : r.start].strip():
            continue
        line_end = ctx.text.find("\n", r.end)
        line_end = len(ctx.text) if line_end < 0 else line_end
        m = match_heading(ctx.text[r.end : line_end])
        if m is not None and r.end not in known:
            out.append(Heading(m.level, m.number, m.marker, m.text, r.end, r.end + len(m.marker) + len(m.text)))
    return out


def _unpunctuated_marker(ctx: CheckContext, lo: int, hi: int, h: Heading, number: int) -> int | None:
    """Start of a line in [lo, hi) numbered ``number`` without its 、/. ("1加强……", "3定期研判").

    Only Arabic numbers: a Chinese numeral running into text is ordinary prose (三是, 一岗双责).
    """
    if not re.search(r"\d", h.marker):
        return None
    pattern = re.compile(rf"[（(]?{number}(?![\d、．.）)])(?=[\u4e00-\u9fff])")
    for s, _e in iter_lines(ctx.text):
        if lo <= s < hi and pattern.match(ctx.text, s):
            return s
    return None


def _reset_points(ctx: CheckContext, heading_starts: set[int]) -> list[int]:
    """Offsets where a new report of a compilation begins."""
    points = [r.start for r in find_residue(ctx.text) if r.whole_line]
    for s, e in iter_lines(ctx.text):
        if s not in heading_starts and _TITLE.match(ctx.text[s:e]):
            points.append(s)
    return points


def find_sequence_problems(ctx: CheckContext) -> list[SequenceProblem]:
    """Every heading out of sequence among its siblings, in order."""
    headings = ctx.report.headings()
    headings += _hidden_headings(ctx, {h.start for h in headings})
    events: list[tuple[int, Heading | None]] = [(h.start, h) for h in headings]
    events += [(p, None) for p in _reset_points(ctx, {h.start for h in headings})]
    events.sort(key=lambda ev: (ev[0], ev[1] is not None))
    last: dict[int, Heading] = {}
    boundary: dict[int, int] = {}  # per level: where its current run of siblings may begin
    problems: list[SequenceProblem] = []
    for offset, h in events:
        if h is None:  # a new report of a compilation: every count starts again
            last.clear()
            boundary = dict.fromkeys(range(1, 6), offset)
            continue
        for level in [lv for lv in last if lv > h.level]:
            del last[level]  # a new parent: its children count from 1 again
        problem = _judge(ctx, h, last.get(h.level), boundary.get(h.level, 0))
        if problem is not None:
            problems.append(problem)
        last[h.level] = h
        for level in range(h.level, 6):
            boundary[level] = h.end  # a missing "1" or "2" is looked for after this heading
    return problems


def _judge(ctx: CheckContext, h: Heading, prev: Heading | None, lo: int) -> SequenceProblem | None:
    name = _LEVEL_NAMES.get(h.level, "标题")
    expected = 1 if prev is None else prev.number + 1
    want = _marker_for(h, expected)
    span = (h.start, h.start + len(h.marker))
    if h.number == expected:
        return None
    if h.number > expected:
        bare = _unpunctuated_marker(ctx, lo, h.start, h, h.number - 1)
        if bare is not None and h.number - 1 == expected:
            fixed = _marker_for(h, expected)
            return SequenceProblem(bare, bare + len(str(expected)) + (ctx.text[bare] in "（("),
                                   f"{name}编号“{expected}”后面缺少标点，应写作“{fixed}”。", None)
    if prev is None:
        message = f"{name}“{h.marker}”是这一组的第一个，应从“{want}”开始。"
    elif h.number == prev.number:
        message = f"{name}编号重复：前面已有“{prev.marker}”，这里应为“{want}”。"
    elif h.number > expected:
        missing = "、".join(_marker_for(h, n).rstrip("、.．") for n in range(expected, h.number))
        message = f"{name}编号跳号：“{prev.marker}”之后缺少“{missing}”，这里应为“{want}”。"
    elif h.number == 1:
        message = (f"{name}编号又从“{h.marker}”开始：如果这是另一篇或另一部分，请在前面加上标题；"
                   f"否则这里应为“{want}”。")
    else:
        message = f"{name}编号倒退：“{prev.marker}”之后出现“{h.marker}”，这里应为“{want}”。"
    return SequenceProblem(span[0], span[1], message, want)


@rule(RULE_ID, Severity.WARNING, "标题编号：跳号（一、二、四）、重号（两个（二））、不从一开始")
def check_heading_sequence(ctx: CheckContext) -> list[Finding]:
    return [
        ctx.finding(RULE_ID, Severity.WARNING, p.start, p.end, p.message, p.suggestion)
        for p in find_sequence_problems(ctx)
    ]
