"""Calling the LLM: one endpoint object, one streamed call per section, typed errors in Chinese.

The production path is langchain_openai's ``ChatOpenAI`` (``.astream()``), built per call on our own
httpx client: no redirects followed, no idle connections kept, and a transport (drafter.llm.wire) that
keeps the raw stream, so an answer langchain cannot describe (a web page, ``choices: []``, an empty,
error-laden or cut stream) is still named exactly. ``import langchain_openai`` costs ~1–2 s of CPU:
:func:`prewarm` starts it in a background thread as soon as a command knows it will call the model.
Any other langchain chat model (the fakes in tests) works through the same functions.

Time limits suit both a fast API and a slow CPU server without tuning, because answers are streamed and
only *silence* counts:
- ``first_token_timeout`` (120 s): nothing yet — prompt processing, or a server that accepts and never
  answers. The clock restarts whenever another of our requests to the same endpoint gets a token or
  finishes: a one-slot llama.cpp server working through queued sections is busy, not dead.
- ``timeout`` (60 s): silence between two tokens of a started answer.
- ``deadline`` (600 s): one section's generation time from its first token, over all attempts; a
  progressing stream (1,500 tokens at 8 tokens/s = 190 s) never reaches it, a trickling one does.
A silent server is not retried (each retry would add another full wait); refused connections, 429 and
5xx are retried with backoff (Retry-After honoured) up to ``max_retries``; a non-JSON body or a cut
stream gets one more attempt. These retries are ours, not the openai SDK's (ChatOpenAI gets
``max_retries=0``): each attempt then has its own silence clock and is judged before the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drafter.exceptions import LLMError
from drafter.llm import failures
from drafter.llm.config import LLMSettings, insecure_warning, masked, shown_url
from drafter.llm.failures import scrub
from drafter.llm.stream import MAX_BODY_BYTES, Answer, BadAnswer, Progress, judge, looks_like_html
from drafter.llm.wire import Wire, transport_class

log = logging.getLogger(__name__)

__all__ = ["ChatEndpoint", "Completion", "acomplete", "acomplete_all", "complete", "complete_all",
           "make_chat_model", "prewarm", "scrub", "section_deadline"]

_OUTER_ATTEMPTS = 2  # for a non-JSON body or a cut stream: worth exactly one more try
_TRANSIENT_STATUS = {408, 409, 429, 500, 502, 503, 504}
_MAX_REPLY_CHARS = 20_000  # without max_tokens: no report section is longer
_MAX_RETRY_AFTER = 60.0

Messages = Sequence[Any]  # [("system", text), ("user", text)], {"role", "content"} dicts or BaseMessages
ProgressCallback = Callable[[int], None]  # tokens received so far in this answer


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    @property
    def truncated(self) -> bool:
        """Kept for callers: a truncated answer is now an LLMBadResponseError (kind "length")."""
        return self.finish_reason == "length"


@dataclass(eq=False)
class ChatEndpoint:
    """One OpenAI-compatible endpoint and how to call it. ``repr`` never shows the key."""

    base_url: str
    model_name: str
    api_key: str = field(default="", repr=False)
    temperature: float = 0.3
    max_tokens: int | None = None
    max_retries: int = 3
    timeout: float = 60.0
    first_token_timeout: float = 120.0
    deadline: float = 600.0
    concurrency: int = 8
    # when any of our streams to this endpoint last got a token or finished (see the module docstring)
    activity: list[float] = field(default_factory=lambda: [0.0], repr=False)
    _chat: Any = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"ChatEndpoint(base_url={shown_url(self.base_url)!r}, model={self.model_name!r}, "
                f"api_key={masked(self.api_key)!r}, max_tokens={self.max_tokens})")

    @property
    def caps(self) -> tuple[int, int]:
        """(tokens, characters) past which an answer is endless: a server may ignore max_tokens."""
        if self.max_tokens:
            return int(self.max_tokens * 1.25) + 16, max(2_000, self.max_tokens * 4)
        return 4 * _MAX_REPLY_CHARS, _MAX_REPLY_CHARS

    def http_timeout(self) -> Any:
        # read=None: silence is the watchdog's job (it knows first token from between tokens); connect and
        # write keep a bound so an unreachable host fails in seconds.
        return _http().Timeout(connect=min(self.timeout, 30.0), read=None, write=self.timeout, pool=None)

    def async_client(self, wire: Wire | None = None) -> Any:
        """Our httpx client for ChatOpenAI: never follows a redirect (the key would go wherever it points),
        keeps no idle connection (each call may run in its own event loop), and its transport records
        what ChatOpenAI cannot tell us (drafter.llm.wire)."""
        httpx = _http()
        limits = httpx.Limits(max_connections=max(self.concurrency * 2, 10), max_keepalive_connections=0)
        proxy = _env_proxy(self.base_url)
        transport = transport_class(httpx)(wire or Wire(max_chars=self.caps[1]), limits=limits, proxy=proxy,
                                           verify=_tls_for(self.base_url, proxy))
        return httpx.AsyncClient(timeout=self.http_timeout(), transport=transport, follow_redirects=False)

    def chat_model(self, *, http_async_client: Any = None, http_client: Any = None, streaming: bool = True) -> Any:
        """The langchain_openai ChatOpenAI for this endpoint (imported here: ~2 s, see :func:`prewarm`).

        ``max_retries=0``: retries are ours (see the module docstring), so that each attempt gets its own
        silence clock and its failure is judged before another is made. ``max_tokens`` goes in the
        classic field via ``extra_body``: ChatOpenAI sends ``max_completion_tokens``, which llama.cpp's
        server (llama-cpp-python 0.3) ignores.
        """
        import warnings

        from langchain_openai import ChatOpenAI

        # A malformed chunk is judged by us (a typed error); pydantic's English warning about it on stderr
        # would only confuse the user.
        warnings.filterwarnings("ignore", message="Pydantic serializer warnings", category=UserWarning)
        httpx = _http()
        return ChatOpenAI(
            model=self.model_name, base_url=self.base_url,
            # Local servers (llama.cpp, Ollama, vLLM) need no key; some still want the header present.
            api_key=self.api_key or "EMPTY", temperature=self.temperature, max_retries=0,
            timeout=self.http_timeout(), streaming=streaming, stream_usage=True, stream_chunk_timeout=None,
            http_socket_options=(),  # our clients, our transport: langchain injects nothing
            extra_body={"max_tokens": self.max_tokens} if self.max_tokens is not None else None,
            http_async_client=http_async_client or self.async_client(),
            http_client=http_client or httpx.Client(timeout=self.http_timeout(), follow_redirects=False,
                                                    verify=_tls_for(self.base_url, _env_proxy(self.base_url))))

    @property
    def chat(self) -> Any:
        """A ChatOpenAI of its own, for callers that use langchain directly (``.invoke`` / ``.stream``);
        drafter's calls go through :func:`acomplete`, which adds the silence clocks and the checks."""
        if self._chat is None:
            self._chat = self.chat_model()
        return self._chat


