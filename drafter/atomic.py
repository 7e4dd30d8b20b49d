"""Write outputs atomically and never over an input: a crash leaves the old file or the new one."""

import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from drafter.exceptions import OutputError


def guard_output(out: str | Path, inputs: Sequence[str | Path] = (), force: bool = False) -> Path:
    """Refuse to write over an input, or over an existing file without ``force``."""
    out_path = Path(out)
    for inp in inputs:
        if str(inp) != "-" and Path(inp).exists() and out_path.exists() and out_path.resolve() == Path(inp).resolve():
            raise OutputError(f"输出文件 {out} 就是输入文件：drafter 从不覆盖输入。请用 -o 指定另一个文件名。")
    if out_path.exists() and not force:
        raise OutputError(f"{out} 已存在。如需覆盖请加 --force，或换一个输出文件名。")
    if out_path.is_dir():
        raise OutputError(f"{out} 是一个文件夹。请指定输出文件名，例如 {out_path / '总结.docx'}。")
    return out_path


def write_atomic(path: str | Path, data: bytes | str, encoding: str = "utf-8", *, private: bool = False) -> None:
    """``private`` (key files): readable by the owner only, from the first byte."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if private:
            os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
