"""Answers typed in the interactive session: unit inference from metric names, values as reports write
them, "名称 数值 单位" lines, free lines, and editing the metric list."""

import pytest

from drafter.draft.answers import (
    AnswerError,
    Value,
    drop_metric,
    free_line,
    metric_question,
    parse_other_metric,
    parse_value,
    put_metric,
    to_metric,
)
from drafter.facts.model import Metric


@pytest.mark.parametrize(("label", "name", "unit"), [
    ("中心组学习次数", "中心组学习", "次"),
    ("理论宣讲场次", "理论宣讲", "场次"),
    ("心得体会篇数", "心得体会", "篇"),
    ("公众号发布条数", "公众号发布", "条"),
    ("网评员人数", "网评员", "人"),
    ("学习强国使用率", "学习强国使用率", "%"),  # a rate keeps its name
    ("考核分值占比", "考核分值占比", "%"),
    ("农家书屋数", "农家书屋", "个"),
    ("上级媒体采用稿件数", "上级媒体采用稿件", "篇"),
    ("群众文艺队伍数", "群众文艺队伍", "支"),
    ("责任清单事项数", "责任清单事项", "项"),
    ("签订责任书份数", "签订责任书", "份"),
    ("宣传栏块数", "宣传栏", "块"),
    ("新增图书册数", "新增图书", "册"),
    ("综合文化站开放天数", "综合文化站开放", "天"),
    ("处置网络舆情起数", "处置网络舆情", "起"),
    ("志愿服务", "志愿服务", "个"),  # no known suffix: the general classifier
])
def test_metric_question(label, name, unit):
    q = metric_question(label)
    assert (q.label, q.name, q.unit) == (label, name, unit)


@pytest.mark.parametrize(("typed", "unit", "expected"), [
    ("12", "次", Value(12, "次")),
    ("12次", "次", Value(12, "次")),
    (" 12 次 ", "次", Value(12, "次")),
    ("１２", "次", Value(12, "次")),
    ("十二", "次", Value(12, "次")),
    ("一", "次", Value(1, "次")),  # not the article here: the whole answer is the number
    ("200余", "人", Value(200, "人", "余")),
    ("200多人", "人", Value(200, "人", "多")),
    ("近百", "人", Value(100, "人", "近")),
    ("约30", "人", Value(30, "人", "约")),
    ("30人左右", "人", Value(30, "人", "约")),
    ("超过50", "条", Value(50, "条", "超过")),
    ("98%以上", "%", Value(98, "%", "以上")),
    ("98％以上", "%", Value(98, "%", "以上")),
    ("98以上", "%", Value(98, "%", "以上")),
    ("98", "%", Value(98, "%")),
    ("百分之九十五", "%", Value(95, "%")),
    ("1.5万", "人", Value(15000, "人")),
    ("12篇", "次", Value(12, "篇")),  # the user's own measure word wins
    ("8场", "场次", Value(8, "场")),
    ("12次。", "次", Value(12, "次")),
])
def test_parse_value(typed, unit, expected):
    assert parse_value(typed, unit) == expected


@pytest.mark.parametrize("typed", ["", "   ", "无", "跳过", "-", "0"])
def test_parse_value_skip(typed):
    assert parse_value(typed, "次") is None


@pytest.mark.parametrize(("typed", "unit", "says"), [
    ("abc", "次", "没看懂"),
    ("很多", "次", "没看懂"),
    ("12次12次", "次", "没看懂"),
    ("0次", "次", "不必写进总结"),
    ("120%", "%", "超过了 100%"),
    ("12", None, "缺少单位"),
])
def test_parse_value_rejects_in_chinese(typed, unit, says):
    with pytest.raises(AnswerError, match=says):
        parse_value(typed, unit)


@pytest.mark.parametrize(("typed", "name", "value"), [
    ("文艺汇演 3 场", "文艺汇演", Value(3, "场")),
    ("文艺汇演3场", "文艺汇演", Value(3, "场")),
    ("网格员培训 120 人次", "网格员培训", Value(120, "人次")),
    ("三会一课 开展 12 次", "三会一课开展", Value(12, "次")),
    ("志愿服务时长共2000小时", "志愿服务时长", Value(2000, "小时")),
    ("群众满意率 95%以上", "群众满意率", Value(95, "%", "以上")),
    ("参观群众 300余人", "参观群众", Value(300, "人", "余")),
])
def test_parse_other_metric(typed, name, value):
    assert parse_other_metric(typed) == (name, value)


def test_parse_other_metric_empty_ends_the_list():
    assert parse_other_metric("  ") is None


@pytest.mark.parametrize(("typed", "says"), [("文艺汇演 3", "缺少单位"), ("文艺汇演", "名称 数值 单位"),
                                             ("3场", "名称 数值 单位")])
def test_parse_other_metric_rejects(typed, says):
    with pytest.raises(AnswerError, match=says):
        parse_other_metric(typed)


@pytest.mark.parametrize(("typed", "kept"), [("理论学习形式单一。", "理论学习形式单一"), ("  加强阵地管理； ", "加强阵地管理"),
                                             ("", None), ("。", None)])
def test_free_line(typed, kept):
    assert free_line(typed) == kept


def test_to_metric_pins_the_topic():
    m = to_metric("中心组学习", Value(12, "次"), "理论学习")
    assert m == Metric(name="中心组学习", value=12, unit="次", topic="理论学习")
    assert m.display() == "12次"
    assert to_metric("出席率", Value(98, "%", "以上"), None).display() == "98%以上"


def test_put_and_drop_metric_keep_order():
    metrics = [Metric("党课", 8, "次"), Metric("中心组学习", 12, "次")]
    put_metric(metrics, Metric("党课", 9, "次"))
    assert [(m.name, m.value) for m in metrics] == [("党课", 9), ("中心组学习", 12)]
    put_metric(metrics, Metric("公众号发布", 70, "条"))
    assert [m.name for m in metrics] == ["党课", "中心组学习", "公众号发布"]
    assert drop_metric(metrics, "中心组学习") is True
    assert drop_metric(metrics, "中心组学习") is False
    assert [m.name for m in metrics] == ["党课", "公众号发布"]
