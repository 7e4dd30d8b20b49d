"""Every part of a .docx a user hands drafter, built here (python-docx + raw XML): read, checked, rewritten.

Each fixture is a fictional 柳河乡 template; the facts are 青石镇's (tests/data/facts/qingshi_2025.yaml:
意识形态工作专题会议 3 次, 党课 31 次, 宣传栏 36 块).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from drafter.docx_reader import read_docx
from drafter.parse import parse_report
from drafter.readers import read_source
from drafter.report import ParagraphKind

FACTS = Path(__file__).parent / "data" / "facts" / "qingshi_2025.yaml"
TITLE = "柳河乡2025年意识形态工作总结"
W_DECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drafter", *map(str, args)], capture_output=True, text=True)


def check_findings(path: Path, *extra: str) -> list[dict]:
    result = run("check", path, "--format", "json", *extra)
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)[0]["findings"]


def rewrite(path: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    result = run("rewrite", path, "--facts", FACTS, "-o", out, "--engine", "offline", "-q", *extra)
    assert result.returncode == 0, result.stderr + result.stdout
    return result


# --- fixtures ----------------------------------------------------------------------------------


def _document(*body: str) -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph(TITLE)
    for text in body:
        document.add_paragraph(text)
    return document


def _close(document, path: Path) -> Path:
    document.add_paragraph("中共柳河乡委员会")
    document.add_paragraph("2025年12月20日")
    document.save(str(path))
    return path


def add_part(path: Path, name: str, xml: str, rel_type: str, content_type: str) -> None:
    """Add a part python-docx cannot write (footnotes) to a saved package, with its relationship."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdX9" Type="{rel_type}" '
                                            f'Target="{name.split("/", 1)[1]}"/></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>').encode()
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for part, data in parts.items():
            z.writestr(part, data)


def table_doc(path: Path) -> Path:
    document = _document("一、组织领导", "全年工作情况如下：")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("工作项目", "数量", "单位"), ("意识形态工作专题会议", "5", "次"), ("党课", "30", "次")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    return _close(document, path)


def header_doc(path: Path) -> Path:
    document = _document("一、组织领导", "全年召开意识形态工作专题会议3次。")
    document.sections[0].header.paragraphs[0].text = "xx乡人民政府 20xx年度"
    document.sections[0].footer.paragraphs[0].text = "柳河乡党政办印"
    return _close(document, path)


def soft_break_doc(path: Path) -> Path:
    document = _document("一、组织领导")
    paragraph = document.add_paragraph("全年召开意识形态工作专题会议")
    paragraph.add_run().add_break()
    paragraph.add_run("5次，研究部署相关工作。")
    return _close(document, path)


def heading_style_doc(path: Path) -> Path:
    document = _document()
    document.add_paragraph("加强组织领导", style="Heading 1")
    document.add_paragraph("全年召开意识形态工作专题会议3次。")
    document.add_paragraph("强化阵地建设", style="Heading 1")
    document.add_paragraph("新建宣传栏40块。")
    return _close(document, path)


NUMBERING = (
    f'<w:numbering {W_DECL}><w:abstractNum w:abstractNumId="7">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num></w:numbering>')


