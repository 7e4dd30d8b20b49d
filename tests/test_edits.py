"""drafter.edits.apply_edits: the one way edits are spliced into a text, and its rule for collisions."""

import pytest

from drafter.check import apply_safe_fixes
from drafter.edits import Edit, apply_edits
from drafter.findings import Finding, Severity

TEXT = "abcdef"


def ed(start: int, end: int, new: str) -> Edit:
    return Edit(start, end, TEXT[start:end], new, "test")


# (case, edits, text by default, text with one_edit_per_offset=True)
CASES = [
    ("no edits", [], "abcdef", "abcdef"),
    ("one replacement", [ed(1, 3, "XY")], "aXYdef", "aXYdef"),
    ("one deletion", [ed(2, 4, "")], "abef", "abef"),
    ("adjacent edits", [ed(0, 2, "X"), ed(2, 4, "Y")], "XYef", "XYef"),
    ("insertion at the end of a replacement", [ed(1, 3, "X"), ed(3, 3, "+")], "aX+def", "aX+def"),
    ("two insertions at one offset, order kept", [ed(2, 2, "1"), ed(2, 2, "2")], "ab12cdef", "ab1cdef"),
    ("two insertions at one offset, other order", [ed(2, 2, "2"), ed(2, 2, "1")], "ab21cdef", "ab2cdef"),
    ("insertion at the start of a replacement", [ed(2, 4, "X"), ed(2, 2, "+")], "ab+Xef", "ab+cdef"),
    ("insertion inside a replacement", [ed(1, 4, "X"), ed(2, 2, "+")], "aXef", "aXef"),
    ("overlap: the earlier start wins", [ed(2, 5, "Y"), ed(1, 3, "X")], "aXdef", "aXdef"),
    ("overlap: same start, the shorter wins", [ed(1, 4, "L"), ed(1, 2, "S")], "aScdef", "aScdef"),
    ("same span twice: the first given wins", [ed(1, 2, "P"), ed(1, 2, "Q")], "aPcdef", "aPcdef"),
    ("out of order", [ed(4, 5, "E"), ed(0, 1, "A"), ed(2, 3, "C")], "AbCdEf", "AbCdEf"),
]


@pytest.mark.parametrize(("edits", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_apply_edits(edits, expected):
    assert apply_edits(TEXT, edits)[0] == expected


@pytest.mark.parametrize(("edits", "expected"), [(c[1], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_apply_edits_one_edit_per_offset(edits, expected):
    assert apply_edits(TEXT, edits, one_edit_per_offset=True)[0] == expected


@pytest.mark.parametrize("one_edit_per_offset", [False, True])
@pytest.mark.parametrize(("edits", "_default", "_one"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_applied_edits_point_into_the_output(edits, _default, _one, one_edit_per_offset):
    out, applied = apply_edits(TEXT, edits, one_edit_per_offset=one_edit_per_offset)
    assert [(e.start, e.end) for e in applied] == sorted((e.start, e.end) for e in applied)
    for e in applied:
        assert out[e.out_start : e.out_end] == e.new
        assert TEXT[e.start : e.end] == e.old  # input offsets are kept


def fix(start: int, end: int, suggestion: str | None, safe: bool = True, rule: str = "r") -> Finding:
    return Finding(rule, Severity.WARNING, start, end, 1, start + 1, TEXT[start:end], "msg", suggestion, safe)


@pytest.mark.parametrize(("findings", "expected", "applied"), [
    ([], "abcdef", []),
    ([fix(1, 2, "B"), fix(3, 4, "D", safe=False), fix(4, 5, None)], "aBcdef", [0]),
    ([fix(2, 2, "。", rule="a"), fix(2, 2, "。", rule="b")], "ab。cdef", [0]),  # one fix per offset
    ([fix(2, 4, ""), fix(2, 2, "+")], "ab+cdef", [1]),
    ([fix(4, 5, "E"), fix(0, 1, "A")], "AbcdEf", [1, 0]),
], ids=["none", "only safe fixes with a suggestion", "same insertion from two rules",
        "insertion blocks a replacement at its offset", "out of order"])
def test_apply_safe_fixes(findings, expected, applied):
    out, kept = apply_safe_fixes(TEXT, findings)
    assert out == expected
    assert kept == [findings[i] for i in applied]
