"""Parse report text into the ``Report`` model: title, addressee, opening, section tree, closing.

Deliberately forgiving: copied reports mix half- and full-width brackets, skip levels, put the first
sentence on the heading line, and pages pasted from document sites sometimes flatten a whole section
onto one line (``二、坚持教育培训 (一)强化中心组学习。…… (二)……``). Residue cleaning happens before
this (see ``drafter.clean``); splitting a compilation of many reports is ``split_compilation``.
"""

import re

from drafter import regexes
from drafter.headings import match_heading
from drafter.numerals import chinese_to_int
from drafter.report import Heading, Layout, Paragraph, ParagraphKind, Report, Section

MAX_TITLE_CHARS = 60
_SPACE = " \t\u3000"
_CN_NUM = "一二三四五六七八九十"
_SLOT_DIGIT = r"[\dxX×Ｘｘ_一二三四五六七八九十〇○零]"
# 2025年12月20日, 二〇二五年十二月二十日, and the template's own 20xx年x月x日.
_DATE = (rf"(?:\d{{4}}|20[xX×Ｘｘ]{{2}}|[二〇零○一三四五六七八九]{{4}}|20_+|_+)\s*年\s*{_SLOT_DIGIT}{{1,3}}\s*月"
         rf"(?:\s*{_SLOT_DIGIT}{{1,3}}\s*日)?")
# a date rewrite or draft could not fill stays a date line: 【待补充：成文日期】 keeps the signature's block
_DATE_LINE = regexes.compile(rf"^(?:[（(]?{_DATE}[）)]?|【待补充：(?:[^】\n]{{0,20}}日期|时间)】)$")
_ORG = r"(?:委员会|人民政府|办事处|办公室|党委|党工委|政府|宣传部|党支部|党总支|支部委员会|领导小组)"
_SIGNATURE_LINE = regexes.compile(rf"^(?:中共)?[^\s，。、；：,;:]{{1,28}}?{_ORG}$")
_SIGNATURE_DATE_LINE = regexes.compile(
    rf"^(?P<sig>(?:中共)?[^\s，。、；：,;:]{{1,28}}?{_ORG})[{_SPACE}]*(?P<date>[（(]?{_DATE}[）)]?)$")
_CLOSING_LINE = regexes.compile(r"^(?:特此(?:报告|汇报|总结)|专此报告|以上(?:报告|汇报)|妥否|如有不妥|不妥之处)[^\n]{0,40}$")
_ADDRESSEE_LINE = regexes.compile(r"^\s*[^\s，。、；,;]{2,24}[：:]\s*$")
# A title glued to the opening by a space: "关于……情况的汇报 今年以来，……".
_TITLE_END = regexes.compile(r"(?:总结|报告|汇报|情况|方案|计划|要点)$")
# A heading marker inside a line, after whitespace: a section flattened onto one line.
_EMBEDDED_HEADING = regexes.compile(
    rf"(?<=\S)[{_SPACE}]+(?=[（(][{_CN_NUM}]{{1,3}}[）)]\S)"
    rf"|(?<=[。！？!?])[{_SPACE}]+(?=[{_CN_NUM}]{{1,3}}、\S)"
)


def iter_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line; ``end`` excludes the newline and trailing spaces."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.rstrip()
        lead = len(stripped) - len(stripped.lstrip(_SPACE))
        if stripped.strip():
            spans.append((pos + lead, pos + len(stripped)))
        pos += len(line) + 1
    return spans


def logical_lines(text: str) -> list[tuple[int, int]]:
    """Like ``iter_lines``, but a line holding several flattened headings is cut before each one."""
    spans = []
    for s, e in iter_lines(text):
        cut = s
        for m in _EMBEDDED_HEADING.finditer(text, s, e):
            spans.append((cut, m.start()))
            cut = m.end()
        spans.append((cut, e))
    return spans


