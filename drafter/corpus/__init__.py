"""The corpus of sample reports: ingest, clean, structure, retrieve.

Import cost matters (``drafter check`` must start fast): this package imports nothing heavy at load
time; jieba and langchain-core are imported inside the functions that need them.
"""

from drafter.corpus.builtin import open_store, resolve_corpus_path, sync_builtin
from drafter.corpus.ingest import IngestResult, analyse_report, ingest_paths, prepare_document
from drafter.corpus.outline import OutlineItem, topic_metrics, typical_outline
from drafter.corpus.retriever import SectionHit, search
from drafter.corpus.store import CorpusStore
from drafter.corpus.topics import label_report, topic_names

__all__ = [
    "CorpusStore",
    "IngestResult",
    "OutlineItem",
    "SectionHit",
    "analyse_report",
    "ingest_paths",
    "label_report",
    "open_store",
    "prepare_document",
    "resolve_corpus_path",
    "search",
    "sync_builtin",
    "topic_metrics",
    "topic_names",
    "typical_outline",
]
