"""Hostile input, facts: values checked by their unit's kind, the work bounded, unit and year required
for a draft, and the interactive session's answers of the question's kind."""

import pytest

from drafter.draft.answers import AnswerError, parse_value
from drafter.exceptions import FactsError
from drafter.facts.load import parse_facts
from tests.test_hostile_output import FACTS, run_main

HEAD = "unit: {name: 青石镇, kind: 镇}\nperiod: {year: 2025}\nmetrics:\n"


@pytest.mark.parametrize(("metric", "says"), [
    ("{name: 出席率, value: 150, unit: '%'}", "超过了 100%"),
    ("{name: 出席率, value: 100.5, unit: ％}", "超过了 100％"),
    ("{name: 宣传栏, value: 0.5, unit: 个}", "不是整数"),
    ("{name: 培训, value: 3.14159, unit: 人次}", "不是整数"),
    ("{name: 党课, value: 2.5, unit: 次}", "不是整数"),
    ("{name: 稿件, value: 1e23, unit: 篇}", "应是数字"),  # YAML 1.1 reads 1e23 as text
    ("{name: 经费, value: 1.0e+23, unit: 元}", "过大"),
    ("{name: 党课, value: .inf, unit: 次}", "无效"),
    ("{name: 党课, value: -3, unit: 次}", "负数"),
])
def test_values_that_their_unit_cannot_hold(metric, says):
    with pytest.raises(FactsError, match=says):
        parse_facts(HEAD + f"  - {metric}\n")


def test_1e23_in_json_is_refused():
    with pytest.raises(FactsError, match="过大"):
        parse_facts('{"metrics": [{"name": "稿件", "value": 1e23, "unit": "篇"}]}', fmt="json")


@pytest.mark.parametrize("metric", [
    "{name: 出席率, value: 98.5, unit: '%'}",
    "{name: 出席率, value: 100, unit: '%'}",
    "{name: 经费, value: 2.5, unit: 万元}",
    "{name: 时长, value: 3.5, unit: 小时}",
    "{name: 党课, value: 25, unit: 次}",
    "{name: 党课, value: 25.0, unit: 次}",
    "{name: 参加人员, value: 200, unit: 人, qualifier: 余}",
])
def test_values_their_unit_can_hold(metric):
    assert len(parse_facts(HEAD + f"  - {metric}\n").metrics) == 1


def test_a_40000_metric_file_is_refused_quickly():
    text = HEAD + "".join(f"  - {{name: 指标{i}, value: {i + 1}, unit: 次}}\n" for i in range(40000))
    with pytest.raises(FactsError, match="上限"):
        parse_facts(text)


@pytest.mark.parametrize(("answer", "unit", "says"), [
    ("50%", "次", "数量"),
    ("50％", "人", "数量"),
    ("12次", "%", "比率"),
    ("150%", "%", "超过"),
    ("0.5", "个", "整数"),
    ("3.14159", "人次", "整数"),
    ("99999999999999", "次", "太大"),
])
def test_interactive_answers_of_the_wrong_kind(answer, unit, says):
    with pytest.raises(AnswerError, match=says):
        parse_value(answer, unit)


@pytest.mark.parametrize(("answer", "unit", "value"), [("12", "次", 12), ("98%以上", "%", 98), ("200余", "人", 200)])
def test_interactive_answers_of_the_right_kind(answer, unit, value):
    assert parse_value(answer, unit).value == value


@pytest.mark.parametrize(("facts", "says"), [
    ("period: {year: 2025}\nmetrics:\n  - {name: 党课, value: 25, unit: 次}\n", "本单位名称"),
    ("unit: 青石镇\nmetrics:\n  - {name: 党课, value: 25, unit: 次}\n", "年份"),
    ("metrics:\n  - {name: 党课, value: 25, unit: 次}\n", "本单位名称"),
])
def test_draft_without_unit_or_year_is_refused(monkeypatch, capsys, tmp_path, facts, says):
    path = tmp_path / "事实.yaml"
    path.write_text(facts, encoding="utf-8")
    out = tmp_path / "总结.txt"
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", path, "-o", out, "--engine", "offline")
    assert code == 2 and says in err
    assert not out.exists()


@pytest.mark.parametrize("report_type", ["随便什么", "意识形态", "[bold]x[/]", "其他总结"])
def test_draft_type_must_be_known(monkeypatch, capsys, tmp_path, report_type):
    path = tmp_path / "事实.yaml"
    path.write_text(FACTS, encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", path, "-o", tmp_path / "o.txt",
                            "--type", report_type, "--engine", "offline")
    assert code == 2 and "可用的类型" in err


def test_draft_with_a_known_type(monkeypatch, capsys, tmp_path):
    path = tmp_path / "事实.yaml"
    path.write_text(FACTS, encoding="utf-8")
    out = tmp_path / "o.txt"
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", path, "-o", out,
                            "--type", "宣传思想文化工作总结", "--engine", "offline")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "青石镇" in text and "现将年" not in text and "我单位" not in text
