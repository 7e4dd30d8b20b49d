"""The shared generate → verify → repair loop (drafter/generate.py) against the fake OpenAI server."""

import asyncio
import threading

import pytest

from drafter.exceptions import LLMBadResponseError, LLMConnectionError, LLMError, LLMTimeoutError
from drafter.findings import Finding, Severity
from drafter.generate import Failure, exemplar_allowance, failure_of, generate_all, generate_verified
from drafter.llm.client import make_chat_model
from drafter.llm.config import LLMSettings
from tests.fake_openai import Reply

GOOD = "镇党委认真落实意识形态工作责任制。"
BAD = "全年开展活动37场。"
MESSAGES = [("system", "只写正文。"), ("user", "请写本节正文。")]


def check(answer: str) -> tuple[str, list[Finding]]:
    findings = [Finding("own-figure", Severity.ERROR, 0, 2, 1, 1, "37场", "自己写的数字")] if "37" in answer else []
    return answer.strip(), findings


def model_for(server, **kw):
    values = {"base_url": server.base_url, "model": "fake-model", "api_key": "sk-test-000000000000", "max_retries": 0}
    values.update(kw)
    return make_chat_model(LLMSettings(**values))


def run(server, *, max_attempts=3, **kw):
    return asyncio.run(generate_verified(model_for(server, **kw), MESSAGES, check, max_attempts=max_attempts))


def test_first_answer_that_passes_is_kept(fake_openai):
    fake_openai.queue = [Reply.good(GOOD)]
    result = run(fake_openai)
    assert (result.text, result.repairs, result.failure) == (GOOD, 0, None)
    assert len(fake_openai.chat_requests) == 1


def test_a_repair_is_a_reask_in_the_same_conversation(fake_openai):
    fake_openai.queue = [Reply.good(BAD), Reply.good(GOOD)]
    result = run(fake_openai)
    assert result.text == GOOD and result.repairs == 1
    second = fake_openai.chat_requests[1].messages
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert second[2]["content"] == BAD and "自己写的数字" in second[3]["content"]
    assert [a.findings and a.findings[0].rule for a in result.attempts] == ["own-figure", []]


def test_attempts_are_bounded_then_the_failure_is_verification(fake_openai):
    fake_openai.default = Reply.good(BAD)
    result = run(fake_openai, max_attempts=2)
    assert result.text is None and result.failure is Failure.VERIFICATION
    assert len(fake_openai.chat_requests) == 2 and len(result.attempts) == 2
    assert any("own-figure" in note for note in result.notes())


@pytest.mark.parametrize(
    ("reply", "settings", "failure"),
    [
        (Reply.slow(2.0, GOOD), {"timeout": 0.3, "first_token_timeout": 0.3}, Failure.TIMEOUT),
        (Reply.server_error(500), {}, Failure.NETWORK),
        (Reply.malformed_json(), {}, Failure.BAD_RESPONSE),
    ],
)
def test_transport_failures_are_labelled_truthfully(fake_openai, reply, settings, failure):
    fake_openai.default = reply
    result = run(fake_openai, **settings)
    assert result.text is None and result.failure is failure and result.error


def test_a_truncated_or_empty_answer_is_a_failed_attempt(fake_openai):
    fake_openai.queue = [Reply.truncated(), Reply.good("  "), Reply.good(GOOD)]
    result = run(fake_openai)
    assert result.text == GOOD
    assert [a.findings[0].rule for a in result.attempts[:2]] == ["truncated", "empty"]


def test_verification_runs_off_the_event_loop(fake_openai):
    fake_openai.default = Reply.good(GOOD)
    threads: list[int] = []

    def recording(answer):
        threads.append(threading.get_ident())
        return check(answer)

    async def go():
        loop_thread = threading.get_ident()
        model = model_for(fake_openai)
        await generate_all(model, [(MESSAGES, recording)] * 3, concurrency=3)
        return loop_thread

    loop_thread = asyncio.run(go())
    assert len(threads) == 3 and loop_thread not in threads


def test_every_job_is_answered_by_a_server_that_cuts_a_stream_for_the_next_request(fake_openai):
    """rewrite's LLM engine goes through generate_all: the same adaptive gate as the draft (drafter.llm.gate)."""
    fake_openai.interrupting = True
    fake_openai.responder = lambda body: Reply.trickle(GOOD * 6, 0.005)
    model = model_for(fake_openai, streaming=True)
    results = asyncio.run(generate_all(model, [(MESSAGES, check)] * 4, concurrency=4, stream=True))
    assert fake_openai.cut_streams >= 1 and all(r.accepted for r in results), [r.failure for r in results]


@pytest.mark.parametrize(
    ("err", "failure"),
    [
        (LLMTimeoutError("x"), Failure.TIMEOUT),
        (LLMConnectionError("x"), Failure.NETWORK),
        (LLMBadResponseError("x"), Failure.BAD_RESPONSE),
        (LLMError("超时：大模型接口在 60 秒内没有应答"), Failure.TIMEOUT),  # the untyped error of older clients
        (LLMError("连接失败：无法连接大模型接口"), Failure.NETWORK),
        (LLMError("大模型接口返回了无法解析的内容"), Failure.BAD_RESPONSE),
    ],
)
def test_failure_of(err, failure):
    assert failure_of(err) is failure


@pytest.mark.parametrize(("n_ctx", "allowance"), [(None, (8, 1200)), (2048, (0, 0)), (4096, (0, 0)),
                                                  (8192, (1, 300)), (32768, (8, 1200))])
def test_a_small_context_gets_fewer_shorter_exemplars(n_ctx, allowance):
    assert exemplar_allowance(n_ctx, 8, 1200) == allowance


def test_a_rambling_streamed_answer_is_cut_and_counted_as_too_long(fake_openai):
    fake_openai.queue = [Reply.good("镇党委高度重视，" * 200), Reply.good(GOOD)]

    async def go():
        return await generate_verified(model_for(fake_openai), MESSAGES, check, stream=True, max_chars=100)

    result = asyncio.run(go())
    assert result.text == GOOD
    assert result.attempts[0].findings[0].rule == "truncated"
    assert len(result.attempts[0].answer) < 200


def test_a_repair_round_can_continue_a_conversation_without_the_worked_example(fake_openai):
    fake_openai.queue = [Reply.good(BAD), Reply.good(GOOD)]
    example = [("user", "例子：写甲。"), ("assistant", "甲。")]
    messages = [MESSAGES[0], *example, MESSAGES[1]]

    async def go():
        return await generate_verified(model_for(fake_openai), messages, check, repair_prefix=MESSAGES)

    assert asyncio.run(go()).text == GOOD
    first, second = (r.messages for r in fake_openai.chat_requests)
    assert [m["content"] for m in first][1:3] == ["例子：写甲。", "甲。"]
    assert "例子：写甲。" not in [m["content"] for m in second] and second[2]["content"] == BAD


@pytest.mark.parametrize(("temperature", "repair"), [(0.3, 0.8), (1.0, 1.0)])
def test_a_repair_round_samples_warmer(fake_openai, temperature, repair):
    """Measured with Qwen2.5-Coder-1.5B at 0.3: repairs came back as the failed answer, verbatim."""
    fake_openai.queue = [Reply.good(BAD), Reply.good(BAD), Reply.good(GOOD)]
    result = run(fake_openai, temperature=temperature)
    assert result.text == GOOD
    sent = [r.body.get("temperature") for r in fake_openai.chat_requests]
    assert sent == [temperature, repair, repair]
