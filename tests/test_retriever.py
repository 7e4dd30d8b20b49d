"""BM25 retrieval over jieba tokens: ranking, filters, exclusions, duplicates, the langchain retriever."""

import subprocess
import sys

import pytest

from drafter.corpus import ingest_paths, search
from drafter.corpus.store import CorpusStore
from drafter.corpus.tokens import fts_query, tokenize
from drafter.exceptions import UsageError
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus"


@pytest.fixture
def store(tmp_path):
    with CorpusStore(tmp_path / "c.sqlite3") as s:
        ingest_paths(s, [CORPUS])
        yield s


def test_tokens_keep_genre_terms_whole_and_drop_filler():
    tokens = tokenize("（一）加强学习强国使用管理，农家书屋、宣传栏都要进一步规范。")
    assert {"学习强国", "农家书屋", "宣传栏"} <= set(tokens)
    assert "进一步" not in tokens and "，" not in tokens and "的" not in tokens


def test_fts_query_quotes_every_token():
    assert fts_query(["舆情", 'a"b', "舆情"]) == '"舆情" OR "a""b"'


def test_jieba_cache_lives_under_drafter_home(isolated_home):
    tokenize("意识形态")
    # the tokenizer is built once per process; its cache directory is DRAFTER_HOME/cache when built here,
    # or the first test's home: either way never the system temp directory
    from drafter.corpus.tokens import _tokenizer

    assert "drafter-home" in _tokenizer().tk.tmp_dir


def test_tokenizer_from_the_user_cache_cuts_as_jieba_with_its_whole_dictionary(isolated_home):
    """The cached prefix dictionary (jieba's words plus the genre's), opened a first character at a time,
    gives the very cuts of a jieba tokenizer that loaded everything — built fresh and read back."""
    import jieba

    from drafter.corpus import tokens

    sample = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md")))
    whole = jieba.Tokenizer()
    whole.tmp_dir = str(isolated_home)
    whole.initialize()
    for word, freq, tag in tokens.user_words():
        whole.add_word(word, freq, tag)
    expected = [whole.lcut(line, HMM=False) for line in sample.splitlines()]
    tokens._tokenizer.cache_clear()
    try:
        fresh = tokens._tokenizer()  # builds, writes DRAFTER_HOME/cache/jieba-buckets-*.marshal
        assert list((isolated_home / "cache").glob("jieba-buckets-*.marshal"))
        assert [fresh.cut(line) for line in sample.splitlines()] == expected
        tokens._tokenizer.cache_clear()
        cached = tokens._tokenizer()  # loads it
        assert cached is not fresh and cached.tk.total == whole.total
        assert [cached.cut(line) for line in reversed(sample.splitlines())] == expected[::-1]
        assert "意识形态" in tokenize(sample) and "学习强国" in tokenize("学习强国使用率")  # user words kept
    finally:
        tokens._tokenizer.cache_clear()


def test_best_section_first_with_its_report_and_path(store):
    hits = search("网络舆情处置", k=3, store=store)
    assert hits[0].heading in ("2.稳妥处置舆情。", "（二）及时回应。", "二、舆情处置")
    assert hits[0].topic == "网络意识形态与舆情"
    by_heading = {h.heading: h for h in hits}
    hit = by_heading.get("2.稳妥处置舆情。")
    assert hit is not None
    assert hit.report_title == "青石镇2025年意识形态工作总结"
    assert hit.heading_path == ["三、做好新闻宣传，舆论引导有力有效", "2.稳妥处置舆情。"]
    assert hit.text.startswith("全年监测处置网络舆情3起")
    assert hit.score > 0 and hits == sorted(hits, key=lambda h: -h.score)


def test_filter_by_topic_and_type(store):
    assert {h.topic for h in search("学习", topic="理论学习", k=10, store=store)} == {"理论学习"}
    hits = search("舆情", type="意识形态工作总结", k=10, store=store)
    assert hits and {h.report_type for h in hits} == {"意识形态工作总结"}
    assert search("舆情", type="精神文明建设工作总结", store=store) == []


def test_unknown_filters_list_the_choices(store):
    with pytest.raises(UsageError, match="可用的主题"):
        search("学习", topic="学习", store=store)
    with pytest.raises(UsageError, match="可用的类型"):
        search("学习", type="年终总结", store=store)


def test_exclude_reports(store):
    hits = search("中心组学习", k=10, store=store)
    own = hits[0].report_id
    assert all(h.report_id != own for h in search("中心组学习", k=10, store=store, exclude_reports=[own]))


def test_verbatim_copies_are_returned_once(store, tmp_path):
    copy = tmp_path / "转载.txt"
    copy.write_text("转载的总结\n开头：\n一、网络舆情\n全年监测处置网络舆情3起，均在当天核实回应。\n", encoding="utf-8")
    other = tmp_path / "再转载.txt"
    other.write_text("另一份总结\n开头：\n一、网络舆情\n全年监测处置网络舆情3起，均在当天核实回应。\n", encoding="utf-8")
    ingest_paths(store, [copy, other])
    hits = search("网络舆情", k=10, store=store)
    keys = [(h.heading, h.text) for h in hits]
    assert len(keys) == len(set(keys))


def test_queries_without_content_words_return_nothing(store):
    assert search("的了和", store=store) == []
    assert search("，。！", store=store) == []
    assert search('"舆情" OR NEAR(', store=store)  # FTS5 syntax in a query is just text


def test_k_limits_the_hits(store):
    assert len(search("工作", k=2, store=store)) <= 2


