"""Where the facts the template had no slot for go: into the work section that speaks of their topic,
as sentences of their own (one topic a sentence), never into the problems or plans, never after the
signature, never between the items of a list. The sentence text is drafter.rewrite.missing's."""

import re

from drafter import regexes
from drafter.edits import Edit
from drafter.facts.model import Facts, Metric
from drafter.parse import parse_report
from drafter.report import Report, Section
from drafter.rewrite.missing import fact_sentences, metric_topic

SAME_TOPIC = 3.0  # a section labelled with the metric's topic
WORD_WEIGHT = 0.5  # a two-character piece of the metric's name found in the section
_LIST_ITEM = regexes.compile(r"^\s*(?:[（(]?\d+[）)．.、]|[①-⑩])")


def place_facts(text: str, facts: Facts, used: set[str]) -> list[Edit]:
    """Insertion edits, one added paragraph per receiving section, for every metric not in ``used``."""
    from drafter.corpus.topics import WORK_ROLE, label_report

    missing = [m for m in facts.metrics if m.name not in used]
    if not missing:
        return []
    report = label_report(parse_report(text))
    # a list item (1. 2. / （1）) never takes a paragraph of its own: its section does, after the list
    sections = [s for s in report.walk() if s.role == WORK_ROLE and not is_list_item(s)]
    # before the problems and plans: a work section after them (003's 五、明确主体责任) reads as an afterword
    first_other = next((s.start for s in report.walk() if s.role != WORK_ROLE), None)
    if first_other is not None and any(s.start < first_other for s in sections):
        sections = [s for s in sections if s.start < first_other]
    groups: dict[int, tuple[int, list[tuple[str, Metric]]]] = {}
    where: dict[str, int] = {}
    for metric in sorted(missing, key=lambda m: len(m.name)):
        topic = metric_topic(metric)
        # 道德讲堂参加人员 goes where 道德讲堂 goes: a fact about another one stays beside it
        kin = next((n for n in where if metric.name.startswith(n)), None)
        at = where[kin] if kin else insertion_point(text, report, best_section(sections, metric, topic))
        where[metric.name] = at
        groups.setdefault(at, (at, []))[1].append((topic, metric))
    order = {m.name: i for i, m in enumerate(missing)}  # the facts file's order within a paragraph
    edits = []
    for at, items in groups.values():
        items.sort(key=lambda item: order[item[1].name])
        paragraph = _paragraph(items, facts)
        edits.append(Edit(at, at, "", "\n" + paragraph, "missing-fact", fact="、".join(m.name for _, m in items),
                          note="范文里没有这些事实的位置，按主题补在相应部分"))
    return edits


def is_list_item(section: Section) -> bool:
    return section.level >= 3 and re.search(r"\d", section.heading.marker) is not None


def best_section(sections: list[Section], metric: Metric, topic: str) -> Section | None:
    """The work section that best fits the metric: its topic, the topic's words in its prose, the
    metric's own words in it; a leaf wins a tie over its parent (more specific)."""
    from drafter.corpus.topics import score_topics

    best, best_score = None, 0.0
    pieces = {n[i : i + 2] for n in metric.names for i in range(len(n) - 1)}
    for s in sections:
        own = s.heading.text + "\n" + s.body_text()
        score = SAME_TOPIC * (s.topic == topic) + score_topics(s.heading.text, s.body_text()).get(topic, 0.0) / 10
        score += WORD_WEIGHT * sum(p in own for p in pieces)
        if score > best_score or (score == best_score and best is not None and s.level > best.level):
            best, best_score = s, score
    if best is None and sections:
        best = [s for s in sections if s.level == sections[0].level][-1]  # the last work section
    return best


def insertion_point(text: str, report: Report, section: Section | None) -> int:
    """End of the section's own prose when it has children (never inside them), else of its last
    paragraph; a list's items are never split; the opening's end without a section."""
    if section is None:
        if report.opening:
            return report.opening[-1].end
        return report.title.end if report.title else 0
    if section.children and (section.paragraphs or section.heading.rest):
        ends = [p.end for p in section.paragraphs] or [_line_end(text, section.heading.start)]
        return _after_list(text, report, max(ends))
    last = section
    while last.children:
        last = last.children[-1]
    ends = [p.end for p in last.paragraphs] + [_line_end(text, last.heading.start)]
    return _after_list(text, report, max(ends))


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _after_list(text: str, report: Report, at: int) -> int:
    """Past any list items (1. 2. …) that follow ``at`` before the next heading or the signature."""
    stops = sorted({h.start for h in report.headings()} | {p.start for p in (report.signature, report.date) if p}
                   | {p.start for p in report.closing})
    limit = next((s for s in stops if s > at), len(text))
    pos = at
    while pos < limit:
        nxt = _line_end(text, pos + 1)
        line = text[pos + 1 : nxt]
        if not _LIST_ITEM.match(line) or nxt > limit:
            break
        pos = nxt
    return pos


def _paragraph(items: list[tuple[str, Metric]], facts: Facts) -> str:
    """Whole sentences, one idea each (drafter.rewrite.missing's frames; a rate joins the work it measures)."""
    return "".join(fact_sentences([m for _, m in items], facts))
