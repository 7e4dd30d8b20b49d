"""Trace a claim to the user's facts: supported, a mismatch with the fact its context names, or unsupported.

Context matching compares the words around a number with each fact's name (and aliases) as character
unigrams and bigrams, after folding synonyms (会议 → 会, 微信公众号 → 公众号) and dropping stopwords.
N-grams shared by many fact names weigh less (an inverse document frequency over the facts), so "陇川网"
and "陇川组工" are told apart by what differs, not by the 陇川 they share. The score is mostly how much
of the name the number's own clause contains, partly how much of the sentence does, and a little how
much of the clause's label the name explains.
"""

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from drafter import regexes
from drafter.facts.model import Event, Facts, Metric, name_covered
from drafter.numbers.binding import label_binds, label_problem
from drafter.numbers.claims import NumberClaim, extract_claims
from drafter.numbers.lexicon import fold
from drafter.numbers.lexicon import parts as part_markers
from drafter.numbers.values import base_unit, units_agree, value_supports
from drafter.numerals import int_to_chinese

# A fact counts as named by the context from this score on (0..1) ...
STRONG = 0.55
# ... or from this lower score when it scores at least DOMINANCE times any other fact ...
WEAK, DOMINANCE = 0.35, 2.0
# ... and a fact with the claimed value is preferred unless it scores this much less than the named one.
MARGIN = 0.12
# ... and explains no less of the claim's label than that fact (within this slack).
PRECISION_SLACK = 0.1
LOCAL_WEIGHT, WIDE_WEIGHT, PRECISION_WEIGHT = 0.6, 0.25, 0.15
SECTION_BONUS = 0.1


class MatchStatus(StrEnum):
    SUPPORTED = "supported"
    MISMATCH = "mismatch"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class ClaimMatch:
    claim: NumberClaim
    status: MatchStatus
    fact: Metric | None = None  # supporting fact; for a mismatch, the fact the context names
    score: float = 0.0
    via: str = "metric"  # "metric" | "free-text" | "event" | "sum" | "nearest" (unsupported, the closest fact)
    event: Event | None = None
    reason: str | None = None  # unsupported: why the closest fact with the claimed value does not bind
    parts: tuple[Metric, ...] = ()  # via "sum": the facts the stated total adds up


normalize = fold  # the matcher's name for it