def numbered_doc(path: Path) -> Path:
    document = _document()
    for text, level in (("组织领导", 0), ("专题研究", 1), ("阵地建设", 0)):
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W_DECL}><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr>'))
        if text == "专题研究":
            document.add_paragraph("全年召开意识形态工作专题会议5次。")
    _close(document, path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/numbering.xml"] = NUMBERING.encode()  # python-docx's template ships a numbering part
    with zipfile.ZipFile(path, "w") as z:
        for part, data in parts.items():
            z.writestr(part, data)
    return path


def text_box_doc(path: Path) -> Path:
    document = _document("一、组织领导", "全年召开意识形态工作专题会议3次。")
    box = (f'<w:r {W_DECL} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
           '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
           '<w:p><w:r><w:t>图为xx村宣传栏。</w:t></w:r></w:p>'
           '</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice></mc:AlternateContent></w:r>')
    document.paragraphs[-1]._p.append(parse_xml(box))
    return _close(document, path)


def tracked_doc(path: Path) -> Path:
    """A template someone already edited with 修订 on: deleted words are not there any more."""
    document = _document("一、组织领导")
    paragraph = document.add_paragraph("全年召开意识形态工作专题会议")
    paragraph._p.append(parse_xml(
        f'<w:del {W_DECL} w:id="901" w:author="张三" w:date="2025-01-01T00:00:00Z">'
        '<w:r><w:delText>xx次，</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {W_DECL} w:id="902" w:author="张三" w:date="2025-01-01T00:00:00Z">'
        '<w:r><w:t>5次。</w:t></w:r></w:ins>'))
    return _close(document, path)


def comment_doc(path: Path) -> Path:
    document = _document("一、组织领导")
    paragraph = document.add_paragraph("全年召开意识形态工作专题会议5次。")
    document.add_comment(paragraph.runs, text="这里的xx乡要改成本乡", author="李四")
    return _close(document, path)


FOOTNOTES = (
    f'<w:footnotes {W_DECL}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>数据截至20xx年11月底。</w:t></w:r></w:p></w:footnote></w:footnotes>')


def footnote_doc(path: Path) -> Path:
    document = _document("一、组织领导")
    paragraph = document.add_paragraph("全年召开意识形态工作专题会议5次。")
    paragraph._p.append(parse_xml(f'<w:r {W_DECL}><w:footnoteReference w:id="1"/></w:r>'))
    _close(document, path)
    add_part(path, "word/footnotes.xml", FOOTNOTES,
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml")
    return path


# --- read ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "lines"),
    [
        (table_doc, ["工作项目\t数量\t单位", "意识形态工作专题会议5次", "党课30次"]),
        (header_doc, ["xx乡人民政府 20xx年度", "柳河乡党政办印"]),
        (soft_break_doc, ["全年召开意识形态工作专题会议5次，研究部署相关工作。"]),
        (heading_style_doc, ["一、加强组织领导", "二、强化阵地建设"]),
        (numbered_doc, ["一、组织领导", "（一）专题研究", "二、阵地建设"]),
        (text_box_doc, ["图为xx村宣传栏。"]),
        (tracked_doc, ["全年召开意识形态工作专题会议5次。"]),
        (footnote_doc, ["数据截至20xx年11月底。"]),
    ],
)
def test_every_part_is_read(tmp_path, build, lines):
    text = read_source(str(build(tmp_path / "in.docx"))).text.split("\n")
    for line in lines:
        assert line in text


def test_table_is_part_of_the_report(tmp_path):
    source = read_source(str(table_doc(tmp_path / "t.docx")))
    report = parse_report(source.text, source.layout)
    [table] = report.tables
    assert [[source.text[c.start:c.end] for c in row.cells] for row in table.rows] == [
        ["工作项目", "数量", "单位"], ["意识形态工作专题会议", "5", "次"], ["党课", "30", "次"]]
    assert table.rows[0].header and not table.rows[1].header
    section = report.sections[0]
    assert "意识形态工作专题会议5次" in section.body_text()  # a row is a claim of its section


def test_header_footer_and_footnote_stay_out_of_the_structure(tmp_path):
    source = read_source(str(header_doc(tmp_path / "h.docx")))
    report = parse_report(source.text, source.layout)
    assert report.title.text == TITLE
    assert (report.signature.text, report.date.text) == ("中共柳河乡委员会", "2025年12月20日")
    assert {a.kind for a in report.asides} == {ParagraphKind.HEADER, ParagraphKind.FOOTER}
    source = read_source(str(footnote_doc(tmp_path / "f.docx")))
    report = parse_report(source.text, source.layout)
    assert report.date.text == "2025年12月20日"
    assert [a.kind for a in report.asides] == [ParagraphKind.FOOTNOTE]


def test_heading_styles_without_labels_are_headings(tmp_path):
    source = read_source(str(heading_style_doc(tmp_path / "s.docx")))
    report = parse_report(source.text, source.layout)
    assert [(h.level, h.full) for h in report.headings()] == [(1, "一、加强组织领导"), (1, "二、强化阵地建设")]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["甲。", None, "乙"], ["甲。", "乙"]),  # after a sentence end: a new line
        (["专题会议", None, "5次"], ["专题会议5次"]),  # inside a sentence: joined
        (["一、组织领导", None, "今年……"], ["一、组织领导", "今年……"]),  # after a heading
        (["中共柳河乡委员会", None, "2025年12月20日"], ["中共柳河乡委员会", "2025年12月20日"]),
    ],
)
def test_soft_breaks(items, expected):
    from drafter.docx_reader import _join_breaks

    lines = _join_breaks([None if i is None else (i, None) for i in items])
    assert ["".join(t for t, _ in line) for line in lines] == expected


