"""The structural gate: is a generated section report prose, and nothing else?

The number rules catch a wrong figure; they pass an echo of the prompt, a "好的，以下是本节正文：" line,
a pasted facts list, markdown or English. Each check here is a small rule over the lexicon
``corpus/lexicons/structure.yaml`` that reports a :class:`Finding`, fed back to the model in a repair
round and shown in the draft summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from drafter import regexes
from drafter.findings import Finding, Severity
from drafter.references import REFERENCE
from drafter.resources import load_lexicon


@dataclass
class StructureContext:
    """What the section's text is checked against: its heading and the prompt it answered."""

    heading: str = ""
    instructions: str = ""  # the prompt's words, without the user's sentences it may copy
    exemplars: list[str] = field(default_factory=list)
    fact_names: list[str] = field(default_factory=list)  # the section's numbered facts, in order
    refs_used: int = 0  # how many of them the text uses
    own_words: str = ""  # the section's heading, facts and items: what the text may speak of
    paragraphs: tuple[int, int] | None = None  # override the lexicon's bounds (a rewrite is one paragraph)


Rule = Callable[[str, str, StructureContext, dict[str, Any]], list[Finding]]
RULES: dict[str, Rule] = {}


def structure_rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn

    return register


@cache
def _lexicon() -> dict[str, Any]:
    lex = dict(load_lexicon("structure"))
    lex["_markdown"] = [regexes.compile(p, re.M) for p in lex["markdown"]]
    lex["_headings"] = [regexes.compile(p) for p in lex["heading_marks"]]
    lex["_labels"] = regexes.compile("|".join(lex["labels"]))
    allowed = sorted(lex["latin_allowed"], key=len, reverse=True)
    lex["_latin_allowed"] = regexes.compile("|".join(re.escape(a) for a in allowed))
    return lex


def structure_findings(text: str, ctx: StructureContext, raw: str | None = None,
                       select: set[str] | None = None) -> list[Finding]:
    """Findings of every structural rule on ``text`` (figures rendered); ``raw`` is the model's own
    answer with its 〔n〕 references, when it had them."""
    lex = _lexicon()
    found: list[Finding] = []
    for name, rule in RULES.items():
        if select is None or name in select:
            found.extend(rule(text, raw if raw is not None else text, ctx, lex))
    return found


def meta_label_line(line: str) -> bool:
    """A line that is only a label before the answer: "本节正文：", "好的，以下是本节正文：" …"""
    bare = line.strip().strip("*# ")
    return bare.endswith(("：", ":")) and len(bare) <= 24 and any(w in bare for w in _lexicon()["meta_starts"])


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _finding(text: str, start: int, end: int, rule: str, message: str) -> Finding:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Finding(rule, Severity.ERROR, start, end, line, column, text[start:end][:60], message)


