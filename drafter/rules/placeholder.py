"""Rule ``placeholder``: unfilled template slots (``xx镇``, ``20xx年``, ``x次``, ``**县``, ``某某``, ``Ⅹ月Ⅹ日``).

In this genre a lone Latin x/X inside Chinese text is nearly always a slot, so the rule flags every
run of slot characters unless it is plainly something else: part of a Latin word (APP, Excel,
_GoBack), a product or code (X5, 3x4, 4×100米), a fixed term (X光), a Roman numeral list, a URL, or
markdown bold. The forms and exclusions are data in ``corpus/lexicons/placeholders.yaml``.

``find_placeholders`` is public so rewrite and verify can reuse the same detection.
"""

import re
from dataclasses import dataclass
from functools import cache

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.markers import MARKER_RE
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule

_LATIN = regexes.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_LATIN_WORD = regexes.compile(r"[A-Za-zＡ-Ｚａ-ｚ]+")
_DIGIT = regexes.compile(r"[0-9０-９]")
# URLs and e-mail addresses: slot-looking letters inside them are just letters.
_URL = regexes.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。；、“”（）《》]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
                  re.ASCII)


@dataclass(frozen=True)
class Slot:
    start: int
    end: int
    hint: str  # what to fill: 年份 / 数量 / 单位名称或地名 …


@dataclass(frozen=True)
class _Forms:
    letter_run: re.Pattern[str]
    letters: str
    blanks: str
    symbol_runs: tuple[re.Pattern[str], ...]
    single_symbol: re.Pattern[str]
    zero_neighbours: str
    year_stems: frozenset[str]
    followed_by: tuple[str, ...]
    roman: str
    roman_window: int
    glued_words: frozenset[str]
    brackets: tuple[re.Pattern[str], ...]
    hints: tuple[tuple[re.Pattern[str] | None, re.Pattern[str] | None, str], ...]


