"""jieba tokens for BM25, with the genre's user dictionary and a cache under ``DRAFTER_HOME``.

jieba is imported here, inside functions, so ``drafter check`` never pays for it. Its prefix-dict cache
goes to ``DRAFTER_HOME/cache`` (not the system temp directory: several users, intranet machines).
"""

import logging
import marshal
import threading
from functools import cache
from typing import Any

from drafter import regexes
from drafter.paths import home
from drafter.resources import data_dir

# Function words and the genre's ubiquitous filler: they match every section and only slow queries.
_STOPWORD_TEXT = (
    "的 了 和 与 及 或 等 在 是 对 为 把 将 被 由 从 向 以 于 中 上 下 也 都 并 而 又 其 之 有 个 这 那 "
    "我 我们 你 他 她 它 各 每 该 本 此 一 不 要 让 使 给 到 来 去 好 更 很 还 已 所 着 过 就 能 会 "
    "进行 开展 工作 加强 强化 推进 推动 坚持 认真 积极 深入 切实 不断 全面 扎实 进一步 有效 确保 "
    "情况 方面 以来 今年 同时 通过 围绕 根据 按照 结合 充分 及时 努力 主要 相关 有关 一是 二是 三是 四是"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = regexes.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
_lock = threading.Lock()


class _Dictionary:
    """jieba's tokenizer whose prefix dictionary is filled one first character at a time.

    jieba looks up only fragments of the text it cuts, and every fragment starts with one of the text's
    characters: so the dictionary (580,000 words and prefixes) is kept as one marshalled bucket per first
    character, and a text's buckets are decoded into ``FREQ`` — a plain dict, as jieba expects — before it
    is cut. A retrieval query opens a few dozen buckets (milliseconds) instead of decoding all of them
    (0.2 s); ingesting a corpus opens them all, as before."""

    def __init__(self, tk: Any, buckets: dict[str, bytes]) -> None:
        self.tk, self._buckets = tk, buckets
        self._open: set[str] = set()
        tk.FREQ = {}

    def cut(self, text: str) -> list[str]:
        if not self._open.issuperset(text):
            with _lock:  # threads compose sections side by side: a bucket is decoded once
                for ch in set(text) - self._open:
                    blob = self._buckets.pop(ch, None)  # decoded once: the bytes can go
                    if blob is not None:
                        self.tk.FREQ.update(marshal.loads(blob))
                    self._open.add(ch)  # after its words are in: another thread may be cutting
        return self.tk.lcut(text, HMM=False)


def _buckets(freq: dict[str, int]) -> dict[str, bytes]:
    by_first: dict[str, dict[str, int]] = {}
    for word, count in freq.items():
        if word:
            by_first.setdefault(word[0], {})[word] = count
    return {ch: marshal.dumps(words) for ch, words in by_first.items()}


@cache
def _tokenizer() -> _Dictionary:
    """jieba's tokenizer with the genre's words, its prefix dictionary from the user cache.

    jieba's own start-up costs ~0.85 s of CPU: ``marshal.load`` from a file object reads its 9 MB cache in
    small pieces (0.7 s), importing jieba pulls in pkg_resources (0.1 s) for a path it can compute without
    it, and the user words are added one by one. So the dictionary *with* the user words is kept as one
    marshal file of per-character buckets (see ``_Dictionary``), keyed by jieba's version, its dictionary
    file and the user dictionary's bytes, and loaded in one read.
    """
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter must not reach users
    cache_dir = home() / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(cache_dir)
    tk.cache_file = "jieba.cache"
    with _lock:
        cached = cache_dir / f"jieba-buckets-{_dictionary_key(jieba)}.marshal"
        try:
            total, tags, buckets = marshal.loads(cached.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            tk.initialize()
            for word, freq, tag in user_words():
                tk.add_word(word, freq, tag)
            total, tags, buckets = tk.total, tk.user_word_tag_tab, _buckets(tk.FREQ)
            _write_marshal(cached, (total, tags, buckets))
        tk.total, tk.user_word_tag_tab, tk.initialized = total, tags, True
    return _Dictionary(tk, buckets)


def _import_jieba() -> Any:
    """``import jieba`` without pkg_resources: jieba imports it only to locate its own dict.txt and falls
    back to a plain path when it is missing, which is what it then uses. Blocked for this import only."""
    import sys

    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _dictionary_key(jieba: Any) -> str:
    import hashlib
    from pathlib import Path

    main_dict = Path(jieba.__file__).parent / "dict.txt"
    stat = main_dict.stat()
    digest = hashlib.sha256(f"{jieba.__version__}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    digest.update(_userdict_path().read_bytes())
    return digest.hexdigest()[:20]


def _write_marshal(path: Any, value: Any) -> None:
    """Replace the older dictionary caches with this one (another process may be reading: written then
    renamed, by drafter.resources); a cache that cannot be written costs time only."""
    import contextlib

    from drafter.resources import write_cache_bytes

    with contextlib.suppress(OSError):
        for pattern in ("jieba-words-*.marshal", "jieba-buckets-*.marshal"):  # the old whole-dict form too
            for stale in path.parent.glob(pattern):
                stale.unlink(missing_ok=True)
    write_cache_bytes(path, marshal.dumps(value))


def _userdict_path() -> Any:
    return data_dir("corpus") / "lexicons" / "jieba_userdict.txt"


def user_words() -> list[tuple[str, int | None, str | None]]:
    """Entries of ``corpus/lexicons/jieba_userdict.txt``: word, frequency, part of speech."""
    path = _userdict_path()
    entries: list[tuple[str, int | None, str | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        entries.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return entries


def tokenize(text: str) -> list[str]:
    """Content tokens of ``text``: jieba words minus punctuation and stopwords, Latin lower-cased."""
    out = []
    for token in _tokenizer().cut(text):
        token = token.strip().lower()
        if token and _WORD.search(token) and token not in STOPWORDS:
            out.append(token)
    return out


MAX_QUERY_TOKENS = 64  # a pasted paragraph as a query: its first 64 distinct words are plenty for BM25


def index_text(text: str) -> str:
    """What the full-text index holds for ``text``: its tokens, space-separated (FTS5's unicode61 splits them
    back). The index keeps no copy of it, so removing a section recomputes it: it must stay a pure function
    of ``text`` and the tokenizer (``tokenizer_key``)."""
    return " ".join(tokenize(text))


TOKENIZER_VERSION = 1  # raise when tokenize() changes in a way the key below cannot see


def tokenizer_key() -> str:
    """A fingerprint of everything ``tokenize`` depends on — this code's version, the stopwords, jieba's
    code and dictionary and the user dictionary — computed without importing jieba (``drafter corpus list``
    opens the corpus and must not pay for it). The index records the key it was built with; a different
    key means its tokens can no longer be recomputed, so it is rebuilt (``CorpusStore``: a minute for
    10,000 reports). Contents, not modification times: a reinstalled jieba must not cost that minute.
    jieba's 5 MB dictionary counts by its size (hashing it would cost every open ~10 ms)."""
    import hashlib
    import importlib.util
    from pathlib import Path

    digest = hashlib.sha256(f"{TOKENIZER_VERSION}|{_WORD.pattern}|{' '.join(sorted(STOPWORDS))}".encode())
    spec = importlib.util.find_spec("jieba")
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent
        try:
            digest.update((package / "__init__.py").read_bytes())
            digest.update(f"|dict.txt:{(package / 'dict.txt').stat().st_size}".encode())
        except OSError:
            pass
    digest.update(_userdict_path().read_bytes())
    return digest.hexdigest()[:20]


def fts_query(tokens: list[str]) -> str:
    """An FTS5 MATCH expression OR-ing the distinct tokens, each quoted (tokens may hold any character)."""
    seen: list[str] = []
    for t in tokens:
        if t not in seen:
            seen.append(t)
            if len(seen) == MAX_QUERY_TOKENS:
                break
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in seen)
