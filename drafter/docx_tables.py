"""Write a report's table (``Report.tables``, one ``Block`` per row) back as a Word table in 公文 style.

As offices lay out a 工作指标 table in a GB/T 9704 document: full width of the text block, centred,
single thin black rules, text in the body font (3号, or 4号 when more than four columns would not
fit), the header row in 黑体 and repeated on each page, cells centred vertically, numbers centred,
no first-line indent, the same exact line pitch as the body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter import regexes

if TYPE_CHECKING:
    from docx.document import Document

    from drafter.docx_writer import Block, DocxStyle

MAX_COLUMNS_AT_BODY_SIZE = 4
_SHORT = regexes.compile(r"^[\s\d.,，%％个次篇人条场名块期项余多近约以上]{0,8}$")


def write_table(document: Document, rows: list[Block], style: DocxStyle) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from drafter.docx_writer import _no_grid, _pt, _qn, _run, _set_first_line_chars

    columns = max(len(row.cells) for row in rows)
    table = document.add_table(rows=len(rows), cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_properties(table)
    size = style.body_size if columns <= MAX_COLUMNS_AT_BODY_SIZE else style.page_number_size
    for r, row in enumerate(rows):
        if row.header:
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            tr_pr.append(tr_pr.makeelement(_qn("w:tblHeader"), {}))
        for c in range(columns):
            text = row.cells[c] if c < len(row.cells) else ""
            cell = table.cell(r, c)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            centred = row.header or bool(_SHORT.match(text))
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = 0
            fmt.space_before = fmt.space_after = 0
            fmt.line_spacing = _pt(style.line_pitch)
            _set_first_line_chars(paragraph._p.get_or_add_pPr(), 0)
            _no_grid(paragraph)
            if text:
                font = style.heading1_font if row.header else style.body_font
                latin = style.heading1_font if row.header else style.latin_font
                _run(paragraph, text, font, latin, size)


def _table_properties(table) -> None:
    """Full width, single 0.5 pt black borders inside and out (no dependence on a table style)."""
    from drafter.docx_writer import _qn

    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(_qn("w:tblW")):
        tbl_pr.remove(old)
    width = tbl_pr.makeelement(_qn("w:tblW"), {_qn("w:w"): "5000", _qn("w:type"): "pct"})
    borders = tbl_pr.makeelement(_qn("w:tblBorders"), {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(_qn(f"w:{side}"), {
            _qn("w:val"): "single", _qn("w:sz"): "4", _qn("w:space"): "0", _qn("w:color"): "000000"}))
    # schema order in w:tblPr: tblStyle, …, tblW, jc, …, tblBorders, …, tblLook
    style_el = tbl_pr.find(_qn("w:tblStyle"))
    if style_el is not None:
        style_el.addnext(width)
    else:
        tbl_pr.insert(0, width)
    jc = tbl_pr.find(_qn("w:jc"))
    (jc if jc is not None else width).addnext(borders)
