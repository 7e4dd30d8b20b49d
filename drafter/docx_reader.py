"""Read the paragraphs of a .docx in document order — Word- and WPS-saved files alike.

The XML is read directly (zipfile + lxml), matching elements by local name, so the transitional and
the strict OOXML namespaces both work and nothing python-docx skips is lost:
- paragraphs inside content controls (``w:sdt``), custom XML, tracked insertions and hyperlinks;
  deleted text (``w:del``, ``w:moveFrom``) and hidden text (``w:vanish``) are left out, because the
  user does not see them;
- table cells, one paragraph per line, in reading order (merged cells are not repeated);
- text boxes, as separate paragraphs after the paragraph that anchors them (once: the VML fallback
  copy WPS and Word write beside the drawing is skipped);
- automatic numbering: a heading numbered by Word/WPS (“一、” from a multilevel list, not typed)
  gets its label back, so heading levels survive into ``parse_report``. The tab Word puts after a
  label is dropped, so the text reads like a typed heading (``一、组织领导``).

A soft line break (Shift+Enter, ``w:br``) becomes "\\n": the user sees a new line there, so a finding
reported on "line N" must count it. Page breaks are line breaks for the same reason.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.exceptions import InputError
from drafter.numerals import int_to_chinese

MAX_PART_BYTES = 64 * 1024 * 1024  # unpacked XML; a real report's document.xml is well under 5 MB
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .doc, and every password-protected .docx
_SKIPPED = {"del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr", "instrText", "delText",
            "Fallback", "tblPr", "tblGrid", "trPr", "tcPr", "sectPr"}

Element = Any  # lxml.etree._Element; lxml is imported lazily


def docx_paragraphs(path: Path) -> list[str]:
    """Paragraph texts of the main document, body and table cells, in document order."""
    document, styles, numbering = _read_parts(Path(path))
    context = _Numbering(numbering, styles)
    out: list[str] = []
    body = _child(document, "body")
    _blocks(body if body is not None else document, out, context)
    return out


# --- package ----------------------------------------------------------------------------------


def _damaged(path: Path, detail: str = "") -> InputError:
    hint = f"（{detail}）" if detail else ""
    return InputError(
        f"{path} 不是有效的 Word 文件，可能已损坏{hint}。请用 Word/WPS 打开后“另存为” .docx，或改用 .txt。"
    )


def _read_parts(path: Path) -> tuple[Element, Element | None, Element | None]:
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as err:
        raise InputError(f"无法读取 {path}：{err.strerror}。请检查文件权限。") from err
    if magic == _OLE_MAGIC:
        raise InputError(
            f"{path} 是旧版 .doc 文件或设置了打开密码的文档，无法直接读取。"
            "请在 Word/WPS 中取消密码，并“另存为” .docx 后再试。"
        )
    try:
        with zipfile.ZipFile(path) as package:
            main = _main_part(package)
            if main is None:
                raise InputError(f"{path} 不是 Word 文档（里面没有正文部分，可能是表格或演示文稿）。请提供 .docx 或 .txt。")
            document = _parse(package, main, path)
            related = _related_parts(package, main)
            styles = _parse(package, related["styles"], path) if "styles" in related else None
            numbering = _parse(package, related["numbering"], path) if "numbering" in related else None
    except zipfile.BadZipFile as err:
        raise _damaged(path) from err
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as err:  # zip64 oddities, encryption
        raise _damaged(path, type(err).__name__) from err
    return document, styles, numbering


def _main_part(package: zipfile.ZipFile) -> str | None:
    names = set(package.namelist())
    if "_rels/.rels" in names:
        for rel in _relationships(package, "_rels/.rels"):
            if rel[0] == "officeDocument":
                target = rel[1].lstrip("/")
                if target in names:
                    return target
    return "word/document.xml" if "word/document.xml" in names else None


def _related_parts(package: zipfile.ZipFile, main: str) -> dict[str, str]:
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    found: dict[str, str] = {}
    names = set(package.namelist())
    if rels_name in names:
        for kind, target in _relationships(package, rels_name):
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if kind in ("styles", "numbering") and full in names:
                found[kind] = full
    for kind in ("styles", "numbering"):  # WPS sometimes omits the relationship but ships the part
        fallback = posixpath.join(folder, f"{kind}.xml")
        if kind not in found and fallback in names:
            found[kind] = fallback
    return found


def _relationships(package: zipfile.ZipFile, name: str) -> Iterator[tuple[str, str]]:
    root = _parse(package, name, Path(package.filename or "?"))
    for rel in root:
        if _local(rel) == "Relationship" and rel.get("TargetMode") != "External":
            # transitional and strict types differ in their URI prefix, never in the last segment
            yield rel.get("Type", "").rsplit("/", 1)[-1], rel.get("Target", "")


def _parse(package: zipfile.ZipFile, name: str, path: Path) -> Element:
    from lxml import etree

    info = package.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise InputError(f"{path} 的内容部分过大（{info.file_size // 1024 // 1024} MB），不像一份总结。请确认选对了文件。")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(package.read(name), parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as err:
        raise _damaged(path, f"{name} 无法解析") from err


# --- document tree ------------------------------------------------------------------------------


def _local(element: Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""  # comments and PIs have no name


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c) == name), None)


def _attr(element: Element | None, name: str) -> str | None:
    """An attribute by local name (``w:val`` in either namespace)."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return value
    return None


