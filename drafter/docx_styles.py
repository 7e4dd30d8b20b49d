"""The stock template's Title and Heading styles, made 公文 headings (black, the fonts of each level).

drafter writes its own headings with direct formatting; these styles matter when the user goes on
editing in Word and applies 标题 1 to a new heading: it must come out 黑体 in black, not blue Calibri.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter.docx_writer import _pt, _qn, _set_first_line_chars, _set_fonts

if TYPE_CHECKING:
    from docx.document import Document

    from drafter.docx_writer import DocxStyle

_STYLE_LEVELS = {"Title": 0, "Subtitle": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3, "Heading 4": 4}


def set_heading_styles(document: Document, style: DocxStyle) -> None:
    """The template's Title and Heading styles are blue Calibri with a rule under the title: a user
    who applies 标题 1 in Word must get 黑体 in black, as the headings drafter writes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import RGBColor

    for name, level in _STYLE_LEVELS.items():
        try:
            target = document.styles[name]
        except KeyError:
            continue
        r_pr = target.element.get_or_add_rPr()
        for tag in ("w:color", "w:spacing", "w:kern", "w:i", "w:b"):
            for old in r_pr.findall(_qn(tag)):
                r_pr.remove(old)
        target.font.color.rgb = RGBColor(0, 0, 0)
        p_pr = target.element.get_or_add_pPr()
        for tag in ("w:pBdr", "w:spacing", "w:contextualSpacing", "w:keepLines"):
            for old in p_pr.findall(_qn(tag)):
                p_pr.remove(old)
        if level == 0:
            _set_fonts(r_pr, style.title_font, style.title_font)
            target.font.size = _pt(style.title_size if name == "Title" else style.body_size)
            target.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_first_line_chars(p_pr, 0)
        else:
            font = {1: style.heading1_font, 2: style.heading2_font}.get(level, style.body_font)
            _set_fonts(r_pr, font, font if level <= 2 else style.latin_font)
            target.font.size = _pt(style.body_size)
            target.font.bold = level >= 3 and style.bold_minor_headings
            _set_first_line_chars(p_pr, 2)
        fmt = target.paragraph_format
        fmt.space_before = fmt.space_after = 0
        fmt.line_spacing = _pt(style.line_pitch)
