"""The place finder (``drafter.gazetteer``) and rule ``foreign-place``: other places' names, own names kept."""

import pytest

from drafter.check import CheckOptions, check_source
from drafter.findings import Severity
from drafter.gazetteer import COUNTY, PREFECTURE, TOWNSHIP, VILLAGE, find_places, gazetteer
from drafter.readers import read_source
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText
from drafter.unit import UnitInfo
from tests.conftest import seed_path

QINGSHI = UnitInfo.from_name("青石镇")


def run(text: str, unit: UnitInfo | None = QINGSHI):
    ctx = CheckContext(source=SourceText("t.txt", text), unit=unit)
    return list(all_rules()["foreign-place"].func(ctx))


def test_gazetteer_loads_places_with_their_parents():
    gaz = gazetteer()
    assert len(gaz) > 40000
    (dehong,) = gaz.lookup("德宏州")
    assert dehong.name == "德宏傣族景颇族自治州" and dehong.level == PREFECTURE
    (mengyue,) = gaz.lookup("勐约乡")
    assert gaz.describe(mengyue.id) == "云南省德宏傣族景颇族自治州陇川县勐约乡"
    assert gaz.lookup("没有这个乡") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年，勐约乡组织开展了文艺汇演。", [("勐约乡", TOWNSHIP, False)]),
        ("在陇川县委宣传部的指导下开展工作。", [("陇川县", COUNTY, False)]),
        ("德宏州融媒体中心采用稿件3条。", [("德宏州", PREFECTURE, False)]),
        ("被德宏组工采用2条。", [("德宏", PREFECTURE, True)]),
        ("制定了鸡鸣乡党员干部行为规范。", [("鸡鸣乡", TOWNSHIP, False)]),
        ("勐约乡文化站建成后，讲好勐约故事。", [("勐约乡", TOWNSHIP, False), ("勐约", TOWNSHIP, True)]),
        ("走访了云雾山乡的农户。", [("云雾山乡", TOWNSHIP, False)]),
        ("帮助马鞍岭村修建文化广场。", [("马鞍岭村", VILLAGE, False)]),
        ("张家坪的搬迁群众情绪稳定。", [("张家坪", VILLAGE, True)]),
        ("陇川县勐约乡人民政府网站", [("陇川县", COUNTY, False), ("勐约乡", TOWNSHIP, False)]),
    ],
)
def test_find_places(text, expected):
    found = [(m.text, m.level, m.bare) for m in find_places(text)]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "全乡干部群众积极参与，我乡各村均已建成文化广场。",
        "统筹城乡发展，推进乡村振兴，培育文明乡风。",
        "乡镇综合文化站和各村（社区）文化室免费开放。",
        "部分乡镇对意识形态工作重视不够。",
        "在市委和县委的正确领导下，同安排、同部署。",
        "发挥新乡贤作用，践行绿水青山就是金山银山理念。",
        "强化乡干部理论学习，明确乡党政班子责任。",
        "公安机关和司法所联合开展普法宣传，维护和平稳定。",
        "组织党员干部进村入户，召开村民代表大会。",
        "目瑙纵歌之乡的节庆活动热闹非凡。",
        "农民专业合作社发展到12家，带动群众增收。",
        "扎实推进镇域经济发展，完善村规民约。",
    ],
)
def test_common_words_are_not_places(text):
    assert find_places(text) == []


def test_foreign_township_is_an_error_with_the_own_name_as_suggestion():
    text = "今年，勐约乡开展理论宣讲12场，讲好勐约故事。"
    findings = run(text)
    assert [(f.text, f.severity, f.suggestion) for f in findings] == [
        ("勐约乡", Severity.ERROR, "青石镇"),
        ("勐约", Severity.ERROR, "青石"),
    ]
    assert "陇川县" in findings[0].message  # says where the foreign place is


def test_own_names_are_never_flagged():
    unit = UnitInfo(name="青石镇", kind="镇", county="和平县", city="云岭市", aliases=("青石街",))
    text = ("青石镇党委高度重视，“青石发布”公众号更新70条，青石社区建成文化广场，和平县委宣传部"
            "和云岭市融媒体中心多次采用稿件，青石街文化节顺利举办。")
    assert run(text, unit) == []


