"""The corpus database: SQLite in WAL mode, one transaction per ingested file, FTS5 for BM25.

Why SQLite: one file in the user's data directory, no server, safe against a crash mid-ingest (a file's
reports and sections commit together or not at all), and several processes may read while one writes.
Section tokens (jieba, see ``tokens.py``) live in an FTS5 table whose ``bm25()`` ranks queries in C,
so a query over 10,000 reports needs no index rebuilt in Python. The table is contentless: a query needs
only the index, and a second copy of every section as tokens was a fifth of the file. Removing a section
therefore recomputes its tokens from ``sections`` (a trigger calling ``drafter_index_text``), which is
exact only with the tokenizer the index was built with: the index records ``tokenizer_key()`` and is
rebuilt when it changes (an upgrade of jieba or of the user dictionary).

Near-copies of a section (``nearcopy.py``) share a ``family``, found when the section is stored, so a
query returns the best section of each family in SQL: on 10,000 reports made from one template, the
copies of one section no longer fill the candidate window.

A *document* is an ingested file, keyed by the SHA-256 of its bytes (re-adding it is a no-op); it holds
one or more *reports* (a compilation holds many), each keyed by the hash of its cleaned text so the same
report copied into two compilations is stored once; a report holds its *sections*.
"""

import json
import re
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.exceptions import CorpusError

SCHEMA_VERSION = 3  # 2: sections.role; 3: contentless section_index, sections.family, section_bands
BUSY_TIMEOUT_MS = 30_000  # a second process waits this long for a writer before giving up
HEADING_WEIGHT, BODY_WEIGHT = 3.0, 1.0  # bm25 column weights: headings name a section's subject

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    source TEXT NOT NULL,               -- 'builtin' | 'user'
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part INTEGER NOT NULL,              -- position in a compilation, 1-based
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    report_type TEXT NOT NULL,
    period TEXT NOT NULL,
    year INTEGER,
    addressee TEXT NOT NULL DEFAULT '',
    opening TEXT NOT NULL DEFAULT '',
    closing TEXT NOT NULL DEFAULT '',
    signature TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    text BLOB NOT NULL,                 -- the cleaned report, zlib-compressed (Chinese text shrinks ~2.5x)
    n_sections INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_document ON reports(document_id);
