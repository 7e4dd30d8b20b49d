"""Find the numbers a report claims: "党课25次", "出席率达98%以上", "参加人员200余人", "近百人", "7月".

A number is a claim when a measure word (or a percent sign) makes it count something; formulas (四个意识),
ordinals (第一), the article 一 (一支队伍), numbers in short quotations (“七个一律”) or titles (《…》), vague
numbers (数百人, 十几次) and idioms (千篇一律) are not. Years and month/day dates are returned as claims of
their own kinds, so rules can treat them apart.
"""

import heapq
import itertools
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from drafter import regexes
from drafter.numbers.context import attach_context
from drafter.numbers.lexicon import derived, formulaic_pattern, measures, qualifiers
from drafter.numerals import CHINESE_NUMERAL_CHARS, chinese_to_int, parse_numeral, to_halfwidth_digits

_CN = "零〇○一二两三四五六七八九十百千万亿"
_NUM = regexes.compile(rf"(?P<pct>百分之)?(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?[千万亿]?|[{_CN}]+(?:点[零〇一二三四五六七八九]+)?)")
_RANGE_SEP = "-—–~～至到"
_DAY = regexes.compile(r"(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})[日号]")
_QUOTE_MAX = 12  # a quoted slogan is short: “七个一律”; a long quotation may hold real claims
_TITLE_MAX = 80
_DIGIT_CHARS = "零〇○一二两三四五六七八九"
_PERCENT_UNITS = ("%", "％", "‰", "个百分点", "成")  # 四成 is a share: 40%
_RANK_LOOKBACK = 10
_RANK_UNITS = ("位", "名")


@dataclass(frozen=True)
class NumberClaim:
    """One number the text states, with its span, value, qualifier, unit and what it counts."""

    start: int  # the whole claim: "近" … "200余人" … "以上"
    end: int
    num_start: int  # the numeral alone
    num_end: int
    value: float
    unit: str  # measure word, "%" for percentages, "年" for years, "月" for dates
    qualifier: str | None = None  # canonical: 余 多 近 约 以上 超过 不到
    form: str = "arabic"  # "arabic" | "chinese"
    kind: str = "count"  # "count" | "percent" | "year" | "date"
    text: str = ""
    label: str = ""  # the noun phrase it counts: 党课, 中心组学习, 陇川网采用
    context: str = ""  # the clause around it (numbers in it excluded)
    wide: str = ""  # the sentence around it, for telling apart facts with similar names
    day: int | None = None  # for dates: 6月21日 → value 6, day 21
    year: int | None = None  # for dates written with their year: 2019年7月
    section: str | None = None  # heading of the report section it sits in, when known
    in_range: bool = False  # one end of "3-5次" / "500—1000平方米": its words name both ends alike
    label_after: bool = False  # the label is the noun after the number ("5个行政村"), its head first
    lead: str = ""  # the sentence before the claim: where period, status and part words that govern it sit
    tail: str = ""  # the sentence after the claim

    @property
    def is_metric(self) -> bool:
        """Counts and percentages: the claims a metric fact must support."""
        return self.kind in ("count", "percent")


def extract_claims(text: str, report=None) -> list[NumberClaim]:
    """Every number ``text`` claims, in order. With a parsed ``report``, each claim knows its section."""
    norm = to_halfwidth_digits(text)
    blocked = _blocked_spans(norm)
    claims: list[NumberClaim] = []
    pos = 0
    while True:
        m = _NUM.search(norm, pos)
        if m is None:
            break
        pos = m.end()
        claim = _claim_at(norm, m, blocked)
        if claim is None:
            continue
        claims.extend(claim)
        pos = max(pos, claim[-1].end)
    claims = _with_figure_words(norm, claims, blocked)
    claims = [replace(c, text=text[c.start : c.end]) for c in claims]
    claims = attach_context(text, claims)
    if report is not None:
        claims = _attach_sections(claims, report)
    return claims


