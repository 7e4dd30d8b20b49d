"""Loading facts files: YAML, TOML and JSON; every validation problem names its line and field."""

import textwrap

import pytest

from drafter.exceptions import FactsError
from drafter.facts import load_facts, parse_facts
from drafter.facts.template import TEMPLATE

GOOD_YAML = """\
unit:   {name: 青石镇, kind: 镇, county: 和平县, city: 云岭市, province: 云南省}
period: {year: 2025, span: 全年}          # 全年 / 上半年 / 第三季度 …
metrics:
  - {name: 意识形态工作专题会议, value: 3, unit: 次}
  - {name: 中心组学习出席率, value: 96, unit: "%", qualifier: 以上}
  - {name: 道德讲堂参加人员, value: 350, unit: 人, qualifier: 余, aliases: [参加人员]}
events:     [{date: 2025-03, what: 举办群众文艺汇演}]
highlights: [开通“青石发布”微信视频号]
problems:   [网络宣传专业人才缺乏]
plans:      [2026年建成镇级融媒体工作站]
"""


def write(tmp_path, text, name="facts.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_issue_example_loads(tmp_path):
    facts = load_facts(write(tmp_path, GOOD_YAML))
    assert facts.unit_info().name == "青石镇" and facts.unit_info().county == "和平县"
    assert (facts.period.year, facts.period.span) == (2025, "全年")
    m = facts.metrics[2]
    assert (m.name, m.value, m.unit, m.qualifier, m.aliases, m.line) == ("道德讲堂参加人员", 350, "人", "余", ("参加人员",), 6)
    assert facts.events[0].date == "2025-03" and facts.events[0].month == 3
    assert facts.highlights == ["开通“青石发布”微信视频号"]
    assert facts.metric("参加人员") is m


def test_template_is_valid(tmp_path):
    facts = load_facts(write(tmp_path, TEMPLATE))
    assert len(facts.metrics) == 3 and facts.unit.name == "青石镇"


def test_unit_as_plain_name_and_dates_as_yaml_dates(tmp_path):
    facts = load_facts(write(tmp_path, """\
        unit: 松溪乡
        events:
          - {date: 2024-06-18, what: 文艺汇演}
          - {date: 2024年7月, what: 专题会}
          - 无日期的事
        """))
    assert facts.unit.kind == "乡" and facts.period.year is None
    assert [e.date for e in facts.events] == ["2024-06-18", "2024-07", None]


def problem(tmp_path, text, name="facts.yaml") -> str:
    with pytest.raises(FactsError) as err:
        load_facts(write(tmp_path, text, name))
    return str(err.value)


@pytest.mark.parametrize(
    ("text", "line", "needles"),
    [
        # wrong types
        ("metrics:\n  - {name: 党课, value: 二十五, unit: 次}\n", 2, ["value", "应是数字", "二十五"]),
        ("metrics:\n  - {name: 出席率, value: 96%, unit: \"%\"}\n", 2, ["百分号请写在 unit"]),
        ("metrics:\n  - {name: 党课, value: true, unit: 次}\n", 2, ["真假值"]),
        ("metrics: 党课25次\n", 1, ["应是一个列表"]),
        ("metrics:\n  - 党课25次\n", 2, ["第 1 项", "{name: 党课"]),
        ("period: {year: \"2025\", span: 全年}\n", 1, ["year", "四位数的年份"]),
        ("period: {year: 2025, span: 全学年}\n", 1, ["不认识的时段"]),
        ("unit: {name: 青石镇, kind: 村}\n", 1, ["乡、镇 或 街道"]),
        ("highlights:\n  - {a: b}\n", 2, ["应是一句话"]),
        ("events:\n  - {date: 2025-13, what: 汇演}\n", 2, ["不存在"]),
        ("events:\n  - {date: 上个月, what: 汇演}\n", 2, ["看不懂日期"]),
        # negative counts
        ("metrics:\n  - {name: 党课, value: -3, unit: 次}\n", 2, ["负数"]),
        # a missing unit, a missing value, a missing name
        ("metrics:\n  - {name: 党课, value: 25}\n", 2, ["缺少单位", "unit"]),
        ("metrics:\n  - {name: 党课, unit: 次}\n", 2, ["缺少数值"]),
        ("metrics:\n  - {value: 3, unit: 次}\n", 2, ["缺少名称"]),
        # unknown fields, with a suggestion
        ("metric:\n  - {name: 党课, value: 25, unit: 次}\n", 1, ["不认识的字段", "metrics"]),
        ("metrics:\n  - {name: 党课, valu: 25, unit: 次}\n", 2, ["valu", "value"]),
        ("metrics:\n  - {name: 党课, value: 25, unit: 次, qualifier: 大概}\n", 2, ["不认识的限定词"]),
    ],
)
def test_validation_errors_name_line_and_field(tmp_path, text, line, needles):
    message = problem(tmp_path, text)
    assert f"第 {line} 行" in message
    for needle in needles:
        assert needle in message


def test_duplicate_names_name_both_lines(tmp_path):
    message = problem(tmp_path, """\
        metrics:
          - {name: 党课, value: 25, unit: 次}
          - {name: 中心组学习, value: 12, unit: 次}
          - {name: 党课, value: 31, unit: 次}
        """)
    assert "第 4 行" in message and "第 2 行已有同名指标" in message


def test_alias_colliding_with_a_name_is_a_duplicate(tmp_path):
    message = problem(tmp_path, """\
        metrics:
          - {name: 参加人员, value: 25, unit: 人}
          - {name: 道德讲堂参加人员, value: 31, unit: 人, aliases: [参加人员]}
        """)
    assert "第 3 行" in message and "重复" in message


def test_duplicate_keys_are_reported(tmp_path):
    message = problem(tmp_path, "period: {year: 2025}\nperiod: {year: 2024}\n")
    assert "第 2 行" in message and "重复" in message


def test_all_problems_are_listed_at_once(tmp_path):
    message = problem(tmp_path, """\
        metrics:
          - {name: 党课, value: -1, unit: 次}
          - {name: 中心组学习, value: 12}
        """)
    assert "2 处问题" in message and "第 2 行" in message and "第 3 行" in message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("metrics:\n  - {name: 党课, value: 25, unit: 次\n", 3),  # unclosed brace
        ("unit: 青石镇\nperiod:\n\tyear: 2025\n", 3),  # a tab
        ("unit: 青石镇\n  period: 2025\n", 2),  # bad indentation
        ("metrics:\n  - name: 党课: 25\n", 2),
    ],
)
def test_bad_yaml_names_the_line(tmp_path, text, line):
    message = problem(tmp_path, text)
    assert "YAML 格式错误" in message and f"第 {line} 行" in message


