"""One paragraph without a line break, of growing length, through `drafter check --facts` and `drafter
rewrite` (a subprocess each, best of --repeat): the time should grow linearly with the length.

Issue 16 measured a 21k-character line at 18 s, 42k at 83 s and 3.5 MB at over 300 s: every claim's
"sentence" was the whole paragraph. Text and facts are generated here (fictional town and figures).

    python tests/bench/bench_long_line.py [--sizes 5000,21000,42000,350000] [--repeat 1] [--no-rewrite]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = "全年共召开专题会议4次，中心组学习12次，开展党课25次，公众号发布信息70条，参加人员200余人，"
FACTS = """unit: {name: 青石镇, kind: 镇, county: 和平县}
period: {year: 2025, span: 全年}
metrics:
  - {name: 专题会议, value: 4, unit: 次}
  - {name: 中心组学习, value: 12, unit: 次}
  - {name: 党课, value: 25, unit: 次}
  - {name: 公众号发布信息, value: 70, unit: 条}
"""


def timed(args: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "drafter", *args], capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,21000,42000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-rewrite", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drafter-longline-"))
    facts = work / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    print(f"{'chars':>9} {'check --facts s':>16} {'rewrite s':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        doc = work / f"long{size}.txt"
        doc.write_text("青石镇2025年意识形态工作总结\n" + (SENTENCE * (size // len(SENTENCE) + 1))[:size] + "\n",
                       encoding="utf-8")
        check = timed(["check", "--facts", str(facts), str(doc)], args.repeat)
        rewrite = float("nan") if args.no_rewrite else timed(
            ["rewrite", str(doc), "--facts", str(facts), "-o", str(work / f"out{size}.txt"), "--force", "-q",
             "--engine", "offline"], args.repeat)
        print(f"{size:>9} {check:>16.1f} {rewrite:>10.1f}")


if __name__ == "__main__":
    main()
