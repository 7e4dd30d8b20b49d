"""`drafter corpus` through the real CLI: add, list, show, search, remove, outline; JSON for scripts."""

import json
import re

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.corpus import builtin as builtin_mod
from tests.conftest import FIXTURES, CliResult, run_cli

CORPUS = FIXTURES / "corpus"
REAL_BUILTIN_FILES = builtin_mod.builtin_files


@pytest.fixture(autouse=True)
def no_builtin(monkeypatch):
    """Most tests look at the user's own reports only; test_builtin_reports_are_loaded_by_default opts back in."""
    monkeypatch.setattr(builtin_mod, "builtin_files", lambda: [])


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def run(*args: str, env: dict | None = None) -> CliResult:
    return run_cli(*args, env=env)  # in process: a subprocess adds only start-up time


def test_add_list_show_search_remove_json(tmp_path):
    db = str(tmp_path / "c.sqlite3")
    added = invoke("corpus", "--corpus", db, "add", str(CORPUS), "--format", "json")
    assert added.exit_code == 0, added.output
    data = json.loads(added.output)
    assert len(data["added"]) == 3 and data["errors"] == []

    listed = json.loads(invoke("corpus", "--corpus", db, "list", "--format", "json").output)
    assert len(listed) == 3
    first = listed[0]
    assert {"id", "title", "path", "source", "type", "period", "year", "sections"} <= set(first)
    titles = {r["title"]: r for r in listed}
    qingshi = titles["青石镇2025年意识形态工作总结"]
    assert (qingshi["type"], qingshi["year"], qingshi["sections"], qingshi["source"]) == (
        "意识形态工作总结", 2025, 13, "user")

    shown = json.loads(invoke("corpus", "--corpus", db, "show", str(qingshi["id"]), "--format", "json").output)
    assert shown["title"] == qingshi["title"] and shown["addressee"] == "县委宣传部："
    top = shown["sections"]
    assert [s["marker"] for s in top] == ["一、", "二、", "三、", "四、", "五、"]
    assert top[1]["topic"] == "理论学习"
    assert [c["heading"] for c in top[1]["children"]] == ["中心组学习。", "基层宣讲。"]
    assert top[1]["children"][0]["text"].startswith("全年开展党委理论学习中心组")
    assert top[1]["role"] == "工作情况"
    first_plan_item = top[4]["children"][0]
    assert (first_plan_item["topic"], first_plan_item["role"]) == ("理论学习", "下一步计划")

    hits = json.loads(invoke("corpus", "--corpus", db, "search", "网络舆情", "-k", "2", "--format", "json").output)
    assert 1 <= len(hits) <= 2
    assert {"report_id", "report_title", "topic", "role", "heading", "heading_path", "text", "score"} <= set(hits[0])
    plans = json.loads(invoke("corpus", "--corpus", db, "search", "中心组学习", "--role", "下一步计划",
                              "--format", "json").output)
    assert plans and {h["role"] for h in plans} == {"下一步计划"}

    removed = json.loads(invoke("corpus", "--corpus", db, "remove", str(qingshi["id"]), "--format", "json").output)
    assert removed["removed"]["id"] == qingshi["id"]
    assert len(json.loads(invoke("corpus", "--corpus", db, "list", "--format", "json").output)) == 2


def test_text_output_is_chinese_and_says_what_next(tmp_path):
    db = str(tmp_path / "c.sqlite3")
    out = invoke("corpus", "--corpus", db, "add", str(CORPUS)).output
    assert "导入 3 篇范文" in out and "drafter corpus search" in out
    again = invoke("corpus", "--corpus", db, "add", str(CORPUS)).output
    assert "导入 0 篇范文" in again and "此前已导入" in again
    listing = invoke("corpus", "--corpus", db, "list").output
    assert "编号" in listing and "共 3 篇" in listing
    shown = invoke("corpus", "--corpus", db, "show", "1").output
    assert "章节结构" in shown and "[组织领导与责任制]" in shown and "[理论学习·下一步计划]" in shown
    found = invoke("corpus", "--corpus", db, "search", "中心组学习", "--topic", "理论学习").output
    first_hit = found.splitlines()[0]
    assert first_hit.startswith("1. 二、") and "中心组学习" in first_hit and "相关度" in found
    assert "没有找到" in invoke("corpus", "--corpus", db, "search", "扫黄打非").output
    assert "已删除第 1 篇" in invoke("corpus", "--corpus", db, "remove", "1").output


