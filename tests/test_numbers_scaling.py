"""The fast paths of claim extraction give the same claims as the plain scans they replaced.

extract_claims once scanned every blocked span for every number, every claim for every clause and
every section for every claim, which made `drafter check --facts` quadratic in document size. These
tests pin the replacements (bisect over merged spans, a window of neighbouring claims, a sweep over
sections) to the results of those scans. Timing lives in tests/bench/bench_check.py, not here.
"""

import itertools
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from drafter.numbers import extract_claims
from drafter.numbers.claims import _blocked_spans, _inside, _merge_spans
from drafter.numbers.context import _Neighbours
from drafter.parse import parse_report

REPORTS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "reports").glob("*.md"))
SEPARATOR = "\n\n"


def _shifted(claims, offset):
    return [replace(c, start=c.start + offset, end=c.end + offset, num_start=c.num_start + offset,
                    num_end=c.num_end + offset) for c in claims]


def test_claims_of_concatenated_reports_are_each_reports_claims():
    # Clauses and sentences stop at line breaks, so a report's claims do not depend on its neighbours:
    # the claims of many reports in one file are each report's own, shifted to where it starts.
    texts = [p.read_text(encoding="utf-8") for p in REPORTS] * 3
    expected, offset = [], 0
    for text in texts:
        expected.extend(_shifted(extract_claims(text), offset))
        offset += len(text) + len(SEPARATOR)
    assert len(expected) > 1000
    assert extract_claims(SEPARATOR.join(texts)) == expected


def test_sections_are_those_of_a_scan_over_every_section():
    text = SEPARATOR.join(p.read_text(encoding="utf-8") for p in REPORTS)
    report = parse_report(text)
    sections = [(s.start, s.end, s.heading.text) for s in report.walk()]
    claims = extract_claims(text, report)
    assert len(sections) > 50
    for c in claims:
        heading = None
        for s, e, name in sections:  # the innermost containing section comes last in pre-order
            if s <= c.start <= e:
                heading = name
        assert c.section == heading, c


def test_claims_with_sections_of_a_long_document_match_per_report_results():
    # A report's numbered body parsed alone gives its claims the same sections as inside a long file
    # of such bodies: each starts with a top-level heading that closes the previous one's sections.
    # (Titles, signatures and dates would become body text of the previous report's last section.)
    text = REPORTS[0].read_text(encoding="utf-8")
    parsed = parse_report(text)
    tail = [p.start for p in (parsed.signature, parsed.date, *parsed.closing) if p is not None]
    body = text[parsed.sections[0].start : min(tail, default=len(text))].rstrip()
    whole = SEPARATOR.join([body] * 40)
    one = extract_claims(body, parse_report(body))
    assert one and any(c.section for c in one)
    expected = []
    for k in range(40):
        expected.extend(_shifted(one, k * (len(body) + len(SEPARATOR))))
    assert extract_claims(whole, parse_report(whole)) == expected


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=30), st.integers(-1, 80))
def test_inside_merged_spans_is_inside_any_span(spans, pos):
    raw = [(s, s + n) for s, n in spans]
    assert _inside(_merge_spans(raw), pos) == any(s <= pos < e for s, e in raw)


def test_blocked_spans_are_merged_and_sorted():
    text = "坚定“四个自信”，学习《习近平谈治国理政》第四卷，落实“三会一课”制度，做到“两个维护”"
    spans = _blocked_spans(text)
    assert spans == sorted(spans)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
    assert [c.text for c in extract_claims(text)] == []


class _Claim:
    def __init__(self, start, end):
        self.start, self.end = start, end


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 8)), max_size=25),
       st.integers(0, 60), st.integers(0, 12))
def test_neighbours_hold_every_claim_overlapping_a_span(raw, start, length):
    # overlapping claims happen ("3次以上千人": 3次以上 and 上千人 share 上), so ends need not be sorted
    claims = [_Claim(s, s + n) for s, n in sorted(raw)]
    end = start + length
    overlapping = {k for k, c in enumerate(claims) if not (c.end <= start or c.start >= end)}
    assert overlapping <= set(_Neighbours(claims).candidates(start, end))


def test_overlapping_claims_keep_their_words():
    claims = extract_claims("开展3次以上千人参加活动")
    assert [(c.text, c.context) for c in claims] == [("3次以上", "开展"), ("上千人", "参加活动")]