def grams(text: str) -> set[str]:
    return set(text) | _pairs(text)


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class FactIndex:
    """Facts prepared for matching: normalized names, n-gram weights, numbers found in free text."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.metrics = list(facts.metrics)
        # a name "志愿服务·参加人员" is context "志愿服务" for the sentence and core "参加人员" for the clause;
        # a trailing "（2）" only keeps names apart (both are how `facts extract` disambiguates labels)
        self.name_grams = [[_name_grams(n) for n in m.names] for m in self.metrics]
        df: Counter[str] = Counter()
        for per_metric in self.name_grams:
            df.update(set().union(*(full for _, full in per_metric)) if per_metric else set())
        n = len(self.metrics)
        # a gram's weight, bigrams doubled; a gram no fact name has gets the rarest weight
        self.weight = {g: math.log(1 + (n + 1) / (c + 0.5)) * (2.0 if len(g) == 2 else 1.0) for g, c in df.items()}
        self.default_weight = math.log(1 + (n + 1) / 0.5)
        # every claim is scored against every name: the names' own weight sums once, here
        self.name_totals = [[(self.weight_sum(core), self.weight_sum(full)) for core, full in per_metric]
                            for per_metric in self.name_grams]
        self._section_bonus: dict[tuple[str, str], float] = {}
        self.free: list[tuple[Metric, set[str]]] = []
        for text in facts.free_texts():
            for c in extract_claims(text):
                if c.is_metric:
                    pseudo = Metric(name=text, value=c.value, unit=c.unit, qualifier=c.qualifier)
                    self.free.append((pseudo, grams(normalize(text))))
        self.free_text = "\n".join(facts.free_texts())

    def weight_sum(self, grams_: set[str]) -> float:
        # fsum: exact whatever the order; a plain sum over a set depends on the string hash seed, and
        # facts that tie (市级… / 县级…媒体用稿) then came out in a different order from run to run
        weight, default = self.weight, self.default_weight
        return math.fsum(weight[g] if g in weight else default * (2.0 if len(g) == 2 else 1.0) for g in grams_)

    def coverage(self, name: set[str], ctx: set[str], total: float | None = None) -> float:
        """How much of ``name``'s weight ``ctx`` has (``total``: ``name``'s own, when known)."""
        total = self.weight_sum(name) if total is None else total
        return self.weight_sum(name & ctx) / total if total else 0.0

    def score(self, metric_index: int, claim: NumberClaim, local: set[str], wide: set[str],
              label: set[str], label_total: float, section_text: str | None) -> tuple[float, float]:
        """(score, precision): how well the context names the fact, and how much of the label the name explains."""
        best, best_precision = 0.0, 0.0
        for (core, full), (core_total, full_total) in zip(self.name_grams[metric_index],
                                                          self.name_totals[metric_index], strict=True):
            precision = self.coverage(label, core, label_total)
            s = (LOCAL_WEIGHT * self.coverage(core, local, core_total)
                 + WIDE_WEIGHT * self.coverage(full, wide, full_total) + PRECISION_WEIGHT * precision)
            if s > best:
                best, best_precision = s, precision
        if section_text and claim.section:
            key = (section_text, claim.section)
            bonus = self._section_bonus.get(key)
            if bonus is None:
                bonus = self._section_bonus[key] = self.coverage(grams(normalize(section_text)),
                                                                 grams(normalize(claim.section)))
            best += SECTION_BONUS * bonus
        return best, best_precision


_INDEXES: dict[str, FactIndex] = {}
_MAX_INDEXES = 8


def fact_index(facts: Facts) -> FactIndex:
    """The index of ``facts``, built once per content: an offline draft checks the same facts a few hundred
    times (every borrowed passage, every section), and building the index is most of a small check. Keyed
    by the facts' repr (every field), so facts edited in between (an interactive session) get a new one."""
    key = repr(facts)
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.clear()
        index = _INDEXES[key] = FactIndex(facts)
    return index


_SUFFIX = regexes.compile(r"[（(]\d+[）)]$")


def _name_grams(name: str) -> tuple[set[str], set[str]]:
    """(core, full) n-grams of a fact name: core without a "context·" prefix or a "（2）" suffix."""
    name = _SUFFIX.sub("", name.strip())
    core = name.rsplit("·", 1)[-1] if "·" in name else name
    return grams(normalize(core)), grams(normalize(name))


