#!/usr/bin/env python3
"""Rewrite evaluation: shared seeds rewritten offline to another province's facts (issue 13).

Usage: python tests/eval/rewrite_eval.py [--seeds 000 003] [--facts examples/禾坪镇事实.yaml] [--out DIR] [--json]

For each seed: `drafter rewrite SEED --facts F --engine offline -o OUT --changes OUT.json`, then
- residue / placeholders / unsupported numbers by the shared independent checker
  (`../shared/eval/verify_output.py OUT FACTS --residue WORDS --json`), WORDS from
  tests/data/rewrite/template_words.yaml (read from each seed by hand);
- figures: every sentence of the template holding a counted figure either carries a to-do marker in the
  output, or each figure it states is a fact's value whose name (or alias) its own clause names;
- kept: share of the template's sentences without a figure that survive (similarity ≥ 0.75);
- quotes: every “…”/《…》 in the output is in the facts, is marked, or is the template's own and not one
  of its local names.
Exit status 1 when a seed fails a target (0 residue, 0 placeholders, 0 unsupported, every figure bound
or marked, ≥ 90 % kept, 0 bad quotes). Uses only the CLI's output, not the engine's internals.
"""

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
MARKER = re.compile(r"【(?:待补充|待核实)：[^】]*】")
FIGURE = re.compile(r"(?P<num>\d+(?:\.\d+)?|[一二三四五六七八九十百两]+)(?:余|多)?(?P<unit>%|％|次|场次|场|篇|条|人次|人|名|个|支|块|期|户|家)")
QUOTE = re.compile(r"“([^”\n]{1,30})”|《([^》\n]{1,40})》")
CN = dict(zip("零一二三四五六七八九", range(10), strict=True)) | {"两": 2}
ORDINARY = re.compile(r"^(?:一|两)(?:个|名|支|次|条|篇|场)")  # an article: 一支队伍, 一名宣传委员
# fixed political formulas (DOMAIN.md): 四个意识, 七个一律 — a number then 个 then a formula word
FORMULA = re.compile(r"[一二三四五六七八九十两]个(?:意识|自信|维护|确立|全面|代表|一百年|一律|倡导|务必|坚持|必须|服从|结合|伟大|不准|严禁)")


def cn_value(s: str) -> float:
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    total, num = 0, 0
    for ch in s:
        if ch in CN:
            num = CN[ch]
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        elif ch == "百":
            total += (num or 1) * 100
            num = 0
    return float(total + num)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[。！？；])|\n", text) if len(s.strip()) >= 6]


def run_seed(seed: Path, facts_path: Path, words: dict, out_dir: Path) -> dict:
    out = out_dir / f"{seed.stem[:3]}_rewrite.txt"
    changes = out_dir / f"{seed.stem[:3]}_changes.json"
    cmd = [sys.executable, "-m", "drafter", "rewrite", str(seed), "--facts", str(facts_path), "--engine", "offline",
           "-o", str(out), "--changes", str(changes), "--force"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in (0, 1) or not out.exists():
        return {"seed": seed.name, "error": proc.stderr[-800:]}
    template, output = seed.read_text(encoding="utf-8"), out.read_text(encoding="utf-8")
    facts = yaml.safe_load(facts_path.read_text(encoding="utf-8"))
    verify = _verify(out, facts_path, words.get("words", []))
    figures = _figures(template, output, facts)
    kept = _kept(template, output)
    quotes = _quotes(template, output, facts, facts_path.read_text(encoding="utf-8"), words.get("local_quotes", []))
    return {"seed": seed.name, "residue": verify.get("residue"), "placeholders": verify.get("placeholders"),
            "unsupported": verify.get("unsupported"), "todo": verify.get("todo"), "recall": verify.get("recall"),
            "figures_unbound": figures, "kept": kept, "bad_quotes": quotes,
            "edits": len(json.loads(changes.read_text(encoding="utf-8"))) if changes.exists() else None}


def _verify(out: Path, facts: Path, words: list[str]) -> dict:
    script = SHARED / "eval" / "verify_output.py"
    cmd = [sys.executable, str(script), str(out), str(facts), "--json"] + (["--residue", *words] if words else [])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"error": proc.stderr[-400:]}
    return {k: (len(v) if isinstance(v, list) else v) for k, v in data.items()} | {"details": data}


def _fact_names(facts: dict) -> list[tuple[float, list[str]]]:
    return [(float(m["value"]), [m["name"], *m.get("aliases", [])]) for m in facts.get("metrics", [])]


def _named(name: str, sentence: str) -> bool:
    """Half the name's characters in runs of 2+ that the sentence has, one run of 3 (or the whole name)."""
    covered, longest = 0, 0
    i = 0
    while i < len(name):
        j = i + 2
        while j <= len(name) and name[i:j] in sentence:
            j += 1
        run = j - 1 - i
        if run >= 2:
            covered += run
            longest = max(longest, run)
            i = j - 1
        else:
            i += 1
    return longest >= min(3, len(name)) and covered >= len(name) / 2


def _clause(sentence: str, start: int, end: int) -> str:
    lo = max((sentence.rfind(ch, 0, start) for ch in "，；：,;:"), default=-1) + 1
    his = [i for i in (sentence.find(ch, end) for ch in "，；。,;") if i >= 0]
    return sentence[lo : min(his) if his else len(sentence)]


