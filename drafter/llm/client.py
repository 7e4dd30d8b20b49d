"""Calling the LLM: one chat model per endpoint, one call per section, errors in Chinese.

Retries: the openai client itself retries 429 (honouring Retry-After), 408/409, 5xx, timeouts and
connection errors, with exponential backoff (0.5 s doubling, capped at 8 s, with jitter) up to
``max_retries`` times — verified against tests/fake_openai.py. It does not retry a malformed body or a
stream cut off half-way, so those get one more attempt here (``_OUTER_ATTEMPTS``).

The LLM stack (langchain_openai, openai, httpx) is imported inside the functions: importing it costs
~1–2 s, and `drafter check` / `drafter --help` must never pay that.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drafter.exceptions import LLMError
from drafter.llm.config import LLMSettings, masked

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

_OUTER_ATTEMPTS = 2  # for failures the openai client does not retry itself
_OUTER_DELAY = 1.0
# OpenAI-style keys that may appear in a server's error text; masked before any message is built.
_KEY_PATTERN = re.compile(r"\b(sk|pk|key)-[A-Za-z0-9_\-]{8,}")
_NETWORK_MODULES = {"httpx", "httpx2", "httpcore", "httpcore2", "anyio"}

Messages = Sequence[Any]  # [("system", text), ("user", text)] or langchain BaseMessage objects


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    @property
    def truncated(self) -> bool:
        """The model stopped at its output limit: the text is incomplete and must be reported as such."""
        return self.finish_reason == "length"


def _httpx_module() -> Any:
    """The HTTP library this openai version is built on (httpx, or httpx2 in openai ≥ 3)."""
    import openai

    for cls in openai.DefaultAsyncHttpxClient.__mro__:
        if cls.__name__ == "AsyncClient":
            return importlib.import_module(cls.__module__.split(".")[0])
    import httpx  # pragma: no cover - older openai releases

    return httpx


def make_chat_model(settings: LLMSettings, *, max_tokens: int | None = None) -> BaseChatModel:
    """A ChatOpenAI for ``settings``; raises LLMError (with both ways to fix) when not configured.

    ``max_tokens`` caps each answer. Always give one sized to the step: a small local model that
    loses the thread otherwise rambles until its context is full (measured: 76 s for a ping).
    """
    settings.require_configured()
    import openai
    from langchain_openai import ChatOpenAI

    httpx = _httpx_module()
    # Our own HTTP clients, for two reasons. langchain's default transport (TCP keep-alive socket
    # options) disables httpx's proxy detection, so users behind HTTPS_PROXY could not connect, and it
    # warns about that in English. And its shared async client keeps pooled connections bound to the
    # first event loop, so a second asyncio.run() fails with "Event loop is closed": ours keeps no idle
    # connections (a fresh TCP connection per call costs nothing next to an LLM's latency).
    sync_http = openai.DefaultHttpxClient(timeout=settings.timeout)
    async_http = openai.DefaultAsyncHttpxClient(
        timeout=settings.timeout,
        limits=httpx.Limits(max_connections=max(settings.concurrency * 2, 10), max_keepalive_connections=0),
    )
    # `streaming` is passed only when on: langchain-core treats an explicit streaming=False as "never
    # stream", which would silently turn complete(..., stream=True) into one blocking call.
    extra: dict[str, Any] = {"streaming": True} if settings.streaming else {}
    if max_tokens is not None:
        # Sent as the classic `max_tokens` field: ChatOpenAI's own parameter goes out as
        # `max_completion_tokens`, which llama.cpp's server (llama-cpp-python 0.3) silently ignores.
        extra["extra_body"] = {"max_tokens": max_tokens}
    return ChatOpenAI(
        model=settings.model,
        base_url=settings.base_url,
        # Local servers (llama.cpp, Ollama, vLLM) need no key, but the openai client refuses an empty one.
        api_key=settings.api_key or "EMPTY",
        temperature=settings.temperature,
        timeout=settings.timeout,  # ChatOpenAI has none by default: a stalled server would hang forever
        max_retries=settings.max_retries,
        stream_usage=True,  # token counts in streamed answers too
        http_client=sync_http,
        http_async_client=async_http,
        http_socket_options=(),  # none: else langchain warns (in English) that proxies are ignored
        **extra,
    )


# ---------------------------------------------------------------- results


def _text_of(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def _to_completion(message: Any) -> Completion:
    meta = getattr(message, "response_metadata", None) or {}
    usage = getattr(message, "usage_metadata", None) or {}
    raw_usage = meta.get("token_usage") or {}
    completion = Completion(
        text=_text_of(message),
        finish_reason=meta.get("finish_reason"),
        prompt_tokens=usage.get("input_tokens", raw_usage.get("prompt_tokens")),
        completion_tokens=usage.get("output_tokens", raw_usage.get("completion_tokens")),
    )
    if completion.truncated:
        # info, not warning: Python's last-resort handler would print a warning in English to users;
        # the caller reports truncation in Chinese via Completion.truncated.
        log.info("LLM answer truncated at the output limit (%s tokens)", completion.completion_tokens)
    return completion


class _StreamCut(Exception):
    """A network error after part of a stream arrived (the openai client cannot retry that)."""


def _collect(chunks: Iterator[Any], on_text: Callable[[str], None] | None) -> Any:
    merged = None
    for chunk in chunks:
        merged = chunk if merged is None else merged + chunk
        if on_text is not None and (piece := _text_of(chunk)):
            on_text(piece)
    return merged


async def _acollect(chunks: AsyncIterator[Any], on_text: Callable[[str], None] | None) -> Any:
    merged = None
    async for chunk in chunks:
        merged = chunk if merged is None else merged + chunk
        if on_text is not None and (piece := _text_of(chunk)):
            on_text(piece)
    return merged


# ---------------------------------------------------------------- errors


def _secret_of(model: Any) -> str:
    key = getattr(model, "openai_api_key", None)
    getter = getattr(key, "get_secret_value", None)
    return getter() if callable(getter) else (key if isinstance(key, str) else "")


def scrub(text: str, secret: str = "") -> str:
    """``text`` with the key (and anything shaped like one) masked."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, masked(secret))
    return _KEY_PATTERN.sub(lambda m: masked(m.group(0)), text)


