"""`drafter facts`: write a template, validate a facts file, extract facts from a report."""

import sys
from pathlib import Path

import click

from drafter.exceptions import UsageError


@click.group()
def facts() -> None:
    """事实文件：生成模板、校验、从旧总结中提取数字。

    事实文件记录本单位这一时期的实际情况（单位、时段、各项数字、大事记、亮点、问题、计划），
    总结里的每个数字都要能在其中找到依据。
    """


@facts.command("init")
@click.option("-o", "--output", metavar="FILE", help="写入这个文件（默认显示在屏幕上）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的文件")
def facts_init(output: str | None, force: bool) -> None:
    """生成带中文说明的事实文件模板（YAML）。"""
    from drafter.atomic import guard_output, write_atomic
    from drafter.facts.template import TEMPLATE

    if not output or output == "-":
        sys.stdout.write(TEMPLATE)
        return
    _check_suffix(output, allow_json=False)
    write_atomic(guard_output(output, (), force), TEMPLATE)
    click.echo(f"已生成模板 {output}。请按说明填写本单位的情况，然后运行 drafter facts validate {output}", err=True)


@facts.command("validate")
@click.argument("path", metavar="FILE")
def facts_validate(path: str) -> None:
    """检查事实文件的格式和内容；有问题时逐条指出行号和字段。"""
    from drafter.facts import load_facts

    f = load_facts(path)
    unit = f.unit.name if f.unit else "（未写单位）"
    period = f"{f.period.year or '（未写年份）'}年{f.period.span or ''}"
    click.echo(f"事实文件有效：{_safe(unit)}，{_safe(period)}；指标 {len(f.metrics)} 项，大事记 {len(f.events)} 项，"
               f"亮点 {len(f.highlights)} 条，问题 {len(f.problems)} 条，计划 {len(f.plans)} 条。")


@facts.command("extract")
@click.argument("report", metavar="REPORT")
@click.option("-o", "--output", metavar="FILE", help="写入这个文件（.yaml 或 .json；默认显示在屏幕上）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的文件")
def facts_extract(report: str, output: str | None, force: bool) -> None:
    """从一篇总结（.txt/.md/.docx）中提取每个数字及其说法，生成事实文件。

    去年的总结提取出来，改成今年的数字，就是今年的事实文件。
    """
    from drafter.atomic import guard_output, write_atomic
    from drafter.facts.extract import extract_facts
    from drafter.facts.save import dump_facts
    from drafter.readers import read_source

    if output == "-":
        output = None  # standard output, as without -o
    if output:
        guard_output(output, (report,), force)
        _check_suffix(output, allow_json=True)
    source = read_source(report)
    facts_ = extract_facts(source.clean)
    header = (f"由 drafter facts extract 从 {Path(report).name} 提取。请逐项核对：改成本单位本期的实际数字，\n"
              "删去不属于本单位的项目，补上缺少的项目。")
    fmt = "json" if output and output.lower().endswith(".json") else "yaml"
    text = dump_facts(facts_, fmt, header)
    if not output:
        sys.stdout.write(text)
        return
    write_atomic(output, text)
    click.echo(f"已写入 {output}：指标 {len(facts_.metrics)} 项，大事记 {len(facts_.events)} 项。"
               "请核对后用于 drafter check --facts。", err=True)


def _safe(text: str) -> str:
    from drafter.cli.console import safe_text

    return safe_text(text)


def _check_suffix(path: str, *, allow_json: bool) -> None:
    suffix = Path(path).suffix.lower()
    allowed = (".yaml", ".yml", ".json") if allow_json else (".yaml", ".yml")
    if suffix not in allowed:
        raise UsageError(f"输出文件 {path} 的扩展名应为 {' 或 '.join(allowed)}。")
