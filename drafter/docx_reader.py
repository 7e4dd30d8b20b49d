"""Read everything a user sees in a .docx — Word- and WPS-saved files alike — as one text.

The XML is read directly (zipfile + lxml), matching elements by local name, so the transitional and
the strict OOXML namespaces both work and nothing python-docx skips is lost:
- paragraphs inside content controls (``w:sdt``), custom XML, tracked insertions and hyperlinks;
  deleted text (``w:del``, ``w:moveFrom``) and hidden text (``w:vanish``) are left out, because the
  user does not see them;
- tables: one line per row that reads naturally (``专题会议：5次``), cells kept as offsets
  (``drafter.report.Table``) so a rewrite's edits map back into cells;
- text boxes, as separate paragraphs after the paragraph that anchors them (once: the VML fallback
  copy WPS and Word write beside the drawing is skipped);
- automatic numbering: a heading numbered by Word/WPS gets its label back; a paragraph in a heading
  style (标题 1, Heading 2 …) with no label at all gets one from its level, so it stays a heading;
- page headers, footers and footnotes, after the body, as ``Layout.asides`` (checked, never parsed
  as part of the report); comments are not read (``Layout.notices`` says so once).

A soft line break (Shift+Enter, ``w:br``) inside a sentence (“专题会议⏎5次”) is joined: it is line
wrapping done by hand, and a claim split by it must still be checked. After a sentence end, a
heading or before a date it stays a new line. Page breaks are new lines.

``DocxText.origins`` maps each character of the text to the ``w:t`` element and index it came from
(``None`` for labels and separators the reader made up), which is how comments and tracked changes
find their place in the user's own file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter import regexes
from drafter.docx_numbering import Numbering, _attr, _child, _local, format_number
from drafter.docx_package import Package, open_package
from drafter.headings import match_heading
from drafter.numerals import int_to_chinese
from drafter.report import Layout, Paragraph, ParagraphKind, Table, TableCell, TableRow

__all__ = ["DocxText", "docx_paragraphs", "format_number", "read_docx", "read_package"]

_SKIPPED = {"del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr", "instrText", "delText",
            "Fallback", "tblPr", "tblGrid", "trPr", "tcPr", "sectPr"}
_KEEP_BREAK_AFTER = tuple("。！？；：!?;:…”")
_BREAK_BEFORE_DATE = regexes.compile(r"^\s*[（(]?(?:\d{4}|[二〇零○一三四五六七八九]{4}|20[xX×Ｘｘ]{2})\s*年")
_BREAK_AFTER_ORG = regexes.compile(r"(?:委员会|人民政府|办事处|办公室|党委|党工委|政府|宣传部|党支部|党总支)\s*$")
_HEADING_STYLE = regexes.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = regexes.compile(r"^(?:title|标题)$", re.IGNORECASE)
_NUMBER_CELL = regexes.compile(r"^\s*[\d.,，％%]+\s*$")
_STARTS_NUMBER = regexes.compile(r"^\s*(?:\d|[一二三四五六七八九十两百千万]+[个次篇人条场名块期项]|[近约]\d)")
_SEQUENCE_CELL = regexes.compile(r"^\s*\d{1,3}\s*[.、．]?\s*$")
_SEQUENCE_HEADER = {"序号", "编号", "序"}
_HEADER_UNIT = regexes.compile(r"[（(]([^（）()\d]{1,3})[）)]\s*$")
_PAGE_NUMBER_ONLY = regexes.compile(r"^[\s\d—\-–第页共/PpAaGgEe.·]*$")

Element = Any  # lxml.etree._Element; lxml is imported lazily
Origin = tuple[Element, int]


@dataclass
class DocxText:
    """A .docx's text, what the reader learnt about it, and where each character came from."""

    text: str
    layout: Layout
    origins: list[Origin | None]
    package: Package
    paragraphs: list[str] = field(default_factory=list)  # body lines, for callers that want a list

    def part_of(self, offset: int) -> ParagraphKind | None:
        """The aside kind (header/footer/footnote) an offset lies in, None in the body."""
        for aside in self.layout.asides:
            if aside.start <= offset <= aside.end:
                return aside.kind
        return None


