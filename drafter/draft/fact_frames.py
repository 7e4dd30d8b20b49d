"""The user's facts as report sentences: each fact in a frame made for its kind (meetings, study sessions,
rates, stock counts, output, people, activities …), from corpus/lexicons/fact_sentences.yaml.

A figure always follows the fact's own name in its clause, so the clause's label names that fact and
nothing else. A rate or head count that names the same work as another fact ("中心组学习出席率" after
"中心组学习"), and the parts a fact declares, join that fact's sentence instead of standing alone.
"""

from dataclasses import dataclass
from functools import cache

from drafter.facts.model import Facts, Metric
from drafter.resources import load_lexicon

# A fact attaches to another when their names share this much of the other's name at the start
# (志愿服务活动 / 志愿服务参加人员: 4 of 6) and it counts people or a share of the other's work.
ATTACH_SHARE = 0.6
ATTACHING_KINDS = ("study_rate", "rate", "people", "participants")
WHOLE_YEAR = ("全年", "年度")


@dataclass(frozen=True)
class FactKind:
    kind: str
    cues: tuple[str, ...]
    units: tuple[str, ...]
    clause: str
    verb: str
    frames: tuple[str, ...]


@cache
def kinds() -> tuple[FactKind, ...]:
    return tuple(FactKind(k["kind"], tuple(k.get("cues") or ()), tuple(k.get("units") or ()), k["clause"],
                          k.get("verb", ""), tuple(k["frames"])) for k in load_lexicon("fact_sentences")["kinds"])


def kind_of(metric: Metric) -> FactKind:
    """The first kind whose units hold the metric's unit and whose cues occur in its names."""
    names = " ".join(metric.names)
    for kind in kinds():
        if kind.units and metric.unit not in kind.units:
            continue
        if kind.cues and not any(cue in names for cue in kind.cues):
            continue
        return kind
    raise AssertionError("fact_sentences.yaml needs a catch-all kind without cues or units")


def span_word(metric: Metric, facts: Facts) -> str:
    """The period a fact's clause names: its own (上半年) when it has one, else the report's."""
    return metric.period or facts.period.span or "全年"


def scope_word(facts: Facts) -> str:
    kind = facts.unit.kind if facts.unit and facts.unit.kind else "镇"
    return f"全{kind}"


def fact_clause(metric: Metric, facts: Facts, *, with_span: bool = True) -> str:
    """The fact's own clause: "全年共召开意识形态工作专题会议3次", "全镇现有宣传栏48块"."""
    kind = kind_of(metric)
    lex = load_lexicon("fact_sentences")
    starts_with_verb = any(metric.name.startswith(v) for v in lex["verbs"])
    # "党委专题研究意识形态工作": subject and verb already in the name
    clause_name = any(0 < metric.name.find(v) < len(metric.name) - len(v) for v in lex["inner_verbs"])
    stock = kind.kind in ("stock", "places")
    planned = metric.status == "planned"
    span = span_word(metric, facts) if (with_span or metric.period) and not planned else ""
    # 共 goes with a period ("全年共召开"); a bare "共召开" opening a sentence reads clipped
    total = "" if metric.approximate or stock or kind.kind in ATTACHING_KINDS or not span or clause_name else "共"
    verb = "" if starts_with_verb or clause_name else kind.verb
    if planned:  # "计划建成村级文化礼堂3个": no 现有, no 全年
        return f"{lex['planned']}{verb}{metric.name}{metric.display()}"
    return kind.clause.format(span=span, total=total, verb=verb, name=metric.name, value=metric.display(),
                              scope=scope_word(facts))


def attached_clause(metric: Metric, head: Metric, as_part: bool) -> str:
    lex = load_lexicon("fact_sentences")["attached"]
    if as_part:
        return lex["part"].format(name=metric.name, value=metric.display())
    rest = metric.name[_shared_prefix(metric.name, head.name):] or metric.name
    # an alias that is the rest ("出席率") reads better than a cut name; either names the fact
    rest = next((a for a in metric.aliases if a.endswith(rest) and len(a) <= len(rest) + 2), rest)
    template = lex["rate"] if metric.unit in ("%", "％") else lex["default"]
    return template.format(rest=rest, value=metric.display())


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def attaches_to(metric: Metric, head: Metric) -> bool:
    if metric.name in head.parts:
        return True
    if kind_of(metric).kind not in ATTACHING_KINDS or kind_of(head).kind in ATTACHING_KINDS:
        return False
    shared = _shared_prefix(metric.name, head.name)
    return shared >= 2 and shared >= ATTACH_SHARE * len(head.name)


def group_facts(metrics: list[Metric]) -> list[tuple[Metric, list[Metric]]]:
    """Each head fact with the facts that join its sentence (its rates, head counts and parts)."""
    groups: list[tuple[Metric, list[Metric]]] = []
    taken: set[str] = set()
    for head in metrics:
        if head.name in taken:
            continue
        joined = [m for m in metrics if m is not head and m.name not in taken and attaches_to(m, head)]
        if any(attaches_to(head, other) for other in metrics if other is not head and other.name not in taken
               and not attaches_to(other, head)):
            continue  # head itself joins a later fact's sentence
        taken.add(head.name)
        taken.update(m.name for m in joined)
        groups.append((head, joined))
    for m in metrics:  # anything left (a rate whose head was taken elsewhere) stands alone
        if m.name not in taken:
            groups.append((m, []))
            taken.add(m.name)
    return groups


def fact_sentence_for(head: Metric, joined: list[Metric], facts: Facts, *, with_span: bool = True,
                      variant: int | None = None) -> str:
    """One sentence stating ``head`` and the facts joined to it, in the frame of the head's kind."""
    kind = kind_of(head)
    if variant is None:
        variant = _position(head, facts)
    extra = "".join(attached_clause(m, head, m.name in head.parts) for m in joined)
    frame = kind.frames[variant % len(kind.frames)]
    if head.status == "planned":
        frame = load_lexicon("fact_sentences")["planned_frame"]
    return frame.format(fact=fact_clause(head, facts, with_span=with_span), extra=extra, span="",
                        bare=f"{head.name}{head.display()}")


def _position(metric: Metric, facts: Facts) -> int:
    """The fact's place among the report's facts of its kind: the n-th fact of a kind takes frame n."""
    same = [m.name for m in facts.metrics if kind_of(m).kind == kind_of(metric).kind]
    return same.index(metric.name) if metric.name in same else 0


def fact_sentences(metrics: list[Metric], facts: Facts) -> list[str]:
    """The sentences that state ``metrics``, grouped (a rate with its work, parts with their total); the
    period is named in the first sentence only, as a report writes it."""
    sentences = []
    for i, (head, joined) in enumerate(group_facts(metrics)):
        sentences.append(fact_sentence_for(head, joined, facts, with_span=i == 0))
    return sentences
