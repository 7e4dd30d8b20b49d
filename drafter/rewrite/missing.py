"""Facts with no slot in the template are not lost: they are stated at the end of the section whose topic
fits, each in a sentence made for its kind (sentence frames in corpus/lexicons/fact_sentences.yaml, see
drafter/draft/fact_frames.py), never as one list of unrelated counts."""

from dataclasses import replace

from drafter.edits import Edit
from drafter.facts.model import Facts, Metric
from drafter.parse import parse_report
from drafter.report import Section


def fact_sentence(metric: Metric, span: str | None, facts: Facts | None = None) -> str:
    """The fact's own clause, without a full stop ("全年共召开意识形态工作专题会议3次", "全镇现有宣传栏48块"),
    for callers that join clauses themselves. Whole sentences: ``fact_sentences``."""
    from drafter.draft.fact_frames import fact_clause

    base = facts or Facts()
    return fact_clause(metric, replace(base, period=replace(base.period, span=span)), with_span=bool(span))


def fact_sentences(metrics: list[Metric], facts: Facts) -> list[str]:
    """Whole sentences stating ``metrics``, one idea each, in frames made for each fact's kind; a rate
    or head count joins the sentence of the work it measures."""
    from drafter.draft.fact_frames import fact_sentences as frames

    return frames(metrics, facts)


def metric_topic(metric: Metric) -> str:
    """The section topic a metric belongs to: its own `topic`, else the taxonomy's metric cue words
    (专题会 → 组织领导与责任制, 公众号 → 新闻宣传与舆论引导), else the heading scorer on its name."""
    if metric.topic:
        return metric.topic
    return text_topic(" ".join((*metric.names, metric.section or "")))


def text_topic(names: str) -> str:
    """The topic of a short text (a metric's names, a highlight): cue words first, then the scorer."""
    from drafter.corpus.topics import choose_topic, score_topics, taxonomy

    # A Chinese noun phrase ends in its head: "村级宣传信息员培训" is a 培训 (队伍建设), not an 信息员 count;
    # so the cue that ends latest in the first name wins, then the longest.
    first = names.split(" ", 1)[0]
    best, best_key = None, (-1, 0)
    for topic in taxonomy().topics:
        for cues in topic.metrics.values():
            for cue in cues:
                if cue not in names:
                    continue
                at = first.rfind(cue)
                key = (at + len(cue) if at >= 0 else 0, len(cue))
                if key > best_key:
                    best, best_key = topic.name, key
    if best is not None:
        return best
    return choose_topic(score_topics(names, names))


def place_missing_facts(text: str, facts: Facts, used: set[str]) -> list[Edit]:
    """Insertion edits (one added paragraph per receiving section) for every metric not in ``used``."""
    from drafter.corpus.topics import WORK_ROLE, label_report

    missing = [m for m in facts.metrics if m.name not in used]
    if not missing:
        return []
    report = label_report(parse_report(text))
    # a fact of this year goes with the work, never into a problem or a plan
    sections = [s for s in report.walk() if s.role == WORK_ROLE]
    by_section: dict[int, tuple[Section | None, list[Metric]]] = {}
    for metric in missing:
        target = _target_section(sections, metric_topic(metric))
        by_section.setdefault(id(target), (target, []))[1].append(metric)
    edits = []
    for target, metrics in by_section.values():
        paragraph = "".join(fact_sentences(metrics, facts))
        at = _section_end(text, target) if target is not None else _opening_end(text, report)
        edits.append(Edit(at, at, "", "\n" + paragraph, "missing-fact", fact="、".join(m.name for m in metrics),
                          note="范文里没有这些事实的位置，按主题补在本节末尾"))
    return edits


def _target_section(sections: list[Section], topic: str) -> Section | None:
    same = [s for s in sections if s.topic == topic]
    if same:
        return min(same, key=lambda s: s.level)  # the broadest section of the topic
    top = [s for s in sections if s.level == min((x.level for x in sections), default=1)]
    return top[0] if top else None


def _section_end(text: str, section: Section) -> int:
    last = section
    while last.children:
        last = last.children[-1]
    end = max([last.heading.end, *(p.end for p in last.paragraphs)], default=section.end)
    if last.heading.rest:
        end = max(end, text.find("\n", last.heading.rest_start) if "\n" in text[last.heading.rest_start:]
                  else len(text))
    return end


def _opening_end(text: str, report) -> int:
    if report.opening:
        return report.opening[-1].end
    return report.title.end if report.title else 0
