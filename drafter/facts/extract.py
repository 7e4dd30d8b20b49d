"""Turn a report into a facts file: every metric it states, labelled from its context.

So last year's report becomes this year's form (change the values, keep the names), and a draft can be
round-tripped: the extracted facts support every number of the report they came from.
"""

import re
from collections import Counter
from dataclasses import replace

from drafter import regexes
from drafter.facts.model import Event, Facts, Metric, Period
from drafter.numbers import NumberClaim, extract_claims
from drafter.numbers.context import trim_label
from drafter.numbers.lexicon import measure_regex
from drafter.parse import parse_report
from drafter.report import Report
from drafter.resources import load_lexicon
from drafter.unit import UnitInfo

_UNIT_NAME = regexes.compile(r"(?:\d{4}年|[二〇零一三四五六七八九○]{4}年)?(?P<name>[\u4e00-\u9fff]{2,8}?(?:街道|镇|乡))")
_GENERIC_UNITS = {"乡镇", "城乡", "全乡", "全镇", "我乡", "我镇", "本乡", "本镇", "各乡镇", "街道"}
_SPANS: tuple[str, ...] = tuple(load_lexicon("periods")["title_spans"])
_PROBLEM_HEADING = regexes.compile(r"问题|不足|短板|差距")
_PLAN_HEADING = regexes.compile(r"下一步|打算|计划|思路|安排|展望")
MAX_FREE_ITEMS = 8


def extract_facts(report_text: str) -> Facts:
    report = parse_report(report_text)
    claims = extract_claims(report_text, report)
    if report.date is not None:
        claims = [c for c in claims if not report.date.start <= c.start < report.date.end]
    period = _period(report, claims)
    facts = Facts(unit=_unit(report), period=period)
    facts.metrics = _metrics([c for c in claims if c.is_metric])
    facts.events = _events([c for c in claims if c.kind == "date"], period.year)
    facts.problems = _free_items(report, _PROBLEM_HEADING)
    facts.plans = _free_items(report, _PLAN_HEADING)
    return facts


def _unit(report: Report) -> UnitInfo | None:
    sources = [report.title.text] if report.title else []
    sources.extend(p.text for p in report.opening[:1])
    for text in sources:
        for m in _UNIT_NAME.finditer(text):
            name = m.group("name")
            if name in _GENERIC_UNITS or name.endswith(("乡镇", "城乡")):
                continue
            base = UnitInfo.from_name(name)
            county = re.search(r"([\u4e00-\u9fff]{2,5}[县市区旗])" + re.escape(name), report.text)
            return UnitInfo(name=base.name, kind=base.kind, county=county.group(1) if county else "")
    return None


def _period(report: Report, claims: list[NumberClaim]) -> Period:
    title = report.title.text if report.title else ""
    years = [int(c.value) for c in claims if c.kind == "year" and report.title and c.start < report.title.end]
    if not years:
        opening_end = report.opening[-1].end if report.opening else 0
        years = [int(c.value) for c in claims if c.kind == "year" and c.start < opening_end]
    if not years:
        counted = Counter(int(c.value) for c in claims if c.kind == "year")
        years = [counted.most_common(1)[0][0]] if counted else []
    head = title + "".join(p.text for p in report.opening[:1])[:80]
    span = next((s for s in _SPANS if s in head), None)
    if span is None and ("半年" in title):
        span = "上半年"
    return Period(year=years[0] if years else None, span=span or "全年")


def _metrics(claims: list[NumberClaim]) -> list[Metric]:
    metrics: list[Metric] = []
    seen: dict[str, Metric] = {}
    for i, c in enumerate(claims):
        name = c.label or trim_label(c.context)[:20] or f"指标{i + 1}"
        unit = "%" if c.unit == "％" else c.unit
        section = c.section.rstrip("。，；：:. ") if c.section else None
        c = replace(c, section=section)
        metric = Metric(name=name, value=c.value, unit=unit, qualifier=c.qualifier, section=section)
        same = seen.get(name)
        if same is not None and (same.value, same.unit, same.qualifier) == (c.value, unit, c.qualifier):
            continue  # the same fact stated twice
        if same is not None:
            metric = Metric(name=_distinct_name(name, c, seen), value=c.value, unit=unit, qualifier=c.qualifier,
                            section=c.section)
        seen[metric.name] = metric
        metrics.append(metric)
    return metrics


def _distinct_name(name: str, claim: NumberClaim, seen: dict[str, Metric]) -> str:
    """Two different values under one label ("参加人员"): prefix what the sentence is about (the label of
    its first clause, so the prefix is in the claim's own sentence), else the section; then number them."""
    for source in (_lead_clause(claim), claim.section or ""):
        prefix = trim_label(source)[-10:]
        if prefix and prefix not in name and f"{prefix}·{name}" not in seen:
            return f"{prefix}·{name}"
    n = 2
    while f"{name}（{n}）" in seen:
        n += 1
    return f"{name}（{n}）"


def _lead_clause(claim: NumberClaim) -> str:
    """The sentence's words before the claim's own clause: "开展道德讲堂4场，参加人员200余人" → 开展道德讲堂."""
    at = claim.wide.find(claim.text)
    head = claim.wide[: at if at >= 0 else 0]
    head = re.split(r"[，,：:；;、]", head)
    figure = regexes.compile(rf"[\d一二三四五六七八九十百千万余多]+{measure_regex(with_between=False)}?")
    clauses = [figure.sub("", c) for c in head[:-1]]
    clauses = [c for c in clauses if len(c) >= 2]
    return clauses[-1] if clauses else ""


def _events(claims: list[NumberClaim], year: int | None) -> list[Event]:
    events: list[Event] = []
    seen: set[tuple[str | None, str]] = set()
    for c in claims:
        y = c.year or year
        date = None
        if y:
            date = f"{y:04d}-{int(c.value):02d}" + (f"-{c.day:02d}" if c.day else "")
        what = _event_text(c)
        if (date, what) in seen:
            continue
        seen.add((date, what))
        events.append(Event(what=what, date=date))
    return events


def _event_text(c: NumberClaim) -> str:
    """The sentence around a date, without its dates and lead-in: what happened then."""
    text = re.sub(r"(?:\d{4}年)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份|初|中旬|下旬|底)?"
                  r"(?:\d{1,2}[日号])?[、和至到及]?", "", c.wide)
    text = re.sub(r"^[（(][一二三四五六七八九十\d]+[）)]", "", text)
    text = text.strip("，,。；; \u3000")
    text = re.sub(r"^(?:今年|去年|年初|年中|年底|同时)[，,]?", "", text).strip("，,。 ")
    cut = text.find("，", 12)
    text = text[:cut] if 0 < cut <= 40 else text[:40]
    return text or c.text


def _free_items(report: Report, heading: re.Pattern[str]) -> list[str]:
    """Problems or plans: the sub-headings (or sentences) of the section whose heading says so."""
    for section in report.sections:
        if not heading.search(section.heading.text):
            continue
        items = [child.heading.text for child in section.children]
        if not items:
            body = section.body_text()
            items = [s.strip() for s in re.split(r"[。；;\n]|[一二三四五六七八九十]是", body) if len(s.strip()) >= 6]
        items = [i.strip("。；，,;： \u3000") for i in items]
        return [i[:60] for i in items if i and not any(c.is_metric for c in extract_claims(i))][:MAX_FREE_ITEMS]
    return []
