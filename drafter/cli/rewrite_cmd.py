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
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--quiet", "-q", is_flag=True, help="不显示修改明细")
@click.option("--allow-insecure", is_flag=True, help="允许经未加密的 http:// 把密钥发送到本机以外的大模型接口")
def rewrite(template: str, facts_path: str, output: str, engine: str | None, changes_path: str | None,
            drop: bool, force: bool, quiet: bool, allow_insecure: bool) -> int:
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

    inputs = [template, facts_path]
    guard_output(output, inputs, force)
    if changes_path:
        guard_output(changes_path, [*inputs, output], force)
        if Path(changes_path).resolve() == Path(output).resolve():
            raise UsageError("--changes 与 -o 不能是同一个文件。")
    source = read_source(template)
    facts = load_facts(facts_path)
    if facts.unit is None:
        raise UsageError(f"事实文件 {facts_path} 没有写本单位（unit: {{name: …}}），无法替换范文里的单位名称。")
    result = rewrite_report(source.clean, facts, engine=engine, drop=drop, progress=error_console)
    write_report(result.text, output)
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
