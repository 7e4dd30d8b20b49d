"""Recognise the genre's numbered headings: 一、 → （一） → 1. / 1、 → （1）.

A heading often carries its first sentence on the same line (``（一）专题研究，狠抓落实。今年7月……``);
``split_heading`` separates the two.
"""

import re
from dataclasses import dataclass

from drafter import regexes
from drafter.numerals import chinese_to_int

_CN = "一二三四五六七八九十"
# Order matters: （1） before 1. so a bracketed Arabic number is level 4, not level 3.
HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, regexes.compile(rf"^(?P<num>[{_CN}]{{1,3}})(?:、|[．.](?!\d))")),
    (2, regexes.compile(rf"^[（(](?P<num>[{_CN}]{{1,3}})[）)]")),
    (4, regexes.compile(r"^[（(](?P<num>\d{1,2})[）)]")),
    (3, regexes.compile(r"^(?P<num>\d{1,2})(?:[、．]|\.(?!\d))")),
]
# The heading proper ends at the first sentence end; longer than this, it is a numbered paragraph.
_HEADING_END = regexes.compile(r"[。！？!?]|\s{1,}(?=\S)|(?<=[\u4e00-\u9fff])\s")
MAX_HEADING_CHARS = 60


@dataclass(frozen=True)
class HeadingMatch:
    level: int
    number: int
    marker: str
    text: str  # heading without marker
    rest: str  # first sentence(s) sharing the line
    rest_offset: int  # offset of ``rest`` within the line (len(line) when empty)


def match_heading(line: str) -> HeadingMatch | None:
    """Parse a line (leading whitespace allowed) as a numbered heading, or return None."""
    stripped = line.lstrip(" \t\u3000")
    indent = len(line) - len(stripped)
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(stripped)
        if not m:
            continue
        raw = m.group("num")
        number = int(raw) if raw.isdigit() else chinese_to_int(raw)
        if number is None or number <= 0:
            continue
        body = stripped[m.end() :]
        if not body.strip():
            return None
        head, rest, rest_at = split_heading(body)
        if len(head) > MAX_HEADING_CHARS and level >= 3:
            # a long numbered paragraph ("1.深入推进……" running on): keep it as a heading-less item
            head, rest, rest_at = body, "", len(body)
        return HeadingMatch(level, number, m.group(0), head, rest, indent + m.end() + rest_at)
    return None


def split_heading(body: str) -> tuple[str, str, int]:
    """Split heading text from a first sentence on the same line: (heading, rest, rest offset in body)."""
    m = _HEADING_END.search(body)
    if not m or m.end() >= len(body.rstrip()):
        return body.rstrip(), "", len(body)
    head_end = m.end() if body[m.start()] in "。！？!?" else m.start()
    rest_start = m.end()
    while rest_start < len(body) and body[rest_start] in " \t\u3000":
        rest_start += 1
    return body[:head_end], body[rest_start:], rest_start
