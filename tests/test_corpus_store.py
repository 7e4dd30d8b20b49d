"""The corpus database: ingest, content hashes, removal, built-in seeding, bad input, crashes, readers."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from drafter.corpus import builtin as builtin_mod
from drafter.corpus import ingest as ingest_mod
from drafter.corpus import ingest_paths, open_store
from drafter.corpus.store import SCHEMA_VERSION, CorpusStore
from drafter.exceptions import CorpusError
from tests.conftest import FIXTURES

QINGSHI = FIXTURES / "corpus" / "qingshi-2025.md"
COMPILATION = FIXTURES / "corpus" / "site-compilation.txt"


@pytest.fixture
def store(tmp_path):
    with CorpusStore(tmp_path / "corpus.sqlite3") as s:
        yield s


def test_ingest_stores_report_structure(store):
    result = ingest_paths(store, [QINGSHI])
    assert len(result.added) == 1 and not result.errors
    (row,) = store.list_reports()
    assert (row.title, row.report_type, row.period, row.year, row.source) == (
        "青石镇2025年意识形态工作总结", "意识形态工作总结", "年度", 2025, "user")
    assert row.path == str(QINGSHI.resolve())
    sections = store.sections_of(row.id)
    assert row.n_sections == len(sections) == 13
    first_child = sections[1]
    assert first_child.path == ["一、落实主体责任，工作格局更加完善", "（一）专题研究部署。"]
    assert first_child.parent_ord == 0 and first_child.topic == "组织领导与责任制"
    assert first_child.body.startswith("镇党委全年召开党委会")
    fields = store.report_fields(row.id)
    assert fields["addressee"] == "县委宣传部：" and fields["signature"] == "中共青石镇委员会"
    assert fields["date"] == "2025年12月20日" and fields["closing"] == "特此报告。"
    assert store.integrity_ok()


def test_readding_the_same_file_is_a_no_op(store, tmp_path):
    ingest_paths(store, [QINGSHI])
    before = store.counts()
    again = ingest_paths(store, [QINGSHI])
    assert again.added == [] and again.already == [str(QINGSHI)]
    # the same bytes under another name are the same document
    copy = tmp_path / "副本.md"
    copy.write_bytes(QINGSHI.read_bytes())
    assert ingest_paths(store, [copy]).already == [str(copy)]
    assert store.counts() == before


def test_same_report_in_another_file_is_a_duplicate(store, tmp_path):
    ingest_paths(store, [QINGSHI])
    other = tmp_path / "再次下载.txt"
    other.write_text("\n\n" + QINGSHI.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = ingest_paths(store, [other])
    assert result.added == []
    assert result.duplicates == [(str(other), "青石镇2025年意识形态工作总结", 1)]


def test_compilation_is_split_and_cleaned(store):
    result = ingest_paths(store, [COMPILATION])
    assert len(result.added) == 2
    rows = store.list_reports()
    assert [r.part for r in rows] == [1, 2]
    assert rows[1].title == "白鹭乡上半年意识形态工作情况汇报" and rows[1].period == "上半年"
    for r in rows:
        text = store.report_fields(r.id)["text"]
        for residue in ("小编", "##paid", "推荐访问", "篇1", "篇2", "精选2篇"):
            assert residue not in text


def test_remove_user_report_then_readd(store):
    ingest_paths(store, [QINGSHI])
    (row,) = store.list_reports()
    removed = store.remove_report(row.id)
    assert removed.title == row.title
    assert store.counts() == {"documents": 0, "reports": 0, "sections": 0}
    assert store.conn.execute("SELECT COUNT(*) FROM section_index").fetchone()[0] == 0
    assert len(ingest_paths(store, [QINGSHI]).added) == 1  # the file is forgotten, so it comes back


def test_remove_missing_report_says_what_to_do(store):
    with pytest.raises(CorpusError, match="corpus list"):
        store.remove_report(999)


@pytest.fixture
def builtin_dir(tmp_path, monkeypatch):
    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "01.md").write_text(QINGSHI.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(builtin_mod, "builtin_files", lambda: sorted(folder.glob("*.md")))
    return folder


def test_builtin_seeded_once_and_follows_edits(tmp_path, builtin_dir):
    db = tmp_path / "c.sqlite3"
    with open_store(db) as s:
        (row,) = s.list_reports()
        assert row.source == "builtin" and row.path == "01.md"
    with open_store(db) as s:
        assert len(s.list_reports()) == 1  # no second copy
    edited = QINGSHI.read_text(encoding="utf-8").replace("4次", "5次")
    (builtin_dir / "01.md").write_text(edited, encoding="utf-8")
    with open_store(db) as s:
        (row,) = s.list_reports()
        assert "5次" in s.report_fields(row.id)["text"]
        assert s.integrity_ok()


def test_removed_builtin_stays_removed(tmp_path, builtin_dir):
    db = tmp_path / "c.sqlite3"
    with open_store(db) as s:
        (row,) = s.list_reports()
        s.remove_report(row.id)
    with open_store(db) as s:
        assert s.list_reports() == []


def test_user_corpus_adds_to_builtin(tmp_path, builtin_dir):
    with open_store(tmp_path / "c.sqlite3") as s:
        ingest_paths(s, [COMPILATION])
        assert [r.source for r in s.list_reports()] == ["builtin", "user", "user"]


def test_default_location_is_drafter_home(isolated_home, builtin_dir, monkeypatch):
    with open_store() as s:
        assert s.path == isolated_home / "corpus.sqlite3"
    monkeypatch.setenv("DRAFTER_CORPUS", str(isolated_home / "elsewhere.db"))
    with open_store() as s:
        assert s.path == isolated_home / "elsewhere.db"


# --- bad input --------------------------------------------------------------------------------------


def test_unreadable_files_are_reported_and_skipped(store, tmp_path):
    good = tmp_path / "in" / "good.md"
    good.parent.mkdir()
    good.write_text(QINGSHI.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "in" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    gbk = tmp_path / "in" / "gbk.txt"
    gbk.write_bytes(COMPILATION.read_text(encoding="utf-8").encode("gb18030"))
    result = ingest_paths(store, [tmp_path / "in", tmp_path / "missing.txt"])
    errors = dict(result.errors)
    assert set(errors) == {str(tmp_path / "in" / n) for n in ("empty.txt", "binary.txt", "broken.docx")} | {
        str(tmp_path / "missing.txt")}
    assert "空文件" in errors[str(tmp_path / "in" / "empty.txt")]
    assert "找不到文件" in errors[str(tmp_path / "missing.txt")]
    assert len(result.added) == 3  # good.md and both reports of the GB18030 compilation
    assert store.integrity_ok()


def test_folders_are_walked_recursively_skipping_hidden_and_other_files(store, tmp_path):
    root = tmp_path / "reports"
    (root / "2024" / "上半年").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "2024" / "上半年" / "a.md").write_text(QINGSHI.read_text(encoding="utf-8"), encoding="utf-8")
    (root / ".git" / "b.txt").write_text(COMPILATION.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "~$lock.docx").write_bytes(b"junk")
    (root / "notes.pdf").write_bytes(b"%PDF")
    files, errors = ingest_mod.collect_files([root])
    assert [f.name for f in files] == ["a.md"] and errors == []


def test_docx_is_ingested(store, tmp_path):
    import docx

    document = docx.Document()
    for line in QINGSHI.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "总结.docx"
    document.save(str(path))
    result = ingest_paths(store, [path])
    assert len(result.added) == 1
    assert store.list_reports()[0].n_sections == 13


def test_parallel_ingest_matches_serial(tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    base = QINGSHI.read_text(encoding="utf-8")
    for i in range(6):
        (folder / f"{i}.md").write_text(base.replace("青石镇", f"青石{i}镇"), encoding="utf-8")
    monkeypatch.setattr(ingest_mod, "PARALLEL_MIN_FILES", 1)
    with CorpusStore(tmp_path / "p.sqlite3") as p, CorpusStore(tmp_path / "s.sqlite3") as s:
        ingest_paths(p, [folder], workers=2)
        ingest_paths(s, [folder], workers=1)
        assert [(r.title, r.n_sections) for r in p.list_reports()] == [(r.title, r.n_sections) for r in s.list_reports()]


def test_progress_is_reported_per_file(store, tmp_path):
    calls = []
    ingest_paths(store, [QINGSHI, COMPILATION], progress=lambda done, total, path: calls.append((done, total)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)


# --- the database file ----------------------------------------------------------------------------


def test_corrupt_database_file_is_a_chinese_error(tmp_path):
    db = tmp_path / "bad.sqlite3"
    db.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(CorpusError, match="已损坏"):
        CorpusStore(db)


def test_other_schema_version_is_refused(tmp_path):
    db = tmp_path / "c.sqlite3"
    CorpusStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(CorpusError, match="其他版本"):
        CorpusStore(db)


def test_readers_see_committed_data_while_a_writer_holds_the_lock(tmp_path):
    db = tmp_path / "c.sqlite3"
    with CorpusStore(db) as writer, CorpusStore(db) as reader:
        ingest_paths(writer, [QINGSHI])
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("DELETE FROM reports")
        # WAL: the reader is not blocked and sees the last committed state
        assert len(reader.list_reports()) == 1
        writer.conn.execute("ROLLBACK")
        assert reader.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


_KILLED_INGEST = textwrap.dedent(
    """
    import sys, time
    from drafter.corpus import ingest_paths
    from drafter.corpus.store import CorpusStore

    original = CorpusStore._insert_report
    calls = 0

    def slow_insert(self, doc_id, report):
        # the 4th report is inserted, then we wait inside its transaction to be killed
        global calls
        calls += 1
        report_id = original(self, doc_id, report)
        if calls == 4:
            print("in-transaction", flush=True)
            time.sleep(60)
        return report_id

    CorpusStore._insert_report = slow_insert
    store = CorpusStore(sys.argv[1])
    ingest_paths(store, sys.argv[2:], workers=1)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_ingest_leaves_a_consistent_database(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    base = QINGSHI.read_text(encoding="utf-8")
    for i in range(8):
        (folder / f"{i}.md").write_text(base.replace("青石镇", f"青石{i}镇"), encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_INGEST, str(db), str(folder)],
                            stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "in-transaction"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with CorpusStore(db) as s:
        assert s.integrity_ok()
        # three files committed; the fourth, killed mid-transaction, left nothing behind
        assert s.counts() == {"documents": 3, "reports": 3, "sections": 39}
        result = ingest_paths(s, [folder])
        assert len(result.already) == 3 and len(result.added) == 5
        assert s.integrity_ok()


def test_version_1_database_gains_roles_and_is_relabelled(tmp_path):
    db = tmp_path / "c.sqlite3"
    with open_store(db, builtin=False) as s:
        ingest_paths(s, [QINGSHI])
    # what version 1 wrote: no role column, the plan's items carrying the plan's topic, no labels version
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE sections DROP COLUMN role")
    conn.execute("UPDATE sections SET topic = '下一步计划' WHERE parent_ord IN"
                 " (SELECT ord FROM sections WHERE heading = '下一步工作打算')")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("DELETE FROM meta WHERE key = 'labels_version'")
    conn.commit()
    conn.close()

    with CorpusStore(db) as s:  # the schema migration alone: roles from the old labels
        plan_items = [x for x in s.sections_of(s.list_reports()[0].id) if x.heading.startswith(("持续", "加强宣传"))]
        assert [(x.topic, x.role) for x in plan_items] == [("下一步计划", "下一步计划")] * 2
    told: list[int] = []
    with open_store(db, builtin=False, on_relabel=told.append) as s:  # then the current labeller
        assert told == [1]
        sections = s.sections_of(s.list_reports()[0].id)
        roles = {x.heading: (x.topic, x.role) for x in sections}
        assert roles["持续抓好理论武装，完善中心组学习制度。"] == ("理论学习", "下一步计划")
        assert roles["存在的问题"] == ("存在问题", "存在问题")
        assert {x.role for x in sections if x.parent_ord is None and x.topic not in ("存在问题", "下一步计划")} \
            == {"工作情况"}
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION) and s.integrity_ok()
    with open_store(db, builtin=False, on_relabel=told.append):
        assert told == [1]  # once only


