"""`drafter draft`: a new report from the user's facts, or an interactive session without them."""

import click

from drafter.exceptions import DrafterError, UsageError


class DraftInterrupted(DrafterError):
    """Ctrl-C during drafting: the message says what was kept and how to go on."""

    exit_code = 130


def draft_types() -> list[str]:
    """The report types drafting knows an outline for (``其他总结`` is the corpus's catch-all, not a type)."""
    from drafter.corpus.report_type import report_type_names

    return [name for name in report_type_names() if name != "其他总结"]


def _check_type(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    name = value.strip()
    known = draft_types()
    if name not in known:
        from drafter.cli.console import safe_text

        raise UsageError(f"不认识的总结类型“{safe_text(name)[:40]}”。可用的类型：{'、'.join(known)}。")
    return name


@click.command()
@click.option("--facts", "facts_path", metavar="FILE", help="事实文件；不给则进入交互式问答")
@click.option("-o", "--output", required=True, metavar="OUT", help="输出文件：.docx（公文格式）、.md 或 .txt")
@click.option("--type", "report_type", default=None, metavar="TYPE", callback=_check_type,
              help="总结类型，如 意识形态工作总结、意识形态工作责任制落实情况报告、宣传思想文化工作总结")
@click.option("--engine", type=click.Choice(["llm", "offline"]), default=None,
              help="llm：大模型逐节生成并核验；offline：离线按范文和事实组稿（未配置大模型时的默认）")
@click.option("--resume", is_flag=True, help="继续上次中断的起草（已完成的节不再生成）")
@click.option("--plain-fonts", is_flag=True, help="输出 .docx 时使用 仿宋/楷体（不带 _GB2312），适合没有安装公文字体的电脑")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--allow-insecure", is_flag=True, help="允许经未加密的 http:// 把密钥发送到本机以外的大模型接口")
def draft(facts_path: str | None, output: str, report_type: str | None, engine: str | None, resume: bool,
          plain_fonts: bool, force: bool, allow_insecure: bool) -> int:
    """根据事实文件起草一篇新总结；每个数字都来自事实文件，生成后逐节核验。"""
    if allow_insecure:
        from drafter.llm.config import allow_insecure_for_this_run

        allow_insecure_for_this_run()
    if facts_path is None:
        from drafter.draft.interactive import run_interactive

        if plain_fonts:
            from drafter.exceptions import UsageError

            raise UsageError("--plain-fonts 需要和 --facts 一起用。交互式起草完成后，可以用 "
                             "drafter export 总结.docx -o 总结-仿宋.docx --plain-fonts 换成普通字体。")

        return run_interactive(output, facts_path=None, report_type=report_type, engine=engine, force=force,
                               resume=resume)
    from drafter.atomic import guard_output
    from drafter.cli.console import console, error_console
    from drafter.draft.model import DEFAULT_TYPE, DraftOptions
    from drafter.draft.pipeline import draft_report, use_llm
    from drafter.draft.session import DraftSession, facts_fingerprint, session_path
    from drafter.facts import load_facts

    guard_output(output, [facts_path], force or resume)
    facts = load_facts(facts_path)
    require_basics(facts, facts_path)
    options = DraftOptions(report_type=report_type or DEFAULT_TYPE, engine=engine, resume=resume)
    llm = use_llm(engine)
    if not llm:
        error_console.print("未配置大模型（或指定了 --engine offline）：使用离线引擎，文字不会离开本机。")
    with open(facts_path, encoding="utf-8", errors="replace") as fh:
        fingerprint = facts_fingerprint(fh.read(), [options.report_type, "llm" if llm else "offline"])
    session = DraftSession(session_path(output), fingerprint, resume, facts=facts)
    if session.rejected:
        error_console.print(f"上次保存的 {session.rejected} 节没有通过重新核验（数字与事实文件不符），将重新起草。")
    if session.sections:
        error_console.print(f"继续上次的起草：已有 {len(session.sections)} 节完成。")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    try:
        with Progress(TextColumn("[bold]起草中"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      console=error_console, transient=True) as progress:
            task = progress.add_task("", total=None)

            def on_section(section) -> None:
                progress.update(task, advance=1, description=safe_heading(section.heading))

            result = draft_report(facts, options, session=session, on_section=on_section, prefetch=True,
                                  while_waiting=lambda plan: prepare_output(plan, output, plain_fonts))
    except KeyboardInterrupt:
        raise DraftInterrupted(interrupted_message(len(session.sections), facts_path, output, report_type,
                                                   engine)) from None
    # imported after the draft (with the LLM engine, prepare_output loaded them while the model wrote)
    from drafter.cli.render import render_draft_summary
    from drafter.docx_writer import DocxStyle
    from drafter.writers import write_report

    write_report(result.text, output, DocxStyle.plain() if plain_fonts else None)
    import contextlib
    import sys

    from drafter.verify import verify_text

    # with -o - the report is standard output: the summary goes to stderr, not into the report
    with contextlib.redirect_stdout(sys.stderr) if output == "-" else contextlib.nullcontext():
        render_draft_summary(result, verify_text(result.text, facts), facts)
        console.print(f"已写入 {output}。", markup=False)
    if result.llm_unreachable:
        error_console.print("注意：所有大模型调用都失败了（超时或接口出错），全文由离线引擎写成。"
                            "请运行 drafter config test 检查大模型设置；模型较慢时可调大超时：drafter config set timeout 300。")
        return 1
    return 0


def prepare_output(plan, output: str, plain_fonts: bool) -> None:
    """While the model writes: load what writes the output and the summary, and render a .docx of the
    title once (python-docx's import and first document take ~0.3 s), so the file follows the last answer."""
    from pathlib import Path

    from drafter.cli.render import render_draft_summary  # noqa: F401  (imported for later)
    from drafter.writers import write_report  # noqa: F401

    if Path(output).suffix.lower() == ".docx":
        from drafter.docx_writer import DocxStyle, render_docx
        from drafter.parse import parse_report

        render_docx(parse_report(plan.title), DocxStyle.plain() if plain_fonts else None)


def safe_heading(heading: str) -> str:
    from drafter.cli.console import plain

    return plain(heading[:20])


def require_basics(facts, facts_path: str) -> None:
    """Without a unit or a year a draft reads "现将年意识形态工作情况总结如下" and "我单位党委": refuse, saying what to add."""
    missing = []
    if facts.unit is None:
        missing.append("本单位名称（unit: {name: 青石镇}）")
    if facts.period.year is None:
        missing.append("年份（period: {year: 2025}）")
    if missing:
        raise UsageError(f"事实文件 {facts_path} 缺少{'和'.join(missing)}，起草不出完整的标题和开头。"
                         "请补上后重试，或不加 --facts 运行 drafter draft -o 输出文件，按提问逐项填写。")


def interrupted_message(saved: int, facts_path: str, output: str, report_type: str | None,
                        engine: str | None = None) -> str:
    """What Ctrl-C leaves: the finished sections, and the command that goes on from them (with the same
    type and engine: the saved sections belong to those)."""
    import shlex

    command = ["drafter", "draft", "--facts", facts_path, "-o", output, "--resume"]
    if report_type:
        command += ["--type", report_type]
    if engine:
        command += ["--engine", engine]
    kept = f"已完成的 {saved} 节已保存" if saved else "还没有完成的节（已完成的节会随时保存）"
    return f"已中断：{kept}。继续起草请运行：{shlex.join(command)}"
