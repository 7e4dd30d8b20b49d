"""Lay a ``Report`` out as a Word file in 公文 format (GB/T 9704-2012, 党政机关公文格式).

What a county 宣传部 reader checks at a glance, and where it is set here:
- A4 with margins 37/35/28/26 mm (python-docx starts from US Letter, so the page is set explicitly);
  22 lines a page from a line grid and fixed 28.95 pt line spacing (225 mm ÷ 22 lines) on every
  paragraph; 28 characters a line from condensing body text by 0.25 pt, which Word, WPS and
  LibreOffice all honour (LibreOffice cannot squeeze glyphs onto Word's character grid).
- Title 2号 方正小标宋简体 centred, one blank line below; an addressee line flush left.
- Body 3号 仿宋_GB2312, justified, first line indented two characters; headings 一、 黑体,
  （一） 楷体_GB2312, 1. and （1） 仿宋. A heading that carries its first sentence stays one paragraph:
  only the heading run takes the heading font.
- Page numbers "— N —" in 4号 宋体, odd pages right and even pages left with a one-character pad on
  the outer side, about 7 mm below the text block.
- Signature and date right-aligned after a blank line, spaced as §7.3.5.2 prescribes.

Fonts: the Chinese font goes on ``w:eastAsia`` (Word ignores the plain font name for CJK text) and every
``w:*Theme`` attribute is removed, because a theme font overrides the explicit one. Digits and Latin
letters in 仿宋 text use Times New Roman (``DocxStyle.latin_font``) — the common 公文 house rule; the
title and the 黑体/楷体 headings keep their own font for digits so a heading's weight does not change
mid-line. Set ``latin_font=None`` to use the Chinese font everywhere.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.atomic import write_atomic
from drafter.docx_blocks import Block, report_blocks, run_on_parts
from drafter.report import ParagraphKind, Report

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph as DocxParagraph

# Page geometry fixed by GB/T 9704-2012 §5.2 (mm); not configurable on purpose.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
PAGE_NUMBER_GAP_MM = 7  # 页码一字线上距版心下边缘 7 mm
TWIPS_PER_PT = 20
# w:pPr children in schema order (ECMA-376 CT_PPrBase), for the elements python-docx has no API for.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


@dataclass(frozen=True)
class DocxStyle:
    """Font names and sizes (pt). Defaults follow GB/T 9704-2012; offices without the GB2312 fonts use
    ``DocxStyle.plain()`` (仿宋 / 楷体 / 黑体 / 宋体)."""

    title_font: str = "方正小标宋简体"
    body_font: str = "仿宋_GB2312"
    heading1_font: str = "黑体"
    heading2_font: str = "楷体_GB2312"
    page_number_font: str = "宋体"
    latin_font: str | None = "Times New Roman"
    title_size: float = 22.0  # 2号
    body_size: float = 16.0  # 3号
    page_number_size: float = 14.0  # 4号
    line_pitch: float = 28.95  # 225 mm / 22 lines, in pt (w:line 579)
    chars_per_line: int = 28
    bold_minor_headings: bool = False  # 1. / （1） "may be bold" in some offices' rules

    @classmethod
    def plain(cls, **overrides) -> DocxStyle:
        """The same layout with fonts every Windows PC has (仿宋, 楷体 instead of *_GB2312)."""
        return replace(cls(body_font="仿宋", heading2_font="楷体"), **overrides)


def write_docx(report: Report, path: str | Path, style: DocxStyle | None = None) -> None:
    """Write ``report`` as a 公文-format .docx; built in memory, then replaced atomically."""
    write_atomic(path, render_docx(report, style))


def render_docx(report: Report, style: DocxStyle | None = None) -> bytes:
    import docx

    from drafter.docx_finish import finish_package
    from drafter.docx_tables import write_table

    style = style or DocxStyle()
    document = docx.Document()
    _set_page(document, style)
    _set_styles(document, style)
    _set_settings(document)
    _set_page_numbers(document, style)
    _set_page_header(document, report, style)
    _set_properties(document, report)
    blocks = report_blocks(report)
    signature_width = next((_width(b.text) for b in blocks if b.kind is ParagraphKind.SIGNATURE), 0.0)
    date_width = next((_width(b.text) for b in blocks if b.kind is ParagraphKind.DATE), 0.0)
    closing_pads = closing_right_pads(signature_width, date_width)
    written_tables: set[int] = set()
    for i, block in enumerate(blocks):
        if block.table >= 0:
            if block.table not in written_tables:  # the whole table at its first row
                written_tables.add(block.table)
                write_table(document, [b for b in blocks if b.table == block.table], style)
            continue
        paragraph = document.add_paragraph()
        _format_paragraph(paragraph, style)
        if block.kind is ParagraphKind.TITLE:
            _write_title(paragraph, block, style)
        elif block.kind is ParagraphKind.HEADING:
            _write_heading(paragraph, block, style)
        elif block.kind in _CLOSING_KINDS:
            _write_closing(paragraph, block, style, closing_pads,
                           first=i == 0 or blocks[i - 1].kind not in _CLOSING_KINDS)
        elif block.kind is ParagraphKind.FOOTNOTE:  # 附注: 居左空二字加圆括号, below the date (§7.3.6)
            _write_body(paragraph, Block(ParagraphKind.BODY, ((f"（{block.text.strip('（）() ')}）", 0),)), style)
        else:
            _write_body(paragraph, block, style)
        if i + 1 < len(blocks) and blocks[i + 1].kind in _CLOSING_KINDS:
            # a signature and date alone on the last page is a classic 公文 defect: keep them with
            # the last lines of text
            paragraph.paragraph_format.keep_with_next = True
    if not blocks:  # Word wants at least one paragraph in the body
        _format_paragraph(document.add_paragraph(), style)
    buffer = io.BytesIO()
    document.save(buffer)
    return finish_package(buffer.getvalue(), style, report, blocks)


_CLOSING_KINDS = (ParagraphKind.SIGNATURE, ParagraphKind.DATE)


def closing_right_pads(signature_chars: float, date_chars: float) -> tuple[float, float]:
    """Right padding (in characters) of the signature and the date, per GB/T 9704-2012 §7.3.5.2.

    The signature sits 右空二字 and the date starts two characters right of the signature's first
    character; when the date is the longer line it sits 右空二字 and the signature moves left instead.
    """
    if not signature_chars or not date_chars:
        return 2.0, 2.0
    signature_pad = max(2.0, 4.0 + date_chars - signature_chars)
    return signature_pad, signature_pad + signature_chars - 2.0 - date_chars


def _width(text: str) -> float:
    """Width in body characters: Arabic digits and Latin letters are half-width."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text.strip())


