"""What a rule sees: the document, its parsed report, and what the user told us (unit, year, facts)."""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from drafter.findings import Finding, Severity
from drafter.source import SourceText
from drafter.unit import UnitInfo

if TYPE_CHECKING:
    from drafter.report import Report


@dataclass
class CheckContext:
    source: SourceText
    unit: UnitInfo | None = None
    year: int | None = None  # the report's year: --year, else facts.period.year
    span: str | None = None  # 全年 / 上半年 / 第三季度 …, from the facts
    facts: Any = None  # drafter.facts.Facts when --facts is given

    @property
    def text(self) -> str:
        """The clean text (invisible characters dropped, ``SourceText.clean``): rules read this, and
        ``finding`` maps their offsets back to the original."""
        return self.source.clean

    @cached_property
    def report(self) -> "Report":
        from drafter.parse import parse_report

        layout = self.source.layout  # a .docx's tables and headers, by offsets into ``text``
        if layout is not None and self.source.clean != self.source.text:
            from drafter.layout_map import remap_layout

            layout = remap_layout(layout, self.source.text, self.source.clean)
        return parse_report(self.source.clean, layout)

    def finding(
        self,
        rule: str,
        severity: Severity,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        *,
        safe_fix: bool = False,
    ) -> Finding:
        if start == end:
            start = end = self.source.to_original(start)
        else:
            start, end = self.source.to_original(start), self.source.to_original(end, end=True)
        line, column = self.source.line_col(start)
        return Finding(rule, severity, start, end, line, column, self.source.text[start:end], message,
                       suggestion, safe_fix)
