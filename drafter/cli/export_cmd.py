"""`drafter export IN -o OUT.docx`: lay a text report out as a Word file in 公文 format."""

from pathlib import Path

import click

from drafter.exceptions import UsageError


@click.command()
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", metavar="OUT.docx", help="输出的 Word 文件（必须以 .docx 结尾）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件（输入文件永远不会被覆盖）")
@click.option("--plain-fonts", is_flag=True,
              help="使用 仿宋/楷体（不带 _GB2312），适合没有安装公文字体的电脑")
@click.option("--font-title", metavar="NAME", help="标题字体，默认 方正小标宋简体")
@click.option("--font-body", metavar="NAME", help="正文字体，默认 仿宋_GB2312")
@click.option("--font-heading1", metavar="NAME", help="一级标题（一、）字体，默认 黑体")
@click.option("--font-heading2", metavar="NAME", help="二级标题（（一））字体，默认 楷体_GB2312")
def export(input_path: str, output: str | None, force: bool, plain_fonts: bool, font_title: str | None,
           font_body: str | None, font_heading1: str | None, font_heading2: str | None) -> int:
    """把 .md/.txt（或 .docx）总结导出为公文格式（GB/T 9704-2012）的 Word 文件。

    \b
    A4 纸，每页 22 行、每行 28 字；标题 2 号方正小标宋简体居中；
    正文 3 号仿宋_GB2312，首行缩进 2 字，固定行距；
    页码“— 1 —”，单页居右、双页居左。

    例：drafter export 总结.txt -o 总结.docx
    """
    from drafter.atomic import guard_output
    from drafter.docx_writer import DocxStyle, report_blocks, write_docx
    from drafter.parse import parse_report
    from drafter.readers import read_source
    from drafter.report import ParagraphKind
    from drafter.writers import MARKDOWN_SUFFIXES, markdown_to_plain

    if not output:
        raise UsageError("请用 -o 指定输出的 Word 文件，例如：drafter export 总结.txt -o 总结.docx")
    if Path(output).suffix.lower() != ".docx":
        raise UsageError(f"输出文件必须以 .docx 结尾（现在是 {output}）。例如 -o {Path(output).stem}.docx")
    out = guard_output(output, [input_path], force)
    source = read_source(input_path)
    text = source.clean
    if Path(input_path).suffix.lower() in MARKDOWN_SUFFIXES:
        text = markdown_to_plain(text)
    report = parse_report(text, source.layout)  # a .docx's tables and page header come along

    fonts = {key: value for key, value in (("title_font", font_title), ("body_font", font_body),
                                            ("heading1_font", font_heading1), ("heading2_font", font_heading2))
             if value}
    style = DocxStyle.plain(**fonts) if plain_fonts else DocxStyle(**fonts)
    write_docx(report, out, style)

    blocks = report_blocks(report)
    headings = sum(1 for b in blocks if b.kind is ParagraphKind.HEADING)
    click.echo(f"已导出 {out}：{len(blocks)} 段，其中标题 {headings} 个。", err=True)
    if report.title is None:
        click.echo("提示：没有识别出标题行（第一行过长、以句号结尾或是编号标题）。"
                   "请在文件第一行单独写上总结标题后重新导出。", err=True)
    if report.signature is None and report.date is None:
        click.echo("提示：没有识别出落款和日期。如需落款，请在文末单独两行写上单位名称和成文日期"
                   "（如 2025年12月20日）。", err=True)
    return 0
