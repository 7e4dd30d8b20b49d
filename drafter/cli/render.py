"""Renderers every command uses, so output looks the same everywhere and switches to JSON in one place.

Findings are the one output that can be huge (a county's reports: 20,000 lines a MB of input), so they are
built as plain (text, style) segments and written in one batch per file: straight to the stream when it is
not a terminal (a pipe or a file gets no styles from rich either), through rich only for a terminal —
one ``console.print`` per line cost ~0.2 ms, two thirds of a large check. rich is imported only then.
"""

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from typing import IO, Any

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.source import SourceText

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
CONTEXT_CHARS = 30  # characters of the line shown either side of a finding
BATCH_LINES = 2000  # lines handed to rich at once on a terminal: one Text per batch, not per line

Segment = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Segment]


# Every character the console's sanitiser may change (control characters, C1 and escape sequences, the
# bidirectional overrides, lone surrogates): text without any is returned as is, and rich — which the
# sanitiser's module imports, ~0.035 s of CPU — is loaded only for text that needs it.
_UNSAFE = regexes.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _safe(text: object) -> str:
    """Input text made safe for a terminal (no escape sequences or control characters), no markup
    escaping: segments are never parsed as markup."""
    value = str(text)
    if _UNSAFE.search(value) is None:
        return value
    from drafter.cli.console import safe_text

    return safe_text(value)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def findings_json(path: str, findings: list[Finding], error: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path, "findings": [f.to_dict() for f in findings]}
    if error is not None:
        entry["error"] = error
    return entry


def render_findings(source: SourceText, findings: list[Finding], stream: IO[str] | None = None) -> None:
    """A file's findings grouped by line, each span highlighted in its line, the suggestion shown."""
    write_lines(finding_lines(source, findings), stream)


def finding_lines(source: SourceText, findings: list[Finding]) -> list[Line]:
    lines: list[Line] = [[(_safe(source.path), "bold underline")]]
    if not findings:
        lines.append([("  未发现问题。", "green")])
        return lines
    # every finding of a line goes into its excerpt; grouped once up front, since collecting them
    # anew for each line made a long document's output quadratic
    by_line: dict[int, list[Finding]] = {}
    for f in findings:
        by_line.setdefault(f.line, []).append(f)
    current_line = 0
    for f in findings:
        if f.line != current_line:
            current_line = f.line
            lines.append(_line_excerpt(source, f.line, by_line[f.line]))
        head: Line = [("    ", ""), (f"{f.line}:{f.column}", "dim"), (" ", ""),
                      (SEVERITY_LABEL[f.severity], SEVERITY_STYLE[f.severity]), (f" [{f.rule}] ", "dim"),
                      (_safe(f.message), "")]
        if f.suggestion is not None:
            head.append(("  → 建议：", "green"))
            head.append((_safe(f.suggestion) if f.suggestion else "（删除）", "bold green"))
        lines.append(head)
    counts = Counter(f.severity for f in findings)
    summary = "，".join(f"{SEVERITY_LABEL[s]} {counts[s]}" for s in Severity if counts[s])
    lines.append([(f"  共 {len(findings)} 处：{summary}", "bold")])
    return lines


def _line_excerpt(source: SourceText, line: int, on_line: list[Finding]) -> Line:
    line_start, line_end = source.line_span(line)
    lo = max(line_start, min(f.start for f in on_line) - CONTEXT_CHARS)
    hi = min(line_end, max(f.end for f in on_line) + CONTEXT_CHARS)
    out: Line = [(f"  {line:>4} │ ", "dim")]
    if lo > line_start:
        out.append(("…", "dim"))
    pos = lo
    for f in sorted(on_line, key=lambda g: g.start):
        s, e = max(f.start, pos), min(max(f.end, f.start + 1), hi)
        if s > pos:
            out.append((_safe(source.text[pos:s]), ""))
        if e > s:
            out.append((_safe(source.text[s:e]), f"reverse {SEVERITY_STYLE[f.severity]}"))
        pos = max(pos, e)
    out.append((_safe(source.text[pos:hi]), ""))
    if hi < line_end:
        out.append(("…", "dim"))
    return out


