"""Claims in text (extract_claims) and matching them to facts (match_claim_to_facts)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter.facts.model import Event, Facts, Metric
from drafter.numbers import MatchStatus, extract_claims, match_claim_to_facts, value_supports
from drafter.numbers.values import step_of, unit_drift, units_agree, value_verdict
from drafter.numerals import int_to_chinese


def metric_claims(text):
    return [(c.text, c.value, c.unit, c.qualifier) for c in extract_claims(text) if c.is_metric]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("镇党委召开专题会议4次。", [("4次", 4, "次", None)]),
        ("共开展党课25次，", [("25次", 25, "次", None)]),
        ("发布信息70条。", [("70条", 70, "条", None)]),
        ("出席率达98%以上。", [("98%以上", 98, "%", "以上")]),
        ("出席率达98％以上。", [("98％以上", 98, "％", "以上")]),
        ("参加人员200余人。", [("200余人", 200, "人", "余")]),
        ("参加群众200多人。", [("200多人", 200, "人", "多")]),
        ("业余表演者近百人。", [("近百人", 100, "人", "近")]),
        ("全镇十二个村（社区）", [("十二个", 12, "个", None)]),
        ("每人投稿两篇", [("两篇", 2, "篇", None)]),
        ("共召开四次专题会", [("四次", 4, "次", None)]),
        ("惠及群众一百零五户", [("一百零五户", 105, "户", None)]),
        ("覆盖率达到百分之九十八", [("百分之九十八", 98, "%", None)]),
        ("受众约300人", [("约300人", 300, "人", "约")]),
        ("超过500人参加", [("超过500人", 500, "人", "超过")]),
        ("不到10次", [("不到10次", 10, "次", "不到")]),
        ("两千余人", [("两千余人", 2000, "人", "余")]),
        ("覆盖1.5万人", [("1.5万人", 15000, "人", None)]),
        ("捐款6万余元", [("6万余元", 60000, "元", "余")]),
        ("投入20余万元", [("20余万元", 20, "万元", "余")]),
        ("上千人次参加", [("上千人次", 1000, "人次", "以上")]),
        ("８次集中学习", [("８次", 8, "次", None)]),
        ("开展3-5次培训", [("3", 3, "次", None), ("5次", 5, "次", None)]),
    ],
)
def test_claims_table(text, expected):
    assert metric_claims(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”",
        "树牢四个意识，坚定四个自信",
        "落实三会一课制度和一岗双责",
        "学习党的十九大精神和二十届三中全会精神",
        "十四五规划",
        "一是强化领导，二是明确责任",
        "党委书记履行第一责任人职责",
        "打造一支队伍，作为一项重点工作，开展一次研判",
        "第3次会议",
        "制定“十严禁”，坚持“三带头”“三亲自”",
        "向群众宣传“七个一律”",
        "印发《乡镇宣传干部管理七条规定》",
        "G69银白高速公路，5G网络，4×100米",
        "数百人参加，几十场活动，十几次",
        "千篇一律，三番五次，四处奔走，走进千家万户",
        "领导千部",
        "十分重视，三分之一",
        "七一期间开展活动",
        "建党100周年",
        "开展“万名党员进党校”活动",
    ],
)
def test_not_claims(text):
    assert metric_claims(text) == []


def test_years_and_dates_are_their_own_kinds():
    claims = extract_claims("2019年7月、8月、11月份召开会议，6月21日举办汇演，二〇二五年")
    kinds = [(c.text, c.kind, c.value, c.day, c.year) for c in claims]
    assert kinds == [
        ("2019年", "year", 2019, None, None),
        ("7月", "date", 7, None, 2019),
        ("8月", "date", 8, None, None),
        ("11月份", "date", 11, None, None),
        ("6月21日", "date", 6, 21, None),
        ("二〇二五年", "year", 2025, None, None),
    ]


def test_spans_cover_the_whole_claim_and_the_numeral():
    text = "参加人员近200余人以上。"
    (claim,) = extract_claims(text)
    assert text[claim.start : claim.end] == claim.text
    assert text[claim.num_start : claim.num_end] == "200"
    assert claim.form == "arabic"
    (cn,) = extract_claims("开展道德讲堂四场")
    assert cn.form == "chinese" and cn.text == "四场"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("全年共开展党课25次。", "党课"),
        ("我乡共开展了8次党委理论学习中心组集体学习，", "党委理论学习中心组集体学习"),
        ("出席率达98%以上。", "出席率"),
        ("在县融媒体中心采用稿件1条，镇网站采用31条。", "镇网站采用"),
        ("全镇共5个行政村，", "行政村"),
        ("开展道德讲堂活动4场，参加人员200余人。", "参加人员"),
        ("积极组织和配合各村开展道德讲堂活动4场，", "道德讲堂活动"),
        ("计划总结及报告2条、", "计划总结及报告"),
    ],
)
def test_labels(text, label):
    claims = [c for c in extract_claims(text) if c.is_metric]
    assert claims[-1].label == label


# A generated qualifier form must come back as its canonical qualifier, on either numeral form.
QUALIFIED = [("{n}余{u}", "余"), ("{n}多{u}", "多"), ("近{n}{u}", "近"), ("约{n}{u}", "约"),
             ("{n}{u}以上", "以上"), ("超过{n}{u}", "超过"), ("不到{n}{u}", "不到"), ("逾{n}{u}", "超过"),
             ("不少于{n}{u}", "以上"), ("{n}{u}左右", "约"), ("{n}{u}", None)]


@given(st.integers(min_value=2, max_value=99_999), st.sampled_from(QUALIFIED),
       st.sampled_from(["次", "人", "篇", "条", "个", "场次", "人次"]), st.booleans())
def test_qualifiers_property(value, form, unit, chinese):
    numeral = int_to_chinese(value) if chinese else str(value)
    pattern, qualifier = form
    phrase = pattern.format(n=numeral, u=unit)
    claims = [c for c in extract_claims(f"今年开展活动，{phrase}。") if c.is_metric]
    assert len(claims) == 1, phrase
    claim = claims[0]
    assert (claim.value, claim.unit, claim.qualifier, claim.text) == (value, unit, qualifier, phrase)


@pytest.mark.parametrize(
    ("fact", "claim", "verdict"),
    [
        ((105, "次", None), (100, "次", "余"), "drift"),  # the fact's range, but an exact fact is written exactly
        ((98, "次", None), (100, "次", "余"), "no"),
        ((199, "次", None), (100, "次", "余"), "drift"),
        ((200, "次", None), (100, "次", "余"), "no"),
        ((98, "%", None), (98, "％", None), "ok"),
        ((99, "%", None), (98, "%", "以上"), "drift"),
        ((97, "%", None), (98, "%", "以上"), "no"),
        ((96, "%", "以上"), (96, "%", "以上"), "ok"),
        ((96, "%", "以上"), (96, "%", "超过"), "ok"),
        ((96, "%", "以上"), (95, "%", "以上"), "no"),  # the user's wording is kept
        ((350, "人", "余"), (350, "人", "多"), "ok"),  # 余 ≡ 多
        ((350, "人", "余"), (350, "人", None), "drift"),  # a bound fact written without its bound
        ((350, "人", "余"), (350, "人", "近"), "no"),
        ((100, "人", "近"), (100, "人", None), "no"),
        ((95, "人", None), (100, "人", "近"), "no"),  # 近/约/不到 never for an exact fact
        ((100, "人", None), (100, "人", "近"), "no"),
        ((60, "人", None), (100, "人", "近"), "no"),
        ((2000, "人", None), (2000, "人", "约"), "no"),
        ((10, "次", None), (10, "次", "不到"), "no"),
        ((4, "次", None), (4, "场", None), "ok"),
        ((3, "名", None), (3, "人", None), "ok"),
        ((200000, "元", None), (20, "万元", None), "ok"),
        ((20, "万元", None), (200000, "元", None), "ok"),
        ((40, "%", None), (4, "成", None), "ok"),
    ],
)
def test_value_verdict(fact, claim, verdict):
    assert units_agree(fact[1], claim[1])
    assert value_verdict(*fact, *claim) == verdict
    assert value_supports(*fact, *claim) is (verdict != "no")


@pytest.mark.parametrize(("a", "b", "ok"), [("次", "场", True), ("人", "名", True), ("人", "人次", False),
                                            ("个", "支", True), ("篇", "条", True), ("次", "人", False),
                                            ("%", "％", True), ("个村", "个", True)])
def test_units_agree(a, b, ok):
    assert units_agree(a, b, "全镇12个村") is ok


@pytest.mark.parametrize(("fact", "claim", "drift"), [("期", "场", True), ("场次", "次", True), ("篇", "条", True),
                                                     ("次", "次", False), ("人", "名", False), ("个", "支", False)])
def test_unit_drift(fact, claim, drift):
    assert unit_drift(fact, claim) is drift


@pytest.mark.parametrize(("value", "step"), [(200, 100), (250, 10), (60000, 10000), (98.5, 0.1), (7, 1)])
def test_step(value, step):
    assert step_of(value) == pytest.approx(step)


FACTS = Facts(
    metrics=[
        Metric("党课", 31, "次"),
        Metric("中心组学习", 4, "次"),
        Metric("道德讲堂参加人员", 350, "人", "余", aliases=("参加人员",)),
        Metric("镇网站用稿", 31, "条"),
        Metric("县融媒体用稿", 1, "条"),
    ],
    events=[Event("举办群众文艺汇演", "2025-03")],
    highlights=["开通视频号，发布短视频120条"],
)


def match(text: str):
    claim = [c for c in extract_claims(text) if c.kind != "year"][-1]
    return match_claim_to_facts(claim, FACTS)


def test_mismatch_names_the_fact_even_when_another_fact_has_the_value():
    m = match("各支部书记讲党课4次。")
    assert m.status is MatchStatus.MISMATCH and m.fact.name == "党课"


def test_supported_by_its_own_fact():
    assert match("各支部书记讲党课31次。").status is MatchStatus.SUPPORTED
    assert match("开展道德讲堂，参加人员300多人。").status is MatchStatus.MISMATCH
    assert match("开展道德讲堂，参加人员350余人。").fact.name == "道德讲堂参加人员"


def test_swapped_values_are_told_apart_by_context():
    assert match("县融媒体采用稿件31条。").status is MatchStatus.MISMATCH
    assert match("镇网站采用稿件1条。").status is MatchStatus.MISMATCH
    assert match("镇网站采用稿件31条。").status is MatchStatus.SUPPORTED


def test_unsupported_when_no_fact_has_the_value():
    m = match("组织培训7期。")
    assert m.status is MatchStatus.UNSUPPORTED


def test_free_text_numbers_count_as_support():
    assert match("视频号发布短视频120条。").status is MatchStatus.SUPPORTED


def test_dates_need_an_event():
    assert match("3月，举办群众文艺汇演。").status is MatchStatus.SUPPORTED
    assert match("7月，召开专题会。").status is MatchStatus.UNSUPPORTED


def test_a_generic_fact_does_not_claim_a_more_specific_context():
    facts = Facts(metrics=[Metric("出席率", 96, "%", "以上"), Metric("党员学习强国参学", 93, "%")])
    claim = next(c for c in extract_claims("党员“学习强国”参学率达93%。") if c.is_metric)
    assert match_claim_to_facts(claim, facts).status is MatchStatus.SUPPORTED


def test_a_number_without_words_of_its_own_names_no_fact():
    facts = Facts(metrics=[Metric("方面", 5, "个"), Metric("任务", 21, "项")])
    claims = [c for c in extract_claims("围绕阵地管理等5个方面21项，明确牵头领导。") if c.is_metric]
    assert [match_claim_to_facts(c, facts).status for c in claims] == [MatchStatus.SUPPORTED] * 2


TIE_SCRIPT = """
from drafter.facts.model import Facts, Metric
from drafter.numbers import extract_claims, match_claim_to_facts
facts = Facts(metrics=[Metric("县级以上媒体用稿", 42, "篇"), Metric("市级以上媒体用稿", 9, "篇"),
                       Metric("党课", 25, "次")])