def _claim_at(text: str, m: re.Match[str], blocked: list[tuple[int, int]]) -> list[NumberClaim] | None:
    raw = m.group("num")
    ns, ne = m.span("num")
    arabic = raw[0].isdigit()
    if _inside(blocked, ns):
        # ordinals are blocked as formulas (第一, 第3次), but a rank after 排名/位列 is a figure
        return _rank(text, ns, ne, raw) if text.endswith("第", 0, ns) else None
    if arabic and _glued_to_code(text, ns, ne):
        return None
    if not arabic and text.startswith("年", ne) and len(raw) == 4 and all(ch in _DIGIT_CHARS for ch in raw):
        value = chinese_to_int(raw)
        if value and 1900 <= value <= 2100:
            return [_make(text, ns, ne + 1, ns, ne, float(value), "年", None, raw, "year")]
    if not arabic and not _clean_chinese(raw):
        return None
    before = text[max(0, ns - 4) : ns]
    if before.endswith("第"):
        return _rank(text, ns, ne, raw)
    if text.startswith("分", ne) and re.search(r"\d[时点]$", before):
        return None  # 10时30分: a time of day
    q = qualifiers()
    if before.endswith(tuple(v for v in q.vague_before if len(v) > 1)) or (
            before.endswith(tuple(q.vague_before)) and raw[0] in "十百千万"):
        return None  # 数百人, 几十场, 若干次: no number to check
    value = parse_numeral(raw)
    if value is None:
        return None
    if m.group("pct"):
        after_pct = _after_measure(text, ne)
        return [_make(text, m.start(), after_pct[1], ns, ne, value, "%", after_pct[0], raw, "percent")]
    p = ne
    if p < len(text) and text[p] in q.vague_after:
        return None
    # years and dates come before measure words: 2019年, 7月, 6月21日
    dated = _year_or_date(text, m, value, arabic)
    if dated is not None:
        return dated
    between = None
    if p < len(text) and text[p] in q.between:
        between = q.between[text[p]]
        p += 1
    unit = _measure_at(text, p, arabic)
    if unit is None:
        return _range_head(text, m, value, arabic, blocked)
    end = p + len(unit)
    after_q, end = _after_measure(text, end)
    before_q, start = _before_qualifier(text, ns, raw)
    if not arabic and raw in "十百千万亿" and not (before_q or between) and raw != "十":
        return None  # 千部 (a typo of 干部), 万场 in a slogan: a bare 千/万 is a count only as 上千/近万
    if not arabic and raw == "一" and not (before_q or between) and unit != "成":
        return None  # the article: 一支队伍, 一项重点工作
    qualifier = between or after_q or before_q
    kind = "percent" if unit in _PERCENT_UNITS else "count"
    return [_make(text, start, end, ns, ne, value, unit, qualifier, raw, kind)]


def _with_figure_words(text: str, claims: list[NumberClaim], blocked: list[tuple[int, int]]) -> list[NumberClaim]:
    """"阅读量实现翻番": a word that is a derived figure by itself (×2) is a claim, in unit 倍."""
    pattern = derived().figure_pattern
    if pattern is None or pattern.search(text) is None:
        return claims
    taken = [(c.start, c.end) for c in claims]
    extra = []
    for m in pattern.finditer(text):
        s, e = m.span()
        if _inside(blocked, s) or any(a < e and s < b for a, b in taken):
            continue
        extra.append(NumberClaim(start=s, end=e, num_start=s, num_end=e, value=derived().figures[m.group(0)],
                                 unit="倍", form="chinese", kind="percent"))
    return sorted([*claims, *extra], key=lambda c: c.start) if extra else claims