# --- document-wide settings -------------------------------------------------------------------


def _set_page(document: Document, style: DocxStyle) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.gutter = 0
    section.header_distance = Mm(15)
    # The footer's bottom edge sits this far above the page edge; with a one-line footer of exact
    # page_number_size height, the number's centre line lands 7 mm below the text block.
    section.footer_distance = Mm(MARGIN_BOTTOM_MM - PAGE_NUMBER_GAP_MM) - Pt(style.page_number_size / 2)
    # 22 lines a page from the line grid (every paragraph also has the exact 28.95 pt spacing).
    # 28 characters a line come from condensing body runs (see ``body_condense``), not from Word's
    # character grid: LibreOffice sets a 16 pt glyph on two 15.8 pt grid cells and halves the line.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = section._sectPr.makeelement(qn("w:docGrid"), {})
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(style.line_pitch * TWIPS_PER_PT)))


def body_condense(style: DocxStyle) -> int:
    """Character spacing for body runs, in twentieths of a point (≤ 0): the least condensing that fits
    ``chars_per_line`` characters into the 156 mm line (3号: -5, i.e. 紧缩 0.25 磅)."""
    text_width_pt = (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 25.4 * 72
    excess = style.body_size - text_width_pt / style.chars_per_line
    return -math.ceil(excess * TWIPS_PER_PT + 1e-9) if excess > 0 else 0


def _set_styles(document: Document, style: DocxStyle) -> None:
    """Strip theme fonts from every style and make Normal the body text, so text a user types later
    in Word comes out as 3号仿宋 with the right indent and spacing."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in [a for a in fonts.attrib if a.endswith(("Theme", "}cstheme"))]:
            del fonts.attrib[attr]
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(r_pr, style.body_font, style.latin_font)
    for tag, value in (("w:sz", style.body_size), ("w:szCs", style.body_size)):
        r_pr.find(qn(tag)).set(qn("w:val"), str(round(value * 2)))
    lang = r_pr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(round(style.line_pitch * TWIPS_PER_PT)))
    spacing.set(qn("w:lineRule"), "exact")

    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), style.body_font, style.latin_font)
    normal.font.size = _pt(style.body_size)
    fmt = normal.paragraph_format
    _apply_body_format(fmt, style)
    fmt.widow_control = False  # pages hold exactly 22 lines, as the standard's grid intends
    _set_char_spacing(normal.element.get_or_add_rPr(), body_condense(style))
    p_pr = normal.element.get_or_add_pPr()
    # No automatic gap between Chinese and digits/Latin: the genre writes 4次, never "4 次".
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        _set_ppr_child(p_pr, tag, "0")
    _set_overflow_punct(p_pr)
    _set_first_line_chars(p_pr, 2)
    from drafter.docx_styles import set_heading_styles

    set_heading_styles(document, style)


def _set_page_header(document: Document, report: Report, style: DocxStyle) -> None:
    """Header lines read from the user's .docx (unit name, year) go back into the page header."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = [a.text.strip() for a in report.asides if a.kind is ParagraphKind.HEADER and a.text.strip()]
    if not lines:
        return
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        for i, line in enumerate(lines):
            paragraph = header.paragraphs[0] if i == 0 else header.add_paragraph()
            fmt = paragraph.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.first_line_indent = 0
            fmt.space_before = fmt.space_after = 0
            _set_first_line_chars(paragraph._p.get_or_add_pPr(), 0)
            _no_grid(paragraph)
            _run(paragraph, line, style.body_font, style.latin_font, style.page_number_size)


def _set_settings(document: Document) -> None:
    from docx.oxml.ns import qn

    document.settings.odd_and_even_pages_header_footer = True
    lang = document.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:  # the stock template says ja-JP, which picks Japanese glyph variants
        lang.set(qn("w:eastAsia"), "zh-CN")


def _set_properties(document: Document, report: Report) -> None:
    """Overwrite the template's "python-docx" author and comments: the file's properties are seen too."""
    props = document.core_properties
    props.author = props.last_modified_by = ""
    props.comments = props.keywords = props.subject = props.category = ""
    props.title = report.title.text if report.title else ""
    props.revision = 1
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def _set_page_numbers(document: Document, style: DocxStyle) -> None:
    """"— N —" footers: odd pages right-aligned, even pages left-aligned, a one-character pad outside.

    The pad is a paragraph indent rather than a typed full-width space, because Word and LibreOffice
    drop trailing spaces when right-aligning.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    for footer, align, pad_side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = 0
        fmt.space_before = fmt.space_after = 0
        fmt.line_spacing = _pt(style.page_number_size)
        setattr(fmt, f"{pad_side}_indent", _pt(style.page_number_size))
        _no_grid(paragraph)
        _set_first_line_chars(paragraph._p.get_or_add_pPr(), 0)
        font = style.page_number_font
        _run(paragraph, "— ", font, font, style.page_number_size)
        _page_field(paragraph, font, style.page_number_size)
        _run(paragraph, " —", font, font, style.page_number_size)
    # even/odd footers switch on for the whole document; headers stay empty but must exist for both
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False


def _page_field(paragraph: DocxParagraph, font: str, size: float) -> None:
    """A complex PAGE field (begin / instruction / separate / cached "1" / end), as Word writes it."""
    from docx.oxml.ns import qn

    for part in ("begin", "instr", "separate", "result", "end"):
        run = _run(paragraph, "1" if part == "result" else "", font, font, size)
        if part == "instr":
            instr = run._r.makeelement(qn("w:instrText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            instr.text = " PAGE "
            run._r.append(instr)
        elif part != "result":
            run._r.append(run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): part}))


# --- paragraphs ---------------------------------------------------------------------------------


def _write_title(paragraph: DocxParagraph, block: Block, style: DocxStyle) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = 0
    _set_first_line_chars(paragraph._p.get_or_add_pPr(), 0)
    fmt.space_after = _pt(style.line_pitch)  # 标题下空一行
    fmt.keep_with_next = True
    _no_grid(paragraph)
    _run(paragraph, block.text, style.title_font, style.title_font, style.title_size)


def _write_heading(paragraph: DocxParagraph, block: Block, style: DocxStyle) -> None:
    # outline level: the headings show in Word's navigation pane without built-in heading styles
    _set_ppr_child(paragraph._p.get_or_add_pPr(), "w:outlineLvl", str(min(block.level, 9) - 1))
    if all(level for _, level in block.parts):
        paragraph.paragraph_format.keep_with_next = True  # never strand a heading at a page's foot
    _write_parts(paragraph, block, style)


def _write_body(paragraph: DocxParagraph, block: Block, style: DocxStyle) -> None:
    if block.kind is ParagraphKind.ADDRESSEE:  # 主送机关: flush left, no indent
        paragraph.paragraph_format.first_line_indent = 0
        _set_first_line_chars(paragraph._p.get_or_add_pPr(), 0)
    _write_parts(paragraph, block, style)


def _write_parts(paragraph: DocxParagraph, block: Block, style: DocxStyle) -> None:
    """Body text in the body font; each heading part in its level's font (1. and （1） stay 仿宋)."""
    for text, level in run_on_parts(block):
        if level == 1:
            font, latin, bold = style.heading1_font, style.heading1_font, False
        elif level == 2:
            font, latin, bold = style.heading2_font, style.heading2_font, False
        else:
            font, latin, bold = style.body_font, style.latin_font, level >= 3 and style.bold_minor_headings
        _run(paragraph, text, font, latin, style.body_size, bold=bold, spacing=body_condense(style))


def _write_closing(paragraph: DocxParagraph, block: Block, style: DocxStyle,
                   pads: tuple[float, float], first: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fmt.first_line_indent = 0
    pad = pads[0] if block.kind is ParagraphKind.SIGNATURE else pads[1]
    fmt.right_indent = _pt(pad * style.body_size)
    p_pr = paragraph._p.get_or_add_pPr()
    _set_first_line_chars(p_pr, 0)
    p_pr.find(_qn("w:ind")).set(_qn("w:rightChars"), str(round(pad * 100)))
    if first:
        fmt.space_before = _pt(style.line_pitch)  # 正文下空一行
    _run(paragraph, block.text.strip(), style.body_font, style.latin_font, style.body_size,
         spacing=body_condense(style))


# --- low-level helpers ----------------------------------------------------------------------------


def _format_paragraph(paragraph: DocxParagraph, style: DocxStyle) -> None:
    """Body format set directly too, so WPS and older Word show it even if they ignore Normal."""
    _apply_body_format(paragraph.paragraph_format, style)
    _set_first_line_chars(paragraph._p.get_or_add_pPr(), 2)
    _set_overflow_punct(paragraph._p.get_or_add_pPr())


def _set_overflow_punct(p_pr) -> None:
    """Write Word's default ``w:overflowPunct=1`` explicitly. LibreOffice reads the flag inverted
    (writerfilter maps 0 to "hanging"), and a line-end comma it hangs in a justified line is not
    drawn at all; with 1 it pushes the last character down with the comma, as Chinese typesetting does."""
    _set_ppr_child(p_pr, "w:overflowPunct", "1")


def _apply_body_format(fmt, style: DocxStyle) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING

    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = _pt(style.line_pitch)
    fmt.space_before = fmt.space_after = 0
    fmt.first_line_indent = _pt(2 * style.body_size)


def _set_first_line_chars(p_pr, chars: int) -> None:
    """``w:firstLineChars`` (hundredths of a character) wins over twips in Word and WPS, and must be
    written as 0 where no indent is wanted, or the value inherited from Normal comes back."""
    ind = p_pr.get_or_add_ind()
    ind.set(_qn("w:firstLineChars"), str(chars * 100))
    if not chars:
        ind.set(_qn("w:firstLine"), "0")


def _no_grid(paragraph: DocxParagraph) -> None:
    _set_ppr_child(paragraph._p.get_or_add_pPr(), "w:snapToGrid", "0")


def _set_ppr_child(p_pr, tag: str, value: str) -> None:
    """Set a ``w:pPr`` child python-docx has no API for, in schema order (Word rejects misordered XML)."""
    for old in p_pr.findall(_qn(tag)):
        p_pr.remove(old)
    element = p_pr.makeelement(_qn(tag), {_qn("w:val"): value})
    p_pr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])


