"""Remove document-site residue from a report's text before it is parsed, stored or rewritten.

A thin use of the ``residue`` rule: the same findings ``drafter check`` reports, with their safe
fixes (deletions) applied. The corpus ingester and the rewrite engine call ``clean_text``.
"""

from dataclasses import dataclass, field

from drafter.check import apply_safe_fixes
from drafter.findings import Finding
from drafter.rules import CheckContext
from drafter.rules.residue import check_residue
from drafter.source import SourceText


@dataclass
class CleanResult:
    text: str
    removed: list[Finding] = field(default_factory=list)  # offsets index the text before cleaning


def clean_text(text: str) -> CleanResult:
    """``text`` without its residue lines and markers; ``removed`` says what went where."""
    ctx = CheckContext(source=SourceText("<text>", text))
    cleaned, applied = apply_safe_fixes(text, check_residue(ctx))
    return CleanResult(cleaned, applied)