def _http() -> Any:
    """httpx, or its successor httpx2 (what openai ≥ 3 is built on): whichever is installed."""
    for name in ("httpx", "httpx2"):
        with contextlib.suppress(ImportError):
            return importlib.import_module(name)
    raise LLMError("缺少 HTTP 库 httpx：请重新安装 drafter（pip install -e .）。")  # pragma: no cover


_tls_context: list[Any] = []
_no_tls_context: list[Any] = []


def _tls_for(url: str, proxy: str | None) -> Any:
    """The TLS context for a client of ``url`` (through ``proxy``). One that only speaks plain http (a
    local server, no https proxy; redirects are never followed) never makes a TLS connection: it gets a
    context that trusts no certificate, built in microseconds, instead of loading the CA bundle (30–90 ms
    of CPU on the way to the first request)."""
    from urllib.parse import urlsplit

    if urlsplit(url).scheme.lower() != "http" or (proxy or "").lower().startswith("https:"):
        return _tls()
    if not _no_tls_context:
        import ssl

        _no_tls_context.append(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))  # verifies, against no CA: refuses all
    return _no_tls_context[0]


def _tls() -> Any:
    """One TLS context per process (building one loads the CA bundle: ~20 ms, twice per call otherwise);
    SSL_CERT_FILE / SSL_CERT_DIR name a unit's own CA, as httpx reads them."""
    if not _tls_context:
        import os
        import ssl

        cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
        if not cafile and not capath:
            import certifi

            cafile = certifi.where()
        try:
            _tls_context.append(ssl.create_default_context(cafile=cafile or None, capath=capath or None))
        except (OSError, ssl.SSLError):
            raise LLMError(f"无法读取证书文件（{cafile or capath}）：请检查环境变量 SSL_CERT_FILE / SSL_CERT_DIR "
                           "指向的路径，或取消这两个设置后再试。") from None
    return _tls_context[0]


