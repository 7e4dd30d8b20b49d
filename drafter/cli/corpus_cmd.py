"""`drafter corpus`: add, list, show, search and remove sample reports (a thin layer over drafter.corpus)."""

from collections.abc import Callable
from typing import Any

import click
from rich.table import Table
from rich.text import Text as _RichText
from rich.tree import Tree

from drafter.cli.console import console, error_console, plain, safe_text
from drafter.exceptions import UsageError


def Text(text: object = "", style: str = "") -> _RichText:
    """rich's ``Text`` of text from the corpus or the user's files, terminal sequences removed."""
    return _RichText(safe_text(text), style=style)

_CORPUS_HELP = "范文库文件（默认在 DRAFTER_HOME 下，也可用环境变量 DRAFTER_CORPUS 指定）"
_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                       help="输出格式（json 供脚本使用）")
EXCERPT_CHARS = 120
RELABEL_NOTICE_MIN = 300  # below this the relabel takes under a second: not worth a line
REINDEX_NOTICE_MIN = 2000  # sections (~100 reports): below this the rebuild takes under a second


def _corpus_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--corpus`` on the group and on each command, so it may be written before or after the command name."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value:
            ctx.ensure_object(dict)["corpus"] = value
        return value

    return click.option("--corpus", "corpus_path", metavar="PATH", help=_CORPUS_HELP, callback=remember,
                        expose_value=False, is_eager=True)(func)


def _open(ctx: click.Context):
    from drafter.corpus import open_store

    root = ctx.find_root()
    path = (ctx.obj or {}).get("corpus") or (root.obj or {}).get("corpus")
    return open_store(path, on_relabel=_say_relabel, on_reindex=_say_reindex)


def _say_reindex(sections: int) -> None:
    if sections >= REINDEX_NOTICE_MIN:
        error_console.print(f"范文库的检索索引格式已更新，正在为 {sections} 个章节重建索引（只需一次，约每千篇范文 5 秒）……")


def _say_relabel(reports: int) -> None:
    if reports >= RELABEL_NOTICE_MIN:
        error_console.print(f"范文库的章节分类规则已更新，正在重新标注 {reports} 篇范文（只需一次，约每千篇 3 秒）……")


def _topic_names() -> list[str]:
    from drafter.corpus.topics import topic_names

    return topic_names()


def _type_names() -> list[str]:
    from drafter.corpus.report_type import report_type_names

    return report_type_names()


MAX_REPORT_ID = 2**63 - 1  # SQLite's largest integer: a bigger id is no report's


def _report_id(value: str) -> int:
    text = value.strip().lstrip("#")
    if text.isdigit() and text.isascii() and len(text) <= 19 and 0 < int(text) <= MAX_REPORT_ID:
        return int(text)
    raise UsageError(f"范文编号应为数字（如 12），而不是 “{safe_text(value)[:30]}”。请用 drafter corpus list 查看编号。")


@click.group()
@_corpus_option
@click.pass_context
def corpus(ctx: click.Context) -> None:
    """范文库：导入您收集的总结，按主题检索可参考的段落。

    内置若干篇本项目编写的范文（虚构地名和数字），您导入的总结会加入其中。
    """
    ctx.ensure_object(dict)


@corpus.command("add")
@click.argument("paths", nargs=-1, required=True)
@_corpus_option
@_FORMAT
@click.pass_context
def corpus_add(ctx: click.Context, paths: tuple[str, ...], fmt: str) -> int:
    """导入总结文件（.txt/.md/.docx，文件夹会递归查找）。

    网站残留会被清除，合集（……总结篇1、篇2……）会拆成单篇。同一文件再次导入不会重复。
    退出码：0 全部成功；2 有文件无法读取（其余文件照常导入）。
    """
    from drafter.cli.render import print_json
    from drafter.corpus import ingest_paths

    with _open(ctx) as store, _progress_bar() as progress:
        result = ingest_paths(store, paths, progress=progress)
    if fmt == "json":
        print_json(result.to_dict())
    else:
        _render_ingest(result)
    return 2 if result.errors else 0