def _blocks(container: Element, out: list[str], numbering: _Numbering) -> None:
    for child in container:
        name = _local(child)
        if name == "p":
            _paragraph(child, out, numbering)
        elif name == "AlternateContent":
            _blocks(_chosen(child), out, numbering)
        elif name not in _SKIPPED:  # tbl, tr, tc, sdt, sdtContent, customXml, ins, txbxContent ...
            _blocks(child, out, numbering)


def _paragraph(p: Element, out: list[str], numbering: _Numbering) -> None:
    pieces = [numbering.label(p)]
    boxes: list[Element] = []
    _inline(p, pieces, boxes)
    out.append("".join(pieces))
    for box in boxes:
        _blocks(box, out, numbering)


def _inline(element: Element, pieces: list[str], boxes: list[Element]) -> None:
    for child in element:
        name = _local(child)
        if name == "r":
            _run(child, pieces, boxes)
        elif name == "AlternateContent":
            _inline(_chosen(child), pieces, boxes)
        elif name not in _SKIPPED:  # hyperlink, ins, moveTo, sdt, sdtContent, smartTag, fldSimple, oMath ...
            _inline(child, pieces, boxes)


def _run(run: Element, pieces: list[str], boxes: list[Element]) -> None:
    r_pr = _child(run, "rPr")
    vanish = _child(r_pr, "vanish") if r_pr is not None else None
    if vanish is not None and _attr(vanish, "val") not in ("0", "false", "off"):
        return
    for child in run:
        name = _local(child)
        if name == "t":
            pieces.append(child.text or "")
        elif name in ("tab", "ptab"):
            pieces.append("\t")
        elif name in ("br", "cr"):
            pieces.append("\n")
        elif name == "noBreakHyphen":
            pieces.append("-")
        elif name == "sym":
            pieces.append(_symbol(_attr(child, "char")))
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


# --- automatic numbering ------------------------------------------------------------------------


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    style: str | None = None  # a paragraph style linked to this level (标题 1 → 一、)


