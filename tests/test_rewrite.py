"""The offline rewrite engine: names, years, slots and numbers become the user's; nothing unsupported survives."""

from pathlib import Path

import pytest

from drafter.facts import load_facts
from drafter.rewrite.engine import rewrite_offline, template_year
from drafter.verify import gate_findings

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "tests" / "fixtures" / "rewrite" / "松林乡范文.txt"
FACTS = ROOT / "examples" / "青石镇事实.yaml"


@pytest.fixture(scope="module")
def rewritten():
    facts = load_facts(FACTS)
    return rewrite_offline(TEMPLATE.read_text(encoding="utf-8"), facts), facts


def test_names_years_and_span_become_the_users(rewritten):
    result, _ = rewritten
    text = result.text
    assert text.startswith("2025年青石镇")
    for foreign in ("松林", "柏溪", "我乡", "全乡", "乡党委", "上半年", "2023年", "十九大"):
        assert foreign not in text, foreign
    assert "二十大精神" in text and "我镇" in text


def test_residue_is_removed(rewritten):
    assert "小编" not in rewritten[0].text


def test_numbers_follow_the_facts_in_the_templates_form(rewritten):
    text = rewritten[0].text
    assert "中心组集体学习12次" in text
    assert "出席率达96%以上" in text
    assert "讲党课22次" in text
    assert "三次意识形态工作专题会议" in text  # Chinese numeral kept: 两次 → 三次
    assert "参加人员350余人" in text and "道德讲堂活动8" in text


def test_count_slots_are_filled_from_context(rewritten):
    assert "发布信息165余条" in rewritten[0].text


def test_unsupported_numbers_become_markers(rewritten):
    text = rewritten[0].text
    assert "【待补充：" in text
    assert "文艺队7支" not in text and "宣传员x名" not in text
    assert "【待核实：" in text  # the foreign newspaper


def test_output_verifies_clean(rewritten):
    result, facts = rewritten
    assert gate_findings(result.text, facts) == []


def test_every_fact_is_stated(rewritten):
    result, facts = rewritten
    assert {m.name for m in facts.metrics} <= result.used_facts | set(result.added_facts)


def test_drop_removes_unsupported_clauses():
    facts = load_facts(FACTS)
    result = rewrite_offline(TEMPLATE.read_text(encoding="utf-8"), facts, drop=True)
    assert "【待补充" not in result.text
    assert gate_findings(result.text, facts) == []
    assert "，。" not in result.text


def test_a_figure_whose_clause_only_resembles_a_fact_is_marked_not_guessed():
    facts = load_facts(FACTS)  # 宣传栏 48 块
    text = "2023年松林乡意识形态工作总结\n一、阵地建设\n开展阵地清理，撤除破损宣传牌20块。更新宣传栏30块。\n"
    result = rewrite_offline(text, facts)
    assert "更新宣传栏48块" in result.text
    assert "宣传牌48块" not in result.text and "【待补充" in result.text


def test_metric_named_in():
    from drafter.facts.model import Metric

    board = Metric("宣传栏", 48, "块")
    media = Metric("市级以上媒体用稿", 9, "篇", aliases=("市级以上媒体发稿",))
    assert board.named_in("新建宣传栏") and not board.named_in("撤除破损宣传牌")
    assert media.named_in("其中市级以上媒体") and not media.named_in("其中媒体")


@pytest.mark.parametrize(("text", "year"), [("2019年勐海乡工作总结\n正文", 2019), ("总结\n2020年以来……2020年", 2020),
                                            ("工作总结\n今年以来", None)])
def test_template_year(text, year):
    assert template_year(text) == year


def test_edits_say_why(rewritten):
    reasons = {e.reason for e in rewritten[0].edits}
    assert {"residue", "unit-name", "unit-kind", "number", "todo-clause", "year", "span"} <= reasons
    number = next(e for e in rewritten[0].edits if e.reason == "number")
    assert number.fact and number.out_start is not None


def test_an_opening_phrase_ending_in_the_generic_unit_word_is_not_the_templates_name():
    """“镇党委年初召开全镇宣传思想文化工作会议”: 初召开全镇 is no township, and the sentence keeps its words."""
    from drafter.facts import parse_facts
    from drafter.rewrite.template_unit import foreign_names

    facts = parse_facts("unit: {name: 云台镇, kind: 镇, county: 松岭县}\nperiod: {year: 2025, span: 全年}\n")
    text = "2025年云台镇意识形态工作总结\n镇党委年初召开全镇宣传思想文化工作会议，部署全年工作。\n"
    assert [f.name for f in foreign_names(text, facts.unit)] == []


@pytest.mark.parametrize(
    ("template", "kept", "gone"),
    [
        # a fact for the 村民小组 only: the 64 stays, the 村 figure is marked where it stands
        ("我镇辖区5个村45个村民小组，全年召开意识形态专题会议4次。", ["我镇辖区", "64个村民小组"], ["5个村", "45"]),
        ("今年以来共开展明查暗访12次、上廉政党课20次，营造风清气正的氛围。", ["上廉政党课31次", "明查暗访"], ["12次"]),
    ],
)
def test_a_clause_keeps_the_users_figures_and_marks_only_the_unbound_one(template, kept, gone):
    facts = load_facts(str(ROOT / "examples" / "禾坪镇事实.yaml"))
    line = _line_after_heading(rewrite_offline("xx镇2024年意识形态工作总结\n\n一、基本情况\n" + template + "\n", facts).text)
    assert all(k in line for k in kept) and not any(g in line for g in gone), line
    assert "【待补充：" in line and not [f for f in gate_findings(line, facts) if f.rule.startswith("number")]


def test_a_clause_with_no_figure_of_the_users_is_still_one_marker():
    facts = load_facts(str(ROOT / "examples" / "禾坪镇事实.yaml"))
    text = rewrite_offline("xx镇2024年意识形态工作总结\n\n一、基本情况\n撤除破损宣传牌20块，更新标语15条。\n", facts).text
    assert _line_after_heading(text).startswith("【待补充：")


def _line_after_heading(text: str) -> str:
    lines = text.splitlines()
    return lines[lines.index("一、基本情况") + 1]