class _progress_bar:
    """A rich progress bar on stderr while files are ingested; silent when stderr is not a terminal."""

    def __enter__(self) -> Callable[[int, int, str], None] | None:
        if not error_console.is_terminal:
            self.bar = None
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("导入范文"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            TextColumn("{task.description}", style="dim"), console=error_console, transient=True)
        self.bar.start()
        task = self.bar.add_task("", total=None)

        def update(done: int, total: int, path: str) -> None:
            assert self.bar is not None
            self.bar.update(task, completed=done, total=total, description=path[-40:])

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _render_ingest(result) -> None:
    for path, message in result.errors:
        error_console.print(Text(f"无法导入 {path}：", style="bold red") + Text(message), soft_wrap=True)
    for path, title, existing in result.duplicates:
        console.print(Text(f"跳过 {path} 中的《{title}》：与范文库中第 {existing} 篇内容相同。", style="dim"), soft_wrap=True)
    parts = [f"导入 {len(result.added)} 篇范文"]
    if result.already:
        parts.append(f"{len(result.already)} 个文件此前已导入，已跳过")
    if result.duplicates:
        parts.append(f"{len(result.duplicates)} 篇与已有范文重复")
    if result.errors:
        parts.append(f"{len(result.errors)} 个文件无法导入（见上方原因，修正后可重新运行同一命令）")
    console.print("，".join(parts) + "。", soft_wrap=True)
    if result.added:
        console.print(Text("用 drafter corpus list 查看，drafter corpus search 关键词 检索。", style="dim"), soft_wrap=True)


@corpus.command("list")
@_corpus_option
@click.option("--source", type=click.Choice(["builtin", "user"]), help="只列出内置范文（builtin）或您导入的（user）")
@click.option("--type", "report_type", metavar="TYPE", help="只列出某一类总结：" + "、".join(_type_names()))
@_FORMAT
@click.pass_context
def corpus_list(ctx: click.Context, source: str | None, report_type: str | None, fmt: str) -> None:
    """列出范文库中的范文。"""
    from drafter.cli.render import print_json
    from drafter.corpus.retriever import validate_filters

    validate_filters(None, report_type)
    with _open(ctx) as store:
        rows = store.list_reports(source=source, report_type=report_type)
    if fmt == "json":
        print_json([r.to_dict() for r in rows])
        return
    if not rows:
        console.print("范文库是空的。用 drafter corpus add 文件或文件夹 导入总结。", soft_wrap=True)
        return
    table = Table(show_lines=False, header_style="bold")
    for name in ("编号", "标题", "类型", "时段", "年份", "章节", "来源"):
        table.add_column(name, no_wrap=name in ("编号", "年份", "章节"))
    for r in rows:
        origin = "内置" if r.source == "builtin" else r.path + (f" 第{r.part}篇" if r.part > 1 else "")
        table.add_row(*(Text(cell) for cell in (str(r.id), r.title, r.report_type, r.period, str(r.year or "—"),
                                                str(r.n_sections), origin)))
    console.print(table)
    console.print(Text(f"共 {len(rows)} 篇。用 drafter corpus show 编号 查看结构。", style="dim"), soft_wrap=True)


@corpus.command("show")
@click.argument("report_id")
@_corpus_option
@_FORMAT
@click.pass_context
def corpus_show(ctx: click.Context, report_id: str, fmt: str) -> None:
    """查看一篇范文：标题、类型、章节结构及每节的主题。"""
    from drafter.cli.render import print_json
    from drafter.corpus.show import report_detail
    from drafter.exceptions import CorpusError

    rid = _report_id(report_id)
    with _open(ctx) as store:
        detail = report_detail(store, rid)
    if detail is None:
        raise CorpusError(f"范文库中没有编号为 {rid} 的范文。请用 drafter corpus list 查看现有编号。")
    if fmt == "json":
        print_json(detail)
        return
    console.print(Text(detail["title"], style="bold"), soft_wrap=True)
    console.print(Text(f"编号 {detail['id']} · {detail['type']} · {detail['period']} · {detail['year'] or '年份未注明'}"
                       f" · {'内置' if detail['source'] == 'builtin' else detail['path']}", style="dim"),
                  soft_wrap=True)
    for key, label in (("addressee", "主送"), ("opening", "开头")):
        if detail[key]:
            console.print(Text(f"{label}：", style="bold") + Text(_excerpt(detail[key])), soft_wrap=True)
    tree = Tree(Text("章节结构", style="bold"))
    _add_branches(tree, detail["sections"])
    console.print(tree)
    for key, label in (("closing", "结束语"), ("signature", "落款"), ("date", "日期")):
        if detail[key]:
            console.print(Text(f"{label}：", style="bold") + Text(detail[key]), soft_wrap=True)


def _add_branches(node: Tree, sections: list[dict[str, Any]]) -> None:
    for s in sections:
        label = Text(s["marker"] + s["heading"]) + Text(f"  [{_topic_label(s['topic'], s['role'])}]", style="cyan")
        _add_branches(node.add(label), s["children"])


