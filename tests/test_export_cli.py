"""`drafter export` through the real command line: exit codes, messages, outputs never over inputs."""

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from drafter.docx_reader import docx_paragraphs
from tests.conftest import CliResult, run_cli

SAMPLE = Path(__file__).parent / "fixtures" / "docx" / "sample.md"


def run(*args: str) -> CliResult:
    return run_cli("export", *args)  # in process: a subprocess adds only start-up time


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def east_asia(run_) -> str:
    return run_._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_export_markdown_to_docx(tmp_path):
    out = tmp_path / "总结.docx"
    result = run(str(SAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "已导出" in result.stderr and "标题 15 个" in result.stderr
    assert docx_paragraphs(out) == lines_of(SAMPLE.read_text(encoding="utf-8"))


def test_export_gbk_text(tmp_path):
    src = tmp_path / "总结.txt"
    src.write_bytes("青石镇工作总结\n一、组织领导\n今年召开会议3次。\n".encode("gb18030"))
    out = tmp_path / "总结.docx"
    assert run(str(src), "-o", str(out)).returncode == 0
    assert docx_paragraphs(out) == ["青石镇工作总结", "一、组织领导", "今年召开会议3次。"]


def test_markdown_marks_do_not_reach_the_document(tmp_path):
    src = tmp_path / "a.md"
    src.write_text("# 青石镇工作总结\n\n## 一、组织领导\n\n**今年**召开会议3次。\n", encoding="utf-8")
    out = tmp_path / "a.docx"
    assert run(str(src), "-o", str(out)).returncode == 0
    assert docx_paragraphs(out) == ["青石镇工作总结", "一、组织领导", "今年召开会议3次。"]


def test_existing_output_needs_force(tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep me")
    result = run(str(SAMPLE), "-o", str(out))
    assert result.returncode == 2
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == b"keep me"
    assert run(str(SAMPLE), "-o", str(out), "--force").returncode == 0
    assert docx_paragraphs(out)[0] == "青石镇2025年意识形态工作总结"


def test_never_overwrites_the_input_even_with_force(tmp_path):
    src = tmp_path / "in.docx"
    assert run(str(SAMPLE), "-o", str(src)).returncode == 0
    before = src.read_bytes()
    result = run(str(src), "-o", str(src), "--force")
    assert result.returncode == 2
    assert "输入文件" in result.stderr
    assert src.read_bytes() == before


def test_docx_input_is_reformatted(tmp_path):
    plain = docx.Document()
    for line in ("青石镇工作总结", "一、组织领导", "今年召开会议3次。"):
        plain.add_paragraph(line)
    src = tmp_path / "plain.docx"
    plain.save(str(src))
    out = tmp_path / "公文.docx"
    assert run(str(src), "-o", str(out)).returncode == 0
    document = docx.Document(str(out))
    assert east_asia(document.paragraphs[1].runs[0]) == "黑体"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["missing.txt", "-o", "{tmp}/out.docx"], "找不到文件"),
        ([str(SAMPLE), "-o", "{tmp}/out.txt"], ".docx 结尾"),
        ([str(SAMPLE)], "-o"),
        (["{tmp}/bad.docx", "-o", "{tmp}/out.docx"], "Word"),
        (["{tmp}/old.doc", "-o", "{tmp}/out.docx"], "另存为"),
    ],
)
def test_bad_input_exits_2_with_chinese_message(tmp_path, args, needle):
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = run(*[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2
    assert needle in result.stderr
    assert "错误" in result.stderr
    assert not (tmp_path / "out.docx").exists()


def test_font_options(tmp_path):
    plain = tmp_path / "plain.docx"
    assert run(str(SAMPLE), "-o", str(plain), "--plain-fonts").returncode == 0
    document = docx.Document(str(plain))
    body = next(p for p in document.paragraphs if p.text.startswith("2025年，"))
    assert east_asia(body.runs[0]) == "仿宋"
    custom = tmp_path / "custom.docx"
    assert run(str(SAMPLE), "-o", str(custom), "--font-body", "FangSong", "--font-title", "华文中宋").returncode == 0
    document = docx.Document(str(custom))
    assert east_asia(document.paragraphs[0].runs[0]) == "华文中宋"
    body = next(p for p in document.paragraphs if p.text.startswith("2025年，"))
    assert east_asia(body.runs[0]) == "FangSong"


def test_hints_when_title_and_signature_are_missing(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("今年以来，我镇认真落实意识形态工作责任制，召开专题会议3次，各项工作有序推进。\n", encoding="utf-8")
    result = run(str(src), "-o", str(tmp_path / "a.docx"))
    assert result.returncode == 0
    assert "没有识别出标题行" in result.stderr
    assert "没有识别出落款和日期" in result.stderr


def test_markdown_lists_become_plain_lines(tmp_path):
    source = tmp_path / "l.md"
    source.write_text("# 青石镇工作总结\n\n## 一、组织领导\n\n1. 学习安排\n\n- 中心组学习12次\n* 党课31次\n", encoding="utf-8")
    out = tmp_path / "l.docx"
    assert run(str(source), "-o", str(out)).returncode == 0
    assert docx_paragraphs(out) == ["青石镇工作总结", "一、组织领导", "1.学习安排", "中心组学习12次", "党课31次"]


def test_docx_input_keeps_its_table_and_header(tmp_path):
    document = docx.Document()
    document.add_paragraph("青石镇工作总结")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("项目", "数量"), ("党课", "31次")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.sections[0].header.paragraphs[0].text = "青石镇人民政府"
    source, out = tmp_path / "in.docx", tmp_path / "out.docx"
    document.save(str(source))
    assert run(str(source), "-o", str(out), "--plain-fonts").returncode == 0
    written = docx.Document(str(out))
    assert [[c.text for c in row.cells] for row in written.tables[0].rows] == [["项目", "数量"], ["党课", "31次"]]
    assert written.sections[0].header.paragraphs[0].text == "青石镇人民政府"
    assert east_asia(written.tables[0].cell(1, 0).paragraphs[0].runs[0]) == "仿宋"