# --- the full-text index ----------------------------------------------------------------------------


def _hits(s: CorpusStore, word: str) -> list[int]:
    return [sid for sid, _ in s.match_sections(f'"{word}"', limit=100)]


def test_index_keeps_no_copy_of_the_tokens(store):
    ingest_paths(store, [QINGSHI])
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "section_index_content" not in tables  # contentless: the tokens live in the index only
    assert _hits(store, "青石")


@pytest.mark.parametrize("remove", ["report", "document", "cascade"])
def test_removed_sections_leave_the_index(tmp_path, remove):
    # the index cannot be read back, so a removal that recomputed other tokens than those indexed
    # would leave ghost hits behind: no word of the removed report may still find one of its sections
    from drafter.corpus.tokens import index_text

    text = QINGSHI.read_text(encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text(text.replace("青石", "白沙"), encoding="utf-8")
    words = set(index_text(text).split())
    any_word = " OR ".join(f'"{w}"' for w in sorted(words))
    with CorpusStore(tmp_path / "c.sqlite3") as s:
        ingest_paths(s, [QINGSHI, other])
        first, second = s.list_reports()
        kept = {x.id for x in s.sections_of(second.id)}
        assert _hits(s, "青石")
        if remove == "report":
            s.remove_report(first.id)
        elif remove == "document":
            s.remove_document(s.conn.execute("SELECT sha256 FROM documents WHERE id = 1").fetchone()[0])
        else:
            with s.transaction():
                s.conn.execute("DELETE FROM documents WHERE id = 1")  # reports and sections by cascade
        assert _hits(s, "青石") == []
        assert {sid for sid, _ in s.match_sections(any_word, limit=1000)} == kept
        assert s.integrity_ok()


def _downgrade_to_version_2(db) -> None:
    """Rewrite the index as version 2 stored it: an FTS5 table keeping its own copy of the tokens."""
    from drafter.corpus.tokens import index_text

    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER sections_unindex")
    conn.execute("DROP TABLE section_index")
    conn.execute("CREATE VIRTUAL TABLE section_index USING fts5(head, body, tokenize = 'unicode61')")
    conn.execute("CREATE TRIGGER sections_unindex AFTER DELETE ON sections BEGIN"
                 " DELETE FROM section_index WHERE rowid = old.id; END")
    rows = conn.execute("SELECT id, heading, body FROM sections").fetchall()
    conn.executemany("INSERT INTO section_index(rowid, head, body) VALUES (?, ?, ?)",
                     [(i, index_text(h), index_text(b)) for i, h, b in rows])
    conn.execute("DROP TABLE section_bands")
    conn.execute("DROP INDEX sections_family")
    conn.execute("ALTER TABLE sections DROP COLUMN family")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("DELETE FROM meta WHERE key IN ('index_tokenizer', 'next_family')")
    conn.commit()
    conn.close()


def test_version_2_database_is_migrated_keeping_every_document(tmp_path):
    db = tmp_path / "c.sqlite3"
    with CorpusStore(db) as s:
        ingest_paths(s, [QINGSHI, COMPILATION])
        before = [(r.id, r.title, r.n_sections) for r in s.list_reports()]
        found = _hits(s, "青石")
    _downgrade_to_version_2(db)
    told: list[int] = []
    with CorpusStore(db, on_reindex=told.append) as s:
        assert told == [s.counts()["sections"]]
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION) and s.integrity_ok()
        assert [(r.id, r.title, r.n_sections) for r in s.list_reports()] == before
        assert _hits(s, "青石") == found
        assert s.conn.execute("SELECT COUNT(*) FROM sections WHERE family = 0").fetchone()[0] == 0
        s.remove_report(before[0][0])
        assert _hits(s, "青石") == [] and s.integrity_ok()
    with CorpusStore(db, on_reindex=told.append):
        assert len(told) == 1  # once only


def test_index_is_rebuilt_when_the_tokenizer_changes(tmp_path, monkeypatch):
    from drafter.corpus import tokens

    db = tmp_path / "c.sqlite3"
    with CorpusStore(db) as s:
        ingest_paths(s, [QINGSHI])
    monkeypatch.setattr(tokens, "TOKENIZER_VERSION", tokens.TOKENIZER_VERSION + 1)
    told: list[int] = []
    with CorpusStore(db, on_reindex=told.append) as s:
        assert told == [13] and s.get_meta("index_tokenizer") == tokens.tokenizer_key()
        s.remove_report(s.list_reports()[0].id)
        assert _hits(s, "青石") == [] and s.integrity_ok()
