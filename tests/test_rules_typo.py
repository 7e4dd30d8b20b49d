"""Rules ``typo`` and ``doubled-char``: known slips with context guards; reduplication left alone."""

import pytest

from drafter.check import apply_safe_fixes
from drafter.findings import Severity
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText


def run(rule_id: str, text: str):
    return all_rules()[rule_id].func(CheckContext(source=SourceText("t.txt", text)))


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("提高与论引导水平", "与论", "舆论"),
        ("掌握网络与情", "与情", "舆情"),
        ("网络典情信息的监控", "典情", "舆情"),
        ("提升了领导千部的理论水平", "千部", "干部"),
        ("党员、千部和群众", "千部", "干部"),
        ("宏扬社会主义核心价值观", "宏扬", "弘扬"),
        ("深入学习贯例十九大精神", "贯例", "贯彻"),
        ("提前介入，防患木然", "防患木然", "防患于未然"),
        ("组织了灯谜竟猜活动", "竟猜", "竞猜"),
        ("时间、人カ、物力", "カ", "力"),
        ("扩大对外宣传果道", "果道", "渠道"),
        ("《晚报》与《XX晩报》", "晩", "晚"),
        ("让青少年慬得遵纪守法", "慬得", "懂得"),
        ("传递正能星", "正能星", "正能量"),
        ("高度重视意形态工作", "意形态", "意识形态"),
        ("意识形态领城工作", "领城", "领域"),
        ("宏扬社会主议核心价值观", "社会主议", "社会主义"),
        ("周密布署", "布署", "部署"),
        ("再接再励", "再接再励", "再接再厉"),
    ],
)
def test_typos_are_corrected(text, wrong, right):
    findings = [f for f in run("typo", text) if f.text == wrong]
    assert len(findings) == 1
    f = findings[0]
    assert f.suggestion == right and f.safe_fix and f.severity is Severity.ERROR
    assert right in f.message
    fixed, _ = apply_safe_fixes(text, run("typo", text))
    assert right in fixed and wrong not in fixed


@pytest.mark.parametrize(
    "text",
    [
        "积极参与论坛讨论",
        "认真参与论证",
        "事实与论据相互印证",
        "参与情况纳入考核",
        "理论与情感相结合",
        "经典情歌演唱会",
        "农家书屋新增一千部图书",
        "上千部作品参评",
        "如果道路不畅",
        "引领城乡融合发展",
        "带领城管队员",
        "竟猜中了答案",
        "灯谜竞猜活动",
        "弘扬正能量，贯彻落实，舆论舆情",
        "ファイル",  # real Japanese text is not OCR
    ],
)
def test_legitimate_words_are_not_typos(text):
    assert run("typo", text) == []


@pytest.mark.parametrize(
    ("text", "doubled", "right", "safe"),
    [
        ("以加强乡村两级级党组织建设为主旨", "两级级", "两级", True),
        ("传承传承中华民族传统美德", "传承传承", "传承", True),
        ("党员领导领导干部", "领导领导", "领导", False),
        ("这是我们的的工作", "的的", "的", False),
        ("针对对群众合理的利益诉求", "对对", "对", False),
        ("认真落实落实各项制度", "落实落实", "落实", True),
    ],
)
def test_doubled_words_are_found(text, doubled, right, safe):
    (f,) = run("doubled-char", text)
    assert f.text == doubled and f.suggestion == right and f.safe_fix is safe
    assert f.severity is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        "常常深入基层，天天学习，人人参与",
        "层层传导压力，级级明确责任",
        "处处严、时时讲、事事抓",
        "一一对应，渐渐形成，纷纷响应，久久为功，刚刚起步，年年评比",
        "谢谢大家",
        "组织学习习近平新时代中国特色社会主义思想",
        "乡党委委员、纪委书记",
        "领导小组组长",
        "以提高质量为目的的考核",
        "的的确确",
        "为了了解群众需求",
        "不了了之",
        "针对对象不同分类施策",
        "可以以此为契机",
        "明确方向向前推进",
        "研究研究再定",
        "一个一个落实",
        "同时按时按质按量完成",
        "组织党员学习学习强国平台文章",
        "2025年年底前完成",
        "村村通广播，家家户户",
        "扎扎实实，认认真真",
        "派出所所长、研究所所长",
        "应对对策，面对对手",
    ],
)
def test_reduplication_is_not_doubling(text):
    assert run("doubled-char", text) == []


def test_dictionary_lookups_from_the_cache_agree_with_reading_the_file():
    """The cached first-character table answers as a scan of jieba's dict.txt does."""
    import importlib.util
    from pathlib import Path

    from drafter.rules import typo

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.origin:
        pytest.skip("jieba is not installed")
    lines = (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8").splitlines()
    words = {line.split(" ", 1)[0] for line in lines}
    # words, and the beginnings of words that are no words themselves (found inside a longer one)
    prefixes = {w[:-1] for w in sorted(words)[::2000] if len(w) >= 3} - words
    probes = {*sorted(words)[::5000], *prefixes, "传承", "意识形态", "时按", "按时按", "青石镇青石", "x"}
    typo._WORDS.clear()
    typo._dictionary_by_first.cache_clear()
    assert typo._dictionary_words(probes) == probes & words  # built and cached
    typo._WORDS.clear()
    typo._dictionary_by_first.cache_clear()
    assert typo._dictionary_words(probes) == probes & words  # read back from the user cache
