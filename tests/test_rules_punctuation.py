"""Rule ``punctuation``: half-width marks in Chinese text (safe fix) and unpaired quotes (report only)."""

import pytest

from drafter.check import apply_safe_fixes
from drafter.findings import Severity
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText


def run_rule(text: str):
    return all_rules()["punctuation"].func(CheckContext(source=SourceText("t.txt", text)))


def fixed(text: str) -> str:
    return apply_safe_fixes(text, run_rule(text))[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("坚持把意识形态工作与中心工作同安排,同部署", "坚持把意识形态工作与中心工作同安排，同部署"),
        ("现将工作情况总结如下:", "现将工作情况总结如下："),
        ("组长:张三;副组长:李四", "组长：张三；副组长：李四"),
        ("(一)加强组织领导", "（一）加强组织领导"),
        ("(1)落实责任制", "（1）落实责任制"),
        ("压实村(社区)责任", "压实村（社区）责任"),
        ("网宣(xx)工作机构", "网宣（xx）工作机构"),
        ("（一)专题研究", "（一）专题研究"),
        ("能不能回家?怎么办!", "能不能回家？怎么办！"),
        ("截至12月, 共发布70条", "截至12月， 共发布70条"),
        ("时间:10:30", "时间：10:30"),
    ],
)
def test_half_width_marks_become_full_width(text, expected):
    findings = run_rule(text)
    assert findings and all(f.safe_fix and f.severity is Severity.WARNING for f in findings)
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "全镇共有1,000余名党员",
        "每天10:30前完成巡查",
        "访问 https://www.example.gov.cn/a?b=1,2 查看",
        "Hello, world! (test)",
        "（一）加强组织领导，落实责任。",
        "使用“学习强国”APP学习；完成率98％。",
        "《青石镇意识形态工作责任清单》",
    ],
)
def test_correct_text_is_left_alone(text):
    assert run_rule(text) == []


@pytest.mark.parametrize(
    ("text", "at", "needle"),
    [
        ("认真履行意识形态工作“一岗双责“要求", "“", "应为”"),
        ("开展”党员志愿服务”活动", "”", "应为“"),
        ("开展”党员志愿服务“活动", "”", "应为“"),
        ("开展“党员志愿服务活动", "“", "没有闭合"),
        ("按照《工作方案要求", "《", "没有闭合"),
        ("按照工作方案》要求", "》", "没有对应"),
    ],
)
def test_unpaired_marks_are_reported_without_fix(text, at, needle):
    findings = run_rule(text)
    assert len(findings) == 1
    f = findings[0]
    assert f.text == at and needle in f.message
    assert not f.safe_fix and f.suggestion is None


def test_residue_lines_get_no_punctuation_fix():
    text = "(4050字)\n下面是小编为您推荐的总结,欢迎参考。\n正文。\n"
    assert run_rule(text) == []
