"""The second half of the interactive session: draft with live progress, show each section with what the
verifier says about it, let the user accept it, have it written again, or correct a fact; then write the
report and the facts. Findings come from checking the whole assembled report (the same check
`drafter check --facts` runs) and are shown with the section they fall in.
"""

from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from drafter.draft.answers import drop_metric, put_metric, to_metric
from drafter.draft.assemble import assemble
from drafter.draft.interactive_state import QAState, clear_state, save_last, save_state
from drafter.draft.model import DEFAULT_TYPE, DraftOptions, Plan, SectionDraft
from drafter.draft.plan import PLANS, PROBLEMS
from drafter.draft.zh_prompt import ask_line, ask_other, ask_value, choose
from drafter.facts.model import Facts
from drafter.findings import Finding, Severity
from drafter.numerals import int_to_chinese

ACCEPT, REDRAFT, EDIT, ACCEPT_ALL = "接受", "重新生成", "修改事实", "全部接受"
ENGINE_LABELS = {"llm": "大模型生成", "llm-repaired": "大模型生成（经核验后修正）", "offline": "离线组稿",
                 "offline-fallback": "离线组稿（大模型稿未通过核验）"}
SEVERITY_LABELS = {Severity.ERROR: "[red]错误[/]", Severity.WARNING: "[yellow]提醒[/]", Severity.INFO: "提示"}
OPENING = -1  # findings in the title and opening paragraph


def draft_and_review(con: Console, state: QAState, engine: str | None, force: bool) -> int:
    from drafter.draft.pipeline import draft_report, use_llm
    from drafter.draft.plan import plan_report
    from drafter.draft.session import DraftSession, session_path

    facts = state.facts
    options = DraftOptions(report_type=state.report_type or DEFAULT_TYPE, engine=engine)
    llm = use_llm(engine)
    con.print("使用大模型逐节起草，每节都经过核验。" if llm else
              "离线起草（未配置大模型或指定了 --engine offline），文字不会离开本机。")
    fingerprint = facts_key(facts, options.report_type, llm)
    session = DraftSession(session_path(state.output), fingerprint, resume=True, facts=facts)
    total = len(plan_report(facts, options.report_type).sections)
    with Progress(SpinnerColumn(), TextColumn("[bold]起草中"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), console=con, transient=True) as progress:
        task = progress.add_task("检索范文", total=total)

        def on_section(draft: SectionDraft) -> None:
            progress.update(task, advance=1, description=draft.heading[:20])

        result = draft_report(facts, options, session=session, on_section=on_section)
    plan, sections = result.plan, list(result.sections)
    con.print(f"已起草 {len(sections)} 节。")
    if state.accepted_fingerprint != fingerprint:
        state.accepted = {}
    for i, kept in state.accepted.items():  # sections accepted before an interruption stay as accepted
        if i < len(sections) and kept.heading == sections[i].heading:
            sections[i] = kept
    state.accepted_fingerprint = fingerprint
    save_state(state)
    if result.unused_facts:
        con.print(f"[yellow]以下事实没有写进正文：{'、'.join(result.unused_facts)}。[/]"
                  "可在审阅时选择“修改事实”，或定稿后手工补写。")
    review(con, state, plan, sections, options, llm)
    return write(con, state, plan, sections, force)


def facts_key(facts: Facts, report_type: str, llm: bool) -> str:
    """What the drafted text depends on; a changed fact means the saved sections are stale."""
    from drafter.draft.session import facts_fingerprint
    from drafter.facts.save import dump_facts_yaml

    return facts_fingerprint(dump_facts_yaml(facts), [report_type, "llm" if llm else "offline"])


def review(con: Console, state: QAState, plan: Plan, sections: list[SectionDraft], options: DraftOptions,
           llm: bool) -> None:
    from drafter.draft.redraft import redraft_section

    facts = state.facts
    attempts: dict[int, int] = {}
    findings = section_findings(facts, plan, sections)
    if findings.get(OPENING):
        show_findings(con, "标题和开头", findings[OPENING])
    if len(state.accepted) < len(sections):
        con.print("下面逐节审阅：输入序号选择，直接回车表示接受。")
    i = 0
    while i < len(sections):
        if i in state.accepted:
            i += 1
            continue
        show_section(con, i, sections[i], findings.get(i, []))
        action = choose(con, "这一节怎么处理", [ACCEPT, REDRAFT, EDIT, ACCEPT_ALL], ACCEPT)
        if action in (ACCEPT, ACCEPT_ALL):
            last = len(sections) if action == ACCEPT_ALL else i + 1
            for j in range(i, last):
                state.accepted[j] = sections[j]
            save_state(state)
            i = last
            continue
        if action == EDIT:
            if not edit_facts(con, state, plan, i):
                continue
            state.accepted_fingerprint = facts_key(facts, options.report_type, llm)
            save_state(state)
        else:
            attempts[i] = attempts.get(i, 0) + 1
        with con.status("正在重新生成这一节……"):
            new = redraft_section(facts, plan, i, options, attempt=attempts.get(i, 0))
        if action == REDRAFT and new.body == sections[i].body:
            con.print("范文库里没有更多不同的写法，这一节与上一版相同。可以选择“修改事实”，或接受后在 Word 中修改。")
        sections[i] = new
        findings = section_findings(facts, plan, sections)


