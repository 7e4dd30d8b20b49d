"""Issue 15's speed figures, each as a ratio against a floor measured in the same run (run by hand).

    python tests/bench/bench_speed.py [--only single,dir,output,growth] [--reports 1000] [--growth 1,10,100]

- single: CPU time (user + sys of the child, median of --repeat runs) of `drafter check 总结.docx` and
  of the same with `--facts examples/青石镇事实.yaml`, against `python -c "import re"`. Goals: ≤10× and
  ≤12×. With valgrind installed, also the instructions each executes (callgrind), which a busy machine
  does not change. The .docx is exported from corpus/reports/01 by `drafter export` into a temp directory.
  Measured twice: without drafter's .pyc files (a fresh checkout run with PYTHONDONTWRITEBYTECODE=1, as in
  CI sandboxes: every module is compiled from source each run) and with them (as `pip install` leaves it,
  and as any second run leaves an editable checkout); the goals are for the latter.
- dir: `drafter check DIR` over --reports generated reports of ~10 KB (the project's own sample reports,
  each followed by tests/fixtures/check/dirty.txt so there is output to print, cut to size), wall and
  CPU seconds, text and JSON output. Goal: 1,000 reports ≤ 20 s.
- output: one 10 MB file checked with text output vs `--format json` (both to /dev/null). Goal ≤10×.
- growth: a directory of 1 MB files, 1 → 10 → 100 MB, JSON output: seconds and MB/s should stay flat.

The user cache (compiled lexicons, gazetteer) lives in a temp DRAFTER_HOME that the first run fills, so
the figures are for a warm cache, as users see it from their second run on; "cold" is printed too.
Figures, not assertions: timings depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "corpus" / "reports"
FACTS = ROOT / "examples" / "青石镇事实.yaml"


def drafter_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "drafter"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "drafter"]


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, CPU s of the child, exit code), output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, rc


def median_cpu(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    return statistics.median(run(cmd, env)[1] for _ in range(repeat))


DIRTY = ROOT / "tests" / "fixtures" / "check" / "dirty.txt"


def sample_texts() -> list[str]:
    """The sample reports, each followed by the dirty fixture (placeholders, residue, typos: ~28 findings),
    so that output is part of the cost, as with real copied templates."""
    dirty = DIRTY.read_text(encoding="utf-8")
    return [p.read_text(encoding="utf-8") + "\n" + dirty for p in sorted(REPORTS.glob("*.md"))]


def make_dir(directory: Path, n: int, size: int) -> Path:
    """``n`` reports of about ``size`` bytes each: sample reports, repeated or cut at a paragraph."""
    directory.mkdir(parents=True, exist_ok=True)
    texts = sample_texts()
    for i in range(n):
        text = texts[i % len(texts)]
        while len(text.encode("utf-8")) < size:
            text += "\n\n" + texts[(i + len(text)) % len(texts)]
        cut = text.encode("utf-8")[:size].decode("utf-8", "ignore")
        cut = cut[: cut.rfind("\n") + 1] or cut
        (directory / f"{i:05d}.md").write_text(cut, encoding="utf-8")
    return directory


def floor(env: dict[str, str], repeat: int) -> float:
    return median_cpu([sys.executable, "-c", "import re"], env, repeat)


def set_bytecode(compiled: bool) -> None:
    """Remove drafter's .pyc files, or write them all (what pip does at install time)."""
    package = ROOT / "drafter"
    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True,
                       stdout=subprocess.DEVNULL)
    else:
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def bench_single(env: dict[str, str], tmp: Path, repeat: int) -> None:
    docx = tmp / "总结.docx"
    subprocess.run([*drafter_cmd(), "export", str(REPORTS / "01_songjian-annual-2024.md"), "-o", str(docx)],
                   check=True, capture_output=True, env=env)
    base = floor(env, repeat)
    print(f"floor python -c 'import re': {base:.3f} s CPU")
    plain_cmd = [*drafter_cmd(), "check", str(docx)]
    facts_cmd = [*plain_cmd, "--facts", str(FACTS)]
    set_bytecode(False)
    no_pyc = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    plain = median_cpu(plain_cmd, no_pyc, repeat)
    facts = median_cpu(facts_cmd, no_pyc, repeat)
    print(f"without .pyc: check 总结.docx: {plain:.3f} s CPU = {plain / base:.1f}x;"
          f" --facts: {facts:.3f} s CPU = {facts / base:.1f}x")
    set_bytecode(True)
    cold_home = {**env, "DRAFTER_HOME": str(tmp / "cold-home")}
    cold = run(plain_cmd, cold_home)[1]
    plain = median_cpu(plain_cmd, env, repeat)
    facts = median_cpu(facts_cmd, env, repeat)
    print(f"check 总结.docx (cold cache, one run): {cold:.3f} s CPU = {cold / base:.1f}x")
    print(f"check 总结.docx: {plain:.3f} s CPU = {plain / base:.1f}x (goal <=10x)")
    print(f"check 总结.docx --facts: {facts:.3f} s CPU = {facts / base:.1f}x (goal <=12x)")
    if shutil.which("valgrind"):
        floor_ir = instructions([sys.executable, "-c", "import re"], env)
        plain_ir, facts_ir = instructions(plain_cmd, env), instructions(facts_cmd, env)
        print(f"instructions (valgrind, deterministic under load): floor {floor_ir / 1e6:.0f} M, "
              f"check {plain_ir / 1e6:.0f} M = {plain_ir / floor_ir:.1f}x, --facts {facts_ir / 1e6:.0f} M = "
              f"{facts_ir / floor_ir:.1f}x (a ratio of work, not of time: start-up is slower per instruction)")


