"""Label every section of a report with a topic from a fixed taxonomy (``corpus/lexicons/topics.yaml``).

Keyword scoring, deliberately simple and inspectable: a heading word counts three times a body word,
because headings in this genre name their subject (``二、强化理论武装``) while bodies wander.

A section also has a *role*, the part of the report it belongs to: 工作情况 (what was done), 存在问题 or
下一步计划 (the taxonomy's ``role: true`` topics). Subsections take their parent's role but keep a topic
of their own, so ``（一）在理论武装上更接地气`` under 下一步打算 is 理论学习 in the role 下一步计划: a search
by subject finds it, and drafting, which wants achievements, problems and plans apart, filters by role.
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
    role: bool = False  # a part of the report (存在问题, 下一步计划) as well as a subject


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
            role=bool(item.get("role", False)),
        )
        for item in data["topics"]
    )
    return Taxonomy(topics, float(data.get("min_score", 1.5)), str(data.get("fallback", "其他")))


# Raised when a change to the labeller or topics.yaml should reach reports already in a corpus: the next
# open relabels them from their stored text (builtin.open_store). 2: subsections of role topics get topics.
LABELS_VERSION = 2
WORK_ROLE = "工作情况"  # the role of every section that is not a problem or a plan


def role_names() -> list[str]:
    """Every role a section can have: 工作情况, then the taxonomy's role topics."""
    return [WORK_ROLE] + [t.name for t in taxonomy().topics if t.role]


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
    """Set ``topic`` and ``role`` on every section of ``report`` (in place) and return it."""
    for section in report.sections:
        _label(section, None, WORK_ROLE)
    return report


def role_of(topic: str, parent_role: str = WORK_ROLE) -> str:
    """A section's role: its own topic when that is a role (``（二）存在的不足`` under 一、), else its parent's."""
    entry = taxonomy().get(topic)
    return topic if entry is not None and entry.role else parent_role


def _label(section: Section, parent_topic: str | None, parent_role: str) -> None:
    body = section.body_text()
    child_text = "" if len(body) >= BODY_NORM_CHARS else _children_text(section)
    section.topic = choose_topic(score_topics(section.heading.text, body, child_text), parent_topic)
    section.role = role_of(section.topic, parent_role)
    for child in section.children:
        _label(child, section.topic, section.role)


def _children_text(section: Section) -> str:
    parts = []
    for child in section.children:
        parts.append(child.heading.text)
        parts.append(child.body_text())
        parts.append(_children_text(child))
    return "\n".join(p for p in parts if p)
