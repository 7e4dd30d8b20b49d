"""Benchmark the text rules of `drafter check` (run by hand, not by pytest).

    python tests/bench/bench_text_rules.py [FILE] [--repeat N]

Times each text rule and `clean_text` on FILE (default: the shared 15-report compilation, seed 001)
and on the same text repeated ten times, after one warm-up run that loads the lexicons.
"""

import argparse
import sys
import time
from pathlib import Path

from drafter.clean import clean_text
from drafter.rules import CheckContext, all_rules
from drafter.rules.residue import find_residue
from drafter.source import SourceText

TEXT_RULES = ("placeholder", "residue", "gap", "typo", "doubled-char", "punctuation", "heading-sequence")
DEFAULT = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def best_of(repeat: int, func) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def bench(text: str, repeat: int) -> None:
    rules = all_rules()
    for rid in TEXT_RULES:
        rules[rid].func(CheckContext(source=SourceText("bench", text)))  # warm-up: lexicons, dictionary
    print(f"{len(text):>9,} chars")
    total = 0.0
    for rid in TEXT_RULES:
        # a fresh context and an empty residue cache each time, as a `drafter check` process has
        def run(rid: str = rid) -> None:
            find_residue.cache_clear()
            list(rules[rid].func(CheckContext(source=SourceText("bench", text))))

        seconds = best_of(repeat, run)
        total += seconds
        print(f"  {rid:<18} {seconds * 1000:8.1f} ms")
    print(f"  {'all text rules':<18} {total * 1000:8.1f} ms")
    def clean() -> None:
        find_residue.cache_clear()
        clean_text(text)

    print(f"  {'clean_text':<18} {best_of(repeat, clean) * 1000:8.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    path = Path(args.file) if args.file else next(iter(sorted(DEFAULT.glob("001_*.txt"))), None)
    if path is None or not path.exists():
        sys.exit("请指定要测试的文件（../shared/seeds 不存在）。")
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    bench(text, args.repeat)
    bench("\n".join([text] * 10), max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
