"""drafter.regexes: a pattern rebuilt from the cross-process cache matches exactly as re.compile's does."""

import marshal
import re

import pytest

from drafter import regexes

PATTERNS = [
    (r"[\u3400-\u4dbf\u4e00-\u9fff]", 0, "abc意识形态x㐀"),
    (r"(?P<num>[一二三四五六七八九十]{1,3})(?:、|[．.](?!\d))", 0, "一、加强领导 十二．落实 3.5"),
    (r"([\u4e00-\u9fff]{2,4})\1", 0, "传承传承文化，意识形态意识形态"),
    (r"(?<=[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff])|\d+(?:\.\d+)?%", 0, "学习 教育 达到96.5%以上"),
    (r"^(?P<title>.{2,10}?)篇\s*(?P<n>\d)$", re.M, "总结篇 1\n另一行\n报告篇2"),
    (r"download|免费下载", re.IGNORECASE, "DownLoad 本文 免费下载"),
    (r"(?:xx|XX|××)(?:村|镇)", 0, "xx村和××镇"),
    (rb'"reasoning_content"\s*:\s*"[^"]', 0, b'{"reasoning_content": "x"}'),
]


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache in this test's own file, as a new process would start."""
    monkeypatch.setattr(regexes, "_table", {})
    monkeypatch.setattr(regexes, "_new", {})
    monkeypatch.setattr(regexes, "_used", set())
    monkeypatch.setattr(regexes, "_compiled", {})
    monkeypatch.setattr(regexes, "_path", tmp_path / "regexes.marshal")
    return tmp_path / "regexes.marshal"


def _behaviour(pattern: re.Pattern[str], text: str) -> tuple:
    return ([(m.span(), m.group(), m.groups(), m.groupdict()) for m in pattern.finditer(text)],
            pattern.groups, pattern.groupindex, pattern.flags, pattern.pattern)


@pytest.mark.parametrize(("pattern", "flags", "text"), PATTERNS)
def test_a_pattern_from_the_cache_matches_as_re_compile_does(fresh, monkeypatch, pattern, flags, text):
    first = regexes.compile(pattern, flags)
    assert _behaviour(first, text) == _behaviour(re.compile(pattern, flags), text)
    regexes._save()
    saved = marshal.loads(fresh.read_bytes())
    assert (pattern, int(flags)) in saved
    # the next process: the entry from the file, rebuilt without sre's compiler
    monkeypatch.setattr(regexes, "_table", saved)
    monkeypatch.setattr(regexes, "_new", {})
    monkeypatch.setattr(regexes, "_compiled", {})
    monkeypatch.setattr(regexes, "_build", lambda *a: pytest.fail("compiled again although cached"))
    again = regexes.compile(pattern, flags)
    assert _behaviour(again, text) == _behaviour(re.compile(pattern, flags), text)


def test_a_damaged_entry_is_compiled_afresh(fresh, monkeypatch):
    pattern = r"[\u4e00-\u9fff]+镇"
    monkeypatch.setattr(regexes, "_table", {(pattern, 0): (32, [0, 1, 2, 99999], 0, {}, (None,))})
    assert regexes.compile(pattern).findall("青石镇和禾坪镇") == ["青石镇和禾坪镇"]
    regexes._save()
    assert marshal.loads(fresh.read_bytes())[pattern, 0][1] != [0, 1, 2, 99999]


@pytest.mark.parametrize("content", [b"", b"not marshal at all", marshal.dumps([1, 2, 3])])
def test_an_unreadable_cache_file_only_costs_time(tmp_path, monkeypatch, content):
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path))
    monkeypatch.setattr(regexes, "_table", None)
    monkeypatch.setattr(regexes, "_compiled", {})
    monkeypatch.setattr(regexes, "_new", {})
    monkeypatch.setattr(regexes, "_used", set())
    monkeypatch.setattr(regexes, "_path", None)
    (tmp_path / "cache").mkdir()
    tag = regexes._cache_tag()
    (tmp_path / "cache" / f"regexes-{tag}.marshal").write_bytes(content)
    assert regexes.compile(r"(\d+)个村").findall("11个村") == ["11"]
    regexes._save()
    assert (r"(\d+)个村", 0) in marshal.loads((tmp_path / "cache" / f"regexes-{tag}.marshal").read_bytes())


def test_the_file_keeps_only_used_patterns_past_its_limit(fresh, monkeypatch):
    monkeypatch.setattr(regexes, "_MAX_ENTRIES", 3)
    monkeypatch.setattr(regexes, "_table", {(f"old{i}", 0): regexes._build(f"old{i}", 0)[1] for i in range(3)})
    regexes.compile("new")
    regexes._save()
    assert set(marshal.loads(fresh.read_bytes())) == {("new", 0)}
