"""Locate the project's data: ``corpus/`` (sample reports, lexicons) and ``prompts/``; cache what is slow
to build from it.

In a wheel they are packaged as ``drafter/_data/...``; in a source checkout or an editable install
they sit beside the package at the repository root.

Start-up speed: `drafter check` reads about 17 YAML lexicons and the gazetteer in every process. YAML is
parsed with libyaml's C loader when PyYAML has it (10× the pure-Python parser), and every parsed lexicon
and the built gazetteer tables are kept in the user cache directory (``DRAFTER_HOME/cache``) as pickles
named by the package version and a CRC-32 of their source files, so an edited lexicon or a new
release never meets a stale cache (a checksum, not a digest: the cache is the user's own, and hashlib's
OpenSSL start-up alone costs 3 ms of a check). A cache that cannot be written or read is skipped silently: it only
saves time.
"""

import gc
import os
import pickle
import zlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

_PACKAGE_DIR = Path(__file__).resolve().parent
T = TypeVar("T")


def data_dir(name: str) -> Path:
    """``name`` is ``"corpus"`` or ``"prompts"``."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"drafter 的数据目录 {name}/ 不存在：安装可能不完整，请重新安装 drafter")


def lexicon_path(name: str) -> Path:
    return data_dir("corpus") / "lexicons" / f"{name}.yaml"


@cache
def load_lexicon(name: str) -> Any:
    """A YAML lexicon from ``corpus/lexicons/``, parsed once per process (and once per edit across
    processes, through the user cache)."""
    path = lexicon_path(name)
    return cached_build(f"lexicon-{name}", [path], lambda: parse_yaml(path.read_bytes()))


def parse_yaml(data: bytes) -> Any:
    """``yaml.safe_load`` with libyaml's C loader when PyYAML was built with it (same results)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data, Loader=loader)  # a safe loader either way


def prompt_path(name: str) -> Path:
    return data_dir("prompts") / name


def cache_dir() -> Path:
    """The user cache directory (``DRAFTER_HOME/cache``); jieba's dictionary cache lives here too."""
    from drafter.paths import home

    path = home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cached_build(name: str, sources: Sequence[Path], build: Callable[[], T]) -> T:
    """``build()``'s result, from the user cache when ``sources`` and the package version are unchanged.

    The key hashes the source files' bytes (a few hundred KB at most: well under a millisecond), so a
    file edited in place within the same second is still noticed, which mtimes would not guarantee.
    """
    return cached_parse(name, [src.read_bytes() for src in sources], build)


def cached_parse(name: str, inputs: Sequence[bytes], build: Callable[[], T]) -> T:
    """``build()``'s result, from the user cache when ``inputs`` (the bytes it is built from) and the
    package version are unchanged. One entry per ``name``: a new input replaces the old one. A ``build``
    that raises caches nothing, so errors are found (and worded) afresh every time."""
    crc, size = zlib.crc32(_version().encode()), 0
    for data in inputs:
        crc, size = zlib.crc32(data, crc), size + len(data)
    try:
        path = cache_dir() / f"{name}-{crc:08x}{size:x}.pickle"
    except OSError:
        return build()
    try:
        with path.open("rb") as fh:
            return _load_pickle(fh)  # our own file in the user's own directory, named by its inputs' hash
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
            ValueError):
        pass
    value = build()
    try:
        for stale in path.parent.glob(f"{name}-*.pickle"):  # older versions of the same inputs
            stale.unlink(missing_ok=True)
    except OSError:  # a read-only cache directory: the cache only saves time
        pass
    _write_cache(path, value)
    return value


def _load_pickle(fh: Any) -> Any:
    """``pickle.load`` with the cyclic garbage collector paused: the gazetteer is ~100,000 new objects,
    each allocation batch would start a collection that finds nothing (half of the 30 ms load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()


def _write_cache(path: Path, value: Any) -> None:
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    write_cache_bytes(path, data)


def write_cache_bytes(path: Path, data: bytes) -> None:
    """Write-then-rename, so a process reading the cache never sees half a file; a cache that cannot be
    written is skipped (it only saves time)."""
    import tempfile  # only when something is new: 4 ms of imports a warm check does not need

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def _version() -> str:
    from drafter import __version__

    return __version__
