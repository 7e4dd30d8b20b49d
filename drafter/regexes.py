"""Compiled regular expressions, kept across processes in the user cache.

Why: CPython compiles a character class with a CJK range (``[\\u4e00-\\u9fff]``) by looping in Python
over every code point of the range — 1–2 ms a pattern. drafter's rules and parsers build about 150
patterns at start-up, a sixth of a whole ``drafter check``. ``compile`` keeps what sre's compiler
produces (its code words and group tables: plain ints and strings) in ``DRAFTER_HOME/cache`` and rebuilds
the pattern from them with ``_sre.compile``, which validates the code it is given.

The file is keyed by the Python version and sre's ``MAGIC``, so another interpreter never reads it; a
missing, unreadable or rejected entry is compiled afresh (the cache only saves time). New entries are
written once, when the process exits. Only patterns drafter writes itself (literals and ones built from
its lexicons) go through here — a pattern built from a user's document or facts stays ``re.compile``.
"""

from __future__ import annotations

import atexit
import marshal
import re
import sys
import zlib
from pathlib import Path
from typing import Any, AnyStr

try:  # sre's internals (Python ≥ 3.11); without them every pattern is simply compiled
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another implementation of Python
    _sre = None

_MAX_ENTRIES = 2000  # past this, only the patterns this process used are kept
_Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]
_Key = tuple[str | bytes, int]

_table: dict[_Key, _Entry] | None = None
_new: dict[_Key, _Entry] = {}
_used: set[_Key] = set()
_path: Path | None = None
_compiled: dict[_Key, re.Pattern[Any]] = {}  # this process's, as re's own cache would


def compile(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, from the cross-process cache when it has the pattern."""
    flags = int(flags)
    if _sre is None or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    compiled = _compiled.get(key)
    if compiled is not None:
        return compiled
    entry = _load().get(key)
    if entry is not None:
        try:
            compiled = _sre.compile(pattern, *entry)
        except (RuntimeError, TypeError, ValueError, OverflowError):  # a damaged entry: compile it again
            compiled = None
    if compiled is None:
        compiled, _new[key] = _build(pattern, flags)
    _used.add(key)
    _compiled[key] = compiled
    return compiled


def _build(pattern: AnyStr, flags: int) -> tuple[re.Pattern[AnyStr], _Entry]:
    """What ``re._compiler.compile`` does, keeping its output."""
    if not isinstance(pattern, (str, bytes)):
        raise TypeError(f"a pattern is str or bytes, not {type(pattern).__name__}")
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # sre's opcodes are an int subclass, which marshal does not take
    entry: _Entry = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex,
                     tuple(indexgroup))
    return _sre.compile(pattern, *entry), entry


def _load() -> dict[_Key, _Entry]:
    global _table, _path
    if _table is not None:
        return _table
    _table = {}
    try:
        from drafter.resources import cache_dir

        _path = cache_dir() / f"regexes-{_cache_tag()}.marshal"
    except OSError:
        return _table
    try:
        data = marshal.loads(_path.read_bytes())
        if isinstance(data, dict):
            _table = data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    atexit.register(_save)
    return _table


def _cache_tag() -> str:
    """Names the file after the interpreter: sre's code words mean nothing to another version."""
    return f"{zlib.crc32(f'{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}'.encode()):08x}"


def _save() -> None:
    """Write the table with this process's new patterns (atomically; a failure only costs time)."""
    if not _new or _path is None or _table is None:
        return
    merged = {**_table, **_new}
    if len(merged) > _MAX_ENTRIES:
        merged = {k: v for k, v in merged.items() if k in _used}
    from drafter.resources import write_cache_bytes

    write_cache_bytes(_path, marshal.dumps(merged))
