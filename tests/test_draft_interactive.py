"""The interactive `drafter draft -o OUT` session, driven through a real pty with pexpect: answers typed,
Ctrl-C mid-way, resume, review (regenerate, edit a fact, accept), and the written report checked by
`drafter check --facts`. Plus the session's pure helpers (state round trip, findings by section)."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.draft.answers import Value, metric_question, to_metric
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
from drafter.draft.model import SectionDraft
from drafter.draft.redraft import rotate
from drafter.facts.load import load_facts
from drafter.facts.model import Facts, Period
from drafter.unit import UnitInfo
from tests.fake_openai import Reply

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[1]
# A metric prompt: the label, then the hint; the label is what the corpus's similar sections report.
METRIC_PROMPT = re.compile(r"([^\s：（）\x1b]+)（(?:直接回车跳过|回车保留，输入“无”删除)）[^：\n]*：")
OTHER_PROMPT = "其他指标（名称 数值 单位，直接回车结束）："
REVIEW_PROMPT = "这一节怎么处理"
# Answers by label; every other metric is skipped with Enter.
ANSWERS = {
    "专题研究意识形态工作次数": "4",
    "签订责任书份数": "15份",
    "中心组学习次数": "12",
    "党课次数": "8次",
    "学习强国使用率": "98%以上",
    "公众号发布条数": "70",
    "注册志愿者人数": "200余",
    "道德讲堂场次": "6",
}


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(args: list[str], cwd: Path):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200", "LINES": "60"}
    # SIGINT back to its default in the child: a test run started in the background by a shell without
    # job control (`pytest &` in a script, CI runners) inherits SIGINT ignored, Python then installs no
    # KeyboardInterrupt handler, and Ctrl-C is echoed as ^C but does nothing — the child never exits.
    child = pexpect.spawn(sys.executable, args, cwd=str(cwd), env=env, encoding="utf-8", timeout=60,
                          dimensions=(60, 200), preexec_fn=_default_sigint)
    child.delaybeforesend = None  # the prompts read whole lines; no need to wait for the echo
    return child


def spawn_draft(out: Path, *extra: str, engine: str = "offline"):
    return spawn(["-m", "drafter", "draft", "-o", str(out), "--engine", engine, *extra], out.parent)


def waiting_for_input(child, timeout: float = 30.0) -> bool:
    """Whether the child is blocked reading its terminal, polled until ``timeout``. Linux shows it in
    /proc/PID/wchan (``wait_woken`` / ``n_tty_read``); elsewhere a short pause stands in."""
    wchan = Path(f"/proc/{child.pid}/wchan")
    if not wchan.exists():
        time.sleep(0.5)
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if wchan.read_text() in ("wait_woken", "n_tty_read") and child.isalive():
                return True
        except OSError:
            return False  # the child is gone
        time.sleep(0.01)
    return False


def interrupt(child) -> None:
    """Ctrl-C at a question, like a user: only once the child waits at the prompt. The prompt text is on
    the screen before ``input()`` starts reading, and on a loaded machine the SIGINT could land anywhere
    in between; waiting for the read makes every run interrupt the same place."""
    assert waiting_for_input(child), "the child never waited for input: " + str(child.before)[-500:]
    child.sendintr()


def answer(child, pattern: str, text: str) -> None:
    child.expect(pattern)
    child.sendline(text)


def answer_basics(child, *, unit: str = "青石镇") -> None:
    answer(child, "本单位名称", unit)
    answer(child, "所属县", "和平县")
    answer(child, "总结所属年份", "2025")
    answer(child, "总结的时段", "1")  # 全年
    answer(child, "总结的类型", "")  # the default: 意识形态工作总结
    child.expect("提纲")


def answer_metrics(child, stop_after: str | None = None, extra: str | None = None) -> list[str]:
    """Answer metric and "other" prompts until the free lists (or until the prompt after ``stop_after``);
    returns the labels asked. ``extra``: a "名称 数值 单位" line typed at the first other-metrics prompt."""
    asked: list[str] = []
    while True:
        i = child.expect([METRIC_PROMPT, re.escape(OTHER_PROMPT), "亮点或特色做法"])
        if i == 2:
            return asked
        if stop_after is not None and stop_after in asked:
            return asked
        if i == 1:
            child.sendline(extra or "")
            extra = None
            continue
        label = child.match.group(1)
        asked.append(label)
        child.sendline(ANSWERS.get(label, ""))


def answer_free_lists(child) -> None:
    child.sendline("")  # no highlights (the prompt was already matched)
    answer(child, "存在的问题", "理论学习的形式还比较单一")
    answer(child, "存在的问题", "")
    answer(child, "下一步工作打算", "加强网络阵地的日常管理")
    answer(child, "下一步工作打算", "")


def finish(child, status: int) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == status, child.before
    return child.before


def check_json(out: Path, facts: Path) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "drafter", "check", str(out), "--facts", str(facts),
                           "--format", "json"], capture_output=True, text=True, cwd=out.parent, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)[0]["findings"]


def test_session_typed_interrupted_resumed_reviewed_and_written(tmp_path):
    out = tmp_path / "2025年总结.docx"
    facts_path = tmp_path / "2025年总结事实.yaml"

    child = spawn_draft(out)
    answer_basics(child)
    # an answer that cannot be read is asked again, in Chinese
    child.expect(METRIC_PROMPT)
    first = child.match.group(1)
    child.sendline("很多")
    child.expect("没看懂“很多”")
    child.expect(re.escape(first))
    child.sendline(ANSWERS.get(first, ""))
    asked = [first, *answer_metrics(child, stop_after="中心组学习次数")]
    assert "中心组学习次数" in asked
    interrupt(child)  # Ctrl-C at the question after 中心组学习次数
    child.expect("已中断")
    text = finish(child, 130)
    assert "即可从中断处继续" in text

    saved = load_facts(facts_path)  # every answer so far is in the user's facts file
    assert saved.unit.name == "青石镇" and saved.unit.county == "和平县"
    assert (saved.period.year, saved.period.span) == (2025, "全年")
    by_name = {m.name: m for m in saved.metrics}
    assert by_name["中心组学习"].display() == "12次"
    assert by_name["中心组学习"].topic == "理论学习"
    for label in set(asked) & set(ANSWERS):
        assert metric_question(label).name in by_name
    assert not out.exists()

    child = spawn_draft(out)
    child.expect("发现上次未完成的问答")
    child.sendline("")  # Y
    child.expect("从上次中断的地方继续")
    resumed = answer_metrics(child, extra="读书分享会 3 场")
    assert "中心组学习次数" not in resumed  # answered questions are not asked again
    answer_free_lists(child)
    child.expect("已起草")
    # section one: regenerate once, then accept
    answer(child, REVIEW_PROMPT, "2")
    answer(child, REVIEW_PROMPT, "1")
    # section two (理论学习): change 中心组学习 from 12 to 14
    child.expect(REVIEW_PROMPT)
    child.sendline("3")
    child.expect(r"(\d+)(?:\x1b\[0m)? 中心组学习 12次")  # the option number may be bold
    answer(child, "要修改哪一项", child.match.group(1))
    answer(child, "中心组学习 的新数值", "14")
    child.expect("已保存到")
    answer(child, REVIEW_PROMPT, "4")  # accept the rest
    child.expect("已写入")
    finish(child, 0)

    assert out.exists() and out.stat().st_size > 0
    final = load_facts(facts_path)
    by_name = {m.name: m for m in final.metrics}
    assert by_name["中心组学习"].value == 14
    assert by_name["读书分享会"].display() == "3场"
    assert final.problems == ["理论学习的形式还比较单一"]
    assert final.plans == ["加强网络阵地的日常管理"]
    findings = check_json(out, facts_path)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert not list((Path(os.environ["DRAFTER_HOME"]) / "sessions").glob("interactive-[0-9a-f]*.json"))


def test_llm_engine_drafts_and_regenerates_through_the_model(tmp_path, monkeypatch, fake_openai):
    good = "镇党委高度重视此项工作，认真研究部署，推动各项任务落到实处，取得了积极成效。"
    fake_openai.responder = lambda body: Reply.good(good)
    for name, value in (("DRAFTER_BASE_URL", fake_openai.base_url), ("DRAFTER_MODEL", "fake-model"),
                        ("DRAFTER_API_KEY", "sk-secret-test")):
        monkeypatch.setenv(name, value)
    out = tmp_path / "总结.txt"
    child = spawn_draft(out, engine="llm")
    answer_basics(child)
    answer_metrics(child)
    answer_free_lists(child)
    child.expect("使用大模型逐节起草")
    child.expect(REVIEW_PROMPT)
    assert "大模型生成" in child.before
    calls = len(fake_openai.chat_requests)
    assert calls >= 1
    child.sendline("2")  # regenerate: one more request to the model
    child.expect(REVIEW_PROMPT)
    assert len(fake_openai.chat_requests) > calls
    child.sendline("4")
    finish(child, 0)
    assert good in out.read_text(encoding="utf-8")
    findings = check_json(out, tmp_path / "总结事实.yaml")
    assert [f for f in findings if f["severity"] == "error"] == []


def test_defaults_from_the_last_session(tmp_path):
    last = QAState(output=str(tmp_path / "a.txt"), facts_path=str(tmp_path / "a事实.yaml"),
                   facts=Facts(unit=UnitInfo("东城街道", "街道", "和平县"), period=Period(2025, "上半年")),
                   report_type="宣传思想文化工作总结")
    save_last(last)
    out = tmp_path / "b.txt"
    child = spawn_draft(out)
    answer(child, r"本单位名称.*\(东城街道\)", "")
    answer(child, r"所属县.*\(和平县\)", "")
    answer(child, r"总结所属年份.*\(2025\)", "")
    answer(child, r"总结的时段.*\(2\)", "")
    child.expect(r"总结的类型.*\(3\)")
    interrupt(child)
    finish(child, 130)
    saved = load_facts(tmp_path / "b事实.yaml")
    assert saved.unit.name == "东城街道" and saved.unit.kind == "街道"
    assert (saved.period.year, saved.period.span) == (2025, "上半年")


def test_existing_facts_file_gives_the_defaults(tmp_path):
    out = tmp_path / "总结.txt"
    facts_path = default_facts_path(str(out))
    facts_path.write_text("unit: {name: 南岭乡, county: 和平县}\nperiod: {year: 2024, span: 全年}\n"
                          "metrics:\n  - {name: 中心组学习, value: 10, unit: 次}\n", encoding="utf-8")
    child = spawn_draft(out)
    answer(child, "已存在。以其中内容作为默认值", "y")
    answer(child, r"本单位名称.*\(南岭乡\)", "")
    answer(child, r"所属县.*\(和平县\)", "")
    answer(child, r"总结所属年份.*\(2024\)", "")
    answer(child, "总结的时段", "")
    answer(child, "总结的类型", "")
    while True:  # up to the known metric: its value is offered back
        if child.expect([METRIC_PROMPT, re.escape(OTHER_PROMPT)]) == 0 and child.match.group(1) == "中心组学习次数":
            break
        child.sendline("")
    assert "回车保留" in child.match.group(0) and "(10次)" in child.match.group(0)
    child.sendline("")  # keep it
    child.expect(METRIC_PROMPT)
    interrupt(child)
    finish(child, 130)
    saved = load_facts(facts_path)
    assert saved.unit.name == "南岭乡"
    assert [(m.name, m.value, m.unit) for m in saved.metrics] == [("中心组学习", 10, "次")]


def test_interrupted_review_resumes_after_the_accepted_sections(tmp_path):
    out = tmp_path / "总结.md"
    code = ("import sys; from drafter.draft.interactive import run_interactive; "
            f"sys.exit(run_interactive({str(out)!r}, facts_path=None, report_type=None, engine='offline', "
            "force=False, resume=True))")
    child = spawn(["-c", code], tmp_path)
    answer_basics(child)
    answer_metrics(child)
    answer_free_lists(child)
    child.expect("─ 一、")
    answer(child, REVIEW_PROMPT, "1")
    child.expect("─ 二、")
    child.expect(REVIEW_PROMPT)
    interrupt(child)
    finish(child, 130)

    child = spawn(["-c", code], tmp_path)  # resume=True: no question asked
    child.expect("从上次中断的地方继续")
    child.expect("已起草")
    child.expect(REVIEW_PROMPT)
    assert "─ 二、" in child.before and "─ 一、" not in child.before  # accepted sections are not shown again
    child.sendline("4")
    finish(child, 0)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("2025年青石镇意识形态工作总结")
    assert "12次" in text


def test_existing_output_is_refused_before_any_question(tmp_path):
    out = tmp_path / "总结.txt"
    out.write_text("旧稿\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "drafter", "draft", "-o", str(out)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "已存在" in proc.stderr and "--force" in proc.stderr
    assert out.read_text(encoding="utf-8") == "旧稿\n"


def test_state_round_trip(tmp_path):
    out = str(tmp_path / "总结.docx")
    facts = Facts(unit=UnitInfo("青石镇", "镇", "和平县"), period=Period(2025, "全年"),
                  metrics=[to_metric("党课", Value(8, "次"), "理论学习")], problems=["形式单一"])
    state = QAState(output=out, facts_path=str(default_facts_path(out)), facts=facts, report_type="意识形态工作总结",
                    answered=["unit", "county"], outline=[("理论学习", "强化理论武装")],
                    accepted={0: SectionDraft(0, "强化理论武装", "正文。", "offline")}, accepted_fingerprint="abc")
    save_state(state)
    assert (tmp_path / "总结事实.yaml").exists()
    back = load_state(out)
    assert back is not None
    assert back.answered == ["unit", "county"] and back.outline == [("理论学习", "强化理论武装")]
    assert back.facts.metrics[0].display() == "8次" and back.facts.metrics[0].topic == "理论学习"
    assert back.facts.problems == ["形式单一"]
    assert back.accepted[0].body == "正文。" and back.accepted_fingerprint == "abc"
    clear_state(out)
    assert load_state(out) is None


def test_damaged_state_starts_afresh(tmp_path):
    out = str(tmp_path / "总结.docx")
    state_path(out).write_text("{not json", encoding="utf-8")
    assert load_state(out) is None
    assert load_last() == {}


def test_section_starts_and_findings_by_section():
    from drafter.draft.interactive_review import OPENING, section_findings, section_starts
    from drafter.draft.model import Plan, PlannedSection

    facts = Facts(unit=UnitInfo("青石镇", "镇", "和平县"), period=Period(2025, "全年"),
                  metrics=[to_metric("党课", Value(8, "次"), "理论学习")])
    sections = [SectionDraft(0, "压实工作责任", "镇党委专题研究意识形态工作。", "offline"),
                SectionDraft(1, "强化理论武装", "全年开展党课9次。", "offline")]
    plan = Plan("2025年青石镇意识形态工作总结", "意识形态工作总结",
                [PlannedSection("组织领导与责任制", "压实工作责任"), PlannedSection("理论学习", "强化理论武装")])
    from drafter.draft.assemble import assemble

    text = assemble(plan, sections, facts)
    starts = section_starts(text, sections)
    assert text[starts[0]:].startswith("一、压实工作责任")
    assert text[starts[1]:].startswith("二、强化理论武装")
    found = section_findings(facts, plan, sections)
    assert any(f.severity == "error" for f in found.get(1, []))  # 9 次 is not the fact's 8
    assert not any(f.severity == "error" for f in found.get(0, []) + found.get(OPENING, []))


def test_rotate():
    assert rotate(["a", "b", "c"], 0) == ["a", "b", "c"]
    assert rotate(["a", "b", "c"], 2) == ["c", "a", "b"]
    assert rotate(["a", "b", "c"], 4) == ["b", "c", "a"]
    assert rotate([], 3) == []
