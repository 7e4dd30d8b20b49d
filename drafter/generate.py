"""One generate → verify → repair loop, shared by draft's sections and rewrite's paragraphs.

The model answers; ``check`` turns the answer into the text to keep and the findings against it; a
failed answer goes back in the same conversation (the answer as the assistant's message, its findings
as the next user message, as instructor re-asks), at most ``max_attempts`` calls in all. The result is
typed: every attempt with its findings and tokens, and when nothing passed, why — a timeout, the
network or server, an unusable response, or verification — so the caller can fall back to the offline
engine and say truthfully why.

Verification runs in a worker thread (``asyncio.to_thread``): checking one section's answer takes tens
of milliseconds of CPU, and on the event loop it would hold back the requests of the sections waiting
for their turn.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from drafter.exceptions import LLMBadResponseError, LLMConnectionError, LLMError, LLMTimeoutError
from drafter.findings import Finding, Severity

Check = Callable[[str], tuple[str, list[Finding]]]  # answer → (text to keep, findings that reject it)
log = logging.getLogger(__name__)


class _TooLong(Exception):
    """Raised from the stream callback: the answer already runs past any section's length."""

    def __init__(self, text: str):
        super().__init__("answer too long")
        self.text = text


# Bad-response kinds that are the model's doing, not the endpoint's (drafter.llm.failures): re-asked.
MODEL_FAULTS = ("length", "too_long", "blank")


class Failure(StrEnum):
    TIMEOUT = "timeout"
    NETWORK = "network"
    BAD_RESPONSE = "bad-response"
    VERIFICATION = "verification"


# What the user reads for each reason (the draft summary, rewrite's changes).
FAILURE_LABEL = {
    Failure.TIMEOUT: "大模型超时",
    Failure.NETWORK: "大模型接口出错（网络或服务端）",
    Failure.BAD_RESPONSE: "大模型应答无法使用",
    Failure.VERIFICATION: "大模型未通过核验",
}


@dataclass
class Attempt:
    answer: str
    findings: list[Finding] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {"answer": self.answer, "findings": [f"[{f.rule}] {f.message}" for f in self.findings],
                "seconds": round(self.seconds, 2), "tokens": [self.prompt_tokens, self.completion_tokens]}


@dataclass
class Generated:
    """What the loop produced: ``text`` when an attempt passed, else ``failure`` says why not."""

    text: str | None
    attempts: list[Attempt] = field(default_factory=list)
    failure: Failure | None = None
    error: str = ""  # the transport error's Chinese message, when one ended the loop
    error_kind: str = ""  # and its kind (drafter.llm.failures): "cut", "connect", "html" …
    seconds: float = 0.0

    @property
    def accepted(self) -> bool:
        return self.text is not None

    @property
    def repairs(self) -> int:
        return max(0, len(self.attempts) - 1)

    @property
    def findings(self) -> list[Finding]:
        """The findings of the last answer that failed (empty when the first one passed)."""
        failed = [a for a in self.attempts if a.findings]
        return failed[-1].findings if failed else []

    @property
    def prompt_tokens(self) -> int:
        return sum(a.prompt_tokens for a in self.attempts)

    @property
    def completion_tokens(self) -> int:
        return sum(a.completion_tokens for a in self.attempts)

    def notes(self, limit: int = 4) -> list[str]:
        """Chinese lines for the summary: why it failed and what the answers got wrong."""
        lines = [self.error] if self.error else []
        rules: set[str] = set()
        for attempt in self.attempts:  # one line a rule: the kinds of failure matter more than their count
            for f in attempt.findings:
                if f.rule not in rules:
                    rules.add(f.rule)
                    lines.append(f"[{f.rule}] “{f.text[:24]}”：{f.message}" if f.text else f"[{f.rule}] {f.message}")
        return lines[:limit]


def failure_of(err: LLMError) -> Failure:
    """The reason an LLM error stands for; the message decides for errors not yet typed."""
    if isinstance(err, LLMTimeoutError):
        return Failure.TIMEOUT
    if isinstance(err, LLMConnectionError):
        return Failure.NETWORK
    if isinstance(err, LLMBadResponseError):
        return Failure.BAD_RESPONSE
    message = str(err)
    if message.startswith("超时"):
        return Failure.TIMEOUT
    if message.startswith(("大模型接口返回了无法解析", "大模型的流式应答中途断开")):
        return Failure.BAD_RESPONSE
    return Failure.NETWORK


