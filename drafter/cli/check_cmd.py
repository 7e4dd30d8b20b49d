"""`drafter check`: lint one or more reports."""

import sys

import click

from drafter.atomic import guard_output
from drafter.check import CheckOptions, apply_safe_fixes, check_source, resolve_rule_ids
from drafter.exceptions import DrafterError, UsageError
from drafter.findings import has_errors
from drafter.readers import read_source
from drafter.unit import UnitInfo


def _split_ids(values: tuple[str, ...]) -> set[str]:
    return {part.strip() for value in values for part in value.replace("，", ",").split(",") if part.strip()}


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--facts", "facts_path", metavar="FILE", help="事实文件（YAML/TOML/JSON）：核对数字、本单位名称和年份")
@click.option("--unit", metavar="NAME", help="本单位名称，如 青石镇（未给事实文件时用于识别他乡地名）")
@click.option("--year", type=int, metavar="N", help="总结所属年份，如 2025（用于过时年份和提法检查）")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式")
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
    """检查总结中模板遗留的问题。

    退出码：0 没有错误级问题；1 发现错误级问题；2 用法错误或有文件无法读取。
    """
    from drafter.cli.render import findings_json, print_json, render_error, render_findings

    options = CheckOptions(select=_split_ids(select), ignore=_split_ids(ignore), year=year)
    resolve_rule_ids(options.select, options.ignore)  # unknown ids fail before any file is read
    if fix and not output:
        raise UsageError("--fix 需要用 -o 指定输出文件（drafter 从不直接修改输入文件）。")
    if fix and len(paths) != 1:
        raise UsageError("--fix 一次只能处理一个文件。")
    if annotate:
        from drafter.cli.review import check_annotate_args

        check_annotate_args(paths, output, fix)
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
        guard_output(output, paths, force)

    results, any_errors, unreadable = [], False, False
    for path in paths:
        try:
            source = read_source(path)
        except DrafterError as err:
            unreadable = True
            results.append(findings_json(path, [], str(err)))
            if fmt == "text":
                render_error(path, str(err))
            continue
        findings = check_source(source, options)
        any_errors = any_errors or has_errors(findings)
        results.append(findings_json(path, findings))
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
    if fmt == "json":
        print_json(results)
    if unreadable:
        return 2
    return 1 if any_errors else 0