def _server_message(err: Any) -> str:
    body = getattr(err, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)[:200]
    return str(getattr(err, "message", "") or err)[:200]


def translate_error(err: BaseException, model: Any) -> tuple[LLMError, bool] | None:
    """(Chinese LLMError, retry-here?) for a transport error; None if ``err`` is not one."""
    import openai

    base_url = getattr(model, "openai_api_base", None) or "（未知）"
    model_name = getattr(model, "model_name", None) or "（未知）"
    retries = getattr(model, "max_retries", None)
    retried = f"已自动重试 {retries if retries is not None else 2} 次"
    timeout = getattr(model, "request_timeout", None)
    secret = _secret_of(model)

    def fail(message: str, retry: bool = False) -> tuple[LLMError, bool]:
        return LLMError(scrub(message, secret)), retry

    if isinstance(err, openai.APITimeoutError):
        return fail(f"超时：大模型接口在 {timeout} 秒内没有应答（{retried}）。请稍后再试；模型较慢时可调大超时："
                    "drafter config set timeout 180，或设置环境变量 DRAFTER_TIMEOUT，也可开启流式输出："
                    "drafter config set streaming true。")
    if isinstance(err, openai.APIConnectionError):
        return fail(f"连接失败：无法连接大模型接口 {base_url}（{retried}）。请检查网络和接口地址："
                    "drafter config show 查看，drafter config set base_url <地址> 修改，或设置环境变量 DRAFTER_BASE_URL。")
    if isinstance(err, openai.APIStatusError):
        code = err.status_code
        if code in (401, 403):
            shown = masked(secret) if secret and secret != "EMPTY" else "未设置"
            return fail(f"鉴权失败：大模型接口拒绝了 API 密钥（HTTP {code}，当前密钥 {shown}）。请检查密钥："
                        "drafter config set api_key <密钥>，或设置环境变量 DRAFTER_API_KEY。")
        if code == 402:
            return fail("大模型账户余额不足（HTTP 402）：请到服务商网站充值后再试。")
        if code == 429:
            return fail(f"限流：大模型接口一直返回“请求过多”（HTTP 429，{retried}）。请稍后再试，或降低并发："
                        "drafter config set concurrency 1，或设置环境变量 DRAFTER_CONCURRENCY。")
        if code == 404:
            return fail(f"找不到模型或接口（HTTP 404）：请确认模型名 {model_name} 正确、接口地址 {base_url} 通常以 /v1 结尾。"
                        "修改：drafter config set model <模型名>，drafter config set base_url <地址>。")
        if code >= 500:
            return fail(f"服务端出错：大模型接口返回 HTTP {code}（{retried}）。这是服务商一侧的问题，请稍后再试。")
        return fail(f"大模型接口拒绝了请求（HTTP {code}：{_server_message(err)}）。常见原因：输入超出模型的上下文长度、"
                    "模型名有误。请检查 drafter config show 的设置。")
    malformed = "接口地址可能不是 OpenAI 兼容接口（通常以 /v1 结尾），或中间的代理截断了应答。请检查：drafter config show。"
    if isinstance(err, openai.APIResponseValidationError | json.JSONDecodeError):
        return fail(f"大模型接口返回了无法解析的内容：{malformed}", retry=True)
    if isinstance(err, _StreamCut):
        return fail(f"大模型的流式应答中途断开：{malformed}", retry=True)
    if isinstance(err, openai.OpenAIError):
        return fail(f"大模型调用失败：{_server_message(err)}。请检查 drafter config show 的设置后重试。")
    return None