claim = next(c for c in extract_claims("在媒体用稿4篇。") if c.is_metric)
m = match_claim_to_facts(claim, facts)
print(m.status, m.fact.name if m.fact else None, repr(m.score))
"""


def test_tied_facts_come_out_the_same_whatever_the_hash_seed():
    # Scores sum weights over sets of n-grams; their order follows the string hash seed, so a plain
    # float sum could break a tie one way or the other from run to run. The first fact must win.
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", TIE_SCRIPT], capture_output=True, text=True, env=env,
                             check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1, outputs
    assert outputs.pop().startswith("unsupported 县级以上媒体用稿")


def test_the_fact_index_is_built_once_per_content_and_anew_after_an_edit():
    from drafter.numbers import fact_index

    facts = Facts(metrics=[Metric("党课", 12, "次")])
    claim = next(c for c in extract_claims("全年讲授党课15次。") if c.is_metric)
    assert fact_index(facts) is fact_index(Facts(metrics=[Metric("党课", 12, "次")]))
    assert match_claim_to_facts(claim, facts).status is MatchStatus.MISMATCH
    facts.metrics[0] = Metric("党课", 15, "次")  # an interactive session corrects the figure
    assert fact_index(facts).metrics == facts.metrics
    assert match_claim_to_facts(claim, facts).status is MatchStatus.SUPPORTED
