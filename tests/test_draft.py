"""`drafter draft`: the plan, the offline engine, and the LLM pipeline against the local fake OpenAI server."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.draft.model import DraftOptions
from drafter.draft.pipeline import clean_body, draft_report
from drafter.draft.plan import plan_report
from drafter.facts import load_facts
from drafter.numbers import extract_claims
from drafter.verify import gate_findings
from tests.fake_openai import (
    BAD_ANSWERS,
    INVENTED_NUMBERS_TEXT,
    Reply,
    content_responder,
    good_section,
    is_repair,
    prompt_facts,
)

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "examples" / "青石镇事实.yaml"
EVAL = ROOT.parent / "shared" / "eval" / "verify_output.py"


@pytest.fixture(scope="module")
def facts():
    return load_facts(FACTS)


def test_plan_has_the_typical_sections_and_places_every_fact(facts):
    plan = plan_report(facts, "意识形态工作总结")
    topics = [s.topic for s in plan.sections]
    for topic in ("组织领导与责任制", "理论学习", "新闻宣传与舆论引导", "存在问题", "下一步计划"):
        assert topic in topics
    assert topics[-2:] == ["存在问题", "下一步计划"]
    placed = [m.name for s in plan.sections for m in s.metrics]
    assert sorted(placed) == sorted(m.name for m in facts.metrics)
    assert plan.title == "2025年青石镇意识形态工作总结"


def test_offline_draft_is_clean_and_complete(facts):
    result = draft_report(facts, DraftOptions(engine="offline"))
    assert gate_findings(result.text, facts) == []
    assert result.unused_facts == []
    # the facts give no 成文日期: the date line is the only marker (tests/test_draft_offline.py has the rest)
    assert "【" not in result.text.replace("【待补充：成文日期】", "")
    assert 2000 <= len(result.text) <= 6000
    assert result.text.rstrip().endswith("中共青石镇委员会\n【待补充：成文日期】")


@pytest.mark.parametrize(
    ("sentence", "loose"),
    [
        ("组织党委理论学习中心组学习12次，书记带头领学。", False),  # the fact's name in the clause
        ("依托平台开展线上学习，党员干部参学率保持在92%。", True),  # 干部 narrows the fact (党员参学率): issue 11
        ("依托平台开展线上学习，党员参学率保持在92%。", False),  # an alias
        ("在县级以上媒体发稿42篇，其中市级以上媒体9篇。", False),  # 市级以上媒体 is a run of the name
        ("开展阵地专项清理，撤除过期、破损宣传牌48块。", True),  # 48 块 are the user's 宣传栏, not boards removed
        ("年底对11个社区开展意识形态工作专项检查。", True),  # 社区 alone does not name 所辖村（社区）
        ("9月中旬，镇党委书记带队到各村督导意识形态工作。", True),  # a borrowed date
        ("坚持把宣传报道的镜头对准一线。", False),
    ],
)
def test_borrowed_sentences_keep_a_figure_only_where_they_name_its_fact(facts, sentence, loose):
    from drafter.draft.offline import _dated

    assert (_dated(sentence) or bool(gate_findings(sentence, facts))) is loose


def test_offline_draft_passes_the_public_verifier(tmp_path, facts):
    if not EVAL.exists():
        pytest.skip("../shared/eval is not present")
    out = tmp_path / "draft.txt"
    out.write_text(draft_report(facts, DraftOptions(engine="offline")).text, encoding="utf-8")
    report = subprocess.run([sys.executable, str(EVAL), str(out), str(FACTS), "--json"], capture_output=True,
                            text=True, check=True)
    figures = json.loads(report.stdout)
    assert (figures["unsupported"], figures["placeholders"], figures["residue"], figures["recall"]) == (0, 0, 0, 1.0)


def _llm_env(monkeypatch, server, concurrency: int = 8) -> None:
    monkeypatch.setenv("DRAFTER_BASE_URL", server.base_url)
    monkeypatch.setenv("DRAFTER_MODEL", "fake-model")
    monkeypatch.setenv("DRAFTER_API_KEY", "sk-secret-test")
    monkeypatch.setenv("DRAFTER_CONCURRENCY", str(concurrency))


GOOD_SECTION = "镇党委高度重视此项工作，认真研究部署，推动各项任务落到实处，取得了积极成效。"
LLM_TOPICS_SKIPPED = ("存在问题", "下一步计划")  # the user's own lists: written offline, never generated


def test_llm_draft_repairs_or_falls_back_where_the_model_invents_numbers(monkeypatch, fake_openai, facts):
    counter = {"n": 0}

    def responder(body):
        counter["n"] += 1
        if is_repair(body):  # a repair round: fixed half the time
            return Reply.good(good_section(body)) if counter["n"] % 2 else Reply.numbers()
        return Reply.numbers() if counter["n"] % 2 else Reply.good(good_section(body))

    fake_openai.responder = responder
    _llm_env(monkeypatch, fake_openai)
    result = draft_report(facts, DraftOptions(engine="llm"))
    engines = {s.engine for s in result.sections}
    assert "llm" in engines and ({"llm-repaired", "offline-fallback"} & engines)
    assert gate_findings(result.text, facts) == []
    assert "37次" not in result.text and "99.8%" not in result.text
    assert result.unused_facts == []
    assert result.calls >= len([s for s in result.plan.sections if s.topic not in LLM_TOPICS_SKIPPED])


def test_a_good_answer_is_accepted_first_time_with_its_references_rendered(monkeypatch, fake_openai, facts):
    fake_openai.responder = content_responder("good")
    _llm_env(monkeypatch, fake_openai)
    result = draft_report(facts, DraftOptions(engine="llm"))
    llm = [s for s in result.sections if s.engine != "offline"]
    assert llm and all(s.engine == "llm" for s in llm)
    assert "〔" not in result.text and "组织中心组学习" not in result.text  # the fake writes 开展…〔n〕
    assert "开展中心组学习12次" in result.text and "开展宣传栏48块" in result.text
    assert gate_findings(result.text, facts) == [] and result.unused_facts == []
    # the user's own event sentences are not lost when the model leaves them out
    assert "3月，举办群众文艺汇演。" in result.text


def test_each_section_prompt_carries_only_its_own_facts_numbered(monkeypatch, fake_openai, facts):
    fake_openai.responder = content_responder("good")
    _llm_env(monkeypatch, fake_openai, concurrency=1)
    draft_report(facts, DraftOptions(engine="llm"))
    prompts = [r.messages[-1]["content"] for r in fake_openai.chat_requests]
    theory = next(p for p in prompts if "中心组学习〔1〕（12次）" in p)
    assert "宣传栏" not in theory and "文艺汇演" not in theory  # another section's fact and event
    assert "大事" not in theory and "亮点" not in theory
    culture = next(p for p in prompts if "文艺汇演〔1〕（5场）" in p)
    assert "3月，举办群众文艺汇演" in culture and "网络安全" not in culture


@pytest.mark.parametrize("kind", sorted(BAD_ANSWERS))
def test_every_kind_of_bad_answer_is_repaired(monkeypatch, fake_openai, facts, kind):
    fake_openai.responder = content_responder(kind, then="good")
    _llm_env(monkeypatch, fake_openai)
    result = draft_report(facts, DraftOptions(engine="llm"))
    llm = [s for s in result.sections if s.engine != "offline"]
    assert llm and all(s.engine == "llm-repaired" and s.calls == 2 for s in llm), [(s.engine, s.findings) for s in llm]
    assert all(s.findings for s in llm)  # the summary can say what was wrong
    assert gate_findings(result.text, facts) == []


@pytest.mark.parametrize(("kind", "rule"), [("echo", "prompt-echo"), ("meta", "meta-line"), ("list-paste", "list-paste"),
                                            ("markdown", "markdown"), ("english", "english"),
                                            ("half-sentence", "incomplete"), ("own-figures", "own-figure"),
                                            ("repeated", "repeated"), ("wrong-reference", "reference-unnamed")])
def test_a_model_that_keeps_failing_falls_back_offline_labelled_verification(monkeypatch, fake_openai, facts, kind,
                                                                             rule):
    fake_openai.responder = content_responder(kind, then=kind)
    _llm_env(monkeypatch, fake_openai)
    result = draft_report(facts, DraftOptions(engine="llm", max_repairs=1))
    llm = [s for s in result.sections if s.engine != "offline"]
    assert all(s.engine == "offline-fallback" and s.fallback_reason == "verification" for s in llm)
    assert any(any(f"[{rule}]" in note for note in s.findings) for s in llm)
    assert gate_findings(result.text, facts) == []
    for bad in ("好的", "大事（", "**", "In summary", "37场", "本节事实"):
        assert bad not in result.text


def test_llm_draft_survives_errors_and_truncation(monkeypatch, fake_openai, facts):
    replies = [Reply.server_error(500), Reply.truncated(), Reply.malformed_json()]
    fake_openai.responder = lambda body: replies[len(fake_openai.chat_requests) % 3]
    _llm_env(monkeypatch, fake_openai)
    monkeypatch.setenv("DRAFTER_MAX_RETRIES", "0")
    result = draft_report(facts, DraftOptions(engine="llm", max_repairs=1))
    # an oracle apart from the gate: every figure is written as one of the facts states it
    allowed = {m.display() for m in facts.metrics}
    figures = [c for c in extract_claims(result.text) if c.is_metric]
    free = "".join(facts.free_texts())
    assert figures and all(c.text in allowed or c.text in free for c in figures), [c.text for c in figures]
    assert all(s.engine in ("offline", "offline-fallback", "llm", "llm-repaired") for s in result.sections)


@pytest.mark.parametrize(("reply", "env", "reason"), [
    (Reply.slow(3.0), {"DRAFTER_TIMEOUT": "0.5", "DRAFTER_FIRST_TOKEN_TIMEOUT": "0.5"}, "timeout"),
    (Reply.server_error(503), {}, "network"),
    (Reply.malformed_json(), {}, "bad-response"),
])
def test_a_fallback_says_truly_why(monkeypatch, fake_openai, facts, reply, env, reason):
    fake_openai.default = reply
    _llm_env(monkeypatch, fake_openai)
    monkeypatch.setenv("DRAFTER_MAX_RETRIES", "0")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = draft_report(facts, DraftOptions(engine="llm"))
    llm = [s for s in result.sections if s.engine != "offline"]
    assert llm and all(s.engine == "offline-fallback" and s.fallback_reason == reason for s in llm)
    assert result.llm_unreachable
    assert gate_findings(result.text, facts) == []


def test_llm_sections_run_concurrently(monkeypatch, fake_openai, facts):
    fake_openai.responder = lambda body: Reply.slow(1.0, good_section(body))
    _llm_env(monkeypatch, fake_openai, concurrency=8)
    draft_report(facts, DraftOptions(engine="llm"))
    requests = fake_openai.chat_requests
    assert len(requests) >= 8
    # overlap, as the server saw it (no wall-clock assertion): sections were in flight together
    assert fake_openai.max_in_flight >= 4


def test_a_server_that_cuts_a_stream_for_the_next_request_gets_one_at_a_time(monkeypatch, fake_openai, facts):
    """llama-cpp-python's server drops the answer it is writing when another request arrives (seen with the real
    1.5B model: 7 of 8 sections cut at concurrency 8): after the first cut, one request at a time, and the cut
    sections are asked again — none falls back."""
    fake_openai.interrupting = True
    fake_openai.responder = lambda body: Reply.trickle(good_section(body), 0.005)
    _llm_env(monkeypatch, fake_openai, concurrency=8)
    result = draft_report(facts, DraftOptions(engine="llm"))
    generated = [s for s in result.sections if s.engine != "offline"]
    assert fake_openai.cut_streams >= 1  # it did cut: a cut happens only when another request came in
    assert len(result.notices) == 1 and "逐节请求" in result.notices[0]  # and the user is told
    assert generated and all(s.engine == "llm" for s in generated), [(s.engine, s.fallback_reason) for s in generated]
    assert gate_findings(result.text, facts) == []
    # remembered: the next draft to this endpoint starts one at a time, and nothing is cut
    fake_openai.cut_streams = 0
    again = draft_report(facts, DraftOptions(engine="llm"))
    assert fake_openai.cut_streams == 0 and all(s.engine == "llm" for s in again.sections if s.engine != "offline")
    assert again.notices == []


@pytest.mark.parametrize("fails", [False, True])
def test_the_callers_preparation_runs_once_while_the_model_writes(monkeypatch, fake_openai, facts, fails):
    fake_openai.responder = content_responder("good")
    _llm_env(monkeypatch, fake_openai)
    plans = []

    def prepare(plan):
        plans.append((plan.title, len(fake_openai.chat_requests)))
        if fails:
            raise OSError("disk full")  # a failed preparation costs nothing but the time it saved

    result = draft_report(facts, DraftOptions(engine="llm"), while_waiting=prepare)
    assert plans == [(result.plan.title, plans[0][1])] and gate_findings(result.text, facts) == []
    assert draft_report(facts, DraftOptions(engine="offline"), while_waiting=prepare).text and len(plans) == 1


def test_streaming_replies_are_accepted(monkeypatch, fake_openai, facts):
    fake_openai.responder = content_responder("good")
    _llm_env(monkeypatch, fake_openai)
    monkeypatch.setenv("DRAFTER_STREAMING", "1")
    result = draft_report(facts, DraftOptions(engine="llm"))
    assert any(r.stream for r in fake_openai.chat_requests)
    assert gate_findings(result.text, facts) == []
    assert {s.engine for s in result.sections} == {"llm", "offline"}


@pytest.mark.parametrize(("text", "body"), [("一、加强组织领导\n正文一。", "正文一。"), ("“正文。”", "正文。"),
                                            ("正文。\n\n第二段。", "正文。\n第二段。")])
def test_clean_body(text, body):
    assert clean_body(text, "加强组织领导") == body


def test_invented_text_is_what_the_gate_rejects(facts):
    assert gate_findings(INVENTED_NUMBERS_TEXT, facts)


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "drafter", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def test_draft_cli_offline_docx_and_summary(tmp_path):
    out = tmp_path / "总结.docx"
    result = run("draft", "--facts", str(FACTS), "-o", str(out), "--engine", "offline")
    assert result.returncode == 0, result.stderr
    assert out.exists() and "核验通过" in result.stdout and "离线引擎" in result.stderr
    again = run("draft", "--facts", str(FACTS), "-o", str(out), "--engine", "offline")
    assert again.returncode == 2 and "--force" in again.stderr


def test_draft_cli_llm_summary_names_repairs_and_hides_the_key(tmp_path, fake_openai):
    fake_openai.responder = content_responder("own-figures", then="good")
    out = tmp_path / "总结.txt"
    env = {"DRAFTER_BASE_URL": fake_openai.base_url, "DRAFTER_MODEL": "fake-model", "DRAFTER_API_KEY": "sk-secret-test"}
    result = run("draft", "--facts", str(FACTS), "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert "修复后通过" in result.stdout and "大模型调用" in result.stdout and "own-figure" in result.stdout
    assert "sk-secret-test" not in result.stdout + result.stderr + out.read_text(encoding="utf-8")
    assert gate_findings(out.read_text(encoding="utf-8"), load_facts(FACTS)) == []


@pytest.mark.parametrize("suffix", [".docx", ".txt", ".md"])
def test_preparing_the_output_loads_its_writer_and_writes_nothing(tmp_path, facts, suffix):
    from drafter.cli.draft_cmd import prepare_output
    from drafter.draft.plan import plan_report

    out = tmp_path / "out"
    out.mkdir()
    prepare_output(plan_report(facts, "意识形态工作总结"), str(out / f"总结{suffix}"), plain_fonts=True)
    assert list(out.iterdir()) == []


def test_draft_cli_says_so_and_exits_1_when_every_llm_call_failed(tmp_path, fake_openai):
    fake_openai.default = Reply.server_error(503)
    out = tmp_path / "总结.txt"
    env = {"DRAFTER_BASE_URL": fake_openai.base_url, "DRAFTER_MODEL": "fake-model", "DRAFTER_API_KEY": "sk-secret-test",
           "DRAFTER_MAX_RETRIES": "0"}
    result = run("draft", "--facts", str(FACTS), "-o", str(out), env=env)
    assert result.returncode == 1, result.stderr
    assert "所有大模型调用都失败了" in result.stderr and "drafter config test" in result.stderr
    assert "大模型接口出错" in result.stdout and "未通过核验" not in result.stdout
    assert out.exists()  # the offline draft is still written


@pytest.mark.parametrize(("text", "body"), [
    ("加强组织领导。镇党委召开专题会议〔1〕，研究部署意识形态工作。", "镇党委召开专题会议〔1〕，研究部署意识形态工作。"),
    ("本节正文：\n镇党委召开专题会议〔1〕。", "镇党委召开专题会议〔1〕。"),
    # seen from Qwen2.5-Coder-1.5B: the heading as the first sentence, after a short lead
    ("镇党委不断加强组织领导。召开专题会议〔1〕，研究部署。", "召开专题会议〔1〕，研究部署。"),
    ("镇党委在加强组织领导方面召开专题会议〔1〕，研究部署意识形态工作，压实各级责任。",
     "镇党委在加强组织领导方面召开专题会议〔1〕，研究部署意识形态工作，压实各级责任。"),
])
def test_clean_body_drops_a_heading_sentence_but_never_a_paragraph(text, body):
    assert clean_body(text, "加强组织领导") == body


def test_facts_a_verified_section_left_out_come_back_as_sentences_of_their_kind():
    """Not “同时，A共3次；B 4次。”: each left-out fact gets a sentence of its kind, and the gate passes it."""
    from drafter.draft.model import PlannedSection
    from drafter.draft.pipeline import add_missing_facts
    from drafter.facts import load_facts
    from drafter.verify import gate_findings, stated_facts

    facts = load_facts(Path(__file__).parent.parent / "examples" / "青石镇事实.yaml")
    metrics = facts.metrics[:3]
    section = PlannedSection(topic="组织领导与责任制", heading="压实责任", metrics=metrics)
    body = add_missing_facts("镇党委始终把意识形态工作摆在重要位置，严格落实主体责任。", section, facts)
    assert "同时，" not in body and "；" not in body
    assert gate_findings(body, facts) == []
    assert {m.name for m in metrics} <= stated_facts(body, facts)


def _mendable(body):
    """What Qwen2.5-Coder-1.5B wrote for the theory section (issue 12), in the request's own facts: the
    heading repeated as a first sentence, one line a fact opening with a bare name〔n〕 and the figure
    copied after it, five lines."""
    facts = prompt_facts(body)
    heading = re.search(r"请写“([^”]+)”一节", [m for m in body["messages"] if m["role"] == "user"][-1]["content"])
    lines = [f"{name}〔{n}〕（{shown}），推动这项工作在全镇上下落地见效，干部群众的积极性进一步提高。" for n, name, shown in facts]
    return f"镇党委不断{heading.group(1)}。" + "\n".join(lines or ["坚持常态化推进与重点突破相结合，定期听取工作汇报，及时研究解决突出问题。"])


def test_harmless_form_is_mended_by_drafter_and_accepted_first_time(monkeypatch, fake_openai, facts):
    fake_openai.responder = lambda body: Reply.good(_mendable(body))
    _llm_env(monkeypatch, fake_openai)
    result = draft_report(facts, DraftOptions(engine="llm"))
    llm = [s for s in result.sections if s.engine != "offline"]
    assert llm and all(s.engine == "llm" and s.calls == 1 for s in llm), [(s.engine, s.findings) for s in llm]
    assert gate_findings(result.text, facts) == []
    assert "镇党委不断深化理论武装" not in result.text and "全年共组织中心组学习12次" in result.text


def test_a_number_rule_on_a_referenced_figure_tells_the_model_what_to_write(facts):
    """The gate's own message speaks to a user editing a facts file; the model gets the clause to write."""
    from drafter.draft.pipeline import section_check, section_prompt

    plan = plan_report(facts, "意识形态工作总结")
    section = plan.sections[0]  # 专题会议, 分析研判会, 所辖村（社区）
    _, context = section_prompt(section, plan, facts, [], (0, 0))
    # seen from Qwen2.5-Coder-1.5B: the villages' count read as the meetings'
    _, findings = section_check(section, facts, context, "adopt")(
        "镇党委召开意识形态工作专题会议〔1〕，研究部署全镇意识形态工作。\n"
        "各村（社区）〔3〕召开意识形态领域分析研判会〔2〕，对本辖区意识形态工作进行深入分析，提出有针对性的措施。")
    misread = [f for f in findings if f.text == "11个"]
    assert misread and all("事实文件" not in f.message and "〔3〕" in f.message for f in misread)
