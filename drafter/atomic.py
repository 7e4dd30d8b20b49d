"""Write outputs atomically and never over an input: a crash leaves the old file or the new one.

Every file a command reads (report, facts, corpus, session) is remembered here (``note_input``), and
every write checks against that set at the moment it happens — so no command, whatever options it was
given (``--force`` included), can replace something it read, even when an option pairing the guard did
not foresee points two paths at one file. ``-`` as an output means standard output.
"""

import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from drafter.exceptions import OutputError

STDOUT = "-"
# (device, inode) → (size, mtime) of every file read in this process: a hard link or another spelling of
# the path is the same file; a new file that happens to reuse a deleted one's inode is not
_INPUTS: dict[tuple[int, int], tuple[int, int]] = {}
_INPUT_PATHS: set[str] = set()  # and their resolved paths, for a file since replaced by a new inode
_STATE_PATHS: set[str] = set()  # drafter's own files (config, corpus database): never a user's -o target


def note_state_file(path: str | Path) -> None:
    """``path`` is drafter's own state (config, corpus database): drafter rewrites it itself, but no
    output the user names (``-o``) may land on it."""
    try:
        _STATE_PATHS.add(str(Path(path).resolve()))
    except (OSError, RuntimeError, ValueError):
        return


def note_input(path: str | Path) -> None:
    """Remember ``path`` as an input of this command: nothing may write over it afterwards."""
    if str(path) == STDOUT:
        return
    p = Path(path)
    try:
        st = p.stat()
        _INPUTS[(st.st_dev, st.st_ino)] = (st.st_size, st.st_mtime_ns)
        _INPUT_PATHS.add(str(p.resolve()))
    except (OSError, RuntimeError, ValueError):
        return


def release_input(path: str | Path) -> None:
    """``path`` is the caller's own file to rewrite (the interactive session's facts file)."""
    p = Path(path)
    try:
        st = p.stat()
        _INPUTS.pop((st.st_dev, st.st_ino), None)
        _INPUT_PATHS.discard(str(p.resolve()))
    except (OSError, RuntimeError, ValueError):
        return


def forget_inputs() -> None:
    """For tests and long-lived callers running several commands in one process."""
    _INPUTS.clear()
    _INPUT_PATHS.clear()
    _STATE_PATHS.clear()


def is_input(path: str | Path) -> bool:
    p = Path(path)
    try:
        st = p.stat()
        if _INPUTS.get((st.st_dev, st.st_ino)) == (st.st_size, st.st_mtime_ns):
            return True
        return str(p.resolve()) in _INPUT_PATHS
    except (OSError, RuntimeError, ValueError):
        return False


def _is_state(path: Path) -> bool:
    try:
        return str(path.resolve()) in _STATE_PATHS
    except (OSError, RuntimeError, ValueError):
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def guard_output(out: str | Path, inputs: Sequence[str | Path] = (), force: bool = False) -> Path:
    """Refuse to write over an input, over a special file, or over an existing file without ``force``."""
    out_path = Path(out)
    if str(out) == STDOUT:
        return out_path
    for inp in inputs:
        if str(inp) != STDOUT and _same_file(out_path, Path(inp)):
            raise _input_error(out)
    if is_input(out_path) or _is_state(out_path):
        raise _input_error(out)
    if out_path.is_dir():
        raise OutputError(f"{out} 是一个文件夹。请指定输出文件名，例如 {out_path / '总结.docx'}。")
    if out_path.exists() and not out_path.is_file():
        raise _special_error(out)
    if out_path.exists() and not force:
        raise OutputError(f"{out} 已存在。如需覆盖请加 --force，或换一个输出文件名。")
    return out_path


def _input_error(out: str | Path) -> OutputError:
    return OutputError(f"输出文件 {out} 是本次命令读取的输入文件：drafter 从不覆盖输入（加 --force 也不会）。"
                       "请用 -o 指定另一个文件名。")


def _special_error(out: str | Path) -> OutputError:
    return OutputError(f"{out} 不是普通文件（是设备、管道或套接字），不能作为输出。请指定一个 .docx、.md 或 .txt 文件名。")


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: bytes | str, encoding: str = "utf-8", *, private: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    ``private`` (key and session files): readable by the owner only, from the first byte. Everything
    else gets the mode a new file normally gets (0666 less the umask), so colleagues on a shared folder
    can open it. ``-`` writes to standard output.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    if str(path) == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    if is_input(path):
        raise _input_error(path)
    if path.exists() and not path.is_file():
        raise _special_error(path)
    if path.suffix.lower() == ".docx" and not payload.startswith(b"PK"):
        raise OutputError(f"{path} 以 .docx 结尾，但要写入的是纯文本：那样的文件 Word 打不开。"
                          f"请改用 {path.with_suffix('.txt')}，或先写成 .txt 再用 drafter export 导出 Word 文件。")
    import tempfile  # here, not at the top: `check` without -o never writes (4 ms of imports)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _os_error(path, err) from err
    try:
        os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR if private else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _os_error(path, err) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _os_error(path: Path, err: OSError) -> OutputError:
    """A write that failed, said in Chinese with what to do."""
    import errno

    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"无法写入 {path}：文件夹 {path.parent} 没有写权限（或是只读的）。"
                           "请换一个可写的文件夹，或检查文件夹权限。")
    if err.errno == errno.ENOSPC:
        return OutputError(f"无法写入 {path}：磁盘空间不足。请清理磁盘后重试。")
    if err.errno == errno.ENAMETOOLONG:
        return OutputError(f"无法写入 {path}：文件名太长。请换一个短一些的文件名。")
    return OutputError(f"无法写入 {path}：{err.strerror or err}。请检查路径是否正确、文件夹是否可写。")
