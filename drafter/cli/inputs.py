"""Turn the paths on a command line into the files to read: files as given, folders walked, globs expanded.

Globs are expanded here, not left to the shell, because Windows' cmd.exe and PowerShell pass ``*.docx``
through as written — and township offices mostly run Windows.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".docx")  # what a folder contributes
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Input:
    """One path to check, or why a command-line argument gave none (``error`` set, ``path`` as typed)."""

    path: str
    error: str | None = None


def expand_inputs(args: tuple[str, ...] | list[str]) -> list[Input]:
    """Each argument in order: a file (or ``-``) as is; a folder → its reports, recursively, sorted; a
    glob → its matches, sorted. A file named twice is checked once."""
    out: list[Input] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normcase(os.path.abspath(path)) if path != "-" else "-"
        if key not in seen:
            seen.add(key)
            out.append(Input(path))

    for arg in args:
        p = Path(arg)
        if arg != "-" and p.is_dir():
            found = _walk(p)
            if not found:
                out.append(Input(arg, f"文件夹 {arg} 里没有 .txt、.md 或 .docx 文件。请检查路径，或直接指定要检查的文件。"))
            for path in found:
                add(path)
        elif arg != "-" and not p.exists() and _GLOB_CHARS & set(arg):
            matches = sorted(m for m in glob.glob(arg, recursive=True)
                             if Path(m).is_file() and not Path(m).name.startswith("~$"))
            if not matches:
                out.append(Input(arg, f"没有与 {arg} 匹配的文件。请检查通配符和所在文件夹。"))
            for path in matches:
                add(path)
        else:
            add(arg)  # missing files and other problems are reported by the reader, with its message
    return out


def _walk(root: Path) -> list[str]:
    """Report files under ``root``, skipping hidden entries and Word's lock files (~$报告.docx)."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith((".", "~$")) or not name.lower().endswith(REPORT_SUFFIXES):
                continue
            found.append(os.path.join(dirpath, name))
    return found
