"""Open the corpus, seeding it with the project's own sample reports (``corpus/reports/``).

Built-in files are keyed by content hash like any other: an edited sample is re-ingested and its old
version dropped on the next open; a sample the user removed stays removed (its file is remembered).
A corpus labelled by an older labeller is relabelled from its stored text on open (``LABELS_VERSION``).
"""

import os
from collections.abc import Callable
from pathlib import Path

from drafter.corpus.ingest import IngestResult, file_sha256, ingest_paths, section_labels
from drafter.corpus.store import CorpusStore
from drafter.corpus.topics import LABELS_VERSION
from drafter.paths import corpus_db_path
from drafter.resources import data_dir

BUILTIN_SOURCE = "builtin"


def builtin_files() -> list[Path]:
    try:
        folder = data_dir("corpus") / "reports"
    except FileNotFoundError:
        return []
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in {".md", ".txt"} and p.is_file())


def sync_builtin(store: CorpusStore) -> IngestResult:
    """Bring the built-in samples in the database in line with ``corpus/reports/``."""
    files = builtin_files()
    current = {file_sha256(f): f for f in files}
    for sha in set(store.documents(BUILTIN_SOURCE)) - current.keys():
        store.remove_document(sha)  # the sample was edited or deleted
    missing = [f for sha, f in current.items() if not store.has_document(sha)]
    if not missing:
        return IngestResult()
    return ingest_paths(store, missing, source=BUILTIN_SOURCE, workers=1)


def resolve_corpus_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``--corpus PATH``, else ``DRAFTER_CORPUS``, else ``DRAFTER_HOME/corpus.sqlite3``."""
    return Path(path).expanduser() if path else corpus_db_path()


def open_store(path: str | os.PathLike[str] | None = None, *, builtin: bool = True,
               on_relabel: Callable[[int], None] | None = None,
               on_reindex: Callable[[int], None] | None = None) -> CorpusStore:
    """The corpus database, created on first use and seeded with the built-in samples.

    ``on_relabel(n)`` is told before ``n`` stored reports are relabelled (about 3 s per 1,000 here), and
    ``on_reindex(n)`` before the index of ``n`` sections is rebuilt (``CorpusStore``), so a command can say
    why its first run after an upgrade is slow."""
    store = CorpusStore(resolve_corpus_path(path), on_reindex=on_reindex)
    try:
        sync_labels(store, on_relabel)
        if builtin:
            sync_builtin(store)
    except Exception:
        store.close()
        raise
    return store


def sync_labels(store: CorpusStore, on_relabel: Callable[[int], None] | None = None) -> int:
    """Relabel the stored reports when the labeller changed since they were labelled; how many changed."""
    if store.get_meta("labels_version") == str(LABELS_VERSION):
        return 0
    reports = store.counts()["reports"]
    if reports and on_relabel is not None:
        on_relabel(reports)
    changed = store.relabel(section_labels)
    store.set_meta("labels_version", str(LABELS_VERSION))
    return changed
