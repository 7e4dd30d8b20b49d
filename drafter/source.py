"""The text of one input document, with offset → line/column mapping."""

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SourceText:
    """Decoded document text ("\\r\\n" folded to "\\n"); offsets everywhere index ``text``."""

    path: str
    text: str
    encoding: str = "utf-8"
    _line_starts: list[int] = field(default_factory=list, repr=False)
    layout: Any = field(default=None, repr=False)  # drafter.report.Layout of a .docx: tables, headers …

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        self._line_starts = starts

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
