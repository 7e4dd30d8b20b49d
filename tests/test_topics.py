"""Topic labels, report types and periods, and what the corpus learns about outlines and metrics."""

from pathlib import Path

import pytest
import yaml

from drafter.clean import clean_text
from drafter.corpus import ingest_paths, topic_metrics, topic_names, typical_outline
from drafter.corpus.report_type import classify
from drafter.corpus.store import CorpusStore
from drafter.corpus.topics import label_report
from drafter.exceptions import UsageError
from drafter.parse import parse_report
from tests.conftest import FIXTURES, seed_path

LABELS = Path(__file__).resolve().parent / "eval" / "topic_labels_seeds.yaml"


def test_taxonomy_holds_the_genres_topics():
    names = topic_names()
    for name in ("组织领导与责任制", "理论学习", "新闻宣传与舆论引导", "网络意识形态与舆情", "阵地建设",
                 "精神文明与文明实践", "文化活动", "队伍建设", "存在问题", "下一步计划"):
        assert name in names
    assert names[-1] == "其他"


@pytest.mark.parametrize(
    ("heading", "body", "topic"),
    [
        ("一、压实主体责任", "镇党委召开专题会议研究意识形态工作3次，签订责任书9份。", "组织领导与责任制"),
        ("二、强化理论武装", "开展中心组集体学习12次，讲党课20次。", "理论学习"),
        ("三、唱响主旋律", "在市级媒体刊发稿件30篇，公众号推送信息150条。", "新闻宣传与舆论引导"),
        ("四、守好网络阵地", "建立网评员队伍，处置网络舆情4起。", "网络意识形态与舆情"),
        ("五、管好宣传阵地", "更新宣传栏内容40期，农家书屋新增图书500册。", "阵地建设"),
        ("六、培育文明乡风", "开展志愿服务活动60次，评选文明家庭20户。", "精神文明与文明实践"),
        ("七、丰富群众文化生活", "举办文艺汇演3场，组建文艺队8支。", "文化活动"),
        ("八、加强宣传队伍建设", "举办宣传员业务培训2期。", "队伍建设"),
        ("九、存在的问题", "宣传形式单一，阵地作用发挥不够。", "存在问题"),
        ("十、下一步工作打算", "持续抓好理论学习，加强阵地管理。", "下一步计划"),
        ("十一、其他事项", "完成上级交办的工作。", "其他"),
    ],
)
def test_section_topics(heading, body, topic):
    report = label_report(parse_report(f"标题\n开头：\n{heading}\n{body}\n"))
    assert report.sections[0].topic == topic


def test_items_of_problems_and_plans_keep_the_role_and_take_their_own_subject():
    text = ("标题\n开头：\n一、下一步工作打算\n（一）持续抓好中心组学习。\n（二）加强网络舆情处置。\n（三）抓好各项工作。\n"
            "二、存在的不足\n（一）宣传栏更新不及时。\n三、抓实宣传阵地\n（一）存在的问题\n")
    report = label_report(parse_report(text))
    assert [(s.topic, s.role) for s in report.walk()] == [
        ("下一步计划", "下一步计划"), ("理论学习", "下一步计划"), ("网络意识形态与舆情", "下一步计划"),
        ("下一步计划", "下一步计划"),  # no subject of its own: the parent's topic
        ("存在问题", "存在问题"), ("阵地建设", "存在问题"),
        ("阵地建设", "工作情况"), ("存在问题", "存在问题"),  # a problem list inside a work section
    ]


def test_role_names():
    from drafter.corpus.topics import role_names

    assert role_names() == ["工作情况", "存在问题", "下一步计划"]


def test_a_parent_without_prose_takes_its_childrens_subject():
    text = "标题\n开头：\n二、狠抓各项工作\n（一）中心组学习。集体学习10次。\n（二）党课。讲党课12次。\n"
    report = label_report(parse_report(text))
    assert report.sections[0].topic == "理论学习"


