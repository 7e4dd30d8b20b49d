"""Exhaustive number-mutation benchmark of the number rules, in process (no subprocess per mutant).

Like ../shared/eval/mutate_numbers.py, but every mention and every swap pair instead of a sample, and
with the facts either given or extracted from the document itself. Prints false alarms, value-mutant
detection and swap detection, and lists what was missed.

Usage: python tests/bench/bench_number_mutations.py DOC [FACTS] [--split] [--perturb]
  --split    treat DOC as a compilation (…篇N title lines) and test each report with its extracted facts.
  --perturb  rename the extracted facts the way a person might (drop an end character, add 数量/次数/情况,
             swap in a synonym, drop the section prefix), to see how matching copes with names it did not write.
"""

import re
import sys
import time
from pathlib import Path

from drafter.check import CheckOptions, check_source
from drafter.facts import load_facts
from drafter.facts.extract import extract_facts
from drafter.source import SourceText

MEASURE = "次|场次|场|篇|条|人次|人|名|个|支|块|份|期|户|分|套"
PAT = re.compile(r"(?<![0-9.])(?P<num>[0-9]+)(?P<q>余|多)?(?P<unit>" + MEASURE + r")")
RULES = {"unsupported-number", "number-mismatch"}


def number_findings(text: str, facts) -> list:
    opts = CheckOptions(facts=facts, select=RULES, year=facts.period.year)
    return check_source(SourceText("doc", text), opts)


def flagged(findings, spans) -> bool:
    return any(f.start < e and s < f.end for f in findings for s, e in spans)


def run(text: str, facts, show: bool = True) -> tuple[int, int, int, int, int]:
    false_alarms = number_findings(text, facts)
    for f in false_alarms[:10]:
        if show:
            print("  false alarm:", text[max(0, f.start - 10) : f.end + 4].replace("\n", "⏎"), f.message[:60])
    values = {m.value for m in facts.metrics}
    mentions = [m for m in PAT.finditer(text) if float(m.group("num")) in values]
    hit = total = 0
    for m in mentions:
        v = int(m.group("num"))
        for delta in (1, 2, 3, 5, 10, -1, -2):
            new = v + delta
            if new < 0 or float(new) in values:
                continue
            s, e = m.span("num")
            total += 1
            if flagged(number_findings(text[:s] + str(new) + text[e:], facts), [(s, s + len(str(new)))]):
                hit += 1
            elif show:
                print(f"  missed value: {m.group(0)}→{new}")
            break
    by_unit: dict[str, list] = {}
    for m in mentions:
        by_unit.setdefault(m.group("unit"), []).append(m)
    pairs = [(x, y) for ms in by_unit.values() for i, x in enumerate(ms) for y in ms[i + 1 :]
             if x.group("num") != y.group("num")]
    shit = 0
    for x, y in pairs:
        (xs, xe), (ys, ye) = x.span("num"), y.span("num")
        mt = text[:xs] + y.group("num") + text[xe:ys] + x.group("num") + text[ye:]
        d = len(y.group("num")) - len(x.group("num"))
        spans = [(xs, xs + len(y.group("num"))), (ys + d, ye + d + len(x.group("num")) - len(y.group("num")))]
        if flagged(number_findings(mt, facts), spans):
            shit += 1
        elif show:
            print(f"  missed swap: {x.group(0)}⇄{y.group(0)}  | {text[max(0, xs - 12):xe + 2]} | {text[max(0, ys - 12):ye + 2]}")
    return len(false_alarms), hit, total, shit, len(pairs)


_SWAPS = [("采用", "刊用"), ("发布", "推送"), ("开展", ""), ("会议", "会"), ("人员", "人数"), ("活动", ""),
          ("微信公众号", "公众号"), ("学习", "学习次数")]


def perturb(facts, seed: int = 7):
    """Rename each metric as a person might: the values stay, the wording changes."""
    import random
    from dataclasses import replace

    rng = random.Random(seed)
    out = []
    names: set[str] = set()
    for m in facts.metrics:
        name = m.name.split("·")[-1]
        choice = rng.randrange(4)
        if choice == 0 and len(name) > 4:
            name = name[1:] if rng.random() < 0.5 else name[:-1]
        elif choice == 1:
            name += rng.choice(["数量", "次数", "情况", "数"])
        elif choice == 2:
            for a, b in _SWAPS:
                if a in name:
                    name = name.replace(a, b, 1)
                    break
        name = name or m.name
        while name in names:
            name += "项"
        names.add(name)
        out.append(replace(m, name=name, section=None))
    facts.metrics = out
    return facts


def split_compilation(text: str) -> list[str]:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if re.search(r"篇\s*\d+\s*$|^篇[一二三四五六七八九十]+[:：]", line.strip())]
    return ["\n".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    doc = Path(args[0]).read_text(encoding="utf-8")
    t0 = time.perf_counter()
    if "--split" in sys.argv:
        totals = [0, 0, 0, 0, 0]
        for i, part in enumerate(split_compilation(doc)):
            result = run(part, extract_facts(part), show="-v" in sys.argv)
            print(f"report {i + 1}: false_alarms {result[0]}, detected {result[1]}/{result[2]}, "
                  f"swaps {result[3]}/{result[4]}")
            totals = [a + b for a, b in zip(totals, result, strict=True)]
        result = tuple(totals)
    else:
        facts = load_facts(args[1]) if len(args) > 1 else extract_facts(doc)
        if "--perturb" in sys.argv:
            facts = perturb(facts)
        result = run(doc, facts)
    print(f"false_alarms {result[0]}, detected {result[1]}/{result[2]}, swaps detected {result[3]}/{result[4]}"
          f"  ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
