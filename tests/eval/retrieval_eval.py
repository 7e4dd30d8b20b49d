#!/usr/bin/env python
"""Retrieval and labelling quality on the shared seeds.

Builds a throw-away corpus (the built-in samples plus seeds 000, 001 and 003), then, for every section
of seeds 000 and 003, queries the corpus with the section's heading, leaving the section's own report
out, and counts how many of the top 5 sections carry the same topic as the query section's hand label
(tests/eval/topic_labels_seeds.yaml). Two query forms: the section's own heading line, unfiltered (the
issue's measure), and the same heading filtered to the section's role (工作情况 / 存在问题 / 下一步计划:
how the drafting pipeline asks, since it knows which part of the report it is writing). Also reports how
often the automatic labels agree with the hand labels. Prints the figures, the last line being the
headline (own heading only), and exits 1 when below the minimums.

    python tests/eval/retrieval_eval.py [--seeds ../shared/seeds] [--min-share 0.8] [--verbose] [--variants N]
                                        [--keep DIR]

--variants N also ingests N generated variants of the project's own samples (tests/bench/bench_ingest.py:
other unit names, years and numbers, sections reordered): precision@5 must not drop from the built-in
corpus to a large one, and no query may come back with fewer than 5 hits because near-copies crowd the
candidate window. --keep DIR keeps the corpus database in DIR and reuses it on the next run with the same
--variants (the 10,000-variant ingest takes minutes); the figures printed are then query figures only.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
K = 5
SAME_TOPIC_NEEDED = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--labels", type=Path, default=HERE / "topic_labels_seeds.yaml")
    parser.add_argument("--min-share", type=float, default=0.75,
                        help="minimum share of queries whose top 5 hold >= 3 same-topic sections")
    parser.add_argument("--min-agreement", type=float, default=0.9, help="minimum label agreement")
    parser.add_argument("--verbose", action="store_true", help="print every query and its hits")
    parser.add_argument("--variants", type=int, default=0, help="also ingest N generated sample variants")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the corpus database in this folder")
    args = parser.parse_args()
    if not args.seeds.is_dir():
        print(f"seeds not found: {args.seeds}", file=sys.stderr)
        return 2
    hand = yaml.safe_load(args.labels.read_text(encoding="utf-8"))

    with tempfile.TemporaryDirectory() as home:
        os.environ["DRAFTER_HOME"] = home  # jieba's cache and the corpus stay out of the user's data
        os.environ.pop("DRAFTER_CORPUS", None)
        from drafter.corpus import ingest_paths, open_store, search

        db = Path(home) / "eval.sqlite3"
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            db = args.keep.resolve() / f"eval-{args.variants}.sqlite3"
        reused = db.exists()
        started = time.perf_counter()
        with open_store(db) as store:
            seeds = {p: next(args.seeds.glob(f"{p}_*.txt")) for p in ("000", "001", "003")}
            result = ingest_paths(store, list(seeds.values()))
            if args.variants and not reused:
                sys.path.insert(0, str(ROOT / "tests" / "bench"))
                from bench_ingest import generate

                variants = Path(home) / "variants"
                variants.mkdir()
                generate(args.variants, variants)
                extra = ingest_paths(store, [variants])
                result.errors.extend(extra.errors)
            if result.errors:
                print(f"ingest errors: {result.errors}", file=sys.stderr)
                return 2
            counts = store.counts()
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists())
            print(f"corpus: {counts['reports']} reports, {counts['sections']} sections "
                  f"({len(store.list_reports(source='builtin'))} built-in); database {size / 1e6:.1f} MB"
                  + ("" if reused else f", built in {time.perf_counter() - started:.0f} s"))
            by_path = {r.path: r for r in store.list_reports(source="user")}
            cases = []
            for prefix in ("000", "003"):
                row = by_path[str(seeds[prefix].resolve())]
                sections = store.sections_of(row.id)
                paths = _marker_paths(sections)
                cases.extend((prefix, row.id, paths[s.ord], s, hand[prefix][paths[s.ord]]) for s in sections)
            agree = sum(s.topic == label for *_, s, label in cases)
            figures = {}
            latencies: list[float] = []
            for mode in ("role", "heading"):
                ok = strict_ok = strict_n = same_total = short = 0
                for prefix, report_id, marker_path, s, label in cases:
                    role = s.role if mode == "role" else None
                    started = time.perf_counter()
                    hits = search(s.marker + s.heading, k=K, store=store, exclude_reports=[report_id], role=role)
                    latencies.append(time.perf_counter() - started)
                    same = sum(h.topic == label for h in hits)
                    short += len(hits) < K
                    same_total += same
                    ok += same >= SAME_TOPIC_NEEDED
                    if s.role == "工作情况":
                        strict_n += 1
                        strict_ok += same >= SAME_TOPIC_NEEDED
                    if args.verbose:
                        mark = "ok " if same >= SAME_TOPIC_NEEDED else "LOW"
                        print(f"{mode:<7} {mark} {prefix} {marker_path:<12} {label:<10} {same}/{K}  "
                              + " | ".join(f"{h.topic}:{h.heading[:12]}" for h in hits))
                figures[mode] = (ok, strict_ok, strict_n, same_total, short)
    queries = len(cases)
    latencies.sort()
    print(f"query time: median {latencies[len(latencies) // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
          f" ({len(latencies)} queries)")
    print(f"label agreement with hand labels: {agree}/{queries} = {agree / queries:.1%}")
    for mode, name in (("role", "own heading, filtered by role"), ("heading", "own heading")):
        ok, strict_ok, strict_n, same_total, short = figures[mode]
        print(f"[{name}] queries with fewer than {K} hits: {short}/{queries}")
        print(f"[{name}] mean same-topic sections in top {K}: {same_total / queries:.2f}"
              f" (precision@{K} {same_total / (queries * K):.1%}); sections of the role 工作情况:"
              f" {strict_ok}/{strict_n} = {strict_ok / strict_n:.1%} hold >= {SAME_TOPIC_NEEDED}")
        print(f"[{name}] queries whose top {K} hold >= {SAME_TOPIC_NEEDED} same-topic sections:"
              f" {ok}/{queries} = {ok / queries:.1%}")
    hits_ok = figures["heading"][0]
    share = hits_ok / queries
    return 0 if share >= args.min_share and agree / queries >= args.min_agreement else 1


def _marker_paths(sections) -> dict[int, str]:
    """ord → "二、/（三）", the key the hand labels use."""
    paths: dict[int, str] = {}
    for s in sections:
        parent = paths.get(s.parent_ord) if s.parent_ord is not None else None
        paths[s.ord] = f"{parent}/{s.marker}" if parent else s.marker
    return paths


if __name__ == "__main__":
    sys.exit(main())
