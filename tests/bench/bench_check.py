"""Benchmark `drafter check` through the real CLI, and what its start-up imports (run by hand, not by pytest).

    python tests/bench/bench_check.py [--size-mb 10] [--repeat 3] [--profile] [--facts FILE]

Prints, for each shared seed (skipped when ../shared is absent) and for ~10 MB of the project's own
sample reports concatenated into a temp file: wall time (best of --repeat runs of the `drafter` process)
and peak memory (max RSS, from /usr/bin/time -v when installed, else getrusage of the children).
Then `python -X importtime` for `import drafter.cli`, `drafter --help` and `drafter check FILE`: the
summed self time, the top 10 cumulative imports, and whether any heavy optional module (LLM stack,
jieba, python-docx) was imported — they must stay lazy. --profile runs check on the big file once
under cProfile in-process and prints the top functions by cumulative time. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
REPORTS = ROOT / "corpus" / "reports"
# Top-level package names that `drafter --help` / `drafter check` must never import (CONTRIBUTING.md).
HEAVY = ("langchain", "langchain_core", "langchain_openai", "openai", "tiktoken", "tiktoken_ext", "jieba", "docx")
GNU_TIME = "/usr/bin/time"
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s?(\s*)(\S+)")


def drafter_cmd() -> list[str]:
    """The installed console script when on PATH (what users run), else ``python -m drafter``."""
    exe = shutil.which("drafter")
    return [exe] if exe else [sys.executable, "-m", "drafter"]


def run_once(args: list[str]) -> tuple[float, int | None, int]:
    """Wall seconds, peak RSS in KiB (None when unknown) and exit code of one `drafter` process."""
    use_time = os.access(GNU_TIME, os.X_OK)
    cmd = [GNU_TIME, "-v", *args] if use_time else args
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if use_time:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
        rss = int(found.group(1)) if found else None
    else:
        # ru_maxrss of children is the max over *all* children so far: only a rise is attributable.
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss = after if after > before else None
    return wall, rss, out.returncode


def bench_file(label: str, path: Path, repeat: int, extra: list[str] | None = None) -> None:
    runs = [run_once([*drafter_cmd(), "check", str(path), *(extra or [])]) for _ in range(repeat)]
    best = min(r[0] for r in runs)
    rss = max((r[1] for r in runs if r[1] is not None), default=None)
    size = path.stat().st_size
    mem = f"{rss / 1024:7.1f} MB" if rss else "    n/a"
    print(f"{label:<34} {size / 1024:>9,.0f} KB  best {best:7.2f} s  peak RSS {mem}  (exit {runs[0][2]})")


def build_big_file(target_bytes: int, directory: Path) -> Path:
    """The project's own sample reports, concatenated repeatedly up to ``target_bytes`` (under the
    16 MB limit of readers.py). Seeds are never written anywhere."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(REPORTS.glob("*.md"))]
    blob = ("\n\n".join(parts) + "\n\n").encode("utf-8")
    copies = max(1, target_bytes // len(blob))
    path = directory / "big.md"
    path.write_bytes(blob * copies)
    return path


def importtime(code: str) -> tuple[int, list[tuple[int, str]], set[str]]:
    """Summed self µs, (cumulative µs, module) of every import, and the top-level names imported."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env=env)
    total, rows, tops = 0, [], set()
    for line in out.stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if not m:
            continue
        total += int(m.group(1))
        rows.append((int(m.group(2)), m.group(4)))
        tops.add(m.group(4).split(".")[0])
    return total, rows, tops


def report_imports(label: str, code: str) -> None:
    total, rows, tops = importtime(code)
    heavy = sorted(t for t in tops if t in HEAVY)
    print(f"\n{label}: {len(rows)} modules, self times sum {total / 1000:.0f} ms; "
          f"heavy modules: {', '.join(heavy) if heavy else 'none'}")
    # Only top-level entries (no leading indentation in the tree) are disjoint; list the top 10 anyway
    # by cumulative time, as the brief asks: nested entries are included in their parents' totals.
    for cum, name in sorted(rows, reverse=True)[:10]:
        print(f"    {cum / 1000:8.1f} ms  {name}")


def profile_check(path: Path, extra: list[str], top: int = 25) -> None:
    """cProfile one in-process `drafter check` on ``path`` (the CLI's own entry, output discarded)."""
    from drafter.cli import main

    argv, stdout = sys.argv, sys.stdout
    profiler = cProfile.Profile()
    sys.argv, sys.stdout = ["drafter", "check", str(path), *extra], io.StringIO()
    try:
        profiler.enable()
        try:
            main()
        except SystemExit:
            pass
        finally:
            profiler.disable()
    finally:
        sys.argv, sys.stdout = argv, stdout
    print(f"\ncProfile of check on {path.name}, top {top} by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile check on the big file once")
    parser.add_argument("--facts", help="also pass --facts FILE to every check (number rules run; linear "
                                        "in size like the plain check, several times slower)")
    args = parser.parse_args()
    extra = ["--facts", args.facts] if args.facts else []
    print(f"drafter = {' '.join(drafter_cmd())}; memory from "
          f"{'/usr/bin/time -v' if os.access(GNU_TIME, os.X_OK) else 'getrusage(RUSAGE_CHILDREN)'}"
          f"; facts: {args.facts or 'none'}")
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        print(f"(no seeds at {SEEDS}: skipped)")
    for seed in seeds:
        bench_file(f"seed {seed.name[:3]}", seed, args.repeat, extra)
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        big = build_big_file(int(args.size_mb * 1024 * 1024), Path(tmp))
        bench_file(f"corpus reports, {big.stat().st_size / 1e6:.1f} MB", big, args.repeat, extra)
        report_imports("import drafter.cli", "import drafter.cli")
        report_imports("drafter --help", "import sys; sys.argv = ['drafter', '--help']\n"
                                         "from drafter.cli import main\nmain()")
        target = seeds[0] if seeds else big
        report_imports(f"drafter check {target.name}",
                       f"import sys; sys.argv = ['drafter', 'check', {str(target)!r}]\n"
                       "from drafter.cli import main\nmain()")
        if args.profile:
            profile_check(big, extra)


if __name__ == "__main__":
    main()
