"""The hand-written binding set (tests/eval/binding/cases.yaml) is well formed: every case names a known
class and a facts file that loads, every `wrong` substring is in its text, and each class has enough
passages. Catch rates are measured by tests/eval/binding_eval.py, never asserted here."""

import sys
from collections import Counter
from pathlib import Path

import pytest

from drafter.facts import load_facts

EVAL = Path(__file__).resolve().parent / "eval"
sys.path.insert(0, str(EVAL))
import binding_eval  # noqa: E402

CASES = binding_eval.load_cases()
BINDING = EVAL / "binding"
MIN_PER_CLASS = 12
MIN_CLEAN = 50
KEYS = {"id", "facts", "class", "text", "wrong", "note"}


def test_case_ids_are_unique():
    ids = Counter(c["id"] for c in CASES)
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_case_is_well_formed(case):
    assert set(case) == KEYS
    assert case["class"] in (*binding_eval.CLASSES, binding_eval.CLEAN)
    assert (BINDING / case["facts"]).is_file()
    assert case["note"].strip()
    text, wrong = case["text"], case["wrong"]
    if case["class"] == binding_eval.CLEAN:
        assert wrong == []
    else:
        assert wrong, "an error passage names its wrong figure(s)"
        for w in wrong:
            assert w in text, f"“{w}” is not in the passage"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_passage_is_full_width(case):
    # A style finding in a clean passage would be a false alarm the binding is not to blame for.
    assert not set(case["text"]) & set(",:;()?!")


@pytest.mark.parametrize("name", sorted({c["facts"] for c in CASES}))
def test_facts_file_loads(name):
    facts = load_facts(BINDING / name)
    assert 10 <= len(facts.metrics) <= 18
    assert facts.unit is not None and facts.period.span


@pytest.mark.parametrize("cls", binding_eval.CLASSES)
def test_enough_passages_per_class(cls):
    assert sum(c["class"] == cls for c in CASES) >= MIN_PER_CLASS


def test_enough_clean_passages():
    assert sum(c["class"] == binding_eval.CLEAN for c in CASES) >= MIN_CLEAN


def test_facts_cover_the_interfaces():
    metrics = [m for name in {c["facts"] for c in CASES} for m in load_facts(BINDING / name).metrics]
    assert any(m.parts for m in metrics)
    assert any(m.status == "planned" for m in metrics)
    assert any(m.period for m in metrics)
    assert {"次", "场", "期", "人", "人次", "篇", "条", "个", "块", "%", "户", "名"} <= {m.unit for m in metrics}
    assert {"余", "以上", "近"} <= {m.qualifier for m in metrics}


@pytest.mark.parametrize("text, wrong, spans", [
    ("党课26次，讲党课12次", ["讲党课12次"], [(6, 12)]),
    ("4次、4次", ["4次"], [(0, 2), (3, 5)]),
    ("无", ["有"], []),
])
def test_wrong_spans(text, wrong, spans):
    assert binding_eval.wrong_spans(text, wrong) == spans
