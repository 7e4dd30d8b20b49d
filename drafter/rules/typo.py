"""Rules ``typo`` and ``doubled-char``: typing and OCR slips of copied reports.

``typo`` knows pairs (与论→舆论, 千部→干部, 宏扬→弘扬 …), single characters that do not belong in
simplified Chinese (晩→晚), and katakana read by OCR for a look-alike hanzi (人カ→人力). Pairs carry
context guards so the same characters inside a legitimate word ("参与论坛", "一千部电影") are left
alone. ``doubled-char`` finds a word typed twice (传承传承, 两级级, 的的) but never legitimate
reduplication (常常, 层层, 研究研究) or a doubling across a word boundary (学习习近平, 目的的).
All of it is data in ``corpus/lexicons/typos.yaml``.
"""

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.resources import cached_parse, load_lexicon
from drafter.rules import CheckContext, rule

_HAN = regexes.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# A unit of 2–4 Chinese characters typed twice in a row: 传承传承, 意识形态意识形态.
_UNIT_TWICE = regexes.compile(r"([\u4e00-\u9fff]{2,4})\1")
_WORDS: dict[str, bool] = {}  # dictionary answers already looked up in this process


@dataclass(frozen=True)
class _Guard:
    not_before: str = ""
    not_after: tuple[str, ...] = ()

    def allows(self, text: str, start: int, end: int) -> bool:
        """True when the match at [start, end) is in a context that makes it a legitimate word."""
        if start > 0 and text[start - 1] in self.not_before:
            return True
        return any(text.startswith(word, end) for word in self.not_after)


def _guard(entry: dict) -> _Guard:
    after = entry.get("not_after") or ""
    words = tuple(after.split("|")) if "|" in after else tuple(after)
    return _Guard(entry.get("not_before") or "", words)


@dataclass(frozen=True)
class _Lexicon:
    pairs: tuple[tuple[str, str, _Guard], ...]
    pair_re: re.Pattern[str]
    chars: dict[str, str]
    katakana: dict[str, str]
    known_doubled: dict[str, str]
    suspect: dict[str, _Guard]
    allow: tuple[str, ...]
    reduplication: frozenset[str]
    unit_allow: tuple[str, ...]


@cache
def _lexicon() -> _Lexicon:
    lex = load_lexicon("typos")
    pairs = tuple((p["wrong"], p["right"], _guard(p)) for p in lex["pairs"])
    # Longest first, so 防患木然 wins over any shorter pair inside it.
    alternatives = sorted({w for w, _, _ in pairs}, key=len, reverse=True)
    return _Lexicon(
        pairs=pairs,
        pair_re=regexes.compile("|".join(re.escape(w) for w in alternatives)),
        chars=dict(lex["chars"]),
        katakana=dict(lex["katakana"]),
        known_doubled=dict(lex["doubled_known"]),
        suspect={ch: _guard(g or {}) for ch, g in lex["doubled_suspect"].items()},
        allow=tuple(lex["doubled_allow"]),
        reduplication=frozenset(lex["reduplication_allow"]),
        unit_allow=tuple(lex["doubled_unit_allow"]),
    )


@dataclass(frozen=True)
class Slip:
    start: int
    end: int
    right: str
    safe: bool


def find_typos(text: str) -> list[Slip]:
    """Known typing/OCR slips with their corrections."""
    lex = _lexicon()
    by_wrong = {w: (r, g) for w, r, g in lex.pairs}
    out = []
    for m in lex.pair_re.finditer(text):
        right, guard = by_wrong[m.group()]
        if not guard.allows(text, m.start(), m.end()):
            out.append(Slip(m.start(), m.end(), right, True))
    for i, ch in enumerate(text):
        if ch in lex.chars:
            out.append(Slip(i, i + 1, lex.chars[ch], True))
        elif ch in lex.katakana and _between_han(text, i):
            out.append(Slip(i, i + 1, lex.katakana[ch], True))
    return sorted(out, key=lambda s: s.start)


def _between_han(text: str, i: int) -> bool:
    """Katakana with Chinese on both sides (or one side and a line edge) is an OCR slip, not Japanese."""
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    han_prev, han_next = bool(prev and _HAN.match(prev)), bool(nxt and _HAN.match(nxt))
    edge_or_punct = {"", "\n", "、", "，", "。", "；", ",", ";"}
    return (han_prev and han_next) or (han_prev and nxt in edge_or_punct) or (han_next and prev in edge_or_punct)


