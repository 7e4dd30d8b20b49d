"""Read .txt / .md / .docx (or "-" for stdin) into a ``SourceText``.

Text files may be UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GB18030/GBK (common for files saved by
older Windows tools); the encoding is detected, never assumed.
"""

import sys
from pathlib import Path

from drafter.atomic import note_input
from drafter.exceptions import DrafterError, InputError
from drafter.source import SourceText

MAX_BYTES = 16 * 1024 * 1024  # a real report is ~10-200 KB; anything this large is not one report
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}


def read_source(path: str) -> SourceText:
    """Read one input; raise ``InputError`` with a Chinese message saying what to do."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(_too_large("标准输入", len(data)))
        text, encoding = decode_bytes(data, "标准输入")
        text = _normalise(text)
        if not text.strip():
            raise InputError("标准输入是空的（没有任何文字）。请把总结内容通过管道传入，或直接给出文件名。")
        return SourceText("-", text, encoding)
    p = Path(path)
    shown = display_path(path)
    try:
        exists, is_dir = p.exists(), p.is_dir()
    except OSError as err:  # a name too long, a loop of links
        raise InputError(f"无法读取 {shown}：{err.strerror or err}。请检查路径是否正确。") from err
    if not exists:
        raise InputError(f"找不到文件：{shown}。请检查路径和文件名是否正确。")
    if is_dir:
        raise InputError(f"{shown} 是一个文件夹，不是文件。请指定要检查的 .txt、.md 或 .docx 文件。")
    suffix = p.suffix.lower()
    if suffix == ".doc" or suffix == ".wps":
        raise InputError(f"{shown} 是旧版 Word/WPS 格式（{suffix}），暂不支持。请在 Word/WPS 中“另存为” .docx 后再试。")
    try:
        # read at most one byte over the limit: a pipe or a device (/dev/zero) has no size to check first
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise InputError(f"无法读取 {shown}：{err.strerror or err}。请检查文件权限。") from err
    if len(data) > MAX_BYTES:
        raise InputError(_too_large(shown, len(data)))
    note_input(p)
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        if not p.is_file():
            raise InputError(f"{shown} 不是普通文件，无法作为 Word 文档读取。请先保存为 .docx 文件。")
        (text, layout), encoding = read_docx_text(p), "docx"
    else:
        layout = None
        text, encoding = decode_bytes(data, shown)
    text = _normalise(text)
    if not text.strip():
        raise InputError(f"{shown} 是空文件（没有任何文字）。请确认文件内容已保存。")
    return SourceText(str(path), text, encoding, layout=layout)


def _too_large(label: str, size: int) -> str:
    over = "超过" if size > MAX_BYTES else ""
    return (f"{label} 太大（{over}{size / 1024 / 1024:.1f} MB），超过单个文件 {MAX_BYTES // 1024 // 1024} MB 的上限。"
            "一份总结通常不到 1 MB：请确认选对了文件，或拆分后分别处理。")


def display_path(path: str | Path) -> str:
    """A path as it can be printed: a file name in GBK bytes (from a Windows zip or USB stick) shows as
    its Chinese name, not as undecodable surrogates that would stop the output."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, label: str) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            problem = "字节数为奇数，文件被截断了" if len(data) % 2 else "含有无效的字符（孤立的代理项）"
            raise InputError(f"{label} 是 UTF-16 编码，但{problem}。请在记事本或 WPS 中打开并另存为 UTF-8 编码后再试。") from err
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

    try:
        best = from_bytes(data).best()
    except Exception:  # the detector is a heuristic: its failure is "unknown encoding", not a crash
        best = None
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

    try:
        docx_text = read_docx(path)
        return docx_text.text, docx_text.layout
    except DrafterError:
        raise
    except Exception as err:  # damaged compression (zlib.error), a broken part: the file is damaged, not drafter
        detail = "压缩数据损坏" if type(err).__name__ == "error" else type(err).__name__
        raise InputError(f"{display_path(path)} 不是有效的 Word 文件，可能已损坏（{detail}）。"
                         "请用 Word/WPS 打开后“另存为” .docx，或改用 .txt。") from err