def _failure(err: Exception, model: Any) -> tuple[LLMError, bool]:
    """(Chinese LLMError, worth one more attempt here?); re-raises what is not a transport error."""
    if type(err).__module__.split(".")[0] in _NETWORK_MODULES:
        err = _StreamCut(str(err))  # raw httpx errors surface only from an interrupted stream
    translated = translate_error(err, model)
    if translated is None:
        raise err
    log.debug("LLM call failed: %s", scrub(repr(err), _secret_of(model)))
    return translated


# ---------------------------------------------------------------- calls


def complete(model: BaseChatModel, messages: Messages, *, stream: bool = False,
             on_text: Callable[[str], None] | None = None) -> Completion:
    """One chat call. ``stream`` (or an ``on_text`` callback, fed each piece as it arrives) streams."""
    for attempt in range(_OUTER_ATTEMPTS):
        try:
            if stream or on_text is not None:
                message = _collect(model.stream(list(messages)), on_text)
            else:
                message = model.invoke(list(messages))
            return _to_completion(message)
        except Exception as err:
            llm_err, retry = _failure(err, model)
            # With on_text, part of the answer may already be on screen: a second attempt would repeat it.
            if not retry or on_text is not None or attempt + 1 == _OUTER_ATTEMPTS:
                raise llm_err from None
        time.sleep(_OUTER_DELAY)
    raise AssertionError("unreachable")  # pragma: no cover


async def acomplete(model: BaseChatModel, messages: Messages, *, stream: bool = False,
                    on_text: Callable[[str], None] | None = None) -> Completion:
    """The async twin of :func:`complete`, for running sections concurrently."""
    for attempt in range(_OUTER_ATTEMPTS):
        try:
            if stream or on_text is not None:
                message = await _acollect(model.astream(list(messages)), on_text)
            else:
                message = await model.ainvoke(list(messages))
            return _to_completion(message)
        except Exception as err:
            llm_err, retry = _failure(err, model)
            if not retry or on_text is not None or attempt + 1 == _OUTER_ATTEMPTS:
                raise llm_err from None
        await asyncio.sleep(_OUTER_DELAY)
    raise AssertionError("unreachable")  # pragma: no cover


async def acomplete_all(model: BaseChatModel, batches: Sequence[Messages], *, concurrency: int = 4,
                        stream: bool = False,
                        on_done: Callable[[int, Completion | LLMError], None] | None = None,
                        ) -> list[Completion | LLMError]:
    """Run every prompt with at most ``concurrency`` in flight. A failed one yields its LLMError in its
    slot and does not stop the others; ``on_done(index, result)`` runs as each finishes, so the caller
    can save every section as it arrives (and resume after an interruption)."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(index: int, messages: Messages) -> Completion | LLMError:
        async with gate:
            try:
                result: Completion | LLMError = await acomplete(model, messages, stream=stream)
            except LLMError as err:
                result = err
        if on_done is not None:
            on_done(index, result)
        return result

    return list(await asyncio.gather(*(one(i, m) for i, m in enumerate(batches))))


def complete_all(model: BaseChatModel, batches: Sequence[Messages], *, concurrency: int = 4,
                 stream: bool = False,
                 on_done: Callable[[int, Completion | LLMError], None] | None = None,
                 ) -> list[Completion | LLMError]:
    """Synchronous entry to :func:`acomplete_all` (starts its own event loop)."""
    return asyncio.run(acomplete_all(model, batches, concurrency=concurrency, stream=stream, on_done=on_done))