@pytest.mark.parametrize("text", ["", "# 只有注释\n", "   \n"])
def test_empty_file(tmp_path, text):
    assert "空" in problem(tmp_path, text) or "没有任何内容" in problem(tmp_path, text)


def test_top_level_must_be_a_mapping(tmp_path):
    assert "最外层" in problem(tmp_path, "- 党课\n- 25\n")


def test_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(FactsError, match="facts init"):
        load_facts(tmp_path / "none.yaml")


TOML = """\
[unit]
name = "青石镇"
kind = "镇"

[period]
year = 2025
span = "全年"

[[metrics]]
name = "党课"
value = 31
unit = "次"

[[metrics]]
name = "中心组学习"
value = -12
unit = "次"
"""

JSON = """\
{
  "unit": {"name": "青石镇", "kind": "镇"},
  "period": {"year": 2025, "span": "全年"},
  "metrics": [
    {"name": "党课", "value": 31, "unit": "次"},
    {"name": "中心组学习",
     "value": "12", "unit": "次"}
  ]
}
"""


def test_toml_and_json_load_and_locate_lines(tmp_path):
    good_toml = TOML.replace("-12", "12")
    assert [m.value for m in load_facts(write(tmp_path, good_toml, "f.toml")).metrics] == [31, 12]
    assert "第 16 行" in problem(tmp_path, TOML, "f.toml")
    good_json = JSON.replace('"12"', "12")
    assert load_facts(write(tmp_path, good_json, "f.json")).unit.name == "青石镇"
    message = problem(tmp_path, JSON, "f.json")
    assert "第 7 行" in message and "value" in message


def test_toml_and_json_syntax_errors_name_the_line(tmp_path):
    assert "第 3 行" in problem(tmp_path, '[unit]\nname = "青石镇"\nkind = 镇\n', "f.toml")
    assert "第 2 行" in problem(tmp_path, '{"unit": "青石镇",\n "period": }\n', "f.json")


def test_gbk_encoded_yaml(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("unit: 青石镇\nmetrics:\n  - {name: 党课, value: 3, unit: 次}\n".encode("gbk"))
    assert load_facts(path).metrics[0].name == "党课"


def test_parse_facts_from_text():
    facts = parse_facts(GOOD_YAML)
    assert facts.metrics[0].display() == "3次"
    assert facts.metrics[1].display() == "96%以上"
    assert facts.metrics[2].display() == "350余人"


BROKEN_YAML = [
    "unit: a\nperiod: b\nmetrics:\n\t- name: x\n",  # a tab
    "a: [1, 2\nb: 3\n",
    "- a\nb: 1\n",
    'a: "\\q"\n',
    "%YAML 9.9\n---\na: 1\n",
    "a: " + "[" * 3000 + "]" * 3000 + "\n",
    "a: &x [*x]\n",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_libyaml_and_the_pure_python_parser_give_the_same_message(monkeypatch, text):
    """libyaml words its errors otherwise; a file it rejects is read again by the pure-Python parser."""
    import yaml

    with pytest.raises(FactsError) as fast:
        parse_facts(text, "f.yaml")
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    with pytest.raises(FactsError) as slow:
        parse_facts(text, "f.yaml")
    assert str(fast.value) == str(slow.value)


def test_a_facts_file_read_again_comes_from_the_cache_with_its_lines(monkeypatch):
    from drafter.facts import load as load_module

    first = parse_facts(GOOD_YAML, "f.yaml")
    monkeypatch.setattr(load_module, "_parse_yaml_text", lambda text, path: pytest.fail("parsed again"))
    again = parse_facts(GOOD_YAML, "f.yaml")
    assert again == first
    assert [m.line for m in again.metrics] == [m.line for m in first.metrics] == [4, 5, 6]
