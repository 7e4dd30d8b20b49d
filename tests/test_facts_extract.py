"""`extract_facts`: every metric a report states, labelled from context; saved facts round-trip."""

from pathlib import Path

import pytest

from drafter.check import CheckOptions, check_source
from drafter.facts import parse_facts
from drafter.facts.extract import extract_facts
from drafter.facts.save import dump_facts, save_facts
from drafter.source import SourceText
from tests.conftest import seed_path

DATA = Path(__file__).parent / "data" / "facts"
REPORT = (DATA / "qingshi_2025_report.txt").read_text(encoding="utf-8")
NUMBER_RULES = {"unsupported-number", "number-mismatch", "unsupported-date"}


def number_findings(text, facts):
    return check_source(SourceText("r.txt", text), CheckOptions(facts=facts, select=NUMBER_RULES))


def test_extracts_unit_period_and_metrics():
    facts = extract_facts(REPORT)
    assert facts.unit.name == "青石镇" and facts.unit.kind == "镇"
    assert (facts.period.year, facts.period.span) == (2025, "全年")
    by_name = {m.name: m for m in facts.metrics}
    assert by_name["党委理论学习中心组集体学习"].value == 12
    assert by_name["出席率"].qualifier == "以上" and by_name["出席率"].unit == "%"
    assert by_name["参加人员"].value == 350 and by_name["参加人员"].qualifier == "余"
    assert by_name["道德讲堂"].value == 4  # written 四场
    assert by_name["观众"].qualifier == "约"
    assert all(m.section for m in facts.metrics)


def test_formulas_articles_years_and_signature_date_are_not_metrics():
    facts = extract_facts(REPORT)
    values = [m.value for m in facts.metrics]
    assert 2025 not in values and 2026 not in values
    assert [e.date for e in facts.events] == ["2025-03", "2025-06-18"]  # not the signature's 12月20日
    assert facts.plans and not any("2026" in p for p in facts.problems)


def test_round_trip_supports_every_number(tmp_path):
    path = tmp_path / "facts.yaml"
    save_facts(extract_facts(REPORT), path, header="测试")
    facts = parse_facts(path.read_text(encoding="utf-8"))
    assert number_findings(REPORT, facts) == []
    changed = REPORT.replace("讲党课31次", "讲党课13次")
    (finding,) = number_findings(changed, facts)
    assert finding.text == "13次"


def test_duplicate_labels_get_distinct_names():
    text = "2025年松溪乡工作总结\n开展道德讲堂4场，参加人员200余人。组织志愿服务12次，参加人员80人。\n"
    names = [m.name for m in extract_facts(text).metrics]
    assert len(names) == len(set(names)) == 4
    assert "志愿服务·参加人员" in names


def test_same_fact_twice_is_one_metric():
    text = "全镇有5个行政村。5个行政村都建成了文化广场。\n"
    assert len(extract_facts(text).metrics) == 1


def test_yaml_is_readable_and_json_is_available():
    facts = extract_facts(REPORT)
    text = dump_facts(facts, header="从旧总结提取")
    assert text.startswith("# 从旧总结提取")
    assert "  - {name: 支部书记讲党课, value: 31, unit: 次, section: 抓好理论学习}" in text.splitlines()
    assert "\\u" not in text
    fields = [(m.name, m.value, m.unit, m.qualifier, m.section) for m in facts.metrics]
    assert [(m.name, m.value, m.unit, m.qualifier, m.section) for m in parse_facts(text).metrics] == fields
    assert parse_facts(dump_facts(facts, "json"), fmt="json").period.year == 2025


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_seed_round_trip(prefix):
    text = seed_path(prefix).read_text(encoding="utf-8")
    facts = parse_facts(dump_facts(extract_facts(text)))
    assert number_findings(text, facts) == []