def _env_proxy(url: str) -> str | None:
    """The proxy the environment names for ``url`` (HTTPS_PROXY, NO_PROXY …): httpx only reads these for
    a client without its own transport, and ours has one."""
    import urllib.parse
    import urllib.request

    parts = urllib.parse.urlsplit(url)
    if not parts.hostname or urllib.request.proxy_bypass(parts.hostname):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(parts.scheme) or proxies.get("all") or None


def _import_stack() -> None:
    _http()
    with contextlib.suppress(ImportError):
        importlib.import_module("langchain_openai")


_prewarmed: list[bool] = []


def prewarm() -> None:
    """Import langchain_openai (~2 s of CPU) in a background thread, for a command that knows it will call
    the model: the draft pipeline retrieves first, so the import overlaps retrieval instead of delaying the
    first request. Python's import lock makes a caller that needs it sooner simply wait for it."""
    import threading

    if _prewarmed:
        return
    _prewarmed.append(True)
    threading.Thread(target=_import_stack, name="drafter-llm-prewarm", daemon=True).start()


def make_chat_model(settings: LLMSettings, *, max_tokens: int | None = None, warn: bool = True) -> ChatEndpoint:
    """The endpoint for ``settings``; raises LLMError (with both ways to fix) when not configured, and
    when the key would go over plain http to another host without ``allow_insecure``.

    ``max_tokens`` caps each answer. Always give one sized to the step: a small local model that
    loses the thread otherwise rambles until its context is full (measured: 76 s for a ping).
    ``warn``: log the (Chinese) warning for a key allowed over plain http; with no logging set up,
    Python prints it on stderr, so every command that talks to the model shows it.
    """
    settings.require_configured()
    warning = insecure_warning(settings)
    if warning and warn:
        log.warning("%s", warning)
    prewarm()  # a command that builds an endpoint will call it
    return ChatEndpoint(base_url=settings.base_url.rstrip("/"), model_name=settings.model,
                        api_key=settings.api_key, temperature=settings.temperature, max_tokens=max_tokens,
                        max_retries=settings.max_retries, timeout=settings.timeout,
                        first_token_timeout=settings.first_token_timeout, deadline=settings.deadline,
                        concurrency=settings.concurrency)


def to_wire(messages: Messages) -> list[dict[str, Any]]:
    roles = {"human": "user", "ai": "assistant"}
    wire = []
    for message in messages:
        if isinstance(message, dict):
            wire.append(message)
        elif isinstance(message, tuple | list):
            role, content = message
            wire.append({"role": roles.get(role, role), "content": content})
        else:  # a langchain BaseMessage
            wire.append({"role": roles.get(message.type, message.type), "content": message.content})
    return wire


# ---------------------------------------------------------------- one attempt


class _Status(Exception):
    def __init__(self, status: int, body: str, retry_after: str | None):
        super().__init__(status)
        self.status, self.body, self.retry_after = status, body, retry_after


async def _attempt(endpoint: ChatEndpoint, chat: Any, wire: Wire, messages: Messages, progress: Progress,
                   on_text: Callable[[str], None] | None, on_progress: ProgressCallback | None) -> Answer:
    """One request through ChatOpenAI, its errors turned into _Status / BadAnswer / the httpx error."""
    import openai

    httpx = _http()
    max_tokens, max_chars = endpoint.caps
    progress.last = time.monotonic()  # the silence clock starts when the request really goes out
    wire.reset(progress.token)
    finish: str | None = None
    usage: dict[str, Any] = {}
    size = 0
    try:
        if chat.streaming:
            async for chunk in chat.astream(list(messages)):
                if piece := _text_of(chunk):
                    size += progress.add(piece, on_text, on_progress)
                if reason := (chunk.response_metadata or {}).get("finish_reason"):
                    finish = str(reason)
                if chunk.usage_metadata:
                    usage = dict(chunk.usage_metadata)
                if progress.tokens > max_tokens or size > max_chars:
                    raise BadAnswer("too_long", progress.text, str(max_chars))
        else:  # the unstreamed re-ask of an empty stream (see _acomplete_http)
            message = await chat.ainvoke(list(messages))
            text = _text_of(message)
            progress.pieces.append(text)
            progress.token()
            if on_text is not None and text:
                on_text(text)
            finish = (message.response_metadata or {}).get("finish_reason")
            usage = dict(message.usage_metadata or {})
    except openai.APIStatusError as err:
        response = err.response
        if 300 <= response.status_code < 400:  # never followed: the key would go wherever it points
            raise BadAnswer("redirect", detail=response.headers.get("location", "")) from None
        raise _Status(response.status_code, response.text[:MAX_BODY_BYTES], response.headers.get("retry-after")) from None
    except (openai.APIConnectionError, openai.APIError) as err:
        cause = _cause(err, (BadAnswer, httpx.HTTPError, httpx.InvalidURL, UnicodeError))
        if cause is not None:
            raise cause from None
        if isinstance(err, openai.APIConnectionError):
            raise
        raise BadAnswer("server_error", progress.text, str(getattr(err, "message", err))[:200]) from None
    except ValueError as err:  # a data line that is not JSON, or a stream with no chunk at all
        if isinstance(err, json.JSONDecodeError):
            raise BadAnswer("not_json", progress.text) from None
        raise await wire.diagnose(progress.text, max_tokens) from None
    except (TypeError, AttributeError, KeyError, IndexError):  # langchain tripped on a malformed chunk
        raise await wire.diagnose(progress.text, max_tokens) from None
    if finish is None:  # no end mark: the raw stream says whether it was empty, choices [], an error or cut
        raise await wire.diagnose(progress.text, max_tokens)
    count = usage.get("output_tokens")
    answer = Answer(progress.text, finish, usage.get("input_tokens"), count if isinstance(count, int) else None)
    return judge(answer, saw_choices=True)


