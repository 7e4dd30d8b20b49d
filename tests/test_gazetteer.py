"""drafter.gazetteer's storage: bucketed name lookups and the word-pair table answer as plain dicts and sets."""

import gzip

import pytest

from drafter import gazetteer as gaz_module
from drafter.gazetteer import LEVELS, WordPairs, gazetteer
from drafter.resources import data_dir


def _reference() -> tuple[dict[str, tuple[int, ...]], list[str], set[str]]:
    """Name → rows, the rows and the common words, read from the data file the simplest way."""
    with gzip.open(data_dir("corpus") / "lexicons" / "gazetteer.tsv.gz", "rt", encoding="utf-8") as fh:
        text = fh.read()
    places, _, rest = text.partition("\n%% aliases\n")
    aliases, _, words = rest.partition("\n%% words\n")
    lines = [line for line in places.split("\n") if line[:1] != "#"]
    index: dict[str, tuple[int, ...]] = {}
    for i, line in enumerate(lines):
        name = line.partition("\t")[0]
        index[name] = (*index.get(name, ()), i)
    for line in aliases.split("\n"):
        alias, _, row = line.partition("\t")
        if alias:
            index[alias] = (*index.get(alias, ()), int(row))
    return index, lines, set(words.split())


@pytest.fixture(scope="module")
def reference():
    return _reference()


def test_every_name_and_alias_finds_its_rows(reference):
    index, _, _ = reference
    gaz = gazetteer()
    assert {name: gaz.ids(name) for name in index} == index
    assert gaz.ids("不存在的地方镇") == () and gaz.ids("") == ()


@pytest.mark.parametrize("fresh", [False, True])
def test_a_row_reads_back_whether_or_not_its_name_was_looked_up(reference, fresh):
    _index, lines, _ = reference
    if fresh:
        gaz_module.gazetteer.cache_clear()
    try:
        gaz = gazetteer()
        for row in (0, len(lines) // 2, len(lines) - 1):  # a province, a township, the last township
            name, shorts, level, parent, flags = lines[row].split("\t")
            place = gaz.place(row)
            assert (place.name, place.shorts, place.level, place.parent, place.ambiguous) == (
                name, tuple(shorts.split("/")), LEVELS[level], int(parent), "a" in flags)
            assert row in gaz.ids(name)
    finally:
        gaz_module.gazetteer.cache_clear()


def test_word_pairs_answer_as_the_set_of_words(reference):
    _, _, words = reference
    pairs = WordPairs(words)
    probes = [*sorted(words)[::50], "部分", "分乡", "乡镇", "镇", "", "部分乡", "青石"]
    assert [p in pairs for p in probes] == [p in words for p in probes]
    assert all(w in pairs for w in words)
