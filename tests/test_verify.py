"""The draft gate (`verify.gate_findings`): invented figures are rejected whatever the values, and the gate's
rules exist. The oracle is the table below, not the gate itself."""

import pytest

from drafter.facts import parse_facts
from drafter.rules import all_rules
from drafter.verify import GATE_RULES, GATE_WARNINGS, gate_findings, gate_rules, stated_facts

# Fictional facts (松岭镇), written for these tests.
FACTS = parse_facts("""
unit: {name: 松岭镇, kind: 镇, county: 远山县}
period: {year: 2025, span: 全年}
metrics:
  - {name: 意识形态工作专题会议, value: 3, unit: 次, aliases: [专题会议]}
  - {name: 意识形态领域分析研判会, value: 4, unit: 次, aliases: [分析研判会]}
  - {name: 党课, value: 31, unit: 次, aliases: [讲党课]}
  - {name: 县级媒体采用稿件, value: 22, unit: 条}
  - {name: 县级以上媒体用稿, value: 42, unit: 篇, parts: [市级以上媒体用稿]}
  - {name: 市级以上媒体用稿, value: 9, unit: 篇}
  - {name: 道德讲堂, value: 8, unit: 期}
  - {name: 道德讲堂参加人员, value: 350, unit: 人, qualifier: 余, aliases: [参加人员]}
  - {name: 宣传干部培训, value: 60, unit: 人次}
  - {name: 志愿服务活动, value: 120, unit: 场}
  - {name: 学习强国党员参学率, value: 92, unit: "%", aliases: [参学率]}
  - {name: 宣传栏, value: 48, unit: 块}
  - {name: 上半年网络安全检查, value: 2, unit: 次, period: 上半年}
  - {name: 新建村级文化礼堂, value: 3, unit: 个, status: planned}
events:
  - {date: 2025-03, what: 举办群众文艺汇演}
""")

# Each passage invents or misplaces one figure; the gate must reject it (the rule it must name, too).
INVENTED = [
    ("全年在县级以上媒体刊播稿件22篇。", "number-mismatch"),  # 22 is only 县级媒体采用稿件; 县级以上 is 42
    ("全年在县级以上媒体用稿42篇，其中省级媒体22篇。", "unsupported-number"),  # 省级 is no fact
    ("在县级以上媒体用稿42篇，其中市级以上媒体9篇、县级媒体采用稿件22条、其他15条。", "number-part"),
    ("召开意识形态工作专题会议3次，其中分析研判会4次。", "number-part"),  # each value a fact; 4 > 3
    ("书记讲意识形态专题党课3次。", "number-mismatch"),  # 3 is the 专题会议 fact; 党课 is 31
    ("召开意识形态工作专题会议3次，党课较上年增加3次。", "unsupported-number"),  # a derived change
    ("全镇志愿服务覆盖率达92%。", "unsupported-number"),  # a rate no fact states
    ("开展各类活动120场。", "unsupported-number"),  # a vague label
    ("举办道德讲堂8期，参加人员350余人次。", "unsupported-number"),  # 人次 is not 人
    ("举办道德讲堂8场。", "number-unit"),  # the fact says 期
    ("举办道德讲堂8期，参加人员350人。", "number-qualifier"),  # the fact's 余 dropped
    ("开展志愿服务活动约120场。", "number-mismatch"),  # 约 before an exact fact
    ("上半年召开意识形态工作专题会议3次。", "number-period"),  # the fact is the whole year's
    ("全镇已建成村级文化礼堂3个。", "number-status"),  # planned, not built
    ("计划开展志愿服务活动120场。", "number-status"),  # done, not planned
    ("7月举办群众文艺汇演。", "unsupported-date"),  # the event is March's
    ("3月，镇党委书记带队到各村督导。", "unsupported-date"),  # March is the 文艺汇演's
    ("宣传栏更新率排名全县第2位。", "unsupported-number"),  # a rank
    ("党员干部参学率保持在92%。", "unsupported-number"),  # 干部 narrows the fact's 党员
    ("组织党员开展志愿服务活动37场。", "number-mismatch"),  # plainly invented
    ("组织开展文明创建评比5轮。", "unsupported-number"),  # no such fact at all
]


@pytest.mark.parametrize(("text", "rule"), INVENTED)
def test_invented_figures_are_rejected(text, rule):
    found = gate_findings(text, FACTS)
    assert rule in {f.rule for f in found}, [(f.rule, f.text) for f in found]


CLEAN = [
    "全年召开意识形态工作专题会议3次、意识形态领域分析研判会4次。",
    "全年在县级以上媒体用稿42篇，其中市级以上媒体用稿9篇。",
    "共召开两类会议7次，其中意识形态工作专题会议3次、分析研判会4次。",
    "意识形态工作专题会议、意识形态领域分析研判会分别为3次、4次。",
    "各支部书记为党员讲党课31次。",
    "举办道德讲堂八期，参加人员350多人。",
    "上半年开展网络安全检查2次。",
    "计划新建村级文化礼堂3个。",
    "3月，举办群众文艺汇演。",
    "学习强国党员参学率达92%。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_facts_written_right_pass_the_gate(text):
    assert gate_findings(text, FACTS) == []


def test_every_gate_rule_exists_and_the_gate_runs_them():
    rules = all_rules()
    assert set(rules) >= GATE_RULES
    assert GATE_WARNINGS <= GATE_RULES
    for rid in GATE_RULES:
        assert rules[rid].needs_facts or rid in ("placeholder", "residue", "gap", "foreign-place", "unit-kind",
                                                 "stale-year", "stale-term"), rid


def test_an_unknown_gate_rule_is_an_error_not_a_silent_skip(monkeypatch):
    import drafter.verify as verify

    monkeypatch.setattr(verify, "GATE_RULES", GATE_RULES | {"no-such-rule"})
    with pytest.raises(RuntimeError, match="no-such-rule"):
        gate_rules()


@pytest.mark.parametrize("rule", sorted({r for _, r in INVENTED}))
def test_each_number_rule_is_what_rejects_some_passage(monkeypatch, rule):
    # without the rule, at least one passage of the table would reach the user: the gate depends on it
    import drafter.verify as verify

    monkeypatch.setattr(verify, "GATE_RULES", GATE_RULES - {rule})
    assert any(gate_findings(t, FACTS) == [] for t, r in INVENTED if r == rule)


def test_stated_facts_counts_only_bound_figures():
    assert stated_facts("全年召开意识形态工作专题会议3次，讲党课31次。", FACTS) == {"意识形态工作专题会议", "党课"}
    assert stated_facts("书记讲意识形态专题党课3次。", FACTS) == set()
