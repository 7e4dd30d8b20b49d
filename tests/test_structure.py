"""The structural gate (drafter/structure.py): each rule on a bad answer, and a clean section passes."""

import pytest

from drafter.structure import StructureContext, longest_shared, meta_label_line, structure_findings

HEADING = "强化理论武装，思想根基不断夯实"
GOOD = ("镇党委坚持把理论学习作为首要政治任务，全年组织中心组学习12次，班子成员出席率达96%以上，"
        "带动全镇党员干部学深悟透党的创新理论。\n各支部书记带头讲党课22次，推动理论宣讲进村入户，群众听得懂、记得住、用得上。")
INSTRUCTIONS = "只写这一节的正文，一至三个自然段，每段一百到三百字。不写标题，不写说明，不用列表、编号行和加粗，全部用中文。"
EXEMPLAR = "我镇坚持以上率下，把学习贯彻党的创新理论作为首要政治任务，常态化开展专题学习研讨，推动理论学习走深走实。"


def context(**kw) -> StructureContext:
    values = {"heading": HEADING, "instructions": INSTRUCTIONS, "exemplars": [EXEMPLAR],
              "fact_names": ["中心组学习", "中心组学习出席率", "党课"], "refs_used": 3}
    values.update(kw)
    return StructureContext(**values)


def rules(text: str, raw: str | None = None, **kw) -> set[str]:
    return {f.rule for f in structure_findings(text, context(**kw), raw=raw)}


def test_a_clean_section_passes():
    assert rules(GOOD) == set()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("好的，以下是本节正文：" + GOOD, "meta-line"),
        ("本节正文：" + GOOD, "meta-line"),
        ("作为宣传委员，我" + GOOD, "meta-line"),
        (GOOD + "\n希望对您有帮助！如有需要可以继续修改。", "meta-line"),
        (HEADING + "\n" + GOOD, "heading-repeat"),
        ("（一）抓好理论学习\n" + GOOD, "heading-repeat"),
        ("**理论学习**" + GOOD, "markdown"),
        ("- " + GOOD.replace("\n", "\n- "), "markdown"),
        ("1. " + GOOD, "markdown"),
        ("## 理论学习\n" + GOOD, "markdown"),
        (GOOD + "In summary, the work went well。", "english"),
        (GOOD.replace("。\n", "，其中大事（2025年3月）举办群众文艺汇演。\n"), "list-paste"),
        (GOOD.replace("全年组织中心组学习12次", "中心组学习：12次"), "list-paste"),
        (GOOD + "另外，" + INSTRUCTIONS, "prompt-echo"),
        (GOOD + EXEMPLAR, "prompt-echo"),
        ("镇党委抓好理论学习，成效明显。", "paragraphs"),
        ("\n".join([GOOD] * 3), "paragraphs"),
        (GOOD[:-8], "incomplete"),
        (GOOD + "\n镇党委召开专题会议3次，书记讲党课。镇党委召开专题会议4次，书记讲党课。", "repeated"),
    ],
)
def test_each_rule_catches_its_kind_of_bad_answer(text, rule):
    assert rule in rules(text)


@pytest.mark.parametrize("raw", ["〔1〕中心组学习：12次\n〔2〕党课：22次"])
def test_a_copied_facts_line_is_a_pasted_list(raw):
    assert "list-paste" in rules(GOOD, raw=raw)


@pytest.mark.parametrize(("used", "unused"), [(0, True), (1, True), (2, False), (3, False)])
def test_most_of_the_sections_facts_must_be_used(used, unused):
    assert ("facts-unused" in rules(GOOD, refs_used=used)) is unused


def test_short_shared_phrases_and_allowed_latin_pass():
    # a formula the exemplar also has, and APP/QQ which the genre writes
    text = GOOD.replace("带动", "通过“学习强国”APP和QQ群带动")
    assert rules(text) == set()


@pytest.mark.parametrize(("line", "label"), [("本节正文：", True), ("好的，以下是本节正文：", True),
                                             ("镇党委高度重视：", False), (GOOD, False)])
def test_meta_label_line(line, label):
    assert meta_label_line(line) is label


def test_longest_shared():
    assert longest_shared("甲乙丙丁戊己庚", "子丑丙丁戊己寅", 3) == (2, 6)
    assert longest_shared("甲乙丙", "子丑寅", 2) is None


@pytest.mark.parametrize(("text", "lines"), [
    ("甲" * 40 + "\n" + "乙" * 10 + "\n" + "丙" * 40, ["甲" * 40 + "乙" * 10, "丙" * 40]),  # a short line joins
    ("乙" * 10 + "\n" + "甲" * 40, ["乙" * 10 + "甲" * 40]),  # the first joins the next
    ("\n".join(c * 40 for c in "甲乙丙丁戊"), None),  # five lines: one pair joined, to the most paragraphs
    ("甲" * 40 + "\n" + "乙" * 40, ["甲" * 40, "乙" * 40]),
])
def test_lines_are_merged_into_the_paragraph_bounds(text, lines):
    from drafter.structure import mend_paragraphs

    mended = mend_paragraphs(text)
    if lines is not None:
        assert mended.split("\n") == lines
    assert mended.replace("\n", "") == text.replace("\n", "")  # the words stay the same
    assert "paragraphs" not in rules(mended)


@pytest.mark.parametrize(("text", "own", "leak"), [
    ("全年县级以上媒体用稿42篇，报道了青石镇的秸秆禁烧工作成效。", "", True),  # seen from Qwen2.5-Coder-1.5B
    ("全年县级以上媒体用稿42篇，报道了青石镇的乡村振兴成效。", "", False),
    ("开展秸秆禁烧宣传，全镇未发生焚烧事件。", "秸秆禁烧宣传 焚烧", False),  # the section's own work
])
def test_the_worked_examples_subject_must_not_leak_into_a_section(text, own, leak):
    assert ("example-leak" in rules(text, own_words=own)) is leak


def test_the_example_words_are_the_worked_examples():
    from drafter.llm.prompts import load_prompt
    from drafter.resources import load_lexicon

    template = load_prompt("draft_section")
    example = template.example_user + template.example_assistant
    assert all(word in example for word in load_lexicon("structure")["example_words"])


@pytest.mark.parametrize(("text", "mended"), [
    # seen from Qwen2.5-Coder-1.5B: the example's subject tacked on as a clause
    ("镇党委组织宣传干部培训〔1〕，提升工作能力，为开展秸秆禁烧工作提供了有力支持。", "镇党委组织宣传干部培训〔1〕，提升工作能力。"),
    ("县级以上媒体用稿〔2〕，报道了秸秆禁烧工作成效，提升了公信力。", "县级以上媒体用稿〔2〕，提升了公信力。"),
    ("报道秸秆禁烧成效〔2〕。", "报道秸秆禁烧成效〔2〕。"),  # a clause with a reference stays: the rule names it
    ("开展禁烧宣传。\n组织宣传干部培训〔1〕，提升能力。", "组织宣传干部培训〔1〕，提升能力。"),
    ("组织宣传干部培训〔1〕，提升能力。", "组织宣传干部培训〔1〕，提升能力。"),
])
def test_a_clause_about_the_examples_subject_is_deleted(text, mended):
    from drafter.structure import mend_example_leak

    assert mend_example_leak(text, "") == mended
    assert mend_example_leak(text, "秸秆禁烧 禁烧") == text  # the section's own work stays
