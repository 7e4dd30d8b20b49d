"""Rules ``stale-year`` and ``stale-term``: a template's years and terms that do not fit the report's year.

``stale-year`` compares the years a report states with its own year (``--year`` or the facts; without
them, the title's year, and then only disagreements inside the document count):

- the title's year, the opening's ``现将……2019年……总结如下`` and the date line: error when different;
- ``2019年以来`` or another past year in the title or opening: warning (a template's "this year");
- in the body, a past year stated as this year's work (``2023年7月，召开……``, ``截至2023年底``,
  ``2023年共……``): warning; a past year as history (``自2019年以来``, ``较2023年``) is left alone; a year
  after next (``2028年``) unless a fixed target year (2035年): warning;
- the span: ``上半年`` in the title or opening of an annual report, or ``全年`` in a half-year one: warning.

``stale-term`` looks up ``corpus/lexicons/term_dates.yaml``: a term used after its time (十九大精神 in
2025) is a warning with the current term; a term that cannot exist yet (二十届四中全会 in a 2025
first-half report) is an error. It needs a known year.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.report import Paragraph, Report
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule

YEAR_RULE = "stale-year"
TERM_RULE = "stale-term"
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_YEAR_RE = regexes.compile(r"(?<![\d０-９])((?:19|20)\d{2}|[二][〇○零][〇○零一二三四五六七八九]{2})\s*年(?!代|级)")
_MONTH_AFTER = regexes.compile(r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[xX×])\s*月")
# A past year stated as history, not as this year's work: 自2019年以来, 较2023年, 2019年起, 2018年获评.
_HISTORY_BEFORE = ("自", "从", "于", "较", "比", "与", "同", "至", "到", "在", "早在", "曾", "先后", "连续")
_HISTORY_AFTER = ("以来", "来", "起", "开始", "以前", "之前", "前", "以后", "之后", "后", "至今", "底", "末", "初",
                  "被", "获", "荣获", "成功", "入选", "相比", "同期", "的", "到", "至", "—", "-", "~", "、", "和", "及")
# Stated as this year's work: 截至2023年底 / 2023年度 / 2023年全年 / 2023年上半年 / 2023年共 / 2023年，我镇.
_CURRENT_AFTER = regexes.compile(r"\s*(?:度|全年|上半年|下半年|第[一二三四]季度|前三季度|共|累计|以来|，|,)")
_CURRENT_BEFORE = ("截至", "截止", "截止到", "截至到")
FIXED_TARGET_YEARS = {2035, 2049, 2050}  # 2035年远景目标, 新中国成立100年, 本世纪中叶
_SPAN_MONTHS: dict[str, tuple[int, int]] = {k: (v[0], v[1]) for k, v in load_lexicon("periods")["span_months"].items()}
_TITLE_SPANS: tuple[str, ...] = tuple(load_lexicon("periods")["title_spans"])
_MONTH_RANGE = regexes.compile(r"^(\d{1,2})[-—~至到](\d{1,2})月$")


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    year: int


def find_years(text: str, start: int = 0, end: int | None = None) -> list[YearMention]:
    """Four-digit years (2019年, 二〇一九年) in ``text[start:end]``."""
    out = []
    for m in _YEAR_RE.finditer(text, start, len(text) if end is None else end):
        raw = m.group(1)
        year = int(raw) if raw.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in raw))
        out.append(YearMention(m.start(), m.end(), year))
    return out


def infer_year(report: Report) -> int | None:
    """The report's own year from its title (2019年勐约乡意识形态工作总结), else from the opening's
    现将……年……如下 sentence."""
    if report.title is not None:
        years = find_years(report.text, report.title.start, report.title.end)
        if years:
            return years[0].year
    for p in report.opening:
        m = re.search(r"现将[^。]{0,30}?((?:19|20)\d{2})年", p.text)
        if m:
            return int(m.group(1))
    return None


def infer_span(report: Report) -> str | None:
    """上半年 / 第三季度 … from the title; 全年 for a titled year's summary without a shorter span."""
    if report.title is None:
        return None
    title = report.title.text
    for span in _TITLE_SPANS:
        if span in title:
            return span
    if "半年" in title:
        return "上半年"
    if find_years(title) and re.search(r"总结|报告", title):
        return "全年"
    return None


def span_months(span: str | None) -> tuple[int, int]:
    if span and span in _SPAN_MONTHS:
        return _SPAN_MONTHS[span]
    m = _MONTH_RANGE.match(span or "")
    return (int(m.group(1)), int(m.group(2))) if m else (1, 12)


