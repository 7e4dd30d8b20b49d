"""Check parsed facts data field by field and build ``Facts``; every problem names its line and field.

Problems are collected, not raised one at a time, so a user fixes the whole file in one pass. Messages are
Chinese and say what to write instead.
"""

import datetime as dt
import difflib
import math
from typing import Any

from drafter import regexes
from drafter.exceptions import FactsError
from drafter.facts.locate import Lines
from drafter.facts.model import SPANS, STATUSES, Event, Facts, Metric, Period
from drafter.unit import UNIT_KINDS, UnitInfo

TOP_KEYS = ("unit", "period", "date", "metrics", "events", "highlights", "problems", "plans")
UNIT_KEYS = ("name", "kind", "county", "city", "province", "aliases")
PERIOD_KEYS = ("year", "span")
METRIC_KEYS = ("name", "value", "unit", "qualifier", "aliases", "section", "topic", "period", "status", "parts")
EVENT_KEYS = ("date", "what")
FIELD_LABELS = {"name": "名称", "value": "数值", "unit": "单位", "qualifier": "限定词", "aliases": "别名",
                "section": "所属部分", "topic": "主题", "year": "年份", "span": "时段", "date": "日期",
                "what": "事项", "kind": "类型", "county": "县", "city": "市", "province": "省",
                "period": "时段", "status": "状态", "parts": "组成部分"}
_STATUS_WORDS = {"done": "done", "已完成": "done", "完成": "done", "已": "done",
                 "planned": "planned", "计划": "planned", "拟": "planned", "计划中": "planned"}
MAX_PROBLEMS = 20
# A unit's facts run to tens of metrics and events; thousands mean a wrong or generated file, and every
# later stage (matching each claim against each fact) grows with the count: refuse rather than crawl.
MAX_ITEMS = 500
# The largest figure a township report states is a budget in 元 (millions) or a view count; beyond this a
# value is a slip (1e23) that would be written out as some other number.
MAX_VALUE = 1e10
# Measure-word kinds that count whole things (corpus/lexicons/measure_words.yaml): 0.5个 is no count.
WHOLE_KINDS = ("event", "person", "text", "item")
PERCENT_LIMITS = {"%": 100.0, "％": 100.0, "个百分点": 100.0, "‰": 1000.0}
SHOWN_CHARS = 40  # of a wrong value quoted back in a message
_SPAN_RE = regexes.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[-—~至到](?:\d{1,2}|[一二三四五六七八九十]{1,3})月$")
_CN_DATE = regexes.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$")
_ISO_DATE = regexes.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")


class _Problems:
    def __init__(self, path: str, lines: Lines):
        self.path = path
        self.lines = lines
        self.items: list[tuple[int, str]] = []

    def add(self, where: tuple, message: str) -> None:
        line = self._line(where)
        self.items.append((line, f"第 {line} 行 · {_field_text(where)}：{message}" if line else
                           f"{_field_text(where)}：{message}"))

    def _line(self, where: tuple) -> int:
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return 0

    def raise_if_any(self) -> None:
        if not self.items:
            return
        self.items.sort(key=lambda item: item[0])
        shown = [text for _, text in self.items[:MAX_PROBLEMS]]
        more = len(self.items) - len(shown)
        tail = f"\n  ……另有 {more} 处问题未列出。" if more > 0 else ""
        raise FactsError(f"事实文件 {self.path} 有 {len(self.items)} 处问题，请修改后重试：\n  "
                         + "\n  ".join(shown) + tail)


def _field_text(where: tuple) -> str:
    parts: list[str] = []
    for i, part in enumerate(where):
        if isinstance(part, int):
            parts.append(f"第 {part + 1} 项")
        elif i == 0:
            parts.append(str(part))
        else:
            label = FIELD_LABELS.get(str(part))
            parts.append(f"{part}（{label}）" if label else str(part))
    return " ".join(parts) if parts else "文件"