def read_docx(path: str | Path) -> DocxText:
    return read_package(open_package(Path(path)))


def read_package(package: Package) -> DocxText:
    """The text of parsed parts; run again after splitting runs, it gives the same text, new origins."""
    reader = _Reader(Numbering(package.part("numbering"), package.part("styles")), _Styles(package.part("styles")))
    body = _child(package.document, "body")
    lines: list[_Line] = []
    reader.blocks(body if body is not None else package.document, lines)
    asides: list[_Line] = []
    seen: set[str] = set()
    for kind, aside_kind in (("header", ParagraphKind.HEADER), ("footer", ParagraphKind.FOOTER)):
        for name in package.related.get(kind, []):
            part_lines: list[_Line] = []
            reader.blocks(package.parts[name], part_lines)
            for line in part_lines:
                text = line.text()
                # the same header in first/odd/even parts is one line to check; a bare page number is none
                if text.strip() and text not in seen and not _PAGE_NUMBER_ONLY.match(text):
                    seen.add(text)
                    line.kind = aside_kind
                    asides.append(line)
    footnotes = package.part("footnotes")
    for note in footnotes if footnotes is not None else []:
        if _local(note) == "footnote" and _attr(note, "type") in (None, "normal"):
            note_lines: list[_Line] = []
            reader.blocks(note, note_lines)
            for line in note_lines:
                if line.text().strip():
                    line.kind = ParagraphKind.FOOTNOTE
                    asides.append(line)
    result = _assemble(lines, asides, package)
    comments = package.part("comments")
    count = sum(1 for c in comments if _local(c) == "comment") if comments is not None else 0
    if count:
        result.layout.notices.append(
            f"文档中有 {count} 条批注：drafter 不读取批注内容，只检查正文、表格、页眉页脚和脚注。")
    return result


def docx_paragraphs(path: str | Path) -> list[str]:
    """The body's lines (paragraphs, table rows, text boxes) in document order; no header/footer."""
    return read_docx(path).paragraphs


# --- lines -----------------------------------------------------------------------------------------


@dataclass
class _Line:
    """One line of output: text segments, each a string and the ``w:t`` it came from (None: made up)."""

    segments: list[tuple[str, Element | None]] = field(default_factory=list)
    kind: ParagraphKind | None = None
    cells: list[tuple[int, int, str, bool]] | None = None  # table row: (start, end, text, in_text) in the line
    table: int = -1
    header_row: bool = False

    def text(self) -> str:
        return "".join(text for text, _ in self.segments)


def _assemble(lines: list[_Line], asides: list[_Line], package: Package) -> DocxText:
    chars: list[str] = []
    origins: list[Origin | None] = []
    layout = Layout()
    tables: dict[int, Table] = {}
    paragraphs: list[str] = []
    for index, line in enumerate([*lines, *asides]):
        if index:
            chars.append("\n")
            origins.append(None)
        start = len(origins)
        for text, element in line.segments:
            chars.append(text)
            origins.extend((element, i) if element is not None else None for i in range(len(text)))
        end = len(origins)
        if index < len(lines):
            paragraphs.append(line.text())
        if line.kind is not None:
            layout.asides.append(Paragraph(line.text(), start, end, line.kind))
        if line.cells is not None:
            row = TableRow([TableCell(text, start + s, start + e, in_text) for s, e, text, in_text in line.cells],
                           start, end, line.header_row)
            table = tables.get(line.table)
            if table is None:
                table = tables[line.table] = Table([], start, end)
                layout.tables.append(table)
            table.rows.append(row)
            table.end = end
    return DocxText("".join(chars), layout, origins, package, paragraphs)


# --- styles ----------------------------------------------------------------------------------------