def test_corpus_option_before_or_after_the_command_and_env(tmp_path):
    db = tmp_path / "c.sqlite3"
    invoke("corpus", "add", str(CORPUS / "qingshi-2025.md"), "--corpus", str(db))
    assert len(json.loads(invoke("corpus", "--corpus", str(db), "list", "--format", "json").output)) == 1
    env_db = tmp_path / "env.sqlite3"
    result = run("corpus", "add", str(CORPUS / "qingshi-2025.md"), env={"DRAFTER_CORPUS": str(env_db)})
    assert result.returncode == 0 and env_db.exists()


def test_bad_files_are_reported_rest_ingested_exit_2(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "c.sqlite3")
    result = run("corpus", "--corpus", db, "add", str(tmp_path / "empty.txt"), str(CORPUS / "qingshi-2025.md"),
                 str(tmp_path / "missing.md"))
    assert result.returncode == 2
    assert "无法导入" in result.stderr and "空文件" in result.stderr and "找不到文件" in result.stderr
    assert "导入 1 篇范文" in result.stdout and "2 个文件无法导入" in result.stdout
    # not a terminal: no progress bar noise on stderr
    assert "导入范文" not in result.stderr


def test_show_and_remove_unknown_ids(tmp_path):
    db = str(tmp_path / "c.sqlite3")
    missing = run("corpus", "--corpus", db, "show", "42")
    assert missing.returncode == 2 and "没有编号为 42" in missing.stderr and "corpus list" in missing.stderr
    bad = run("corpus", "--corpus", db, "remove", "第三篇")
    assert bad.returncode == 2 and "范文编号应为数字" in bad.stderr


def test_outline_command(tmp_path):
    db = str(tmp_path / "c.sqlite3")
    invoke("corpus", "--corpus", db, "add", str(CORPUS))
    items = json.loads(invoke("corpus", "--corpus", db, "outline", "--format", "json").output)
    assert items[0]["topic"] == "组织领导与责任制" and "metrics" in items[0]
    text = invoke("corpus", "--corpus", db, "outline").output
    assert "1. 组织领导与责任制" in text and "常报数字" in text


def test_builtin_reports_are_loaded_by_default(monkeypatch):
    monkeypatch.setattr(builtin_mod, "builtin_files", REAL_BUILTIN_FILES)
    files = REAL_BUILTIN_FILES()
    if not files:
        pytest.skip("no built-in reports in corpus/reports/")
    listed = json.loads(invoke("corpus", "list", "--format", "json").output)
    assert len(listed) == len(files)
    assert {r["source"] for r in listed} == {"builtin"}
    assert {r["path"] for r in listed} == {f.name for f in files}


def test_seed_001_ingests_15_reports_without_residue(tmp_path, seeds_dir):
    from drafter.check import CheckOptions, check_source
    from drafter.corpus import open_store
    from drafter.rules import all_rules
    from drafter.source import SourceText

    db = str(tmp_path / "c.sqlite3")
    result = json.loads(invoke("corpus", "--corpus", db, "add", str(seeds_dir), "--format", "json").output)
    assert result["errors"] == []
    listed = json.loads(invoke("corpus", "--corpus", db, "list", "--format", "json").output)
    parts = [r for r in listed if r["path"].endswith(next(seeds_dir.glob("001_*.txt")).name)]
    # 15 reports found; exact repeats inside the compilation (if any) are stored once and named
    assert len(parts) + sum(1 for d in result["duplicates"] if "001_" in d["path"]) == 15
    residue = re.compile(r"小编|##paid|bookmark|推荐访问|文档网|篇\d+\s*$|\.\.\.$", re.M)
    with open_store(db) as store:
        for row in listed:
            text = store.report_fields(row["id"])["text"]
            assert not residue.search(text), (row["title"], residue.search(text))
            if "residue" in all_rules():
                findings = check_source(SourceText("x", text), CheckOptions(select={"residue"}))
                assert findings == [], (row["id"], [f.text for f in findings])


def test_an_old_index_is_rebuilt_once_and_the_user_told(tmp_path, monkeypatch):
    from drafter.cli import corpus_cmd
    from drafter.corpus import ingest_paths
    from drafter.corpus.store import CorpusStore
    from tests.test_corpus_store import _downgrade_to_version_2

    db = tmp_path / "c.sqlite3"
    with CorpusStore(db) as s:
        ingest_paths(s, [CORPUS])
    _downgrade_to_version_2(db)
    monkeypatch.setattr(corpus_cmd, "REINDEX_NOTICE_MIN", 1)
    first = run("corpus", "--corpus", str(db), "list")
    assert first.returncode == 0 and "重建索引" in first.stderr
    assert "共 3 篇" in first.stdout  # every report still there
    again = run("corpus", "--corpus", str(db), "search", "网络舆情")
    assert again.returncode == 0 and "重建索引" not in again.stderr and "舆情" in again.stdout
