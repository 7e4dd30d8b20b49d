"""`drafter draft -o OUT` without --facts: a question-and-answer session in Chinese that builds the facts,
drafts the report and lets the user review it section by section.

The order: unit, county, year, period and type (defaults from a facts file beside OUT or the last session);
the planned outline; for each section the metrics similar sections of the corpus report, then any others;
highlights, problems, plans; drafting with live progress; review (accept / regenerate / edit a fact);
writing the report and the facts. Every answer is saved at once (``interactive_state``), so Ctrl-C at any
prompt loses nothing and the next `drafter draft -o OUT` offers to continue. This module only asks and
shows; parsing is in ``answers``, persistence in ``interactive_state``, drafting in the pipeline.
"""

import datetime as dt
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from drafter.draft.answers import drop_metric, metric_question, put_metric, to_metric
from drafter.draft.interactive_state import (
    QAState,
    clear_state,
    default_facts_path,
    load_last,
    load_state,
    save_last,
    save_state,
    state_path,
)
from drafter.draft.model import DEFAULT_TYPE
from drafter.draft.plan import PLANS, PROBLEMS
from drafter.draft.zh_prompt import ZhConfirm, ZhIntPrompt, ask_line, ask_other, ask_text, ask_value, choose
from drafter.exceptions import FactsError, UsageError
from drafter.facts.model import Facts, Period
from drafter.numerals import int_to_chinese
from drafter.resources import load_lexicon
from drafter.unit import UNIT_KINDS, UnitInfo

SPAN_CHOICES: list[str] = list(load_lexicon("periods")["choices"])  # corpus/lexicons/periods.yaml
FREE_LISTS = (("highlights", "亮点或特色做法"), ("problems", "存在的问题"), ("plans", "下一步工作打算"))


def run_interactive(output: str, *, facts_path: str | None, report_type: str | None, engine: str | None,
                    force: bool, resume: bool = False, console: Console | None = None) -> int:
    """Run the session; the exit code is 0 when the report was written, 130 when interrupted.

    A saved unfinished session for ``output`` is continued without asking when ``resume`` (--resume),
    else the user is asked.
    """
    from drafter.atomic import guard_output

    guard_output(output, [], force)  # before the first question: no answers typed in vain
    con = console or Console(highlight=False, soft_wrap=True)
    state: QAState | None = None
    try:
        state = start(con, output, facts_path, resume)
        ask_basics(con, state, report_type)
        show_outline(con, state)
        ask_sections(con, state)
        ask_free_lists(con, state)
        from drafter.draft.interactive_review import draft_and_review

        return draft_and_review(con, state, engine, force)
    except (KeyboardInterrupt, EOFError):
        con.print()
        if state is not None and state_path(output).exists():
            con.print(f"已中断。已回答的内容都已保存到 {state.facts_path}。"
                      f"再次运行 drafter draft -o {output} 即可从中断处继续。")
        else:
            con.print("已中断，还没有保存任何回答。需要时再次运行 drafter draft -o " + output + " 即可。")
        return 130


def start(con: Console, output: str, facts_path: str | None, resume: bool) -> QAState:
    """The saved session to continue, or a new one (from the facts file beside OUT when there is one)."""
    saved = load_state(output)
    if saved is not None:
        question = f"发现上次未完成的问答（已回答 {len(saved.answered)} 项），是否继续？"
        if resume or ZhConfirm.ask(question, console=con, default=True):
            con.print(f"好的，从上次中断的地方继续。事实文件：{saved.facts_path}")
            return saved
    if saved is not None:
        clear_state(output)
    elif resume:
        con.print("没有找到上次未完成的问答，开始新的问答。")
    path = Path(facts_path) if facts_path else default_facts_path(output)
    facts = Facts()
    if path.exists():
        from drafter.facts.load import load_facts

        try:
            existing: Facts | None = load_facts(path)
        except FactsError as err:
            from drafter.cli.console import plain

            con.print(f"[yellow]已有的事实文件读不出来：{plain(str(err))}")
            existing = None
        question = f"事实文件 {path} 已存在。以其中内容作为默认值，并把回答保存回这个文件吗？"
        if existing is not None and ZhConfirm.ask(question, console=con, default=True):
            from drafter.atomic import release_input

            release_input(path)  # the user agreed: this file is the session's to update
            facts = existing
            facts.path = None
        else:
            path = ask_new_path(con, path)
    con.print(f"回答会随时保存到 {path}，按 Ctrl-C 可随时中断，下次继续。")
    return QAState(output=output, facts_path=str(path), facts=facts)


def ask_new_path(con: Console, taken: Path) -> Path:
    """Another facts file name: drafter never writes over a file it was not asked to update."""
    n = 2
    while (suggestion := taken.with_name(f"{taken.stem}-{n}{taken.suffix}")).exists():
        n += 1
    while True:
        path = Path(ask_text(con, "请输入保存事实的新文件名", str(suggestion)))
        if path.suffix.lower() not in (".yaml", ".yml", ".json"):
            con.print("[prompt.invalid]事实文件名应以 .yaml 或 .json 结尾。")
        elif path.exists():
            con.print(f"[prompt.invalid]{path} 也已存在，请换一个文件名。")
        else:
            return path


