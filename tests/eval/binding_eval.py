#!/usr/bin/env python
"""Number binding on hand-written passages (issue 11): per-class catch rate and false alarms.

Each passage of tests/eval/binding/cases.yaml is checked in process the way `drafter check --facts F`
checks it (default rules, the facts' unit, year and span), or with `--gate` through the draft gate
(`verify.gate_findings`). An error passage is caught when some finding of severity warning or error
overlaps one of its `wrong` substrings; a clean passage is a false alarm when any warning or error is
found in it. Prints a table per class and, last, one line with the headline figures; exits 1 when a
class's catch rate is below --min-catch or clean false alarms exceed --max-false.

    python tests/eval/binding_eval.py [--gate] [--json] [--min-catch 0.95] [--max-false 0] [--show-misses]
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CASES = HERE / "binding" / "cases.yaml"
CLEAN = "clean"
CLASSES = ("non-fact-item", "neighbour-value", "part-above-total", "unit-changed", "qualifier-drifted",
           "derived-figure", "invented-date", "wrong-chinese-numeral", "vague-label", "wrong-period",
           "done-vs-planned")


def load_cases(path: Path = CASES) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)["cases"]


def wrong_spans(text: str, wrong: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of every wrong substring, as (start, end) offsets into the text."""
    spans = []
    for w in wrong:
        start = text.find(w)
        while start != -1:
            spans.append((start, start + len(w)))
            start = text.find(w, start + 1)
    return spans


@dataclass
class Outcome:
    case: dict
    findings: list = field(default_factory=list)  # warnings and errors only
    caught: bool = False


def run_case(case: dict, facts, gate: bool) -> Outcome:
    from drafter.check import CheckOptions, check_source
    from drafter.findings import Severity
    from drafter.source import SourceText
    from drafter.verify import gate_findings

    if gate:
        found = gate_findings(case["text"], facts)
    else:
        options = CheckOptions(unit=facts.unit_info(), year=facts.period.year, span=facts.period.span,
                               facts=facts)
        found = check_source(SourceText(case["id"], case["text"]), options)
    found = [f for f in found if f.severity in (Severity.WARNING, Severity.ERROR)]
    spans = wrong_spans(case["text"], case.get("wrong") or [])
    caught = any(f.start < end and start < f.end for f in found for start, end in spans)
    return Outcome(case, found, caught)


def evaluate(cases: list[dict], gate: bool, facts_dir: Path = CASES.parent) -> list[Outcome]:
    from drafter.facts import load_facts

    facts_cache: dict[str, object] = {}
    outcomes = []
    for case in cases:
        name = case["facts"]
        if name not in facts_cache:
            facts_cache[name] = load_facts(facts_dir / name)
        outcomes.append(run_case(case, facts_cache[name], gate))
    return outcomes


def summarise(outcomes: list[Outcome]) -> dict:
    per_class: dict[str, dict] = {}
    by_class: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_class[o.case["class"]].append(o)
    for cls in CLASSES:
        items = by_class.get(cls, [])
        caught = sum(o.caught for o in items)
        per_class[cls] = {"passages": len(items), "caught": caught,
                          "rate": caught / len(items) if items else 0.0,
                          "missed": [o.case["id"] for o in items if not o.caught]}
    clean = by_class.get(CLEAN, [])
    alarms = [o for o in clean if o.findings]
    rules = Counter(f.rule for o in alarms for f in o.findings)
    errors = [o for o in outcomes if o.case["class"] != CLEAN]
    return {"classes": per_class,
            "clean": {"passages": len(clean), "false_alarms": len(alarms),
                      "alarm_ids": [o.case["id"] for o in alarms], "rules": dict(rules.most_common())},
            "overall": {"passages": len(errors), "caught": sum(o.caught for o in errors),
                        "min_rate": min((c["rate"] for c in per_class.values()), default=0.0)}}


def print_table(summary: dict, outcomes: list[Outcome], show_misses: bool) -> None:
    print(f"{'class':<24}{'passages':>9}{'caught':>8}{'rate':>8}")
    for cls, c in summary["classes"].items():
        print(f"{cls:<24}{c['passages']:>9}{c['caught']:>8}{c['rate']:>8.0%}")
    clean = summary["clean"]
    print(f"{'clean (false alarms)':<24}{clean['passages']:>9}{clean['false_alarms']:>8}")
    if clean["rules"]:
        print("rules on clean passages: " + ", ".join(f"{r} {n}" for r, n in clean["rules"].items()))
    if show_misses:
        for o in outcomes:
            if o.case["class"] != CLEAN and not o.caught:
                print(f"\nMISS {o.case['id']} [{o.case['class']}] wrong={o.case.get('wrong')}")
                print(f"  {o.case['text'].strip()}")
                for f in o.findings:
                    print(f"  found {f.rule} {f.severity} “{f.text}”")
            if o.case["class"] == CLEAN and o.findings:
                print(f"\nFALSE ALARM {o.case['id']}")
                print(f"  {o.case['text'].strip()}")
                for f in o.findings:
                    print(f"  found {f.rule} {f.severity} “{f.text}”：{f.message}")
    overall = summary["overall"]
    rate = overall["caught"] / overall["passages"] if overall["passages"] else 0.0
    print(f"caught {overall['caught']}/{overall['passages']} ({rate:.0%}), lowest class {overall['min_rate']:.0%}, "
          f"false alarms {clean['false_alarms']}/{clean['passages']} clean passages")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--gate", action="store_true", help="use verify.gate_findings instead of check's defaults")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--min-catch", type=float, default=None, help="exit 1 when a class is caught less often")
    parser.add_argument("--max-false", type=int, default=None, help="exit 1 when more clean passages alarm")
    parser.add_argument("--show-misses", action="store_true", help="print missed passages and false alarms")
    args = parser.parse_args()
    outcomes = evaluate(load_cases(args.cases), args.gate, args.cases.parent)
    summary = summarise(outcomes)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_table(summary, outcomes, args.show_misses)
    short = False
    if args.min_catch is not None and summary["overall"]["min_rate"] < args.min_catch:
        short = True
    if args.max_false is not None and summary["clean"]["false_alarms"] > args.max_false:
        short = True
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
