"""`drafter.numbers.binds`: may a fact's figure stand at this number? Label heads, modifiers, derived markers,
periods and status; and totals with their parts (`drafter.numbers.parts`)."""

import pytest

from drafter.facts import parse_facts
from drafter.facts.model import Metric
from drafter.numbers import binds, extract_claims
from drafter.numbers.binding import claim_period, claim_planned
from drafter.numbers.parts import part_problems

FACTS = parse_facts("""
period: {year: 2025, span: 全年}
metrics:
  - {name: 县级以上媒体用稿, value: 42, unit: 篇}
""")


def at(text: str, number: str) -> tuple[str, int, int]:
    s = text.index(number)
    return text, s, s + len(number)


@pytest.mark.parametrize(
    ("metric", "text", "number", "ok"),
    [
        (Metric("党课", 31, "次"), "各支部书记讲党课31次。", "31", True),
        (Metric("党课", 31, "次"), "书记讲意识形态专题党课31次。", "31", True),  # 专题党课 is a 党课
        (Metric("意识形态工作专题会议", 3, "次"), "书记讲意识形态专题党课3次。", "3", False),
        (Metric("县级媒体采用稿件", 22, "条"), "其中省级媒体22篇。", "22", False),  # 省级
        (Metric("县级媒体采用稿件", 22, "条"), "全年在县级以上媒体刊播稿件22篇。", "22", False),  # 县级以上 ≠ 县级
        (Metric("县级以上媒体用稿", 42, "篇"), "全年在县级及以上媒体刊播稿件42篇。", "42", True),  # 及以上 = 以上
        (Metric("志愿服务活动", 120, "场"), "开展各类活动120场。", "120", False),  # vague
        (Metric("志愿服务活动", 120, "场"), "开展志愿服务活动120场。", "120", True),
        (Metric("党课", 3, "次"), "党课较上年增加3次。", "3", False),  # derived
        (Metric("注册志愿者", 5200, "人"), "注册志愿者从3100余人增长到5200人。", "5200", True),  # a level
        (Metric("党课", 31, "次"), "镇党委书记为党员讲党课31次。", "31", True),  # 党员 are who it is for
        (Metric("学习强国党员参学率", 92, "%"), "党员干部参学率保持在92%。", "92", False),
        (Metric("更新展板", 12, "块"), "全镇展板12块。", "12", True),  # a label that says less
        (Metric("宣传栏", 48, "块"), "撤除破损宣传牌48块。", "48", False),
        (Metric("道德讲堂参加人员", 350, "人"), "参加人员350人次。", "350", False),  # 人 ≠ 人次
        (Metric("道德讲堂", 8, "期"), "举办道德讲堂8场。", "8", True),  # near units agree (a warning)
        (Metric("网络安全检查", 2, "次"), "上半年开展网络安全检查2次。", "2", False),  # the fact is the year's
        (Metric("网络安全检查", 2, "次", period="上半年"), "上半年开展网络安全检查2次。", "2", True),
        (Metric("文化礼堂", 3, "个", status="planned"), "已建成文化礼堂3个。", "3", False),
        (Metric("文化礼堂", 3, "个", status="planned"), "计划新建文化礼堂3个。", "3", True),
        (Metric("文化礼堂", 3, "个"), "拟新建文化礼堂3个。", "3", False),
        (Metric("计划总结报告栏目", 2, "条"), "计划总结及报告2条。", "2", True),  # 计划 as a noun
    ],
)
def test_binds(metric, text, number, ok):
    assert binds(metric, *at(text, number), facts=FACTS) is ok


def test_binds_is_false_where_no_figure_is_written():
    assert binds(Metric("党课", 31, "次"), "各支部书记讲党课。", 0, 3) is False


def test_named_in_still_answers_the_loose_question():
    board = Metric("宣传栏", 48, "块")
    assert board.named_in("新建宣传栏") and not board.named_in("撤除破损宣传牌")


@pytest.mark.parametrize(
    ("text", "span"),
    [("上半年，召开专题会议2次。", "上半年"), ("前三季度共开展宣讲30场。", "前三季度"), ("下半年以来开展宣讲8场。", "下半年"),
     ("截至目前，开展宣讲8场。", None), ("全年开展宣讲30场。", None)],
)
def test_claim_period(text, span):
    (claim,) = [c for c in extract_claims(text) if c.is_metric]
    assert claim_period(claim) == span


@pytest.mark.parametrize(
    ("text", "planned"),
    [("拟建成文化礼堂3个。", True), ("将于年底建成文化礼堂3个。", True), ("将宣传栏48块全部更新。", None),
     ("已建成文化礼堂3个。", False), ("2026年，计划放映公益电影108场。", True), ("全年放映公益电影108场。", None)],
)
def test_claim_planned(text, planned):
    (claim,) = [c for c in extract_claims(text) if c.is_metric]
    assert claim_planned(claim, "全年", 2025) is planned


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("全年刊播稿件22篇，其中省级媒体22篇、市级媒体22篇。", ["22篇"]),  # the parts sum above the total
        ("在县级以上媒体发稿42篇，其中市级以上9篇。", []),
        ("全镇12个村中有15个建成文化广场。", ["15个"]),
        ("街道146名网格员中，有2300余人注册为志愿者。", ["2300余人"]),
        ("共召开会议7次，分别为专题会议3次、研判会4次。", []),
        ("共召开会议7次，分别为专题会议3次、研判会5次。", ["5次"]),
        ("召开专题会议3次，开展宣讲48场。", []),  # no part marker: two totals
    ],
)
def test_parts_within_totals(text, flagged):
    assert [p.text for p, _, _ in part_problems(extract_claims(text))] == flagged


def test_figures_after_fenbie_take_their_list_items():
    claims = [c for c in extract_claims("召开专题会议、分析研判会分别为3次、4次。") if c.is_metric]
    assert [c.label for c in claims] == ["专题会议", "分析研判会"]


def test_derived_words_and_ranks_are_claims():
    texts = [c.text for c in extract_claims("阅读量实现翻番，排名全县第2位，约占人口的一成，落实第一责任人。")]
    assert texts == ["翻番", "第2位", "一成"]


DECLARED = parse_facts("""
metrics:
  - {name: 县级以上媒体用稿, value: 42, unit: 篇, parts: [市级以上媒体用稿]}
  - {name: 市级以上媒体用稿, value: 9, unit: 篇, parts: [省级媒体用稿]}
  - {name: 省级媒体用稿, value: 3, unit: 篇}
  - {name: 公众号推送信息, value: 5, unit: 篇}
""")


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("在县级以上媒体用稿42篇，其中市级以上媒体用稿9篇、省级媒体用稿3篇。", []),  # parts of parts
        ("在县级以上媒体用稿42篇，其中公众号推送信息5篇。", ["5篇"]),  # not a declared part
    ],
)
def test_declared_parts(text, flagged):
    from drafter.numbers import match_claims

    matches = match_claims(extract_claims(text), DECLARED)
    bound = {m.claim.start: m.fact for m in matches if m.fact is not None and m.status == "supported"}
    found = part_problems([m.claim for m in matches], bound, DECLARED.metrics)
    assert [p.text for p, _, _ in found] == flagged