def parse_report(text: str, layout: Layout | None = None) -> Report:
    """``layout`` (from a .docx) gives tables and asides: aside lines (page header, footer, footnotes)
    are kept out of the title/section/closing structure; table rows are body lines of their section."""
    report = Report(text=text)
    lines = logical_lines(text)
    if layout is not None:
        report.tables = list(layout.tables)
        report.asides = list(layout.asides)
        if layout.asides:
            lines = [(s, e) for s, e in lines if not any(a.start <= s < a.end or s == a.start == a.end
                                                          for a in layout.asides)]
    if not lines:
        return report
    index = _parse_title(report, lines)
    if index < len(lines):
        s, e = lines[index]
        if _ADDRESSEE_LINE.match(text[s:e]) and match_heading(text[s:e]) is None:
            report.addressee = Paragraph(text[s:e], s, e, ParagraphKind.ADDRESSEE)
            index += 1

    tail_lines, tail = _closing_tail(text, lines[index:])
    body_end = len(lines) - tail_lines
    stack: list[Section] = []
    for s, e in lines[index:body_end]:
        line = text[s:e]
        m = match_heading(line)
        if m is not None:
            heading = Heading(
                level=m.level, number=m.number, marker=m.marker, text=m.text, start=s,
                end=s + len(m.marker) + len(m.text), rest=m.rest,
                rest_start=s + m.rest_offset if m.rest else e,
            )
            section = Section(heading=heading, start=s, end=e)
            while stack and stack[-1].level >= m.level:
                stack.pop()
            (stack[-1].children if stack else report.sections).append(section)
            stack.append(section)
            continue
        paragraph = Paragraph(line, s, e, ParagraphKind.BODY)
        if not stack:
            paragraph.kind = ParagraphKind.OPENING
            report.opening.append(paragraph)
        else:
            stack[-1].paragraphs.append(paragraph)
        for open_section in stack:
            open_section.end = e
    for s, e, kind in tail:
        paragraph = Paragraph(text[s:e], s, e, kind)
        if kind is ParagraphKind.SIGNATURE:
            report.signature = paragraph
        elif kind is ParagraphKind.DATE:
            report.date = paragraph
        else:
            report.closing.append(paragraph)
    return report


def _parse_title(report: Report, lines: list[tuple[int, int]]) -> int:
    """Set ``report.title`` from the first line when it is one; returns the index of the next line."""
    text = report.text
    s, e = lines[0]
    first = text[s:e]
    if match_heading(first) is not None or first.endswith(("。", "：", ":", "；", "，")):
        return 1 if _glued_title(report, s, e) else 0
    if len(first) <= MAX_TITLE_CHARS:
        report.title = Paragraph(first, s, e, ParagraphKind.TITLE)
        return 1
    return 1 if _glued_title(report, s, e) else 0


def _glued_title(report: Report, s: int, e: int) -> bool:
    """A title and the opening sharing the first line, separated by a space: split them."""
    line = report.text[s:e]
    m = re.search(rf"[{_SPACE}]+", line)
    if not m or m.start() > MAX_TITLE_CHARS or not _TITLE_END.search(line[: m.start()]):
        return False
    report.title = Paragraph(line[: m.start()], s, s + m.start(), ParagraphKind.TITLE)
    opening = Paragraph(line[m.end():], s + m.end(), e, ParagraphKind.OPENING)
    report.opening.append(opening)
    return True


