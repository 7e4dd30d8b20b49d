"""parse_report and split_compilation: headings, levels, first sentences, compilations, closing lines."""

import pytest

from drafter.clean import clean_text
from drafter.parse import logical_lines, parse_report, split_compilation
from drafter.report import Report
from tests.conftest import FIXTURES, seed_path


def outline(report: Report) -> str:
    """Compact tree of heading markers; "+" marks a heading that carried its first sentence."""

    def sig(sections) -> str:
        out = []
        for s in sections:
            item = s.heading.marker + ("+" if s.heading.rest else "")
            if s.children:
                item += "{" + sig(s.children) + "}"
            out.append(item)
        return " ".join(out)

    return sig(report.sections)


@pytest.mark.parametrize(
    ("line", "level", "marker", "heading", "rest"),
    [
        ("一、加强组织领导", 1, "一、", "加强组织领导", ""),
        ("（一）专题研究，统筹部署。全年召开专题会4次。", 2, "（一）", "专题研究，统筹部署。", "全年召开专题会4次。"),
        ("(二)压实责任。签订责任书8份。", 2, "(二)", "压实责任。", "签订责任书8份。"),
        ("1.主动发声。刊发稿件27篇。", 3, "1.", "主动发声。", "刊发稿件27篇。"),
        ("2、稳妥处置。处置舆情3起。", 3, "2、", "稳妥处置。", "处置舆情3起。"),
        ("（1）宣传栏。更新内容12期。", 4, "（1）", "宣传栏。", "更新内容12期。"),
        ("一、加强组织领导 镇党委召开专题会议4次。", 1, "一、", "加强组织领导", "镇党委召开专题会议4次。"),
        ("十二、其他工作", 1, "十二、", "其他工作", ""),
    ],
)
def test_heading_levels_and_first_sentence(line, level, marker, heading, rest):
    text = f"青石镇2025年意识形态工作总结\n2025年，我镇扎实推进各项工作。现总结如下：\n{line}\n"
    report = parse_report(text)
    (section,) = list(report.walk())
    h = section.heading
    assert (h.level, h.marker, h.text, h.rest) == (level, marker, heading, rest)
    # offsets point into the text the user sees
    assert text[h.start : h.end] == marker + heading
    if rest:
        assert text[h.rest_start :].startswith(rest)


def test_not_headings():
    text = "标题\n开头。\n一、正文\n一是强化领导。二是明确责任。\n2.5万元用于宣传栏更新。\n1加强管理（缺标点的不算标题）。\n"
    report = parse_report(text)
    assert outline(report) == "一、"
    assert len(report.sections[0].paragraphs) == 3


def test_levels_nest_and_skip():
    text = "标题\n开头：\n一、甲\n（一）乙\n1.丙\n（1）丁\n2.戊\n（二）己\n二、庚\n1.辛\n"
    assert outline(parse_report(text)) == "一、{（一）{1.{（1）} 2.} （二）} 二、{1.}"


def test_flattened_section_is_split_into_headings():
    text = ("标题\n开头：\n二、坚持教育培训，提高素质 (一)强化中心组学习。全年学习12次。 "
            "(二)强化党员学习。召开大会3次。\n")
    report = parse_report(text)
    assert outline(report) == "二、{(一)+ (二)+}"
    first = report.sections[0].children[0]
    assert first.heading.rest == "全年学习12次。"
    assert [text[s:e] for s, e in logical_lines(text)][2] == "二、坚持教育培训，提高素质"


def test_title_glued_to_opening():
    report = parse_report("白鹭乡上半年意识形态工作情况汇报 今年上半年，白鹭乡扎实做好各项工作。\n一、压实责任\n")
    assert report.title.text == "白鹭乡上半年意识形态工作情况汇报"
    assert report.opening[0].text.startswith("今年上半年")


def test_title_addressee_opening_closing_signature_date():
    report = parse_report((FIXTURES / "corpus" / "qingshi-2025.md").read_text(encoding="utf-8"))
    assert report.title.text == "青石镇2025年意识形态工作总结"
    assert report.addressee.text == "县委宣传部："
    assert report.opening[0].text.startswith("2025年，青石镇党委")
    assert [p.text for p in report.closing] == ["特此报告。"]
    assert report.signature.text == "中共青石镇委员会"
    assert report.date.text == "2025年12月20日"
    assert outline(report) == "一、{（一）+ （二）+} 二、{（一）+ （二）+} 三、{1.+ 2.+} 四、 五、{（一） （二）}"
    # the closing lines are not part of the last section
    last = report.sections[-1].children[-1]
    assert "特此报告" not in last.body_text()