@structure_rule("prompt-echo")
def _echo(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    plain = REFERENCE.sub("", raw)
    found = []
    for source, limit, what in ((ctx.instructions, lex["echo_instructions"], "提示词"),
                                ("\n".join(ctx.exemplars), lex["echo_exemplars"], "参考范文")):
        span = longest_shared(plain, source, limit + 1)
        if span:
            found.append(_finding(plain, span[0], span[1], "prompt-echo",
                                  f"这段文字照抄了{what}（{span[1] - span[0]}字）：用自己的话写本单位的情况"))
    return found


@structure_rule("meta-line")
def _meta(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    found = []
    for pos, line in _lines(text):
        head = line.lstrip(" 　“\"*#")
        start = next((w for w in lex["meta_starts"] if head.startswith(w)), None)
        inside = next((w for w in lex["meta_anywhere"] if w in line), None)
        if start or inside:
            found.append(_finding(text, pos, pos + len(line), "meta-line",
                                  f"“{start or inside}”是对回答的说明，不是报告正文：只写正文，删去这类说明"))
    return found


@structure_rule("heading-repeat")
def _heading(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    found = []
    parts = [p for p in re.split(r"[，,。；\s]", ctx.heading) if len(p) >= 5]
    for pos, line in _lines(text):
        bare = line.strip().rstrip("。：:")
        marked = any(p.match(bare) for p in lex["_headings"])
        repeats = ctx.heading and (ctx.heading.rstrip("。") in bare or any(bare.endswith(p) for p in parts))
        if marked or (repeats and len(bare) <= len(ctx.heading) + 8):
            found.append(_finding(text, pos, pos + len(line), "heading-repeat",
                                  "这一行是标题：标题由程序加，正文里不要写标题或“一、”“（一）”等序号"))
    return found


@structure_rule("example-leak")
def _example_leak(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    for word in lex["example_words"]:
        if word in text and word not in ctx.own_words and word not in ctx.heading:
            at = text.index(word)
            return [_finding(text, at, at + len(word), "example-leak",
                             f"“{word}”是前面例子里的事，本节没有这项工作：删去这句，只写本节给出的事实和事项")]
    return []


@structure_rule("markdown")
def _markdown(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    for pattern in lex["_markdown"]:
        if m := pattern.search(text):
            return [_finding(text, m.start(), m.end() or m.start() + 1, "markdown",
                             f"“{m.group(0).strip() or m.group(0)}”是 Markdown 或列表格式：公文正文只用自然段，不用加粗、井号、列表符号或编号行")]
    return []


@structure_rule("list-paste")
def _list_paste(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    found = []
    if m := lex["_labels"].search(text):
        found.append(_finding(text, m.start(), m.end(), "list-paste",
                              f"“{m.group(0)}”是提示里的标签：把事项写成完整的句子，不要写“大事”“亮点”等标签"))
    for name in ctx.fact_names:
        if m := re.search(re.escape(name) + r"\s*[：:]", text):
            found.append(_finding(text, m.start(), m.end(), "list-paste",
                                  f"“{m.group(0)}”照搬了事实清单的格式：写成句子，如“组织{name}〔n〕”"))
            break
    if m := re.search(r"^\s*" + REFERENCE.pattern, raw, re.M):
        found.append(_finding(raw, m.start(), m.end(), "list-paste", "行首是编号：不要照抄事实清单，编号放在事项名称后面"))
    return found


@structure_rule("english")
def _english(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    cleaned = lex["_latin_allowed"].sub(lambda m: " " * len(m.group(0)), text)
    for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)*", cleaned):
        if len(m.group(0).replace(" ", "")) >= 2:  # a lone x is a slot: the placeholder rule's
            return [_finding(text, m.start(), m.end(), "english", f"“{m.group(0)[:30]}”是英文：全部用中文书写")]
    return []


@structure_rule("repeated")
def _repeated(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    seen: dict[str, int] = {}
    for m in re.finditer(r"[^。！？\n]+[。！？]?", text):
        sentence = re.sub(r"[\d.%]+", "", m.group(0).strip())  # the same frame with other figures repeats too
        if len(sentence) < lex["repeat_chars"]:
            continue
        if sentence in seen:
            return [_finding(text, m.start(), m.end(), "repeated",
                             "这句话重复出现：每句只写一次，写完本节的事实就结束")]
        seen[sentence] = m.start()
    return []


@structure_rule("paragraphs")
def _paragraphs(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    lines = _lines(text)
    low, high = ctx.paragraphs or (lex["paragraphs"]["min"], lex["paragraphs"]["max"])
    found = []
    if not low <= len(lines) <= high:
        found.append(_finding(text, 0, len(text), "paragraphs",
                              f"写了 {len(lines)} 段：本节应写 {low} 至 {high} 个自然段"))
    pmin, pmax = lex["paragraph_chars"]["min"], lex["paragraph_chars"]["max"]
    if ctx.paragraphs is not None:
        pmin = 0  # one paragraph rewritten in place: as short as its template's, never endless
    for pos, line in lines:
        size = len(line.strip())
        if not pmin <= size <= pmax:
            # the one thing to change, said as a thing to do: measured with Qwen2.5-Coder-1.5B, a bare
            # bound ("应在 30 至 600 字之间") comes back as the same answer
            todo = "太短：在后面接着写一两句，说明怎么做的、效果如何" if size < pmin else "太长：删去重复的话"
            found.append(_finding(text, pos, pos + len(line), "paragraphs",
                                  f"这一段 {size} 字，{todo}（每段 {pmin} 至 {pmax} 字）"))
            break
    smin, smax = lex["section_chars"]["min"], lex["section_chars"]["max"]
    total = sum(len(line.strip()) for _, line in lines)
    if ctx.paragraphs is None and not smin <= total <= smax:
        found.append(_finding(text, 0, len(text), "paragraphs", f"全节 {total} 字：应在 {smin} 至 {smax} 字之间"))
    return found


@structure_rule("incomplete")
def _incomplete(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    stripped = text.rstrip()
    if stripped and not stripped.endswith(tuple(lex["sentence_ends"])):
        tail = max(stripped.rfind(ch) for ch in "。！？\n") + 1
        return [_finding(text, tail, len(stripped), "incomplete", "最后一句没有写完：把句子写完整，以句号结尾")]
    return []


@structure_rule("facts-unused")
def _unused(text: str, raw: str, ctx: StructureContext, lex: dict[str, Any]) -> list[Finding]:
    total = len(ctx.fact_names)
    if total >= 2 and ctx.refs_used < lex["facts_used_share"] * total:
        return [_finding(text, 0, 0, "facts-unused",
                         f"本节 {total} 项事实只用了 {ctx.refs_used} 项：请把清单里的事实尽量都写进去，每项用它的编号〔n〕")]
    return []


def longest_shared(text: str, source: str, k: int) -> tuple[int, int] | None:
    """The longest span of ``text`` (at least ``k`` characters) that also occurs in ``source``."""
    if not source or len(text) < k:
        return None
    grams = {source[i:i + k] for i in range(len(source) - k + 1)}
    best: tuple[int, int] | None = None
    i = 0
    while i <= len(text) - k:
        if text[i:i + k] in grams:
            end = i + k
            while end < len(text) and text[i:end + 1] in source:
                end += 1
            if best is None or end - i > best[1] - best[0]:
                best = (i, end)
            i = end
        else:
            i += 1
    return best


def mend_paragraphs(text: str) -> str:
    """A section's lines merged into the lexicon's bounds: a line shorter than a paragraph is joined to
    the one before it; beyond the most paragraphs a section has, the shortest pair is joined. A
    small model writes one line a fact (measured with Qwen2.5-Coder-1.5B); the words stay the same."""
    lex = _lexicon()
    high, pmin = lex["paragraphs"]["max"], lex["paragraph_chars"]["min"]
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    i = 0
    while len(lines) > 1 and i < len(lines):
        if len(lines) > 1 and len(lines[i]) < pmin:
            j = i - 1 if i > 0 else i + 1  # the first line joins the next
            lo, hi = min(i, j), max(i, j)
            lines[lo:hi + 1] = [lines[lo] + lines[hi]]
            i = lo
        else:
            i += 1
    while len(lines) > high:
        k = min(range(len(lines) - 1), key=lambda n: len(lines[n]) + len(lines[n + 1]))
        lines[k:k + 2] = [lines[k] + lines[k + 1]]
    return "\n".join(lines)


def mend_example_leak(text: str, own_words: str) -> str:
    """Clauses that speak of the worked example's subject ("为开展秸秆禁烧工作提供了有力支持"), deleted when
    they hold no reference: invented work, and measured with Qwen2.5-Coder-1.5B, a repair round sends
    the same sentence back. What is left is checked as before; a clause with a reference stays for the
    example-leak rule to name."""
    from drafter.references import REFERENCE

    words = [w for w in _lexicon()["example_words"] if w not in own_words]
    if not any(w in text for w in words):
        return text
    out = []
    for line in text.split("\n"):
        kept = []
        for clause, mark in re.findall(r"([^，。；！？]*)([，。；！？]?)", line):
            if not (clause or mark):
                continue
            if any(w in clause for w in words) and not REFERENCE.search(clause):
                if mark in "。；！？" and mark and kept:  # the sentence ends here: its end mark goes on the clause before
                    kept[-1] = kept[-1][:-1] + mark if kept[-1][-1:] == "，" else kept[-1] + mark
                continue
            kept.append(clause + mark)
        out.append("".join(kept))
    return "\n".join(line for line in out if line.strip(" ，。"))
