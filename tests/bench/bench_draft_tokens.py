"""Tokens, calls and pipeline overhead of `drafter draft` with the LLM engine (run by hand, not by pytest).

    python tests/bench/bench_draft_tokens.py [--facts examples/青石镇事实.yaml] [--repeat 3] [--latency 1] [--backlog 128]

Drafts through the library API (``draft_report(facts, DraftOptions(engine="llm"))``) against the fake
OpenAI server of tests/fake_openai.py on 127.0.0.1, whose responder answers every request with a
plausible section paragraph that has no numbers (so the verifier accepts it on the first try unless
something else is wrong). Prints:

- calls, prompt and completion tokens per draft, counted with ``drafter.llm.tokens.count_tokens``
  (cl100k, offline) over the messages the server recorded and the replies it sent;
- the same for a naive baseline: the whole corpus sample (all corpus/reports/*.md) plus the facts
  file stuffed into ONE prompt;
- wall time (best of --repeat, after a warm-up) of the offline engine, of the LLM engine against a
  zero-latency server (the difference is the pipeline's own overhead: HTTP, langchain, verification),
  and of one draft with --latency seconds per call at DRAFTER_CONCURRENCY=8 (and at the default 4).

Figures, not assertions. DRAFTER_HOME points at a temp dir so no user corpus or config is involved.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `python tests/bench/...` from the root: make `tests` importable
    sys.path.insert(0, str(ROOT))

# A section paragraph in the genre's voice, with no number, place or name: the verifier has nothing to flag.
PARAGRAPH = ("今年以来，我镇坚持把这项工作摆在重要位置，党委统一领导、分管领导具体负责、各部门协同配合，"
             "形成了一级抓一级、层层抓落实的工作格局。我们把学习教育与中心工作结合起来，常态化开展专题学习和"
             "交流研讨，及时传达上级精神，认真研究部署，推动各项任务落地见效。同时注重发挥村（社区）阵地作用，"
             "用群众听得懂的语言讲政策、讲变化，引导干部群众听党话、感党恩、跟党走。")


def message_tokens(messages: list[dict[str, Any]]) -> int:
    """Content tokens of one request (role and framing overhead, ~4 tokens a message, not counted)."""
    from drafter.llm.tokens import count_tokens

    return sum(count_tokens(str(m.get("content", ""))) for m in messages)


def draft_once(facts, engine: str) -> tuple[float, Any]:
    from drafter.draft.model import DraftOptions
    from drafter.draft.pipeline import draft_report

    t0 = time.perf_counter()
    result = draft_report(facts, DraftOptions(engine=engine))
    return time.perf_counter() - t0, result


def best_wall(facts, engine: str, repeat: int) -> float:
    return min(draft_once(facts, engine)[0] for _ in range(repeat))


def baseline_tokens(facts_path: Path) -> tuple[int, int]:
    """(tokens, characters) of one prompt holding every corpus sample report and the facts file."""
    from drafter.llm.tokens import count_tokens

    reports = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "reports").glob("*.md"))]
    prompt = ("请参考以下范文，根据事实清单写一份总结。\n\n" + "\n\n".join(reports)
              + "\n\n事实清单：\n" + facts_path.read_text(encoding="utf-8"))
    return count_tokens(prompt), len(prompt)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", default=str(ROOT / "examples" / "青石镇事实.yaml"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per call for the latency run")
    parser.add_argument("--backlog", type=int, default=128,
                        help="listen backlog of the fake server (socketserver's own default is 5)")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="drafter-bench-home-")
    os.environ["DRAFTER_HOME"] = home
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
                "OPENAI_BASE_URL", "OPENAI_API_KEY", "DRAFTER_CORPUS", "DRAFTER_STREAMING"):
        os.environ.pop(var, None)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

    from drafter.facts.load import load_facts
    from drafter.llm.tokens import count_tokens
    from tests import fake_openai
    from tests.fake_openai import FakeOpenAI, Reply, start_server

    # socketserver listens with a backlog of 5: with 8 connections opened at once, the kernel may drop a
    # SYN and the client retries it 1 s later (the initial RTO), which would be billed to the pipeline.
    # A real endpoint has a deep backlog; so does the fake server here.
    fake_openai._Server.request_queue_size = args.backlog
    facts = load_facts(args.facts)
    latency = {"seconds": 0.0}
    state, server = start_server(FakeOpenAI(responder=lambda body: Reply(text=PARAGRAPH, delay=latency["seconds"])))
    os.environ.update(DRAFTER_BASE_URL=state.base_url, DRAFTER_MODEL="fake-model",
                      DRAFTER_API_KEY="sk-bench-000000000000", DRAFTER_MAX_RETRIES="0")
    try:
        t0 = time.perf_counter()
        draft_once(facts, "offline")  # warm-up: jieba, corpus index, lexicons
        print(f"cold first draft (offline, loads jieba/corpus)   {time.perf_counter() - t0:6.2f} s")
        t0 = time.perf_counter()
        draft_once(facts, "llm")  # warm-up: langchain/openai imports, tiktoken vocabulary
        print(f"cold first LLM draft (imports langchain/openai)  {time.perf_counter() - t0:6.2f} s")

        state.requests = []
        _, result = draft_once(facts, "llm")
        chats = state.chat_requests
        prompt = sum(message_tokens(r.messages) for r in chats)
        completion = len(chats) * count_tokens(PARAGRAPH)
        engines = ", ".join(f"{s.engine}" for s in result.sections)
        print(f"\nsections {len(result.sections)} ({engines})")
        print(f"LLM draft: calls {len(chats)} (result.calls {result.calls}), prompt tokens {prompt:,} "
              f"(max {max((message_tokens(r.messages) for r in chats), default=0):,} per call), "
              f"completion tokens {completion:,}; draft text {count_tokens(result.text):,} tokens")
        base, chars = baseline_tokens(Path(args.facts))
        print(f"baseline: one prompt with all corpus/reports/*.md + facts: {base:,} tokens ({chars:,} chars), "
              f"{base / max(1, prompt):.1f}x the pipeline's prompt total")

        off = best_wall(facts, "offline", args.repeat)
        llm = best_wall(facts, "llm", args.repeat)
        print(f"\noffline engine, best of {args.repeat}                 {off:6.2f} s")
        print(f"LLM engine, zero-latency server, best of {args.repeat}  {llm:6.2f} s "
              f"(overhead over offline {llm - off:+.2f} s, {(llm - off) / max(1, len(chats)) * 1000:.0f} ms/call)")

        latency["seconds"] = args.latency
        for conc in ("8", "4"):
            os.environ["DRAFTER_CONCURRENCY"] = conc
            state.requests, state.max_in_flight = [], 0
            wall, _ = draft_once(facts, "llm")
            print(f"LLM engine, {args.latency:g} s/call, concurrency {conc}        {wall:6.2f} s "
                  f"({len(state.chat_requests)} calls, max {state.max_in_flight} in flight)")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
