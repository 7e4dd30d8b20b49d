"""Figures by reference: the model writes 〔n〕 where a figure goes, drafter writes the figure.

A section's facts are numbered for the model (〔1〕中心组学习：12次). Rendering replaces each 〔n〕 by the
fact's display form ("12次"), so a figure in generated text is a fact's by construction; what is left
to check is that the words around each reference name its fact (a misplaced reference is caught by its
label), and that the model wrote no figure of its own. A figure the model did write may be *adopted*:
when it equals a fact's display value and its clause names that fact, it becomes that reference
("adopt" mode, for models that cannot keep to references); otherwise it is a violation.

Numbers inside the user's own event and highlight sentences ("3月，举办群众文艺汇演") are theirs: copied
verbatim they pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter import regexes
from drafter.facts.model import Facts, Metric
from drafter.findings import Finding, Severity

# What models write for 〔1〕: the form we ask for, and the brackets small models slip into.
REFERENCE = regexes.compile(r"[〔【\[［]\s*(\d{1,2})\s*[〕】\]］]")
_CLAUSE_BREAKS = "，。；！？：\n、"
_STRAY_DIGITS = regexes.compile(r"\d+(?:\.\d+)?")
# Around a figure in a user's sentence, the characters that must be copied with it to count as theirs.
_FREE_CONTEXT = 2
MODES = ("strict", "adopt")
BARE_LIST = 3  # that many bare "name〔n〕" items in a section read as a pasted list


@dataclass
class Rendered:
    """A model's answer with its references written out, and what went wrong on the way."""

    text: str
    findings: list[Finding] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # reference numbers (1-based) the text uses
    adopted: int = 0  # figures the model wrote itself that were turned into references


def numbered(metrics: list[Metric]) -> dict[int, Metric]:
    return {i: m for i, m in enumerate(metrics, 1)}


def render_references(raw: str, metrics: list[Metric], facts: Facts, free_items: list[str] = (),
                      mode: str = "strict") -> Rendered:
    """``raw`` with every 〔n〕 replaced by fact n's display form; findings for unknown or unnamed
    references and for figures the model wrote itself (adopted first in "adopt" mode)."""
    refs = numbered(metrics)
    raw = normalize_references(raw)
    adopted = 0
    if mode == "adopt":
        raw, adopted = adopt_figures(raw, refs)
    findings: list[Finding] = []
    used: set[int] = set()
    bare: list[int] = []  # references with nothing before them but their name: "党课〔3〕，基层宣讲〔4〕"
    out: list[str] = []
    pos = 0
    for m in REFERENCE.finditer(raw):
        n = int(m.group(1))
        out.append(raw[pos:m.start()])
        pos = m.end()
        metric = refs.get(n)
        if metric is None:
            findings.append(_finding(raw, m.start(), m.end(), "reference-unknown",
                                     f"事实清单里没有〔{n}〕：只能引用清单中列出的编号"))
            continue
        before, after = _segments(raw, m.start(), m.end())
        if before.strip(" 　“”") in metric.names:
            bare.append(m.start())
        if not binds(metric, before, after, refs.values()):
            # the exact fix, in the words of the answer: a small model follows that, not a rule
            findings.append(_finding(raw, m.start() - len(before), m.end(), "reference-unnamed",
                                     f"〔{n}〕代表“{metric.name}”，前面却没有写“{metric.name}”：要写成“{metric.name}〔{n}〕”，"
                                     "或者删去这个编号"))
        used.add(n)
        shown = metric.display()
        out.append(shown)
        pos = _skip_repeated_unit(raw, pos, metric)
    out.append(raw[pos:])
    text = "".join(out)
    if len(bare) >= BARE_LIST:
        findings.append(_finding(raw, bare[0], bare[-1], "list-paste",
                                 "一连几项只写了“名称〔n〕”，是在罗列清单：把每项事实写进有动词的句子里，"
                                 "如“组织中心组学习〔1〕”“开展基层宣讲〔4〕”"))
    for m in re.finditer(r"〔[^〕\n]{0,6}〕?", text):  # "〔n〕" copied from an exemplar, "〔一〕" …
        findings.append(_finding(text, m.start(), m.end(), "reference-unknown",
                                 f"“{m.group(0)}”不是事实清单里的编号：只能写〔1〕〔2〕这样清单中列出的编号"))
    findings.extend(own_figures(text, raw, facts, free_items, refs))
    return Rendered(text, findings, used, adopted)