@rule(YEAR_RULE, Severity.WARNING, "年份、时段不符：标题/开头/落款的年份或“上半年”与总结不一致")
def check_stale_year(ctx: CheckContext) -> Iterator[Finding]:
    report = ctx.report
    year, given = ctx.year, ctx.year is not None
    if year is None:
        year = infer_year(report)
        if year is None:
            return
    where = f"总结年份{year}年" if given else f"标题的{year}年"
    yield from _title_years(ctx, report, year, given)
    for p in report.opening:
        yield from _opening_years(ctx, p, year, where)
    if report.date is not None:
        for y in find_years(ctx.text, report.date.start, report.date.end):
            if y.year not in (year, year + 1):
                yield ctx.finding(YEAR_RULE, Severity.ERROR, y.start, y.end,
                                  f"落款日期写的是{y.year}年，与{where}不符：请改为实际成文日期。", f"{year}年")
    if given:
        yield from _body_years(ctx, report, year)
    yield from _span_words(ctx, report)


def _title_years(ctx: CheckContext, report: Report, year: int, given: bool) -> Iterator[Finding]:
    if report.title is None or not given:
        return
    years = find_years(ctx.text, report.title.start, report.title.end)
    if years and years[0].year != year:
        y = years[0]
        yield ctx.finding(YEAR_RULE, Severity.ERROR, y.start, y.end,
                          f"标题写的是{y.year}年，总结年份是{year}年：多半是范文的年份没改，请改为{year}年。",
                          f"{year}年")
    for y in years[1:]:
        if y.year not in (year, year + 1):  # 2025年工作总结及2026年工作计划
            yield ctx.finding(YEAR_RULE, Severity.WARNING, y.start, y.end,
                              f"标题里的{y.year}年与总结年份{year}年不符：请核对。", f"{year}年")


def _opening_years(ctx: CheckContext, p: Paragraph, year: int, where: str) -> Iterator[Finding]:
    text = ctx.text
    for y in find_years(text, p.start, p.end):
        if y.year in (year, year + 1) or y.year in FIXED_TARGET_YEARS:
            continue
        before = text[max(p.start, y.start - 30) : y.start]
        after = text[y.end : y.end + 4]
        if re.search(r"现将[^。]*$", before):
            yield ctx.finding(YEAR_RULE, Severity.ERROR, y.start, y.end,
                              f"开头说要总结{y.year}年的工作，与{where}不符：请改为{year}年。", f"{year}年")
        elif (before.endswith(_HISTORY_BEFORE) and not after.startswith(("以来", "来"))) \
                or before.endswith(("自", "从")):
            continue  # 自2019年以来 / 较2023年: history
        elif after.startswith(("以来", "来")):
            yield ctx.finding(YEAR_RULE, Severity.WARNING, y.start, y.end,
                              f"开头写“{y.year}年以来”，与{where}不符：若指本年度，请改为“{year}年以来”或“今年以来”。",
                              f"{year}年")
        else:
            yield ctx.finding(YEAR_RULE, Severity.WARNING, y.start, y.end,
                              f"开头写的是{y.year}年，与{where}不符：多半是范文的年份没改，请核对。", f"{year}年")


def _body_years(ctx: CheckContext, report: Report, year: int) -> Iterator[Finding]:
    text = ctx.text
    opening_end = max((p.end for p in report.opening), default=report.title.end if report.title else 0)
    body_end = report.date.start if report.date is not None else len(text)
    for y in find_years(text, opening_end, body_end):
        if y.year in (year, year + 1) or y.year in FIXED_TARGET_YEARS:
            continue
        before = text[max(0, y.start - 4) : y.start]
        after = text[y.end : y.end + 4]
        if y.year > year + 1:
            if not before.endswith(("到", "至", "力争", "预计", "计划", "目标", "前", "在")):
                yield ctx.finding(YEAR_RULE, Severity.WARNING, y.start, y.end,
                                  f"{y.year}年晚于总结年份{year}年：请核对是否写错。")
            continue
        current = before.endswith(_CURRENT_BEFORE)  # 截至2023年底: before 至 reads as history
        if not current and (before.endswith(_HISTORY_BEFORE) or after.startswith(_HISTORY_AFTER)):
            continue
        if current or _MONTH_AFTER.match(after) or _CURRENT_AFTER.match(after):
            yield ctx.finding(YEAR_RULE, Severity.WARNING, y.start, y.end,
                              f"这里把{y.year}年的事写成了本年度的工作（总结年份{year}年）：多半是范文的年份没改，"
                              f"若是今年的事请改为{year}年或“今年”。", f"{year}年")


