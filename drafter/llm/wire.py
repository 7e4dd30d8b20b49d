"""What ChatOpenAI cannot tell us about the bytes it received, seen from our own httpx transport.

langchain-openai turns a web page, a plain JSON answer, an empty or error-laden event stream into either
nothing or a generic exception. Our transport sits under it (inside the httpx client we hand ChatOpenAI):
it keeps the raw event stream of the current attempt (so a stream without a finish reason can be judged
exactly: empty, ``choices: []``, an error event, or cut), and judges a body that is not an event stream
before the SDK sees it (a page, non-JSON, an endless body) by raising :class:`BadAnswer`, which the openai
SDK lets through unwrapped. A whole JSON answer to a stream request is replayed as one event, so the SDK
and langchain read it like any stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from drafter import regexes
from drafter.llm.stream import (
    BODY_BYTES_PER_CHAR,
    MAX_BODY_BYTES,
    BadAnswer,
    Progress,
    answer_from_json,
    looks_like_html,
    read_events,
)

_THINKING = regexes.compile(rb'"reasoning_content"\s*:\s*"[^"]')  # a reasoning model thinking aloud is alive
_KEPT_BYTES = 4 * 1024 * 1024  # of a stream kept for diagnosis: a capped answer stops long before


@dataclass
class Wire:
    """The current attempt's raw stream, and whom to tell that bytes arrived."""

    max_chars: int
    raw: bytearray = field(default_factory=bytearray)
    on_thinking: Callable[[], None] | None = None

    def reset(self, on_thinking: Callable[[], None] | None) -> None:
        self.raw.clear()
        self.on_thinking = on_thinking

    def keep(self, block: bytes) -> None:
        if len(self.raw) < _KEPT_BYTES:
            self.raw.extend(block)
        if self.on_thinking is not None and _THINKING.search(block):
            self.on_thinking()

    async def diagnose(self, text: str, max_tokens: int) -> BadAnswer:
        """Why the kept stream is not a usable answer, in the same terms as :func:`read_events`."""

        async def lines() -> AsyncIterator[str]:
            for line in bytes(self.raw).decode("utf-8", "replace").splitlines():
                yield line

        try:
            await read_events(lines(), Progress(), max_tokens=1 << 30, max_chars=1 << 30)
        except BadAnswer as err:
            err.text = err.text or text
            return err
        return BadAnswer("cut", text)  # the raw stream looked finished, langchain saw no end: say cut


def transport_class(httpx: Any) -> type:
    """An httpx AsyncBaseTransport (of ``httpx`` or httpx2) that feeds a :class:`Wire`."""

    class Transport(httpx.AsyncBaseTransport):
        def __init__(self, wire: Wire, **options: Any):
            self.wire = wire
            self.inner = httpx.AsyncHTTPTransport(**options)

        async def handle_async_request(self, request: Any) -> Any:
            # identity: the kept bytes and a judged body must be the text itself, not gzip
            request.headers["Accept-Encoding"] = "identity"
            response = await self.inner.handle_async_request(request)
            if response.status_code != 200 or not request.url.path.endswith("/chat/completions"):
                return response
            content_type = response.headers.get("content-type", "")
            if "event-stream" in content_type:
                return httpx.Response(200, headers=response.headers, stream=_Tee(response, self.wire),
                                      extensions=response.extensions)
            streamed = b'"stream":true' in request.content.replace(b" ", b"")
            return await self._judge_body(response, content_type, streamed)

        async def _judge_body(self, response: Any, content_type: str, streamed: bool) -> Any:
            limit = max(MAX_BODY_BYTES, self.wire.max_chars * BODY_BYTES_PER_CHAR)
            data = bytearray()
            try:
                async for block in response.stream:
                    data.extend(block)
                    if len(data) > limit:
                        break
            finally:
                await response.stream.aclose()
            more, text = len(data) > limit, bytes(data[:limit]).decode("utf-8", "replace")
            if looks_like_html(content_type, text):
                raise BadAnswer("html")
            if text.lstrip().startswith("data:"):  # an event stream under the wrong content type
                self.wire.keep(text.encode("utf-8"))
                return _replay(httpx, text.encode("utf-8"))
            if not text.strip():
                raise BadAnswer("empty")
            if more:  # an answer longer than any section could be: not worth parsing
                raise BadAnswer("too_long", "", str(self.wire.max_chars))
            try:
                body = json.loads(text)
            except ValueError:
                raise BadAnswer("not_json") from None
            answer = answer_from_json(body, self.wire.max_chars)  # raises BadAnswer for an unusable one
            if not streamed:
                return httpx.Response(200, headers={"content-type": "application/json"}, content=bytes(data))
            # a server that ignored "stream": the whole answer at once, replayed as one event
            chunk = {"id": "whole", "object": "chat.completion.chunk", "created": 0, "model": body.get("model") or "",
                     "choices": [{"index": 0, "delta": {"role": "assistant", "content": answer.text},
                                  "finish_reason": answer.finish_reason}]}
            if answer.prompt_tokens is not None or answer.completion_tokens is not None:
                chunk["usage"] = {"prompt_tokens": answer.prompt_tokens or 0,
                                  "completion_tokens": answer.completion_tokens or 0,
                                  "total_tokens": (answer.prompt_tokens or 0) + (answer.completion_tokens or 0)}
            events = f"data: {json.dumps(chunk, ensure_ascii=False)}\n\ndata: [DONE]\n\n".encode()
            self.wire.keep(events)
            return _replay(httpx, events)

        async def aclose(self) -> None:
            await self.inner.aclose()

    class _Tee(httpx.AsyncByteStream):
        def __init__(self, response: Any, wire: Wire):
            self.response, self.wire = response, wire

        async def __aiter__(self) -> AsyncIterator[bytes]:
            async for block in self.response.stream:
                self.wire.keep(block)
                yield block

        async def aclose(self) -> None:
            await self.response.stream.aclose()

    return Transport


def _replay(httpx: Any, events: bytes) -> Any:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=events)
