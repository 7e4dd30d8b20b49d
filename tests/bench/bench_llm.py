"""Measure the LLM client's retry behaviour, concurrency and token counting against the fake server.

Run from the repository root: ``python -m tests.bench.bench_llm`` (``--draft``: only the whole LLM
draft with a model answering in 1 s, issue 15's figure, ``--concurrency N`` for another than the
default; ``--loop``: only how late the draft's event loop wakes while answers are checked). Prints one line per scenario:
what the openai client really does on 429 / 5xx / timeouts (requests sent, seconds until success or
failure), how concurrent sections overlap, and what token counting costs. Figures, not assertions.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drafter.exceptions import LLMError
from drafter.llm.client import complete, complete_all, make_chat_model
from drafter.llm.config import LLMSettings
from tests.fake_openai import FakeOpenAI, Reply, good_section, start_server

MESSAGES = [("user", "测试")]


def scenario(state: FakeOpenAI, label: str, queue: list[Reply], default: Reply | None = None, **settings) -> None:
    state.queue, state.requests = list(queue), []
    state.default = default or Reply.good()
    values = dict(base_url=state.base_url, model="fake-model", api_key="sk-bench-000000000000")
    values.update(settings)
    max_tokens = values.pop("max_tokens", None)
    known = {f.name for f in dataclasses.fields(LLMSettings)}  # older versions lack some: compare before/after
    values = {k: v for k, v in values.items() if k in known}
    model = make_chat_model(LLMSettings(**values), max_tokens=max_tokens)
    started = time.monotonic()
    try:
        complete(model, MESSAGES)
        outcome = "ok"
    except LLMError as err:
        outcome = f"{type(err).__name__}: {str(err)[:24]}…"
    except Exception as err:  # what a user would see as a traceback (older versions, hostile servers)
        outcome = f"TRACEBACK {type(err).__name__}: {str(err)[:40]}"
    elapsed = time.monotonic() - started
    print(f"{label:<48} requests={len(state.chat_requests):<2} {elapsed:6.2f} s  {outcome}")


SECTION = "镇党委高度重视此项工作，认真研究部署，推动各项任务落到实处，取得了积极成效。"


def command_latency(label: str, args: list[str], latency: float = 1.0, concurrency: int = 8) -> None:
    """A whole CLI command against a server answering every request in ``latency`` s: wall time, when the
    first request arrived after the process started, and the ratio to the slowest call (issue 15)."""
    state, server = start_server(FakeOpenAI(default=Reply.slow(latency, SECTION)))
    env = {**os.environ, "DRAFTER_BASE_URL": state.base_url, "DRAFTER_MODEL": "fake-model",
           "DRAFTER_CONCURRENCY": str(concurrency), "NO_PROXY": "127.0.0.1", "DRAFTER_HOME": tempfile.mkdtemp()}
    try:
        # first in a fresh DRAFTER_HOME (the built-in corpus is indexed first), then again in the same one
        for home in ("new home", "warm home"):
            state.requests = []
            started = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the child and the server thread
            out = subprocess.run([sys.executable, "-m", "drafter", *args], capture_output=True, text=True, env=env)
            wall = time.monotonic() - started
            requests = state.requests  # every request: config test asks for /models before it chats
            first = min((r.started for r in requests), default=started) - started
            slowest = max((r.finished - r.started for r in state.chat_requests), default=latency)
            print(f"{label + ', ' + home:<56} {wall:6.2f} s wall  first request at {first:5.2f} s  "
                  f"chats={len(state.chat_requests):<2} ratio to slowest call {wall / slowest:4.1f}x  "
                  f"(rc {out.returncode})")
    finally:
        server.shutdown()


def main() -> None:
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", "import langchain_openai"], capture_output=True)
    print(f"{'cold import langchain_openai (subprocess)':<48} {time.monotonic() - started:6.2f} s (rc {out.returncode})")
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import drafter.llm"], capture_output=True)
    print(f"{'cold import drafter.llm (subprocess)':<48} {time.monotonic() - started:6.2f} s")

    with tempfile.TemporaryDirectory() as tmp:
        facts = str(Path("examples/青石镇事实.yaml").resolve())
        command_latency("drafter config test (model answers in 1 s)", ["config", "test"])
        command_latency("drafter draft --engine llm, 1 s calls, concurrency 8",
                        ["draft", "--facts", facts, "-o", f"{tmp}/out.txt", "--engine", "llm", "--force"])

    state, server = start_server()
    try:
        scenario(state, "429 x2 (Retry-After 0.01) then ok, retries=3", [Reply.rate_limited(0.01)] * 2)
        scenario(state, "429 x2 (no Retry-After) then ok, retries=3", [Reply.rate_limited(None)] * 2)
        scenario(state, "500 x2 then ok, retries=3", [Reply.server_error()] * 2)
        scenario(state, "503 always, retries=3", [], Reply.server_error(503))
        scenario(state, "429 always (Retry-After 1), retries=3", [], Reply.rate_limited(1))
        scenario(state, "slow 2 s, first_token_timeout 0.5 s, retries=3", [], Reply.slow(2.0),
                 first_token_timeout=0.5)
        scenario(state, "stalls after 3 chunks, timeout 0.5 s", [], Reply.stall(3), timeout=0.5)
        scenario(state, "200 chunks 10 ms apart, timeout 0.5 s", [], Reply.trickle("慢" * 800, 0.01), timeout=0.5)
        scenario(state, "endless reply, max_tokens 1500", [], Reply.endless(), max_tokens=1500)
        scenario(state, "HTML page", [], Reply.html_page())
        scenario(state, "malformed JSON once then ok", [Reply.malformed_json()])

    finally:
        server.shutdown()
    # A fresh server: the slow scenarios above leave handler threads sleeping, still counted in flight.
    state, server = start_server(FakeOpenAI(default=Reply.slow(1.0)))
    try:
        model = make_chat_model(LLMSettings(base_url=state.base_url, model="fake-model"))
        t0 = time.monotonic()
        complete_all(model, [[("user", f"第{i}节")] for i in range(8)], concurrency=4)
        print(f"{'8 sections x 1 s latency, concurrency 4':<48} requests={len(state.chat_requests):<2} "
              f"{time.monotonic() - t0:6.2f} s  max in flight {state.max_in_flight}")
    finally:
        server.shutdown()

    whole_draft(latency=1.0)
    loop_lag()

    from drafter.llm.tokens import count_tokens

    t0 = time.monotonic()
    count_tokens("预热")
    print(f"{'count_tokens first call (loads vocabulary)':<48} {time.monotonic() - t0:6.2f} s")
    text = "今年以来，我镇坚持把意识形态工作摆在突出位置，召开专题会议4次。" * 300
    t0 = time.monotonic()
    n = count_tokens(text)
    label = f"count_tokens on {len(text)} chars"
    print(f"{label:<48} {time.monotonic() - t0:6.3f} s  ({n} tokens, "
          f"{n / len(text):.2f} tokens/char)")


def whole_draft(latency: float, concurrency: int | None = None) -> None:
    """Issue 15's figure: `drafter draft --engine llm` as a user runs it (a fresh process, the default
    concurrency unless given) against a model answering every call in ``latency`` seconds, over the
    slowest call. Compiled bytecode as an installed drafter has it: written on the first run into a temp
    PYTHONPYCACHEPREFIX (never into the repository), used by the second."""
    import os
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    state, server = start_server(FakeOpenAI())
    state.responder = lambda body: Reply.slow(latency, good_section(body))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DRAFTER_BASE_URL": state.base_url, "DRAFTER_MODEL": "fake-model",
                   "DRAFTER_API_KEY": "sk-bench-000000000000", "DRAFTER_HOME": tmp, "NO_PROXY": "127.0.0.1",
                   "PYTHONPYCACHEPREFIX": f"{tmp}/pyc"}
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            if concurrency is not None:
                env["DRAFTER_CONCURRENCY"] = str(concurrency)
            shown = f"concurrency {concurrency}" if concurrency is not None else "default concurrency"
            # the first run in a new DRAFTER_HOME builds the corpus index; a user's every later run does not
            for label in ("first run (builds the corpus index)", "second run"):
                state.requests, state.max_in_flight = [], 0
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.monotonic()
                done = subprocess.run([sys.executable, "-m", "drafter", "draft", "--facts",
                                       str(root / "examples" / "青石镇事实.yaml"), "-o", f"{tmp}/out.txt", "--engine",
                                       "llm", "--force"], capture_output=True, text=True, env=env, cwd=root)
                wall = time.monotonic() - t0
                after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its own children
                cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                chats = state.chat_requests
                first = min(r.started for r in chats) - t0 if chats else float("nan")
                last_out = max(r.started for r in chats) - t0 if chats else float("nan")
                last_in = max(r.finished for r in chats) - t0 if chats else float("nan")
                slowest = max((r.finished - r.started for r in chats), default=latency)
                print(f"whole LLM draft, model answers in {latency:.0f} s, {shown}, {label}: "
                      f"requests={len(chats)} {wall:6.2f} s = {wall / slowest:.2f}× the slowest call "
                      f"({slowest:.2f} s); first request {first:.2f} s, last request {last_out:.2f} s, "
                      f"last answer {last_in:.2f} s after start, exit {wall - last_in:.2f} s after it; "
                      f"max in flight {state.max_in_flight}; CPU {cpu:.2f} s (rc {done.returncode})")
            # the stack's own floor: a process that only imports langchain_openai and sends one request
            state.requests = []
            floor = ("from langchain_openai import ChatOpenAI; import sys; "
                     "ChatOpenAI(model='fake-model', base_url=sys.argv[1], api_key='sk-bench', max_retries=0).invoke('测试')")
            t0 = time.monotonic()
            subprocess.run([sys.executable, "-c", floor, state.base_url], capture_output=True, env=env, cwd=root)
            wall = time.monotonic() - t0
            first = min((r.started for r in state.chat_requests), default=t0) - t0
            print(f"floor of the stack: python + import langchain_openai + one ChatOpenAI call answered in "
                  f"{latency:.0f} s: first request {first:.2f} s after start, {wall:.2f} s wall")
    finally:
        server.shutdown()


def loop_lag(step: float = 0.05) -> None:
    """Verification off the event loop (issue 15): while answers arrive one after another (the i-th
    request's after 0.5 + i × ``step`` s), each is checked while the others still stream. A task on the
    draft's event loop sleeps 5 ms at a time; how late it wakes is how long something held the loop.
    Figures for the window from the first answer to the last (an in-process draft, the default
    concurrency), with cold checks (the first draft in this process) and warm ones (the second)."""
    import asyncio
    import itertools

    from drafter.draft import pipeline
    from drafter.draft.model import DraftOptions
    from drafter.facts import load_facts

    root = Path(__file__).resolve().parents[2]
    facts = load_facts(str(root / "examples" / "青石镇事实.yaml"))
    state, server = start_server(FakeOpenAI())
    real = pipeline._draft_llm
    wakes: list[tuple[float, float]] = []

    async def watched(*args, **kwargs):
        async def watch() -> None:
            while True:
                t0 = time.monotonic()
                await asyncio.sleep(0.005)
                wakes.append((time.monotonic(), time.monotonic() - t0 - 0.005))

        watcher = asyncio.create_task(watch())
        try:
            return await real(*args, **kwargs)
        finally:
            watcher.cancel()

    pipeline._draft_llm = watched
    saved = {k: os.environ.get(k) for k in ("DRAFTER_BASE_URL", "DRAFTER_MODEL", "DRAFTER_HOME", "NO_PROXY")}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.update(DRAFTER_BASE_URL=state.base_url, DRAFTER_MODEL="fake-model", DRAFTER_HOME=tmp,
                              NO_PROXY="127.0.0.1")
            for label in ("cold checks", "warm checks"):
                order = itertools.count()
                state.responder = lambda body, order=order: Reply.slow(0.5 + step * next(order), good_section(body))
                state.requests, wakes[:] = [], []
                pipeline.draft_report(facts, DraftOptions(engine="llm"))
                chats = state.chat_requests
                start, end = min(r.finished for r in chats), max(r.finished for r in chats)
                lags = sorted(lag for at, lag in wakes if start <= at <= end + 0.05)
                print(f"{'event loop while answers are checked, ' + label:<48} answers over {end - start:4.2f} s: "
                      f"loop late by at most {max(lags, default=0) * 1000:5.1f} ms, median "
                      f"{lags[len(lags) // 2] * 1000 if lags else 0:4.1f} ms ({len(lags)} wake-ups)")
    finally:
        pipeline._draft_llm = real
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.shutdown()


if __name__ == "__main__":
    if "--draft" in sys.argv:  # only the whole-draft figure (--concurrency N: other than the default)
        n = sys.argv[sys.argv.index("--concurrency") + 1] if "--concurrency" in sys.argv else None
        whole_draft(latency=1.0, concurrency=int(n) if n else None)
    elif "--loop" in sys.argv:  # only the event loop's lag while answers are checked
        loop_lag()
    else:
        main()