def test_parent_of_a_foreign_township_is_foreign_too():
    text = "陇川县委宣传部指导勐约乡开展工作，陇川网采用稿件5条。"
    findings = {f.text: f for f in run(text)}
    assert findings["陇川县"].severity is Severity.ERROR
    assert findings["陇川"].severity is Severity.ERROR
    assert findings["勐约乡"].severity is Severity.ERROR


def test_county_differing_from_the_facts_county_is_an_error_with_the_own_county():
    unit = UnitInfo(name="青石镇", kind="镇", county="和平县")
    findings = run("陇川县委宣传部到我镇调研。", unit)
    assert [(f.text, f.severity, f.suggestion) for f in findings] == [("陇川县", Severity.ERROR, "和平县")]


def test_county_of_unknown_relation_is_info():
    unit = UnitInfo.from_name("青岚镇")  # not in the gazetteer: its county is unknown
    findings = run("陇川县委宣传部到我镇调研。", unit)
    assert [(f.text, f.severity) for f in findings] == [("陇川县", Severity.INFO)]


def test_villages_are_info_once_per_name():
    findings = run("马鞍岭村建成文化广场，马鞍岭村村民踊跃参加。")
    assert [(f.text, f.severity) for f in findings] == [("马鞍岭村", Severity.INFO)]


def test_well_known_places_are_not_someone_elses():
    assert run("组织党员赴延安、井冈山开展红色教育，学习浙江“千万工程”和枫桥经验。") == []


def test_without_a_unit_each_place_is_listed_once_as_info():
    findings = run("勐约乡开展宣讲，勐约乡文化站开放，陇川县委宣传部指导。", unit=None)
    assert [(f.text, f.severity) for f in findings] == [("勐约乡", Severity.INFO), ("陇川县", Severity.INFO)]
    assert "--unit" in findings[0].message


def test_seed_000_names_its_own_county_and_prefecture_as_foreign():
    source = read_source(str(seed_path("000")))
    findings = check_source(source, CheckOptions(unit=QINGSHI, year=2025, select={"foreign-place"}))
    flagged = {f.text for f in findings if f.severity is Severity.ERROR}
    assert {"勐约乡", "勐约", "陇川县", "陇川", "德宏"} <= flagged
    assert not {"青石镇", "青石", "全乡", "我乡", "乡村"} & {f.text for f in findings}
    assert all(f.severity is not Severity.INFO for f in findings)


def test_seed_003_flags_jiming_township_and_not_common_words():
    source = read_source(str(seed_path("003")))
    findings = check_source(source, CheckOptions(unit=QINGSHI, year=2025, select={"foreign-place"}))
    errors = [f.text for f in findings if f.severity is Severity.ERROR]
    assert errors == ["鸡鸣乡"]
    assert [f.text for f in findings if f.severity is Severity.INFO] == ["张家坪"]


@pytest.mark.parametrize("text", ["树立良好形象，提升禾坪镇的知名度。", "建设“乡风文明、管理民主”新禾坪镇。"])
def test_a_word_glued_before_the_own_name_is_not_a_foreign_township(text):
    unit = UnitInfo(name="禾坪镇", kind="镇", county="沅西县", city="岚江市", province="湖南省")
    assert [f for f in run(text, unit) if f.severity is not Severity.INFO] == []


def test_another_provinces_name_is_a_finding_when_the_facts_name_the_province():
    unit = UnitInfo(name="禾坪镇", kind="镇", county="沅西县", city="岚江市", province="湖南省")
    findings = run("积极转发云南省委省政府的解读文章。", unit)
    assert [(f.text, f.severity, f.suggestion) for f in findings] == [("云南省", Severity.WARNING, "湖南省")]


@pytest.mark.parametrize(
    ("province", "text", "expected"),
    [
        ("湖南省", "被云报客户端采用稿件1条。", [("云报客户端", Severity.WARNING)]),
        ("云南省", "被云报客户端采用稿件1条。", []),
        ("湖南省", "被新湖南客户端采用稿件1条。", []),
    ],
)
def test_another_provinces_media_is_a_warning(province, text, expected):
    unit = UnitInfo(name="禾坪镇", kind="镇", county="沅西县", city="岚江市", province=province)
    assert [(f.text, f.severity) for f in run(text, unit)] == expected