def edit_facts(con: Console, state: QAState, plan: Plan, i: int) -> bool:
    """Change, add or remove a fact of section ``i``; True when something changed (and was saved)."""
    section = plan.sections[i]
    facts = state.facts
    if section.topic in (PROBLEMS, PLANS):
        attr, label = ("problems", "存在的问题") if section.topic == PROBLEMS else ("plans", "下一步工作打算")
        con.print(f"重新输入{label}，每次一条；一条都不输入则保留原来的内容。")
        lines: list[str] = []
        while (line := ask_line(con, f"{label}（直接回车结束）")) is not None:
            lines.append(line)
        if not lines:
            return False
        setattr(facts, attr, lines)
        section.free_items = list(lines)
        save_state(state)
        return True
    options = [f"{m.name} {m.display()}" for m in section.metrics] + ["新增一项", "返回"]
    pick = choose(con, "要修改哪一项（输入序号）", options, "返回")
    if pick == "返回":
        return False
    if pick == "新增一项":
        answer = ask_other(con, "新指标（名称 数值 单位，直接回车取消）")
        if answer is None:
            return False
        metric = to_metric(answer[0], answer[1], section.topic)
        put_metric(facts.metrics, metric)
        put_metric(section.metrics, metric)
        section.qualitative = False
    else:
        old = section.metrics[options.index(pick)]
        value = ask_value(con, f"{old.name} 的新数值（输入“无”删除这一项）", old.unit, old.display())
        if value is None:
            drop_metric(facts.metrics, old.name)
            drop_metric(section.metrics, old.name)
        else:
            from dataclasses import replace

            new = replace(old, value=value.value, unit=value.unit, qualifier=value.qualifier)
            put_metric(facts.metrics, new)
            put_metric(section.metrics, new)
    save_state(state)
    con.print(f"已保存到 {state.facts_path}。")
    return True


def section_findings(facts: Facts, plan: Plan, sections: list[SectionDraft]) -> dict[int, list[Finding]]:
    """The whole report's findings, by the section they fall in (OPENING for the title and opening)."""
    from drafter.verify import verify_text

    text = assemble(plan, sections, facts)
    starts = section_starts(text, sections)
    out: dict[int, list[Finding]] = {}
    for finding in verify_text(text, facts):
        index = OPENING
        for i, start in enumerate(starts):
            if start <= finding.start:
                index = i
        out.setdefault(index, []).append(finding)
    return out


def section_starts(text: str, sections: list[SectionDraft]) -> list[int]:
    """Where each section's heading line starts in the assembled text (``assemble``'s 一、 markers)."""
    starts, pos = [], 0
    for n, draft in enumerate(sections, 1):
        at = text.find(f"\n{int_to_chinese(n)}、{draft.heading}\n", pos)
        pos = at + 1 if at >= 0 else pos
        starts.append(pos if at >= 0 else len(text))
    return starts


def show_section(con: Console, i: int, draft: SectionDraft, findings: list[Finding]) -> None:
    subtitle = ENGINE_LABELS.get(draft.engine, draft.engine)
    if draft.engine == "offline-fallback" and getattr(draft, "fallback_reason", ""):
        from drafter.generate import FAILURE_LABEL, Failure

        subtitle = f"离线组稿（{FAILURE_LABEL[Failure(draft.fallback_reason)]}）"  # a timeout is no failed check
    con.print(Panel(draft.body, title=f"{int_to_chinese(i + 1)}、{draft.heading}", subtitle=subtitle,
                    title_align="left"), soft_wrap=False)  # wrap the body: it is what the user reviews
    if findings:
        show_findings(con, "本节检查结果", findings)
    else:
        con.print("[green]核验通过：本节的数字都能在事实中找到。[/]")


def show_findings(con: Console, title: str, findings: list[Finding]) -> None:
    con.print(f"{title}：")
    for f in findings:
        tip = f"（建议：{f.suggestion}）" if f.suggestion else ""
        con.print(f"  {SEVERITY_LABELS.get(f.severity, '')} “{f.text}”：{f.message}{tip}")


def write(con: Console, state: QAState, plan: Plan, sections: list[SectionDraft], force: bool) -> int:
    from drafter.atomic import guard_output
    from drafter.verify import verify_text
    from drafter.writers import write_report

    facts = state.facts
    text = assemble(plan, sections, facts)
    guard_output(state.output, [state.facts_path], force)
    write_report(text, state.output)
    save_state(state)  # the facts file, with every edit made during the review
    save_last(state)
    clear_state(state.output)
    errors = [f for f in verify_text(text, facts) if f.severity is Severity.ERROR]
    con.print(f"已写入 {state.output}，事实已保存到 {state.facts_path}。")
    if errors:
        con.print(f"[yellow]仍有 {len(errors)} 处需要修改（见上文各节的检查结果）。[/]修改后可运行 "
                  f"drafter check {state.output} --facts {state.facts_path} 再检查。")
    else:
        con.print(f"核验通过。以后修改了事实，可运行 drafter draft --facts {state.facts_path} -o {state.output} "
                  "--force 重新起草。")
    return 0