def _run(paragraph: DocxParagraph, text: str, cjk_font: str, latin_font: str | None, size: float,
         bold: bool = False, spacing: int = 0):
    run = paragraph.add_run(text)
    r_pr = run._r.get_or_add_rPr()
    _set_fonts(r_pr, cjk_font, latin_font)
    run.font.size = _pt(size)
    r_pr.find(_qn("w:sz")).addnext(r_pr.makeelement(_qn("w:szCs"), {_qn("w:val"): str(round(size * 2))}))
    _set_char_spacing(r_pr, spacing)
    if bold:
        run.font.bold = True
    return run


def _set_char_spacing(r_pr, twentieths: int) -> None:
    """``w:spacing`` on a run (schema order: after rFonts…vanish family, before w:w/w:kern/w:sz)."""
    for old in r_pr.findall(_qn("w:spacing")):
        r_pr.remove(old)
    element = r_pr.makeelement(_qn("w:spacing"), {_qn("w:val"): str(twentieths)})
    r_pr.insert_element_before(element, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight",
                               "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
                               "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
                               "w:oMath")


def _set_fonts(r_pr, cjk_font: str, latin_font: str | None) -> None:
    """Explicit ascii/hAnsi/eastAsia/cs fonts, no theme fonts. ``w:hint="eastAsia"`` makes Word draw
    “ ” —— …… with the Chinese font instead of narrow Latin glyphs."""
    fonts = r_pr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(_qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    fonts.attrib.clear()
    latin = latin_font or cjk_font
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", cjk_font), ("cs", latin),
                        ("hint", "eastAsia")):
        fonts.set(_qn(f"w:{attr}"), value)


def _pt(value: float):
    from docx.shared import Pt

    return Pt(value)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
