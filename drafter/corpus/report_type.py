"""A report's type (意识形态工作总结, 责任制落实情况报告 …), period (年度, 上半年 …) and year.

Read from the title first, because sites' titles are formulaic, then from the opening's first
sentence (``2024年上半年，我镇……``). Types and periods are data: ``corpus/lexicons/report_types.yaml``.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from drafter import regexes
from drafter.resources import load_lexicon

_YEAR = regexes.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# "2024年松溪乡意识形态工作总结", "2025年以来，我镇……": a year and nothing narrower means the whole year.
_TITLE_YEAR_ONLY = regexes.compile(r"(?:19|20)\d{2}\s*年(?!\s*(?:上|下|第|前|[一二三四1-4]季度|\d{1,2}月))")


@dataclass(frozen=True)
class ReportKind:
    type: str
    period: str
    year: int | None


@cache
def _lexicon() -> dict[str, Any]:
    return load_lexicon("report_types")


def report_type_names() -> list[str]:
    lex = _lexicon()
    return [t["name"] for t in lex["types"]] + [lex["fallback_type"]]


def detect_type(title: str) -> str:
    lex = _lexicon()
    for entry in lex["types"]:
        if all(w in title for w in entry["all"]) and (not entry["any"] or any(w in title for w in entry["any"])):
            return entry["name"]
    return lex["fallback_type"]


def detect_period(title: str, opening: str = "") -> str:
    lex = _lexicon()
    first_sentence = re.split(r"[。！？\n]", opening, maxsplit=1)[0]
    for text in (title, first_sentence):
        for entry in lex["periods"]:
            if any(w in text for w in entry["any"]):
                return entry["name"]
        if _TITLE_YEAR_ONLY.search(text):
            return "年度"
    return lex["unknown_period"]


def detect_year(title: str, opening: str = "") -> int | None:
    """The report's year from its title, else from its opening's first sentence; None for 20xx."""
    first_sentence = re.split(r"[。！？\n]", opening, maxsplit=1)[0]
    for text in (title, first_sentence):
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def classify(title: str, opening: str = "") -> ReportKind:
    """Type, period and year; the type falls back to the opening when the title names none."""
    rtype = detect_type(title)
    if rtype == _lexicon()["fallback_type"] and opening:
        # "工作汇报" + "今年以来，我镇意识形态工作……": the title's genre word and the opening's subject
        rtype = detect_type(title + " " + re.split(r"[。！？\n]", opening, maxsplit=1)[0])
    return ReportKind(rtype, detect_period(title, opening), detect_year(title, opening))