def build_facts(data: Any, lines: Lines, path: str) -> Facts:
    problems = _Problems(path, lines)
    if not isinstance(data, dict):
        problems.add((), "最外层应是“字段: 内容”的形式（unit、period、metrics …），现在是"
                     f"{_type_name(data)}。请对照 `drafter facts init` 生成的模板。")
        problems.raise_if_any()
    for key in data:
        if key not in TOP_KEYS:
            problems.add((key,), f"不认识的字段“{key}”。{_did_you_mean(str(key), TOP_KEYS)}"
                         f"可用的字段：{'、'.join(TOP_KEYS)}。")
    facts = Facts()
    facts.unit = _unit(data.get("unit"), problems)
    facts.period = _period(data.get("period"), problems)
    facts.metrics = _metrics(data.get("metrics"), problems)
    _check_parts(facts.metrics, problems)
    facts.date = _date(data.get("date"), ("date",), problems)
    if facts.date is not None and len(facts.date) < 10:
        problems.add(("date",), f"成文日期应写到日，如 {facts.date}-20。")
        facts.date = None
    facts.events = _events(data.get("events"), problems)
    for key in ("highlights", "problems", "plans"):
        setattr(facts, key, _text_list(data.get(key), (key,), problems))
    problems.raise_if_any()
    return facts


def _unit(value: Any, problems: _Problems) -> UnitInfo | None:
    if value is None:
        return None
    if isinstance(value, str):
        return UnitInfo.from_name(value) if value.strip() else None
    if not isinstance(value, dict):
        problems.add(("unit",), f"应是单位名称或 {{name: 青石镇, kind: 镇, county: 和平县}}，现在是{_type_name(value)}。")
        return None
    _unknown_keys(value, ("unit",), UNIT_KEYS, problems)
    name = _string(value, ("unit",), "name", problems, required=True)
    strings = {k: _string(value, ("unit",), k, problems) or "" for k in ("kind", "county", "city", "province")}
    if strings["kind"] and strings["kind"] not in UNIT_KINDS:
        problems.add(("unit", "kind"), f"应是 乡、镇 或 街道，现在是“{strings['kind']}”。")
        strings["kind"] = ""
    aliases = _text_list(value.get("aliases"), ("unit", "aliases"), problems)
    if not name:
        return None
    base = UnitInfo.from_name(name)
    return UnitInfo(name=base.name, kind=strings["kind"] or base.kind, county=strings["county"],
                    city=strings["city"], province=strings["province"], aliases=tuple(aliases))


def _period(value: Any, problems: _Problems) -> Period:
    if value is None:
        return Period()
    if not isinstance(value, dict):
        problems.add(("period",), f"应写成 {{year: 2025, span: 全年}}，现在是{_type_name(value)}。")
        return Period()
    _unknown_keys(value, ("period",), PERIOD_KEYS, problems)
    year = value.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        problems.add(("period", "year"), f"应是四位数的年份，如 2025（不加引号，不写“年”），现在是“{_short(year)}”。")
        year = None
    elif year is not None and not 1949 <= year <= 2100:
        problems.add(("period", "year"), f"年份 {year} 不合理，请写总结所属的年份，如 2025。")
        year = None
    span = _string(value, ("period",), "span", problems)
    if span and span not in SPANS and not _SPAN_RE.match(span):
        problems.add(("period", "span"), f"不认识的时段“{span}”。可写：{'、'.join(SPANS[:8])}，或“1-9月”。")
        span = None
    return Period(year=year, span=span or None)