def _problem(rule: str, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, 0, 0, 1, 1, "", message)


def _estimate_usage(conversation: Sequence[Any], answer: str) -> tuple[int, int]:
    from drafter.llm.tokens import count_tokens

    prompt = sum(count_tokens(m[1] if isinstance(m, tuple) else str(getattr(m, "content", m))) for m in conversation)
    return prompt, count_tokens(answer)


def describe(findings: Sequence[Finding], limit: int = 4) -> str:
    """Findings as the numbered Chinese list a repair round sends back."""
    lines = []
    # one line a rule, the most telling first: a small model fixes a few named problems, not a list
    firsts = list({f.rule: f for f in reversed(list(findings))}.values())[::-1]
    for i, f in enumerate(firsts[:limit], 1):
        lines.append(f"{i}. “{f.text[:40]}”：{f.message}" if f.text else f"{i}. {f.message}")
    return "\n".join(lines)


async def _ask(model: Any, conversation: Sequence[Any], stream: bool, max_chars: int | None) -> Any:
    """One call. Streamed with a length cap, a rambling answer is cut as soon as it runs past
    ``max_chars`` (a small model may write until its token limit: minutes on a CPU)."""
    from drafter.llm.client import acomplete

    if not stream or not max_chars:
        return await acomplete(model, conversation, stream=stream)
    pieces: list[str] = []
    size = 0

    def on_text(piece: str) -> None:
        nonlocal size
        pieces.append(piece)
        size += len(piece)
        if size > max_chars:
            raise _TooLong("".join(pieces))

    return await acomplete(model, conversation, stream=True, on_text=on_text)


async def generate_verified(model: Any, messages: Sequence[Any], check: Check, *, max_attempts: int = 3,
                            stream: bool = False, max_chars: int | None = None,
                            repair_prefix: Sequence[Any] | None = None) -> Generated:
    """Ask, check, re-ask with the findings; at most ``max_attempts`` calls. ``repair_prefix``: the
    conversation a repair round continues, when it is not ``messages`` (the prompt without its worked
    example: measured with Qwen2.5-Coder-1.5B, a repair round with the example in view returns the
    example's paragraph)."""
    from drafter.llm.client import Completion
    from drafter.llm.prompts import render_prompt

    conversation = list(messages)
    result = Generated(text=None)
    started = time.monotonic()
    for _ in range(max(1, max_attempts)):
        t0 = time.monotonic()
        try:
            answer = await _ask(model, conversation, stream, max_chars)
        except _TooLong as cut:
            answer = Completion(cut.text, finish_reason="length")
        except LLMBadResponseError as err:
            kind = getattr(err, "kind", "")
            if kind not in MODEL_FAULTS:  # the endpoint's fault (an HTML page, a cut stream): no re-ask mends it
                result.failure, result.error, result.error_kind = failure_of(err), str(err), kind
                log.info("LLM call failed (%s): %s", result.failure, err)
                break
            # the model's own doing (cut at its limit, rambling, blank): a failed attempt, re-asked
            answer = Completion(getattr(err, "partial", "") or "", finish_reason="length" if kind != "blank" else "stop")
        except LLMError as err:
            result.failure, result.error, result.error_kind = failure_of(err), str(err), getattr(err, "kind", "")
            log.info("LLM call failed (%s): %s", result.failure, err)
            break
        attempt = Attempt(answer.text, prompt_tokens=answer.prompt_tokens or 0,
                          completion_tokens=answer.completion_tokens or 0)
        if answer.prompt_tokens is None or answer.completion_tokens is None:
            # llama.cpp's server reports no usage in a stream: cl100k counts, within ~20% for Chinese
            attempt.prompt_tokens, attempt.completion_tokens = await asyncio.to_thread(
                _estimate_usage, conversation, answer.text)
        if answer.truncated:
            attempt.findings = [_problem("truncated", "回答太长，被截断了：请写得短一些，一至三段、五百字以内")]
            kept = ""
        elif not answer.text.strip():
            attempt.findings = [_problem("empty", "回答是空的：请写出正文")]
            kept = ""
        else:
            kept, attempt.findings = await asyncio.to_thread(check, answer.text)
        attempt.seconds = time.monotonic() - t0
        result.attempts.append(attempt)
        log.info("attempt %d, %.0f s, %s tokens: %r → %s", len(result.attempts), attempt.seconds,
                 attempt.completion_tokens, answer.text[:400], [f.rule for f in attempt.findings] or "accepted")
        if not attempt.findings:
            result.text, result.failure = kept, None
            break
        result.failure = Failure.VERIFICATION
        if len(result.attempts) == 1:
            model = _repair_model(model)
            if repair_prefix is not None:
                conversation = list(repair_prefix)
        conversation += [("assistant", answer.text or "（空）"),
                         *render_prompt("repair_section", findings=describe(attempt.findings))]
    result.seconds = time.monotonic() - started
    return result


