"""The text of one input document, with offset → line/column mapping.

``text`` is the document as decoded ("\\r\\n" folded to "\\n"), invisible characters and all: findings point
into it, and ``check --fix`` edits it. ``clean`` is what the rules read: zero-width and format characters
(U+200B, U+FEFF, U+200E/F …) and control characters dropped, and a space inside a number ("1 42",
U+00A0 or U+3000 between digits) dropped too — text copied from WeChat and web pages carries them, and
they split numbers and names without showing. ``to_original`` maps a ``clean`` offset back to ``text``.
"""

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from drafter import regexes
from drafter.resources import cached_parse, load_lexicon

_DIGITS = frozenset("0123456789０１２３４５６７８９")


@dataclass(frozen=True)
class InvisibleRun:
    """A run of invisible characters in the original text and what the clean text has in its place."""

    start: int
    end: int
    replacement: str  # "" (dropped) or " " (a no-break space read as a space)
    in_number: bool  # digits on both sides: "1​42"


@cache
def _space_chars() -> frozenset[str]:
    return frozenset(load_lexicon("invisible")["spaces"])


# Where the Unicode database has Cc, Cf and Zs characters: below U+3100, U+FE00-FFFF, and the tag
# characters U+E0000-E007F (the BMP has no others; scanning only these keeps the first read fast).
_BLOCKS = (range(0x3100), range(0xFE00, 0x10000))
_TAGS = "\U000e0000-\U000e007f"


@cache
def _suspect_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Everything ``clean`` may change: Cc (but tab and newline), Cf, Zs (but the ordinary space), as
    character ranges from the Unicode database. Two patterns: a class with the astral tag characters is
    ten times slower to scan, and only a text that has astral characters needs it."""
    spaces = "".join(sorted(_space_chars()))
    bmp = cached_parse("invisible-class", [unicodedata.unidata_version.encode(), spaces.encode()], _suspect_class)
    return regexes.compile(f"[{bmp}]+"), regexes.compile(f"[{bmp}{_TAGS}]+")


def _suspect_class() -> str:
    """The BMP part of the class, built from the Unicode database (a 6 ms scan: cached across processes)."""
    codes = sorted({c for block in _BLOCKS for c in block
                    if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zs") and chr(c) not in "\t\n "}
                   | {ord(ch) for ch in _space_chars()})
    spans: list[list[int]] = []
    for c in codes:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans)


_TAG = regexes.compile(f"[{_TAGS}]")


def _suspect_pattern(text: str) -> re.Pattern[str]:
    bmp, full = _suspect_patterns()
    return full if _TAG.search(text) else bmp


def invisible_runs(text: str) -> list[InvisibleRun]:
    """Every run of invisible characters in ``text`` that ``clean`` changes, in order."""
    runs: list[InvisibleRun] = []
    spaces = _space_chars()
    for m in _suspect_pattern(text).finditer(text):
        s, e = m.start(), m.end()
        run = m.group()
        in_number = s > 0 and e < len(text) and text[s - 1] in _DIGITS and text[e] in _DIGITS
        if in_number:
            runs.append(InvisibleRun(s, e, "", True))
            continue
        # outside a number: format/control characters go, spaces stay one space (U+3000 stays itself)
        pieces = [(i, ch) for i, ch in enumerate(run, s)]
        for i, ch in pieces:
            if ch == "\u3000":
                continue
            if ch in spaces or unicodedata.category(ch) == "Zs":
                runs.append(InvisibleRun(i, i + 1, " ", False))
            else:
                if runs and runs[-1].end == i and runs[-1].replacement == "" and not runs[-1].in_number:
                    runs[-1] = InvisibleRun(runs[-1].start, i + 1, "", False)
                else:
                    runs.append(InvisibleRun(i, i + 1, "", False))
    return runs


@dataclass
class SourceText:
    """Decoded document text ("\\r\\n" folded to "\\n"); finding offsets index ``text``."""

    path: str
    text: str
    encoding: str = "utf-8"
    _line_starts: list[int] = field(default_factory=list, repr=False)
    layout: Any = field(default=None, repr=False)  # drafter.report.Layout of a .docx: tables, headers …

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        self._line_starts = starts

    @cached_property
    def _cleaned(self) -> tuple[str, list[int]]:
        """(clean text, sorted clean offsets before which one original character was dropped)."""
        runs = invisible_runs(self.text)
        if not runs:
            return self.text, []
        pieces: list[str] = []
        dropped: list[int] = []
        pos = 0
        clean_len = 0
        for run in runs:
            pieces.append(self.text[pos : run.start])
            clean_len += run.start - pos
            if run.replacement:
                pieces.append(run.replacement)  # one for one: no shift
                clean_len += 1
            else:
                dropped.extend([clean_len] * (run.end - run.start))
            pos = run.end
        pieces.append(self.text[pos:])
        return "".join(pieces), dropped

    @property
    def clean(self) -> str:
        """The text the rules read (see the module docstring)."""
        return self._cleaned[0]

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """The ``text`` offset of a ``clean`` offset; an ``end`` offset excludes characters dropped after it."""
        dropped = self._cleaned[1]
        if not dropped:
            return offset
        if end and offset > 0:
            return offset + bisect_right(dropped, offset - 1)
        return offset + bisect_right(dropped, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    def line_span(self, line: int) -> tuple[int, int]:
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return start, end if end >= 0 else len(self.text)

    @property
    def line_count(self) -> int:
        return len(self._line_starts)
