"""Last touches on a .docx python-docx saved: what its stock template leaves behind.

- fontTable: entries for the Chinese fonts used, each with a ``w:altName`` fallback from the lexicon
  ``font_fallbacks`` (仿宋_GB2312 → 仿宋 → FangSong), so Word on a PC without the _GB2312 fonts
  falls back sensibly instead of to its default face;
- docProps/app.xml said “Microsoft Macintosh Word”, one page, no words: now drafter, an estimate of
  the pages (22 lines × 28 characters), and the counts;
- the template's thumbnail (a picture of an empty page) is dropped with its relationship.
"""

from __future__ import annotations

import io
import math
import zipfile
from typing import TYPE_CHECKING

from drafter.resources import load_lexicon

if TYPE_CHECKING:
    from drafter.docx_writer import Block, DocxStyle
    from drafter.report import Report

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
THUMBNAIL = "docProps/thumbnail.jpeg"
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28


def finish_package(data: bytes, style: DocxStyle, report: Report, blocks: list[Block]) -> bytes:
    fonts = [style.title_font, style.body_font, style.heading1_font, style.heading2_font, style.page_number_font]
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == THUMBNAIL:
                continue
            payload = old.read(info.filename)
            if info.filename == "word/fontTable.xml":
                payload = font_table(payload, fonts)
            elif info.filename == "docProps/app.xml":
                payload = app_properties(payload, report, blocks)
            elif info.filename == "_rels/.rels":
                payload = _drop_thumbnail_rel(payload)
            new.writestr(info, payload)
    return buffer.getvalue()


def font_table(xml: bytes, fonts: list[str]) -> bytes:
    """``fonts`` (and their fallbacks, in turn) as fontTable entries with ``w:altName``."""
    from lxml import etree

    root = etree.fromstring(xml)
    table = load_lexicon("font_fallbacks")["fonts"]
    present = {f.get(f"{{{W_NS}}}name") for f in root}
    queue = list(dict.fromkeys(fonts))
    while queue:
        name = queue.pop(0)
        entry = table.get(name)
        if entry is None or name in present:
            continue
        present.add(name)
        font = etree.SubElement(root, f"{{{W_NS}}}font", {f"{{{W_NS}}}name": name})
        for tag, value in (("altName", entry["alt"]), ("charset", "86"), ("family", entry["family"]),
                           ("pitch", entry["pitch"])):
            etree.SubElement(font, f"{{{W_NS}}}{tag}", {f"{{{W_NS}}}val": value})
        queue.append(entry["alt"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def estimate_pages(blocks: list[Block]) -> int:
    """Pages at 22 lines of 28 characters: a title takes two lines and the blank under it."""
    lines = 0
    for block in blocks:
        width = sum(0.5 if ch.isascii() else 1.0 for ch in block.text)
        per_line = CHARS_PER_LINE * 16 / 22 if block.kind == "title" else CHARS_PER_LINE
        lines += max(1, math.ceil((width + (0 if block.kind == "title" else 2)) / per_line))
        if block.kind == "title":
            lines += 1
    return max(1, math.ceil(lines / LINES_PER_PAGE))


def app_properties(xml: bytes, report: Report, blocks: list[Block]) -> bytes:
    from lxml import etree

    root = etree.fromstring(xml)
    text = "".join(block.text for block in blocks)
    values = {
        "Application": "drafter", "Pages": str(estimate_pages(blocks)),
        "Words": str(sum(1 for ch in text if not ch.isspace())), "Characters": str(len(text)),
        "CharactersWithSpaces": str(len(text)), "Paragraphs": str(len(blocks)),
        "Lines": str(len(blocks)), "TotalTime": "0",
    }
    for element in list(root):
        name = etree.QName(element).localname
        if name in values:
            element.text = values.pop(name)
        elif name in ("AppVersion", "HeadingPairs", "TitlesOfParts"):
            root.remove(element)  # AppVersion 14.0000 is Word 2010 for Mac; the parts list was stale
    for name, value in values.items():
        etree.SubElement(root, f"{{{APP_NS}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_thumbnail_rel(xml: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(xml)
    for rel in list(root):
        if rel.get("Target", "").lstrip("/") == THUMBNAIL:
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