@pytest.mark.parametrize(
    ("title", "opening", "rtype", "period", "year"),
    [
        ("2025年青石镇意识形态工作总结", "", "意识形态工作总结", "年度", 2025),
        ("青石镇2025年上半年意识形态工作总结", "", "意识形态工作总结", "上半年", 2025),
        ("关于2024年落实意识形态工作责任制情况的报告", "", "意识形态工作责任制落实情况报告", "年度", 2024),
        ("白沙乡2024年宣传思想文化工作总结", "", "宣传思想文化工作总结", "年度", 2024),
        ("青石镇网络意识形态工作自查报告", "2025年以来，我镇……", "网络意识形态工作自查报告", "年度", 2025),
        ("青石镇2023年新时代文明实践工作总结", "", "新时代文明实践工作总结", "年度", 2023),
        ("青石镇2024年第三季度意识形态工作总结", "", "意识形态工作总结", "第三季度", 2024),
        ("乡镇意识形态上半年工作总结", "20xx年上半年，我镇……", "意识形态工作总结", "上半年", None),
        ("工作汇报", "今年以来，我镇意识形态工作……", "意识形态工作总结", "年度", None),
    ],
)
def test_report_type_period_year(title, opening, rtype, period, year):
    kind = classify(title, opening)
    assert (kind.type, kind.period, kind.year) == (rtype, period, year)


@pytest.fixture
def small_store(tmp_path):
    with CorpusStore(tmp_path / "c.sqlite3") as s:
        ingest_paths(s, [FIXTURES / "corpus"])
        yield s


def test_typical_outline_orders_topics_as_reports_do(small_store):
    items = typical_outline(store=small_store)
    topics = [i.topic for i in items]
    assert topics.index("组织领导与责任制") < topics.index("存在问题")
    first = items[0]
    assert first.topic == "组织领导与责任制" and first.share == 1.0
    assert "落实主体责任，工作格局更加完善" in first.headings


def test_typical_outline_of_a_rare_type_falls_back_to_all_reports(small_store):
    assert typical_outline("精神文明建设工作总结", store=small_store) == typical_outline(store=small_store)


def test_topic_metrics_come_from_numbers_in_sections(small_store):
    metrics = topic_metrics("理论学习", store=small_store)
    assert metrics[:1] == ["中心组学习次数"]
    assert {"党课次数", "理论宣讲场次", "专题研讨次数"} <= set(metrics)
    assert "学习强国使用率" not in metrics  # no section of this corpus gives a number for it
    assert "学习强国使用率" in topic_metrics("理论学习", store=small_store, include_unseen=True)
    assert topic_metrics("存在问题", store=small_store) == []
    with pytest.raises(UsageError):
        topic_metrics("不存在的主题", store=small_store)


def _seed_sections(prefix: str):
    report = label_report(parse_report(clean_text(seed_path(prefix).read_text(encoding="utf-8")).text))

    def walk(sections, prefix_path=""):
        for s in sections:
            path = prefix_path + s.heading.marker
            yield path, s
            yield from walk(s.children, path + "/")

    return list(walk(report.sections))


def test_labels_agree_with_hand_labels_on_seeds():
    hand = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    pairs = [(hand[p][path], s.topic) for p in ("000", "003") for path, s in _seed_sections(p)]
    assert len(pairs) == sum(len(v) for v in hand.values())  # every section has a hand label
    agreement = sum(a == b for a, b in pairs) / len(pairs)
    assert agreement >= 0.9, agreement


def test_analyse_report_sets_topics_and_meta():
    from drafter.corpus import analyse_report

    report = analyse_report((FIXTURES / "corpus" / "qingshi-2025.md").read_text(encoding="utf-8"))
    assert report.meta == {"type": "意识形态工作总结", "period": "年度", "year": 2025}
    assert report.sections[1].topic == "理论学习"