CREATE INDEX IF NOT EXISTS reports_type ON reports(report_type);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,               -- document order within the report, 0-based
    parent_ord INTEGER,                 -- ord of the enclosing section, NULL at top level
    level INTEGER NOT NULL,
    marker TEXT NOT NULL,
    heading TEXT NOT NULL,
    path TEXT NOT NULL,                 -- JSON list of full headings from the top section down
    topic TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '工作情况',  -- 工作情况 / 存在问题 / 下一步计划
    body TEXT NOT NULL,                 -- the section's own prose (first sentence on the heading line included)
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    family INTEGER NOT NULL DEFAULT 0   -- near-copies share one (nearcopy.py); 0: not assigned yet
);
CREATE INDEX IF NOT EXISTS sections_report ON sections(report_id);
CREATE INDEX IF NOT EXISTS sections_topic ON sections(topic);
CREATE INDEX IF NOT EXISTS sections_family ON sections(family);
CREATE TABLE IF NOT EXISTS section_bands (  -- LSH band key → the family first seen with it
    band INTEGER PRIMARY KEY,
    family INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS section_index USING fts5(head, body, content = '', tokenize = 'unicode61');
CREATE TRIGGER IF NOT EXISTS sections_unindex AFTER DELETE ON sections BEGIN
    INSERT INTO section_index(section_index, rowid, head, body)
        VALUES ('delete', old.id, drafter_index_text(old.heading), drafter_index_text(old.body));
END
"""
_INDEX_KEY = "index_tokenizer"  # meta: tokenizer_key() of the tokens in section_index
_NEXT_FAMILY = "next_family"  # meta: family numbers are never reused, unlike the ids of removed sections
_FAMILIES_PENDING = "families_pending"  # meta, set while a migrated database's sections get families
GRAMS_CACHE = 4096  # families whose shingles are kept while storing (a folder of copies reuses them)
REINDEX_BATCH = 2000  # sections tokenised per executemany while rebuilding the index


@dataclass
class PreparedSection:
    """A section ready to store: its place in the tree, its text, its label and its tokens."""

    ord: int
    parent_ord: int | None
    level: int
    marker: str
    heading: str
    path: list[str]
    topic: str
    body: str
    start: int
    end: int
    role: str = "工作情况"
    head_tokens: list[str] = field(default_factory=list)
    body_tokens: list[str] = field(default_factory=list)
    bands: list[int] = field(default_factory=list)  # nearcopy.bands(), computed by the (parallel) ingest


@dataclass
class PreparedReport:
    part: int
    sha256: str
    title: str
    report_type: str
    period: str
    year: int | None
    text: str
    sections: list[PreparedSection]
    addressee: str = ""
    opening: str = ""
    closing: str = ""
    signature: str = ""
    date: str = ""


@dataclass(frozen=True)
class ReportRow:
    id: int
    title: str
    report_type: str
    period: str
    year: int | None
    n_sections: int
    source: str
    path: str
    part: int
    added_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source, "path": self.path, "part": self.part,
                "type": self.report_type, "period": self.period, "year": self.year, "sections": self.n_sections,
                "added_at": self.added_at}


@dataclass(frozen=True)
class SectionRow:
    id: int
    report_id: int
    ord: int
    parent_ord: int | None
    level: int
    marker: str
    heading: str
    path: list[str]
    topic: str
    body: str
    role: str = "工作情况"


@dataclass
class AddOutcome:
    added: list[int] = field(default_factory=list)  # new report ids
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (title, id of the report already stored)


class CorpusStore:
    """One connection to a corpus database. Use as a context manager; not shared across threads."""

    def __init__(self, path: Path | str, on_reindex: Callable[[int], None] | None = None):
        """``on_reindex(n)`` is told before the index of ``n`` stored sections is rebuilt (after an upgrade
        that changed the tokenizer or the index format: about 1 s per 100 reports here)."""
        self.path = Path(path)
        self._grams: dict[int, Any] = {}  # family → shingles of one of its sections, while storing
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.create_function("drafter_index_text", 1, _index_text, deterministic=True)
            migrated = self._init_schema()
            told = self._sync_index(on_reindex)
            self._sync_families(None if told else on_reindex)
            if migrated:
                self.conn.execute("VACUUM")  # give back the pages of the old index: a fifth of the file
        except sqlite3.DatabaseError as err:
            raise CorpusError(
                f"无法打开范文库 {self.path}：{err}。该文件可能已损坏或不是 drafter 的范文库。"
                "请用 --corpus 指定另一个文件，或把该文件改名后重试（内置范文会自动重建）。"
            ) from err
        except OSError as err:
            raise CorpusError(f"无法创建范文库 {self.path}：{err.strerror}。请检查目录权限，或用 --corpus 指定其他位置。") from err

    def _init_schema(self) -> bool:
        """Create or migrate the tables; True when an older index format was replaced."""
        mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # e.g. a network drive without shared memory: still correct, just slower
            self.conn.execute("PRAGMA journal_mode = DELETE")
        self.conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: consistent after a crash, commits cheap
        version = self.get_meta("schema_version")
        if version == str(SCHEMA_VERSION):
            return False
        if version == "1":
            self._migrate_from_1()
            version = "2"
        if version == "2":
            self._migrate_from_2()
            return True
        if version is not None:
            raise CorpusError(
                f"范文库 {self.path} 由其他版本的 drafter 创建（结构版本 {version}），当前版本无法读取。"
                "请升级 drafter，或用 --corpus 指定新的范文库文件。"
            )
        with self.transaction():
            for statement in _schema_statements():
                self.conn.execute(statement)
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        return False

    def _migrate_from_1(self) -> None:
        """Add ``sections.role``. Version 1 gave the items under a problem or plan section that section's topic,
        so a section's role is its own topic when that is a role, else its parent's; ``builtin.open_store``
        then relabels every report with the current labeller (``labels_version``)."""
        with self.transaction():
            self.conn.execute("ALTER TABLE sections ADD COLUMN role TEXT NOT NULL DEFAULT '工作情况'")
            roles: dict[tuple[int, int], str] = {}
            rows = self.conn.execute("SELECT id, report_id, ord, parent_ord, topic FROM sections"
                                     " ORDER BY report_id, ord").fetchall()
            for r in rows:
                inherited = roles.get((r["report_id"], r["parent_ord"]), "工作情况")
                role = r["topic"] if r["topic"] in ("存在问题", "下一步计划") else inherited
                roles[(r["report_id"], r["ord"])] = role
                if role != "工作情况":
                    self.conn.execute("UPDATE sections SET role = ? WHERE id = ?", (role, r["id"]))
            self.set_meta("schema_version", "2")

    def _migrate_from_2(self) -> None:
        """Replace the FTS5 table that kept a copy of its tokens by a contentless one, and add families. The
        old tokens are not copied over: they may come from another tokenizer, and removing a section must
        recompute exactly what was indexed. The new index is filled by ``_sync_index`` (its tokenizer key is
        unset here) and the families by ``_sync_families``, each in a transaction of its own, so a migration
        interrupted there is finished on the next open; documents, reports and sections are left as they are."""
        with self.transaction():
            if self.get_meta("schema_version") != "2":
                return  # another process migrated it while this one waited for the lock
            self.conn.execute("DROP TRIGGER IF EXISTS sections_unindex")
            self.conn.execute("DROP TABLE IF EXISTS section_index")
            self.conn.execute("DELETE FROM meta WHERE key = ?", (_INDEX_KEY,))
            columns = {r[1] for r in self.conn.execute("PRAGMA table_info(sections)")}
            if "family" not in columns:
                self.conn.execute("ALTER TABLE sections ADD COLUMN family INTEGER NOT NULL DEFAULT 0")
            self.conn.execute("UPDATE sections SET family = 0")
            self.conn.execute("DROP TABLE IF EXISTS section_bands")
            self.conn.execute("DELETE FROM meta WHERE key = ?", (_NEXT_FAMILY,))
            for statement in _schema_statements():
                if any(name in statement for name in ("section_index", "section_bands", "sections_family")):
                    self.conn.execute(statement)
            self.set_meta(_FAMILIES_PENDING, "1")
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def _sync_index(self, on_reindex: Callable[[int], None] | None) -> bool:
        """Rebuild the index when its tokens were made by another tokenizer than the current one; True when
        ``on_reindex`` was told."""
        from drafter.corpus.tokens import tokenizer_key

        key = tokenizer_key()
        if self.get_meta(_INDEX_KEY) == key:
            return False
        sections = self.conn.execute("SELECT COUNT(*) FROM sections").fetchone()[0]
        if sections and on_reindex is not None:
            on_reindex(sections)
        with self.transaction():
            if self.get_meta(_INDEX_KEY) == key:
                return bool(sections)  # another process rebuilt it while this one waited for the lock
            self.conn.execute("INSERT INTO section_index(section_index) VALUES ('delete-all')")
            rows = self.conn.execute("SELECT id, heading, body FROM sections ORDER BY id")
            while batch := rows.fetchmany(REINDEX_BATCH):
                self.conn.executemany("INSERT INTO section_index(rowid, head, body) VALUES (?, ?, ?)",
                                      [(r[0], _index_text(r[1]), _index_text(r[2])) for r in batch])
            self.set_meta(_INDEX_KEY, key)
        return bool(sections and on_reindex is not None)

    def _sync_families(self, on_reindex: Callable[[int], None] | None) -> None:
        """Give a migrated database's sections their families, in id order (the order they were stored)."""
        if self.get_meta(_FAMILIES_PENDING) is None:
            return
        from drafter.corpus.nearcopy import bands, shingles

        sections = self.conn.execute("SELECT COUNT(*) FROM sections WHERE family = 0").fetchone()[0]
        if sections and on_reindex is not None:
            on_reindex(sections)
        with self.transaction():
            if self.get_meta(_FAMILIES_PENDING) is None:
                return  # another process did it while this one waited for the lock
            rows = self.conn.execute("SELECT id, heading, body FROM sections WHERE family = 0 ORDER BY id")
            while batch := rows.fetchmany(REINDEX_BATCH):
                for sid, heading, body in batch:
                    grams = shingles(heading, body)
                    self._set_family(sid, grams, bands(grams))
            self.conn.execute("DELETE FROM meta WHERE key = ?", (_FAMILIES_PENDING,))
        self._grams.clear()

    def _set_family(self, section_id: int, grams: Any, keys: Sequence[int]) -> None:
        """Put a stored section in the family of a near-copy sharing one of its bands, or in a new one."""
        family = self._find_family(grams, keys)
        if not family:
            family = self._next_family()
            self._first_of_family(family, grams, keys)
        self.conn.execute("UPDATE sections SET family = ? WHERE id = ?", (family, section_id))

    def _find_family(self, grams: Any, keys: Sequence[int]) -> int:
        """The family of a near-copy sharing one of the band ``keys``; 0 when there is none. A family's
        sections are near-copies of each other, so any one of them stands for it."""
        from drafter.corpus.nearcopy import NEAR_DUPLICATE, jaccard

        marks = ",".join("?" * len(keys))
        found = self.conn.execute(f"SELECT band, family FROM section_bands WHERE band IN ({marks})",
                                  list(keys)).fetchall()
        for band, candidate in found:
            other = self._family_grams(candidate)
            if other is None:  # every section of that family was removed
                self.conn.execute("DELETE FROM section_bands WHERE band = ?", (band,))
            elif jaccard(grams, other) >= NEAR_DUPLICATE:
                return candidate
        return 0

    def _next_family(self) -> int:
        family = int(self.get_meta(_NEXT_FAMILY) or 1)
        self.set_meta(_NEXT_FAMILY, str(family + 1))
        return family

    def _first_of_family(self, family: int, grams: Any, keys: Sequence[int]) -> None:
        """A new family's first section: its bands now lead to the family (a band already taken by another
        family keeps that one)."""
        self.conn.executemany("INSERT OR IGNORE INTO section_bands(band, family) VALUES (?, ?)",
                              [(b, family) for b in keys])
        self._remember_grams(family, grams)

    def _family_grams(self, family: int) -> Any:
        """Shingles of the family's first section still stored; None when none is."""
        if family in self._grams:
            return self._grams[family]
        from drafter.corpus.nearcopy import shingles

        row = self.conn.execute("SELECT heading, body FROM sections WHERE family = ? ORDER BY id LIMIT 1",
                                (family,)).fetchone()
        if row is None:
            return None
        grams = shingles(row[0], row[1])
        self._remember_grams(family, grams)
        return grams

    def _remember_grams(self, family: int, grams: Any) -> None:
        if len(self._grams) >= GRAMS_CACHE:
            self._grams.clear()
        self._grams[family] = grams

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def relabel(self, labels: Callable[[str], list[tuple[str, str]] | None]) -> int:
        """Set every section's (topic, role) to ``labels(report text)``, one transaction per report so a
        reader never sees a report half relabelled; a report whose sections no longer line up (None or a
        different count) keeps its labels. Returns how many reports changed."""
        changed = 0
        for (report_id,) in self.conn.execute("SELECT id FROM reports ORDER BY id").fetchall():
            blob = self.conn.execute("SELECT text FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
            text = zlib.decompress(blob).decode("utf-8") if isinstance(blob, bytes) else blob
            new = labels(text)
            old = self.conn.execute("SELECT id, topic, role FROM sections WHERE report_id = ? ORDER BY ord",
                                    (report_id,)).fetchall()
            if new is None or len(new) != len(old) or [(r["topic"], r["role"]) for r in old] == new:
                continue
            with self.transaction():
                for r, (topic, role) in zip(old, new, strict=True):
                    self.conn.execute("UPDATE sections SET topic = ?, role = ? WHERE id = ?", (topic, role, r["id"]))
            changed += 1
        return changed

    def get_meta(self, key: str) -> str | None:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return None  # no meta table yet: a new database
        return row[0] if row else None

    # --- lifecycle --------------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "CorpusStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> "_Transaction":
        return _Transaction(self.conn)

    # --- writing ----------------------------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def add_document(self, sha256: str, path: str, source: str, reports: Sequence[PreparedReport]) -> AddOutcome:
        """Store a file and its reports atomically; a file already stored (same bytes) adds nothing."""
        outcome = AddOutcome()
        try:
            self._add_document(sha256, path, source, reports, outcome)
        except BaseException:
            self._grams.clear()  # it may hold families rolled back, whose numbers will be given again
            raise
        return outcome

    def _add_document(self, sha256: str, path: str, source: str, reports: Sequence[PreparedReport],
                      outcome: AddOutcome) -> None:
        with self.transaction():
            if self.has_document(sha256):
                return
            cur = self.conn.execute(
                "INSERT INTO documents(sha256, path, source, added_at) VALUES (?, ?, ?, ?)",
                (sha256, path, source, time.strftime("%Y-%m-%d %H:%M:%S")),
            )
            doc_id = cur.lastrowid
            for report in reports:
                existing = self.conn.execute("SELECT id FROM reports WHERE sha256 = ?", (report.sha256,)).fetchone()
                if existing is not None:
                    outcome.duplicates.append((report.title, existing[0]))
                    continue
                outcome.added.append(self._insert_report(doc_id, report))

    def _insert_report(self, doc_id: int | None, r: PreparedReport) -> int:
        cur = self.conn.execute(
            "INSERT INTO reports(document_id, part, sha256, title, report_type, period, year, addressee, opening,"
            " closing, signature, date, text, n_sections) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, r.part, r.sha256, r.title, r.report_type, r.period, r.year, r.addressee, r.opening, r.closing,
             r.signature, r.date, zlib.compress(r.text.encode("utf-8")), len(r.sections)),
        )
        report_id = cur.lastrowid
        from drafter.corpus.nearcopy import bands, shingles

        for s in r.sections:
            grams = shingles(s.heading, s.body)
            keys = s.bands or bands(grams)
            family = self._find_family(grams, keys)
            new = not family
            if new:
                family = self._next_family()
            cur = self.conn.execute(
                "INSERT INTO sections(report_id, ord, parent_ord, level, marker, heading, path, topic, role, body, start,"
                " end, family) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, s.ord, s.parent_ord, s.level, s.marker, s.heading, json.dumps(s.path, ensure_ascii=False),
                 s.topic, s.role, s.body, s.start, s.end, family),
            )
            section_id = cur.lastrowid
            assert section_id is not None
            self.conn.execute("INSERT INTO section_index(rowid, head, body) VALUES (?, ?, ?)",
                              (section_id, " ".join(s.head_tokens), " ".join(s.body_tokens)))
            if new:
                self._first_of_family(family, grams, keys)
        assert report_id is not None
        return report_id

    def remove_report(self, report_id: int) -> ReportRow:
        """Delete a report and its sections. A user file left with no report is forgotten, so adding it again
        re-ingests it; a built-in file is remembered, so a removed sample stays removed."""
        row = self.get_report_row(report_id)
        if row is None:
            raise CorpusError(f"范文库中没有编号为 {report_id} 的范文。请用 drafter corpus list 查看现有编号。")
        with self.transaction():
            doc_id = self.conn.execute("SELECT document_id FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
            self.conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))
            left = self.conn.execute("SELECT COUNT(*) FROM reports WHERE document_id = ?", (doc_id,)).fetchone()[0]
            if left == 0 and row.source != "builtin":
                self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return row

    def remove_document(self, sha256: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM documents WHERE sha256 = ?", (sha256,))

    def documents(self, source: str | None = None) -> dict[str, str]:
        """sha256 → path of the stored files (of one source, or all)."""
        sql = "SELECT sha256, path FROM documents" + (" WHERE source = ?" if source else "")
        return {r[0]: r[1] for r in self.conn.execute(sql, (source,) if source else ())}

    # --- reading ----------------------------------------------------------------------------------

    _REPORT_COLUMNS = ("SELECT r.id, r.title, r.report_type, r.period, r.year, r.n_sections, d.source, d.path,"
                       " r.part, d.added_at FROM reports r JOIN documents d ON d.id = r.document_id")

    def list_reports(self, source: str | None = None, report_type: str | None = None) -> list[ReportRow]:
        clauses, params = [], []
        if source:
            clauses.append("d.source = ?")
            params.append(source)
        if report_type:
            clauses.append("r.report_type = ?")
            params.append(report_type)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.conn.execute(self._REPORT_COLUMNS + where + " ORDER BY r.id", params)
        return [ReportRow(*tuple(r)) for r in rows]

    def get_report_row(self, report_id: int) -> ReportRow | None:
        r = self.conn.execute(self._REPORT_COLUMNS + " WHERE r.id = ?", (report_id,)).fetchone()
        return ReportRow(*tuple(r)) if r else None

    def report_fields(self, report_id: int) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT addressee, opening, closing, signature, date, text FROM reports WHERE id = ?",
                              (report_id,)).fetchone()
        if r is None:
            return None
        fields = dict(r)
        if isinstance(fields["text"], bytes):
            fields["text"] = zlib.decompress(fields["text"]).decode("utf-8")
        return fields

    def sections_of(self, report_id: int) -> list[SectionRow]:
        rows = self.conn.execute(
            "SELECT id, report_id, ord, parent_ord, level, marker, heading, path, topic, body, role FROM sections"
            " WHERE report_id = ? ORDER BY ord", (report_id,))
        return [_section_row(r) for r in rows]

    def sections_by_id(self, ids: Sequence[int]) -> dict[int, SectionRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT id, report_id, ord, parent_ord, level, marker, heading, path, topic, body, role FROM sections"
            f" WHERE id IN ({marks})", list(ids))
        return {r["id"]: _section_row(r) for r in rows}

    def iter_sections(self, topic: str | None = None, report_type: str | None = None,
                      top_level_only: bool = False, role: str | None = None) -> Iterator[tuple[SectionRow, str]]:
        """(section, report type) for outline and metric statistics, in report and document order."""
        sql = ("SELECT s.id, s.report_id, s.ord, s.parent_ord, s.level, s.marker, s.heading, s.path, s.topic, s.body,"
               " s.role, r.report_type FROM sections s JOIN reports r ON r.id = s.report_id")
        clauses, params = [], []
        if topic:
            clauses.append("s.topic = ?")
            params.append(topic)
        if report_type:
            clauses.append("r.report_type = ?")
            params.append(report_type)
        if top_level_only:
            clauses.append("s.parent_ord IS NULL")
        if role:
            clauses.append("s.role = ?")
            params.append(role)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        for r in self.conn.execute(sql + " ORDER BY s.report_id, s.ord", params):
            yield _section_row(r), r["report_type"]

    def match_sections(self, match: str, *, topic: str | None = None, report_type: str | None = None,
                       exclude_reports: Sequence[int] = (), limit: int = 5, role: str | None = None,
                       one_per_family: bool = False) -> list[tuple[int, float]]:
        """(section id, bm25 score — higher is better) of the best matches of an FTS5 expression; with
        ``one_per_family``, only the best of each family of near-copies (all matches are scored anyway,
        for ORDER BY: grouping them costs a join, ~0.1 s on 10,000 reports)."""
        filters, params = self._filters(topic, report_type, exclude_reports, role)
        score = f"-bm25(section_index, {HEADING_WEIGHT}, {BODY_WEIGHT})"
        if one_per_family:
            # bm25() must run in the FTS5 scan itself: the subquery's LIMIT -1 (no limit) keeps SQLite from
            # flattening it into the join (a MATERIALIZED CTE would too, but needs SQLite 3.35)
            sql = [f"SELECT s.id, max(hit.score) AS best FROM (SELECT rowid, {score} AS score FROM section_index"
                   " WHERE section_index MATCH ? LIMIT -1) AS hit JOIN sections s ON s.id = hit.rowid"]
        else:
            sql = [f"SELECT i.rowid, {score} AS best FROM section_index i"]
            if filters:
                sql.append("JOIN sections s ON s.id = i.rowid")
        if report_type:
            sql.append("JOIN reports r ON r.id = s.report_id")
        where = filters if one_per_family else ["section_index MATCH ?", *filters]
        if where:
            sql.append("WHERE " + " AND ".join(where))
        if one_per_family:
            sql.append("GROUP BY CASE s.family WHEN 0 THEN -s.id ELSE s.family END")  # 0: not assigned yet
        sql.append("ORDER BY best DESC LIMIT ?")
        params = [match, *params, limit]
        try:
            return [(r[0], r[1]) for r in self.conn.execute(" ".join(sql), params)]
        except sqlite3.OperationalError as err:
            raise CorpusError(f"检索失败：{err}。请换一种说法重试。") from err

    @staticmethod
    def _filters(topic: str | None, report_type: str | None, exclude_reports: Sequence[int],
                 role: str | None) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if topic:
            clauses.append("s.topic = ?")
            params.append(topic)
        if role:
            clauses.append("s.role = ?")
            params.append(role)
        if report_type:
            clauses.append("r.report_type = ?")
            params.append(report_type)
        if exclude_reports:
            clauses.append(f"s.report_id NOT IN ({','.join('?' * len(exclude_reports))})")
            params.extend(exclude_reports)
        return clauses, params

    def counts(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "documents": one("SELECT COUNT(*) FROM documents").fetchone()[0],
            "reports": one("SELECT COUNT(*) FROM reports").fetchone()[0],
            "sections": one("SELECT COUNT(*) FROM sections").fetchone()[0],
        }

    def integrity_ok(self) -> bool:
        """SQLite's own check plus ours: every section indexed and in a family, every report's section count
        right."""
        if self.conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return False
        one = self.conn.execute
        orphans = one("SELECT COUNT(*) FROM sections s LEFT JOIN reports r ON r.id = s.report_id"
                      " WHERE r.id IS NULL").fetchone()[0]
        unindexed = one("SELECT COUNT(*) FROM sections WHERE id NOT IN (SELECT rowid FROM section_index)").fetchone()[0]
        stale = one("SELECT COUNT(*) FROM section_index WHERE rowid NOT IN (SELECT id FROM sections)").fetchone()[0]
        miscount = one("SELECT COUNT(*) FROM reports r WHERE n_sections !="
                       " (SELECT COUNT(*) FROM sections s WHERE s.report_id = r.id)").fetchone()[0]
        familyless = one("SELECT COUNT(*) FROM sections WHERE family = 0").fetchone()[0]
        return orphans == unindexed == stale == miscount == familyless == 0


def _schema_statements() -> list[str]:
    """``_SCHEMA`` split into statements; the trigger's body keeps its own semicolon."""
    return [part.strip() for part in re.split(r";\n(?!END)", _SCHEMA) if part.strip()]


def _index_text(text: str) -> str:
    from drafter.corpus.tokens import index_text

    return index_text(text)


def _section_row(r: sqlite3.Row) -> SectionRow:
    return SectionRow(r["id"], r["report_id"], r["ord"], r["parent_ord"], r["level"], r["marker"], r["heading"],
                      json.loads(r["path"]), r["topic"], r["body"], r["role"])


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: take the write lock up front so two writers queue, never deadlock."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