def _topic_label(topic: str, role: str) -> str:
    """理论学习, or 理论学习·下一步计划 for an item of a plan; a plan section itself is just 下一步计划."""
    from drafter.corpus.topics import WORK_ROLE

    return topic if role in (WORK_ROLE, topic) else f"{topic}·{role}"


def _excerpt(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "……"


@corpus.command("search")
@click.argument("query")
@_corpus_option
@click.option("--topic", metavar="TOPIC", help="只检索某一主题的章节：" + "、".join(_topic_names()))
@click.option("--type", "report_type", metavar="TYPE", help="只检索某一类总结：" + "、".join(_type_names()))
@click.option("--role", metavar="PART", help="只检索总结的某一部分：工作情况、存在问题、下一步计划")
@click.option("-k", "k", type=click.IntRange(1, 100), default=5, show_default=True, help="返回的章节数")
@_FORMAT
@click.pass_context
def corpus_search(ctx: click.Context, query: str, topic: str | None, report_type: str | None,
                  role: str | None, k: int, fmt: str) -> None:
    """按关键词检索范文章节（BM25），结果按相关度排序。"""
    from drafter.cli.render import print_json
    from drafter.corpus import search

    with _open(ctx) as store:
        hits = search(query, topic, report_type, k, store=store, role=role)
    if fmt == "json":
        print_json([h.to_dict() for h in hits])
        return
    if not hits:
        console.print("没有找到相关章节。请换用其他关键词，或去掉 --topic / --type / --role 限制。", soft_wrap=True)
        return
    for rank, h in enumerate(hits, 1):
        head = Text(f"{rank}. ", style="bold") + Text(" › ".join(h.heading_path), style="bold")
        console.print(head, soft_wrap=True)
        console.print(Text(f"   《{h.report_title}》（编号 {h.report_id}）· {_topic_label(h.topic, h.role)} · 相关度 {h.score:.2f}", style="dim"), soft_wrap=True)
        if h.text:
            console.print(Text("   " + _excerpt(h.text)), soft_wrap=True)


@corpus.command("remove")
@click.argument("report_id")
@_corpus_option
@_FORMAT
@click.pass_context
def corpus_remove(ctx: click.Context, report_id: str, fmt: str) -> None:
    """从范文库删除一篇范文（原文件不受影响）。"""
    from drafter.cli.render import print_json

    rid = _report_id(report_id)
    with _open(ctx) as store:
        row = store.remove_report(rid)
    if fmt == "json":
        print_json({"removed": row.to_dict()})
        return
    note = "内置范文删除后不会自动恢复。" if row.source == "builtin" else "如需恢复，重新导入原文件即可。"
    console.print(f"已删除第 {row.id} 篇《{plain(row.title)}》。{note}", soft_wrap=True)


@corpus.command("outline")
@_corpus_option
@click.option("--type", "report_type", metavar="TYPE",
              help="总结类型（默认：全部范文）：" + "、".join(_type_names()))
@_FORMAT
@click.pass_context
def corpus_outline(ctx: click.Context, report_type: str | None, fmt: str) -> None:
    """某类总结的常见提纲：一级标题的主题、顺序、常见写法，以及各主题常报的数字。"""
    from drafter.cli.render import print_json
    from drafter.corpus import topic_metrics, typical_outline
    from drafter.corpus.retriever import validate_filters

    validate_filters(None, report_type)
    with _open(ctx) as store:
        items = typical_outline(report_type, store=store)
        metrics = {item.topic: topic_metrics(item.topic, store=store) for item in items}
    if fmt == "json":
        print_json([{"topic": i.topic, "share": i.share, "position": i.position, "headings": i.headings,
                     "metrics": metrics[i.topic]} for i in items])
        return
    if not items:
        console.print("范文库中没有可供归纳的范文。请先用 drafter corpus add 导入。", soft_wrap=True)
        return
    for n, item in enumerate(items, 1):
        console.print(Text(f"{n}. {item.topic}", style="bold") + Text(f"（{item.share:.0%} 的范文有此部分）", style="dim"), soft_wrap=True)
        for heading in item.headings[:3]:
            console.print(Text(f"     如：{heading}"), soft_wrap=True)
        if metrics[item.topic]:
            console.print(Text("     常报数字：" + "、".join(metrics[item.topic][:5]), style="cyan"), soft_wrap=True)
