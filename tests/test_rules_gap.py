"""Rule ``gap``: holes left by deleted words; reported, never auto-fixed."""

import pytest

from drafter.findings import Severity
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText


def run_rule(text: str):
    return all_rules()["gap"].func(CheckContext(source=SourceText("t.txt", text)))


@pytest.mark.parametrize(
    ("text", "span", "needle"),
    [
        ("不在、、微博等网络平台发表不当言论", "、、", "列举"),
        ("宣传栏、、广播等阵地", "、、", "列举"),
        ("利用宣传栏、广播、、、电子屏", "、、、", "列举"),
        ("利用宣传栏、广播、。", "、", "最后一项"),
        ("按照《》要求", "《》", "名称"),
        ("按照《 》要求", "《 》", "名称"),
        ("开展“”主题活动", "“”", "引号"),
        ("成立工作专班（）", "（）", "括号"),
        ("成立工作专班()", "()", "括号"),
        ("按照《中共青山县委办公室关于印发的通知》要求", "关于印发的通知", "文件标题"),
        ("根据县委《关于转发的意见》", "关于转发的意见", "文件标题"),
        ("根据《关于的通知》", "关于的通知", "文件标题"),
    ],
)
def test_gaps_are_found(text, span, needle):
    findings = run_rule(text)
    assert [f.text for f in findings] == [span]
    f = findings[0]
    assert f.rule == "gap" and f.severity is Severity.ERROR
    assert f.suggestion is None and not f.safe_fix
    assert needle in f.message and "请" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "利用宣传栏、广播、电子屏等阵地",
        "按照《青石镇意识形态工作责任清单》要求",
        "开展“我为群众办实事”活动",
        "村（社区）党组织书记",
        "根据《关于印发〈青石镇宣传工作要点〉的通知》",
        "关于2025年意识形态工作的报告",
        "关于做好意识形态工作的通知",
    ],
)
def test_complete_text_has_no_gaps(text):
    assert run_rule(text) == []
