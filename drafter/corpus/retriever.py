"""Retrieve sections by BM25 over jieba tokens, filtered by topic, report type and role.

BM25 is SQLite FTS5's ``bm25()`` over the stored tokens (Okapi BM25, headings weighted 3:1): measured on
18,956 sections (1,000 reports), rank-bm25 took 0.2 s to build its index and 8–15 ms a query in Python; at
10,000 reports that is seconds of start-up per command, where FTS5 needs none. One section per family of
near-copies comes back (``CorpusStore.match_sections``): on 10,000 generated variants of 16 reports the
retrieval evaluation's queries take a median 0.15 s, against 0.57 s for the growing window of copies that
came before (tests/eval/retrieval_eval.py --variants 10000).

``search`` is the plain function the CLI and the offline engine use. ``CorpusRetriever`` wraps it as a
langchain-core ``BaseRetriever`` so the pipeline can later swap in a search server or a vector store
without changing its callers; it is built on first access, because importing langchain-core costs
about half a second that ``drafter corpus search`` should not pay.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from drafter.corpus.nearcopy import NEAR_DUPLICATE, jaccard, shingles
from drafter.corpus.store import CorpusStore
from drafter.exceptions import UsageError

DUPLICATE_HEADROOM = 3  # candidates fetched per wanted hit in the first window
# Sites copy reports into compilations, and a county's reports are copies of one template with other
# names and numbers (nearcopy.py). The corpus returns one section per family of near-copies, so copies
# do not fill the candidate window: a window of the best BM25 sections held 6 distinct ones out of 4,096
# on 10,000 variants of 16 reports, and the topic prior had nothing to choose from. A near-copy the
# families missed is passed over here, and the window grows (×WINDOW_GROWTH, up to MAX_WINDOW) until k
# distinct hits are found or the matches run out.
SCORE_BAND = 0.8  # near-copies score within this ratio of each other (see _distinct)
WINDOW_GROWTH = 4
MAX_WINDOW = 4096
# Without a --topic filter, the query's own topic (by the section labeller) is a prior: BM25 scores of
# sections on that topic are multiplied by 1 + TOPIC_PRIOR. Short heading-like queries ("专题研究，狠抓
# 落实") share words with every topic's sections; the prior keeps the hits on the query's subject.
TOPIC_PRIOR = 2.0
PRIOR_CANDIDATES = 50  # distinct BM25 candidates re-ranked by the prior …
PRIOR_MAX_WINDOW = MAX_WINDOW  # … looked for in at most this many families


@dataclass(frozen=True)
class SectionHit:
    section_id: int
    report_id: int
    report_title: str
    report_type: str
    year: int | None
    topic: str
    role: str  # 工作情况 / 存在问题 / 下一步计划
    heading: str  # with its marker: "（一）专题研究，统筹部署。"
    heading_path: list[str]  # from the top-level section down to this one
    text: str  # the section's own prose
    score: float  # BM25, higher is better

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def metadata(self) -> dict[str, Any]:
        """What a langchain Document carries besides the text."""
        data = self.to_dict()
        data.pop("text")
        return data


def validate_filters(topic: str | None, report_type: str | None, role: str | None = None) -> None:
    from drafter.corpus.report_type import report_type_names
    from drafter.corpus.topics import role_names, topic_names

    if topic and topic not in topic_names():
        raise UsageError(f"未知的主题：{topic}。可用的主题有：{'、'.join(topic_names())}")
    if role and role not in role_names():
        raise UsageError(f"未知的部分：{role}。可用的部分有：{'、'.join(role_names())}")
    if report_type and report_type not in report_type_names():
        raise UsageError(f"未知的总结类型：{report_type}。可用的类型有：{'、'.join(report_type_names())}")


def search(query: str, topic: str | None = None, type: str | None = None, k: int = 5, *,
           store: CorpusStore | None = None, exclude_reports: Sequence[int] = (),
           topic_prior: bool = True, role: str | None = None) -> list[SectionHit]:
    """The ``k`` sections that best match ``query``, best first, optionally of one topic / report type /
    role (``工作情况`` leaves out problems and plans).

    ``exclude_reports`` leaves out reports by id (the report being rewritten, or in evaluation the query's own).
    ``topic_prior`` prefers sections on the query's own topic when no ``topic`` filter is given.
    """
    from drafter.corpus.tokens import fts_query, tokenize

    validate_filters(topic, type, role)
    tokens = tokenize(query)
    if not tokens or k <= 0:
        return []
    own = store is None
    if store is None:
        from drafter.corpus.builtin import open_store

        store = open_store()
    try:
        prior = query_topic(query) if topic_prior and not topic else None
        # The prior re-ranks PRIOR_CANDIDATES *distinct* sections: on a corpus of copies, the first 50
        # BM25 candidates may be copies of two sections, leaving the prior nothing on-topic to prefer.
        wanted = max(k, PRIOR_CANDIDATES) if prior else k
        limit = max(k * DUPLICATE_HEADROOM, PRIOR_CANDIDATES if prior else 0)
        match = fts_query(tokens)
        sections: dict = {}
        grams: dict[int, frozenset] = {}  # shingles by section id, kept while the window grows
        while True:
            ranked = store.match_sections(match, topic=topic, report_type=type, exclude_reports=exclude_reports,
                                          limit=limit, role=role, one_per_family=True)
            sections.update(store.sections_by_id([sid for sid, _ in ranked if sid not in sections]))
            ranked = [hit for hit in ranked if hit[0] in sections]  # never a ghost of a removed section
            chosen = _distinct(ranked, sections, wanted, grams)
            # Grow while the window is short of k hits, or (for the prior) short of its 50 and mostly
            # copies; a window that is mostly distinct already shows what the corpus has.
            crowded = len(chosen) < k or (len(chosen) < wanted and 2 * len(chosen) < len(ranked)
                                          and limit < PRIOR_MAX_WINDOW)
            if not crowded or len(ranked) < limit or limit >= MAX_WINDOW:
                break
            limit = min(limit * WINDOW_GROWTH, MAX_WINDOW)
        if prior:
            chosen = sorted(((sid, score * (1 + TOPIC_PRIOR) if sections[sid].topic == prior else score)
                             for sid, score in chosen), key=lambda item: -item[1])
        chosen = chosen[:k]
        reports = {rid: store.get_report_row(rid) for rid in {sections[sid].report_id for sid, _ in chosen}}
    finally:
        if own:
            store.close()
    hits: list[SectionHit] = []
    for sid, score in chosen:
        s = sections[sid]
        r = reports[s.report_id]
        assert r is not None
        hits.append(SectionHit(sid, r.id, r.title, r.report_type, r.year, s.topic, s.role, s.marker + s.heading,
                               s.path, s.body, round(score, 4)))
    return hits


def _distinct(ranked: list[tuple[int, float]], sections: dict, k: int,
              grams_of: dict[int, frozenset]) -> list[tuple[int, float]]:
    """The first ``k`` candidates, best first, that are not near-copies of one chosen before them.

    A near-copy matches the query's words as its original does, so its BM25 score is within a few per
    cent: a candidate is compared only with the chosen ones scoring within SCORE_BAND of it (the last
    ones chosen, as candidates come best first), which keeps a window of hundreds cheap.
    """
    chosen: list[tuple[int, float]] = []
    kept: list[frozenset[tuple[str, str]]] = []
    seen: set[tuple[str, str]] = set()
    for sid, score in ranked:
        s = sections[sid]
        if (s.heading, s.body) in seen:
            continue  # verbatim copy: no need to compare shingles
        seen.add((s.heading, s.body))
        grams = grams_of.get(sid)
        if grams is None:
            grams = grams_of[sid] = shingles(s.heading, s.body)
        near = False
        for j in range(len(chosen) - 1, -1, -1):
            if chosen[j][1] * SCORE_BAND > score:
                break
            if jaccard(grams, kept[j]) >= NEAR_DUPLICATE:
                near = True
                break
        if near:
            continue
        chosen.append((sid, score))
        kept.append(grams)
        if len(chosen) == k:
            break
    return chosen


def query_topic(query: str) -> str | None:
    """The topic a query is about, read like a heading; None when nothing signals one."""
    from drafter.corpus.topics import score_topics, taxonomy

    scores = score_topics(query, "")
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= taxonomy().min_score else None


@cache
def _retriever_class() -> type:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    class CorpusRetriever(BaseRetriever):
        """Sections of the drafter corpus as langchain ``Document``s (metadata: report, topic, heading path)."""

        corpus: str | None = None  # database path; None means --corpus / DRAFTER_CORPUS / DRAFTER_HOME
        k: int = 5
        topic: str | None = None
        report_type: str | None = None
        role: str | None = None

        def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                    ) -> list[Document]:
            from drafter.corpus.builtin import open_store

            with open_store(self.corpus) as store:
                hits = search(query, self.topic, self.report_type, self.k, store=store, role=self.role)
            return [Document(page_content=h.text, metadata=h.metadata()) for h in hits]

    CorpusRetriever.__module__ = __name__
    return CorpusRetriever


def __getattr__(name: str) -> Any:
    if name == "CorpusRetriever":
        return _retriever_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