@dataclass
class _Numbering:
    """Word's list numbering, enough to rebuild labels like 一、 / （一） / 1. / （1）.

    Counters are kept per abstract list, as Word does for lists that share one; a ``w:num`` with a
    start override restarts them the first time it is used.
    """

    numbering: Element | None
    styles: Element | None
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_abstract: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    style_num: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for element in self.numbering if self.numbering is not None else []:
            name = _local(element)
            if name == "abstractNum":
                levels = {}
                for lvl in element:
                    if _local(lvl) == "lvl":
                        levels[_int(_attr(lvl, "ilvl"), 0)] = _Level(
                            fmt=_attr(_child(lvl, "numFmt"), "val") or "decimal",
                            text=_attr(_child(lvl, "lvlText"), "val") or "",
                            start=_int(_attr(_child(lvl, "start"), "val"), 1),
                            style=_attr(_child(lvl, "pStyle"), "val"),
                        )
                self.abstract[_attr(element, "abstractNumId") or ""] = levels
            elif name == "num":
                num_id = _attr(element, "numId") or ""
                self.num_abstract[num_id] = _attr(_child(element, "abstractNumId"), "val") or ""
                for override in element:
                    start = _child(override, "startOverride") if _local(override) == "lvlOverride" else None
                    if start is not None:
                        level = _int(_attr(override, "ilvl"), 0)
                        self.overrides.setdefault(num_id, {})[level] = _int(_attr(start, "val"), 1)
        for style in self.styles if self.styles is not None else []:
            if _local(style) == "style":
                p_pr = _child(style, "pPr")
                num_pr = _child(p_pr, "numPr") if p_pr is not None else None
                num_id = _attr(_child(num_pr, "numId"), "val") if num_pr is not None else None
                ilvl = _attr(_child(num_pr, "ilvl"), "val") if num_pr is not None else None
                self.style_num[_attr(style, "styleId") or ""] = (
                    num_id, _int(ilvl, None), _attr(_child(style, "basedOn"), "val"))

    def label(self, p: Element) -> str:
        if not self.abstract:
            return ""
        p_pr = _child(p, "pPr")
        num_pr = _child(p_pr, "numPr") if p_pr is not None else None
        num_id = _attr(_child(num_pr, "numId"), "val") if num_pr is not None else None
        ilvl_text = _attr(_child(num_pr, "ilvl"), "val") if num_pr is not None else None
        ilvl = _int(ilvl_text, None)
        style_id = _attr(_child(p_pr, "pStyle"), "val") if p_pr is not None else None
        if num_id is None and style_id:
            num_id, style_ilvl = self._style_numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self.num_abstract:
            return ""
        levels = self.abstract.get(self.num_abstract[num_id], {})
        if ilvl is None:  # a heading style linked to a level of a multilevel list
            ilvl = next((i for i, lvl in levels.items() if style_id and lvl.style == style_id), 0)
        if ilvl not in levels:
            return ""
        return self._advance(num_id, levels, ilvl)

    def _style_numbering(self, style_id: str) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen and current in self.style_num:
            seen.add(current)
            num_id, ilvl, based_on = self.style_num[current]
            if num_id is not None:
                return num_id, ilvl
            current = based_on
        return None, None

    def _advance(self, num_id: str, levels: dict[int, _Level], ilvl: int) -> str:
        key = self.num_abstract[num_id]
        counters = self.counters.setdefault(key, [None] * 10)
        overrides = self.overrides.get(num_id, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for level in overrides:
                if 0 <= level < 10:
                    counters[level] = None
        current = counters[ilvl]
        counters[ilvl] = overrides.get(ilvl, levels[ilvl].start) if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""  # bullet glyphs are private-use symbols; a bullet is not a heading marker
        label = level.text
        for i in range(9, -1, -1):
            token = f"%{i + 1}"
            if token in label:
                source = levels.get(i, _Level())
                value = counters[i] if counters[i] is not None else overrides.get(i, source.start)
                label = label.replace(token, format_number(value, source.fmt))
        return label


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_LEGAL = dict(zip("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟", strict=True))


def format_number(value: int, fmt: str) -> str:
    """A list counter in a Word number format (``w:numFmt``): chineseCounting 12 → 十二, etc."""
    if value < 0:
        return str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return int_to_chinese(value) if value else "〇"
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL.get(ch, ch) for ch in int_to_chinese(value))
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[value - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return _CIRCLED[value - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _int(text: str | None, default: Any) -> Any:
    """Numbering attributes as int; a malformed value (seen in hand-edited files) means the default."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _roman(value: int) -> str:
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)