def test_langchain_retriever_returns_documents_with_metadata(tmp_path):
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    from drafter.corpus.retriever import CorpusRetriever

    db = tmp_path / "lc.sqlite3"
    with CorpusStore(db) as s:
        ingest_paths(s, [CORPUS])
    retriever = CorpusRetriever(corpus=str(db), k=3, topic="理论学习")
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("中心组集体学习")
    assert docs and all(isinstance(d, Document) for d in docs)
    meta = docs[0].metadata
    assert meta["topic"] == "理论学习"
    assert {"report_id", "report_title", "heading_path", "report_type", "section_id", "score"} <= set(meta)
    assert "中心组" in docs[0].page_content or "中心组" in meta["heading"]


def test_plain_search_does_not_import_langchain():
    code = ("import sys; import drafter.corpus.retriever, drafter.cli.corpus_cmd; "
            "print([m for m in sys.modules if m.startswith(('langchain', 'jieba'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_query_topic_prior_prefers_the_querys_subject(store):
    from drafter.corpus.retriever import query_topic

    assert query_topic("（二）强化理论武装") == "理论学习"
    assert query_topic("其他事项") is None
    with_prior = search("加强宣传队伍", k=3, store=store)
    assert with_prior[0].topic in ("队伍建设", "下一步计划")
    plain = search("加强宣传队伍", k=3, store=store, topic_prior=False)
    assert {h.section_id for h in plain} <= {h.section_id for h in search("加强宣传队伍", k=50, store=store)}


def test_retrieval_evaluation_on_seeds_holds_its_floor(seeds_dir):
    """The committed evaluation (tests/eval/retrieval_eval.py) as a regression floor; figures in its output."""
    from pathlib import Path

    script = Path(__file__).resolve().parent / "eval" / "retrieval_eval.py"
    out = subprocess.run([sys.executable, str(script), "--seeds", str(seeds_dir), "--min-share", "0.75"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "label agreement" in out.stdout


def test_filter_by_role_keeps_plans_apart_from_work(store):
    plans = search("中心组学习", role="下一步计划", k=10, store=store)
    assert plans and {h.role for h in plans} == {"下一步计划"}
    assert plans[0].heading.startswith("（一）持续抓好理论武装") and plans[0].topic == "理论学习"
    work = search("中心组学习", role="工作情况", k=10, store=store)
    assert work and {h.role for h in work} == {"工作情况"}
    assert "下一步计划" in {h.role for h in search("中心组学习", k=20, store=store)}
    with pytest.raises(UsageError, match="未知的部分"):
        search("学习", role="成绩", store=store)


def _variant(i: int, unit: str) -> str:
    """A county template filled in by one township: the same sections, its own name and numbers."""
    return (f"{unit}2025年意识形态工作总结\n今年以来，{unit}党委认真落实责任制。\n"
            f"一、网络舆情处置\n全年监测处置网络舆情{i + 3}起，{unit}网信办均在当天核实回应，舆情平稳。"
            f"建立网评员队伍{i + 5}人，每月开展一次舆情研判，对苗头性问题早发现、早报告、早处置，"
            f"全年未发生重大网络舆情事件。\n"
            f"二、理论学习\n党委理论学习中心组学习{i + 12}次，专题研讨{i % 7 + 2}次。\n")


@pytest.mark.parametrize("copies", [1, 40])
def test_near_copies_do_not_crowd_out_distinct_hits(tmp_path, copies):
    """Forty townships' copies of one template (other names and numbers) must not fill the candidate
    window: the distinct sections behind them still come back, and only one copy of the template's."""
    with CorpusStore(tmp_path / "c.sqlite3") as store:
        ingest_paths(store, [CORPUS])
        distinct = len(search("网络舆情 监测 处置 回应", k=10, store=store))
        folder = tmp_path / "各乡镇"
        folder.mkdir()
        names = ["青山", "白水", "红岩", "金沙", "石门", "清溪", "龙潭", "凤岭"]
        for i in range(copies):
            unit = names[i % len(names)] + "甲乙丙丁戊"[i // len(names)] + "镇"
            (folder / f"{i:02d}.txt").write_text(_variant(i, unit), encoding="utf-8")
        ingest_paths(store, [folder])
        hits = search("网络舆情 监测 处置 回应", k=10, store=store)
    template = [h for h in hits if "网信办均在当天核实回应" in h.text]
    assert len(template) == 1
    assert len(hits) == min(10, distinct + 1)


def test_tokenizer_key_follows_contents_not_times(tmp_path, monkeypatch):
    """The index is rebuilt when the key changes: by jieba's code or the user dictionary, never by a
    reinstall that only touched the files' times."""
    import importlib.util
    import os
    import shutil
    from types import SimpleNamespace

    from drafter.corpus import tokens

    real = importlib.util.find_spec("jieba")
    assert real is not None and real.origin
    fake = tmp_path / "jieba"
    fake.mkdir()
    for name in ("__init__.py", "dict.txt"):
        shutil.copy(os.path.join(os.path.dirname(real.origin), name), fake / name)
    userdict = tmp_path / "userdict.txt"
    userdict.write_bytes(tokens._userdict_path().read_bytes())
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: SimpleNamespace(origin=str(fake / "__init__.py")))
    monkeypatch.setattr(tokens, "_userdict_path", lambda: userdict)
    key = tokens.tokenizer_key()
    for f in (fake / "__init__.py", fake / "dict.txt", userdict):
        os.utime(f, (1, 1))
    assert tokens.tokenizer_key() == key
    changes = [lambda: userdict.write_text(userdict.read_text(encoding="utf-8") + "网评员 5 n\n", encoding="utf-8"),
               lambda: (fake / "__init__.py").write_text("# another jieba\n", encoding="utf-8"),
               lambda: monkeypatch.setattr(tokens, "TOKENIZER_VERSION", tokens.TOKENIZER_VERSION + 1)]
    for change in changes:
        change()
        assert tokens.tokenizer_key() != key
        key = tokens.tokenizer_key()