def find_doubled(text: str) -> list[Slip]:
    """Words typed twice: known ones (safe fix), two-to-four-character units, doubled function words."""
    lex = _lexicon()
    out: list[Slip] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, right: str, safe: bool) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        out.append(Slip(start, end, right, safe))

    allowed = [(m.start(), m.end()) for word in lex.allow for m in re.finditer(re.escape(word), text)]
    allowed += [(m.start(), m.end()) for word in lex.unit_allow for m in re.finditer(re.escape(word), text)]

    def is_allowed(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in allowed)

    for wrong, right in lex.known_doubled.items():
        for m in re.finditer(re.escape(wrong), text):
            add(m.start(), m.end(), right, True)
    units = [
        m for m in _UNIT_TWICE.finditer(text)
        if not (m.group(1)[0] == "一" or m.group() in lex.reduplication or m.group(1) in lex.reduplication
                or len(set(m.group(1))) == 1 or is_allowed(m.start(), m.end()))
    ]  # skipped: 一个一个, 研究研究, 天天天天, 学习学习强国
    words = _dictionary_words({m.group(1) for m in units}) if units else set()
    for m in units:
        if words is None or m.group(1) in words:
            add(m.start(), m.end(), m.group(1), False)
    for i in range(len(text) - 1):
        ch = text[i]
        guard = lex.suspect.get(ch)
        if guard is None or text[i + 1] != ch or (i > 0 and text[i - 1] == ch):
            continue
        if i + 2 < len(text) and text[i + 2] == ch:
            continue  # three in a row is deliberate (或是是是), not a slip of one extra key
        if guard.allows(text, i, i + 2) or is_allowed(i, i + 2):
            continue
        add(i, i + 2, ch, False)
    return sorted(out, key=lambda s: s.start)


def _dictionary_words(candidates: set[str]) -> set[str] | None:
    """Which candidates are words in jieba's dictionary (None when it is not installed).

    "同时按时按质" repeats 时按 across three words; only a repeated *word* (传承传承) is a slip. The
    dictionary file is read directly (never importing jieba, which `check` does not pay for), once: its
    words grouped by first character are kept in the user cache, so a check looks at a few dozen words.
    """
    unknown = candidates - _WORDS.keys()
    if unknown:
        by_first = _dictionary_by_first()
        if by_first is None:
            return None
        for word in unknown:
            _WORDS[word] = f"\n{word}\n" in by_first.get(word[:1], "")
    return {word for word in candidates if _WORDS[word]}


@cache
def _dictionary_by_first() -> dict[str, str] | None:
    """jieba's dict.txt as first character → "\nword\nword\n…\n" (a 70 ms read of 350,000 lines, cached
    by the file's size and time: an installed package file, replaced only by an upgrade)."""
    spec = importlib.util.find_spec("jieba")
    path = Path(spec.origin).parent / "dict.txt" if spec is not None and spec.origin else None
    if path is None or not path.is_file():
        return None
    stat = path.stat()

    def build() -> dict[str, str]:
        words: dict[str, list[str]] = {}
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                word = line.split(" ", 1)[0]
                if word and "\n" not in word:  # a line without a frequency names no word
                    words.setdefault(word[0], []).append(word)
        return {first: "\n" + "\n".join(group) + "\n" for first, group in words.items()}

    return cached_parse("dictionary-words", [f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()], build)


@rule("typo", Severity.ERROR, "已知错别字：与论→舆论、千部→干部、宏扬→弘扬、人カ→人力 等")
def check_typos(ctx: CheckContext) -> list[Finding]:
    return [
        ctx.finding("typo", Severity.ERROR, s.start, s.end,
                    f"错别字：“{ctx.text[s.start:s.end]}”应为“{s.right}”。--fix 可自动改正。",
                    s.right, safe_fix=True)
        for s in find_typos(ctx.text)
    ]


@rule("doubled-char", Severity.WARNING, "重复的字词：传承传承、两级级、的的（不含常常、层层等叠词）")
def check_doubled(ctx: CheckContext) -> list[Finding]:
    findings = []
    for s in find_doubled(ctx.text):
        doubled = ctx.text[s.start:s.end]
        note = "--fix 可自动改正。" if s.safe else "如确属重复，请删去一个。"
        findings.append(ctx.finding("doubled-char", Severity.WARNING, s.start, s.end,
                                    f"字词重复：“{doubled}”应为“{s.right}”？{note}", s.right, safe_fix=s.safe))
    return findings