def styled(stream: IO[str]) -> bool:
    """Whether rich would style output to ``stream``: a terminal, or FORCE_COLOR set."""
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def write_lines(lines: Iterable[Line], stream: IO[str] | None = None) -> None:
    """Segments to ``stream`` (stdout by default): one write for a pipe or file, rich in batches for a
    terminal."""
    out = stream if stream is not None else sys.stdout
    lines = list(lines)
    if not styled(out):
        out.write("".join("".join(text for text, _ in line) + "\n" for line in lines))
        return
    from rich.text import Text

    from drafter.cli.console import console, error_console

    target = error_console if out is sys.stderr else console
    for i in range(0, len(lines), BATCH_LINES):
        batch = lines[i : i + BATCH_LINES]
        target.print(Text("\n").join(Text.assemble(*line) for line in batch))


def render_error(path: str, message: str) -> None:
    write_lines([[(_safe(path), "bold underline")], [(_safe(f"  无法检查：{message}"), "bold red")]], sys.stderr)


SUMMARY_ROWS = 20  # files listed in the summary table, most errors first; the rest are counted


def render_check_summary(files: dict[str, dict[Severity, int]], rules: dict[str, dict[Severity, int]],
                         unreadable: list[str]) -> None:
    """After several files: the files with the most problems, the findings per rule, and the totals."""
    from rich.table import Table

    from drafter.cli.console import console

    def cells(counts: dict[Severity, int]) -> list[str]:
        return [str(counts[s]) for s in Severity]

    worst = sorted(((p, c) for p, c in files.items() if any(c.values())),
                   key=lambda pc: tuple(-pc[1][s] for s in Severity))
    table = Table(title="各文件问题（错误最多的在前）", title_justify="left")
    table.add_column("文件")
    for s in Severity:
        table.add_column(SEVERITY_LABEL[s], justify="right")
    for path, counts in worst[:SUMMARY_ROWS]:
        table.add_row(_safe(path), *cells(counts))
    if len(worst) > SUMMARY_ROWS:
        table.add_row(f"……另有 {len(worst) - SUMMARY_ROWS} 个文件有问题", *[""] * len(Severity))
    by_rule = Table(title="各规则问题", title_justify="left")
    by_rule.add_column("规则")
    for s in Severity:
        by_rule.add_column(SEVERITY_LABEL[s], justify="right")
    for rule, counts in sorted(rules.items(), key=lambda rc: -sum(rc[1].values())):
        by_rule.add_row(rule, *cells(counts))
    if worst:
        console.print(table)
    if rules:
        console.print(by_rule)
    with_errors = sum(1 for c in files.values() if c[Severity.ERROR])
    line = f"共 {len(files) + len(unreadable)} 个文件：{with_errors} 个有错误级问题，{len(files) - len(worst)} 个未发现问题"
    if unreadable:
        line += f"，{len(unreadable)} 个无法读取（见上方说明）"
    console.print(line + "。")


REASON_LABEL = {
    "residue": "删除网站残留", "unit-name": "单位名称", "unit-kind": "单位类别", "typo": "错别字",
    "stale-term": "更新提法", "slot": "填写空位", "gap": "删字空位", "span": "时段", "number": "数字",
    "year": "年份", "todo-clause": "待补充", "todo-figure": "待补充", "drop-clause": "删去", "verify-name": "待核实",
    "missing-fact": "补充事实", "llm": "大模型改写", "llm-fallback": "改用离线结果",
    "entity": "换成本地名称", "heading-number": "标题编号", "date": "落款日期", "marker-tidy": "整理标记",
    "tidy": "整理标点",
}


def render_changes(edits: list, limit: int = 60) -> None:
    """Each edit as old → new with its reason; long runs are cut with a count of the rest."""
    from rich.text import Text

    from drafter.cli.console import console

    if not edits:
        console.print("没有需要修改的地方。")
        return
    counts = Counter(e.reason for e in edits)
    console.print(Text("修改明细：", style="bold"))
    for e in edits[:limit]:
        line = Text("  ")
        line.append(f"[{REASON_LABEL.get(e.reason, e.reason)}] ", style="dim")
        if e.old:
            line.append(_short(e.old), style="red strike")
            line.append(" → ")
        line.append(_short(e.new) if e.new else "（删除）", style="green")
        if e.fact:
            line.append(f"  依据：{_short(e.fact)}", style="cyan")
        console.print(line)
    if len(edits) > limit:
        console.print(f"  ……另有 {len(edits) - limit} 处修改，完整列表请用 --changes 输出。")
    console.print("  " + "，".join(f"{REASON_LABEL.get(r, r)} {n} 处" for r, n in counts.most_common()))


def _short(text: str, width: int = 40) -> str:
    text = _safe(text.replace("\n", "⏎"))
    return text if len(text) <= width else text[: width - 1] + "…"


