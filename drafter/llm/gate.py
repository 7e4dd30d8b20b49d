"""How many requests go to the model at once, learnt from the server as it answers, and remembered.

A hosted API or vLLM answers many requests side by side; llama.cpp's own server and Ollama queue them;
llama-cpp-python's server (its default ``interrupt_requests``) drops the answer it is streaming when the
next request arrives — measured with the real Qwen2.5-Coder-1.5B: at concurrency 8, 7 of 8 sections came
back as cut streams. So a gate starts at the configured concurrency and, the first time a stream is cut
or the connection drops while another request shared the server, lets one request through at a time
from then on; the caller asks the cut one again when its turn comes (alone, it cannot be cut that way).
The endpoint is remembered in the user cache (``serial-servers.json``), so the next draft starts one at a
time instead of losing its first wave again (each cut request had its prompt half read: ~20–30 s on a CPU).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)

# what another request arriving does to a stream on a server that serves one at a time
# (a refused connection is "connect" too: asked again once, alone, it fails as fast)
INTERRUPTED_KINDS = ("cut", "empty", "connect")


@dataclass
class Slot:
    """One request's turn; ``shared``: another request was in flight at some moment of it."""

    shared: bool = False


class AdaptiveGate:
    def __init__(self, limit: int, endpoint: str = "") -> None:
        """``endpoint``: what names the server (base URL and model), to remember what it showed."""
        self.limit = max(1, limit)
        self.endpoint = endpoint
        self.serial = self.limit == 1 or (bool(endpoint) and endpoint in _remembered())
        self.switched = False  # this gate went down to one at a time (the caller may say so)
        self._active: list[Slot] = []
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[Slot]:
        async with self._changed:
            await self._changed.wait_for(lambda: len(self._active) < (1 if self.serial else self.limit))
            slot = Slot(shared=bool(self._active))
            for other in self._active:
                other.shared = True
            self._active.append(slot)
        try:
            yield slot
        finally:
            async with self._changed:
                self._active.remove(slot)
                self._changed.notify_all()

    async def serve(self, attempt: Callable[[Slot], Awaitable[T | None]]) -> T:
        """``attempt(slot)`` in a turn of the gate, again in a later turn while it returns None (what it does
        when :meth:`interrupted` says its call was cut by another request)."""
        while True:
            async with self.slot() as slot:
                result = await attempt(slot)
            if result is not None:
                return result

    def interrupted(self, slot: Slot, failure: str | None, kind: str) -> bool:
        """Whether a request that failed so was cut by a server serving one at a time: if so, the gate
        goes down to one request at a time and True says to ask it again."""
        if not slot.shared or failure not in ("bad-response", "network") or kind not in INTERRUPTED_KINDS:
            return False
        if not self.serial:
            log.info("the server cut a stream while serving another request: one request at a time from now on")
            self.serial = self.switched = True
            if self.endpoint:
                _remember(self.endpoint)
        return True


def endpoint_key(settings: object) -> str:
    return f"{str(getattr(settings, 'base_url', '') or '').rstrip('/')}|{getattr(settings, 'model', '') or ''}"


def _store() -> Path:
    from drafter.resources import cache_dir

    return cache_dir() / "serial-servers.json"


def _remembered() -> set[str]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(k) for k in data} if isinstance(data, list) else set()


def _remember(endpoint: str) -> None:
    from drafter.resources import write_cache_bytes

    try:
        path = _store()
    except OSError:
        return
    known = sorted(_remembered() | {endpoint})[-100:]
    write_cache_bytes(path, json.dumps(known, ensure_ascii=False).encode("utf-8"))
