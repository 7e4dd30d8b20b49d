"""Hostile input, saved sessions: a resumed draft verifies its saved sections again, refuses a session file
with fields drafter never wrote, and Ctrl-C says what was kept and how to go on."""

import json

import pytest

from drafter.draft.model import DEFAULT_TYPE, SectionDraft
from drafter.draft.session import DraftSession, facts_fingerprint, session_path
from tests.test_hostile_output import FACTS, run_main

TAMPERED = "今年召开专题会议99次，开展中心组学习88次，发布信息777条。"


@pytest.fixture
def facts_file(tmp_path):
    path = tmp_path / "事实.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return path


def _save(output, sections: dict, **extra) -> None:
    fingerprint = facts_fingerprint(FACTS, [DEFAULT_TYPE, "offline"])
    path = session_path(str(output))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fingerprint": fingerprint, "sections": sections, **extra}, ensure_ascii=False),
                    encoding="utf-8")


def _section(body: str, **extra) -> dict:
    return {"index": 0, "heading": "加强组织领导", "body": body, "engine": "offline", "repairs": 0,
            "findings": [], "prompt_tokens": 0, "completion_tokens": 0, "calls": 0, **extra}


def test_a_tampered_section_is_drafted_again(monkeypatch, capsys, tmp_path, facts_file):
    out = tmp_path / "总结.txt"
    _save(out, {"0": _section(TAMPERED)})
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", facts_file, "-o", out, "--resume",
                            "--engine", "offline")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "99次" not in text and "777条" not in text
    assert "重新核验" in err


def test_a_good_saved_section_is_kept(tmp_path):
    from drafter.facts.load import parse_facts

    facts = parse_facts(FACTS)
    path = tmp_path / "s.json"
    fingerprint = "fp"
    good = "今年以来，青石镇召开专题会议4次，开展中心组学习12次。"
    path.write_text(json.dumps({"fingerprint": fingerprint, "sections": {"0": _section(good),
                                                                          "1": {**_section(TAMPERED), "index": 1}}},
                               ensure_ascii=False), encoding="utf-8")
    session = DraftSession(path, fingerprint, resume=True, facts=facts)
    assert list(session.sections) == [0] and session.rejected == 1


@pytest.mark.parametrize(("sections", "extra", "says"), [
    ({"0": _section("正文。", evil="rm -rf")}, {}, "不认识的字段"),
    ({"0": _section("正文。")}, {"__class__": "x"}, "不认识的字段"),
    ({"0": {"index": 0, "heading": "x"}}, {}, "缺少字段"),
    ({"0": _section(["不是文字"])}, {}, "类型不对"),
    ({"0": _section("正文。", repairs="many")}, {}, "类型不对"),
    ({"x": _section("正文。")}, {}, "不是数字"),
    ({"5": _section("正文。")}, {}, "不符"),
    ([1, 2], {}, "不是一个表"),
])
def test_a_session_drafter_never_wrote_is_refused(monkeypatch, capsys, tmp_path, facts_file, sections, extra, says):
    out = tmp_path / "总结.txt"
    _save(out, sections, **extra)
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", facts_file, "-o", out, "--resume",
                            "--engine", "offline")
    assert code == 2 and says in err and "删除" in err
    assert not out.exists()


def test_a_damaged_session_is_refused(monkeypatch, capsys, tmp_path, facts_file):
    out = tmp_path / "总结.txt"
    path = session_path(str(out))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"fingerprint": ', encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", facts_file, "-o", out, "--resume",
                            "--engine", "offline")
    assert code == 2 and "已损坏" in err


def test_ctrl_c_says_what_was_saved_and_how_to_resume(monkeypatch, capsys, tmp_path, facts_file):
    import drafter.draft.pipeline

    def interrupted(facts, options, *, session=None, on_section=None, **_):
        session.save(SectionDraft(index=0, heading="加强组织领导", body="正文。", engine="offline"))
        raise KeyboardInterrupt

    monkeypatch.setattr(drafter.draft.pipeline, "draft_report", interrupted)
    out = tmp_path / "总结.txt"
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", facts_file, "-o", out, "--engine", "offline")
    assert code == 130
    assert "已完成的 1 节已保存" in err
    import shlex

    assert shlex.join(["drafter", "draft", "--facts", str(facts_file), "-o", str(out), "--resume",
                       "--engine", "offline"]) in err
    assert session_path(str(out)).exists()


def test_interactive_accepted_sections_are_verified_again(tmp_path):
    from drafter.draft.interactive_state import QAState, load_state, save_state
    from drafter.facts.load import parse_facts

    out = tmp_path / "总结.txt"
    state = QAState(output=str(out), facts_path=str(tmp_path / "事实.yaml"), facts=parse_facts(FACTS))
    state.accepted = {0: SectionDraft(index=0, heading="组织领导", body=TAMPERED, engine="offline"),
                      1: SectionDraft(index=1, heading="理论学习", body="开展中心组学习12次。", engine="offline")}
    save_state(state)
    loaded = load_state(str(out))
    assert loaded is not None and list(loaded.accepted) == [1]
