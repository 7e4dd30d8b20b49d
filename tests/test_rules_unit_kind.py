"""Rule ``unit-kind``: 我镇 in a 乡's report, 我乡 in a 镇's, 镇政府 in a 街道's — and never 乡镇, 城乡, 乡村振兴."""

import pytest

from drafter.check import CheckOptions, check_source
from drafter.findings import Severity
from drafter.readers import read_source
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText
from drafter.unit import UnitInfo
from tests.conftest import seed_path


def run(text: str, unit: str | None):
    ctx = CheckContext(source=SourceText("t.txt", text), unit=UnitInfo.from_name(unit) if unit else None)
    return [(f.text, f.suggestion) for f in all_rules()["unit-kind"].func(ctx)]


@pytest.mark.parametrize(
    ("unit", "text", "expected"),
    [
        ("松岭乡", "今年以来，我镇共召开专题会议4次。", [("我镇", "我乡")]),
        ("松岭乡", "全镇上下形成合力，本镇宣传工作有序推进。", [("全镇", "全乡"), ("本镇", "本乡")]),
        ("松岭乡", "在镇党委、镇政府的正确领导下，镇村两级干部共同发力。",
         [("镇党委", "乡党委"), ("镇政府", "乡政府"), ("镇村两级干部", "乡村两级干部")]),
        ("松岭乡", "由镇人民政府牵头，副镇长具体负责。", [("镇人民政府", "乡人民政府"), ("镇长", "乡长")]),
        ("青石镇", "现将我乡全年工作总结如下：乡党委高度重视。", [("我乡", "我镇"), ("乡党委", "镇党委")]),
        ("青石镇", "加强乡、村两级阵地建设。", [("乡、村两级", "镇、村两级")]),
        ("青石镇", "青石乡党委召开专题会议。", [("青石乡", "青石镇")]),
        ("柳岸街道", "在镇党委的领导下，我镇积极推进。", [("镇党委", "街道党工委"), ("我镇", "我街道")]),
        ("柳岸街道", "由镇政府统一安排。", [("镇政府", "街道办事处")]),
        ("青石镇", "街道党工委书记带头讲党课。", [("街道党工委", "镇党委")]),
    ],
)
def test_wrong_kind_words_are_flagged_with_the_right_kind(unit, text, expected):
    assert run(text, unit) == expected


@pytest.mark.parametrize(
    ("unit", "text"),
    [
        ("松岭乡", "全县各乡镇统筹城乡发展，推进乡村振兴。"),
        ("松岭乡", "镇守边关的英雄事迹感人，群众镇定应对突发情况。"),
        ("青石镇", "培育文明乡风，发挥新乡贤作用，留住乡愁，服务家乡。"),
        ("青石镇", "组织干部送课下乡，欢迎大学生返乡创业。"),
        ("青石镇", "推进乡村振兴，建设美丽乡村，全乡镇范围内开展。"),
        ("青石镇", "我镇召开镇党委会议，镇村两级干部参加。"),
        ("松岭乡", "邻近的鸡鸣镇党委书记来访交流。"),  # another place's 镇党委: the foreign-place rule's job
        ("青石镇", "城镇社区和集镇建设同步推进。"),
    ],
)
def test_right_kind_and_guarded_words_are_not_flagged(unit, text):
    assert run(text, unit) == []


def test_without_a_known_kind_nothing_runs():
    assert run("我镇和我乡都写了。", None) == []
    assert run("我镇和我乡都写了。", "青石") == []


def test_seed_003_township_report_checked_as_a_town():
    source = read_source(str(seed_path("003")))
    findings = check_source(source, CheckOptions(unit=UnitInfo.from_name("青石镇"), select={"unit-kind"}))
    texts = {f.text for f in findings}
    assert {"我乡", "全乡", "乡党委"} <= texts
    assert all(f.severity is Severity.ERROR for f in findings)
    assert not texts & {"乡镇", "乡村", "城乡"}
