"""A .docx as a zip of XML parts: find the main document and its related parts, parse them safely,
and save a copy with some parts replaced or added (what --annotate and tracked changes write).

Parts are found through relationships, matched by the last segment of their type URI, so the
transitional and the strict OOXML flavours and WPS's odd part names all work.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.exceptions import InputError

MAX_PART_BYTES = 64 * 1024 * 1024  # unpacked XML; a real report's document.xml is well under 5 MB
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .doc, and every password-protected .docx
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATED = ("styles", "numbering", "header", "footer", "footnotes", "comments")

Element = Any  # lxml.etree._Element; lxml is imported lazily


@dataclass
class Package:
    """The parsed parts a reader needs; ``related`` maps a relationship kind to part names, in order."""

    path: Path
    main: str
    document: Element
    related: dict[str, list[str]] = field(default_factory=dict)
    parts: dict[str, Element] = field(default_factory=dict)  # parsed, by part name (main included)

    def part(self, kind: str) -> Element | None:
        names = self.related.get(kind, [])
        return self.parts.get(names[0]) if names else None

    def name_of(self, root: Element) -> str | None:
        return next((name for name, tree in self.parts.items() if tree is root), None)


def damaged(path: Path, detail: str = "") -> InputError:
    hint = f"（{detail}）" if detail else ""
    return InputError(
        f"{path} 不是有效的 Word 文件，可能已损坏{hint}。请用 Word/WPS 打开后“另存为” .docx，或改用 .txt。"
    )


def open_package(path: Path) -> Package:
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
            document = parse_part(package, main, path)
            result = Package(path, main, document, _related_parts(package, main), {main: document})
            for names in result.related.values():
                for name in names:
                    result.parts[name] = parse_part(package, name, path)
    except zipfile.BadZipFile as err:
        raise damaged(path) from err
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as err:  # zip64 oddities, encryption
        raise damaged(path, type(err).__name__) from err
    return result


def _main_part(package: zipfile.ZipFile) -> str | None:
    names = set(package.namelist())
    if "_rels/.rels" in names:
        for kind, target, _ in relationships(package, "_rels/.rels"):
            if kind == "officeDocument":
                target = target.lstrip("/")
                if target in names:
                    return target
    return "word/document.xml" if "word/document.xml" in names else None


def rels_name(main: str) -> str:
    folder, name = posixpath.split(main)
    return posixpath.join(folder, "_rels", name + ".rels")


def _related_parts(package: zipfile.ZipFile, main: str) -> dict[str, list[str]]:
    folder = posixpath.dirname(main)
    found: dict[str, list[str]] = {}
    names = set(package.namelist())
    if rels_name(main) in names:
        for kind, target, _ in relationships(package, rels_name(main)):
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if kind in RELATED and full in names and full not in found.get(kind, []):
                found.setdefault(kind, []).append(full)
    for kind in ("styles", "numbering"):  # WPS sometimes omits the relationship but ships the part
        fallback = posixpath.join(folder, f"{kind}.xml")
        if kind not in found and fallback in names:
            found[kind] = [fallback]
    return found


def relationships(package: zipfile.ZipFile, name: str) -> Iterator[tuple[str, str, str]]:
    """(kind, target, id) of each internal relationship in a .rels part."""
    root = parse_part(package, name, Path(package.filename or "?"))
    for rel in root:
        if isinstance(rel.tag, str) and rel.tag.endswith("Relationship") and rel.get("TargetMode") != "External":
            # transitional and strict types differ in their URI prefix, never in the last segment
            yield rel.get("Type", "").rsplit("/", 1)[-1], rel.get("Target", ""), rel.get("Id", "")


def parse_part(package: zipfile.ZipFile, name: str, path: Path) -> Element:
    from lxml import etree

    info = package.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise InputError(f"{path} 的内容部分过大（{info.file_size // 1024 // 1024} MB），不像一份总结。请确认选对了文件。")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(package.read(name), parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as err:
        raise damaged(path, f"{name} 无法解析") from err


def save_copy(source: Path, replaced: dict[str, bytes]) -> bytes:
    """The package's bytes with ``replaced`` parts swapped in (or added), every other part copied as is."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in replaced:
                continue
            new.writestr(info, old.read(info.filename))
        for name, data in replaced.items():
            new.writestr(name, data)
    return buffer.getvalue()


def serialize(root: Element) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_part(package: Package, name: str, root: Element, rel_type: str, content_type: str,
             replaced: dict[str, bytes]) -> None:
    """Add (or replace) a part related to the main document: its relationship and content type too."""
    from lxml import etree

    with zipfile.ZipFile(package.path) as z:
        names = set(z.namelist())
        rels = (parse_part(z, rels_name(package.main), package.path) if rels_name(package.main) in names
                else etree.Element(f"{{{RELS_NS}}}Relationships"))
        types = parse_part(z, "[Content_Types].xml", package.path)
    folder = posixpath.dirname(package.main)
    target = posixpath.relpath(name, folder)
    existing = [r for r in rels if r.get("Type", "").endswith("/" + rel_type.rsplit("/", 1)[-1])]
    if not existing:
        ids = {r.get("Id") for r in rels}
        number = len(ids) + 1
        while f"rId{number}" in ids:
            number += 1
        etree.SubElement(rels, f"{{{RELS_NS}}}Relationship", Id=f"rId{number}", Type=rel_type, Target=target)
    part_name = "/" + name
    if not any(t.get("PartName") == part_name for t in types):
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=part_name, ContentType=content_type)
    replaced[rels_name(package.main)] = serialize(rels)
    replaced["[Content_Types].xml"] = serialize(types)
    replaced[name] = serialize(root)
