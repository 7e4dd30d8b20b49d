"""Rule ``residue``: what a document site leaves in a copied report.

Paid-content markers (``##paidbegin##``), the editor's recommendation line and the motto before it,
keyword link lists (``推荐访问：``), Word bookmarks, compilation headings (``……工作总结篇3``), word
counts, download notices, and a first line that repeats the opening cut off with ``...``. None of it
belongs in the report, so every finding carries a safe fix: delete it (whole lines with their
newline). Patterns are data in ``corpus/lexicons/residue.yaml``; ``drafter.clean`` applies the fixes.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.headings import match_heading
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule

RULE_ID = "residue"
_RECOMMENDATION = "文档网站的推荐语"
_WHITESPACE = regexes.compile(r"\s+")


@dataclass(frozen=True)
class Residue:
    start: int
    end: int  # whole-line residue ends after the line's newline
    what: str
    whole_line: bool


@dataclass(frozen=True)
class _Patterns:
    inline: tuple[tuple[re.Pattern[str], str], ...]
    lines: tuple[tuple[re.Pattern[str], str, int | None], ...]
    motto_max_chars: int
    motto_not: tuple[str, ...]
    truncation_marks: tuple[str, ...]
    truncated_min_chars: int


@cache
def _patterns() -> _Patterns:
    lex = load_lexicon("residue")
    return _Patterns(
        inline=tuple((regexes.compile(p["pattern"]), p["what"]) for p in lex["inline"]),
        lines=tuple((regexes.compile(p["pattern"]), p["what"], p.get("max_chars")) for p in lex["lines"]),
        motto_max_chars=int(lex["motto_max_chars"]),
        motto_not=tuple(lex["motto_not"]),
        truncation_marks=tuple(lex["truncation_marks"]),
        truncated_min_chars=int(lex["truncated_min_chars"]),
    )


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, blank ones included; ``end`` excludes the newline."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


@lru_cache(maxsize=4)  # the residue, punctuation and clean steps all ask about the same text
def find_residue(text: str) -> tuple[Residue, ...]:
    """Every piece of document-site residue in ``text``, in order."""
    pats = _patterns()
    lines = _line_spans(text)
    whole: dict[int, str] = {}  # line index → what
    for i, (s, e) in enumerate(lines):
        what = _line_residue(text[s:e], pats)
        if what is not None:
            whole[i] = what
    for i, what in list(whole.items()):
        if what == _RECOMMENDATION:
            motto = _motto_before(text, lines, i, whole, pats)
            if motto is not None:
                whole[motto] = "推荐语前的格言"
    first = _truncated_first_line(text, lines, whole, pats)
    if first is not None:
        whole.setdefault(first, "开头被截断的重复段落")

    found: list[Residue] = []
    for i, (s, e) in enumerate(lines):
        if i in whole:
            end = e + 1 if e < len(text) else e
            found.append(Residue(s, end, whole[i], True))
            continue
        line = text[s:e]
        for pattern, what in pats.inline:
            for m in pattern.finditer(line):
                if not (line[: m.start()] + line[m.end() :]).strip():
                    found.append(Residue(s, e + 1 if e < len(text) else e, what, True))
                else:
                    found.append(Residue(s + m.start(), s + m.end(), what, False))
    return tuple(sorted(found, key=lambda r: (r.start, r.end)))


def _line_residue(line: str, pats: _Patterns) -> str | None:
    stripped = line.strip()
    if not stripped:
        return None
    for pattern, what, max_chars in pats.lines:
        if max_chars is not None and len(stripped) > max_chars:
            continue
        if pattern.search(stripped):
            return what
    return None


def _motto_before(text: str, lines: list[tuple[int, int]], i: int, whole: dict[int, str],
                  pats: _Patterns) -> int | None:
    """The index of a short aphorism line right before recommendation line ``i``, if there is one."""
    j = i - 1
    while j >= 0 and not text[lines[j][0] : lines[j][1]].strip():
        j -= 1
    if j < 0 or j in whole:
        return None
    line = text[lines[j][0] : lines[j][1]].strip()
    if (len(line) > pats.motto_max_chars or not line.endswith(("。", "！", "!", "；"))
            or any(ch.isdigit() for ch in line) or any(w in line for w in pats.motto_not)
            or match_heading(line) is not None):
        return None
    return j


def _truncated_first_line(text: str, lines: list[tuple[int, int]], whole: dict[int, str],
                          pats: _Patterns) -> int | None:
    """The first line when it is the opening repeated and cut off with "...", else None.

    The comparison skips other residue (a word count after the title, a motto line), which sites
    insert between the teaser and the text it repeats.
    """
    first = next((i for i, (s, e) in enumerate(lines) if text[s:e].strip()), None)
    if first is None:
        return None
    line = text[lines[first][0] : lines[first][1]].strip()
    mark = next((m for m in pats.truncation_marks if line.endswith(m)), None)
    if mark is None:
        return None
    head = _WHITESPACE.sub("", line[: -len(mark)])
    if len(head) < pats.truncated_min_chars:
        return None
    rest = []
    for i in range(first + 1, len(lines)):
        if i in whole:
            continue
        piece = text[lines[i][0] : lines[i][1]]
        for pattern, _what in pats.inline:
            piece = pattern.sub("", piece)
        rest.append(_WHITESPACE.sub("", piece))
        if sum(map(len, rest)) >= len(head):
            break
    return first if "".join(rest).startswith(head) else None


@rule(RULE_ID, Severity.ERROR, "文档网站残留：付费标记、小编推荐语、推荐访问、书签、合集标题、下载声明")
def check_residue(ctx: CheckContext) -> list[Finding]:
    findings = []
    for r in find_residue(ctx.text):
        where = "整行" if r.whole_line else "这段文字"
        findings.append(ctx.finding(
            RULE_ID, Severity.ERROR, r.start, r.end,
            f"网站残留（{r.what}）：{where}不是总结的内容，请删除；--fix 可自动删除。",
            "", safe_fix=True,
        ))
    return findings