# A small model copies the list's form: "〔3〕（22次）" (the reference and its figure) or "〔12次〕" (the
# figure in reference brackets). The first loses the copied figure (the reference writes it), the
# second becomes a figure of the model's own, which only adopt mode can bind.
_COPIED_FIGURE = regexes.compile(r"(" + REFERENCE.pattern + r")\s*[（(]\s*[^（）()\n]{1,12}?\s*[）)]")
_BRACKETED_FIGURE = regexes.compile(r"[〔【［\[]\s*(\d[^〔〕【】\[\]［］\n]{0,10}?)\s*[〕】］\]]")


def normalize_references(raw: str) -> str:
    raw = _COPIED_FIGURE.sub(lambda m: m.group(1) if re.search(r"\d", m.group(0)[len(m.group(1)):]) else m.group(0),
                             raw)
    return _BRACKETED_FIGURE.sub(lambda m: m.group(0) if REFERENCE.fullmatch(m.group(0)) else m.group(1), raw)


def adopt_figures(raw: str, refs: dict[int, Metric]) -> tuple[str, int]:
    """Figures equal to a fact's value (unit and qualifier too) in a clause naming that fact, as 〔n〕."""
    from drafter.numbers import extract_claims

    claims = [c for c in extract_claims(raw) if c.is_metric]
    pieces, pos, count = [], 0, 0
    for c in claims:
        before, after = _segments(raw, c.start, c.end)
        hit = next((n for n, m in refs.items() if abs(m.value - c.value) < 1e-9 and m.unit == c.unit
                    and (m.qualifier or None) == (c.qualifier or None) and binds(m, before, after, refs.values())),
                   None)
        if hit is None or c.start < pos:
            continue
        pieces.append(raw[pos:c.start])
        pieces.append(f"〔{hit}〕")
        pos = c.end
        count += 1
    pieces.append(raw[pos:])
    return "".join(pieces), count


def own_figures(text: str, raw: str, facts: Facts, free_items: list[str], refs: dict[int, Metric]) -> list[Finding]:
    """Figures in the rendered ``text`` that no reference put there and no user sentence supplies."""
    from drafter.numbers import extract_claims

    rendered_spans = _rendered_spans(raw, refs)
    allowed = _free_spans(text, free_items)
    year = facts.period.year
    findings = []
    covered: list[tuple[int, int]] = []
    for c in extract_claims(text):
        covered.append((c.start, c.end))
        if _inside(rendered_spans, c.num_start) or _inside(allowed, c.num_start):
            continue
        if c.kind == "year" and year and int(c.value) in (year, year + 1):
            continue  # the report's own year (and the next, in plans)
        if c.kind == "date":
            message = f"“{c.text}”这个日期不是事项原话里的：日期只能照事项的原话写（连同它后面的事），否则删去"
        else:
            message = f"“{c.text}”是自己写的数字：删去它，或换成清单里对应事项的名称和编号"
        findings.append(_finding(text, c.start, c.end, "own-figure", message))
    for m in _STRAY_DIGITS.finditer(text):
        if _inside(covered, m.start()) or _inside(rendered_spans, m.start()) or _inside(allowed, m.start()):
            continue
        findings.append(_finding(text, m.start(), m.end(), "own-figure",
                                 f"“{m.group(0)}”是自己写的数字：数字只能用事实清单的编号〔n〕表示"))
    return findings


def _rendered_spans(raw: str, refs: dict[int, Metric]) -> list[tuple[int, int]]:
    """Where the references' figures sit in the rendered text (same walk as the renderer)."""
    spans: list[tuple[int, int]] = []
    shift = 0
    for m in REFERENCE.finditer(raw):
        metric = refs.get(int(m.group(1)))
        start = m.start() + shift
        if metric is None:
            shift -= m.end() - m.start()
            continue
        shown = metric.display()
        spans.append((start, start + len(shown)))
        end = _skip_repeated_unit(raw, m.end(), metric)
        shift += len(shown) - (end - m.start())
    return spans


