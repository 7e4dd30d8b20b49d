"""Rule ``placeholder``: every unfilled slot form, and the Latin tokens that are not slots."""

import json

import pytest

from drafter.findings import Severity
from drafter.rules import CheckContext, all_rules
from drafter.rules.placeholder import find_placeholders
from drafter.source import SourceText
from tests.conftest import SHARED, seed_path


def run_rule(text: str):
    return all_rules()["placeholder"].func(CheckContext(source=SourceText("t.txt", text)))


def slots(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_placeholders(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xx镇召开专题会议", ["xx"]),
        ("XX县委宣传部", ["XX"]),
        ("20xx年工作总结", ["20xx"]),
        ("201x年以来", ["201x"]),
        ("20XX年上半年", ["20XX"]),
        ("20××年", ["20××"]),
        ("召开会议x次", ["x"]),
        ("出席率达x%以上", ["x"]),
        ("XXX书记讲党课", ["XXX"]),
        ("x月x日召开", ["x", "x"]),
        ("中共**县委办公室", ["**"]),
        ("20_年上半年", ["20_"]),
        ("_x镇在_、x政府领导下", ["_x", "_", "x"]),
        ("党_治国理政的新理念", ["_"]),
        ("Ⅹ月Ⅹ日，组织党员", ["Ⅹ", "Ⅹ"]),
        ("ⅹ月ⅹ日", ["ⅹ", "ⅹ"]),
        ("××镇党委", ["××"]),
        ("ＸＸ乡人民政府", ["ＸＸ"]),
        ("ｘｘ村", ["ｘｘ"]),
        ("某某同志", ["某某"]),
        ("○○村党支部", ["○○"]),
        ("〇〇社区", ["〇〇"]),
        ("□□镇", ["□□"]),
        ("组长：xxx", ["xxx"]),
        ("成员：xxx、xxx", ["xxx", "xxx"]),
        ("在《x日报》发表", ["x"]),
        ("《今日ⅹX》用稿ⅹ篇", ["ⅹX", "ⅹ"]),
        ("《XⅩ日报》", ["XⅩ"]),
        ("xx年以来，x乡", ["xx", "x"]),
        ("第X届X次党代会", ["X", "X"]),
        ("“XX”微信公众号", ["XX"]),
        ("×镇", ["×"]),
        ("*县", ["*"]),
        ("最美xx光荣榜", ["xx"]),
        ("【乡镇名称】召开", ["【乡镇名称】"]),
        ("共（填写具体数字）人", ["（填写具体数字）"]),
        ("{{年份}}年", ["{{年份}}"]),
        ("二〇XX年", ["XX"]),
        ("хх镇", ["хх"]),  # Cyrillic х from OCR
        ("推广XXAPP", ["XX"]),
        ("XX.X万人次", ["XX", "X"]),
        ("XX-XX村", ["XX", "XX"]),
        ("xxx（姓名）同志", ["xxx（姓名）"]),
    ],
)
def test_slots_are_found(text, expected):
    assert slots(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "充分利用学习强国APP组织学习",
        "利用移动网络app加强自身学习",
        "通过微信群、QQ群发布信息",
        "严禁使用U盘拷贝涉密文件",
        "G69银白高速公路征地拆迁",
        "卫生院新购X光机一台",
        "开展X射线检查",
        "举办4×100米接力赛",
        "分辨率1920×1080",
        "面积3x4米",
        "访问 http://www.example.gov.cn/xx/index.html 查看",
        "发送至 xx@163.com 邮箱",
        "使用Excel表格统计",
        "[bookmark: _GoBack]",
        "二〇〇九年",
        "二○○○年",
        "**一、加强组织领导**",
        "这是**需要特别强调的内容**。",
        "***",
        "________",
        "iPhone X手机",
        "型号X5",
        "第Ⅸ、Ⅹ、Ⅺ条",
        "X-ray检查",
        "XXL号服装",
        "Xbox游戏机",
        "某些方面",
        "某村党支部",
        "【经验做法】",
        "（一）加强领导",
        "党建TV、网络“大V”、统一分配IP地址",
    ],
)
def test_non_slots_are_left_alone(text):
    assert slots(text) == []


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("20xx年", "年份"),
        ("x月", "月份"),
        ("x日", "日期"),
        ("x%", "百分比"),
        ("召开会议x次", "数量"),
        ("x名", "数量"),
        ("xx镇", "单位名称或地名"),
        ("XX党委", "单位名称或地名"),
        ("组长：xxx", "人名"),
        ("XXX同志", "人名"),
        ("《x日报》", "媒体或平台名称"),
        ("xx届二中全会", "届次"),
        ("【乡镇名称】", "乡镇名称"),
    ],
)
def test_hint_names_what_to_fill(text, hint):
    found = find_placeholders(text)
    assert found and found[0].hint == hint


def test_finding_shape():
    text = "今年召开会议x次。"
    (f,) = run_rule(text)
    assert f.rule == "placeholder" and f.severity is Severity.ERROR
    assert text[f.start : f.end] == "x" and f.text == "x"
    assert f.suggestion is None and not f.safe_fix
    assert "数量" in f.message and "填写" in f.message


def test_clean_prose_has_no_slots():
    from tests.conftest import FIXTURES

    text = (FIXTURES / "check" / "clean.txt").read_text(encoding="utf-8")
    assert slots(text) == []


def test_seed_gold_recall_and_precision():
    """The hand-reviewed gold slots of the shared seeds (skips without ../shared)."""
    seed_path("000")
    gold_file = SHARED / "eval" / "placeholders.jsonl"
    if not gold_file.exists():
        pytest.skip("gold file not present")
    gold: dict[str, list[tuple[int, int]]] = {}
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            gold.setdefault(g["file"], []).append((g["start"], g["end"]))
    hit = total = false = predicted = 0
    for name, spans in gold.items():
        text = (SHARED / "seeds" / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        found = [(s.start, s.end) for s in find_placeholders(text)]
        predicted += len(found)
        total += len(spans)
        hit += sum(any(s < ge and gs < e for s, e in found) for gs, ge in spans)
        false += sum(not any(s < ge and gs < e for gs, ge in spans) for s, e in found)
    assert hit / total >= 0.99
    assert (predicted - false) / predicted >= 0.99
