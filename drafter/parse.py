"""Parse report text into the ``Report`` model: title, addressee, opening, section tree, closing.

Deliberately forgiving: copied reports mix half- and full-width brackets, skip levels and put the
first sentence on the heading line. Residue cleaning happens before this (see ``drafter.clean``).
"""

import re

from drafter.headings import match_heading
from drafter.report import Heading, Paragraph, ParagraphKind, Report, Section

_DATE_LINE = re.compile(r"^\s*(?:\d{4}|[二〇零一二三四五六七八九○]{4})年[\d一二三四五六七八九十]{1,3}月"
                        r"(?:[\d一二三四五六七八九十]{1,3}日)?\s*$")
_SIGNATURE_LINE = re.compile(r"^\s*(?:中共)?\S{2,30}(?:委员会|人民政府|办事处|办公室|党委|党工委|政府|宣传部|党支部|支部委员会)\s*$")
_ADDRESSEE_LINE = re.compile(r"^\s*\S{2,24}[：:]\s*$")
MAX_TITLE_CHARS = 60


def iter_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line; ``end`` excludes the newline and trailing spaces."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.rstrip()
        lead = len(stripped) - len(stripped.lstrip(" \t\u3000"))
        if stripped.strip():
            spans.append((pos + lead, pos + len(stripped)))
        pos += len(line) + 1
    return spans


def parse_report(text: str) -> Report:
    report = Report(text=text)
    lines = iter_lines(text)
    if not lines:
        return report
    index = 0
    first_start, first_end = lines[0]
    first = text[first_start:first_end]
    if match_heading(first) is None and len(first) <= MAX_TITLE_CHARS and not first.endswith(("。", "：", ":")):
        report.title = Paragraph(first, first_start, first_end, ParagraphKind.TITLE)
        index = 1
    if index < len(lines):
        s, e = lines[index]
        if _ADDRESSEE_LINE.match(text[s:e]) and match_heading(text[s:e]) is None:
            report.addressee = Paragraph(text[s:e], s, e, ParagraphKind.ADDRESSEE)
            index += 1

    tail_kinds = _closing_tail(text, lines)
    stack: list[Section] = []
    for i in range(index, len(lines) - len(tail_kinds)):
        s, e = lines[i]
        line = text[s:e]
        m = match_heading(line)
        if m is not None:
            rest_start = s + m.rest_offset
            heading = Heading(
                level=m.level, number=m.number, marker=m.marker, text=m.text, start=s,
                end=s + len(m.marker) + len(m.text), rest=m.rest, rest_start=rest_start if m.rest else e,
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
    for (s, e), kind in zip(lines[len(lines) - len(tail_kinds) :], tail_kinds, strict=True):
        paragraph = Paragraph(text[s:e], s, e, kind)
        if kind is ParagraphKind.SIGNATURE:
            report.signature = paragraph
        elif kind is ParagraphKind.DATE:
            report.date = paragraph
    return report


def _closing_tail(text: str, lines: list[tuple[int, int]]) -> list[ParagraphKind]:
    """Kinds of the trailing signature/date lines (at most two), in order."""
    kinds: list[ParagraphKind] = []
    for s, e in reversed(lines[-2:]):
        line = text[s:e]
        if not kinds and _DATE_LINE.match(line):
            kinds.append(ParagraphKind.DATE)
        elif _SIGNATURE_LINE.match(line) and len(line.strip()) <= 30:
            kinds.append(ParagraphKind.SIGNATURE)
        else:
            break
    return kinds[::-1]
