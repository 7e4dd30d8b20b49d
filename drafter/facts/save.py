"""Write facts as a human-readable YAML (or JSON) file, atomically, never over an input.

One metric per line in flow style (``- {name: 党课, value: 25, unit: 次}``) so a township official can
edit the file in Notepad; Chinese is written as is (allow_unicode), never as \\u escapes.
"""

import json
from pathlib import Path
from typing import Any

import yaml

from drafter.atomic import write_atomic
from drafter.facts.model import Facts, Metric


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _flow(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, default_flow_style=True, allow_unicode=True, sort_keys=False,
                          width=10**6).strip()


def metric_dict(m: Metric) -> dict[str, Any]:
    d: dict[str, Any] = {"name": m.name, "value": _num(m.value), "unit": m.unit}
    if m.qualifier:
        d["qualifier"] = m.qualifier
    if m.aliases:
        d["aliases"] = list(m.aliases)
    if m.section:
        d["section"] = m.section
    if m.topic:
        d["topic"] = m.topic
    if m.period:
        d["period"] = m.period
    if m.status:
        d["status"] = m.status
    if m.parts:
        d["parts"] = list(m.parts)
    return d


def facts_dict(facts: Facts) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if facts.unit is not None:
        u = facts.unit
        unit = {"name": u.name, "kind": u.kind, "county": u.county, "city": u.city, "province": u.province}
        data["unit"] = {k: v for k, v in unit.items() if v}
    period = {"year": facts.period.year, "span": facts.period.span}
    data["period"] = {k: v for k, v in period.items() if v}
    if facts.date:
        data["date"] = facts.date
    data["metrics"] = [metric_dict(m) for m in facts.metrics]
    data["events"] = [{k: v for k, v in {"date": e.date, "what": e.what}.items() if v} for e in facts.events]
    for key in ("highlights", "problems", "plans"):
        data[key] = list(getattr(facts, key))
    return data


def dump_facts_yaml(facts: Facts, header: str = "") -> str:
    data = facts_dict(facts)
    out = [f"# {line}" if line else "#" for line in header.splitlines()]
    for key in ("unit", "period"):
        if data.get(key):
            out.append(f"{key}: {_flow(data[key])}")
    if data.get("date"):
        out.append(f"date: {data['date']}  # 成文日期")
    sections = (("metrics", "指标：name 名称，value 数值，unit 单位，qualifier 限定词（余/多/近/约/以上/超过/不到）"),
                ("events", "大事记：date 年-月（或年-月-日），what 做了什么"),
                ("highlights", "亮点（文字；其中写的数字也算有依据）"),
                ("problems", "存在的问题"),
                ("plans", "下一步计划"))
    for key, comment in sections:
        items = data[key]
        out.append(f"\n# {comment}")
        if not items:
            out.append(f"{key}: []")
            continue
        out.append(f"{key}:")
        out.extend(f"  - {_flow(item) if isinstance(item, dict) else _flow({'x': item})[4:-1]}" for item in items)
    return "\n".join(out) + "\n"


def dump_facts(facts: Facts, fmt: str = "yaml", header: str = "") -> str:
    if fmt == "json":
        return json.dumps(facts_dict(facts), ensure_ascii=False, indent=2) + "\n"
    return dump_facts_yaml(facts, header)


def save_facts(facts: Facts, path: str | Path, header: str = "") -> None:
    fmt = "json" if str(path).lower().endswith(".json") else "yaml"
    write_atomic(path, dump_facts(facts, fmt, header))
