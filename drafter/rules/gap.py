"""Rule ``gap``: holes left where a copier deleted words — ``、、``, ``《》``, ``“”``, ``（）``, and
``关于印发的通知`` whose title was stripped. Only the user knows what belongs there, so there is no
fix; the message says what is missing. Patterns are data in ``corpus/lexicons/gaps.yaml``.
"""

import re
from functools import cache

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule

RULE_ID = "gap"


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    return tuple((regexes.compile(p["pattern"]), p["what"], p["todo"]) for p in load_lexicon("gaps")["patterns"])


def find_gaps(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, what is missing, what to do) for every gap, in order, overlaps dropped."""
    hits = sorted(
        ((m.start(), m.end(), what, todo) for pattern, what, todo in _patterns() for m in pattern.finditer(text)
         if m.end() > m.start()),
        key=lambda h: (h[0], -h[1]),
    )
    out: list[tuple[int, int, str, str]] = []
    for hit in hits:
        if out and hit[0] < out[-1][1]:
            continue  # "、、、" and "、、。" both match: report the hole once
        out.append(hit)
    return out


@rule(RULE_ID, Severity.ERROR, "删字留下的空位：、、  《》  “”  （）  关于印发的通知")
def check_gaps(ctx: CheckContext) -> list[Finding]:
    return [
        ctx.finding(RULE_ID, Severity.ERROR, s, e, f"{what}：请{todo}。")
        for s, e, what, todo in find_gaps(ctx.text)
    ]
