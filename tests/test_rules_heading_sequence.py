"""Rule ``heading-sequence``: skips, repeats and bad restarts among sibling headings."""

import pytest

from drafter.findings import Severity
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText


def run_rule(text: str):
    return all_rules()["heading-sequence"].func(CheckContext(source=SourceText("t.txt", text)))


def doc(*lines: str) -> str:
    return "2025年青石镇意识形态工作总结\n今年以来，全镇工作扎实。\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "marker", "expected", "needle"),
    [
        (doc("一、组织领导", "二、理论学习", "四、阵地建设"), "四、", "三、", "跳号"),
        (doc("一、组织领导", "（一）专题研究", "（二）全面部署", "（二）丰富载体"), "（二）", "（三）", "重复"),
        (doc("一、组织领导", "（二）专题研究"), "（二）", "（一）", "开始"),
        (doc("二、组织领导", "三、理论学习"), "二、", "一、", "开始"),
        (doc("一、组织领导", "1.专题研究", "3.全面部署"), "3.", "2.", "跳号"),
        (doc("一、组织领导", "二、理论学习", "一、阵地建设"), "一、", "三、", "又从"),
        (doc("一、组织领导", "二、理论学习", "三、阵地建设", "二、队伍建设"), "二、", "四、", "倒退"),
    ],
)
def test_out_of_sequence_headings(text, marker, expected, needle):
    (f,) = run_rule(text)
    assert f.text == marker and f.suggestion == expected
    assert needle in f.message and f.severity is Severity.WARNING and not f.safe_fix


@pytest.mark.parametrize(
    "text",
    [
        doc("一、组织领导", "（一）专题研究", "（二）全面部署", "二、理论学习", "（一）中心组学习", "1.集中学习",
            "2.专题研讨", "（二）党课", "三、存在的不足"),
        doc("一、组织领导", "(一)专题研究", "（二）全面部署"),
        # a compilation: each report restarts after its compilation heading
        "意识形态工作总结3篇\n意识形态工作总结篇1\n一、组织领导\n二、理论学习\n"
        "意识形态工作总结篇2\n一、组织领导\n二、理论学习\n",
        # or after a title-like line
        doc("一、组织领导", "二、理论学习", "2025年青石镇宣传思想工作计划", "一、指导思想", "二、主要任务"),
        doc("一、组织领导", "二、理论学习",
            "关于2025年上半年意识形态工作的情况汇报 今年以来，工作扎实。", "一、加强领导"),
        # a heading hidden behind a Word bookmark still counts
        doc("一、组织领导", "（一）专题研究", "[bookmark: _GoBack]（二）全面部署", "（三）丰富载体"),
    ],
)
def test_good_sequences_are_quiet(text):
    assert run_rule(text) == []


def test_number_missing_its_punctuation_is_named():
    text = doc("一、组织领导", "1加强统一领导，形成合力。", "2.健全机制。", "3.严格考核。")
    (f,) = run_rule(text)
    assert f.text == "1" and "缺少标点" in f.message and "1." in f.message
