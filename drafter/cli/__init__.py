"""The command line: a thin layer over the library. Commands load lazily so `drafter check` and
`drafter --help` never import the LLM stack (langchain_openai alone costs ~1.8 s)."""

import contextlib
import importlib
import importlib.util  # find_spec; importlib.metadata no longer imports it for us
import sys

import click

from drafter import __version__
from drafter.exceptions import DrafterError

# name → (module:attribute, one-line Chinese help shown by `drafter --help` without importing it)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("drafter.cli.check_cmd:check", "检查总结：占位符、网站残留、他乡地名、过时提法、错别字、数字与事实不符"),
    "facts": ("drafter.cli.facts_cmd:facts", "事实文件：生成模板、校验、从旧总结中提取数字"),
    "rewrite": ("drafter.cli.rewrite_cmd:rewrite", "改写范文：换成本单位的名称、年份和数字，无依据处标出待补充"),
    "draft": ("drafter.cli.draft_cmd:draft", "起草新总结：按事实文件生成，或进入交互式问答"),
    "corpus": ("drafter.cli.corpus_cmd:corpus", "范文库：导入、列出、查看、检索、删除范文"),
    "export": ("drafter.cli.export_cmd:export", "把 .md/.txt 总结导出为公文格式的 Word 文件（.docx）"),
    "config": ("drafter.cli.config_cmd:config", "大模型接口设置：查看当前配置并测试连接"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        module_name, attr = COMMANDS[cmd_name][0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("命令"):
            formatter.write_dl(rows)


def _available(name: str) -> bool:
    module_name = COMMANDS[name][0].split(":")[0]
    return importlib.util.find_spec(module_name) is not None


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="drafter")
def cli() -> None:
    """drafter：乡镇意识形态、宣传思想工作总结的起草、改写与检查工具。

    每个数字都必须能追溯到您提供的事实文件。未配置大模型时完全离线运行，文字不会离开本机。
    """
    from drafter.atomic import forget_inputs

    forget_inputs()  # one command's inputs: a test runner may invoke many in one process
    _note_state_files()


def main() -> None:
    """Run the CLI; every way it can end is a Chinese message and an exit code, never a traceback."""
    try:
        rv = cli.main(standalone_mode=False)
        if isinstance(rv, int):
            sys.exit(rv)
    except DrafterError as err:
        # an interruption (exit 130) is no error: its message says what was kept
        _say(_plain(str(err)) if err.exit_code == 130 else f"[bold red]错误：[/]{_plain(str(err))}")
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        _say("已取消。")
        sys.exit(130)
    except KeyboardInterrupt:
        _say("已中断。已保存的内容不会丢失。")
        sys.exit(130)
    except click.ClickException as err:
        from drafter.cli.console import safe_text

        err.message = safe_text(err.message)  # it may quote what the user typed: no terminal sequences
        err.show()
        sys.exit(2 if isinstance(err, click.UsageError) else err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except BrokenPipeError:
        # `drafter check … | head`: the reader has gone; say nothing more to it
        _silence_stdout()
        sys.exit(1)
    except SystemExit:
        raise
    except BaseException as err:  # the last resort: whatever escaped, no traceback
        _say(f"[bold red]错误：[/]{_plain(unexpected_message(err))}")
        sys.exit(2)


def run() -> None:
    """The process's entry point (the ``drafter`` script, ``python -m drafter``): :func:`main`, then a
    quick exit. Tearing the interpreter down frees every object one by one — 0.2–0.5 s once the LLM stack
    (langchain, openai, their pydantic models) is loaded, after the report is written and the summary
    shown; the operating system takes the memory back at once. What a normal exit does that matters
    still runs: atexit handlers (logging, temporary files) and flushing the output. Tests call
    :func:`main` in their own process; only a real process ends here."""
    import atexit
    import os
    import threading

    try:
        main()
        code = 0
    except SystemExit as err:
        code = err.code if isinstance(err.code, int) else (0 if err.code is None else 1)
        if not isinstance(err.code, int | None):
            _say(str(err.code))
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if any(t.is_alive() for t in others):
        sys.exit(code)  # another thread still works: the normal exit waits for it
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a reader that has gone (`| head`): nothing more to say
            stream.flush()
    os._exit(code)


def unexpected_message(err: BaseException) -> str:
    """What the user reads for an exception no part of drafter turned into a message of its own."""
    import errno

    if isinstance(err, OSError):
        where = f" {err.filename}" if err.filename else ""
        if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return (f"无法访问{where}：没有权限，或所在的文件夹是只读的。请检查文件夹权限；如果是 drafter 自己的"
                    "文件夹（设置、范文库、起草进度，默认 ~/.drafter），可以用环境变量 DRAFTER_HOME 指向一个可写的文件夹。")
        if err.errno == errno.ENOSPC:
            return f"无法写入{where}：磁盘空间不足。请清理磁盘后重试。"
        return f"无法读写{where}：{err.strerror or err}。请检查路径是否正确、文件夹是否可写。"
    if type(err).__module__ == "sqlite3":
        return (f"范文库数据库无法使用（{err}）。如果范文库所在的文件夹是只读的，请用环境变量 DRAFTER_HOME 或"
                " DRAFTER_CORPUS 指向可写的位置；数据库损坏时可删除它，drafter 会重建内置范文。")
    if isinstance(err, MemoryError):
        return "内存不足，无法处理这么大的输入。请确认选对了文件，或拆分后分别处理。"
    if isinstance(err, RecursionError):
        return "输入的结构嵌套太深，无法处理。请确认选对了文件。"
    detail = f"{type(err).__name__}: {err}"[:300]
    return (f"drafter 内部出错（{detail}）。这不是您的操作问题：请把所用的命令、输入文件和这段信息"
            "发给维护人员，以便修正。")


def _note_state_files() -> None:
    """drafter's own database and settings are inputs of every command: `-o` may never land on them."""
    import os
    from pathlib import Path

    from drafter.atomic import note_state_file

    home = os.environ.get("DRAFTER_HOME")
    root = Path(home).expanduser() if home else Path.home() / ".drafter"
    corpus = os.environ.get("DRAFTER_CORPUS")
    for path in (root / "config.yaml", Path(corpus).expanduser() if corpus else root / "corpus.sqlite3"):
        note_state_file(path)


def _plain(text: str) -> str:
    from drafter.cli.console import plain

    return plain(text)


def _say(markup: str) -> None:
    """Print to stderr; if even that fails (a closed terminal), give up quietly."""
    try:
        from drafter.cli.console import error_console

        error_console.print(markup, highlight=False)
    except Exception:
        with contextlib.suppress(Exception):
            sys.stderr.write(markup.encode("utf-8", "replace").decode("utf-8") + "\n")


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
