"""Read .txt / .md / .docx (or "-" for stdin) into a ``SourceText``.

Text files may be UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GB18030/GBK (common for files saved by
older Windows tools); the encoding is detected, never assumed.
"""

import sys
from pathlib import Path

from drafter.exceptions import InputError
from drafter.source import SourceText

MAX_BYTES = 16 * 1024 * 1024  # a real report is ~10-200 KB; anything this large is not one report
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}


def read_source(path: str) -> SourceText:
    """Read one input; raise ``InputError`` with a Chinese message saying what to do."""
    if path == "-":
        return SourceText("-", _normalise(decode_bytes(sys.stdin.buffer.read(), "标准输入")))
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件：{path}。请检查路径和文件名是否正确。")
    if p.is_dir():
        raise InputError(f"{path} 是一个文件夹，不是文件。请指定要检查的 .txt、.md 或 .docx 文件。")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"{path} 太大（{size / 1024 / 1024:.1f} MB），超过单个文件 {MAX_BYTES // 1024 // 1024} MB 的上限。"
            "一份总结通常不到 1 MB：请确认选对了文件，或拆分后分别处理。"
        )
    suffix = p.suffix.lower()
    if suffix == ".doc" or suffix == ".wps":
        raise InputError(f"{path} 是旧版 Word/WPS 格式（{suffix}），暂不支持。请在 Word/WPS 中“另存为” .docx 后再试。")
    layout = None
    if suffix == ".docx":
        text, layout = read_docx_text(p)
        encoding = "docx"
    else:
        try:
            data = p.read_bytes()
        except OSError as err:
            raise InputError(f"无法读取 {path}：{err.strerror}。请检查文件权限。") from err
        if data.startswith(b"PK\x03\x04"):
            (text, layout), encoding = read_docx_text(p), "docx"
        else:
            text, encoding = decode_bytes(data, path)
    text = _normalise(text)
    if not text.strip():
        raise InputError(f"{path} 是空文件（没有任何文字）。请确认文件内容已保存。")
    return SourceText(str(path), text, encoding, layout=layout)


def _normalise(text: str | tuple[str, str]) -> str:
    if isinstance(text, tuple):
        text = text[0]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, label: str) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if _looks_binary(data):
        raise InputError(
            f"{label} 看起来不是文本文件（含有二进制内容）。请提供 .txt、.md 或 .docx 格式的总结。"
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"无法识别 {label} 的文字编码。请在记事本或 WPS 中另存为 UTF-8 编码后再试。")
    return str(best), best.encoding


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and control / len(sample) > 0.05


def read_docx_text(path: Path):
    """The document's text (body, table rows, then headers/footers/footnotes) and its ``Layout``."""
    from drafter.docx_reader import read_docx

    docx_text = read_docx(path)
    return docx_text.text, docx_text.layout
