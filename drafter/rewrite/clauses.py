"""Clauses and sentences of Chinese prose, and the to-do markers that replace what has no fact.

A template number with no matching fact never survives: its clause becomes 【待补充：…】 (or is dropped).
"""


from drafter import regexes
from drafter.markers import MARKER_RE, TODO, VERIFY, marker

__all__ = ["MARKER_RE", "TODO", "VERIFY", "clause_span", "drop_span", "marker"]

_LINE_NUMBER = regexes.compile(r"(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}[、.．](?!\d)|[①-⑳])\s*")
CLAUSE_BREAKS = "，,；;。！？!?：:\n"
SENTENCE_BREAKS = "。！？!?\n"


def clause_span(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The clause holding ``text[start:end]``: between the nearest clause breaks, spaces trimmed."""
    end = start if end is None else end
    # a marker's own colon (【待核实：媒体名称】) is not a clause break
    inside = {i for m in MARKER_RE.finditer(text, max(0, start - 200), min(len(text), end + 200))
              for i in range(m.start(), m.end())}
    lo = start
    while lo > 0 and (text[lo - 1] not in CLAUSE_BREAKS or lo - 1 in inside):
        lo -= 1
    hi = end
    while hi < len(text) and (text[hi] not in CLAUSE_BREAKS or hi in inside):
        hi += 1
    while lo < hi and text[lo] in " \t\u3000":
        lo += 1
    if lo == 0 or text[lo - 1] == "\n":
        # a list or heading number opening the line is not part of the clause: "1.更新宣传栏20块" keeps "1."
        m = _LINE_NUMBER.match(text, lo, hi)
        if m:
            lo = m.end()
    while hi > lo and text[hi - 1] in " \t\u3000":
        hi -= 1
    return lo, hi


def drop_span(text: str, start: int, end: int) -> tuple[int, int]:
    """What to delete to drop the clause [start, end) with one of its separators, keeping the sentence
    well punctuated: "A，B，C。" drops B as "B，", C as "，C"; a whole sentence goes with its 。"""
    after = text[end] if end < len(text) else ""
    before = text[start - 1] if start > 0 else ""
    if after in "，,；;、":
        return start, end + 1
    if before in "，,；;、":
        return start - 1, end
    if after in "。！？!?":
        return start, end + 1
    return start, end
