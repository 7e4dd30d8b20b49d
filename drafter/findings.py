"""The one ``Finding`` type every rule reports, like a linter diagnostic."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    start: int
    end: int
    line: int
    column: int
    text: str
    message: str
    suggestion: str | None = None
    # A fix `--fix` may apply without asking (residue removal, punctuation width, known typos).
    safe_fix: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.start, f.end, f.rule))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
