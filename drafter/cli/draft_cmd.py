"""`drafter draft`: a new report from the user's facts, or an interactive session without them."""

import click


@click.command()
@click.option("--facts", "facts_path", metavar="FILE", help="事实文件；不给则进入交互式问答")
@click.option("-o", "--output", required=True, metavar="OUT", help="输出文件：.docx（公文格式）、.md 或 .txt")
@click.option("--type", "report_type", default=None, metavar="TYPE",
              help="总结类型，如 意识形态工作总结、意识形态工作责任制落实情况报告、宣传思想文化工作总结")
@click.option("--engine", type=click.Choice(["llm", "offline"]), default=None,
              help="llm：大模型逐节生成并核验；offline：离线按范文和事实组稿（未配置大模型时的默认）")
@click.option("--resume", is_flag=True, help="继续上次中断的起草（已完成的节不再生成）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
def draft(facts_path: str | None, output: str, report_type: str | None, engine: str | None, resume: bool,
          force: bool) -> int:
    """根据事实文件起草一篇新总结；每个数字都来自事实文件，生成后逐节核验。"""
    if facts_path is None:
        from drafter.draft.interactive import run_interactive

        return run_interactive(output, facts_path=None, report_type=report_type, engine=engine, force=force,
                               resume=resume)
    from drafter.atomic import guard_output
    from drafter.cli.console import console, error_console
    from drafter.cli.render import render_draft_summary
    from drafter.draft.model import DEFAULT_TYPE, DraftOptions
    from drafter.draft.pipeline import draft_report, use_llm
    from drafter.draft.session import DraftSession, facts_fingerprint, session_path
    from drafter.facts import load_facts
    from drafter.writers import write_report

    guard_output(output, [facts_path], force or resume)
    facts = load_facts(facts_path)
    options = DraftOptions(report_type=report_type or DEFAULT_TYPE, engine=engine, resume=resume)
    llm = use_llm(engine)
    if not llm:
        error_console.print("未配置大模型（或指定了 --engine offline）：使用离线引擎，文字不会离开本机。")
    with open(facts_path, encoding="utf-8", errors="replace") as fh:
        fingerprint = facts_fingerprint(fh.read(), [options.report_type, "llm" if llm else "offline"])
    session = DraftSession(session_path(output), fingerprint, resume)
    if session.sections:
        error_console.print(f"继续上次的起草：已有 {len(session.sections)} 节完成。")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("[bold]起草中"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=error_console, transient=True) as progress:
        task = progress.add_task("", total=None)

        def on_section(section) -> None:
            progress.update(task, advance=1, description=section.heading[:20])

        result = draft_report(facts, options, session=session, on_section=on_section)
    write_report(result.text, output)
    from drafter.verify import verify_text

    render_draft_summary(result, verify_text(result.text, facts), facts)
    console.print(f"已写入 {output}。")
    if result.llm_unreachable:
        error_console.print("注意：所有大模型调用都失败了（超时或接口出错），全文由离线引擎写成。"
                            "请运行 drafter config test 检查大模型设置；模型较慢时可调大超时：drafter config set timeout 300。")
        return 1
    return 0
