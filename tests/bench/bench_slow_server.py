"""A slow CPU server (issue 12), time-scaled: does a default-configured client finish every section?

The fake server imitates llama.cpp on 2 cores with one slot: a request waits silently while another is
answered, spends 30 s on its prompt, then streams for about 31 s (~250 tokens at 8 tokens/s). Every
time is divided by ``SCALE`` (60) — the server's and the client's default limits alike — so what times
out here would time out for real, sixty times slower.

Run from the repository root: ``python -m tests.bench.bench_slow_server``. Works against older versions
of drafter too (settings it does not know are left out), to compare before and after.
"""

from __future__ import annotations

import dataclasses
import time

from drafter.exceptions import LLMError
from drafter.llm.client import complete_all, make_chat_model
from drafter.llm.config import LLMSettings
from tests.fake_openai import FakeOpenAI, Reply, start_server

SCALE = 60.0
SECTIONS = 8
PROMPT = 30.0 / SCALE  # seconds of prompt processing per request
CHUNKS_PER_SECOND = 120.0  # the fake sends 4 characters a chunk: 63 chunks in 0.52 s = 31 s real
SECTION_TEXT = "今年以来，我镇认真落实意识形态工作责任制，" * 12  # 252 characters, 63 chunks


def main() -> None:
    defaults = LLMSettings()
    known = {f.name for f in dataclasses.fields(LLMSettings)}
    scaled = {name: getattr(defaults, name) / SCALE for name in ("timeout", "first_token_timeout", "deadline")
              if name in known}
    state, server = start_server(FakeOpenAI(slots=1))
    state.default = Reply(text=SECTION_TEXT, delay=PROMPT, chunk_delay=1 / CHUNKS_PER_SECOND)
    try:
        settings = LLMSettings(base_url=state.base_url, model="fake-model", max_retries=0, **scaled)
        model = make_chat_model(settings, max_tokens=1500)
        started = time.monotonic()
        done: dict[int, float] = {}
        results = complete_all(model, [[("user", f"第{i}节")] for i in range(SECTIONS)],
                               concurrency=defaults.concurrency,
                               on_done=lambda i, r: done.setdefault(i, time.monotonic() - started))
        wall = time.monotonic() - started
    finally:
        server.shutdown()
    ok = sum(not isinstance(r, LLMError) for r in results)
    print(f"limits (scaled 1/{SCALE:g}): " + ", ".join(f"{k} {v:.2f} s" for k, v in scaled.items()))
    print(f"one-slot server, {PROMPT:.2f} s prompt, {SECTION_TEXT.__len__() / 4:.0f} chunks at "
          f"{CHUNKS_PER_SECOND:.0f}/s, {SECTIONS} sections, concurrency {defaults.concurrency}")
    for i, result in enumerate(results):
        outcome = "ok" if not isinstance(result, LLMError) else f"{type(result).__name__}: {str(result)[:40]}…"
        print(f"  section {i + 1}: done at {done.get(i, 0):5.2f} s  {outcome}")
    print(f"accepted {ok}/{SECTIONS} in {wall:.2f} s (= {wall * SCALE / 60:.1f} min at real speed)")


if __name__ == "__main__":
    main()
