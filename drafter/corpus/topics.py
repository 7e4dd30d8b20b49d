"""Label every section of a report with a topic from a fixed taxonomy (``corpus/lexicons/topics.yaml``).

Keyword scoring, deliberately simple and inspectable: a heading word counts three times a body word,
because headings in this genre name their subject (``二、强化理论武装``) while bodies wander. Items under
存在问题 / 下一步计划 inherit those topics: drafting needs them as problems and plans, not as subjects.
"""

from dataclasses import dataclass, field
from functools import cache

from drafter.report import Report, Section
from drafter.resources import load_lexicon

HEADING_WEIGHT = 3.0
BODY_CAP = 3  # occurrences of one body word that count: a long list of 宣传栏 is still one signal
BODY_NORM_CHARS = 400  # body scores are damped by sqrt(length / this) so long sections do not win by size
CHILD_TEXT_WEIGHT = 0.5  # a heading-only parent borrows its children's prose at this weight
PARENT_BONUS = 0.5  # ties and near-ties go to the parent's topic


@dataclass(frozen=True)
class Topic:
    name: str
    heading: dict[str, float]
    body: dict[str, float]
    metrics: dict[str, list[str]] = field(default_factory=dict)
    inherit: bool = False


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    min_score: float
    fallback: str

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.topics] + [self.fallback]

    def get(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)


@cache
def taxonomy() -> Taxonomy:
    data = load_lexicon("topics")
    topics = tuple(
        Topic(
            name=item["name"],
            heading={str(k): float(v) for k, v in (item.get("heading") or {}).items()},
            body={str(k): float(v) for k, v in (item.get("body") or {}).items()},
            metrics={str(k): [str(w) for w in v] for k, v in (item.get("metrics") or {}).items()},
            inherit=bool(item.get("inherit", False)),
        )
        for item in data["topics"]
    )
    return Taxonomy(topics, float(data.get("min_score", 1.5)), str(data.get("fallback", "其他")))


def topic_names() -> list[str]:
    """Every label a section can carry, in the taxonomy's order (the fallback last)."""
    return taxonomy().names


def score_topics(heading: str, body: str, child_text: str = "") -> dict[str, float]:
    """Score of each topic for a section with this heading text, own prose and children's prose."""
    scores: dict[str, float] = {}
    damp = max(1.0, len(body) / BODY_NORM_CHARS) ** 0.5
    child_damp = max(1.0, len(child_text) / BODY_NORM_CHARS) ** 0.5
    for topic in taxonomy().topics:
        head = sum(w for word, w in topic.heading.items() if word in heading)
        own = sum(w * min(body.count(word), BODY_CAP) for word, w in topic.body.items()) / damp
        kids = (sum(w * min(child_text.count(word), BODY_CAP) for word, w in topic.body.items()) / child_damp
                if child_text else 0.0)
        scores[topic.name] = HEADING_WEIGHT * head + own + CHILD_TEXT_WEIGHT * kids
    return scores


def choose_topic(scores: dict[str, float], parent_topic: str | None = None) -> str:
    tax = taxonomy()
    if parent_topic in scores:
        scores = {**scores, parent_topic: scores[parent_topic] + PARENT_BONUS}
    best = max(scores, key=lambda name: scores[name])  # first in taxonomy order on ties
    if scores[best] >= tax.min_score:
        return best
    return parent_topic or tax.fallback


def label_report(report: Report) -> Report:
    """Set ``topic`` on every section of ``report`` (in place) and return it."""
    for section in report.sections:
        _label(section, None)
    return report


def _label(section: Section, parent_topic: str | None) -> None:
    tax = taxonomy()
    parent = tax.get(parent_topic) if parent_topic else None
    if parent is not None and parent.inherit:
        section.topic = parent_topic
    else:
        body = section.body_text()
        child_text = "" if len(body) >= BODY_NORM_CHARS else _children_text(section)
        section.topic = choose_topic(score_topics(section.heading.text, body, child_text), parent_topic)
    for child in section.children:
        _label(child, section.topic)


def _children_text(section: Section) -> str:
    parts = []
    for child in section.children:
        parts.append(child.heading.text)
        parts.append(child.body_text())
        parts.append(_children_text(child))
    return "\n".join(p for p in parts if p)
