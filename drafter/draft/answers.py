"""What the user types in the interactive session, turned into facts: pure functions, no I/O.

The questions come from the corpus's metric names (中心组学习次数, 学习强国使用率 …); the name's suffix tells
the unit to expect (次数 → 次) and the shorter name the facts file keeps (中心组学习). Answers are written the
way the reports write them ("12", "12次", "200余", "98%以上", "近百"), so they are read with the same
claim extractor `drafter check` uses: a value typed here means in the facts what it means in the report.
"""

from dataclasses import dataclass

from drafter.facts.model import Metric
from drafter.numbers.claims import extract_claims
from drafter.numerals import parse_numeral, to_halfwidth_digits

# Longest suffix first. A rate keeps its whole name: "学习强国使用率 98%" reads right, "学习强国使用 98%" not.
_SUFFIX_UNITS: tuple[tuple[str, str, bool], ...] = (
    # (suffix, unit, strip the suffix from the name)
    ("稿件数", "篇", True),
    ("队伍数", "支", True),
    ("事项数", "项", True),
    ("人次数", "人次", True),
    ("场次", "场次", True),
    ("人次", "人次", True),
    ("次数", "次", True),
    ("篇数", "篇", True),
    ("条数", "条", True),
    ("人数", "人", True),
    ("份数", "份", True),
    ("块数", "块", True),
    ("册数", "册", True),
    ("天数", "天", True),
    ("起数", "起", True),
    ("占比", "%", False),
    ("率", "%", False),
    ("数", "个", True),
)
# Kept on the stripped name so it still says what is counted: 稿件数 → 稿件, 队伍数 → 队伍.
_KEEP = {"稿件数": "稿件", "队伍数": "队伍", "事项数": "事项"}
SKIP_WORDS = {"无", "没有", "跳过", "不填", "-", "—", "0"}
# Qualifiers written after the measure word: "98以上" means "98%以上".
_AFTER_QUALIFIERS = ("以上", "左右", "之多", "上下", "以下", "以内")
_NAME_TAIL = "达共计约为有"  # "公众号发布信息共" → 公众号发布信息
EXAMPLES = "例如 12、12次、200余、98%以上、近百"


class AnswerError(ValueError):
    """An answer that could not be read; the message is Chinese and says what to type instead."""


@dataclass(frozen=True)
class MetricQuestion:
    """One metric to ask about: the corpus name, the name saved in the facts, the unit to expect."""

    label: str  # 中心组学习次数: what the prompt shows
    name: str  # 中心组学习: what the facts file keeps
    unit: str  # 次


@dataclass(frozen=True)
class Value:
    value: float
    unit: str
    qualifier: str | None = None


def metric_question(label: str) -> MetricQuestion:
    """中心组学习次数 → (中心组学习, 次); 学习强国使用率 → (学习强国使用率, %); 农家书屋数 → (农家书屋, 个)."""
    for suffix, unit, strip in _SUFFIX_UNITS:
        if label.endswith(suffix) and len(label) > len(suffix):
            name = label[: -len(suffix)] + _KEEP.get(suffix, "") if strip else label
            return MetricQuestion(label, name, unit)
    return MetricQuestion(label, label, "个")


def _normalize(text: str) -> str:
    text = to_halfwidth_digits(text).replace("％", "%")
    return "".join(text.split()).rstrip("。．.；;，,")


def parse_value(text: str, unit: str | None) -> Value | None:
    """A typed value, or None when the user skipped it (Enter, 无, 跳过). ``unit`` is the expected measure
    word, added when the answer has none ("12" → 12次); None means the answer must carry its own."""
    s = _normalize(text)
    if not s or s in SKIP_WORDS:
        return None
    plain = parse_numeral(s)
    if plain is not None:  # "12", "十二", "1.5万", and "一", which the claim reader takes for an article
        if unit is None:
            raise AnswerError(f"“{text.strip()}”缺少单位。请写上单位，例如 3场、120人次。")
        return _checked(Value(plain, unit), text, unit)
    candidates = [s]
    if unit:
        candidates.append(s + unit)
        for q in _AFTER_QUALIFIERS:
            if s.endswith(q) and len(s) > len(q):
                candidates.append(s[: -len(q)] + unit + q)
    for candidate in candidates:
        claims = extract_claims(candidate)
        if len(claims) == 1 and claims[0].is_metric and claims[0].start == 0 and claims[0].end == len(candidate):
            c = claims[0]
            return _checked(Value(c.value, "%" if c.kind == "percent" else c.unit, c.qualifier), text, unit)
    raise AnswerError(f"没看懂“{text.strip()}”。请输入数字，{EXAMPLES}；不填就直接回车。")


