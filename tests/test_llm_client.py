"""The LLM client against a real HTTP server on 127.0.0.1 (tests/fake_openai.py), plus fake chat models."""

import asyncio
import logging

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from drafter.exceptions import LLMBadResponseError, LLMError, LLMTimeoutError
from drafter.llm.client import Completion, acomplete_all, complete, complete_all, make_chat_model, scrub
from drafter.llm.config import LLMSettings
from tests.fake_openai import INVENTED_NUMBERS_TEXT, Reply

KEY = "sk-test-0123456789abcdefWXYZ"
MESSAGES = [("system", "你是文字秘书。"), ("user", "请写一句话。")]


def settings_for(server, **overrides) -> LLMSettings:
    values = dict(base_url=server.base_url, api_key=KEY, model="fake-model", timeout=5.0, max_retries=2)
    values.update(overrides)
    return LLMSettings(**values)


def chat(server, **overrides):
    return make_chat_model(settings_for(server, **overrides))


def test_good_reply_and_what_was_sent(fake_openai):
    fake_openai.queue = [Reply.good("本月召开专题会议。")]
    result = complete(chat(fake_openai, temperature=0.2), MESSAGES)
    assert result == Completion("本月召开专题会议。", "stop", result.prompt_tokens, 9)
    assert result.prompt_tokens and not result.truncated
    (req,) = fake_openai.chat_requests
    assert req.model == "fake-model"
    assert [m["role"] for m in req.messages] == ["system", "user"]
    assert req.messages[1]["content"] == "请写一句话。"
    assert req.body["temperature"] == 0.2
    assert req.has_auth and "authorization" not in req.headers