def _skip_repeated_unit(raw: str, pos: int, metric: Metric) -> int:
    """After 〔n〕 a model often writes the unit again ("〔1〕次", "〔2〕%以上"): the display form has it."""
    for piece in (metric.qualifier or "", metric.unit, metric.qualifier or ""):
        if piece and raw.startswith(piece, pos):
            pos += len(piece)
    return pos


def _free_spans(text: str, free_items: list[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` where a figure of the user's own sentences is copied with its neighbours."""
    from drafter.numbers import extract_claims

    spans = []
    for item in free_items:
        for c in extract_claims(item):
            for piece in (item[c.start:c.end + _FREE_CONTEXT], item[max(0, c.start - _FREE_CONTEXT):c.end]):
                if len(piece) <= c.end - c.start:
                    continue  # nothing of the user's sentence around it: the figure alone proves nothing
                for m in re.finditer(re.escape(piece), text):
                    spans.append((m.start(), m.end()))
    return spans


def binds(metric: Metric, before: str, after: str, rivals) -> bool:
    """Do the words next to a figure name ``metric``? The name (or an alias) must be written there with
    its head — the end of a Chinese noun phrase: "专题会议" names 意识形态工作专题会议, "意识形态专题党课"
    does not — and no other fact of the section be named better ("市级以上媒体用稿" is not 县级以上…)."""
    from drafter.numbers.binding import head_named

    for words, after_figure in ((before, False), (after, True)):
        own = _head_match(metric, words)
        if (own and metric.named_in(words) and head_named(words.strip(), list(metric.names), after=after_figure,
                                                           rate=metric.unit == "%")
                and all(_head_match(r, words) <= own for r in rivals if r is not metric)):
            return True
    return False


def _head_match(metric: Metric, words: str) -> int:
    """Characters of the longest ending of one of ``metric``'s names written in ``words``, when that
    ending is long enough to name it (two thirds of the name, at least two characters); else 0."""
    best = 0
    for name in metric.names:
        need = min(len(name), max(2, -(-2 * len(name) // 3)))
        for k in range(len(name), need - 1, -1):
            if name[-k:] in words:
                best = max(best, k)
                break
    return best


def _segments(text: str, start: int, end: int) -> tuple[str, str]:
    """The words before a figure back to the clause start or the previous reference, and after it up
    to the clause end or the next reference: where its fact's name must stand."""
    left = max(text.rfind(ch, 0, start) for ch in _CLAUSE_BREAKS) + 1
    rights = [i for ch in _CLAUSE_BREAKS if (i := text.find(ch, end)) >= 0]
    right = min(rights) if rights else len(text)
    before, after = text[left:start], text[end:right]
    before = REFERENCE.split(before)[-1] if REFERENCE.search(before) else before
    after = REFERENCE.split(after)[0] if REFERENCE.search(after) else after
    return before, after


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def _finding(text: str, start: int, end: int, rule: str, message: str) -> Finding:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Finding(rule, Severity.ERROR, start, end, line, column, text[start:end], message)


# ---------------------------------------------------------------- mending harmless form before the gate
#
# Measured with Qwen2.5-Coder-1.5B (issue 12): repairs rarely mend these (the model repeats itself), yet
# none of them is a fault a reader would see once drafter has mended it. The mends never add a figure:
# they move a reference, write a fact's own clause around its reference, or delete a date the user did
# not give; whatever is left is checked by the gate as before.

# Between a reference and the figure a model writes again after it: "参加人员〔4〕达到350余人".
_CONNECTOR = regexes.compile(r"[^，。；！？：、\n\d〔【\[［（(]{0,4}")
_SENTENCE_STARTS = "。！？\n"
_BARE_TAIL = 6  # characters of the model's own words after "名称〔n〕，" that make the line prose, not a list
# A date leading a clause ("5月，共开展了…"): the model's own when no event of the user's says it.
_LEADING_DATE = regexes.compile(r"(^|[。！？；，\n])(\s*)(\d{1,2}月(?:份|\d{1,2}日)?)[，,]", re.M)


def mend_answer(raw: str, metrics: list[Metric], facts: Facts, free_items: list[str] = ()) -> tuple[str, list[str]]:
    """``raw`` with its harmless slips of form mended, and a Chinese note for each kind mended."""
    refs = numbered(metrics)
    raw = normalize_references(raw)
    notes: list[str] = []
    for mend, note in ((_drop_repeated_figures, "删去了编号后重复写出的数字"),
                       (_bare_items_as_clauses, "把只写了“名称〔n〕”的句首改成了事实的完整说法"),
                       (_drop_unbound_dates, "删去了事项原话里没有的日期")):
        mended = mend(raw, refs, facts, free_items)
        if mended != raw:
            raw = mended
            notes.append(note)
    return raw, notes


def _drop_repeated_figures(raw: str, refs: dict[int, Metric], facts: Facts, free_items: list[str]) -> str:
    """"〔4〕达到350余人" → "达到〔4〕": the figure is the reference's own display form, written twice."""
    out, pos = [], 0
    for m in REFERENCE.finditer(raw):
        metric = refs.get(int(m.group(1)))
        if metric is None or m.start() < pos:
            continue
        gap = _CONNECTOR.match(raw, m.end())
        shown = metric.display()
        for k in range(gap.end() - m.end() + 1):  # the shortest connector followed by the figure
            at = m.end() + k
            if raw.startswith(shown, at) and not raw[at + len(shown):at + len(shown) + 1].isdigit():
                out += [raw[pos:m.start()], raw[m.end():at], m.group(0)]
                pos = at + len(shown)
                break
    out.append(raw[pos:])
    return "".join(out)


def _bare_items_as_clauses(raw: str, refs: dict[int, Metric], facts: Facts, free_items: list[str]) -> str:
    """A sentence that opens with nothing but "名称〔n〕，" and goes on in the model's words: the bare item
    becomes the clause drafter's own sentence for that fact states it with ("全年共组织中心组学习〔1〕，")."""
    from drafter.rewrite.missing import fact_sentences

    out, pos = [], 0
    for m in REFERENCE.finditer(raw):
        metric = refs.get(int(m.group(1)))
        if metric is None or m.start() < pos:
            continue
        before, _ = _segments(raw, m.start(), m.end())
        lead = m.start() - len(before)
        opens = lead == 0 or raw[lead - 1] in _SENTENCE_STARTS
        rest = re.split(r"[，。；！？\n]", raw[m.end() + 1:], maxsplit=1)[0]  # the next clause: the model's words?
        if not (opens and before.strip(" 　“”") in metric.names and raw[m.end():m.end() + 1] == "，"
                and len(rest) >= _BARE_TAIL and not REFERENCE.search(rest)):
            continue
        clause = _fact_clause(fact_sentences([metric], facts), metric, m.group(0))
        if clause:
            out += [raw[pos:lead], clause]
            pos = m.end()
    out.append(raw[pos:])
    return "".join(out)


def fact_clause(metric: Metric, facts: Facts, reference: str | None = None) -> str:
    """The clause of drafter's own sentence for ``metric`` that states its figure (as ``reference``
    when given): "全镇所辖村（社区）11个"."""
    from drafter.rewrite.missing import fact_sentences

    return _fact_clause(fact_sentences([metric], facts), metric, reference or metric.display())


def _fact_clause(sentences: list[str], metric: Metric, reference: str) -> str:
    """The clause of the fact's own sentence that holds its figure, the figure as ``reference``."""
    shown = metric.display()
    for sentence in sentences:
        for clause in re.split(r"[，。；]", sentence):
            if shown in clause:
                return clause.replace(shown, reference, 1)
    return ""


def _drop_unbound_dates(raw: str, refs: dict[int, Metric], facts: Facts, free_items: list[str]) -> str:
    """"5月，共开展了〔1〕次…": a month leading a clause that no event of the user's gives it is deleted
    (the model moved it off its event); a date copied with its event stays."""
    allowed = _free_spans(raw, free_items)
    return _LEADING_DATE.sub(lambda m: m.group(0) if _inside(allowed, m.start(3)) else m.group(1), raw)