def _checked(value: Value, text: str, expected: str | None = None) -> Value:
    """The facts file's own rules (a rate up to 100%, whole counts, a sane size), and an answer of the
    question's kind: "50%" is no answer to "how many times"."""
    from drafter.facts.validate import MAX_VALUE, PERCENT_LIMITS, WHOLE_KINDS
    from drafter.numbers.lexicon import measures

    shown = text.strip()
    if value.value == 0:
        raise AnswerError("数值为 0 的指标不必写进总结，直接回车跳过即可。")
    if value.value > MAX_VALUE:
        raise AnswerError(f"“{shown}”太大了，不像总结里的数字。请重新输入。")
    kinds = measures().kind
    if expected is not None and (value.unit in PERCENT_LIMITS) != (expected in PERCENT_LIMITS):
        if expected in PERCENT_LIMITS:
            raise AnswerError(f"这一项问的是比率，请输入百分数，例如 98% 或 98%以上（不是“{shown}”）。")
        raise AnswerError(f"这一项问的是数量（单位：{expected}），请输入数字，例如 12 或 12{expected}（不是百分数“{shown}”）。")
    limit = PERCENT_LIMITS.get(value.unit)
    if limit is not None and value.value > limit:
        raise AnswerError(f"百分比“{shown}”超过了 {limit:g}{value.unit}。请重新输入，例如 98%以上。")
    if kinds.get(value.unit) in WHOLE_KINDS and value.value != int(value.value):
        raise AnswerError(f"“{shown}”不是整数：以“{value.unit}”计的数量只能是整数。请重新输入，不确定时可写 200余。")
    return value


def parse_other_metric(text: str) -> tuple[str, Value] | None:
    """"文艺汇演 3 场" / "文艺汇演3场" / "网格员培训 120 人次" → (name, value); None for an empty line."""
    raw = text.strip()
    if not raw:
        return None
    tokens = raw.split()
    no_unit: AnswerError | None = None
    for k in range(1, len(tokens)):  # the longest value that parses: the name may contain spaces
        name = "".join(tokens[:k]).rstrip(_NAME_TAIL)
        try:
            value = parse_value("".join(tokens[k:]), None)
        except AnswerError as err:
            no_unit = err if "缺少单位" in str(err) else no_unit
            continue
        if value is not None and name:
            return name, value
    s = _normalize(raw)
    claims = [c for c in extract_claims(s) if c.is_metric and c.end == len(s)]
    if claims:
        c = claims[-1]
        name = s[: c.start].rstrip(_NAME_TAIL)
        if name:
            return name, _checked(Value(c.value, "%" if c.kind == "percent" else c.unit, c.qualifier), raw)
    if no_unit is not None:
        raise no_unit
    raise AnswerError(f"没看懂“{raw}”。请按“名称 数值 单位”输入，例如：文艺汇演 3 场、志愿者培训 120 人次；"
                      "直接回车结束。")


def free_line(text: str) -> str | None:
    """A problem, plan or highlight as the user typed it, without trailing punctuation; None ends the list."""
    line = text.strip().rstrip("。；;，, ")
    return line or None


def to_metric(name: str, value: Value, topic: str | None) -> Metric:
    """The fact a typed answer becomes; the topic pins it to the section it was asked in."""
    return Metric(name=name, value=value.value, unit=value.unit, qualifier=value.qualifier, topic=topic)


def show_value(metric: Metric) -> str:
    """How a saved answer is offered back as a default: "12次", "98%以上", "200余人"."""
    return metric.display()


def put_metric(metrics: list[Metric], metric: Metric) -> None:
    """Replace the metric of the same name in place (its line in the facts file keeps its place), or append."""
    for i, m in enumerate(metrics):
        if m.name == metric.name:
            metrics[i] = metric
            return
    metrics.append(metric)


def drop_metric(metrics: list[Metric], name: str) -> bool:
    """Remove the metric called ``name``; False when there was none."""
    for i, m in enumerate(metrics):
        if m.name == name:
            del metrics[i]
            return True
    return False
