"""`drafter rewrite`: a template-copied report becomes the user's own."""

import json
from pathlib import Path

import click

from drafter.atomic import guard_output, write_atomic
from drafter.exceptions import UsageError


@click.command()
@click.argument("template")
@click.option("--facts", "facts_path", required=True, metavar="FILE", help="本单位的事实文件（YAML/TOML/JSON）")
@click.option("-o", "--output", required=True, metavar="OUT", help="输出文件：.docx（公文格式）、.md 或 .txt")
@click.option("--engine", type=click.Choice(["offline", "llm"]), default=None,
              help="offline：离线按规则改写（默认，未配置大模型时）；llm：大模型逐段改写，每段核验")
@click.option("--changes", "changes_path", metavar="FILE", help="把每一处修改（位置、原文、新文、原因、所用事实）写入 JSON 文件")
@click.option("--drop", is_flag=True, help="没有事实依据的分句直接删去（默认改为【待补充：…】标记）")
@click.option("--track-changes", is_flag=True,
              help="范文是 .docx 时：把改写写成对范文的修订（每处修改一条修订，原因写在批注里），在 Word 中逐条接受或拒绝")
@click.option("--plain-fonts", is_flag=True, help="输出 .docx 时使用 仿宋/楷体（不带 _GB2312），适合没有安装公文字体的电脑")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--quiet", "-q", is_flag=True, help="不显示修改明细")
@click.option("--allow-insecure", is_flag=True, help="允许经未加密的 http:// 把密钥发送到本机以外的大模型接口")
def rewrite(template: str, facts_path: str, output: str, engine: str | None, changes_path: str | None,
            drop: bool, track_changes: bool, plain_fonts: bool, force: bool, quiet: bool,
            allow_insecure: bool) -> int:
    """把从网上或去年复制来的范文改写成本单位的总结。

    单位名称、年份、数字按事实文件替换；没有事实依据的数字不会保留，而是标为【待补充：…】。
    输入文件不会被修改。
    """
    if allow_insecure:
        from drafter.llm.config import allow_insecure_for_this_run

        allow_insecure_for_this_run()
    from drafter.cli.console import console, error_console
    from drafter.cli.render import render_changes, render_verification
    from drafter.facts import load_facts
    from drafter.readers import read_source
    from drafter.rewrite.run import rewrite_report
    from drafter.verify import verify_text
    from drafter.writers import write_report

    if track_changes and not (template.lower().endswith(".docx") and output.lower().endswith(".docx")):
        raise UsageError("--track-changes 需要 .docx 范文和 .docx 输出，例如：drafter rewrite 范文.docx --facts 事实.yaml "
                         "-o 我的.docx --track-changes")
    inputs = [template, facts_path]
    guard_output(output, inputs, force)
    if changes_path:
        guard_output(changes_path, [*inputs, output], force)
        if Path(changes_path).resolve() == Path(output).resolve():
            raise UsageError("--changes 与 -o 不能是同一个文件。")
    source = read_source(template)
    for notice in source.layout.notices if source.layout is not None else []:
        error_console.print(f"提示：{notice}")
    facts = load_facts(facts_path)
    if facts.unit is None:
        raise UsageError(f"事实文件 {facts_path} 没有写本单位（unit: {{name: …}}），无法替换范文里的单位名称。")
    result = rewrite_report(source.clean, facts, engine=engine, drop=drop, progress=error_console)
    if track_changes:
        from drafter.cli.render import REASON_LABEL
        from drafter.cli.review import write_tracked_rewrite

        placed = write_tracked_rewrite(template, result, output, REASON_LABEL)
        console.print(f"修订：{placed} 处，每处的原因写在批注里。请在 Word/WPS 的“审阅”中逐条接受或拒绝。")
    else:
        from drafter.docx_writer import DocxStyle
        from drafter.parse import parse_report

        report = result.text
        if source.layout is not None:  # tables, headers and footers carried over from the .docx
            from drafter.layout_map import remap_layout

            report = parse_report(result.text, remap_layout(source.layout, source.text, result.text))
        write_report(report, output, DocxStyle.plain() if plain_fonts else None)
    if changes_path:
        write_atomic(changes_path, json.dumps([e.to_dict() for e in result.edits], ensure_ascii=False, indent=2))
    import contextlib
    import sys

    # with -o - the report is standard output: the change list and summary go to stderr
    with contextlib.redirect_stdout(sys.stderr) if output == "-" else contextlib.nullcontext():
        if not quiet:
            render_changes(result.edits)
        findings = verify_text(result.text, facts)
        render_verification(result, findings, facts)
        console.print(f"已写入 {output}" + (f"，修改明细见 {changes_path}" if changes_path else "") + "。",
                      markup=False)
    return 0