@dataclass
class _Styles:
    """Paragraph styles by id: a heading level (1-4) from the style name or outline level, or title."""

    styles: Element | None
    levels: dict[str, int] = field(default_factory=dict)
    titles: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        based: dict[str, str] = {}
        own: dict[str, int] = {}
        for style in self.styles if self.styles is not None else []:
            if _local(style) != "style" or _attr(style, "type") not in (None, "paragraph"):
                continue
            style_id = _attr(style, "styleId") or ""
            name = (_attr(_child(style, "name"), "val") or "").strip()
            if _TITLE_STYLE.match(name):
                self.titles.add(style_id)
            m = _HEADING_STYLE.match(name)
            outline = _attr(_child(_child(style, "pPr"), "outlineLvl"), "val")
            if m:
                own[style_id] = int(m.group(1))
            elif outline is not None and outline.isdigit() and int(outline) < 9:
                own[style_id] = int(outline) + 1
            if (parent := _attr(_child(style, "basedOn"), "val")) is not None:
                based[style_id] = parent
        for style_id in {*own, *based}:
            current, seen = style_id, set()
            while current and current not in seen:
                seen.add(current)
                if current in own:
                    self.levels[style_id] = own[current]
                    break
                current = based.get(current, "")

    def level(self, p: Element) -> int:
        """By the paragraph's style only: an outline level set on the paragraph itself (drafter's own
        headings carry one beside their typed label) does not make a label-less paragraph a heading."""
        p_pr = _child(p, "pPr")
        style_id = _attr(_child(p_pr, "pStyle"), "val")
        return self.levels.get(style_id or "", 0)


