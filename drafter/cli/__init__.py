"""The command line: a thin layer over the library. Commands load lazily so `drafter check` and
`drafter --help` never import the LLM stack (langchain_openai alone costs ~1.8 s)."""

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


def main() -> None:
    from drafter.cli.console import error_console

    try:
        rv = cli.main(standalone_mode=False)
        if isinstance(rv, int):
            sys.exit(rv)
    except DrafterError as err:
        error_console.print(f"[bold red]错误：[/]{err}", highlight=False)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        error_console.print("已取消。")
        sys.exit(130)
    except KeyboardInterrupt:
        error_console.print("已中断。已保存的内容不会丢失。")
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(2 if isinstance(err, click.UsageError) else err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
