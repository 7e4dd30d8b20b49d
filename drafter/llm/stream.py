"""Reading one chat-completions answer off the wire, and judging whether it is a usable completion.

The answer is always requested as a stream (server-sent events): progress can then be seen token by
token, so a slow server that keeps writing is told apart from one that went silent. Only an answer that
ends with a stop-like finish reason and stays within its length cap is accepted; everything else (an
HTML page, ``choices: []``, an empty or cut-off stream, an endless reply, a non-JSON body) is a
:class:`BadAnswer` with a ``kind`` the client turns into a Chinese LLMBadResponseError.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

# finish reasons that mean "the model ended its answer": OpenAI "stop", llama.cpp / TGI "eos" and
# "eos_token", Anthropic-style gateways "end_turn" / "stop_sequence".
STOP_REASONS = frozenset({"stop", "eos", "eos_token", "end_turn", "stop_sequence"})
MAX_BODY_BYTES = 256 * 1024  # of an error body or a page: enough to recognise it
# of a whole JSON answer: the reply's UTF-8 (3 bytes a Chinese character) and JSON escapes (up to 6) fit,
# an endless one is cut here and judged too long
BODY_BYTES_PER_CHAR = 8


class BadAnswer(Exception):
    """The server answered, but not with a usable completion."""

    def __init__(self, kind: str, text: str = "", detail: str = ""):
        super().__init__(kind)
        self.kind = kind  # html, not_json, no_choices, empty, blank, cut, length, too_long, finish, server_error, redirect
        self.text = text  # what arrived before it went wrong
        self.detail = detail  # the server's own words (finish reason, error message), for the message


@dataclass
class Progress:
    """One answer's progress, shared with the watchdog that enforces the silence timeouts."""

    started: float = field(default_factory=time.monotonic)
    last: float = field(default_factory=time.monotonic)  # when the last token (or the request) went out
    tokens: int = 0  # content chunks so far; llama.cpp and most servers send one token per chunk
    first_token_at: float | None = None
    pieces: list[str] = field(default_factory=list)  # the text so far
    # the endpoint's shared "last seen alive" box: every token of any of its streams moves it
    activity: list[float] = field(default_factory=lambda: [0.0])

    def token(self) -> None:
        self.last = time.monotonic()
        self.activity[0] = self.last
        self.tokens += 1
        if self.first_token_at is None:
            self.first_token_at = self.last

    def add(self, piece: str, on_text: Callable[[str], None] | None = None,
            on_progress: Callable[[int], None] | None = None) -> int:
        """A piece of the answer arrived: keep it, tick the silence clocks, tell the callers; its length."""
        self.pieces.append(piece)
        self.token()
        if on_text is not None:
            on_text(piece)
        if on_progress is not None:
            on_progress(self.tokens)
        return len(piece)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class Answer:
    text: str
    finish_reason: str | None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


def looks_like_html(content_type: str, body: str) -> bool:
    head = body.lstrip()[:200].lower()
    return "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<head", "<body", "<?xml"))


def answer_from_json(data: Any, max_chars: int = 1 << 30) -> Answer:
    """A whole (non-stream) chat completion: what a server that ignores ``stream: true`` sends."""
    if not isinstance(data, dict):
        raise BadAnswer("not_json")
    if data.get("error"):
        raise BadAnswer("server_error", detail=_error_text(data["error"]))
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BadAnswer("no_choices")
    message = choices[0].get("message") or {}
    text = message.get("content") if isinstance(message, dict) else None
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    if isinstance(text, str) and len(text) > max_chars:
        raise BadAnswer("too_long", text[:max_chars], str(max_chars))
    finish = choices[0].get("finish_reason")
    return judge(Answer(text if isinstance(text, str) else "", None if finish is None else str(finish),
                        _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens"))), saw_choices=True)


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        error = error.get("message") or error
    return str(error)[:200]


async def read_events(lines: AsyncIterator[str], progress: Progress, *, max_tokens: int, max_chars: int,
                      on_text: Callable[[str], None] | None = None,
                      on_progress: Callable[[int], None] | None = None) -> Answer:
    """Parse an SSE stream of chat-completion chunks into an accepted :class:`Answer` (or BadAnswer)."""
    pieces = progress.pieces
    size = 0
    finish: str | None = None
    usage: dict[str, Any] = {}
    saw_data = saw_choices = False
    async for raw in lines:
        line = raw.strip()
        if not line.startswith("data:"):
            continue  # blank separators, ": ping" comments, "event:" / "id:" fields
        payload = line[5:].strip()
        if payload == "[DONE]":
            break
        saw_data = True
        try:
            chunk = json.loads(payload)
        except ValueError:
            raise BadAnswer("not_json", "".join(pieces)) from None
        if not isinstance(chunk, dict):
            raise BadAnswer("not_json", "".join(pieces))
        if chunk.get("error"):
            raise BadAnswer("server_error", "".join(pieces), _error_text(chunk["error"]))
        if isinstance(chunk.get("usage"), dict):
            usage = chunk["usage"]
        choices = chunk.get("choices")
        for choice in choices if isinstance(choices, list) else []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            saw_choices = True
            delta = choice.get("delta") or {}
            text = delta.get("content") if isinstance(delta, dict) else None
            thinking = delta.get("reasoning_content") if isinstance(delta, dict) else None
            if isinstance(text, str) and text:
                size += progress.add(text, on_text, on_progress)
            elif isinstance(thinking, str) and thinking:
                progress.token()  # a reasoning model thinking aloud is alive, though it writes nothing yet
            if choice.get("finish_reason"):
                finish = str(choice["finish_reason"])
        if progress.tokens > max_tokens or size > max_chars:
            raise BadAnswer("too_long", "".join(pieces), str(max_chars))
    if not saw_data:
        raise BadAnswer("empty")
    answer = Answer("".join(pieces), finish, _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens")))
    return judge(answer, saw_choices=saw_choices)


def _count(value: Any) -> int | None:
    """A token count as the server reported it, if it is one (callers add them up)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def judge(answer: Answer, *, saw_choices: bool) -> Answer:
    """Accept only a finished, non-empty answer."""
    if not saw_choices:
        raise BadAnswer("no_choices")
    if answer.finish_reason is None:
        raise BadAnswer("cut", answer.text)
    if answer.finish_reason == "length":
        raise BadAnswer("length", answer.text)
    if answer.finish_reason not in STOP_REASONS:
        raise BadAnswer("finish", answer.text, answer.finish_reason)
    if not answer.text.strip():
        raise BadAnswer("blank", answer.text)  # finished, but nothing written: worth a re-ask, unlike "empty"
    return answer