def heading_label(level: int, number: int) -> str:
    """The typed label a heading of this level and number would carry: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{int_to_chinese(number)}、"
    if level == 2:
        return f"（{int_to_chinese(number)}）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"


# --- document tree ---------------------------------------------------------------------------------


@dataclass
class _Reader:
    numbering: Numbering
    styles: _Styles
    counters: list[int] = field(default_factory=lambda: [0] * 5)
    tables: int = 0

    def blocks(self, container: Element, out: list[_Line]) -> None:
        for child in container:
            name = _local(child)
            if name == "p":
                self.paragraph(child, out)
            elif name == "tbl":
                self.table(child, out)
            elif name == "AlternateContent":
                self.blocks(_chosen(child), out)
            elif name not in _SKIPPED:  # sdt, sdtContent, customXml, ins, txbxContent ...
                self.blocks(child, out)

    def paragraph(self, p: Element, out: list[_Line]) -> None:
        label = self.numbering.label(p)
        items: list[tuple[str, Element | None] | None] = []  # None: a soft line break
        boxes: list[Element] = []
        _inline(p, items, boxes)
        lines = _join_breaks(items)
        text = "".join(t for t, _ in lines[0])
        if len(lines) == 1 and not text and _mark_deleted(p):
            return  # a paragraph deleted whole in 修订 (its mark too) is gone once changes are accepted
        level = self.styles.level(p)
        p_style = _attr(_child(_child(p, "pPr"), "pStyle"), "val")
        if (not label and 1 <= level <= 4 and text.strip() and match_heading(text) is None
                and p_style not in self.styles.titles):
            label = heading_label(level, self.counters[level] + 1)
        if label:
            lines[0].insert(0, (label, None))
        for segments in lines:
            self._count(segments)
            out.append(_Line(segments))
        for box in boxes:
            self.blocks(box, out)

    def _count(self, segments: list[tuple[str, Element | None]]) -> None:
        """Heading numbers seen so far, typed or not: a style heading without a label takes the next."""
        m = match_heading("".join(t for t, _ in segments))
        if m is not None and m.level <= 4:
            self.counters[m.level] = m.number
            for deeper in range(m.level + 1, 5):
                self.counters[deeper] = 0

    def table(self, tbl: Element, out: list[_Line]) -> None:
        self.tables += 1
        table_id = self.tables
        rows = [[self._cell(tc) for tc in _cells(tr)] for tr in _rows(tbl)]
        if not rows:
            return
        header = rows[0] if len(rows) > 1 and not any(_has_digit(_text(c)) for c in rows[0]) else None
        units = [(_HEADER_UNIT.search(_text(c)) or [None, ""])[1] for c in header] if header else []
        labels = [_HEADER_UNIT.sub("", _text(c)).strip() for c in header] if header else []
        data = rows[1:] if header else rows
        sequence = bool(header and _text(header[0]).strip() in _SEQUENCE_HEADER) or (
            len(data) > 1 and min(len(r) for r in data) >= 3
            and all(_SEQUENCE_CELL.match(_text(r[0])) for r in data))
        for index, cells in enumerate(rows):
            line = _row_line(cells, header_row=header is not None and index == 0, units=units,
                             labels=labels, skip_first=sequence)
            line.table = table_id
            out.append(line)

    def _cell(self, tc: Element) -> list[tuple[str, Element | None]]:
        lines: list[_Line] = []
        self.blocks(tc, lines)
        segments = [seg for line in lines for seg in line.segments]
        # a cell's paragraphs run together: "工作项目" split over two lines in a narrow column
        return _strip(segments)


def _mark_deleted(p: Element) -> bool:
    r_pr = _child(_child(p, "pPr"), "rPr")
    return r_pr is not None and _child(r_pr, "del") is not None


def _wrapped(parent: Element, tag: str) -> Iterator[Element]:
    """Children named ``tag``, also inside content controls and custom XML that Word wraps them in."""
    for child in parent:
        name = _local(child)
        if name == tag:
            yield child
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _wrapped(child, tag)


def _rows(tbl: Element) -> Iterator[Element]:
    return _wrapped(tbl, "tr")


def _cells(tr: Element) -> Iterator[Element]:
    return _wrapped(tr, "tc")


def _text(segments: list[tuple[str, Element | None]]) -> str:
    return "".join(t for t, _ in segments)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _strip(segments: list[tuple[str, Element | None]]) -> list[tuple[str, Element | None]]:
    """Drop leading and trailing whitespace segments' spaces (cells are often padded)."""
    out = list(segments)
    while out and not out[0][0].strip():
        out.pop(0)
    while out and not out[-1][0].strip():
        out.pop()
    return out


def _row_line(cells: list[list[tuple[str, Element | None]]], *, header_row: bool, units: list[str],
              labels: list[str], skip_first: bool) -> _Line:
    """``专题会议 | 5 | 次 | 已完成`` → ``专题会议5次，已完成``; ``措施 | 每月一次`` → ``措施：每月一次``;
    a header row → cells joined by tabs.

    A number cell and a short unit cell after it run together; a unit given in the header
    (``数量（次）``) is added after a bare number. A 序号 column is kept in the table, not in the line.
    With several figures in a row, each takes its column's name: ``专题会议 | 4 | 3`` under
    ``项目 | 计划 | 完成`` → ``专题会议计划4，完成3``.
    """
    line = _Line(cells=[], header_row=header_row)
    texts = [_text(c) for c in cells]
    figures = texts[1:] if skip_first else texts
    named = sum(1 for t in figures if _STARTS_NUMBER.match(t)) >= 2 and not header_row
    first_item = True
    for i, segments in enumerate(cells):
        text = texts[i]
        if skip_first and i == 0 and not header_row:
            line.cells.append((0, 0, text, False))
            continue
        start = len(line.text())
        if text:
            if line.segments:
                previous = texts[i - 1] if i else ""
                unit_after_number = (_NUMBER_CELL.match(previous) and not _has_digit(text) and len(text) <= 3)
                if header_row:
                    sep = "\t"
                elif unit_after_number:
                    sep = ""
                elif first_item and _STARTS_NUMBER.match(text) and not previous[-1:].isdigit():
                    sep = ""  # 专题会议 | 5 | 次 → 专题会议5次: the item governs its figure, as in prose
                elif first_item:
                    sep = "："
                else:
                    sep = "，"
                if sep:
                    line.segments.append((sep, None))
                first_item = False
                if named and i < len(labels) and labels[i] and _STARTS_NUMBER.match(text):
                    line.segments.append((labels[i], None))
                start = len(line.text())
            line.segments.extend(segments)
        end = len(line.text())
        line.cells.append((start, end, text, True))
        unit = units[i] if i < len(units) else ""
        next_text = texts[i + 1] if i + 1 < len(texts) else ""
        if (unit and _NUMBER_CELL.match(text) and not header_row
                and not (next_text and not _has_digit(next_text) and len(next_text) <= 3)):
            line.segments.append((unit, None))
    return line


