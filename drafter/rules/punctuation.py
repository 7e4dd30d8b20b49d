"""Rule ``punctuation``: half-width marks inside Chinese text, and quotes or book-title marks that do
not pair up within a paragraph.

``,`` ``:`` ``;`` ``?`` ``!`` ``(`` ``)`` next to Chinese become full width (safe fix); inside numbers
(1,000 / 10:30), URLs and Latin text they stay. A quote closed with the wrong mark (”…“ / “…“) or a
mark left open is only reported: which one is wrong needs a reader. Data:
``corpus/lexicons/punctuation.yaml``.
"""

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule
from drafter.rules.placeholder import url_spans
from drafter.rules.residue import find_residue

RULE_ID = "punctuation"
# Chinese characters and the full-width punctuation that surrounds them.
_CHINESE = regexes.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20“”‘’…—·]")
_DIGIT = regexes.compile(r"[0-9]")


@dataclass(frozen=True)
class _Marks:
    full: dict[str, str]
    digit_separators: str
    pairs: dict[str, str]


@cache
def _marks() -> _Marks:
    lex = load_lexicon("punctuation")
    return _Marks(dict(lex["full_width"]), lex["digit_separators"], dict(lex["pairs"]))


def _is_chinese(ch: str) -> bool:
    return bool(ch) and bool(_CHINESE.match(ch))


def _neighbour(line: str, i: int, step: int) -> str:
    """The nearest non-space character from ``i`` in direction ``step`` ("" at the line's edge)."""
    j = i + step
    while 0 <= j < len(line) and line[j] in " \t":
        j += step
    return line[j] if 0 <= j < len(line) else ""


def half_width_marks(line: str, marks: _Marks) -> list[int]:
    """Offsets in ``line`` of half-width marks that sit in Chinese text."""
    out = []
    openers: list[int] = []  # stack of ( and （ positions
    pairs: dict[int, int] = {}
    for i, ch in enumerate(line):
        if ch in "(（":
            openers.append(i)
        elif ch in ")）" and openers:
            pairs[openers.pop()] = i
    closers = {c: o for o, c in pairs.items()}
    for i, ch in enumerate(line):
        if ch not in marks.full:
            continue
        prev, nxt = _neighbour(line, i, -1), _neighbour(line, i, 1)
        if ch in "()":
            o, c = (i, pairs.get(i)) if ch == "(" else (closers.get(i), i)
            if o is not None and c is not None:
                before, after = _neighbour(line, o, -1), _neighbour(line, c, 1)
                inner = line[o + 1 : c]
                if _is_chinese(before) or _is_chinese(after) or any(_is_chinese(x) for x in inner):
                    out.append(i)
                continue
        if ch in marks.digit_separators and _DIGIT.match(prev or " ") and _DIGIT.match(nxt or " "):
            continue  # 1,000 / 10:30
        if _is_chinese(prev) or _is_chinese(nxt):
            out.append(i)
    return out


def unpaired_marks(line: str, marks: _Marks) -> list[tuple[int, str]]:
    """(offset in line, message) for quotes / book-title marks that do not pair up in ``line``."""
    out: list[tuple[int, str]] = []
    for opening, closing in marks.pairs.items():
        open_at: int | None = None
        wrong_open = False  # the open mark was a closing one used wrongly: accept either to close
        for i, ch in enumerate(line):
            if ch == opening:
                if open_at is None:
                    open_at, wrong_open = i, False
                elif wrong_open:
                    open_at = None
                else:
                    out.append((i, f"{opening}{closing}不配对：前面的{opening}还没有闭合，这里应为{closing}？"
                                   "请核对后改正。"))
                    open_at = None
            elif ch == closing:
                if open_at is not None:
                    open_at = None
                else:
                    out.append((i, f"{opening}{closing}不配对：这个{closing}前面没有对应的{opening}，"
                                   f"应为{opening}？请核对后改正。"))
                    open_at, wrong_open = i, True
        if open_at is not None and not wrong_open:
            out.append((open_at, f"{opening}{closing}不配对：这个{opening}到段末也没有闭合，请补上{closing}。"))
    return sorted(out)


class _Spans:
    """Sorted, merged spans with a fast "is this offset inside one of them" test."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]


@rule(RULE_ID, Severity.WARNING, "标点：中文里的半角 , : ; ( ) ? ! 应为全角；引号、书名号不配对")
def check_punctuation(ctx: CheckContext) -> list[Finding]:
    marks = _marks()
    text = ctx.text
    # URLs keep their ASCII marks; residue is deleted whole, so its marks need no separate fix.
    skip = _Spans(url_spans(text) + [(r.start, r.end) for r in find_residue(text)])
    findings = []
    pos = 0
    for line in text.split("\n"):
        for i in half_width_marks(line, marks):
            at = pos + i
            if at in skip:
                continue
            full = marks.full[line[i]]
            findings.append(ctx.finding(RULE_ID, Severity.WARNING, at, at + 1,
                                        f"中文里用了半角标点“{line[i]}”：应为全角“{full}”。--fix 可自动改正。",
                                        full, safe_fix=True))
        for i, message in unpaired_marks(line, marks):
            at = pos + i
            if at not in skip:
                findings.append(ctx.finding(RULE_ID, Severity.WARNING, at, at + 1, message))
        pos += len(line) + 1
    return findings