def _figure_claims(sentence: str) -> list[re.Match[str]]:
    formulas = [m.span() for m in FORMULA.finditer(sentence)]
    return [m for m in FIGURE.finditer(sentence) if not ORDINARY.match(m.group(0))
            and not any(a <= m.start() < b for a, b in formulas)]


def _figures(template: str, output: str, facts: dict) -> list[str]:
    """Output sentences matching a template sentence with figures, where a figure is not the value of a
    fact the sentence names and no marker stands in."""
    template = template.translate(HALF)
    facts_by_value = _fact_names(facts)
    out_sents = sentences(output)
    bad = []
    for t in sentences(template):
        if not _figure_claims(t):
            continue
        best = max(out_sents, key=lambda o: difflib.SequenceMatcher(None, t, o).ratio(), default="")
        if difflib.SequenceMatcher(None, t, best).ratio() < 0.5:
            continue  # the sentence was dropped or rewritten beyond recognition: nothing of it is stated
        for m in _figure_claims(best):
            value = cn_value(m.group("num"))
            clause = _clause(best, m.start(), m.end())  # the figure's own clause must name its fact
            if not any(v == value and any(_named(n, clause) for n in names) for v, names in facts_by_value):
                bad.append(best[max(0, m.start() - 12) : m.end() + 2])
    return bad


def _kept(template: str, output: str) -> float:
    template = template.translate(HALF)  # the rewrite writes full-width punctuation in Chinese text
    plain = [s for s in sentences(template) if not FIGURE.search(s) and not re.search(r"\d", s)]
    if not plain:
        return 1.0
    out_sents = sentences(output)
    matcher_ok = 0
    for t in plain:
        if any(difflib.SequenceMatcher(None, t, o).ratio() >= 0.75 for o in out_sents):
            matcher_ok += 1
    return round(matcher_ok / len(plain), 3)


HALF = str.maketrans({",": "，", "?": "？", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！"})
SLOT = re.compile(r"[xX×ＸⅩ*＊某]+(?:街道|[乡镇])?")  # a township slot takes the user's kind too


def _quotes(template: str, output: str, facts: dict, facts_text: str, local: list[str]) -> list[str]:
    """Quoted names of the output that are neither the facts', nor marked, nor the template's own generic
    ones (with its slots filled by the facts' unit names or year)."""
    template = template.translate(HALF)
    unit = facts.get("unit", {})
    year = str(facts.get("period", {}).get("year", ""))
    own = {str(v) for v in unit.values() if v} | {year, year[2:]}
    own |= {n[:-1] for n in list(own) if len(n) >= 3 and n[-1] in "乡镇县市州省"}
    slotted = []
    for m in QUOTE.finditer(template):
        name = m.group(1) or m.group(2)
        if SLOT.search(name):
            parts = [re.escape(p) for p in SLOT.split(name)]
            slotted.append(re.compile("^" + "(.{1,8}?)".join(parts) + "$"))
    bad = []
    for m in QUOTE.finditer(output):
        name = m.group(1) or m.group(2)
        if MARKER.search(name) or name in facts_text:
            continue
        if name in template and not any(w in name for w in local):
            continue  # the template's own generic name (“学习强国”, 《意识形态工作责任制实施办法》)
        if any((f := r.match(name)) and all(g in own for g in f.groups()) for r in slotted):
            continue  # 《XX县……考核办法》 with the user's county: the user's own document
        bad.append(m.group(0))
    return bad


def passes(r: dict) -> bool:
    return (not r.get("error") and r["residue"] == 0 and r["placeholders"] == 0 and r["unsupported"] == 0
            and not r["figures_unbound"] and r["kept"] >= 0.9 and not r["bad_quotes"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="*", default=["000", "003"])
    ap.add_argument("--facts", default=str(ROOT / "examples" / "禾坪镇事实.yaml"))
    ap.add_argument("--out", default="/tmp/drafter_rewrite_eval")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not (SHARED / "seeds").is_dir():
        print("../shared/seeds is not present: nothing to evaluate")
        return 0
    words = yaml.safe_load((ROOT / "tests" / "data" / "rewrite" / "template_words.yaml").read_text(encoding="utf-8"))
    out_dir = Path(a.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for prefix in a.seeds:
        seed = next(iter(sorted((SHARED / "seeds").glob(f"{prefix}_*.txt"))), None)
        if seed is None:
            continue
        results.append(run_seed(seed, Path(a.facts), words.get(prefix, {}), out_dir))
    if a.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.get("error"):
                print(f"{r['seed']}: ERROR {r['error']}")
                continue
            print(f"{r['seed']}: residue={r['residue']} placeholders={r['placeholders']} unsupported={r['unsupported']} "
                  f"todo={r['todo']} recall={r['recall']} figures_unbound={len(r['figures_unbound'])} kept={r['kept']} "
                  f"bad_quotes={len(r['bad_quotes'])} edits={r['edits']} {'PASS' if passes(r) else 'FAIL'}")
            for s in r["figures_unbound"][:8]:
                print("   figure:", s)
            for s in r["bad_quotes"][:8]:
                print("   quote:", s)
    return 0 if all(passes(r) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
