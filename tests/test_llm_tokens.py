"""Offline token counting and fitting ranked passages into a prompt budget."""

import subprocess
import sys

import pytest

from drafter.llm.tokens import count_tokens, fit_to_budget, truncate_to_tokens

SHORT = "召开专题会议。"
LONG = "今年以来，全镇坚持把意识形态工作摆在重要位置，" * 20 + "取得了明显成效。"


@pytest.mark.parametrize(("text", "tokens"), [("", 0), ("hello world", 2), ("<|endoftext|>", 7)])
def test_count_tokens_known_values(text, tokens):
    assert count_tokens(text) == tokens  # special-token text in user input is plain text, never refused


def test_chinese_counts_are_plausible():
    n = count_tokens(LONG)
    assert len(LONG) * 0.5 < n < len(LONG) * 2


def test_counting_needs_no_network(tmp_path):
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from drafter.llm.tokens import count_tokens; print(count_tokens('青石镇意识形态工作总结'))"
    )
    env = {"PATH": "/usr/bin:/bin", "TIKTOKEN_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and int(out.stdout) > 0, out.stderr


def test_fit_keeps_ranked_order_and_skips_what_overflows():
    budget = count_tokens(SHORT) * 2 + 1
    assert fit_to_budget([SHORT, LONG, "开展宣讲。", SHORT], budget) == [SHORT, "开展宣讲。"]


def test_fit_returns_everything_that_fits():
    passages = [SHORT, "开展宣讲。"]
    assert fit_to_budget(passages, 1000) == passages


def test_fit_truncates_the_first_when_nothing_fits():
    (only,) = fit_to_budget([LONG, LONG], 30)
    assert only and LONG.startswith(only) and count_tokens(only) <= 30


@pytest.mark.parametrize(("passages", "budget"), [([], 10), (["", ""], 10), ([SHORT], 0)])
def test_fit_edge_cases(passages, budget):
    assert fit_to_budget(passages, budget) == []


def test_truncate_prefers_a_sentence_end():
    text = "第一句话写完了。" * 3 + "第二句很长很长很长很长很长很长很长很长很长很长"
    cut = truncate_to_tokens(text, count_tokens(text) - 5)
    assert cut.endswith("。") and text.startswith(cut)
    assert truncate_to_tokens(text, 10_000) == text and truncate_to_tokens(text, 0) == ""