def _rank(text: str, ns: int, ne: int, raw: str) -> list[NumberClaim] | None:
    """"排名全县第2位", "位列全市第三": a rank is a claim (a derived figure that needs its own fact); any other
    第N (第一责任人, 第二季度) is an ordinal."""
    head = text[max(0, ns - 1 - _RANK_LOOKBACK) : ns - 1]
    for ch in "，,。；;：:！!？?\n":
        head = head.rsplit(ch, 1)[-1]
    if not any(marker in head for marker in derived().rank_before):
        return None
    value = parse_numeral(raw)
    if value is None:
        return None
    unit = next((u for u in _RANK_UNITS if text.startswith(u, ne)), None)
    end = ne + (len(unit) if unit else 0)
    return [_make(text, ns - 1, end, ns, ne, value, unit or "名", None, raw, "count")]


def _make(text: str, start: int, end: int, ns: int, ne: int, value: float, unit: str,
          qualifier: str | None, raw: str, kind: str) -> NumberClaim:
    form = "arabic" if raw[0].isdigit() else "chinese"
    return NumberClaim(start=start, end=end, num_start=ns, num_end=ne, value=value, unit=unit,
                       qualifier=qualifier, form=form, kind=kind)


def _measure_at(text: str, p: int, arabic: bool) -> str | None:
    ms = measures()
    for word in ms.words:
        if text.startswith(word, p):
            if word == "分" and not arabic:
                return None  # 十分重视, 三分之一: only "98分" is a score
            rest = text[p + len(word) : p + len(word) + 4]
            if any(rest.startswith(block) for block in ms.not_followed_by.get(word, ())):
                return None
            return word
    return None


