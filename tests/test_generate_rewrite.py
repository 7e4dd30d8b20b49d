"""rewrite's llm engine on the shared loop: references kept, bad answers repaired, edits at real offsets."""

import re
from pathlib import Path

import pytest

from drafter.facts import load_facts
from drafter.rewrite.llm_engine import rewrite_llm
from drafter.verify import gate_findings
from tests.fake_openai import Reply, is_repair

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = (ROOT / "tests" / "fixtures" / "rewrite" / "松林乡范文.txt").read_text(encoding="utf-8")
FACTS = ROOT / "examples" / "青石镇事实.yaml"
MARKER = "要润色的段落：\n"  # prompts/rewrite_paragraph.md


@pytest.fixture
def llm_env(monkeypatch, fake_openai):
    monkeypatch.setenv("DRAFTER_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("DRAFTER_MODEL", "fake-model")
    monkeypatch.setenv("DRAFTER_API_KEY", "sk-test-000000000000")
    monkeypatch.setenv("DRAFTER_MAX_RETRIES", "0")
    return fake_openai


def paragraph_of(body: dict) -> str:
    first = next(m for m in body["messages"] if m["role"] == "user")["content"]
    return first.split(MARKER, 1)[1].split("\n\n", 1)[0]


def polished(body: dict) -> str:
    return paragraph_of(body).replace("，", "，切实", 1)


BAD = {
    "meta": lambda body: "好的，以下是润色后的段落：" + polished(body),
    "english": lambda body: polished(body) + "This paragraph is polished.",
    "own-figure": lambda body: polished(body).rstrip("。") + "，覆盖群众5600余人。",
    "echo": lambda body: "段落里的〔n〕是事实编号，原样保留在对应事项名称后面，程序会换成数字；" + polished(body),
}


def test_the_model_sees_references_and_the_output_has_the_facts_figures(llm_env):
    llm_env.responder = lambda body: Reply.good(polished(body))
    facts = load_facts(FACTS)
    result = rewrite_llm(TEMPLATE, facts)
    sent = [paragraph_of(r.body) for r in llm_env.chat_requests]
    assert any(re.search(r"〔\d+〕", p) for p in sent)  # the figures went out as references
    assert "〔" not in result.text and "切实" in result.text
    assert gate_findings(result.text, facts) == []
    llm_edits = [e for e in result.edits if e.reason == "llm"]
    assert llm_edits and all(e.new != e.old for e in llm_edits)
    # a paragraph's edit starts where that paragraph starts, not at 0
    assert len({e.start for e in llm_edits}) == len(llm_edits) and sum(e.start > 0 for e in llm_edits) >= len(llm_edits) - 1


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_answer_is_repaired_in_the_same_conversation(llm_env, kind):
    llm_env.responder = lambda body: Reply.good(polished(body) if is_repair(body) else BAD[kind](body))
    facts = load_facts(FACTS)
    result = rewrite_llm(TEMPLATE, facts)
    assert not result.fallbacks
    assert any(e.reason == "llm-repair" for e in result.edits)
    for bad in ("好的", "This paragraph", "5600余人", "原样保留在对应"):
        assert bad not in result.text


def test_a_timeout_is_not_called_a_failed_verification(llm_env, monkeypatch):
    monkeypatch.setenv("DRAFTER_TIMEOUT", "0.3")
    monkeypatch.setenv("DRAFTER_FIRST_TOKEN_TIMEOUT", "0.3")
    llm_env.default = Reply.slow(2.0, "迟到的回答。")
    facts = load_facts(FACTS)
    result = rewrite_llm(TEMPLATE, facts)
    assert result.fallbacks and {fb["reason"] for fb in result.fallbacks} == {"timeout"}
    assert all(fb["label"] == "大模型超时" for fb in result.fallbacks)
    assert gate_findings(result.text, facts) == []