@pytest.mark.parametrize(
    ("tail", "signature", "date"),
    [
        ("中共青石镇委员会\n2025年12月20日", "中共青石镇委员会", "2025年12月20日"),
        ("中共x镇委员会20xx年x月x日", "中共x镇委员会", "20xx年x月x日"),
        ("青石镇人民政府\n二〇二五年十二月二十日", "青石镇人民政府", "二〇二五年十二月二十日"),
        ("2025年12月", None, "2025年12月"),
        ("青石镇党委", "青石镇党委", None),
    ],
)
def test_signature_and_date_forms(tail, signature, date):
    report = parse_report(f"标题\n开头：\n一、工作\n正文内容。\n{tail}\n")
    assert (report.signature.text if report.signature else None) == signature
    assert (report.date.text if report.date else None) == date
    assert report.sections[0].paragraphs[-1].text == "正文内容。"


def test_body_line_ending_like_an_org_is_not_signature_when_it_is_a_heading():
    report = parse_report("标题\n开头：\n一、加强镇党委\n")
    assert report.signature is None and outline(report) == "一、"


# --- compilations ---------------------------------------------------------------------------------


def test_split_compilation_fixture():
    text = (FIXTURES / "corpus" / "site-compilation.txt").read_text(encoding="utf-8")
    parts = split_compilation(text)
    assert [title for _, _, title in parts] == ["乡镇意识形态工作总结", "乡镇意识形态工作总结"]
    first = text[parts[0][0] : parts[0][1]]
    assert "篇1" not in first and "篇2" not in first and "精选2篇" not in first
    assert text[parts[1][0] : parts[1][1]].startswith("白鹭乡上半年")


@pytest.mark.parametrize(
    "markers",
    [
        ["篇一：甲镇意识形态工作总结", "篇二：乙镇意识形态工作总结", "篇三：丙乡意识形态工作总结"],
        ["【篇一】甲镇意识形态工作总结", "【篇二】乙镇意识形态工作总结", "【篇三】丙乡意识形态工作总结"],
        ["第1篇：甲镇意识形态工作总结", "第2篇：乙镇意识形态工作总结", "第3篇：丙乡意识形态工作总结"],
        ["范文一：甲镇意识形态工作总结", "范文二：乙镇意识形态工作总结", "范文三：丙乡意识形态工作总结"],
    ],
)
def test_split_compilation_marker_forms(markers):
    body = "今年以来，我镇扎实做好意识形态工作。\n一、加强领导\n召开专题会议4次。\n"
    text = "意识形态工作总结（精选3篇）\n" + "".join(f"{m}\n{body}" for m in markers)
    parts = split_compilation(text)
    assert [t for _, _, t in parts] == ["甲镇意识形态工作总结", "乙镇意识形态工作总结", "丙乡意识形态工作总结"]
    assert all(text[s:e] == body for s, e, _ in parts)


def test_single_report_is_one_part():
    text = "青石镇意识形态工作总结\n今年以来工作扎实。\n一、加强领导\n正文提到篇3的说法。\n"
    assert split_compilation(text) == [(0, len(text), "青石镇意识形态工作总结")]


def test_stray_part_numbers_do_not_split():
    text = "标题\n开头。\n某某总结篇3\n正文。\n某某总结篇7\n正文。\n"
    assert len(split_compilation(text)) == 1


# --- the shared seeds: expected outlines written by reading each report's headings ---------------