def instructions(cmd: list[str], env: dict[str, str]) -> int:
    """Instructions the command executes (valgrind's callgrind): unlike CPU seconds, the same on a busy
    machine, so two versions can be compared while other work runs."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else 0


def bench_dir(env: dict[str, str], tmp: Path, n: int) -> None:
    directory = make_dir(tmp / "dir", n, 10_000)
    mb = sum(p.stat().st_size for p in directory.iterdir()) / 1e6
    for fmt in ("text", "json"):
        wall, cpu, rc = run([*drafter_cmd(), "check", str(directory), "--format", fmt], env)
        print(f"check DIR of {n} reports ({mb:.1f} MB), {fmt}: {wall:.1f} s wall, {cpu:.1f} s CPU (exit {rc});"
              f" goal <=20 s for 1,000")


def bench_output(env: dict[str, str], tmp: Path) -> None:
    big = make_dir(tmp / "big", 1, 10_000_000) / "00000.md"
    times = {}
    for fmt in ("json", "text"):
        wall, cpu, rc = run([*drafter_cmd(), "check", str(big), "--format", fmt], env)
        times[fmt] = cpu
        print(f"check 10 MB file, {fmt}: {wall:.1f} s wall, {cpu:.1f} s CPU (exit {rc})")
    print(f"text / json CPU: {times['text'] / times['json']:.2f}x (goal <=10x)")


def bench_growth(env: dict[str, str], tmp: Path, sizes: list[int]) -> None:
    for mb in sizes:
        directory = make_dir(tmp / f"growth-{mb}", mb, 1_000_000)
        wall, cpu, rc = run([*drafter_cmd(), "check", str(directory), "--format", "json"], env)
        print(f"growth {mb:>4} MB: {wall:7.1f} s wall, {cpu:7.1f} s CPU, {mb / cpu:.2f} MB/s CPU (exit {rc})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="single,dir,output,growth")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--growth", default="1,10,100")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="drafter-speed-") as name:
        tmp = Path(name)
        env = {**os.environ, "DRAFTER_HOME": str(tmp / "home")}
        env.pop("DRAFTER_CORPUS", None)
        subprocess.run([*drafter_cmd(), "check", str(REPORTS / "01_songjian-annual-2024.md")], env=env,
                       capture_output=True)  # fills the warm cache
        if "single" in parts:
            bench_single(env, tmp, args.repeat)
        if "dir" in parts:
            bench_dir(env, tmp, args.reports)
        if "output" in parts:
            bench_output(env, tmp)
        if "growth" in parts:
            bench_growth(env, tmp, [int(s) for s in args.growth.split(",")])
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