def _after_measure(text: str, end: int) -> tuple[str | None, int]:
    for word, canonical in sorted(qualifiers().after.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(word, end):
            return canonical, end + len(word)
    return None, end


def _before_qualifier(text: str, ns: int, raw: str) -> tuple[str | None, int]:
    q = qualifiers()
    for word in sorted(q.before, key=len, reverse=True):
        if text.endswith(word, 0, ns):
            if word == "上" and raw[0] not in "百千万":
                return None, ns  # 上千人, 上百次 — not "上3次"
            if word == "近" and text.endswith(("最近", "附近", "就近"), 0, ns):
                return None, ns
            canonical = q.before[word]
            return (canonical, ns - len(word)) if canonical else (None, ns)
    return None, ns


def _year_or_date(text: str, m: re.Match[str], value: float, arabic: bool) -> list[NumberClaim] | None:
    raw, (ns, ne) = m.group("num"), m.span("num")
    nxt = text[ne : ne + 1]
    if nxt == "年" and (len(raw) == 4 and (arabic or all(ch in _DIGIT_CHARS for ch in raw))):
        if 1900 <= value <= 2100:
            return [_make(text, ns, ne + 1, ns, ne, value, "年", None, raw, "year")]
        return None
    if nxt == "月" and value == int(value) and 1 <= value <= 12 and not text.endswith("个", 0, ns):
        if not arabic and raw not in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"):
            return None
        end = ne + 1
        day = None
        d = _DAY.match(text, end)
        if d:
            day_value = parse_numeral(d.group("day"))
            if day_value and 1 <= day_value <= 31:
                day, end = int(day_value), d.end()
        if text.startswith("份", end):
            end += 1
        year = None
        y = re.search(r"(\d{4})年$", text[max(0, ns - 5) : ns])
        if y:
            year = int(y.group(1))
        claim = _make(text, ns, end, ns, ne, value, "月", None, raw, "date")
        return [replace(claim, day=day, year=year)]
    return None


def _range_head(text: str, m: re.Match[str], value: float, arabic: bool,
                blocked: list[tuple[int, int]]) -> list[NumberClaim] | None:
    """"3-5次", "500—1000平方米": the first number takes the unit of the second."""
    ne = m.end("num")
    if ne >= len(text) or text[ne] not in _RANGE_SEP:
        return None
    second = _NUM.match(text, ne + 1)
    if second is None or second.group("pct"):
        return None
    tail = _claim_at(text, second, blocked)
    if not tail or tail[0].kind not in ("count", "percent"):
        return None
    head = _make(text, m.start("num"), ne, m.start("num"), ne, value, tail[0].unit, None, m.group("num"),
                 tail[0].kind)
    return [replace(head, in_range=True), replace(tail[0], in_range=True), *tail[1:]]


def _glued_to_code(text: str, ns: int, ne: int) -> bool:
    """G69, 5G, 4×100, 1+N, v2.0: a number glued to Latin letters or operators is a code, not a count."""
    prev = text[ns - 1] if ns else ""
    nxt = text[ne] if ne < len(text) else ""
    glued_before = bool(prev) and ((prev.isascii() and (prev.isalnum() or prev in ".+*/_")) or prev in "×＋")
    glued_after = bool(nxt) and ((nxt.isascii() and nxt.isalpha()) or nxt in "×+＋")
    return glued_before or glued_after


def _clean_chinese(raw: str) -> bool:
    """A positional numeral (十二, 一百零五, 两千) or one digit; not 三五 / 二三十 (vague) nor 七一 (a date)."""
    if "点" in raw:
        raw = raw.split("点")[0]
    if not raw or any(ch not in CHINESE_NUMERAL_CHARS for ch in raw):
        return False
    if len(raw) == 1:
        return True
    for a, b in itertools.pairwise(raw):
        if a in _DIGIT_CHARS and b in _DIGIT_CHARS and a not in "零〇○" and b not in "零〇○":
            return False
    return chinese_to_int(raw) is not None


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are never claims: formulas, short quotations, titles in 《》.

    Returned merged and sorted, so ``_inside`` can bisect: a scan of every span for every number made
    a long document quadratic (a 10 MB file has tens of thousands of formulas and quotations).
    """
    spans = [m.span() for m in formulaic_pattern().finditer(text)]
    for open_, close, limit in (("“", "”", _QUOTE_MAX), ("《", "》", _TITLE_MAX), ('"', '"', _QUOTE_MAX)):
        start = text.find(open_)
        while start >= 0:
            end = text.find(close, start + 1)
            if end < 0:
                break
            if end - start - 1 <= limit and "\n" not in text[start:end]:
                spans.append((start, end + 1))
            start = text.find(open_, end + 1)
    return _merge_spans(spans)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open spans sorted, with overlapping or touching ones joined: the same positions covered."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Is ``pos`` in one of the merged, sorted half-open ``spans``? Only the last span starting at or
    before ``pos`` can hold it."""
    i = bisect_right(spans, (pos, math.inf)) - 1
    return i >= 0 and pos < spans[i][1]


def _attach_sections(claims: list[NumberClaim], report) -> list[NumberClaim]:
    """Each claim gets the heading of the innermost section holding its start (bounds inclusive).

    walk() is pre-order, so the innermost containing section is the last one in walk order; with
    ties at a shared boundary the later section wins too. A sweep over claims in position order keeps
    the sections open at that position in a heap keyed by walk order, instead of scanning every
    section for every claim (which was quadratic on long documents). Sections that ended before the
    position are dropped lazily when they reach the top of the heap.
    """
    sections = sorted((s.start, -order, s.end, s.heading.text) for order, s in enumerate(report.walk()))
    open_: list[tuple[int, int, str]] = []  # (-walk order, end, heading): the latest section on top
    headings: list[str | None] = [None] * len(claims)
    next_section = 0
    for i in sorted(range(len(claims)), key=lambda i: claims[i].start):
        pos = claims[i].start
        while next_section < len(sections) and sections[next_section][0] <= pos:
            _, neg_order, end, text = sections[next_section]
            heapq.heappush(open_, (neg_order, end, text))
            next_section += 1
        while open_ and open_[0][1] < pos:  # ended before this claim, and so before every later one
            heapq.heappop(open_)
        headings[i] = open_[0][2] if open_ else None
    return [replace(c, section=h) if h else c for c, h in zip(claims, headings, strict=True)]
