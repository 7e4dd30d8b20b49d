"""Reading .docx back: round trip with the writer, tables, WPS-style packages, numbering, damage."""

import zipfile
from pathlib import Path

import docx
import pytest

from drafter.docx_reader import docx_paragraphs, format_number
from drafter.docx_writer import write_docx
from drafter.exceptions import InputError
from drafter.parse import parse_report
from drafter.readers import read_source
from tests.conftest import seed_path

SAMPLE = Path(__file__).parent / "fixtures" / "docx" / "sample.md"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def lines_of(text: str) -> list[str]:
    """What a reader sees of a text report: its non-blank lines, without indentation."""
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- round trip -----------------------------------------------------------------------------------


def test_round_trip_gives_back_the_same_lines(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    write_docx(parse_report(text), tmp_path / "out.docx")
    assert docx_paragraphs(tmp_path / "out.docx") == lines_of(text)


def test_round_trip_keeps_heading_levels(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    write_docx(parse_report(text), tmp_path / "out.docx")
    before = parse_report(text)
    after = parse_report(read_source(str(tmp_path / "out.docx")).text)
    assert [(h.level, h.full, h.rest) for h in after.headings()] == [
        (h.level, h.full, h.rest) for h in before.headings()]
    assert after.title.text == before.title.text
    assert (after.signature.text, after.date.text) == ("中共青石镇委员会", "2025年12月20日")


@pytest.mark.parametrize("seed", ["000", "001", "003"])
def test_round_trip_on_real_reports(tmp_path, seed):
    text = read_source(str(seed_path(seed))).text
    write_docx(parse_report(text), tmp_path / "seed.docx")
    assert docx_paragraphs(tmp_path / "seed.docx") == lines_of(text)


def test_tabs_and_indentation(tmp_path):
    text = "青石镇总结\n\u3000\u3000正文缩进一段。\n表头\t数值\n"
    write_docx(parse_report(text), tmp_path / "out.docx")
    assert docx_paragraphs(tmp_path / "out.docx") == ["青石镇总结", "正文缩进一段。", "表头\t数值"]


# --- tables ------------------------------------------------------------------------------------


def test_tables_read_in_order_merged_cells_once(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、学习情况")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "次数"
    table.cell(0, 2).text = "备注"
    table.cell(1, 0).text = "中心组学习"
    table.cell(1, 1).text = "12次"
    table.cell(1, 1).merge(table.cell(1, 2))
    document.add_paragraph("二、下一步打算")
    path = tmp_path / "table.docx"
    document.save(str(path))
    # one line per row; the header row's cells are tab-separated, a merged cell is read once
    assert docx_paragraphs(path) == ["一、学习情况", "项目\t次数\t备注", "中心组学习12次", "二、下一步打算"]


# --- a WPS-style package built by hand --------------------------------------------------------------


def package(path: Path, body: str, *, styles: str = "", numbering: str = "", w: str = W, rel: str = REL,
            main: str = "word/document.xml") -> Path:
    """A minimal .docx the way WPS writes one: extra namespaces, mc:Ignorable, numeric style ids."""
    ns = (f'xmlns:w="{w}" xmlns:r="{rel}" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData" mc:Ignorable="wps"')
    folder = main.rsplit("/", 1)[0]
    doc_rels = []
    parts = {main: f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{body}'
                   '<w:sectPr/></w:body></w:document>'}
    if styles:
        parts[f"{folder}/styles.xml"] = f"<w:styles {ns}>{styles}</w:styles>"
        doc_rels.append(f'<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>')
    if numbering:
        parts[f"{folder}/numbering.xml"] = f"<w:numbering {ns}>{numbering}</w:numbering>"
        doc_rels.append(f'<Relationship Id="rId2" Type="{rel}/numbering" Target="numbering.xml"/>')
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["_rels/.rels"] = (f'<Relationships xmlns="{rels_ns}"><Relationship Id="rId1" '
                            f'Type="{rel}/officeDocument" Target="{main}"/></Relationships>')
    name = main.rsplit("/", 1)[1]
    parts[f"{folder}/_rels/{name}.rels"] = f'<Relationships xmlns="{rels_ns}">{"".join(doc_rels)}</Relationships>'
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>')
    with zipfile.ZipFile(path, "w") as z:
        for part, xml in parts.items():
            z.writestr(part, xml)
    return path


def p(text: str, ppr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


WPS_BODY = (
    p("青石镇2025年意识形态工作总结")
    # block-level content control, as WPS and Word templates use for fill-in fields
    + '<w:sdt><w:sdtPr><w:alias w:val="单位"/></w:sdtPr><w:sdtContent>'
    + p("县委宣传部：") + "</w:sdtContent></w:sdt>"
    # soft line break, inline content control, hyperlink, tracked insertion and deletion, hidden text
    + '<w:p><w:r><w:t>全年召开会议</w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>4</w:t></w:r></w:sdtContent></w:sdt>'
    + '<w:r><w:t>次。</w:t><w:br/><w:t>第二行</w:t></w:r>'
    + '<w:hyperlink r:id="rId9"><w:r><w:t>（链接）</w:t></w:r></w:hyperlink>'
    + '<w:ins w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'
    + '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
    + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>'
    # a text box, once as a DrawingML choice and once as its VML fallback
    + '<w:p><w:r><w:t>正文。</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    + '<wps:wsp><wps:txbx><w:txbxContent>' + p("文本框里的话。") + '</w:txbxContent></wps:txbx></wps:wsp>'
    + '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>' + p("文本框里的话。")
    + '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
    # headings numbered automatically: via the paragraph's numPr, and via a numbered style ("2" = 标题 1)
    + p("组织领导", '<w:pStyle w:val="2"/>')
    + p("专题研究。今年研究2次。", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>')
    + p("学习安排", '<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>')
    + p("学习计划", '<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>')
    + p("责任落实", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>')
    + p("存在问题", '<w:pStyle w:val="2"/>')
    + p("问题一", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>')
    + p("要点", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>')  # a bullet list
    + '<w:customXml w:element="x">' + p("中共青石镇委员会") + "</w:customXml>"
    + p("2025年12月20日")
)
WPS_STYLES = (
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
)
WPS_NUMBERING = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:pStyle w:val="2"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="\uf0b7"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
)
WPS_EXPECTED = [
    "青石镇2025年意识形态工作总结",
    "县委宣传部：",
    "全年召开会议4次。",
    "第二行（链接）新增",
    "正文。",
    "文本框里的话。",
    "一、组织领导",
    "（一）专题研究。今年研究2次。",
    "1.学习安排",
    "2.学习计划",
    "（二）责任落实",
    "二、存在问题",
    "（一）问题一",
    "要点",
    "中共青石镇委员会",
    "2025年12月20日",
]


def test_wps_style_package(tmp_path):
    path = package(tmp_path / "wps.docx", WPS_BODY, styles=WPS_STYLES, numbering=WPS_NUMBERING)
    assert docx_paragraphs(path) == WPS_EXPECTED


def test_wps_numbered_headings_keep_their_levels(tmp_path):
    path = package(tmp_path / "wps.docx", WPS_BODY, styles=WPS_STYLES, numbering=WPS_NUMBERING)
    report = parse_report(read_source(str(path)).text)
    assert [(h.level, h.full) for h in report.headings()] == [
        (1, "一、组织领导"), (2, "（一）专题研究。"), (3, "1.学习安排"), (3, "2.学习计划"),
        (2, "（二）责任落实"), (1, "二、存在问题"), (2, "（一）问题一")]
    assert report.title.text == "青石镇2025年意识形态工作总结"
    assert report.addressee.text == "县委宣传部："
    assert report.date.text == "2025年12月20日"


def test_soft_break_is_a_new_line_for_findings(tmp_path):
    path = package(tmp_path / "wps.docx", WPS_BODY, styles=WPS_STYLES, numbering=WPS_NUMBERING)
    lines = read_source(str(path)).text.split("\n")
    assert lines[2:4] == ["全年召开会议4次。", "第二行（链接）新增"]


def test_strict_ooxml_namespaces(tmp_path):
    path = package(tmp_path / "strict.docx", p("青石镇总结") + p("正文。"), w=W_STRICT, rel=REL_STRICT)
    assert docx_paragraphs(path) == ["青石镇总结", "正文。"]


def test_main_part_found_through_relationships(tmp_path):
    path = package(tmp_path / "odd.docx", p("正文。"), main="word/document2.xml")
    assert docx_paragraphs(path) == ["正文。"]


def test_numbering_restarts_with_a_start_override(tmp_path):
    numbering = WPS_NUMBERING + ('<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
                                 '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    level0 = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{}"/></w:numPr>'
    body = p("甲", level0.format(1)) + p("乙", level0.format(1)) + p("丙", level0.format(3))
    path = package(tmp_path / "n.docx", body, numbering=numbering)
    assert docx_paragraphs(path) == ["一、甲", "二、乙", "一、丙"]


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1, "decimal", "1"),
        (12, "chineseCounting", "十二"),
        (3, "chineseCountingThousand", "三"),
        (10, "ideographDigital", "一〇"),
        (2, "chineseLegalSimplified", "贰"),
        (3, "decimalEnclosedCircle", "③"),
        (3, "decimalEnclosedCircleChinese", "③"),
        (12, "decimalFullWidth", "１２"),
        (2, "ideographTraditional", "乙"),
        (4, "upperRoman", "IV"),
        (27, "lowerLetter", "aa"),
        (5, "decimalZero", "05"),
        (7, "someUnknownFormat", "7"),
    ],
)
def test_format_number(value, fmt, expected):
    assert format_number(value, fmt) == expected


# --- damaged and wrong files ----------------------------------------------------------------------


def _zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")


def _broken_xml(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body><w:p>")


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600), "密码"),
        (lambda path: path.write_bytes(b"PK\x03\x04 not really a zip"), "不是有效的 Word 文件"),
        (lambda path: path.write_bytes(b"plain text pretending"), "不是有效的 Word 文件"),
        (_zip_without_document, "不是 Word 文档"),
        (_broken_xml, "损坏"),
    ],
)
def test_damaged_files_raise_input_error_in_chinese(tmp_path, make, needle):
    path = tmp_path / "bad.docx"
    make(path)
    with pytest.raises(InputError, match=needle) as info:
        docx_paragraphs(path)
    # what to do next: save it again as .docx, or hand over a .docx / .txt instead
    assert "“另存为” .docx" in str(info.value) or "请提供 .docx 或 .txt" in str(info.value)


def test_malformed_numbering_values_do_not_crash(tmp_path):
    numbering = ('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="x"><w:start w:val="?"/>'
                 '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    body = p("甲", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    assert docx_paragraphs(package(tmp_path / "m.docx", body, numbering=numbering)) == ["一、甲"]


# --- table rows as lines -------------------------------------------------------------------------


def _table_lines(tmp_path, rows) -> list[str]:
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "t.docx"
    document.save(str(path))
    return [line for line in docx_paragraphs(path) if line]


@pytest.mark.parametrize(
    ("rows", "lines"),
    [
        ([("工作项目", "数量", "单位"), ("专题会议", "5", "次")], ["工作项目\t数量\t单位", "专题会议5次"]),
        ([("项目", "数量（次）"), ("专题会议", "5")], ["项目\t数量（次）", "专题会议5次"]),  # unit in the header
        ([("序号", "项目", "次数"), ("1", "党课", "30次")], ["序号\t项目\t次数", "党课30次"]),
        ([("1", "党课", "30", "次"), ("2", "专题会议", "5", "次")], ["党课30次", "专题会议5次"]),  # 序号 unnamed
        ([("项目", "计划（次）", "完成（次）"), ("党课", "30", "31")], ["项目\t计划（次）\t完成（次）", "党课计划30次，完成31次"]),
        ([("工作", "措施", "成效"), ("阵地建设", "每月巡查", "效果良好")], ["工作\t措施\t成效", "阵地建设：每月巡查，效果良好"]),
        ([("专题会议", "5次", "已完成")], ["专题会议5次，已完成"]),
    ],
)
def test_table_rows_read_like_prose(tmp_path, rows, lines):
    assert _table_lines(tmp_path, rows) == lines


def test_a_paragraph_outline_level_alone_adds_no_label(tmp_path):
    body = p("组织领导", '<w:outlineLvl w:val="0"/>') + p("正文。")
    assert docx_paragraphs(package(tmp_path / "o.docx", body)) == ["组织领导", "正文。"]


def test_a_paragraph_deleted_whole_is_not_read(tmp_path):
    deleted = ('<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="a"/></w:rPr></w:pPr>'
               '<w:del w:id="6" w:author="a"><w:r><w:delText>下面是小编推荐</w:delText></w:r></w:del></w:p>')
    assert docx_paragraphs(package(tmp_path / "d.docx", p("标题") + deleted + p("正文。"))) == ["标题", "正文。"]