def _join_breaks(items: list[tuple[str, Element | None] | None]) -> list[list[tuple[str, Element | None]]]:
    """Split a paragraph's items at soft breaks that end a line, join the others (see module doc)."""
    lines: list[list[tuple[str, Element | None]]] = [[]]
    pending = False
    for item in items:
        if item is None:
            pending = True
            continue
        if pending:
            pending = False
            before = _text(lines[-1]).rstrip()
            heading = match_heading(before)
            if (not before or before.endswith(_KEEP_BREAK_AFTER) or (heading is not None and not heading.rest)
                    or _BREAK_AFTER_ORG.search(before) or _BREAK_BEFORE_DATE.match(item[0])
                    or not item[0].strip()):
                lines.append([])
        lines[-1].append(item)
    if pending and lines[-1]:
        lines.append([])  # a paragraph ending in a break shows an empty line; keep the line count
    while len(lines) > 1 and not _text(lines[-1]):
        lines.pop()
    return lines


def _inline(element: Element, items: list, boxes: list[Element]) -> None:
    for child in element:
        name = _local(child)
        if name == "r":
            _run(child, items, boxes)
        elif name == "AlternateContent":
            _inline(_chosen(child), items, boxes)
        elif name not in _SKIPPED:  # hyperlink, ins, moveTo, sdt, sdtContent, smartTag, fldSimple, oMath ...
            _inline(child, items, boxes)


def _run(run: Element, items: list, boxes: list[Element]) -> None:
    r_pr = _child(run, "rPr")
    vanish = _child(r_pr, "vanish") if r_pr is not None else None
    if vanish is not None and _attr(vanish, "val") not in ("0", "false", "off"):
        return
    for child in run:
        name = _local(child)
        if name == "t":
            if child.text:
                items.append((child.text, child))
        elif name in ("tab", "ptab"):
            items.append(("\t", None))
        elif name == "br":
            kind = _attr(child, "type")
            items.append(None if kind in (None, "textWrapping") else ("\n", None))
        elif name == "cr":
            items.append(None)
        elif name == "noBreakHyphen":
            items.append(("-", None))
        elif name == "sym":
            items.append((_symbol(_attr(child, "char")), None))
        elif name in ("drawing", "pict", "object", "AlternateContent"):
            boxes.extend(_text_boxes(child))


def _symbol(code: str | None) -> str:
    """``w:sym`` characters: Symbol-font codes live at F0xx, the real character at 00xx."""
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    return chr(value - 0xF000 if value >= 0xF000 else value)


def _text_boxes(element: Element) -> Iterator[Element]:
    for child in element:
        name = _local(child)
        if name == "txbxContent":
            yield child
        elif name == "AlternateContent":
            yield from _text_boxes(_chosen(child))
        elif name != "Fallback":
            yield from _text_boxes(child)


def _chosen(alternate: Element) -> Element:
    """The branch of ``mc:AlternateContent`` a reader shows: the first Choice, else the Fallback."""
    for child in alternate:
        if _local(child) == "Choice":
            return child
    fallback = _child(alternate, "Fallback")
    return fallback if fallback is not None else alternate
