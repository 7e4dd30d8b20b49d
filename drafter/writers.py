"""Write a finished report where the user asked for it: .docx in 公文 format, anything else as text.

Every command that writes a report (rewrite, draft, export) goes through ``write_report`` so the
choice of format is made in one place and every write is atomic.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from drafter import regexes
from drafter.atomic import write_atomic
from drafter.exceptions import OutputError
from drafter.parse import parse_report
from drafter.report import Report

if TYPE_CHECKING:
    from drafter.docx_writer import DocxStyle

MARKDOWN_SUFFIXES = {".md", ".markdown"}
# Characters XML 1.0 cannot hold (lxml refuses them with a ValueError): control characters but tab and
# newline, U+FFFE/U+FFFF and lone surrogates. A model's reply or a pasted text may carry them.
_NOT_XML = regexes.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_OLD_FORMATS = {".doc", ".wps", ".wpt", ".dot", ".rtf", ".pdf"}


def write_report(report: str | Report, out_path: str | Path, style: DocxStyle | None = None) -> None:
    """Write ``report`` (text or a parsed ``Report``) to ``out_path``, choosing the format by suffix."""
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        raise OutputError(
            f"无法写成 {suffix} 格式。请把输出文件名改为 .docx（Word 公文格式）或 .txt（纯文本），"
            f"例如 {path.with_suffix('.docx')}。"
        )
    if suffix == ".docx":
        from drafter.docx_writer import write_docx

        if isinstance(report, str):
            report = parse_report(_NOT_XML.sub("", report))
        elif _NOT_XML.search(report.text):
            report = parse_report(_NOT_XML.sub("", report.text))
        write_docx(report, path, style)
        return
    text = report if isinstance(report, str) else report.text
    write_atomic(path, text if text.endswith("\n") else text + "\n")


_MD_HEADING = regexes.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_QUOTE = regexes.compile(r"^\s{0,3}>\s?")
_MD_EMPHASIS = regexes.compile(r"(\*\*|__)(.+?)\1")
_MD_BULLET = regexes.compile(r"^\s{0,3}[-*+]\s+")
# "1. 学习安排" → "1.学习安排": a Markdown list number is a 公文 heading label, which has no space after it
_MD_NUMBER = regexes.compile(r"^(\s{0,3})(\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)[ \t\u3000]+")


def markdown_to_plain(text: str) -> str:
    """Drop the Markdown a user may have typed (``# 标题``, ``**加粗**``, ``> 引用``, ``- 要点``, the space
    in ``1. 标题``) so it does not end up as literal characters in an official document. Line structure
    is kept: one line stays one paragraph, so line numbers in check findings still match the .md file."""
    lines = []
    for line in text.split("\n"):
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _MD_QUOTE.sub("", line)
        line = _MD_BULLET.sub("", line)
        line = _MD_NUMBER.sub(r"\1\2", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        lines.append(line)
    return "\n".join(lines)