def _metrics(value: Any, problems: _Problems) -> list[Metric]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(("metrics",), "应是一个列表，每项一行，如 - {name: 党课, value: 25, unit: 次}。")
        return []
    if len(value) > MAX_ITEMS:
        problems.add(("metrics",), f"共有 {len(value)} 项指标，超过了 {MAX_ITEMS} 项的上限：一个单位一期的总结用不了"
                     "这么多数字，多半是选错了文件或重复粘贴。请只保留本期总结要写的指标。")
        return []
    from drafter.numbers.lexicon import canonical_qualifier, qualifier_forms

    metrics: list[Metric] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        where = ("metrics", i)
        if not isinstance(item, dict):
            problems.add(where, f"每个指标应写成 {{name: 党课, value: 25, unit: 次}}，现在是{_type_name(item)}“{_short(item)}”。")
            continue
        _unknown_keys(item, where, METRIC_KEYS, problems)
        name = _string(item, where, "name", problems, required=True)
        number = _number(item, where, problems)
        unit = _string(item, where, "unit", problems, required=True,
                       hint="请写明单位，如 次、人、篇、条、个、%。")
        qualifier = _string(item, where, "qualifier", problems)
        if qualifier:
            canonical = canonical_qualifier(qualifier)
            if canonical is None:
                problems.add((*where, "qualifier"), f"不认识的限定词“{qualifier}”。可用：{'、'.join(qualifier_forms())}。")
            qualifier = canonical
        aliases = _text_list(item.get("aliases"), (*where, "aliases"), problems)
        section = _string(item, where, "section", problems)
        topic = _string(item, where, "topic", problems)
        period = _string(item, where, "period", problems)
        if period and period not in SPANS and not _SPAN_RE.match(period):
            problems.add((*where, "period"), f"不认识的时段“{period}”。可写：{'、'.join(SPANS[:8])}，或“1-9月”。")
            period = None
        status = _string(item, where, "status", problems)
        if status:
            canonical_status = _STATUS_WORDS.get(status)
            if canonical_status not in STATUSES:
                problems.add((*where, "status"), f"不认识的状态“{status}”。可写 done（已完成）或 planned（计划中）。")
            status = canonical_status
        parts = _text_list(item.get("parts"), (*where, "parts"), problems)
        line = problems.lines.get(where)
        for label in (name, *aliases):
            if not label:
                continue
            key = label.strip()
            if key in seen:
                problems.add((*where, "name"), f"名称“{key}”重复（第 {seen[key]} 行已有同名指标）。"
                             "同一指标请只写一次；不同指标请用不同名称区分，如 党课 与 专题党课。")
            else:
                seen[key] = line or 0
        if number is not None and unit and not _fits_unit(number, unit, (*where, "value"), problems):
            number = None
        if name and number is not None and unit:
            metrics.append(Metric(name=name, value=number, unit=unit, qualifier=qualifier or None,
                                  aliases=tuple(aliases), section=section, topic=topic, line=line,
                                  period=period, status=status, parts=tuple(parts)))
    return metrics


def _check_parts(metrics: list[Metric], problems: _Problems) -> None:
    """A total's parts must be other metrics of the file, and can't add up to more than the total."""
    by_name = {n: m for m in metrics for n in m.names}
    for i, m in enumerate(metrics):
        where = ("metrics", i, "parts")
        parts = [by_name.get(p) for p in m.parts]
        for name, part in zip(m.parts, parts, strict=True):
            if part is None or part is m:
                problems.add(where, f"组成部分“{name}”不是本文件中的另一项指标。请写其他指标的名称。")
        known = [p for p in parts if p is not None and p is not m]
        if known and len(known) == len(parts) and sum(p.value for p in known) > m.value + 1e-9:
            problems.add(where, f"各组成部分之和（{sum(p.value for p in known):g}）超过了总数 {m.value:g}。请核对数字。")


def _number(item: dict, where: tuple, problems: _Problems) -> float | None:
    if "value" not in item or item["value"] is None:
        problems.add((*where, "value"), "缺少数值。请写成 value: 25（阿拉伯数字，不加引号）。")
        return None
    value = item["value"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str) and value.strip().endswith(("%", "％")):
            hint = "百分号请写在 unit 里：value: 98, unit: \"%\"。"
        elif isinstance(value, str):
            hint = "请只写阿拉伯数字，单位写在 unit 里、余/以上等写在 qualifier 里。"
        problems.add((*where, "value"), f"应是数字（如 25 或 98.5），现在是{_type_name(value)}“{_short(value)}”。{hint}")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.add((*where, "value"), "数值无效。请写一个具体的数字。")
        return None
    if value < 0:
        problems.add((*where, "value"), f"不能是负数（{_short(value)}）。次数、人数、篇数都应大于或等于 0。")
        return None
    if value > MAX_VALUE:
        problems.add((*where, "value"), f"数值 {_short(value)} 过大，不像总结里的数字。请检查是否多写了零或写成了科学计数法。")
        return None
    return float(value)