def _cause(err: BaseException, types: tuple[type[BaseException], ...]) -> BaseException | None:
    """The first exception of ``types`` in ``err``'s chain (openai and langchain wrap httpx's own)."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, types):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class _Silent(Exception):
    def __init__(self, kind: str, seconds: float):
        super().__init__(kind)
        self.kind, self.seconds = kind, seconds


def _limit(endpoint: ChatEndpoint, progress: Progress, first_token_at: float | None,
           until: tuple[float, float] | None) -> tuple[float, str, float]:
    """(monotonic time when this attempt has been silent too long, which limit, its seconds)."""
    if progress.tokens == 0:
        limit, kind, seconds = (max(progress.last, endpoint.activity[0]) + endpoint.first_token_timeout,
                                "first", endpoint.first_token_timeout)
    else:
        limit, kind, seconds = progress.last + endpoint.timeout, "between", endpoint.timeout
    started = first_token_at if first_token_at is not None else progress.first_token_at
    if endpoint.deadline and started is not None and started + endpoint.deadline < limit:
        limit, kind, seconds = started + endpoint.deadline, "deadline", endpoint.deadline
    if until is not None and until[0] < limit:
        return until[0], "deadline", until[1]
    return limit, kind, seconds


async def _watched(endpoint: ChatEndpoint, work: Any, progress: Progress, first_token_at: float | None,
                   until: tuple[float, float] | None) -> Answer:
    """Run one attempt, cancelling it when it is silent past its limit (re-checked as the limit moves)."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            limit, kind, seconds = _limit(endpoint, progress, first_token_at, until)
            remaining = limit - time.monotonic()
            if remaining <= 0:
                raise _Silent(kind, seconds)
            # Wake up often enough to notice the first token: the limit then drops from the long
            # first-token wait to the shorter between-token silence.
            asked = min(remaining, _poll(endpoint))
            slept_from = time.monotonic()
            done, _ = await asyncio.wait({task}, timeout=asked)
            if done:
                return task.result()
            # Time the event loop was blocked (a caller verifying or composing a section in the loop)
            # is time nobody could read the socket: not the server's silence.
            lag = time.monotonic() - slept_from - asked
            if lag > 0.05:
                progress.last += lag
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        if progress.tokens:
            endpoint.activity[0] = max(endpoint.activity[0], time.monotonic())


def _poll(endpoint: ChatEndpoint) -> float:
    return max(0.05, min(endpoint.timeout, endpoint.first_token_timeout, 4.0) / 4)


def _backoff(attempt: int, retry_after: str | None) -> float:
    if retry_after:
        with contextlib.suppress(ValueError):
            return min(max(float(retry_after), 0.0), _MAX_RETRY_AFTER)
    return min(0.5 * 2 ** attempt, 8.0) * random.uniform(0.75, 1.0)


# ---------------------------------------------------------------- calls