@cache
def _forms() -> _Forms:
    lex = load_lexicon("placeholders")
    letters, blanks = lex["slot_letters"], lex["blank_letters"]
    runs = tuple(regexes.compile(f"[{re.escape(r['chars'])}]{{{int(r['min'])},}}") for r in lex["symbol_runs"])
    singles = re.escape(lex["single_symbol_chars"])
    before = "|".join(re.escape(w) for w in lex["single_symbol_before"])
    hints = tuple(
        (regexes.compile(h["after"]) if "after" in h else None, regexes.compile(h["before"]) if "before" in h else None,
         h["hint"])
        for h in lex["hints"]
    )
    return _Forms(
        letter_run=regexes.compile(f"[{re.escape(letters + blanks)}]+"),
        letters=letters,
        blanks=blanks,
        symbol_runs=runs,
        single_symbol=regexes.compile(f"(?<![{singles}])[{singles}](?={before})"),
        zero_neighbours=lex["zero_neighbours"],
        year_stems=frozenset(lex["year_stems"]),
        followed_by=tuple(lex["exclude"]["followed_by"]),
        roman=lex["exclude"]["roman_neighbours"],
        roman_window=int(lex["exclude"]["roman_window"]),
        glued_words=frozenset(lex["exclude"]["glued_words"]),
        brackets=tuple(regexes.compile(p) for p in lex["bracket_slots"]),
        hints=hints,
    )


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses, where letters and ASCII punctuation are just that."""
    return [m.span() for m in _URL.finditer(text)]


def find_placeholders(text: str) -> list[Slot]:
    """Every unfilled slot in ``text``, in order, with a hint of what belongs there."""
    forms = _forms()
    urls = url_spans(text)
    spans: list[tuple[int, int]] = []
    for m in forms.letter_run.finditer(text):
        span = _letter_slot(text, m.start(), m.end(), forms)
        if span is not None:
            spans.append(span)
    for pattern in forms.symbol_runs:
        for m in pattern.finditer(text):
            if _symbol_slot(text, m.start(), m.end(), forms):
                spans.append(m.span())
    for m in forms.single_symbol.finditer(text):
        if not _DIGIT.match(_char(text, m.start() - 1)):
            spans.append(m.span())
    # drafter's own 【待补充：…】 markers are the `todo` rule's, not unfilled slots
    markers = {m.span() for m in MARKER_RE.finditer(text)}
    written = {m.span() for pattern in forms.brackets for m in pattern.finditer(text)} - markers
    kept: list[tuple[int, int]] = []
    for s, e in sorted(set(spans) | written, key=lambda span: (span[0], -span[1])):
        if (kept and s < kept[-1][1]) or any(us <= s < ue for us, ue in [*urls, *markers]):
            continue
        kept.append((s, e))
    slots: list[Slot] = []
    for s, e in kept:
        if slots and slots[-1].end == s:  # "xxx（姓名）": one slot, whose bracket says what to fill
            prev = slots.pop()
            hint = _written_hint(text[s:e]) if (s, e) in written else prev.hint
            slots.append(Slot(prev.start, e, hint))
            continue
        if (s, e) in written:
            hint = _written_hint(text[s:e])
        elif _DIGIT.match(text[s]):
            hint = "年份"  # 20xx: a year stem
        else:
            hint = _hint(text, s, e, forms)
        slots.append(Slot(s, e, hint))
    return slots


def _char(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _letter_slot(text: str, s: int, e: int, forms: _Forms) -> tuple[int, int] | None:
    """The slot span for a run of x-like letters/blanks at [s, e), or None when it is not a slot."""
    run = text[s:e]
    prev, nxt = _char(text, s - 1), _char(text, e)
    # Part of a Latin word or identifier: APP, Box, _GoBack, file_name.
    after_dash = _char(text, e + 1) if nxt == "-" else ""
    glued = _LATIN_WORD.match(text, e) if _LATIN.match(nxt) else None
    if glued is not None and glued.group() in forms.glued_words and not _LATIN.match(prev):
        pass  # "推广XXAPP": a slot in front of a known word
    elif _LATIN.match(prev) or _LATIN.match(nxt) or (_LATIN.match(after_dash) and after_dash not in forms.letters):
        return None  # part of a Latin word, or X-ray (but XX-XX村 is two slots)
    only_blanks = all(ch in forms.blanks for ch in run)
    if only_blanks:
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
        if line == run and len(run) >= 3:  # a horizontal rule, not a blank to fill
            return None
    if _DIGIT.match(nxt):  # X5, x2: a model or code, not a slot
        return None
    if _DIGIT.match(prev):
        d = s
        while d > 0 and _DIGIT.match(text[d - 1]):
            d -= 1
        if text[d:s] not in forms.year_stems or _DIGIT.match(_char(text, d - 1)):
            return None  # 3x4, 4×100, 1920×1080
        s = d  # 20xx, 201x, 20_ : the year stem belongs to the slot
    elif prev == " " and _LATIN.match(_char(text, s - 2)):
        return None  # English text: "Mac OS X"
    if run in ("X", "Ｘ") and any(text.startswith(word, e) for word in forms.followed_by):
        return None
    if any(ch in "Ⅹⅹ" for ch in run):
        window = text[max(0, s - forms.roman_window) : e + forms.roman_window]
        if any(ch in forms.roman for ch in window):
            return None  # Ⅸ、Ⅹ、Ⅺ: a Roman numeral list
    return s, e


def _symbol_slot(text: str, s: int, e: int, forms: _Forms) -> bool:
    run = text[s:e]
    prev, nxt = _char(text, s - 1), _char(text, e)
    if run[0] in "○〇◯":
        return not any(ch and (ch in forms.zero_neighbours or _DIGIT.match(ch)) for ch in (prev, nxt))
    if run[0] in "*＊":
        return not _is_markdown(text, s, e)
    return True


def _is_markdown(text: str, s: int, e: int) -> bool:
    """``**`` that is markdown emphasis, a list bullet or a rule rather than a blank to fill."""
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    if not line.strip(" \t*＊-_"):
        return True  # a rule line: *** / ---
    if e - s != 2:
        return False
    # Pair the line's "**" markers in order; a pair around a phrase (or opening the line) is bold.
    marks = [m.start() + line_start for m in re.finditer(r"(?<!\*)\*\*(?!\*)", line)]
    for a, b in zip(marks[0::2], marks[1::2], strict=False):
        inner = text[a + 2 : b].strip()
        opens_line = not text[line_start:a].strip()
        if s in (a, b) and inner and (len(inner) >= 4 or opens_line):
            return True
    return False


def _written_hint(slot: str) -> str:
    """【乡镇名称】 → 乡镇名称; （填写具体数字） → 具体数字."""
    inner = re.sub(r"^(?:请)?(?:填写|输入|补充)", "", slot.strip("{}$【】[]［］〔〕（）() "))
    return inner or "具体内容"


def _hint(text: str, s: int, e: int, forms: _Forms) -> str:
    after = text[e : e + 10].lstrip(" \t\u3000")
    before = text[max(0, s - 8) : s]
    for after_re, before_re, hint in forms.hints:
        if after_re is not None and after_re.search(after):
            return hint
        if before_re is not None and before_re.search(before):
            return hint
    return "具体内容"


@rule("placeholder", Severity.ERROR, "未填写的模板占位符：xx镇、20xx年、x次、**县、某某、Ⅹ月Ⅹ日 等")
def check_placeholders(ctx: CheckContext) -> list[Finding]:
    return [
        ctx.finding("placeholder", Severity.ERROR, slot.start, slot.end,
                    f"模板占位符“{ctx.text[slot.start:slot.end]}”还没有填写：请填写{slot.hint}，"
                    "或删去这句话。")
        for slot in find_placeholders(ctx.text)
    ]
