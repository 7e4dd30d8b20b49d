"""Rule date-line: a signature with no 成文日期 under it."""

import pytest

from drafter.check import CheckOptions, check_source
from drafter.source import SourceText

BODY = "青石镇2025年工作总结\n一、组织领导\n今年召开会议3次。\n"


@pytest.mark.parametrize(
    ("tail", "flagged"),
    [
        ("中共青石镇委员会\n", "中共青石镇委员会"),
        ("中共青石镇委员会\n2025年12月20日\n", None),
        ("中共青石镇委员会2025年12月20日\n", None),
        ("中共青石镇委员会\n【待补充：成文日期】\n", None),  # the marker is the todo rule's
        ("", None),  # no signature, no date needed
    ],
)
def test_date_line(tail, flagged):
    findings = check_source(SourceText("t.txt", BODY + tail), CheckOptions(select={"date-line"}))
    assert [f.text for f in findings] == ([flagged] if flagged else [])
