"""Hostile input, invisible characters: rules read the text without them, findings point into the original,
and rule ``invisible-char`` reports them with a safe fix."""

import pytest

from drafter.check import CheckOptions, apply_safe_fixes, check_source
from drafter.facts.load import parse_facts
from drafter.source import SourceText

FACTS = parse_facts("unit: {name: 青石镇, kind: 镇, county: 和平县}\nperiod: {year: 2025}\n"
                    "metrics:\n  - {name: 县级以上媒体发稿, value: 142, unit: 篇}\n")

# (character, a number it splits) — each one reads as 142 and is 1 and 42 to a machine
SPLITTERS = [
    ("\u200b", "零宽空格"),
    ("\ufeff", "BOM"),
    ("\u200e", "从左到右"),
    ("\u200f", "从右到左"),
    ("\u00a0", "不换行空格"),
    ("\u3000", "全角空格"),
    ("\u2060", "零宽不换行"),
    ("\u00ad", "软连字符"),
    ("\u202f", "窄不换行空格"),
    ("\x07", "控制字符"),
]


def check(text: str, **options) -> list:
    return check_source(SourceText("t.txt", text), CheckOptions(**options))


@pytest.mark.parametrize(("char", "name"), SPLITTERS)
def test_a_character_inside_a_number_is_an_error_with_a_safe_fix(char, name):
    text = f"青石镇2025年意识形态工作总结\n全年在县级以上媒体发稿1{char}42篇。\n"
    findings = [f for f in check(text) if f.rule == "invisible-char"]
    assert len(findings) == 1
    f = findings[0]
    assert f.severity == "error" and f.safe_fix and f.suggestion == ""
    assert text[f.start:f.end] == char  # the finding points into the original text
    assert (f.line, f.column) == (2, text.split("\n")[1].index(char) + 1)
    fixed, _ = apply_safe_fixes(text, findings)
    assert "发稿142篇" in fixed


@pytest.mark.parametrize(("char", "name"), SPLITTERS)
def test_numbers_are_read_whole(char, name):
    """With the facts saying 142, "1?42篇" is supported: the rules read 142, not 1 and 42."""
    text = f"青石镇2025年意识形态工作总结\n全年在县级以上媒体发稿1{char}42篇。\n"
    numbers = [f for f in check(text, facts=FACTS, unit=FACTS.unit, year=2025)
               if f.rule in ("unsupported-number", "number-mismatch")]
    assert numbers == []


def test_a_split_name_is_still_found_and_points_at_the_original():
    text = "青石镇2025年意识形态工作总结\n学习勐\u200b约乡的经验。\n"
    places = [f for f in check(text) if f.rule == "foreign-place"]
    hit = next(f for f in places if "约乡" in f.text)
    assert text[hit.start:hit.end] == "勐\u200b约乡"
    invisible = [f for f in check(text) if f.rule == "invisible-char"]
    assert [f.severity for f in invisible] == ["warning"]


@pytest.mark.parametrize("text", [
    "正文\u200b\u200b\u200bxx镇召开会议。\n",
    "\ufeff\u200e正文，xx镇召开会议。\n",
    "正文\x1b[31m，xx镇召开会议。\n",
])
def test_every_finding_points_at_the_original_text(text):
    for f in check(text):
        if f.rule != "invisible-char":
            assert text[f.start:f.end] == f.text, f


@pytest.mark.parametrize(("text", "clean"), [
    ("1\u200b42篇", "142篇"),
    ("1\u00a042篇", "142篇"),
    ("会议\u00a0召开", "会议 召开"),  # a no-break space between words reads as a space
    ("\u3000\u3000今年以来", "\u3000\u3000今年以来"),  # full-width indentation stays
    ("1\u3000\u200b42", "142"),
    ("正\x00文\x1b", "正文"),
    ("没有不可见字符", "没有不可见字符"),
])
def test_clean_text_and_its_offsets(text, clean):
    source = SourceText("t", text)
    assert source.clean == clean
    for i, ch in enumerate(clean):
        o = source.to_original(i)
        assert text[o] == ch or (ch == " " and text[o] == "\u00a0")
    assert source.to_original(len(clean), end=True) <= len(text)


def test_fix_removes_every_invisible_character(tmp_path):
    text = "青石镇2025年意识形态工作总结\n发稿1\u200b42篇，\ufeff勐\u200d约乡。\n"
    findings = check(text)
    fixed, _ = apply_safe_fixes(text, findings)
    assert not any(ch in fixed for ch in "\u200b\ufeff\u200d")


def test_rewrite_writes_no_invisible_characters(tmp_path):
    from tests.test_hostile_output import FACTS as FACTS_TEXT

    template = tmp_path / "范文.txt"
    template.write_text("某某镇2024年意识形态工作总结\n全年召开专题会议1\u200b4次，开展中心组学习12次。\n", encoding="utf-8")
    facts = tmp_path / "事实.yaml"
    facts.write_text(FACTS_TEXT, encoding="utf-8")
    out = tmp_path / "out.txt"
    from click.testing import CliRunner

    from drafter.cli import cli

    result = CliRunner().invoke(cli, ["rewrite", str(template), "--facts", str(facts), "-o", str(out),
                                      "--engine", "offline"])
    assert result.exit_code == 0, result.output
    assert "\u200b" not in out.read_text(encoding="utf-8")