def _closing_tail(text: str, lines: list[tuple[int, int]]) -> tuple[int, list[tuple[int, int, ParagraphKind]]]:
    """How many trailing lines are closing formula / signature / date, and their (start, end, kind).

    A signature and a date run together on one line (``中共××镇委员会2025年12月20日``) give two entries
    for that line.
    """
    found: list[tuple[int, int, ParagraphKind]] = []
    kinds: set[ParagraphKind] = set()
    count = 0
    for s, e in reversed(lines[-4:]):
        line = text[s:e]
        if match_heading(line) is not None:
            break
        if ParagraphKind.DATE not in kinds and ParagraphKind.SIGNATURE not in kinds and _DATE_LINE.match(line):
            found.append((s, e, ParagraphKind.DATE))
            kinds.add(ParagraphKind.DATE)
        elif not kinds and (m := _SIGNATURE_DATE_LINE.match(line)):
            found.append((s + m.start("date"), e, ParagraphKind.DATE))
            found.append((s, s + m.end("sig"), ParagraphKind.SIGNATURE))
            kinds.update((ParagraphKind.DATE, ParagraphKind.SIGNATURE))
        elif ParagraphKind.SIGNATURE not in kinds and len(line) <= 30 and _SIGNATURE_LINE.match(line):
            found.append((s, e, ParagraphKind.SIGNATURE))
            kinds.add(ParagraphKind.SIGNATURE)
        elif _CLOSING_LINE.match(line):
            found.append((s, e, ParagraphKind.CLOSING))
            kinds.add(ParagraphKind.CLOSING)
        else:
            break
        count += 1
    if count == len(lines):  # a "report" that is nothing but a signature is body text
        return 0, []
    return count, sorted(found, key=lambda item: item[0])


# --- compilations -------------------------------------------------------------------------------

_NUM = rf"(?:\d{{1,3}}|[{_CN_NUM}]{{1,4}})"
# "……工作总结篇3", "篇一：……", "【篇二】……", "第3篇：……", "范文一：……", "精选范文2".
_PART_MARKERS = [
    regexes.compile(rf"^(?P<title>.{{2,60}}?)[（(【\[]?(?:范文)?篇\s*(?P<n>{_NUM})[)）】\]]?\s*$"),
    regexes.compile(rf"^[【\[]?(?:篇\s*(?P<n>{_NUM})|第\s*(?P<m>{_NUM})\s*篇)[】\]]?\s*[：:.、]?\s*(?P<title>.{{0,60}})$"),
    regexes.compile(rf"^(?:精选)?范文\s*(?P<n>{_NUM})\s*[：:.、]?\s*(?P<title>.{{0,60}})$"),
]
MIN_PREAMBLE_REPORT_CHARS = 300


def split_compilation(text: str) -> list[tuple[int, int, str]]:
    """Cut a document-site compilation ("……总结15篇": 篇1 … 篇15) into its reports.

    Returns ``(start, end, title)`` per report: the span of its text after the ``篇N`` marker line, and
    the title the marker gave (``""`` when it gave none). A text that is not a compilation comes back
    as one span covering all of it, with its first line as the title when that line is one.
    """
    markers = _part_markers(text)
    if len(markers) < 2:
        report = parse_report(text)
        return [(0, len(text), report.title.text if report.title else "")]
    parts: list[tuple[int, int, str]] = []
    preamble = text[: markers[0][0]]
    if len(preamble.strip()) >= MIN_PREAMBLE_REPORT_CHARS and parse_report(preamble).sections:
        parts.append((0, markers[0][0], ""))
    for i, (_line_start, body_start, title) in enumerate(markers):
        end = markers[i + 1][0] if i + 1 < len(markers) else len(text)
        parts.append((body_start, end, title))
    return parts


def _part_markers(text: str) -> list[tuple[int, int, str]]:
    """(line start, next line start, title) of each marker line numbered 1, 2, 3 … in sequence."""
    found: list[tuple[int, int, str, int]] = []
    for s, e in iter_lines(text):
        line = text[s:e]
        if len(line) > 80 or match_heading(line) is not None:
            continue
        for pattern in _PART_MARKERS:
            m = pattern.match(line)
            if m is None:
                continue
            raw = m.group("n") or m.groupdict().get("m") or ""
            number = int(raw) if raw.isdigit() else chinese_to_int(raw)
            if number:
                title = m.group("title").strip(" ：:【】[]")
                found.append((s, min(e + 1, len(text)), title, number))
            break
    # Keep the longest run numbered 1, 2, 3 …: a stray "篇3" in prose must not cut a report in two.
    run: list[tuple[int, int, str]] = []
    expected = 1
    for s, nxt, title, number in found:
        if number == expected:
            run.append((s, nxt, title))
            expected += 1
        elif number == 1:  # a second compilation in the same file restarts the numbering
            run.append((s, nxt, title))
            expected = 2
    return run
