"""What the corpus teaches the planner: the typical outline of a report type, and the metrics a topic's
sections usually report (理论学习 → 中心组学习次数, 党课次数, 学习强国使用率 …)."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from drafter import regexes
from drafter.corpus.store import CorpusStore
from drafter.exceptions import UsageError
from drafter.numbers.lexicon import measure_regex

MIN_REPORTS_FOR_TYPE = 3  # fewer reports of a type than this: learn from the whole corpus instead
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
_UNIT = measure_regex()  # corpus/lexicons/measure_words.yaml, after an optional 余/多
# A number with a unit up to this many characters after a cue word, or before it, in one clause.
_AFTER = 14
_BEFORE = 8


@dataclass(frozen=True)
class OutlineItem:
    topic: str
    headings: list[str] = field(default_factory=list)  # common phrasings, most frequent first, no marker
    share: float = 0.0  # share of the reports that have a top-level section on this topic
    position: float = 0.0  # mean place in those reports, 0 = first section, 1 = last


def typical_outline(report_type: str | None = None, *, store: CorpusStore | None = None,
                    min_share: float = 0.25, max_headings: int = 5) -> list[OutlineItem]:
    """Top-level topics of reports of ``report_type`` (all reports when None or too few), in their usual order."""
    with _Store(store) as db:
        rows = list(db.iter_sections(report_type=report_type, top_level_only=True))
        if report_type and len({s.report_id for s, _ in rows}) < MIN_REPORTS_FOR_TYPE:
            rows = list(db.iter_sections(top_level_only=True))
    by_report: dict[int, list] = defaultdict(list)
    for section, _rtype in rows:
        by_report[section.report_id].append(section)
    if not by_report:
        return []
    positions: dict[str, list[float]] = defaultdict(list)
    phrasings: dict[str, Counter[str]] = defaultdict(Counter)
    for sections in by_report.values():
        seen: set[str] = set()
        last = max(len(sections) - 1, 1)
        for i, s in enumerate(sections):
            phrasings[s.topic][s.heading.rstrip("。；;，, ")] += 1
            if s.topic not in seen:  # a topic counts once per report, at its first place
                seen.add(s.topic)
                positions[s.topic].append(i / last)
    total = len(by_report)
    items = [
        OutlineItem(topic, [h for h, _ in phrasings[topic].most_common(max_headings)], round(len(pos) / total, 3),
                    round(sum(pos) / len(pos), 3))
        for topic, pos in positions.items()
        if len(pos) / total >= min_share
    ]
    return sorted(items, key=lambda item: (item.position, -item.share))


def topic_metrics(topic: str, *, store: CorpusStore | None = None, include_unseen: bool = False) -> list[str]:
    """Metrics (from ``topics.yaml``) that sections of ``topic`` report with a number, most often first."""
    from drafter.corpus.topics import WORK_ROLE, taxonomy

    tax = taxonomy()
    entry = tax.get(topic)
    if entry is None:
        if topic == tax.fallback:
            return []
        raise UsageError(f"未知的主题：{topic}。可用的主题有：{'、'.join(tax.names)}")
    patterns = {name: _cue_pattern(cues) for name, cues in entry.metrics.items()}
    counts: Counter[str] = Counter()
    with _Store(store) as db:
        # Plans state targets, not results: only work sections say what a topic's sections report.
        for section, _rtype in db.iter_sections(topic=topic, role=None if entry.role else WORK_ROLE):
            text = section.heading + "\n" + section.body
            for name, pattern in patterns.items():
                if pattern.search(text):
                    counts[name] += 1
    order = list(entry.metrics)
    seen = sorted(counts, key=lambda name: (-counts[name], order.index(name)))
    return seen + [m for m in order if m not in counts] if include_unseen else seen


def _cue_pattern(cues: list[str]) -> re.Pattern[str]:
    cue = "(?:" + "|".join(map(re.escape, cues)) + ")"
    clause = r"[^。；;！？\n]"
    return regexes.compile(rf"{cue}{clause}{{0,{_AFTER}}}?{_NUMBER}{_UNIT}|{_NUMBER}{_UNIT}{clause}{{0,{_BEFORE}}}?{cue}")


class _Store:
    """Use the given store, or open (and close) the default one."""

    def __init__(self, store: CorpusStore | None):
        self.given = store
        self.opened: CorpusStore | None = None

    def __enter__(self) -> CorpusStore:
        if self.given is not None:
            return self.given
        from drafter.corpus.builtin import open_store

        self.opened = open_store()
        return self.opened

    def __exit__(self, *exc: object) -> None:
        if self.opened is not None:
            self.opened.close()
