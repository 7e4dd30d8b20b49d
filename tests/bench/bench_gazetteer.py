#!/usr/bin/env python3
"""Benchmark: gazetteer load time (fresh process each run) and place finding on the shared seeds.

Run from the repository root: ``python tests/bench/bench_gazetteer.py [--runs 7]``. Prints medians.
Not a test: timings depend on the machine, so nothing here asserts.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"

LOAD_SNIPPET = """
import time
import yaml  # imported by every check run anyway; not part of the gazetteer's cost
from drafter.gazetteer import gazetteer, stopwords
clock = time.process_time  # CPU time: other processes on a busy machine do not inflate it
t0 = clock(); stopwords(); t1 = clock(); gazetteer(); t2 = clock()
print(f"{(t1 - t0) * 1000:.2f} {(t2 - t1) * 1000:.2f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    yaml_ms, gaz_ms = [], []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True,
                             cwd=ROOT).stdout.split()
        yaml_ms.append(float(out[0]))
        gaz_ms.append(float(out[1]))
    print(f"stop-list YAML load: median {statistics.median(yaml_ms):.1f} ms CPU over {args.runs} runs")
    print(f"gazetteer load:      median {statistics.median(gaz_ms):.1f} ms CPU "
          f"(min {min(gaz_ms):.1f}, max {max(gaz_ms):.1f})")

    from drafter.gazetteer import find_places, gazetteer

    gazetteer()
    for seed in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
        text = seed.read_text(encoding="utf-8")
        times = []
        for _ in range(args.runs):
            t0 = time.process_time()
            mentions = find_places(text)
            times.append((time.process_time() - t0) * 1000)
        print(f"find_places {seed.name[:3]} ({len(text)} chars): median {statistics.median(times):.1f} ms CPU, "
              f"{len(mentions)} mentions")


if __name__ == "__main__":
    main()
