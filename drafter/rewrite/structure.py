"""The shape of the rewritten report: headings numbered in sequence (the template's 一、二、四 becomes
一、二、三), markers that read as part of the sentence (no “【待补充：月份】月”), and the date line kept a
date (the facts' 成文日期 in Arabic numerals, else a marker) on its own line, where the signature is."""

import re

from drafter import regexes
from drafter.edits import Edit
from drafter.facts.model import Facts
from drafter.markers import MARKER_RE, TODO, marker
from drafter.parse import parse_report
from drafter.rules.context import CheckContext
from drafter.rules.heading_sequence import find_sequence_problems
from drafter.source import SourceText

MAX_ROUNDS = 12  # one round renumbers one heading of each run; a report has fewer siblings than this
# a marker then the unit word it already names: 【待补充：月份】月, 【待补充：日期】日, 【待补充：年份】年
_DOUBLED_UNIT = {"月份": "月份", "月": "月", "日期": "日号", "日": "日号", "年份": "年", "时间": ""}


def renumber_edits(text: str) -> list[Edit]:
    """One round of renumbering: skipped, repeated or backward headings get the number their run expects
    (一、二、四 → 一、二、三; the engine repeats rounds until none is left). A run that starts again at 1
    is left alone: in a compilation it is a new report."""
    ctx = CheckContext(SourceText("<rewrite>", text))
    edits = []
    for p in find_sequence_problems(ctx):
        old = text[p.start : p.end]
        if p.suggestion is None or p.suggestion == old or _restart(old):
            continue
        edits.append(Edit(p.start, p.end, old, p.suggestion, "heading-number", note=p.message))
    return edits


def _restart(marker_text: str) -> bool:
    return re.search(r"(?<![一二三四五六七八九十\d])(?:一|1)(?![\d十])", marker_text) is not None


def natural_marker_edits(text: str) -> list[Edit]:
    """【待补充：月份】月 → 【待补充：月份】: the marker already says what the unit word says."""
    edits = []
    for m in MARKER_RE.finditer(text):
        after = _DOUBLED_UNIT.get(m.group(2))
        if after and m.end() < len(text) and text[m.end()] in after:
            end = m.end() + 1
            while end < len(text) and text[end] in "份":
                end += 1
            edits.append(Edit(m.end(), end, text[m.end() : end], "", "marker-tidy",
                              note="标记已写明月份/日期，删去重复的单位字"))
    return edits


def date_edits(text: str, facts: Facts) -> list[Edit]:
    """The date line: the facts' 成文日期 (2025年12月18日), else a marker when its year is not the report's.
    The line itself stays, so the signature and date keep their block."""
    report = parse_report(text)
    if report.date is None:
        return []
    p = report.date
    old = text[p.start : p.end]
    wanted = _written_date(facts.date) if getattr(facts, "date", None) else None
    if wanted is None:
        year = facts.period.year
        if year is None or re.search(rf"{year}|{year + 1}", old):
            return []
        wanted = marker(TODO, "成文日期")
    lead = old[: len(old) - len(old.lstrip())]
    if old.strip() == wanted:
        return []
    return [Edit(p.start, p.end, old, lead + wanted, "date", fact="date", note="落款日期按事实文件的成文日期填写")]


def _written_date(value: object) -> str | None:
    """"2025-12-18" → 2025年12月18日 (公文: Arabic numerals, no zero padding)."""
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return f"{y}年{mo}月{d}日"


_GENERIC_TITLE_UNIT = regexes.compile(r"^(?P<lead>\s*(?:(?:19|20)\d{2}年(?:度)?)?)(?P<unit>乡镇|乡（镇）|乡\(镇\)|镇|乡|街道)(?=关于|意识形态|宣传|精神文明|落实|年度|上半年|下半年|全年)")


def title_unit_edits(text: str, facts: Facts) -> list[Edit]:
    """A title naming no unit but the generic 乡镇 (乡镇关于意识形态工作落实情况的报告): the user's name."""
    if facts.unit is None:
        return []
    report = parse_report(text)
    if report.title is None:
        return []
    m = _GENERIC_TITLE_UNIT.match(text, report.title.start, report.title.end)
    if m is None:
        return []
    s, e = m.span("unit")
    return [Edit(s, e, text[s:e], facts.unit.name, "unit-name", note="标题里的“乡镇”换成本单位名称")]