async def _acomplete_http(endpoint: ChatEndpoint, messages: Messages, on_text: Callable[[str], None] | None,
                          on_progress: ProgressCallback | None, until: float | None) -> Completion:
    httpx = _http()
    secret = endpoint.api_key
    where = {"base_url": endpoint.base_url, "model": endpoint.model_name, "secret": secret}
    wire = Wire(max_chars=endpoint.caps[1])
    retries = bad_retries = 0
    first_token_at: float | None = None
    budget = None if until is None else (until, max(0.0, until - time.monotonic()))
    async with endpoint.async_client(wire) as client:
        chat = endpoint.chat_model(http_async_client=client)
        while True:
            progress = Progress(activity=endpoint.activity)
            delay: float | None = None
            try:
                answer = await _watched(endpoint, _attempt(endpoint, chat, wire, messages, progress, on_text,
                                                           on_progress), progress, first_token_at, budget)
                return Completion(answer.text, answer.finish_reason, answer.prompt_tokens,
                                  answer.completion_tokens if answer.completion_tokens is not None else progress.tokens)
            except _Silent as err:
                raise failures.timeout(err.kind, seconds=err.seconds, secret=secret, text=progress.text) from None
            except BadAnswer as err:
                shown = bool(err.text) and on_text is not None  # already on screen: a retry would repeat it
                if err.kind in ("not_json", "cut") and bad_retries + 1 < _OUTER_ATTEMPTS and not shown:
                    bad_retries += 1
                    delay = 1.0
                elif err.kind == "empty" and chat.streaming and not err.text:
                    # An empty stream hides the server's reason (llama-cpp-python sends nothing for a prompt
                    # over its context); the same request unstreamed gets the error, or the answer, itself.
                    chat = endpoint.chat_model(http_async_client=client, streaming=False)
                    delay = 0.0
                else:
                    raise failures.bad_response(err.kind, text=err.text, detail=err.detail,
                                                cap=endpoint.caps[1], **where) from None
            except _Status as err:
                if looks_like_html("", err.body) and err.status < 500:
                    raise failures.bad_response("html", **where) from None
                if err.status not in _TRANSIENT_STATUS or retries >= endpoint.max_retries:
                    failure = failures.http_status(err.status, err.body, retries=retries, **where)
                    if getattr(failure, "n_ctx", None):
                        from drafter.llm.server import remember_context

                        remember_context(endpoint.base_url, endpoint.model_name, failure.n_ctx)  # type: ignore[attr-defined]
                    raise failure from None
                delay = _backoff(retries, err.retry_after)
                retries += 1
            except httpx.TransportError as err:  # refused, DNS, TLS, reset, or a stream cut mid-way
                log.debug("LLM transport error: %s", scrub(repr(err), secret))
                if progress.tokens:  # part of an answer arrived, then the connection broke
                    if bad_retries + 1 < _OUTER_ATTEMPTS and on_text is None:
                        bad_retries += 1
                        delay = 1.0
                    else:
                        raise failures.bad_response("cut", text=progress.text, **where) from None
                elif retries >= endpoint.max_retries:
                    if isinstance(err, httpx.TimeoutException):
                        raise failures.timeout("connect", seconds=min(endpoint.timeout, 30.0), secret=secret) from None
                    raise failures.unreachable(base_url=endpoint.base_url, retries=retries,
                                               reason=failures.transport_reason(err), secret=secret) from None
                else:
                    delay = _backoff(retries, None)
                    retries += 1
            except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as err:  # an address httpx cannot use
                log.debug("LLM request failed: %s", scrub(repr(err), secret))
                raise failures.unusable_address(base_url=endpoint.base_url, reason=type(err).__name__,
                                                secret=secret) from None
            if progress.first_token_at is not None and first_token_at is None:
                first_token_at = progress.first_token_at
            if first_token_at is not None and endpoint.deadline and \
                    time.monotonic() + delay > first_token_at + endpoint.deadline:
                raise failures.timeout("deadline", seconds=endpoint.deadline, secret=secret, text=progress.text)
            if budget is not None and time.monotonic() + delay > budget[0]:
                raise failures.timeout("deadline", seconds=budget[1], secret=secret, text=progress.text)
            await asyncio.sleep(delay)


