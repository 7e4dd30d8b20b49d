"""Prompt templates: the header declares variables; declared, used and supplied must agree."""

import pytest

from drafter.exceptions import DrafterError
from drafter.llm.prompts import load_prompt, parse_prompt, render_prompt
from drafter.resources import data_dir

GOOD = """# 用途：测试用模板。
# 变量: unit, year
### system
你是{unit}的文字秘书。
### user
请写{year}年的总结。字面花括号：{{示例}}。
# 这一行在正文里，原样保留。
"""


def test_render_fills_variables_and_keeps_literal_braces():
    messages = parse_prompt("t", GOOD).render(unit="青石镇", year=2025)
    assert messages == [
        ("system", "你是青石镇的文字秘书。"),
        ("user", "请写2025年的总结。字面花括号：{示例}。\n# 这一行在正文里，原样保留。"),
    ]


def test_header_is_parsed():
    template = parse_prompt("t", GOOD)
    assert template.variables == {"unit", "year"}
    assert template.description == "用途：测试用模板。"


@pytest.mark.parametrize(
    ("header", "variables"),
    [("# 变量: 无", set()), ("# 变量：a，b", {"a", "b"}), ("# 变量: a b", {"a", "b"}), ("#变量:a、b", {"a", "b"})],
)
def test_variable_line_forms(header, variables):
    body = "".join(f"{{{v}}}" for v in sorted(variables))
    assert parse_prompt("t", f"{header}\n### user\n问{body}\n").variables == variables


def test_system_section_is_optional():
    assert parse_prompt("t", "# 变量: 无\n### user\n你好\n").render() == [("user", "你好")]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("### user\n你好\n", "缺少变量声明"),
        ("# 变量: a\n### system\n{a}\n", "缺少 ### user"),
        ("# 变量: a\n### user\n{a}{b}\n", "未声明的变量 b"),
        ("# 变量: a, b\n### user\n{a}\n", "没有用到的变量 b"),
        ("# 变量: a\n### user\n{a.upper}\n", "不合规"),
        ("# 变量: a\n### user\n{a:>10}\n", "不合规"),
        ("# 变量: a\n### user\n{a\n", "花括号不成对"),
        ("# 变量: a-b\n### user\n{a}\n", "变量名 a-b 不合规"),
        ("# 变量: a\n### user\n{a}\n### user\n再来\n", "两个 ### user"),
        ("# 变量: a\n说明没有井号\n### user\n{a}\n", "说明行请以 # 开头"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(text, needle):
    with pytest.raises(DrafterError, match=needle):
        parse_prompt("t", text)


@pytest.mark.parametrize(("values", "needle"), [({"unit": "青石镇"}, "缺少变量 year"),
                                                ({"unit": "青石镇", "year": 2025, "extra": 1}, "未声明的变量 extra")])
def test_supplied_variables_must_match(values, needle):
    with pytest.raises(DrafterError, match=needle):
        parse_prompt("t", GOOD).render(**values)


def test_values_with_braces_are_not_reinterpreted():
    (message,) = parse_prompt("t", "# 变量: a\n### user\n{a}\n").render(a="{year} 原样")
    assert message == ("user", "{year} 原样")


def test_ping_prompt_renders():
    messages = render_prompt("ping", word="收到")
    assert [role for role, _ in messages] == ["system", "user"]
    assert messages[1][1].endswith("收到")


def test_missing_prompt_file_is_a_chinese_error():
    with pytest.raises(DrafterError, match="找不到提示词文件"):
        load_prompt("no-such-prompt")


def test_every_shipped_prompt_parses():
    """Guards the prompts other steps add: each declares exactly the variables it uses."""
    files = [p for p in data_dir("prompts").glob("*.md") if p.name != "README.md"]
    assert files
    for path in files:
        template = load_prompt(path.stem)
        assert template.user, path.name


EXAMPLE = """# 变量: a
### system
只写正文。
### example_user
写甲。
### example_assistant
甲。
### user
写{a}。
"""


def test_a_worked_example_goes_between_system_and_user():
    assert parse_prompt("t", EXAMPLE).render(a="乙") == [
        ("system", "只写正文。"), ("user", "写甲。"), ("assistant", "甲。"), ("user", "写乙。")]


def test_an_example_needs_both_halves():
    with pytest.raises(DrafterError, match="要成对出现"):
        parse_prompt("t", EXAMPLE.replace("### example_assistant\n甲。\n", ""))


def test_the_draft_prompt_shows_facts_in_the_form_to_write():
    messages = render_prompt("draft_section", unit="青石镇", year=2025, report_type="意识形态工作总结",
                             heading="强化理论武装", facts="中心组学习〔1〕（12次）", items="无", exemplars="")
    assert [role for role, _ in messages] == ["system", "user", "assistant", "user"]
    assert "中心组学习〔1〕（12次）" in messages[-1][1]
    assert all(ch not in text for _, text in messages for ch in "abcdefghijklmnopqrstuvwxyz")  # Chinese only
