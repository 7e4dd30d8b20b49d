"""Plan: the report type's outline from the corpus, adapted to the facts; each fact to one section."""

from drafter.draft.model import Plan, PlannedSection
from drafter.facts.model import Facts, Metric
from drafter.rewrite.missing import metric_topic, text_topic

PROBLEMS, PLANS = "存在问题", "下一步计划"
# Topics every report of the genre has even without facts (short qualitative paragraphs).
CORE_TOPICS = ("组织领导与责任制", "理论学习", "新闻宣传与舆论引导", "网络意识形态与舆情")
# Topics that are only worth a section when the facts speak of them.
SKIP_WITHOUT_FACTS = {"民族宗教与风险防控", "文化活动"}
# Where an item of a topic the report has no section for goes instead (a 文化节 in a report without a
# 文化活动 section belongs with 精神文明, not with 组织领导).
NEAR_TOPICS = {"文化活动": "精神文明与文明实践", "精神文明与文明实践": "文化活动", "阵地建设": "新闻宣传与舆论引导",
               "队伍建设": "组织领导与责任制", "民族宗教与风险防控": "组织领导与责任制"}
# Catch-all labels: their facts join the first section instead of making a section of their own.
MERGE_TOPICS = {"总体情况", "其他"}
DEFAULT_HEADINGS = {
    "组织领导与责任制": "压实工作责任，意识形态工作领导有力",
    "理论学习": "强化理论武装，思想根基不断夯实",
    "新闻宣传与舆论引导": "唱响主旋律，新闻宣传和舆论引导有力有效",
    "网络意识形态与舆情": "守好网络阵地，网络意识形态安全有效维护",
    "阵地建设": "管好用好阵地，宣传文化阵地更加稳固",
    "精神文明与文明实践": "培育文明新风，精神文明建设持续深化",
    "文化活动": "丰富文化供给，群众精神文化生活更加充实",
    "队伍建设": "加强队伍建设，工作基础更加扎实",
    PROBLEMS: "存在的问题和不足",
    PLANS: "下一步工作打算",
}


def plan_report(facts: Facts, report_type: str, store=None) -> Plan:
    from drafter.corpus.outline import typical_outline

    outline = typical_outline(report_type, store=store)
    by_topic: dict[str, list[Metric]] = {}
    for metric in facts.metrics:
        by_topic.setdefault(metric_topic(metric), []).append(metric)
    order = [item.topic for item in outline if item.topic not in (PROBLEMS, PLANS)]
    phrasing = {item.topic: item.headings for item in outline}
    for topic in (*CORE_TOPICS, *by_topic):  # topics the facts need but the outline lacks
        if topic not in order and topic not in (PROBLEMS, PLANS):
            # before 队伍建设 when the outline has it: the work sections come before the team
            at = order.index("队伍建设") if "队伍建设" in order else len(order)
            order.insert(at, topic)
    sections = []
    for topic in order:
        if topic in MERGE_TOPICS:
            continue
        metrics = by_topic.pop(topic, [])
        if not metrics and topic in SKIP_WITHOUT_FACTS:
            continue
        sections.append(PlannedSection(topic, _heading(topic, phrasing), metrics, qualitative=not metrics))
    _assign_free_text(sections, facts)
    if by_topic:  # facts whose topic found no section: the broadest section takes them
        leftovers = [m for ms in by_topic.values() for m in ms]
        sections[0].metrics.extend(leftovers)
        sections[0].qualitative = False
    sections.append(PlannedSection(PROBLEMS, DEFAULT_HEADINGS[PROBLEMS], free_items=list(facts.problems),
                                   qualitative=not facts.problems))
    sections.append(PlannedSection(PLANS, _plans_heading(facts), free_items=list(facts.plans),
                                   qualitative=not facts.plans))
    unit = facts.unit.name if facts.unit else ""
    return Plan(title=make_title(facts, unit, report_type), report_type=report_type, sections=sections)


def make_title(facts: Facts, unit: str, report_type: str) -> str:
    year = f"{facts.period.year}年" if facts.period.year else ""
    span = facts.period.span if facts.period.span and facts.period.span not in ("全年", "年度") else ""
    kind = report_type
    if span and kind.startswith("意识形态"):
        return f"{year}{unit}{span}{kind}"
    return f"{year}{unit}{span}{kind}"


def _heading(topic: str, phrasing: dict[str, list[str]]) -> str:
    """The corpus's most common phrasing for the topic when it reads like a heading, else ours."""
    for heading in phrasing.get(topic, []):
        if "，" in heading and 8 <= len(heading) <= 24 and not any(ch.isdigit() for ch in heading):
            return heading
    return DEFAULT_HEADINGS.get(topic, topic)


def _plans_heading(facts: Facts) -> str:
    return "下半年工作打算" if facts.period.span == "上半年" else DEFAULT_HEADINGS[PLANS]


def _assign_free_text(sections: list[PlannedSection], facts: Facts) -> None:
    """Highlights and dated events go, as sentences of the user's own words, to the section whose
    topic they speak of; what fits none is left for the first section."""
    by_topic = {s.topic: s for s in sections}
    items = [h.rstrip("。") + "。" for h in facts.highlights]
    items += [f"{e.month}月，{e.what.rstrip('。')}。" if e.month else e.what.rstrip("。") + "。" for e in facts.events]
    for item in items:
        topic = text_topic(item)
        target = by_topic.get(topic) or by_topic.get(NEAR_TOPICS.get(topic, ""), sections[0] if sections else None)
        if target is not None:
            target.free_items.append(item)
            target.qualitative = False
