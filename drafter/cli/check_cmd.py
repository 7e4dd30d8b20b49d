"""`drafter check`: lint one report, several, a folder of them or a glob, in one process.

Output is grouped per file; with more than one file a summary table follows (text) and a progress bar
shows on a terminal's stderr. ``--format json`` prints one list at the end, ``jsonl`` one object per file
as soon as it is checked (for tools reading a county's reports as they go).
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from drafter.atomic import guard_output
from drafter.check import CheckOptions, apply_safe_fixes, check_source, resolve_rule_ids
from drafter.exceptions import DrafterError, InputError, UsageError
from drafter.findings import Finding, Severity
from drafter.readers import read_source
from drafter.unit import UnitInfo

# Exit codes, worst wins across files: an unreadable file is worse than a finding, since it went unchecked.
EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _split_ids(values: tuple[str, ...]) -> set[str]:
    return {part.strip() for value in values for part in value.replace("，", ",").split(",") if part.strip()}


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--facts", "facts_path", metavar="FILE", help="事实文件（YAML/TOML/JSON）：核对数字、本单位名称和年份")
@click.option("--unit", metavar="NAME", help="本单位名称，如 青石镇（未给事实文件时用于识别他乡地名）")
@click.option("--year", type=int, metavar="N", help="总结所属年份，如 2025（用于过时年份和提法检查）")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
              help="输出格式：text 供阅读；json 一个列表；jsonl 每个文件一行")
@click.option("--select", multiple=True, metavar="RULES", help="只运行这些规则（逗号分隔）")
@click.option("--ignore", multiple=True, metavar="RULES", help="不运行这些规则（逗号分隔）")
@click.option("--fix", is_flag=True, help="把安全的修改（删除网站残留、标点全角、已知错别字）写入 -o 指定的新文件")
@click.option("--annotate", is_flag=True, help="把每个问题作为 Word 批注写入 -o 指定的 .docx 副本（原文格式不变）")
@click.option("-o", "--output", metavar="OUT", help="--fix / --annotate 的输出文件；从不修改输入文件。"
              ".docx 输入用 --fix 时写成修订（可在 Word 中逐条接受或拒绝）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
def check(paths: tuple[str, ...], facts_path: str | None, unit: str | None, year: int | None, fmt: str,
          select: tuple[str, ...], ignore: tuple[str, ...], fix: bool, annotate: bool, output: str | None,
          force: bool) -> int:
    """检查总结中模板遗留的问题。PATHS 可以是文件、文件夹（检查其中所有 .txt/.md/.docx）或通配符（如 "*.docx"）。

    退出码：0 没有错误级问题；1 发现错误级问题；2 用法错误或有文件无法读取。
    """
    from drafter.cli.inputs import expand_inputs
    from drafter.cli.render import findings_json, print_json, render_error, render_findings

    options = CheckOptions(select=_split_ids(select), ignore=_split_ids(ignore), year=year)
    resolve_rule_ids(options.select, options.ignore)  # unknown ids fail before any file is read
    if fix and not output:
        raise UsageError("--fix 需要用 -o 指定输出文件（drafter 从不直接修改输入文件）。")
    inputs = expand_inputs(paths)
    if fix and len(inputs) != 1:
        raise UsageError("--fix 一次只能处理一个文件。")
    if annotate:
        from drafter.cli.review import check_annotate_args

        check_annotate_args([i.path for i in inputs], output, fix)
    if output and not fix and not annotate:
        raise UsageError("-o 只和 --fix 或 --annotate 一起使用。")
    if facts_path:
        from drafter.facts import load_facts

        options.facts = load_facts(facts_path)
        options.unit = options.facts.unit_info()
        options.year = options.year or options.facts.period.year
        options.span = options.facts.period.span
    if unit:
        options.unit = UnitInfo.from_name(unit) if options.unit is None else options.unit
    if fix or annotate:
        guard_output(output, [i.path for i in inputs], force)

    results: list[dict[str, Any]] = []
    summary = _Summary()
    with _progress(len(inputs), fmt) as advance:
        for item in inputs:
            path = item.path
            try:
                if item.error is not None:
                    raise InputError(item.error)
                source = read_source(path)
            except DrafterError as err:
                summary.unreadable.append(path)
                _emit(fmt, results, findings_json(path, [], str(err)))
                if fmt == "text":
                    render_error(path, str(err))
                advance(path)
                continue
            findings = check_source(source, options)
            summary.add(path, findings)
            _emit(fmt, results, findings_json(path, findings))
            if fmt == "text":
                render_findings(source, findings)
            if source.layout is not None and source.layout.notices and fmt == "text":
                for notice in source.layout.notices:
                    print(f"提示：{notice}", file=sys.stderr)
            if annotate:
                from drafter.cli.review import write_annotated

                write_annotated(path, findings, output)
            if fix:
                from drafter.cli.review import write_fixed

                write_fixed(path, source, findings, output, apply_safe_fixes)
            advance(path)
    if fmt == "json":
        print_json(results)
    elif fmt == "text" and len(inputs) > 1:
        from drafter.cli.render import render_check_summary

        render_check_summary(summary.files, summary.rules, summary.unreadable)
    return summary.exit_code()


def _emit(fmt: str, results: list[dict[str, Any]], entry: dict[str, Any]) -> None:
    """json collects for one list at the end; jsonl writes each file's line at once."""
    if fmt == "json":
        results.append(entry)
    elif fmt == "jsonl":
        import json

        sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")


class _Summary:
    """Counts for the summary table and the exit code."""

    def __init__(self) -> None:
        self.files: dict[str, dict[Severity, int]] = {}  # path → findings per severity
        self.rules: dict[str, dict[Severity, int]] = {}  # rule → findings per severity
        self.unreadable: list[str] = []

    def add(self, path: str, findings: list[Finding]) -> None:
        per_file = self.files.setdefault(path, dict.fromkeys(Severity, 0))
        for f in findings:
            per_file[f.severity] += 1
            self.rules.setdefault(f.rule, dict.fromkeys(Severity, 0))[f.severity] += 1

    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_ERRORS if any(c[Severity.ERROR] for c in self.files.values()) else EXIT_CLEAN


@contextmanager
def _progress(total: int, fmt: str) -> Iterator[Any]:
    """A rich progress bar on stderr for several files when stderr is a terminal; else a no-op."""
    from drafter.cli.render import styled

    if total < 2 or not styled(sys.stderr):
        yield lambda path: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from drafter.cli.console import error_console

    columns = (TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
               TextColumn("{task.fields[name]}", style="dim"))
    # Text findings go to stdout while the bar lives on stderr: rich redirects stdout above the bar.
    with Progress(*columns, console=error_console, transient=True, redirect_stdout=fmt == "text") as bar:
        task = bar.add_task("check", total=total, name="")

        def advance(path: str) -> None:
            bar.update(task, advance=1, name=path[-40:])

        yield advance
