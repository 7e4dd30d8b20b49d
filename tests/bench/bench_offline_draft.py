"""Time and shape of the offline draft (run by hand, not by pytest).

    python tests/bench/bench_offline_draft.py [FACTS ...] [--repeat 3]

For each facts file (default: examples/*.yaml and tests/data/offline_facts/*.yaml), in process under a
temp DRAFTER_HOME: the first draft (corpus index and tokenizer built) and the best of --repeat later
drafts, both as process CPU time and wall time; then the length of the report, the facts it states and
how many sentences were borrowed from exemplars versus written from the lexicons. Last, the wall time
of one `drafter draft --engine offline` process. Figures, not assertions (issue 15: ≤ 1 s is the goal).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("facts", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = args.facts or [*sorted((ROOT / "examples").glob("*.yaml")),
                           *sorted((ROOT / "tests" / "data" / "offline_facts").glob("*.yaml"))]
    home = tempfile.mkdtemp(prefix="drafter-bench-")
    os.environ["DRAFTER_HOME"] = home

    from drafter.draft.model import DraftOptions
    from drafter.draft.pipeline import draft_report
    from drafter.facts import load_facts
    from drafter.resources import load_lexicon

    lexicon = " ".join([*load_lexicon("draft_phrases")["qualitative"].values(),
                        *(s for pool in load_lexicon("draft_phrases")["practice"].values() for s in pool)])
    for path in paths:
        facts = load_facts(path)
        timings = []
        for _ in range(args.repeat + 1):
            cpu, wall = time.process_time(), time.perf_counter()
            result = draft_report(facts, DraftOptions(engine="offline"))
            timings.append((time.process_time() - cpu, time.perf_counter() - wall))
        first, rest = timings[0], min(timings[1:])
        sentences = [s for s in result.text.replace("\n", "。").split("。") if len(s) > 6]
        own = sum(1 for s in sentences if s in lexicon)
        print(f"{path.name}: first {first[0]:.2f}s cpu / {first[1]:.2f}s wall, then {rest[0]:.2f}s cpu / "
              f"{rest[1]:.2f}s wall; {len(result.text)} chars, facts {len(result.used_facts)}/{len(facts.metrics)}, "
              f"{len(sentences)} sentences ({own} from the lexicon prose)")
    out = Path(home) / "draft.txt"
    wall = time.perf_counter()
    subprocess.run([sys.executable, "-m", "drafter", "draft", "--facts", str(paths[0]), "-o", str(out),
                    "--engine", "offline", "--force"], check=True, capture_output=True)
    print(f"CLI drafter draft --engine offline ({paths[0].name}): {time.perf_counter() - wall:.2f}s wall")


if __name__ == "__main__":
    main()