def test_comments_are_not_read_and_said_so_once(tmp_path):
    path = comment_doc(tmp_path / "c.docx")
    assert "xx乡要改成本乡" not in read_source(str(path)).text
    result = run("check", path)
    assert result.stderr.count("条批注") == 1, result.stderr
    assert "placeholder" not in result.stdout


# --- check ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "rule", "text"),
    [
        (table_doc, "number-mismatch", "30次"),
        (header_doc, "placeholder", "xx"),
        (soft_break_doc, "number-mismatch", "5次"),
        (numbered_doc, "number-mismatch", "5次"),
        (text_box_doc, "placeholder", "xx"),
        (footnote_doc, "placeholder", "20xx"),
    ],
)
def test_every_part_is_checked(tmp_path, build, rule, text):
    findings = check_findings(build(tmp_path / "in.docx"), "--facts", FACTS)
    assert (rule, text) in {(f["rule"], f["text"]) for f in findings}


def test_header_placeholder_fails_check(tmp_path):
    assert run("check", header_doc(tmp_path / "h.docx")).returncode == 1


def test_deleted_text_is_not_checked(tmp_path):
    findings = check_findings(tracked_doc(tmp_path / "t.docx"))
    assert "placeholder" not in {f["rule"] for f in findings}


# --- rewrite -------------------------------------------------------------------------------------


def _expect_table(out: Path) -> None:
    document = docx.Document(str(out))
    [table] = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [["工作项目", "数量", "单位"], ["意识形态工作专题会议", "3", "次"], ["党课", "31", "次"]]


def _expect_header(out: Path) -> None:
    document = docx.Document(str(out))
    assert document.sections[0].header.paragraphs[0].text == "青石镇人民政府 2025年度"


def _expect_lines(*lines: str) -> Callable[[Path], None]:
    def check(out: Path) -> None:
        text = read_source(str(out)).text.split("\n")
        for line in lines:
            assert line in text

    return check


@pytest.mark.parametrize(
    ("build", "expect"),
    [
        (table_doc, _expect_table),
        (header_doc, _expect_header),
        (soft_break_doc, _expect_lines("全年召开意识形态工作专题会议3次，研究部署相关工作。")),
        (heading_style_doc, _expect_lines("一、加强组织领导", "二、强化阵地建设", "新建宣传栏36块。")),
        (numbered_doc, _expect_lines("一、组织领导", "（一）专题研究", "全年召开意识形态工作专题会议3次。")),
        (text_box_doc, _expect_lines("全年召开意识形态工作专题会议3次。")),
        (tracked_doc, _expect_lines("全年召开意识形态工作专题会议3次。")),
        (comment_doc, _expect_lines("全年召开意识形态工作专题会议3次。")),
    ],
)
def test_every_part_is_rewritten(tmp_path, build, expect):
    out = tmp_path / "out.docx"
    rewrite(build(tmp_path / "in.docx"), out)
    expect(out)


@pytest.mark.parametrize("build", [table_doc, soft_break_doc, numbered_doc, heading_style_doc, header_doc])
def test_round_trip_finds_no_template_figure(tmp_path, build):
    """docx → rewrite → docx → check: none of the template's figures (5, 30, 40) and no 柳河乡 left."""
    out = tmp_path / "out.docx"
    rewrite(build(tmp_path / "in.docx"), out)
    findings = check_findings(out, "--facts", FACTS)
    bad = [f for f in findings if f["rule"] in ("number-mismatch", "unsupported-number", "placeholder", "foreign-place")]
    assert bad == []
    text = read_docx(out).text
    assert "柳河" not in text and "30次" not in text and "40块" not in text


def test_facts_extract_finds_the_table_figures(tmp_path):
    out = tmp_path / "facts.yaml"
    result = run("facts", "extract", table_doc(tmp_path / "t.docx"), "-o", out)
    assert result.returncode == 0, result.stderr
    import yaml

    metrics = {(m["name"], m["value"], m["unit"]) for m in yaml.safe_load(out.read_text(encoding="utf-8"))["metrics"]}
    assert {("意识形态工作专题会议", 5, "次"), ("党课", 30, "次")} <= metrics
