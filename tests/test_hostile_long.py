"""Hostile input, long paragraphs: the work per number claim is bounded, so a paragraph without a full
stop costs time in proportion to its length (timings are in tests/bench/bench_long_line.py)."""

from drafter.numbers.claims import extract_claims
from drafter.numbers.context import MAX_WIDE

SENTENCE = "全年共召开专题会议4次，中心组学习12次，开展党课25次，公众号发布信息70条，参加人员200余人，"


def test_a_claims_sentence_is_bounded_in_a_paragraph_without_a_full_stop():
    text = (SENTENCE * 400)[:21000]
    claims = extract_claims(text)
    assert len(claims) > 1000
    assert max(len(c.wide) for c in claims) <= 2 * MAX_WIDE + 20


def test_an_ordinary_sentence_is_still_whole():
    text = "今年以来，青石镇召开专题会议4次，开展中心组学习12次。下一步，我们将继续努力。"
    claims = extract_claims(text)
    assert claims[0].wide == "今年以来，青石镇召开专题会议4次，开展中心组学习12次"