async def _acomplete_langchain(model: Any, messages: Messages, on_text: Callable[[str], None] | None,
                               on_progress: ProgressCallback | None) -> Completion:
    """A langchain chat model (the fakes in tests): same result type, same refusal of unusable answers."""
    if on_text is not None or on_progress is not None:
        merged, tokens = None, 0
        async for chunk in model.astream(list(messages)):
            merged = chunk if merged is None else merged + chunk
            if piece := _text_of(chunk):
                tokens += 1
                if on_text is not None:
                    on_text(piece)
                if on_progress is not None:
                    on_progress(tokens)
        message = merged
    else:
        message = await model.ainvoke(list(messages))
    meta = getattr(message, "response_metadata", None) or {}
    usage = getattr(message, "usage_metadata", None) or {}
    text, finish = _text_of(message), meta.get("finish_reason")
    where = {"base_url": "（langchain 模型）", "model": type(model).__name__, "secret": ""}
    if finish == "length":
        raise failures.bad_response("length", text=text, **where)
    if not text.strip():
        raise failures.bad_response("blank", **where)
    return Completion(text, finish, usage.get("input_tokens"), usage.get("output_tokens"))


def _text_of(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return "".join(block if isinstance(block, str) else str(block.get("text", ""))
                   for block in content or [] if isinstance(block, str) or
                   (isinstance(block, dict) and block.get("type") == "text"))


async def acomplete(model: Any, messages: Messages, *, stream: bool = False,
                    on_text: Callable[[str], None] | None = None,
                    on_progress: ProgressCallback | None = None, until: float | None = None) -> Completion:
    """One chat call, always streamed. Returns only a finished answer (finish_reason stop or alike,
    within the length cap); otherwise raises LLMTimeoutError, LLMConnectionError, LLMBadResponseError
    (each with ``kind`` and ``partial``) or LLMError for settings to fix. Of the bad responses, kinds
    "length", "too_long" and "blank" are the model's doing (a re-ask may help, ``partial`` holds what
    it wrote); the others ("html", "no_choices", "empty", "not_json", "cut", "redirect", "finish",
    "server_error") are the endpoint's.

    ``on_text`` gets each piece of text as it arrives, ``on_progress`` the token count so far. ``until``
    (a ``time.monotonic()`` value, e.g. from :func:`section_deadline`) ends the call with LLMTimeoutError
    when reached, whatever its phase: one limit over a section's first answer and its repairs. ``stream``
    is accepted for old callers and has no effect.
    """
    del stream
    if isinstance(model, ChatEndpoint):
        return await _acomplete_http(model, messages, on_text, on_progress, until)
    return await _acomplete_langchain(model, messages, on_text, on_progress)


def complete(model: Any, messages: Messages, *, stream: bool = False,
             on_text: Callable[[str], None] | None = None,
             on_progress: ProgressCallback | None = None, until: float | None = None) -> Completion:
    """The synchronous twin of :func:`acomplete` (runs its own event loop)."""
    return _run(acomplete(model, messages, stream=stream, on_text=on_text, on_progress=on_progress, until=until))


def section_deadline(model: Any, attempts: int = 1) -> float | None:
    """A ``time.monotonic()`` limit for one section of ``attempts`` calls (first answer and repairs): each
    may wait its first-token timeout and generate up to the deadline. None without a deadline."""
    if not isinstance(model, ChatEndpoint) or not model.deadline:
        return None
    return time.monotonic() + attempts * (model.first_token_timeout + model.deadline)


def _run(coro: Any) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from inside a running loop (a notebook, a GUI): give the call a loop of its own.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def acomplete_all(model: Any, batches: Sequence[Messages], *, concurrency: int = 4,
                        stream: bool = False,
                        on_done: Callable[[int, Completion | LLMError], None] | None = None,
                        on_progress: Callable[[int, int], None] | None = None,
                        ) -> list[Completion | LLMError]:
    """Run every prompt with at most ``concurrency`` in flight. A failed one yields its LLMError in its
    slot and does not stop the others; ``on_done(index, result)`` runs as each finishes, so the caller
    can save every section as it arrives (and resume after an interruption); ``on_progress(index,
    tokens)`` as tokens arrive."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(index: int, messages: Messages) -> Completion | LLMError:
        tick = (lambda tokens: on_progress(index, tokens)) if on_progress is not None else None
        async with gate:
            try:
                result: Completion | LLMError = await acomplete(model, messages, on_progress=tick)
            except LLMError as err:
                result = err
        if on_done is not None:
            on_done(index, result)
        return result

    return list(await asyncio.gather(*(one(i, m) for i, m in enumerate(batches))))


def complete_all(model: Any, batches: Sequence[Messages], *, concurrency: int = 4,
                 stream: bool = False,
                 on_done: Callable[[int, Completion | LLMError], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None,
                 ) -> list[Completion | LLMError]:
    """Synchronous entry to :func:`acomplete_all` (starts its own event loop)."""
    return _run(acomplete_all(model, batches, concurrency=concurrency, on_done=on_done, on_progress=on_progress))