def _span_words(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    span = ctx.span or infer_span(report)
    if span is None:
        return
    first, last = span_months(span)
    annual = (first, last) == (1, 12)
    half = (first, last) == (1, 6)
    paragraphs = ([report.title] if report.title is not None else []) + list(report.opening)
    for p in paragraphs:
        if annual:
            for m in re.finditer(r"上半年", p.text):
                if _governs_a_figure(ctx, p.text, m.end()):
                    continue  # with facts, number-period judges a period word that scopes a figure
                yield ctx.finding(YEAR_RULE, Severity.WARNING, p.start + m.start(), p.start + m.end(),
                                  "这是全年的总结，标题或开头却写“上半年”：多半是照抄了半年总结的范文，"
                                  "请改为“今年以来”或“全年”。", "全年")
        elif half:
            for m in re.finditer(r"全年|一年来|年终", p.text):
                yield ctx.finding(YEAR_RULE, Severity.WARNING, p.start + m.start(), p.start + m.end(),
                                  f"这是{span}的总结，标题或开头却写“{m.group()}”：请改为“上半年”或“今年以来”。",
                                  "上半年")


def _governs_a_figure(ctx: CheckContext, text: str, end: int) -> bool:
    if ctx.facts is None:
        return False
    from drafter.numbers import extract_claims

    sentence = re.split(r"[。；;！!？?\n]", text[end:], maxsplit=1)[0]
    return any(c.is_metric for c in extract_claims(sentence))


@cache
def _terms() -> list[dict]:
    entries = []
    for entry in load_lexicon("term_dates")["terms"]:
        pattern = entry.get("pattern") or re.escape(entry["term"])
        entries.append({**entry, "regex": regexes.compile(pattern)})
    return entries


def _ym(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    y, _, m = str(value).partition("-")
    return int(y), int(m or 1)


@rule(TERM_RULE, Severity.WARNING, "过时或尚未出现的提法：如2025年还写“十九大精神”（需 --year 或事实文件）")
def check_stale_terms(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.year is None:
        return
    span = ctx.span or infer_span(ctx.report)  # a 上半年 title narrows what can already exist
    first, last = span_months(span)
    period_start, period_end = (ctx.year, first), (ctx.year, last)
    text = ctx.text
    taken: list[tuple[int, int]] = []
    for entry in _terms():
        valid_from, valid_to = _ym(entry.get("valid_from")), _ym(entry.get("valid_to"))
        too_early = valid_from is not None and valid_from > period_end
        too_late = valid_to is not None and valid_to < period_start
        if not (too_early or too_late):
            continue
        for m in entry["regex"].finditer(text):
            start, end = m.span()
            if any(s < end and start < e for s, e in taken) or _in_unless(text, start, end, entry):
                continue
            taken.append((start, end))
            yield _term_finding(ctx, entry, start, end, too_early, valid_from, valid_to, span)


def _term_finding(ctx: CheckContext, entry: dict, start: int, end: int, too_early: bool,
                  valid_from: tuple[int, int] | None, valid_to: tuple[int, int] | None,
                  span: str | None) -> Finding:
    term = ctx.text[start:end]
    advice = entry.get("advice", "")
    if too_early:
        assert valid_from is not None
        period = "" if span in (None, "全年") else span
        message = (f"“{term}”{valid_from[0]}年{valid_from[1]}月才出现，{ctx.year}年{period}的总结里"
                   f"不该有：多半是抄了别的年份的范文，请核对。{advice}")
        return ctx.finding(TERM_RULE, Severity.ERROR, start, end, message)
    assert valid_to is not None
    replacement = entry.get("replacement")
    hint = f"请改为“{replacement}”。" if replacement else ""
    message = f"“{term}”是{valid_to[0]}年以前的提法，{ctx.year}年的总结不宜再写成当前工作：{advice}{hint}"
    return ctx.finding(TERM_RULE, Severity.WARNING, start, end, message, replacement)


def _in_unless(text: str, start: int, end: int, entry: dict) -> bool:
    for phrase in entry.get("unless", ()):
        at = text.find(phrase, max(0, start - len(phrase)), end + len(phrase))
        while at >= 0 and at < end:
            if at + len(phrase) > start:
                return True
            at = text.find(phrase, at + 1, end + len(phrase))
    return False
