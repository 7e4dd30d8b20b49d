"""Rules ``stale-year`` and ``stale-term``: a template's years, spans and terms that do not fit the report."""

import pytest

from drafter.check import CheckOptions, check_source
from drafter.findings import Severity
from drafter.parse import parse_report
from drafter.readers import read_source
from drafter.rules import CheckContext, all_rules
from drafter.rules.stale import find_years, infer_span, infer_year
from drafter.source import SourceText
from drafter.unit import UnitInfo
from tests.conftest import seed_path

REPORT = """\
{title}
{opening}
一、加强组织领导
{body}
二、下一步工作打算
{plan}
中共青石镇委员会
{date}
"""


def report(title="2025年青石镇意识形态工作总结", opening="今年以来，青石镇党委认真落实责任制。现将全年工作总结如下：",
           body="全年召开专题会议4次。", plan="2026年，我们将继续努力。", date="2025年12月20日") -> str:
    return REPORT.format(title=title, opening=opening, body=body, plan=plan, date=date)


def run(rule_id: str, text: str, year: int | None = 2025, span: str | None = None):
    ctx = CheckContext(source=SourceText("t.txt", text), year=year, span=span, unit=UnitInfo.from_name("青石镇"))
    return [(f.text, f.severity, f.suggestion) for f in all_rules()[rule_id].func(ctx)]


def test_find_years_reads_arabic_and_chinese_numerals():
    assert [y.year for y in find_years("2019年以来，二〇二三年底，20世纪80年代，2025年度")] == [2019, 2023, 2025]


def test_infer_year_and_span_from_the_title():
    rep = parse_report(report(title="2019年勐约乡意识形态工作总结"))
    assert infer_year(rep) == 2019 and infer_span(rep) == "全年"
    assert infer_span(parse_report(report(title="青石镇2025年上半年意识形态工作总结"))) == "上半年"


def test_a_clean_report_has_no_year_findings():
    assert run("stale-year", report()) == []


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"title": "2019年青石镇意识形态工作总结"}, [("2019年", Severity.ERROR, "2025年")]),
        ({"opening": "2019年以来，青石镇党委认真落实责任制。现将全年工作总结如下："},
         [("2019年", Severity.WARNING, "2025年")]),
        ({"opening": "今年以来，我镇扎实推进。现将我镇2023年意识形态工作总结如下："},
         [("2023年", Severity.ERROR, "2025年")]),
        ({"date": "2023年12月20日"}, [("2023年", Severity.ERROR, "2025年")]),
        ({"body": "2023年7月，召开专题会议研究部署。"}, [("2023年", Severity.WARNING, "2025年")]),
        ({"body": "截至2023年底，共建成新时代文明实践站12个。"}, [("2023年", Severity.WARNING, "2025年")]),
        ({"body": "2023年共开展党课25次。"}, [("2023年", Severity.WARNING, "2025年")]),
        ({"body": "到2030年建成示范镇，这个目标写在了2031年。"}, [("2031年", Severity.WARNING, None)]),
    ],
)
def test_stale_years(parts, expected):
    assert run("stale-year", report(**parts)) == expected


@pytest.mark.parametrize(
    "parts",
    [
        {"body": "自2019年以来，我镇连续五年获评县级文明单位。"},
        {"body": "较2024年增长12%，2018年获评省级文明村。"},
        {"body": "对标2035年远景目标，持续用力。"},
        {"opening": "自2021年开展“书记讲党课”以来，形成了长效机制。现将全年工作总结如下："},
        {"title": "2025年青石镇宣传思想文化工作总结及2026年工作计划"},
        {"date": "2026年1月8日"},
        {"body": "今年7月、8月、9月，召开专题会议。"},
    ],
)
def test_history_and_plans_are_not_stale(parts):
    assert run("stale-year", report(**parts)) == []


def test_without_a_year_only_disagreements_with_the_title_count():
    text = report(title="2019年勐约乡意识形态工作总结", date="2018年12月20日", body="2017年7月，召开专题会议。")
    assert run("stale-year", text, year=None) == [("2018年", Severity.ERROR, "2019年")]


