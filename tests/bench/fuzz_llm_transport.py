"""Fuzz the LLM transport with whatever a broken server, proxy or captive portal might send.

A raw TCP server on 127.0.0.1 answers each request with a random mix: a status line (or none), random
headers (content types, lengths that lie, chunked encoding), a body built from pieces (SSE events with
odd JSON, HTML, plain text, binary, [DONE] too early, nothing), and it may pause, close half-way or
never answer. Every call must end in a Completion or an LLMError: anything else is a traceback a user
would see. Run from the repository root: ``python -m tests.bench.fuzz_llm_transport [N] [seed]``.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import sys
import threading
import time
from collections import Counter

from drafter.exceptions import LLMError
from drafter.llm.client import complete, make_chat_model
from drafter.llm.config import LLMSettings

KEY = "sk-fuzz-0123456789abcdefZZZZ"


def _chunk(rng: random.Random) -> bytes:
    choice = {"index": rng.choice([0, 0, 0, 1, "0", None]),
              "delta": rng.choice([{"content": rng.choice(["今年", "", None, 5, ["x"]])}, {}, None, "x",
                                   {"reasoning_content": "想"}]),
              "finish_reason": rng.choice([None, None, "stop", "length", "eos", "content_filter", 7, ""])}
    event = rng.choice([
        {"choices": [choice]}, {"choices": []}, {"choices": rng.choice([None, True, "x", 3])},
        {"error": rng.choice([{"message": "服务繁忙"}, "boom", None])}, {"usage": {"prompt_tokens": "x"}},
        [1, 2], "text", None, {"choices": [choice], "usage": {"prompt_tokens": 3, "completion_tokens": 2}},
    ])
    line = rng.choice(["data: ", "data:", "data:  ", "event: message\ndata: ", ": ping\ndata: "])
    body = json.dumps(event, ensure_ascii=False) if rng.random() < 0.9 else json.dumps(event)[:-3]
    return (line + body + rng.choice(["\n\n", "\r\n\r\n", "\n"])).encode()


def _body(rng: random.Random) -> bytes:
    parts = []
    for _ in range(rng.randint(0, 12)):
        parts.append(rng.choice([
            _chunk(rng), _chunk(rng), _chunk(rng), b"data: [DONE]\n\n", b"<html><body>502</body></html>",
            "请登录校园网".encode(), bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))), b"\xff\xfe",
            '{"choices": [{"message": {"content": "整段"}, "finish_reason": "stop"}]}'.encode(), b"", b"\n" * 3,
        ]))
    return b"".join(parts)


def _respond(conn: socket.socket, rng: random.Random) -> None:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return
        data += piece
    behaviour = rng.random()
    if behaviour < 0.04:
        return  # close without a byte
    if behaviour < 0.07:
        time.sleep(1.0)  # silent past the client's timeouts
        return
    status = rng.choice([200, 200, 200, 200, 404, 429, 500, 502, 301, 204, 400])
    body = _body(rng)
    ctype = rng.choice(["text/event-stream", "application/json", "text/html", "text/plain", "", "image/png"])
    headers = [f"HTTP/1.1 {status} X".encode() if rng.random() < 0.97 else b"HTTP/9 what"]
    if ctype:
        headers.append(f"Content-Type: {ctype}".encode())
    framing = rng.choice(["length", "length", "close", "lie", "chunked"])
    if framing == "length":
        headers.append(f"Content-Length: {len(body)}".encode())
    elif framing == "lie":
        headers.append(f"Content-Length: {len(body) + rng.randint(1, 50)}".encode())
    elif framing == "chunked":
        headers.append(b"Transfer-Encoding: chunked")
        body = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in (body[:10], body[10:]) if p) + b"0\r\n\r\n"
    if status == 429:
        headers.append(rng.choice([b"Retry-After: 0", b"Retry-After: soon", b"Retry-After: -5"]))
    headers.append(b"Connection: close")
    conn.sendall(b"\r\n".join(headers) + b"\r\n\r\n")
    if rng.random() < 0.1:
        conn.sendall(body[: len(body) // 2])
        return  # cut half-way
    conn.sendall(body)


def serve(sock: socket.socket, seed: int) -> None:
    rng = random.Random(seed)
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        with conn, contextlib.suppress(OSError):
            _respond(conn, rng)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    threading.Thread(target=serve, args=(sock, seed), daemon=True).start()
    settings = LLMSettings(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}/v1", model="m", api_key=KEY,
                           timeout=0.3, first_token_timeout=0.3, max_retries=1)
    model = make_chat_model(settings, max_tokens=50)
    outcomes: Counter[str] = Counter()
    tracebacks: list[str] = []
    leaked = 0
    started = time.monotonic()
    for _ in range(n):
        try:
            complete(model, [("user", "测试")])
            outcomes["Completion"] += 1
        except LLMError as err:
            outcomes[f"{type(err).__name__}:{getattr(err, 'kind', '?')}"] += 1
            leaked += KEY in str(err)
        except Exception as err:  # what a user would see as a traceback
            outcomes["TRACEBACK"] += 1
            tracebacks.append(repr(err)[:160])
    sock.close()
    print(f"{n} calls in {time.monotonic() - started:.1f} s, seed {seed}: tracebacks {outcomes['TRACEBACK']}, "
          f"key in a message {leaked}")
    for name, count in outcomes.most_common():
        print(f"  {count:5d}  {name}")
    for line in tracebacks[:10]:
        print("  traceback:", line)


if __name__ == "__main__":
    main()
