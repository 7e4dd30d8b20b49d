"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, for tests.

The LLM path is tested through the same code production uses (ChatOpenAI → openai → HTTP), not by
monkeypatching internals. Each test gets its own server on a random free port (fixture ``fake_openai``);
what it answers is scripted per test and per request:

- ``server.queue``: a list of :class:`Reply`, consumed one per chat request, in order;
- ``server.responder``: ``callable(request_json) -> Reply``, used when the queue is empty;
- ``server.default``: the reply when neither applies (a short good answer).

Every request is recorded (:class:`Recorded`: path, model, messages, headers without Authorization,
arrival and finish times) so tests can assert what was sent and how requests overlapped.

By hand: ``python -m tests.fake_openai --port 8765 --script numbers`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

DEFAULT_MODEL = "fake-model"
# A reply that invents numbers the user never gave: what the verifier must catch.
INVENTED_NUMBERS_TEXT = "全年召开意识形态专题会议37次，开展理论宣讲128场，覆盖群众5600余人，群众满意率达99.8%。"


@dataclass
class Reply:
    """One scripted answer. Build it with the class methods rather than by hand."""

    text: str = "收到。"
    finish_reason: str = "stop"
    status: int = 200
    retry_after: float | None = None
    delay: float = 0.0  # seconds to sleep before answering (to exceed a client timeout)
    malformed: bool = False  # a 200 whose body is not valid JSON / SSE
    hostile: str = ""  # a transport-level misbehaviour, see the hostile-server block below
    chunk_delay: float = 0.0  # seconds between streamed chunks (a slow but progressing server)
    stall_after: int = 0  # with hostile="stall": chunks sent before the server goes silent

    @classmethod
    def good(cls, text: str = "收到。") -> Reply:
        return cls(text=text)

    @classmethod
    def numbers(cls, text: str = INVENTED_NUMBERS_TEXT) -> Reply:
        return cls(text=text)

    @classmethod
    def truncated(cls, text: str = "今年以来，我镇坚持以习近平新时代中国特色社会主义思想为指导，") -> Reply:
        return cls(text=text, finish_reason="length")

    @classmethod
    def rate_limited(cls, retry_after: float | None = 0.01) -> Reply:
        return cls(status=429, retry_after=retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        return cls(status=status)

    @classmethod
    def error(cls, status: int) -> Reply:
        """Any HTTP error status, e.g. 401, 404, 400."""
        return cls(status=status)

    @classmethod
    def slow(cls, seconds: float, text: str = "收到。") -> Reply:
        return cls(text=text, delay=seconds)

    @classmethod
    def malformed_json(cls) -> Reply:
        return cls(malformed=True)

    # ---------------------------------------------------------------- hostile servers (transport level)
    # What a wrong base_url, a broken proxy or a stuck server sends; served by _hostile() below.

    @classmethod
    def html_page(cls, status: int = 200) -> Reply:
        """A web page (the site's front page, a login portal): the commonest wrong base_url."""
        return cls(hostile="html", status=status)

    @classmethod
    def no_choices(cls) -> Reply:
        """A JSON / SSE answer with ``choices: []`` (some gateways for an unknown model)."""
        return cls(hostile="no_choices")

    @classmethod
    def empty_stream(cls) -> Reply:
        """An event stream that ends at once: only ``data: [DONE]``."""
        return cls(hostile="empty_stream")

    @classmethod
    def cut_stream(cls, text: str = "今年以来，我镇坚持以习近平新时代中国特色社会主义思想为指导，全面部署相") -> Reply:
        """Part of an answer, then the connection closes: no finish reason, no [DONE]."""
        return cls(text=text, hostile="cut")

    @classmethod
    def endless(cls, text: str = "我镇持续加强意识形态阵地建设。") -> Reply:
        """The same sentence streamed until the client hangs up (a model in a loop ignoring max_tokens)."""
        return cls(text=text, hostile="endless")

    @classmethod
    def silent(cls) -> Reply:
        """Accepts, sends the stream's headers, then never a byte more."""
        return cls(hostile="silent")

    @classmethod
    def stall(cls, after: int = 3, text: str = "今年以来，我镇坚持以习近平新时代中国特色社会主义思想为指导。") -> Reply:
        """A few chunks of a good answer, then silence."""
        return cls(text=text, hostile="stall", stall_after=after)

    @classmethod
    def not_json(cls) -> Reply:
        """A 200 with a plain-text body (a proxy's notice, a captive portal's message)."""
        return cls(hostile="not_json")

    @classmethod
    def redirect(cls, location: str = "https://llm.example.cn/v1/chat/completions") -> Reply:
        """A 301 to elsewhere (an http:// address whose site moved to https://)."""
        return cls(text=location, hostile="redirect", status=301)

    @classmethod
    def context_overflow(cls, n_ctx: int = 2048) -> Reply:
        """llama-cpp-python on a prompt over its context: an empty 200 stream; unstreamed, a 400 that says so."""
        return cls(text=str(n_ctx), hostile="context")

    @classmethod
    def ignores_stream(cls, text: str = "收到。") -> Reply:
        """One whole JSON completion although the client asked for a stream (some gateways do)."""
        return cls(text=text, hostile="json")

    @classmethod
    def trickle(cls, text: str, delay: float) -> Reply:
        """A good answer whose chunks arrive ``delay`` seconds apart: slow, never silent for long."""
        return cls(text=text, chunk_delay=delay)


@dataclass
class Recorded:
    """One request as the server saw it. ``headers`` never contains Authorization."""

    method: str
    path: str
    headers: dict[str, str]
    has_auth: bool
    body: dict[str, Any]
    started: float  # time.monotonic() when the request arrived
    finished: float = 0.0  # when the answer began to be written (after any scripted delay)

    @property
    def model(self) -> str | None:
        return self.body.get("model")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))


@dataclass
class FakeOpenAI:
    """State shared between the test and the server threads."""

    queue: list[Reply] = field(default_factory=list)
    responder: Callable[[dict[str, Any]], Reply] | None = None
    default: Reply = field(default_factory=Reply.good)
    models: list[str] = field(default_factory=lambda: [DEFAULT_MODEL])
    expected_key: str | None = None  # when set, other Bearer tokens get a 401
    requests: list[Recorded] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)  # raised by a responder
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _in_flight: int = 0
    max_in_flight: int = 0
    props: dict[str, Any] | None = None  # llama.cpp's GET /props (n_ctx); None: no such route
    model_meta: dict[str, Any] | None = None  # "meta" of each /v1/models entry (llama.cpp: n_ctx_train)
    html_everywhere: bool = False  # every path answers with a web page (base_url points at a website)
    slots: int = 0  # like llama.cpp --parallel N: at most N answers at once, the rest wait silently; 0 = no limit
    # like llama-cpp-python's server (interrupt_requests): a new chat request ends the stream being written,
    # without its end marker
    interrupting: bool = False
    cut_streams: int = 0
    _chat_count: int = 0
    _slot_gate: threading.Semaphore | None = field(default=None, repr=False)

    def slot(self) -> threading.Semaphore | None:
        with self._lock:
            if self.slots and self._slot_gate is None:
                self._slot_gate = threading.Semaphore(self.slots)
        return self._slot_gate

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self.queue:
                return self.queue.pop(0)
        if self.responder is not None:
            return self.responder(body)
        return self.default

    def enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    # Rough but deterministic: one token per character, enough to test that usage is carried through.
    prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
    return {"prompt_tokens": prompt, "completion_tokens": len(text), "total_tokens": prompt + len(text)}


def _completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", DEFAULT_MODEL),
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": reply.text},
            "finish_reason": reply.finish_reason,
            "logprobs": None,
        }],
        "usage": _usage(body, reply.text),
    }


def _chunks(body: dict[str, Any], reply: Reply) -> Iterator[dict[str, Any]]:
    base = {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": body.get("model", DEFAULT_MODEL)}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}

    yield chunk({"role": "assistant", "content": ""})
    for i in range(0, len(reply.text), 4):
        yield chunk({"content": reply.text[i:i + 4]})
    yield chunk({}, reply.finish_reason)
    if (body.get("stream_options") or {}).get("include_usage"):
        yield {**base, "choices": [], "usage": _usage(body, reply.text)}


def _make_handler(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            pass

        def _record(self, body: dict[str, Any]) -> Recorded:
            headers = {k.lower(): v for k, v in self.headers.items() if k.lower() != "authorization"}
            rec = Recorded(self.command, self.path, headers, "authorization" in {k.lower() for k in self.headers},
                           body, time.monotonic())
            with state._lock:
                state.requests.append(rec)
            return rec

        def _send_json(self, status: int, payload: Any, extra: dict[str, str] | None = None) -> None:
            _send_body(self, status, "application/json", json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                       extra)

        def _error(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
            self._send_json(status, {"error": {"message": message, "type": "fake_error", "code": status}}, extra)

        def do_GET(self) -> None:
            rec = self._record({})
            if state.html_everywhere:
                _send_html(self, 200)
            elif self.path.rstrip("/").endswith("/models"):
                data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake",
                         **({"meta": state.model_meta} if state.model_meta is not None else {})}
                        for m in state.models]
                self._send_json(200, {"object": "list", "data": data})
            elif self.path.rstrip("/").endswith("/props") and state.props is not None:
                self._send_json(200, state.props)
            else:
                self._error(404, f"no route {self.path}")
            rec.finished = time.monotonic()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            self._rec = self._record(body)
            with state._lock:
                state._chat_count += 1
                self._turn = state._chat_count
            state.enter()
            try:
                # like llama.cpp --parallel N: beyond N, requests wait without a byte until a slot is free
                with state.slot() or contextlib.nullcontext():
                    self._answer(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): that is the point of a slow reply
            finally:
                self._done()

        def _done(self) -> None:
            """Mark the request finished *before* the answer is written: once the client has read it, it may
            send the next request at once, and counting both as in flight would overstate the overlap."""
            if not self._rec.finished:
                self._rec.finished = time.monotonic()
                state.leave()

        def _answer(self, body: dict[str, Any]) -> None:
            if state.html_everywhere:
                return _send_html(self, 200)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                return self._error(404, f"no route {self.path}")
            if state.expected_key is not None and self.headers.get("Authorization") != f"Bearer {state.expected_key}":
                return self._error(401, "Incorrect API key provided.")
            try:
                reply = state.next_reply(body)
            except Exception as err:  # surfaced to the test at teardown
                state.errors.append(err)
                return self._error(500, f"responder failed: {err!r}")
            if reply.delay:
                time.sleep(reply.delay)
            self._done()
            if reply.hostile:
                return _hostile(self, body, reply)
            if reply.status != 200:
                extra = {} if reply.retry_after is None else {"Retry-After": str(reply.retry_after)}
                return self._error(reply.status, f"scripted HTTP {reply.status}", extra)
            if body.get("stream"):
                return self._stream(body, reply)
            if reply.malformed:
                return _send_body(self, 200, "application/json", b'{"id": "chatcmpl-broken", "choices": [{"message": ')
            if reply.chunk_delay:  # not streamed: the same generation time passes before the first byte
                time.sleep(reply.chunk_delay * -(-len(reply.text) // 4))
            return self._send_json(200, _completion(body, reply))

        def _stream(self, body: dict[str, Any], reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")  # no Content-Length: the body ends when we close
            self.end_headers()
            if reply.malformed:
                self.wfile.write(b"data: {\"choices\": [{\"delta\": \n\n")
            else:
                for chunk in _chunks(body, reply):
                    if state.interrupting and state._chat_count != self._turn:  # another request came in
                        with state._lock:
                            state.cut_streams += 1
                        self.close_connection = True
                        return
                    self.wfile.write(b"data: " + json.dumps(chunk, ensure_ascii=False).encode("utf-8") + b"\n\n")
                    self.wfile.flush()
                    if reply.chunk_delay:
                        time.sleep(reply.chunk_delay)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


# ---------------------------------------------------------------- hostile servers (transport level)

_HTML_PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>青石镇人民政府门户网站</title></head>"
              "<body><h1>欢迎访问</h1><p>页面不存在或已移动。</p></body></html>").encode()
_SILENT_FOR = 30.0  # seconds a silent reply holds its connection (the client gives up long before)


def _send_body(handler: BaseHTTPRequestHandler, status: int, content_type: str, data: bytes,
               extra: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for key, value in (extra or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(data)


def _send_html(handler: BaseHTTPRequestHandler, status: int) -> None:
    _send_body(handler, status, "text/html; charset=utf-8", _HTML_PAGE)


def _sse(handler: BaseHTTPRequestHandler, payload: Any) -> None:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    handler.wfile.write(b"data: " + data.encode("utf-8") + b"\n\n")
    handler.wfile.flush()


def _stream_headers(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.flush()
    handler.close_connection = True


def _hostile(handler: BaseHTTPRequestHandler, body: dict[str, Any], reply: Reply) -> None:
    """Serve one transport-level misbehaviour (``Reply.hostile``), streamed or not as the client asked."""
    kind, streamed = reply.hostile, bool(body.get("stream"))
    if kind == "html":
        return _send_html(handler, reply.status)
    if kind == "not_json":
        return _send_body(handler, 200, "text/plain; charset=utf-8", "代理服务器提示：您的请求已被记录，请联系网络管理员。".encode())
    if kind == "redirect":
        handler.send_response(reply.status)
        handler.send_header("Location", reply.text)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return None
    if kind == "context" and not streamed:
        message = (f"This model's maximum context length is {reply.text} tokens. However, you requested 3034 tokens. "
                   "Please reduce the length of the messages or completion.")
        return handler._send_json(400, {"error": {"message": message, "type": "invalid_request_error",  # type: ignore[attr-defined]
                                                  "code": "context_length_exceeded"}})
    if kind == "json":
        return handler._send_json(200, _completion(body, reply))  # type: ignore[attr-defined]
    if kind == "no_choices" and not streamed:
        completion = _completion(body, Reply.good())
        return handler._send_json(200, {**completion, "choices": []})  # type: ignore[attr-defined]
    _stream_headers(handler)
    chunks = list(_chunks(body, reply))
    if kind == "no_choices":
        _sse(handler, {**chunks[0], "choices": []})
        _sse(handler, "[DONE]")
    elif kind == "empty_stream":
        _sse(handler, "[DONE]")
    elif kind == "context":
        pass  # the headers, then the connection closes: not even [DONE]
    elif kind == "cut":
        for chunk in chunks:  # the text only: no finish chunk, no usage, no [DONE]
            if chunk["choices"] and not chunk["choices"][0]["finish_reason"]:
                _sse(handler, chunk)
    elif kind == "endless":
        started = time.monotonic()
        _sse(handler, chunks[0])
        while time.monotonic() - started < _SILENT_FOR:  # until the client hangs up (BrokenPipeError)
            _sse(handler, {**chunks[0], "choices": [{"index": 0, "delta": {"content": reply.text},
                                                     "finish_reason": None}]})
    elif kind in ("silent", "stall"):
        for chunk in chunks[:reply.stall_after + 1 if kind == "stall" else 0]:
            _sse(handler, chunk)
        time.sleep(_SILENT_FOR)
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow reply must not block the test process from exiting
    request_queue_size = 128  # the default 5 drops connections when 8 sections arrive together


def start_server(state: FakeOpenAI | None = None, port: int = 0) -> tuple[FakeOpenAI, ThreadingHTTPServer]:
    """Serve ``state`` on 127.0.0.1 (never another interface) in a daemon thread."""
    state = state or FakeOpenAI()
    server = _Server(("127.0.0.1", port), _make_handler(state))
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai",
                     daemon=True).start()
    return state, server


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A fresh fake OpenAI server per test. Proxies are disabled so 127.0.0.1 is reached directly."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    state, server = start_server()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
    if state.errors:
        raise state.errors[0]


@pytest.fixture(autouse=True)
def _no_llm_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own DRAFTER_* LLM settings must not leak into tests (conftest clears the rest)."""
    for var in ("DRAFTER_TEMPERATURE", "DRAFTER_TIMEOUT", "DRAFTER_MAX_RETRIES", "DRAFTER_CONCURRENCY",
                "DRAFTER_STREAMING", "DRAFTER_FIRST_TOKEN_TIMEOUT", "DRAFTER_DEADLINE", "DRAFTER_ALLOW_INSECURE",
                "DRAFTER_N_CTX"):
        monkeypatch.delenv(var, raising=False)


# ---------------------------------------------------------------- content: answers a real model gives
# Kinds of bad answer seen from small local models (Qwen2.5-Coder 0.5B/1.5B on llama.cpp, issue 12),
# built from the request itself so they fit whatever section is asked for. The good one writes each
# numbered fact of the prompt by its reference 〔n〕, as drafter's draft_section prompt asks.

# prompts/draft_section.md: "事实：名称〔1〕（数字）；名称〔2〕（数字）。"
_FACT_LINE = re.compile(r"([^；：]+?)〔(\d+)〕（([^）]+)）")
SECTION_LEAD = ("镇党委坚持把这项工作摆在全局工作的重要位置，主要负责同志亲自研究部署，分管领导具体抓落实，"
                "形成了一级抓一级、层层抓落实的工作格局。")
SECTION_CLOSE = "各项工作扎实推进、有序开展，干部群众的思想共识进一步凝聚，取得了明显成效。"


def prompt_facts(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(n, name, figure) of the numbered facts in the first user message (the section's prompt)."""
    # the section's own request: the last user message that is not a repair round (a prompt may open
    # with a worked example exchange)
    asked = [m for m in body.get("messages", []) if m.get("role") == "user" and not _is_repair_message(m)]
    first = asked[-1] if asked else {}
    return [(int(n), name, shown) for name, n, shown in _FACT_LINE.findall(str(first.get("content", "")))]


REPAIR_OPENING = "你写的内容没有通过检查"  # prompts/repair_section.md


def _is_repair_message(message: dict[str, Any]) -> bool:
    return str(message.get("content", "")).startswith(REPAIR_OPENING)


def is_repair(body: dict[str, Any]) -> bool:
    """A repair round: the failed answer and its findings were sent back in the same conversation."""
    messages = body.get("messages", [])
    return bool(messages) and _is_repair_message(messages[-1])


def good_section(body: dict[str, Any]) -> str:
    facts = prompt_facts(body)
    if not facts:
        return SECTION_LEAD + "\n" + "坚持常态化推进与重点突破相结合，定期听取工作汇报，及时研究解决突出问题，" + SECTION_CLOSE
    clauses = "，".join(f"开展{name}〔{n}〕" for n, name, _ in facts)
    return f"{SECTION_LEAD}\n全年{clauses}，{SECTION_CLOSE}"


BAD_ANSWERS: dict[str, Callable[[dict[str, Any]], str]] = {
    # the prompt itself, facts list and all
    "echo": lambda body: str([m for m in body["messages"] if m.get("role") == "user"][-1]["content"]),
    # a chat preamble and a trailing courtesy
    "meta": lambda body: "好的，以下是本节正文：\n本节正文：" + good_section(body) + "\n希望对您有帮助！",
    # the facts list pasted into prose, with the prompt's labels
    "list-paste": lambda body: (SECTION_LEAD + "\n" + "；".join(f"{name}：{shown}" for _, name, shown in prompt_facts(body))
                                + "，其中大事（2025年3月）举办群众文艺汇演。"),
    # markdown and bullets
    "markdown": lambda body: "**工作成效**\n- " + good_section(body).replace("\n", "\n- "),
    # English slipping in
    "english": lambda body: good_section(body) + "In summary, the work has achieved remarkable results.",
    # stopped mid-sentence with finish_reason stop
    "half-sentence": lambda body: good_section(body)[:-9],
    # figures of its own instead of references
    "own-figures": lambda body: good_section(body) + "\n全年开展各类宣传活动37场，覆盖群众5600余人。",
    # a loop: the same paragraph again (seen in repair rounds)
    "repeated": lambda body: good_section(body) + "\n" + good_section(body).split("\n")[-1],
    # one reference pasted after every item, as after the prompt's example numbering
    "wrong-reference": lambda body: SECTION_LEAD + "\n全年" + "，".join(
        f"开展{name}〔1〕" for _, name, _ in prompt_facts(body)) + "，书记讲专题党课〔1〕，" + SECTION_CLOSE,
}


def content_responder(first: str, then: str = "good") -> Callable[[dict[str, Any]], Reply]:
    """A responder answering the first request of a section with ``first`` (a BAD_ANSWERS kind or
    "good") and every repair round with ``then``."""

    def answer(kind: str, body: dict[str, Any]) -> Reply:
        return Reply.good(good_section(body) if kind == "good" else BAD_ANSWERS[kind](body))

    return lambda body: answer(then if is_repair(body) else first, body)


SCRIPTS: dict[str, Callable[[], Reply]] = {
    "good": Reply.good,
    "numbers": Reply.numbers,
    "truncated": Reply.truncated,
    "429": Reply.rate_limited,
    "500": Reply.server_error,
    "slow": lambda: Reply.slow(5.0),
    "malformed": Reply.malformed_json,
    "html": Reply.html_page,
    "no-choices": Reply.no_choices,
    "empty-stream": Reply.empty_stream,
    "cut": Reply.cut_stream,
    "endless": Reply.endless,
    "silent": Reply.silent,
    "not-json": Reply.not_json,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A fake OpenAI chat-completions server on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--script", choices=sorted(SCRIPTS), default="good",
                        help="what every request gets (429/500: the first --fail-times requests, then good)")
    parser.add_argument("--fail-times", type=int, default=1)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    state = FakeOpenAI(models=[args.model])
    if args.script in ("429", "500"):
        state.queue = [SCRIPTS[args.script]() for _ in range(args.fail_times)]
    else:
        state.default = SCRIPTS[args.script]()
    state, server = start_server(state, args.port)
    print(f"fake OpenAI server at {state.base_url} (script {args.script}); Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