def match_claim_to_facts(claim: NumberClaim, facts: Facts | FactIndex) -> ClaimMatch:
    """Is ``claim`` supported by the facts? Dates look at events and free text; counts at metrics."""
    index = facts if isinstance(facts, FactIndex) else fact_index(facts)
    if claim.kind == "date":
        return _match_date(claim, index)
    if claim.kind == "year":
        return ClaimMatch(claim, MatchStatus.SUPPORTED, via="year")  # years: the stale-year rule's job
    local = grams(normalize(f"{claim.context} {claim.label}"))
    wide = grams(normalize(claim.wide)) | local
    label = grams(normalize(claim.label))
    label_total = index.weight_sum(label)
    scored: list[tuple[float, Metric, bool, float]] = []
    for i, metric in enumerate(index.metrics):
        if not units_agree(metric.unit, claim.unit, claim.context + claim.label):
            continue
        s, precision = index.score(i, claim, local, wide, label, label_total, metric.section)
        ok = value_supports(metric.value, metric.unit, metric.qualifier, claim.value, claim.unit, claim.qualifier)
        scored.append((s, metric, ok, precision))
    scored.sort(key=lambda t: -t[0])
    best_any = scored[0] if scored else None
    # a fact with the claimed value supports it only when the claim's own label names that fact
    reason = None
    supporters = []
    for t in scored:
        if not t[2]:
            continue
        problem = label_problem(t[1], claim)
        if problem is None:
            supporters.append(t)
        elif reason is None:
            reason = problem
    best_sup = supporters[0] if supporters else None
    if best_sup is None:
        total = _sum_of_facts(claim, index)
        if total:  # "共开展中心组学习和专题会议8次" = 6 + 2, though its words name 中心组学习 (6)
            return ClaimMatch(claim, MatchStatus.SUPPORTED, None, via="sum", parts=total)
        if _counts_listed_kinds(claim):
            return ClaimMatch(claim, MatchStatus.SUPPORTED, None, via="kinds")
    blocked = next((t for t in scored if t[2] and t not in supporters), None)
    # a fact with the very value that the label narrows away ("党员干部参学率" against 党员参学率) explains the
    # figure better than a fact it merely names by a synonym: say why that fact does not bind
    blocked_first = blocked is not None and best_any is not None and blocked[0] >= best_any[0] - MARGIN
    if best_any is not None and not best_any[2] and not blocked_first and _names_fact(claim, scored, best_sup) \
            and label_binds(best_any[1], claim):
        return ClaimMatch(claim, MatchStatus.MISMATCH, best_any[1], best_any[0])
    if best_sup is not None:
        return ClaimMatch(claim, MatchStatus.SUPPORTED, best_sup[1], best_sup[0])
    head = normalize(claim.label)[-2:]
    for pseudo, _ in index.free:
        if head and head not in normalize(pseudo.name):
            continue  # a highlight's 11个实践站 is no 11个文化礼堂
        if units_agree(pseudo.unit, claim.unit, claim.context) and value_supports(
                pseudo.value, pseudo.unit, pseudo.qualifier, claim.value, claim.unit, claim.qualifier):
            return ClaimMatch(claim, MatchStatus.SUPPORTED, pseudo, via="free-text")
    nearest = best_any[1] if best_any is not None and best_any[0] >= STRONG / 2 else None
    if reason is not None:
        nearest = next(t[1] for t in scored if t[2] and label_problem(t[1], claim) == reason)
    return ClaimMatch(claim, MatchStatus.UNSUPPORTED, nearest, best_any[0] if best_any else 0.0, via="nearest",
                      reason=reason)


def _counts_listed_kinds(claim: NumberClaim) -> bool:
    """"共召开两类会议6次，其中专题会议4次、联席会议2次": 两类 counts the parts the sentence lists."""
    lex = part_markers()
    if claim.unit not in lex.kind_units or claim.kind != "count":
        return False
    clause = claim.tail
    for ch in "，,；;。":
        clause = clause.split(ch, 1)[0]
    if not any(c.is_metric for c in extract_claims(clause)):
        return False  # no figure of its own kinds: 3类 alone is a count to check
    at = max((claim.tail.find(w) for w in lex.markers), default=-1)
    if at < 0:
        return False
    listed = [c for c in extract_claims(claim.tail[at:]) if c.is_metric]
    return len(listed) == int(claim.value)


SUM_MAX_FACTS = 12  # candidates for a stated total; beyond this the sum search is skipped
SUM_MAX_TERMS = 4


def _sum_of_facts(claim: NumberClaim, index: FactIndex) -> tuple[Metric, ...]:
    """"共召开两类会议7次" = 专题会议 3 + 研判会 4: exact facts the label names whose values add up to the claim."""
    if claim.in_range or claim.qualifier or claim.kind != "count":
        return ()
    clause = claim.context
    own = claim.lead
    for ch in "，,；;：:":
        own = own.rsplit(ch, 1)[-1]  # 共召开两类会议6次: the 共 sits before the kinds' own figure
    if not any(w in clause or w in own for w in part_markers().sum_markers):
        return ()
    label = normalize(claim.label or claim.context)  # 两类会议6次: 会议 is the kinds' noun, and the total's
    head = label[-1:] if label else ""
    folded = normalize(clause)

    def named(m: Metric) -> bool:  # by the clause ("送戏下乡演出和公益电影放映共") or the label's head (两类会议)
        return any(name_covered(normalize(n), folded) or (head and head in normalize(n)) for n in m.names)

    pool = [m for m in index.metrics if not m.qualifier and named(m) and units_agree(m.unit, claim.unit, clause)
            and base_unit(m.unit)[0] == base_unit(claim.unit)[0]]
    if not 2 <= len(pool) <= SUM_MAX_FACTS:
        return ()
    target = claim.value * base_unit(claim.unit)[1]
    for k in range(2, min(SUM_MAX_TERMS, len(pool)) + 1):
        for combo in itertools.combinations(pool, k):
            if math.isclose(math.fsum(m.value * base_unit(m.unit)[1] for m in combo), target, abs_tol=1e-9):
                return combo
    return ()


