"""``drafter.clean.clean_text``: residue removed, everything else untouched."""

from drafter.clean import CleanResult, clean_text
from tests.conftest import FIXTURES, seed_path


def test_clean_text_removes_residue_lines_and_markers():
    text = ("2025年青石镇意识形态工作总结(3800字)\n"
            "天道酬勤。\n下面是小编为您推荐的总结范文。\n"
            "今年以来，青石镇##paidbegin##认真落实意识形态工作责任制。\n"
            "[bookmark: _GoBack]一、加强组织领导\n"
            "推荐访问：意识形态 总结\n")
    result = clean_text(text)
    assert isinstance(result, CleanResult)
    assert result.text == ("2025年青石镇意识形态工作总结\n"
                           "今年以来，青石镇认真落实意识形态工作责任制。\n"
                           "一、加强组织领导\n")
    assert len(result.removed) == 6
    assert {f.rule for f in result.removed} == {"residue"}
    # offsets index the original text
    assert all(text[f.start : f.end] == f.text for f in result.removed)


def test_clean_text_leaves_other_problems_alone():
    text = "20xx年，xx镇提高与论引导水平,传承传承好家风。\n"
    assert clean_text(text).text == text
    assert clean_text(text).removed == []


def test_clean_prose_is_unchanged():
    text = (FIXTURES / "check" / "clean.txt").read_text(encoding="utf-8")
    assert clean_text(text).text == text


def test_seed_compilation_loses_its_scaffolding():
    text = seed_path("001").read_text(encoding="utf-8").replace("\r\n", "\n")
    cleaned = clean_text(text).text
    assert "小编" not in cleaned and "推荐访问" not in cleaned
    assert "工作总结篇" not in cleaned
    assert "一、强化理论学习" in cleaned  # the reports themselves stay
