"""Renderers every command uses, so output looks the same everywhere and switches to JSON in one place."""

import json
import sys
from collections import Counter
from typing import Any

from rich.text import Text

from drafter.cli.console import console
from drafter.findings import Finding, Severity
from drafter.source import SourceText

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
CONTEXT_CHARS = 30  # characters of the line shown either side of a finding


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def findings_json(path: str, findings: list[Finding], error: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path, "findings": [f.to_dict() for f in findings]}
    if error is not None:
        entry["error"] = error
    return entry


def render_findings(source: SourceText, findings: list[Finding]) -> None:
    """A file's findings grouped by line, each span highlighted in its line, the suggestion shown."""
    console.print(Text(source.path, style="bold underline"))
    if not findings:
        console.print(Text("  未发现问题。", style="green"))
        return
    current_line = 0
    for f in findings:
        if f.line != current_line:
            current_line = f.line
            console.print(_line_excerpt(source, f.line, [g for g in findings if g.line == f.line]))
        head = Text("    ")
        head.append(f"{f.line}:{f.column}", style="dim")
        head.append(" ")
        head.append(SEVERITY_LABEL[f.severity], style=SEVERITY_STYLE[f.severity])
        head.append(f" [{f.rule}] ", style="dim")
        head.append(f.message)
        if f.suggestion is not None:
            head.append("  → 建议：", style="green")
            head.append(f.suggestion if f.suggestion else "（删除）", style="bold green")
        console.print(head)
    counts = Counter(f.severity for f in findings)
    summary = "，".join(f"{SEVERITY_LABEL[s]} {counts[s]}" for s in Severity if counts[s])
    console.print(Text(f"  共 {len(findings)} 处：{summary}", style="bold"))


def _line_excerpt(source: SourceText, line: int, on_line: list[Finding]) -> Text:
    line_start, line_end = source.line_span(line)
    lo = max(line_start, min(f.start for f in on_line) - CONTEXT_CHARS)
    hi = min(line_end, max(f.end for f in on_line) + CONTEXT_CHARS)
    out = Text(f"  {line:>4} │ ", style="dim")
    if lo > line_start:
        out.append("…", style="dim")
    pos = lo
    for f in sorted(on_line, key=lambda g: g.start):
        s, e = max(f.start, pos), min(max(f.end, f.start + 1), hi)
        if s > pos:
            out.append(source.text[pos:s])
        if e > s:
            out.append(source.text[s:e], style=f"reverse {SEVERITY_STYLE[f.severity]}")
        pos = max(pos, e)
    out.append(source.text[pos:hi])
    if hi < line_end:
        out.append("…", style="dim")
    return out


def render_error(path: str, message: str) -> None:
    from drafter.cli.console import error_console

    error_console.print(Text(path, style="bold underline"))
    error_console.print(Text(f"  无法检查：{message}", style="bold red"))
