"""Rule ``residue``: document-site leftovers, each with a safe deletion."""

import pytest

from drafter.check import apply_safe_fixes
from drafter.findings import Severity
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText


def run_rule(text: str):
    return all_rules()["residue"].func(CheckContext(source=SourceText("t.txt", text)))


def fixed(text: str) -> str:
    return apply_safe_fixes(text, run_rule(text))[0]


BODY = "今年以来，青石镇认真落实意识形态工作责任制。\n一、加强组织领导\n全年召开专题会议4次。\n"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        # paid-content markers, on their own line and mid-sentence
        ("##paidbegin##\n" + BODY, BODY),
        ("今年以来，青石镇##paidend##认真落实。\n", "今年以来，青石镇认真落实。\n"),
        ("认真落实## paidbegin ##工作。\n", "认真落实工作。\n"),
        # an editor's recommendation with its motto on the same line, or on the line before
        ("书山有路勤为径。下面是小编为您推荐的工作总结范文。\n" + BODY, BODY),
        ("天道酬勤，厚德载物。\n下面是文档网小编为大家整理的意识形态工作总结。\n" + BODY, BODY),
        ("以下是本站为您精心整理的总结，供参考。\n" + BODY, BODY),
        # keyword link lists
        (BODY + "推荐访问：意识形态 工作总结 乡镇\n", BODY),
        (BODY + "相关推荐：2025年意识形态工作总结", BODY),
        # Word bookmarks that survive copy-paste
        ("[bookmark: _GoBack]（二）搭建平台。\n", "（二）搭建平台。\n"),
        # compilation headings and titles
        ("乡镇意识形态工作总结15篇\n乡镇意识形态工作总结篇1\n" + BODY, BODY),
        ("乡镇意识形态工作总结篇十二\n" + BODY, BODY),
        ("2025年意识形态工作总结（精选5篇）\n" + BODY, BODY),
        ("意识形态工作总结范文大全\n" + BODY, BODY),
        ("篇一：2025年青石镇意识形态工作总结\n" + BODY, "2025年青石镇意识形态工作总结\n" + BODY),
        ("【篇二】\n" + BODY, BODY),
        # word counts
        ("2025年青石镇意识形态工作总结(4050字)\n" + BODY, "2025年青石镇意识形态工作总结\n" + BODY),
        ("2025年青石镇意识形态工作总结（约3200字）\n", "2025年青石镇意识形态工作总结\n"),
        # download and copyright notices
        (BODY + "本文由文档网用户整理上传，版权归原作者所有。\n", BODY),
        (BODY + "免费下载本文档 | 下载后可编辑\n", BODY),
        (BODY + "第1页 共3页\n", BODY),
        (BODY + "以上内容仅供参考，版权归原作者所有\n", BODY),
        (BODY + "来源：百度文库\n", BODY),
        # a first line that repeats the opening, cut off
        ("2025年青石镇意识形态工作总结 今年以来，青石镇认真落实意识形态...\n2025年青石镇意识形态工作总结\n"
         "今年以来，青石镇认真落实意识形态工作责任制。\n",
         "2025年青石镇意识形态工作总结\n今年以来，青石镇认真落实意识形态工作责任制。\n"),
    ],
)
def test_residue_is_found_and_deleted(dirty, clean):
    findings = run_rule(dirty)
    assert findings
    assert all(f.rule == "residue" and f.severity is Severity.ERROR and f.safe_fix for f in findings)
    assert all(f.suggestion == "" for f in findings)
    assert fixed(dirty) == clean


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "全乡干部全部下载“学习强国”学习平台，推荐优秀志愿者3名。\n",
        "2.上报调研材料5篇\n",
        "共上报信息材料12篇。\n",
        "今年向县级媒体推荐稿件15篇，采用8篇。\n",
        "（三）选树典型，评选“十星户”20户。\n",
        # a short line before the title is not a motto when no recommendation follows
        "厚德载物。\n2025年青石镇意识形态工作总结\n",
        # a truncated-looking first line that does not repeat the opening
        "关于开展宣传工作的几点思考……\n今年，我们主要做了三件事。\n",
        "第一议题制度落实到位，共学习22次。\n",
        "以下为编辑记者培训情况：全年培训3期。\n",
        "建设红色文库，以上数据仅供参考。\n",
        "依法打击侵犯版权行为。\n",
    ],
)
def test_prose_is_not_residue(text):
    assert run_rule(text) == []


def test_closing_line_before_recommendation_is_kept():
    text = BODY + "特此报告。\n下面是小编为您推荐的总结范文。\n"
    assert fixed(text) == BODY + "特此报告。\n"


def test_whole_line_finding_spans_the_newline():
    text = "推荐访问：总结 范文\n" + BODY
    (f,) = run_rule(text)
    assert (f.start, f.end) == (0, text.index("\n") + 1)
    assert f.line == 1 and f.column == 1
    assert "网站残留" in f.message and "删除" in f.message