# A repair round samples warmer: measured with Qwen2.5-Coder-1.5B at 0.3, the second and third
# answers were the same text, character for character, as the one that failed.
REPAIR_TEMPERATURE = 0.8


def _repair_model(model: Any) -> Any:
    """The model a repair round asks: the same endpoint, at least REPAIR_TEMPERATURE warm."""
    import dataclasses

    temperature = getattr(model, "temperature", None)
    if dataclasses.is_dataclass(model) and isinstance(temperature, (int, float)) and temperature < REPAIR_TEMPERATURE:
        return dataclasses.replace(model, temperature=REPAIR_TEMPERATURE)
    return model


async def generate_all(model: Any, jobs: Sequence[tuple[Sequence[Any], Check]], *, concurrency: int = 4,
                       max_attempts: int = 3, stream: bool = False, max_chars: int | None = None,
                       endpoint: str = "") -> list[Generated]:
    """:func:`generate_verified` for every (messages, check), at most ``concurrency`` at a time (one at a
    time once the server shows it cuts a stream for the next request: drafter.llm.gate)."""
    from drafter.llm.gate import AdaptiveGate

    gate = AdaptiveGate(concurrency, endpoint)

    async def one(messages: Sequence[Any], check: Check) -> Generated:
        async def attempt(slot: Any) -> Generated | None:
            result = await generate_verified(model, messages, check, max_attempts=max_attempts, stream=stream,
                                             max_chars=max_chars)
            return None if not result.accepted and gate.interrupted(slot, result.failure, result.error_kind) else result

        return await gate.serve(attempt)

    return list(await asyncio.gather(*(one(m, c) for m, c in jobs)))


# ---------------------------------------------------------------- the model's context window

SMALL_CONTEXT = 4096
MEDIUM_CONTEXT = 8192


def context_window(settings: Any) -> int | None:
    """The model's context in tokens: configured (``n_ctx``, or DRAFTER_N_CTX), else what the server
    says (llama.cpp's /props, or the meta of /v1/models); None when nobody says."""
    configured = getattr(settings, "n_ctx", None) or os.environ.get("DRAFTER_N_CTX")
    if configured:
        try:
            return int(configured)
        except (TypeError, ValueError):
            return None
    return probe_context(getattr(settings, "base_url", "") or "")


def probe_context(base_url: str, timeout: float = 1.0) -> int | None:
    import json
    import urllib.request
    from urllib.parse import urlsplit

    host = urlsplit(base_url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        return None  # a provider's API: its context is large, and probing it costs a round trip
    root = base_url.rstrip("/").removesuffix("/v1")
    for url, path in ((f"{root}/props", ("default_generation_settings", "n_ctx")),
                      (f"{base_url.rstrip('/')}/models", ("data", 0, "meta", "n_ctx_train"))):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                value: Any = json.load(response)
            for key in path:
                value = value[key]
            return int(value)
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            continue
    return None


def exemplar_allowance(n_ctx: int | None, count: int, budget: int) -> tuple[int, int]:
    """(passages, tokens) of exemplars for a model with ``n_ctx`` tokens of context: a small model
    gets one short passage (it copies what it sees, and its prompt is slow to read on a CPU)."""
    if n_ctx is None:
        return count, budget
    if n_ctx <= SMALL_CONTEXT:
        return 0, 0  # measured with Qwen2.5-Coder-1.5B: it pastes whatever exemplar it is shown
    if n_ctx <= MEDIUM_CONTEXT:
        return min(count, 1), min(budget, 300)
    return count, budget