SEED_001_OUTLINES = [
    "一、 二、 三、 四、",
    "一、 二、 三、 四、{(一)+ (二)+ (三)+ (四)+ (五)+ (六)+ (七)+ (八)+ (九)+ (十)+} 五、{(一)+ (二)+ (二)+}",
    "",  # 篇3 is written as 一是……二是…… paragraphs, with no numbered headings
    "一、{(一)+ (二)+} 二、{(一)+ (二)+ (三)+ (四)+} 三、{(一)+ (二)+} 四、{(一)+ (二)+}",
    "一、 二、{1. 2.+} 三、{1.+ 2.+} 四、{1.+ 2.+} 五、{1. 2.+} 六、 七、{1.+ 2.+} 八、{1. 2. 3.}",
    "一、{(一) (二){1、+ 2、+ 3、+ 4、+}} 二、{(一) (二) (三) (四) (五)} 三、{(一) (二) (三) (四) (五)}",
    "一、{(一){1.+ 2.+} (二){1.+ 2.+ 3.+} (三){1.+ 2.+ 3.+} (四){1.+ 2.+ 3.+ 4.+} (五){1.+ 2.+ 3.+} (六) (七)"
    " (八){1.+ 2.+} (九)} 二、 三、{(一)+ (二)+ (三)+}",
    "一、{(一){1.+ 2.+} (二){1.+ 2.+ 3.+} (三){1.+ 2.+ 3.+} (四){1.+ 2.+ 3.+ 4.+} (五){1.+ 2.+ 3.+} (六) (七)"
    " (八){1.+ 2.+} (九)} 二、 三、{(一)+ (二)+ (三)+}",
    # 篇9: "1加强" and "2对" and "12党员" lack their dot in the source and are body text
    "一、 二、{(一) (二){1. 2.} (三){1.+ 2.+} (四){2.+ 3.+ 4.+ 5.+} (五){1.+ 2.+ 3.+ 4.+ 5.+} (六){1.+ 2.+ 3.}"
    " (七){1. 3.} (八) (九){1. 2.}} 三、{(一)+ (二)+ (三)+ (四)+ (五)+ (六)+}"
    " 四、{(一)+{1. 2. 3. 4. 5. 6. 7. 8. 9. 10. 11. 13.} (二)+ (三)}",
    # 篇10 has a second short report pasted after its last item, numbered 一 to 四 again
    "一、{1.+ 2.+} 二、{1.+ 2.+ 3.+} 三、{1.+ 2.+ 3.+ 4.+} 一、+ 二、+ 三、+ 四、+",
    # 篇11: sections flattened onto single lines, split at each (一)
    "一、+{(一)+ (二)+} 二、{(一)+ (二)+ (三)+ (四)+} 三、{(一)+ (二)+} 四、{(一)+ (二)+}",
    "一、 二、 三、 四、",
    "一、 二、 三、 四、",
    "一、+{(一)+ (二)+} 二、{(一)+ (二)+ (三)+ (四)+} 三、{(一)+ (二)+} 四、{(一)+ (二)+}",
    "一、 二、 三、 四、 五、 六、 七、 八、 九、",
]


def _seed_reports(prefix: str) -> list[Report]:
    text = seed_path(prefix).read_text(encoding="utf-8")
    return [parse_report(clean_text(text[s:e]).text) for s, e, _ in split_compilation(text)]


def test_seed_001_splits_into_its_15_reports():
    text = seed_path("001").read_text(encoding="utf-8")
    parts = split_compilation(text)
    assert len(parts) == 15
    assert {title for _, _, title in parts} == {"乡镇意识形态上半年工作总结"}


@pytest.mark.parametrize("index", range(15))
def test_seed_001_outlines(index):
    assert outline(_seed_reports("001")[index]) == SEED_001_OUTLINES[index]


def test_seed_001_closing_and_addressee():
    reports = _seed_reports("001")
    assert reports[4].addressee is not None and reports[4].signature is not None and reports[4].date is not None
    assert reports[12].addressee is not None


def test_seed_000_outline():
    (report,) = _seed_reports("000")
    assert report.title is not None and report.title.text.endswith("意识形态工作总结")
    assert outline(report) == ("一、{（一）+ （二）+ （三）+ （四）+} 二、{（一）+ （二）+ （三）+ （四）+}"
                               " 三、{（一）+ （二）+ （三）+ （四）+ （五）+} 四、 五、{（一）+ （二）+ （三）+}")


def test_seed_003_outline():
    (report,) = _seed_reports("003")
    # the site's teaser line (the opening repeated, cut off with "...") is gone; the real title remains
    assert report.title is not None and report.title.text.endswith("情况的报告")
    assert outline(report) == "一、 二、{（一） （二）} 三、 四、{（一） （二） （三） （四） （五） （六）} 五、"