def test_streaming_feeds_pieces_and_reports_usage(fake_openai):
    fake_openai.queue = [Reply.numbers()]
    pieces: list[str] = []
    result = complete(chat(fake_openai), MESSAGES, on_text=pieces.append)
    assert "".join(pieces) == result.text == INVENTED_NUMBERS_TEXT
    assert len(pieces) > 1
    assert result.finish_reason == "stop"
    assert result.completion_tokens == len(INVENTED_NUMBERS_TEXT)
    (req,) = fake_openai.chat_requests
    assert req.stream and req.body["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("stream", [False, True])
def test_max_tokens_is_sent_as_the_classic_field(fake_openai, stream):
    complete(make_chat_model(settings_for(fake_openai), max_tokens=50), MESSAGES, stream=stream)
    (req,) = fake_openai.chat_requests
    assert req.body["max_tokens"] == 50 and "max_completion_tokens" not in req.body


def test_no_max_tokens_unless_asked(fake_openai):
    complete(chat(fake_openai), MESSAGES)
    assert "max_tokens" not in fake_openai.chat_requests[0].body


def test_streaming_setting_streams_plain_invoke(fake_openai):
    result = complete(chat(fake_openai, streaming=True), MESSAGES)
    assert result.text == "收到。"
    assert fake_openai.chat_requests[0].stream


@pytest.mark.parametrize("failure", [Reply.rate_limited(retry_after=0.01), Reply.server_error(500),
                                     Reply.server_error(503)])
@pytest.mark.parametrize("stream", [False, True])
def test_transient_failure_is_retried_then_succeeds(fake_openai, failure, stream):
    fake_openai.queue = [failure, Reply.good("好的")]
    result = complete(chat(fake_openai), MESSAGES, stream=stream)
    assert result.text == "好的"
    assert len(fake_openai.chat_requests) == 2


def test_rate_limit_that_persists_gives_chinese_error_after_retries(fake_openai):
    fake_openai.default = Reply.rate_limited(retry_after=0.01)
    with pytest.raises(LLMError) as info:
        complete(chat(fake_openai, max_retries=2), MESSAGES)
    assert "限流" in str(info.value) and "concurrency" in str(info.value)
    assert len(fake_openai.chat_requests) == 3  # the first try and two retries


def test_silent_server_is_a_chinese_timeout_error_without_retries(fake_openai):
    fake_openai.default = Reply.slow(1.5)
    with pytest.raises(LLMTimeoutError) as info:
        complete(chat(fake_openai, first_token_timeout=0.3, max_retries=1), MESSAGES)
    message = str(info.value)
    assert message.startswith("超时") and "DRAFTER_FIRST_TOKEN_TIMEOUT" in message
    assert "drafter config set first_token_timeout" in message
    assert len(fake_openai.chat_requests) == 1  # a retry of a silent server would only double the wait


@pytest.mark.parametrize("stream", [False, True])
def test_truncation_is_a_failed_answer(fake_openai, stream):
    fake_openai.queue = [Reply.truncated()]
    with pytest.raises(LLMBadResponseError, match="finish_reason=length") as info:
        complete(chat(fake_openai), MESSAGES, stream=stream)
    assert info.value.kind == "length" and info.value.partial == Reply.truncated().text


def test_malformed_body_gets_one_more_attempt(fake_openai):
    fake_openai.queue = [Reply.malformed_json(), Reply.good("恢复了")]
    assert complete(chat(fake_openai), MESSAGES).text == "恢复了"
    assert len(fake_openai.chat_requests) == 2


@pytest.mark.parametrize("stream", [False, True])
def test_malformed_body_that_persists_is_explained(fake_openai, stream):
    fake_openai.default = Reply.malformed_json()
    with pytest.raises(LLMError, match="无法解析"):
        complete(chat(fake_openai), MESSAGES, stream=stream)
    assert len(fake_openai.chat_requests) == 2


@pytest.mark.parametrize(
    ("status", "needle"),
    [(401, "鉴权失败"), (403, "鉴权失败"), (402, "余额不足"), (404, "模型名 fake-model"), (400, "HTTP 400")],
)
def test_http_errors_become_chinese_messages_without_the_key(fake_openai, status, needle):
    fake_openai.default = Reply.error(status)
    with pytest.raises(LLMError) as info:
        complete(chat(fake_openai), MESSAGES)
    assert needle in str(info.value)
    assert KEY not in str(info.value)
    assert len(fake_openai.chat_requests) == 1  # client errors are not retried


def test_wrong_key_is_refused_and_masked(fake_openai):
    fake_openai.expected_key = "sk-the-right-one-000000"
    with pytest.raises(LLMError) as info:
        complete(chat(fake_openai), MESSAGES)
    assert "鉴权失败" in str(info.value) and "sk-…WXYZ" in str(info.value)
    assert "drafter config set api_key" in str(info.value) and "DRAFTER_API_KEY" in str(info.value)


def test_unreachable_endpoint_is_a_connection_error():
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    model = make_chat_model(LLMSettings(base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=0))
    with pytest.raises(LLMError, match="连接失败") as info:
        complete(model, MESSAGES)
    assert "DRAFTER_BASE_URL" in str(info.value)


def test_key_never_reaches_logs(fake_openai, caplog):
    caplog.set_level(logging.DEBUG)
    fake_openai.queue = [Reply.good(), Reply.error(401)]
    model = chat(fake_openai, max_retries=0)
    complete(model, MESSAGES)
    with pytest.raises(LLMError):
        complete(model, MESSAGES)
    assert caplog.records  # the openai/httpx debug logs did run
    assert KEY not in caplog.text
    assert KEY not in repr(model) and KEY not in str(model)  # langchain keeps it as a SecretStr


@pytest.mark.parametrize(("url", "proxy", "trusts_a_ca"), [
    ("http://127.0.0.1:8080/v1", None, False),  # a local server: never a TLS connection, no CA bundle loaded
    ("HTTP://localhost:11434/v1", "http://proxy.example:3128", False),
    ("https://api.example.cn/v1", None, True),
    ("http://10.0.0.5:8000/v1", "https://proxy.example:443", True),  # TLS to the proxy
])
def test_tls_context_loads_the_ca_bundle_only_where_tls_can_happen(url, proxy, trusts_a_ca):
    from drafter.llm.client import _tls_for

    assert (_tls_for(url, proxy).cert_store_stats()["x509_ca"] > 0) is trusts_a_ca


def test_scrub_masks_key_shaped_strings():
    assert scrub(f"bad key {KEY} rejected", KEY) == "bad key sk-…WXYZ rejected"
    assert "abcdef" not in scrub("Incorrect API key provided: sk-abcdefghijklmnop")


def test_unconfigured_settings_refuse_to_build_a_model():
    with pytest.raises(LLMError, match="DRAFTER_BASE_URL"):
        make_chat_model(LLMSettings())


# ---------------------------------------------------------------- concurrency


def test_concurrent_calls_overlap(fake_openai):
    """Four calls of 1 s each run together: every one starts before any finishes."""
    fake_openai.default = Reply.slow(1.0)
    batches = [[("user", f"第{i}节")] for i in range(4)]
    results = complete_all(chat(fake_openai), batches, concurrency=4)
    assert [r.text for r in results] == ["收到。"] * 4
    requests = fake_openai.chat_requests
    assert len(requests) == 4 and fake_openai.max_in_flight == 4
    assert max(r.started for r in requests) < min(r.finished for r in requests)


def test_concurrency_limit_is_respected(fake_openai):
    fake_openai.default = Reply.slow(0.2)
    batches = [[("user", f"第{i}节")] for i in range(6)]
    complete_all(chat(fake_openai), batches, concurrency=2)
    assert len(fake_openai.chat_requests) == 6 and fake_openai.max_in_flight == 2


def test_a_failing_section_does_not_lose_the_others(fake_openai):
    def responder(body):
        return Reply.error(400) if "第2节" in body["messages"][-1]["content"] else Reply.good("完成")

    fake_openai.responder = responder
    done: list[int] = []
    batches = [[("user", f"第{i}节")] for i in range(4)]
    results = complete_all(chat(fake_openai), batches, on_done=lambda i, r: done.append(i))
    assert isinstance(results[2], LLMError)
    assert [r.text for i, r in enumerate(results) if i != 2] == ["完成"] * 3
    assert sorted(done) == [0, 1, 2, 3]


def test_model_is_reusable_across_event_loops(fake_openai):
    model = chat(fake_openai)
    for _ in range(3):  # langchain's shared async client used to break the second asyncio.run()
        assert [r.text for r in complete_all(model, [MESSAGES, MESSAGES])] == ["收到。", "收到。"]


# ---------------------------------------------------------------- fake chat models (no HTTP)


def test_langchain_messages_and_dicts_are_sent_as_roles(fake_openai):
    from langchain_core.messages import HumanMessage, SystemMessage

    complete(chat(fake_openai), [SystemMessage("甲"), {"role": "assistant", "content": "乙"}, HumanMessage("丙")])
    assert [(m["role"], m["content"]) for m in fake_openai.chat_requests[0].messages] == [
        ("system", "甲"), ("assistant", "乙"), ("user", "丙")]


def test_a_whole_json_answer_is_judged_like_a_stream():
    """Some gateways answer ``stream: true`` with one JSON body: accepted only when finished."""
    from drafter.llm.stream import BadAnswer, answer_from_json
    from tests.fake_openai import _completion

    body = _completion({"model": "m"}, Reply.good("整段回复。"))
    assert answer_from_json(body).text == "整段回复。"
    for broken, kind in [({**body, "choices": []}, "no_choices"), ({"error": {"message": "x"}}, "server_error"),
                         ({**body, "choices": [{"message": {"content": "半"}, "finish_reason": None}]}, "cut")]:
        with pytest.raises(BadAnswer) as info:
            answer_from_json(broken)
        assert info.value.kind == kind


def test_fake_list_model_gives_a_completion():
    model = FakeListChatModel(responses=["第一句。", "第二句。"])
    assert complete(model, MESSAGES) == Completion("第一句。")
    assert complete(model, MESSAGES).text == "第二句。"


def test_generic_fake_model_streams_through_on_text():
    model = GenericFakeChatModel(messages=iter([AIMessage(content="今年 开展 宣讲")]))
    pieces: list[str] = []
    assert complete(model, MESSAGES, on_text=pieces.append).text == "今年 开展 宣讲"
    assert len(pieces) > 1


def test_acomplete_all_with_fake_model():
    model = FakeListChatModel(responses=["甲", "乙", "丙"])
    results = asyncio.run(acomplete_all(model, [MESSAGES] * 3, concurrency=1))
    assert sorted(r.text for r in results) == ["丙", "乙", "甲"]


# ---------------------------------------------------------------- the server's context size


@pytest.mark.parametrize(("props", "meta", "setting", "expected"), [
    ({"default_generation_settings": {"n_ctx": 4096}}, {"n_ctx_train": 32768}, 0, 4096),
    (None, {"n_ctx_train": 32768}, 0, 32768),
    (None, None, 0, None),
    ({"n_ctx": 2048}, None, 8192, 8192),  # the setting wins
])
def test_context_size(fake_openai, props, meta, setting, expected):
    from drafter.llm.server import context_size

    fake_openai.props, fake_openai.model_meta = props, meta
    settings = settings_for(fake_openai, n_ctx=setting, model=f"m-{setting}-{props is None}-{meta is None}")
    fake_openai.models = [settings.model]
    assert context_size(settings) == expected


def test_context_size_never_raises():
    from drafter.llm.server import context_size

    assert context_size(LLMSettings(base_url="http://127.0.0.1:9/v1", model="m")) is None