def _names_fact(claim: NumberClaim, scored: list[tuple[float, Metric, bool, float]],
                best_sup: tuple[float, Metric, bool, float] | None) -> bool:
    """Does the claim's context name the best-scoring fact rather than any fact that has its value?

    It must name it clearly (or clearly more than any other fact), beat every supporting fact by MARGIN,
    and explain at least as much of the claim's label: "“学习强国”参学率93%" does not name a generic
    出席率 when a fact about 学习强国 has 93. A claim with no words of its own ("5个方面21项": 21项) and
    the ends of a range name nothing.
    """
    if claim.in_range or not claim.label:
        return False
    best, _, _, precision = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    if not (best >= STRONG or (best >= WEAK and best >= DOMINANCE * second)):
        return False
    if best_sup is None:
        return True
    return best_sup[0] < best - MARGIN and precision >= best_sup[3] - PRECISION_SLACK


def match_claims(claims: list[NumberClaim], facts: Facts) -> list[ClaimMatch]:
    index = fact_index(facts)
    return [match_claim_to_facts(c, index) for c in claims]


# A date is the event's only when its sentence tells that event: this many character pairs of the event's
# words in common. "9月中旬，镇党委书记带队督导" is not the user's September 丰收节, though the month is.
EVENT_SHARED_PAIRS = 2


_DATE = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份|初|上旬|中旬|下旬|底|末)?(?:\d{1,2}[日号])?"
_NEXT_DATE = regexes.compile(_DATE)
_QUOTED = regexes.compile(r"“[^”]*”|《[^》]*》")
_DATE_LIST = regexes.compile(rf"^(?:(?:份|初|上旬|中旬|下旬|底|末)?(?:\d{{1,2}}[日号])?[、和及至到—-]{_DATE})*")  # 7月、8月、11月份


def event_clause(claim: NumberClaim) -> str:
    """The words that tell what happened at a date: its own clause before it and the sentence after it up to
    the next date. "3月举办文艺汇演，7月开展督导": 7月 is the 督导's, not the 汇演's."""
    lead = claim.lead
    for ch in "，,；;：:":
        lead = lead.rsplit(ch, 1)[-1]
    tail = claim.tail
    tail = tail[_DATE_LIST.match(tail).end() :]
    # a month inside a quotation names something (“壮族三月三”), it tells no new event
    unquoted = _QUOTED.sub(lambda m: "＿" * len(m.group(0)), tail)
    nxt = _NEXT_DATE.search(unquoted)
    if nxt is not None:
        tail = tail[: nxt.start()]
    return lead + tail


def _match_date(claim: NumberClaim, index: FactIndex) -> ClaimMatch:
    month, day = int(claim.value), claim.day
    told = event_clause(claim) if (claim.lead or claim.tail) else (claim.wide or claim.context)
    sentence = _pairs(normalize(told))
    for event in index.facts.events:
        if event.month != month:
            continue
        if day is not None and event.day is not None and event.day != day:
            continue
        if claim.year is not None and event.year is not None and event.year != claim.year:
            continue
        if len(_pairs(normalize(event.what)) & sentence) < EVENT_SHARED_PAIRS:
            continue
        return ClaimMatch(claim, MatchStatus.SUPPORTED, via="event", event=event)
    forms = {f"{month}月", f"{int_to_chinese(month)}月"}
    for free in index.facts.free_texts():
        if not any(f in free for f in forms) or (day is not None and f"{day}日" not in free and f"{day}号" not in free):
            continue
        if len(_pairs(normalize(free)) & sentence) >= EVENT_SHARED_PAIRS:
            return ClaimMatch(claim, MatchStatus.SUPPORTED, via="free-text")
    return ClaimMatch(claim, MatchStatus.UNSUPPORTED, via="event")