def _fits_unit(number: float, unit: str, where: tuple, problems: _Problems) -> bool:
    """A value its unit can hold: a percentage up to 100, a count of people, meetings or articles whole."""
    from drafter.numbers.lexicon import measures

    limit = PERCENT_LIMITS.get(unit)
    if limit is not None and number > limit:
        problems.add(where, f"{number:g}{unit} 超过了 {limit:g}{unit}：比率不会超过全部。请核对数字，"
                     "或把增长幅度写成单独的指标。")
        return False
    kind = measures().kind.get(unit)
    if kind in WHOLE_KINDS and number != int(number):
        problems.add(where, f"{number:g}{unit} 不是整数：以“{unit}”计的数量只能是整数。请写整数，"
                     "不确定时可写 qualifier: 余 或 约。")
        return False
    return True


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "……"


def _events(value: Any, problems: _Problems) -> list[Event]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(("events",), "应是一个列表，如 - {date: 2025-03, what: 举办群众文艺汇演}。")
        return []
    if len(value) > MAX_ITEMS:
        problems.add(("events",), f"共有 {len(value)} 项大事记，超过了 {MAX_ITEMS} 项的上限。请只保留本期要写的事项。")
        return []
    events: list[Event] = []
    for i, item in enumerate(value):
        where = ("events", i)
        if isinstance(item, str):
            events.append(Event(what=item, line=problems.lines.get(where)))
            continue
        if not isinstance(item, dict):
            problems.add(where, f"每个事件应写成 {{date: 2025-03, what: 举办群众文艺汇演}}，现在是{_type_name(item)}。")
            continue
        _unknown_keys(item, where, EVENT_KEYS, problems)
        what = _string(item, where, "what", problems, required=True, hint="请写明做了什么。")
        date = _date(item.get("date"), (*where, "date"), problems)
        if what:
            events.append(Event(what=what, date=date, line=problems.lines.get(where)))
    return events


def _date(value: Any, where: tuple, problems: _Problems) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    m = _ISO_DATE.match(text) or _CN_DATE.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
        try:
            dt.date(year, month, day or 1)
        except ValueError:
            problems.add(where, f"日期“{text}”不存在。请写成 2025-03 或 2025-03-15。")
            return None
        return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    problems.add(where, f"看不懂日期“{_short(text)}”。请写成 2025-03（某月）或 2025-03-15（某日）。")
    return None


def _text_list(value: Any, where: tuple, problems: _Problems) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if not isinstance(value, list):
        problems.add(where, f"应是一个列表（每项一句话），现在是{_type_name(value)}。")
        return []
    if len(value) > MAX_ITEMS:
        problems.add(where, f"共有 {len(value)} 条，超过了 {MAX_ITEMS} 条的上限。请只保留本期要写的内容。")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            if str(item).strip():
                out.append(str(item).strip())
        else:
            problems.add((*where, i), f"应是一句话，现在是{_type_name(item)}。如含冒号，请给整句加引号。")
    return out


def _string(item: dict, where: tuple, key: str, problems: _Problems, *, required: bool = False,
            hint: str = "") -> str | None:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add((*where, key), f"缺少{FIELD_LABELS.get(key, key)}（{key}）。{hint}")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.add((*where, key), f"应是文字，现在是{_type_name(value)}。")
        return None
    return str(value).strip()


def _unknown_keys(item: dict, where: tuple, known: tuple[str, ...], problems: _Problems) -> None:
    for key in item:
        if key not in known:
            problems.add((*where, key), f"不认识的字段“{key}”。{_did_you_mean(str(key), known)}"
                         f"可用的字段：{'、'.join(known)}。")


def _did_you_mean(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"是不是想写“{close[0]}”？" if close else ""


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "表格"
    return "空值" if value is None else type(value).__name__
