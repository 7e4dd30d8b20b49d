"""drafter.resources: lexicons parsed as PyYAML's safe_load would, and the user cache keyed by inputs."""

import importlib.metadata
import pickle

import pytest
import yaml

import drafter
from drafter import gazetteer as gazetteer_module
from drafter.resources import cache_dir, cached_build, cached_parse, data_dir, lexicon_path, parse_yaml

LEXICONS = sorted(p.stem for p in (data_dir("corpus") / "lexicons").glob("*.yaml"))


@pytest.mark.parametrize("name", LEXICONS)
def test_every_lexicon_parses_as_the_pure_python_safe_loader_does(name):
    data = lexicon_path(name).read_bytes()
    assert parse_yaml(data) == yaml.safe_load(data.decode("utf-8"))


def test_version_string_is_the_installed_one():
    assert drafter.__version__ == importlib.metadata.version("drafter")


class Builds:
    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    return path


def test_second_build_comes_from_the_cache(source):
    build = Builds({"x": [1, 2]})
    assert cached_build("t", [source], build) == {"x": [1, 2]}
    assert cached_build("t", [source], build) == {"x": [1, 2]}
    assert build.calls == 1
    assert len(list(cache_dir().glob("t-*.pickle"))) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda src, monkeypatch: src.write_text("a: 2\n", encoding="utf-8"),  # same size, same second
        lambda src, monkeypatch: monkeypatch.setattr(drafter, "__version__", "9.9.9"),
    ],
)
def test_an_edited_source_or_a_new_version_rebuilds(source, monkeypatch, change):
    build = Builds("old")
    cached_build("t", [source], build)
    change(source, monkeypatch)
    build.value = "new"
    assert cached_build("t", [source], build) == "new"
    assert build.calls == 2
    assert len(list(cache_dir().glob("t-*.pickle"))) == 1  # the stale entry is gone


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps("x")[:-3]])
def test_a_damaged_cache_file_is_rebuilt(source, content):
    build = Builds("value")
    cached_build("t", [source], build)
    (path,) = cache_dir().glob("t-*.pickle")
    path.write_bytes(content)
    assert cached_build("t", [source], build) == "value"
    assert build.calls == 2
    assert pickle.loads(path.read_bytes()) == "value"


def test_an_unwritable_cache_only_costs_time(source, monkeypatch):
    def fail() -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr("drafter.resources.cache_dir", fail)
    build = Builds("value")
    assert cached_build("t", [source], build) == "value"
    assert cached_build("t", [source], build) == "value"
    assert build.calls == 2


def test_gazetteer_from_the_cache_equals_a_fresh_build():
    gazetteer_module.gazetteer.cache_clear()
    try:
        first = gazetteer_module.gazetteer()  # builds and writes the cache (DRAFTER_HOME is per test)
        gazetteer_module.gazetteer.cache_clear()
        second = gazetteer_module.gazetteer()  # reads it
    finally:
        gazetteer_module.gazetteer.cache_clear()
    assert first is not second
    assert vars(first) == vars(second)
    assert list(cache_dir().glob("gazetteer-*.pickle"))


def test_cached_parse_is_keyed_by_the_input_bytes():
    build = Builds({"a": 1})
    assert cached_parse("p", [b"a: 1\n"], build) == {"a": 1}
    assert cached_parse("p", [b"a: 1\n"], build) == {"a": 1}
    assert build.calls == 1
    build.value = {"a": 2}
    assert cached_parse("p", [b"a: 2\n"], build) == {"a": 2}
    assert build.calls == 2
    assert len(list(cache_dir().glob("p-*.pickle"))) == 1  # one entry per name


def test_a_build_that_raises_caches_nothing():
    def fail() -> None:
        raise ValueError("bad input")

    for _ in range(2):
        with pytest.raises(ValueError, match="bad input"):
            cached_parse("p", [b"x"], fail)
    assert not list(cache_dir().glob("p-*.pickle"))