def render_verification(result, findings: list[Finding], facts) -> None:
    """Summary after rewrite/draft: facts used and added, markers left, and the output's own check."""
    from rich.text import Text

    from drafter.cli.console import console
    errors = [f for f in findings if f.severity is Severity.ERROR]
    todos = [f for f in findings if f.rule == "todo"]
    used = len(result.used_facts)
    added = len(result.added_facts)
    console.print(Text("核验：", style="bold"), end="")
    console.print(f"事实 {len(facts.metrics)} 项，范文中对上 {used} 项，补写 {added} 项；"
                  f"待补充/待核实标记 {len(todos)} 处。")
    if getattr(result, "fallbacks", None):
        reasons = Counter(fb.get("label", "大模型未通过核验") for fb in result.fallbacks)
        console.print(f"  改用离线结果的段落：{len(result.fallbacks)} 段（"
                      + "，".join(f"{why} {n} 段" for why, n in reasons.items()) + "）。")
    print_verdict(errors, "  ", "输出已通过核验：没有无依据的数字、占位符或他乡地名。")


ENGINE_LABEL = {"llm": "大模型", "llm-repaired": "大模型（修复后通过）", "offline": "离线",
                "offline-fallback": "离线（大模型未通过核验）"}


def engine_label(section) -> str:
    """The engine, and for a fallback the true reason (a timeout is not a failed verification)."""
    reason = getattr(section, "fallback_reason", "")
    if section.engine == "offline-fallback" and reason:
        from drafter.generate import FAILURE_LABEL, Failure

        return f"离线（{FAILURE_LABEL.get(Failure(reason), reason)}）"
    return ENGINE_LABEL.get(section.engine, section.engine)


def render_draft_summary(result, findings: list[Finding], facts) -> None:
    """After a draft: each section's engine, repairs and fallbacks; facts used; calls and tokens."""
    from rich.table import Table

    from drafter.cli.console import console, plain

    table = Table(title="起草与核验", show_lines=False)
    table.add_column("节")
    table.add_column("标题")
    table.add_column("生成方式")
    table.add_column("修复", justify="right")
    for n, s in enumerate(result.sections, 1):
        table.add_row(str(n), plain(_short(s.heading, 24)), engine_label(s), str(s.repairs))
    console.print(table)
    repaired = [s for s in result.sections if s.engine == "llm-repaired"]
    fallback = [s for s in result.sections if s.engine == "offline-fallback"]
    console.print(f"事实 {len(facts.metrics)} 项：写入 {len(result.used_facts)} 项"
                  + (f"，未写入：{plain('、'.join(result.unused_facts))}" if result.unused_facts else "") + "。")
    if repaired or fallback:
        console.print(f"修复后通过 {len(repaired)} 节；改用离线结果 {len(fallback)} 节"
                      + "".join(f"\n  {plain(s.heading)}：{plain('；'.join(s.findings[:2]))}" for s in fallback))
    noted = [s for s in result.sections if s.engine in ("llm-repaired", "offline-fallback") and s.findings]
    if noted:
        console.print("各节被退回的原因（结构与数字核验）："
                      + "".join(f"\n  {plain(s.heading[:12])}：" + "；".join(plain_note(x) for x in s.findings[:3])
                                for s in noted))
    for notice in result.notices:
        console.print(notice)
    if result.calls:
        console.print(f"大模型调用 {result.calls} 次，提示 {result.prompt_tokens} 词元，生成 {result.completion_tokens} 词元。")
    print_verdict([f for f in findings if f.severity is Severity.ERROR])


def plain_note(note: str) -> str:
    """A finding line from the model's answer, safe to print (its text is the model's, not ours)."""
    from drafter.cli.console import plain

    return plain(note[:80])


CLEAN = "核验通过：没有无依据的数字、占位符或他乡地名。"


def print_verdict(errors: list[Finding], indent: str = "", clean: str = CLEAN) -> None:
    """The output's own check after rewrite or draft: the first errors, or that it verified clean."""
    from rich.text import Text

    from drafter.cli.console import console, plain
    if errors:
        console.print(Text(f"{indent}仍有 {len(errors)} 处错误级问题，请用 drafter check 查看：", style="bold red"))
        for f in errors[:10]:
            console.print(f"{indent}  {f.line}:{f.column} \\[{f.rule}] {plain(f.message)}")
    else:
        console.print(Text(f"{indent}{clean}", style="green"))
