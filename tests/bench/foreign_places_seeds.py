#!/usr/bin/env python3
"""List every ``foreign-place`` finding on the shared seeds (``--unit 青石镇 --year 2025``) for hand review.

Run from the repository root: ``python tests/bench/foreign_places_seeds.py [--unit 青石镇]``. One line a
finding: seed, severity, text, context. The false-positive rate is judged by reading this list.
"""

import argparse
from collections import Counter
from pathlib import Path

from drafter.check import CheckOptions, check_source
from drafter.readers import read_source
from drafter.unit import UnitInfo

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unit", default="青石镇")
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    totals: Counter[str] = Counter()
    for path in sorted(SEEDS.glob("*.txt")):
        source = read_source(str(path))
        options = CheckOptions(unit=UnitInfo.from_name(args.unit), year=args.year, select={"foreign-place"})
        for f in check_source(source, options):
            context = source.text[max(0, f.start - 8) : f.end + 8].replace("\n", "/")
            print(f"{path.name[:3]}\t{f.severity}\t{f.text}\t{context}")
            totals[str(f.severity)] += 1
    print("total:", dict(totals))


if __name__ == "__main__":
    main()