def ask_basics(con: Console, state: QAState, report_type: str | None) -> None:
    last = load_last()
    facts = state.facts
    if not state.done("unit"):
        default = facts.unit.name if facts.unit else last.get("unit")
        name = ""
        while not name:
            name = ask_text(con, "本单位名称（如 青石镇、东城街道）", default)
        if not name.endswith(UNIT_KINDS):
            con.print("提示：单位名称一般以“乡”“镇”或“街道”结尾，写全称能让检查更准确。")
        old = facts.unit
        base = UnitInfo.from_name(name)
        facts.unit = replace(old, name=base.name, kind=base.kind) if old else base
        _save(state, "unit")
    if not state.done("county"):
        unit = facts.unit or UnitInfo.from_name("本单位")
        same = last.get("unit") == unit.name
        default = unit.county or (last.get("county") if same else None)
        county = ask_text(con, "所属县（市、区）全称，用于开头“在××县委……领导下”（直接回车跳过）", default)
        facts.unit = replace(unit, county=county)
        _save(state, "county")
    if not state.done("year"):
        year = facts.period.year or last.get("year") or dt.date.today().year
        while True:
            year = ZhIntPrompt.ask("总结所属年份", console=con, default=year)
            if 2000 <= year <= 2100:
                break
            con.print("[prompt.invalid]请输入四位数的年份，例如 2025。")
        facts.period = Period(year=year, span=facts.period.span)
        _save(state, "year")
    if not state.done("span"):
        default = facts.period.span if facts.period.span in SPAN_CHOICES else last.get("span") or "全年"
        span = choose(con, "总结的时段（输入序号）", SPAN_CHOICES, default)
        facts.period = Period(year=facts.period.year, span=span)
        _save(state, "span")
    if report_type:
        state.report_type = report_type
    if not state.done("type") and not report_type:
        from drafter.corpus.report_type import report_type_names

        names = [n for n in report_type_names() if n not in ("其他总结", "意识形态工作方案")]
        default = state.report_type or last.get("report_type") or DEFAULT_TYPE
        state.report_type = choose(con, "总结的类型（输入序号）", names, default if default in names else DEFAULT_TYPE)
    _save(state, "type")
    save_last(state)


def show_outline(con: Console, state: QAState) -> None:
    from drafter.draft.plan import plan_report

    if state.outline and all(state.done(f"section:{topic}") for topic, _ in state.outline):
        return  # a session resumed past the questions goes straight on to drafting

    plan = plan_report(state.facts, state.report_type or DEFAULT_TYPE)
    if not state.outline:  # fixed at the first run, so a resumed session asks the same sections
        state.outline = [(s.topic, s.heading) for s in plan.sections if s.topic not in (PROBLEMS, PLANS)]
        save_state(state)
    headings = [h for _, h in state.outline] + [s.heading for s in plan.sections if s.topic in (PROBLEMS, PLANS)]
    lines = [f"{int_to_chinese(n)}、{h}" for n, h in enumerate(headings, 1)]
    con.print(Panel("\n".join(lines), title=f"提纲：{plan.title}", expand=False), soft_wrap=False)


def ask_sections(con: Console, state: QAState) -> None:
    """For each section, the metrics its kind of section usually reports, then any others."""
    if all(state.done(f"section:{topic}") for topic, _ in state.outline):
        return
    con.print("下面按提纲逐节填写数字：没有的直接回车跳过；可以写 12、12次、200余、98%以上、近百。")
    for n, (topic, heading) in enumerate(state.outline, 1):
        if state.done(f"section:{topic}"):
            continue
        con.rule(f"{int_to_chinese(n)}、{heading}")
        questions = [metric_question(label) for label in suggested_metrics(topic)]
        asked = {q.name for q in questions}
        kept = [m for m in state.facts.metrics if m.topic == topic and m.name not in asked]
        if kept:
            con.print("已记下：" + "；".join(f"{m.name} {m.display()}" for m in kept))
        for q in questions:
            key = f"metric:{topic}:{q.name}"
            if state.done(key):
                continue
            existing = state.facts.metric(q.name)
            if existing is not None:
                value = ask_value(con, f"{q.label}（回车保留，输入“无”删除）", q.unit, existing.display())
            else:
                value = ask_value(con, f"{q.label}（直接回车跳过）", q.unit)
            if value is None:
                if existing is not None:
                    drop_metric(state.facts.metrics, existing.name)
            elif existing is not None:
                put_metric(state.facts.metrics, replace(existing, value=value.value, unit=value.unit,
                                                        qualifier=value.qualifier, topic=existing.topic or topic))
            else:
                put_metric(state.facts.metrics, to_metric(q.name, value, topic))
            _save(state, key)
        ask_other_metrics(con, state, topic)
        _save(state, f"section:{topic}")


def suggested_metrics(topic: str) -> list[str]:
    from drafter.corpus.outline import topic_metrics

    try:
        return topic_metrics(topic)
    except UsageError:  # a topic the taxonomy no longer knows: only the user's own metrics
        return []


def ask_other_metrics(con: Console, state: QAState, topic: str) -> None:
    key = f"other:{topic}"
    if state.done(key):
        return
    while (answer := ask_other(con)) is not None:
        name, value = answer
        metric = to_metric(name, value, topic)
        put_metric(state.facts.metrics, metric)
        save_state(state)
        con.print(f"已记下：{name} {metric.display()}")
    _save(state, key)


def ask_free_lists(con: Console, state: QAState) -> None:
    """Highlights, problems and plans, one line each: the user's own words go into the report."""
    for attr, label in FREE_LISTS:
        if state.done(attr):
            continue
        items: list[str] = getattr(state.facts, attr)
        if items:
            con.print(f"已记下的{label}：" + "；".join(f"{i}. {t}" for i, t in enumerate(items, 1)))
        while (line := ask_line(con, f"{label}（每次输入一条，直接回车结束）")) is not None:
            items.append(line)
            save_state(state)
        _save(state, attr)


def _save(state: QAState, key: str) -> None:
    state.mark(key)
    save_state(state)