def test_first_half_words_in_an_annual_report():
    text = report(opening="上半年，青石镇党委认真落实责任制。现将工作总结如下：")
    assert run("stale-year", text, span="全年") == [("上半年", Severity.WARNING, "全年")]
    half = report(title="青石镇2025年上半年意识形态工作总结", opening="一年来，青石镇党委认真落实责任制。")
    assert run("stale-year", half) == [("一年来", Severity.WARNING, "上半年")]
    assert run("stale-year", report(body="上半年召开专题会议2次，下半年3次。"), span="全年") == []


@pytest.mark.parametrize(
    ("text", "year", "span", "expected"),
    [
        ("深入学习贯彻党的十九大精神。", 2025, None, [("十九大精神", Severity.WARNING, "二十大精神")]),
        ("同以习近平同志为总书记的党中央保持高度一致。", 2025, None,
         [("以习近平同志为总书记的党中央", Severity.WARNING, "以习近平同志为核心的党中央")]),
        ("扎实开展“两学一做”学习教育。", 2025, None, [("两学一做", Severity.WARNING, None)]),
        ("开展“不忘初心、牢记使命”主题教育。", 2023, None,
         [("不忘初心、牢记使命”主题教育", Severity.WARNING, None)]),
        ("深入开展党史学习教育。", 2024, None, [("党史学习教育", Severity.WARNING, None)]),
        ("庆祝建党100周年系列活动。", 2023, None, [("建党100周年", Severity.WARNING, None)]),
        ("做好新冠肺炎疫情防控宣传。", 2024, None, [("新冠肺炎疫情", Severity.WARNING, None)]),
        ("推进脱贫攻坚，助力群众增收。", 2025, None,
             [("脱贫攻坚", Severity.WARNING, "巩固拓展脱贫攻坚成果同乡村振兴有效衔接")]),
        ("扎实开展党纪学习教育。", 2025, None, [("党纪学习教育", Severity.WARNING, None)]),
        ("谋划“十四五”发展。", 2026, None, [("十四五", Severity.WARNING, "十五五")]),
        ("学习贯彻党的二十届三中全会精神。", 2023, None, [("二十届三中全会", Severity.ERROR, None)]),
        ("学习贯彻党的二十届四中全会精神。", 2025, "上半年", [("二十届四中全会", Severity.ERROR, None)]),
        ("学习贯彻党的二十大精神。", 2021, None, [("二十大精神", Severity.ERROR, None)]),
        ("编制“十五五”规划。", 2022, None, [("十五五", Severity.ERROR, None)]),
    ],
)
def test_stale_terms(text, year, span, expected):
    assert run("stale-term", text, year=year, span=span) == expected


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("学习贯彻党的二十大和二十届四中全会精神。", 2025),
        ("巩固拓展脱贫攻坚成果同乡村振兴有效衔接。", 2025),
        ("深入学习贯彻党的十九大精神。", 2022),
        ("“十四五”规划圆满收官，“十五五”开局谋划有力。", 2025),
        ("开展党纪学习教育。", 2024),
        ("用好“学习强国”学习平台。", 2019),
    ],
)
def test_current_terms_are_not_stale(text, year):
    assert run("stale-term", text, year=year) == []


def test_a_first_half_title_narrows_what_can_exist():
    text = "青石镇2025年上半年意识形态工作总结\n学习贯彻党的二十届四中全会精神。"
    assert run("stale-term", text) == [("二十届四中全会", Severity.ERROR, None)]
    assert run("stale-term", text.replace("上半年", "")) == []


def test_terms_need_a_year():
    assert run("stale-term", "深入学习贯彻党的十九大精神。", year=None) == []


def test_seed_000_checked_as_a_2025_report():
    source = read_source(str(seed_path("000")))
    findings = check_source(source, CheckOptions(unit=UnitInfo.from_name("青石镇"), year=2025,
                                                 select={"stale-year", "stale-term"}))
    by_rule = {(f.rule, f.text, f.severity) for f in findings}
    assert ("stale-year", "2019年", Severity.ERROR) in by_rule  # title and 现将我乡2019年…
    assert ("stale-term", "十九大精神", Severity.WARNING) in by_rule
    assert sum(f.severity is Severity.ERROR for f in findings) == 2
