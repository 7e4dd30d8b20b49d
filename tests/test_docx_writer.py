"""The 公文 layout (GB/T 9704-2012), read back from the produced .docx with python-docx."""

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from drafter.docx_writer import (
    DocxStyle,
    body_condense,
    closing_right_pads,
    render_docx,
    report_blocks,
    write_docx,
)
from drafter.exceptions import OutputError
from drafter.parse import parse_report
from drafter.report import Heading, Paragraph, ParagraphKind, Report, Section
from drafter.writers import markdown_to_plain, write_report

SAMPLE = Path(__file__).parent / "fixtures" / "docx" / "sample.md"
MM = 36000  # EMU per millimetre


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def exported(tmp_path, sample_text):
    path = tmp_path / "out.docx"
    write_docx(parse_report(sample_text), path)
    return docx.Document(str(path)), path


def para(document, prefix: str):
    return next(p for p in document.paragraphs if p.text.startswith(prefix))


def fonts(run) -> dict[str, str]:
    r_fonts = run._r.rPr.find(qn("w:rFonts"))
    return {key.rsplit("}", 1)[-1]: value for key, value in r_fonts.attrib.items()}


def first_line_chars(paragraph) -> str | None:
    ind = paragraph._p.pPr.find(qn("w:ind"))
    return None if ind is None else ind.get(qn("w:firstLineChars"))


# --- page ---------------------------------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins(exported):
    section = exported[0].sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert section.top_margin.mm == pytest.approx(37, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.1)
    assert section.left_margin.mm == pytest.approx(28, abs=0.1)
    assert section.right_margin.mm == pytest.approx(26, abs=0.1)
    # text block 156 × 225 mm
    assert (section.page_width - section.left_margin - section.right_margin) / MM == pytest.approx(156, abs=0.1)
    assert (section.page_height - section.top_margin - section.bottom_margin) / MM == pytest.approx(225, abs=0.1)


def test_line_grid_gives_22_lines_and_condensing_28_characters(exported):
    grid = exported[0].sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    text_block_pt = 225 / 25.4 * 72
    assert text_block_pt / 28.95 == pytest.approx(22, abs=0.05)
    condense = body_condense(DocxStyle())
    assert condense == -5  # 紧缩 0.25 磅
    line_pt = 156 / 25.4 * 72
    assert 28 * (16 + condense / 20) <= line_pt < 29 * (16 + condense / 20)
    body = para(exported[0], "2025年，青石镇党委")
    spacing = body.runs[0]._r.rPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"


# --- paragraphs ---------------------------------------------------------------------------------


def test_title_is_centred_2hao_xiaobiaosong(exported):
    title = exported[0].paragraphs[0]
    assert title.text == "青石镇2025年意识形态工作总结"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.paragraph_format.first_line_indent == 0
    assert first_line_chars(title) == "0"
    assert title.paragraph_format.space_after.pt == pytest.approx(28.95, abs=0.05)  # 标题下空一行
    (run,) = title.runs
    assert run.font.size == Pt(22)
    assert fonts(run)["eastAsia"] == "方正小标宋简体"
    assert fonts(run)["ascii"] == "方正小标宋简体"
    assert run.font.bold is None


def test_addressee_is_flush_left(exported):
    addressee = exported[0].paragraphs[1]
    assert addressee.text == "县委宣传部："
    assert addressee.paragraph_format.first_line_indent == 0
    assert first_line_chars(addressee) == "0"
    assert addressee.alignment in (WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT)


def test_body_is_3hao_fangsong_two_character_indent_fixed_spacing(exported):
    body = para(exported[0], "2025年，青石镇党委")
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.pt == pytest.approx(28.95, abs=0.01)
    assert fmt.first_line_indent == Pt(32)  # two 16 pt characters
    assert first_line_chars(body) == "200"
    assert fmt.space_before == 0 and fmt.space_after == 0
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    (run,) = body.runs
    assert run.font.size == Pt(16)
    assert run._r.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32"
    assert fonts(run) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "仿宋_GB2312",
                          "cs": "Times New Roman", "hint": "eastAsia"}


@pytest.mark.parametrize(
    ("prefix", "heading", "font", "outline"),
    [
        ("一、主要工作及成效", "一、主要工作及成效", "黑体", "0"),
        ("（一）压紧压实责任", "（一）压紧压实责任，领导体系更加健全。", "楷体_GB2312", "1"),
        ("1.中心组学习常态化", "1.中心组学习常态化。", "仿宋_GB2312", "2"),
        ("（1）宣讲内容贴近群众", "（1）宣讲内容贴近群众。", "仿宋_GB2312", "3"),
    ],
)
def test_heading_levels_take_their_fonts(exported, prefix, heading, font, outline):
    paragraph = para(exported[0], prefix)
    first = paragraph.runs[0]
    assert first.text == heading
    assert fonts(first)["eastAsia"] == font
    assert first.font.size == Pt(16)
    assert paragraph.paragraph_format.first_line_indent == Pt(32)
    assert paragraph._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == outline
    for rest in paragraph.runs[1:]:  # the first sentence sharing the line stays in the body font
        assert fonts(rest)["eastAsia"] == "仿宋_GB2312"


def test_heading_sharing_its_line_stays_one_paragraph(exported):
    paragraph = para(exported[0], "（一）压紧压实责任")
    assert [r.text for r in paragraph.runs] == [
        "（一）压紧压实责任，领导体系更加健全。",
        "镇党委年初召开专题会议3次，研究制定《青石镇意识形态工作责任清单》，明确班子成员分工责任，"
        "将意识形态工作纳入全镇9个村（社区）年度考核，占比不低于10%。",
    ]
    assert paragraph.paragraph_format.keep_with_next is None  # only bare headings keep with next
    assert para(exported[0], "一、主要工作及成效").paragraph_format.keep_with_next is True


def test_signature_and_date_right_aligned_after_a_blank_line(exported):
    document = exported[0]
    signature, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (signature.text, date.text) == ("中共青石镇委员会", "2025年12月20日")
    for paragraph in (signature, date):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert paragraph.paragraph_format.first_line_indent == 0
        assert fonts(paragraph.runs[0])["eastAsia"] == "仿宋_GB2312"
    sig_pad, date_pad = closing_right_pads(8, 7)  # 中共青石镇委员会 / 2025年12月20日 (digits half width)
    assert signature.paragraph_format.right_indent == Pt(sig_pad * 16)
    assert date.paragraph_format.right_indent == Pt(date_pad * 16)
    assert signature.paragraph_format.space_before.pt == pytest.approx(28.95, abs=0.05)
    assert document.paragraphs[-3].paragraph_format.keep_with_next is True  # never a bare signature page


@pytest.mark.parametrize(
    ("signature", "date", "expected"),
    [
        (8, 7, (3.0, 2.0)),  # date would reach into the right pad: both move left
        (12, 7, (2.0, 5.0)),  # long signature: 右空二字, date starts two characters further right
        (4, 7, (7.0, 2.0)),  # date longer: date 右空二字, signature moves left
        (0, 7, (2.0, 2.0)),
        (8, 0, (2.0, 2.0)),
    ],
)
def test_closing_right_pads_follow_section_7_3_5_2(signature, date, expected):
    assert closing_right_pads(signature, date) == expected
    sig_pad, date_pad = expected
    if signature and date:
        assert date_pad >= 2 and sig_pad >= 2
        # the date's first character is two characters right of the signature's
        assert (sig_pad + signature) - (date_pad + date) == pytest.approx(2)


# --- fonts and styles -----------------------------------------------------------------------------


def test_no_theme_fonts_anywhere(exported):
    with zipfile.ZipFile(exported[1]) as package:
        for name in ("word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"):
            xml = package.read(name).decode("utf-8")
            assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme|w:cstheme", xml), name


def test_defaults_and_normal_style_are_body_text(exported):
    document = exported[0]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert r_pr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert r_pr.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert r_pr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.01)
    assert normal.paragraph_format.first_line_indent == Pt(32)
    assert normal.element.pPr.find(qn("w:autoSpaceDN")).get(qn("w:val")) == "0"
    assert document.settings.element.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"


def test_properties_do_not_say_python_docx(exported):
    props = exported[0].core_properties
    assert props.author == "" and "python-docx" not in props.comments
    assert props.title == "青石镇2025年意识形态工作总结"


@pytest.mark.parametrize(
    ("style", "body", "heading2", "title"),
    [
        (DocxStyle.plain(), "仿宋", "楷体", "方正小标宋简体"),
        (DocxStyle(body_font="FangSong", title_font="华文中宋"), "FangSong", "楷体_GB2312", "华文中宋"),
    ],
)
def test_font_names_are_configurable(tmp_path, sample_text, style, body, heading2, title):
    path = tmp_path / "out.docx"
    write_docx(parse_report(sample_text), path, style)
    document = docx.Document(str(path))
    assert fonts(document.paragraphs[0].runs[0])["eastAsia"] == title
    assert fonts(para(document, "2025年，青石镇党委").runs[0])["eastAsia"] == body
    assert fonts(para(document, "（一）压紧压实责任").runs[0])["eastAsia"] == heading2


def test_latin_font_none_uses_the_chinese_font_for_digits(tmp_path, sample_text):
    path = tmp_path / "out.docx"
    write_docx(parse_report(sample_text), path, DocxStyle(latin_font=None))
    run = para(docx.Document(str(path)), "2025年，青石镇党委").runs[0]
    assert fonts(run)["ascii"] == fonts(run)["eastAsia"] == "仿宋_GB2312"


# --- page numbers ---------------------------------------------------------------------------------


def field_instructions(paragraph) -> list[str]:
    return [el.text.strip() for el in paragraph._p.iter(qn("w:instrText"))]


def test_page_numbers_odd_right_even_left_with_outer_pad(exported):
    document = exported[0]
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer is True
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for footer, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        assert footer.alignment == align
        assert footer.text == "— 1 —"  # the cached value of the PAGE field between the dashes
        assert field_instructions(footer) == ["PAGE"]
        kinds = [el.get(qn("w:fldCharType")) for el in footer._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        for run in footer.runs:
            assert fonts(run)["eastAsia"] == fonts(run)["ascii"] == "宋体"
            assert run.font.size == Pt(14)  # 4号
        assert first_line_chars(footer) == "0"
    assert odd.paragraph_format.right_indent == Pt(14) and not odd.paragraph_format.left_indent
    assert even.paragraph_format.left_indent == Pt(14) and not even.paragraph_format.right_indent


def test_page_number_sits_7mm_below_the_text_block(exported):
    section = exported[0].sections[0]
    footer = section.footer.paragraphs[0]
    assert footer.paragraph_format.line_spacing == Pt(14)
    centre_from_page_bottom = (section.footer_distance + Pt(7)) / MM
    assert section.bottom_margin / MM - centre_from_page_bottom == pytest.approx(7, abs=0.1)


# --- blocks ---------------------------------------------------------------------------------------


def test_blocks_follow_source_lines_and_skip_residue():
    text = "青石镇工作总结\n一、组织领导 今年召开会议3次。 （一）专题研究。研究2次。\n正文一段。\n##paidend##\n"
    report = parse_report(text)
    junk_start = text.index("##paidend##")
    report.residue.append(Paragraph("##paidend##", junk_start, junk_start + 11, ParagraphKind.RESIDUE))
    report.opening = [p for p in report.opening if p.start != junk_start]
    for section in report.walk():
        section.paragraphs = [p for p in section.paragraphs if p.start != junk_start]
    blocks = report_blocks(report)
    assert [b.text for b in blocks] == [
        "青石镇工作总结", "一、组织领导 今年召开会议3次。 （一）专题研究。研究2次。", "正文一段。"]
    assert blocks[1].kind is ParagraphKind.HEADING and blocks[1].level == 1
    assert blocks[1].parts[0] == ("一、组织领导", 1)


def test_blocks_of_a_generated_report_without_offsets():
    heading = Heading(level=1, number=1, marker="一、", text="组织领导", start=0, end=0, rest="今年开会3次。")
    report = Report(text="", title=Paragraph("青石镇总结", 0, 0, ParagraphKind.TITLE),
                    sections=[Section(heading=heading, paragraphs=[Paragraph("正文。", 0, 0)])])
    report.title.start = -1  # title first, then the section in insertion order
    blocks = report_blocks(report)
    assert [b.text for b in blocks] == ["青石镇总结", "一、组织领导今年开会3次。", "正文。"]
    assert blocks[1].parts == (("一、组织领导", 1), ("今年开会3次。", 0))


# --- writing ------------------------------------------------------------------------------------


def test_write_is_atomic_a_failed_render_leaves_the_old_file(tmp_path, monkeypatch, sample_text):
    path = tmp_path / "out.docx"
    path.write_bytes(b"old")
    import drafter.docx_writer as writer

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(writer, "_set_page_numbers", boom)
    with pytest.raises(RuntimeError):
        write_docx(parse_report(sample_text), path)
    assert path.read_bytes() == b"old"
    assert not list(tmp_path.glob(".out.docx.*"))  # no half-written temporary left behind


def test_render_returns_a_zip_package(sample_text):
    data = render_docx(parse_report(sample_text))
    assert data[:4] == b"PK\x03\x04"


def test_empty_report_still_has_one_paragraph(tmp_path):
    write_docx(parse_report(""), tmp_path / "empty.docx")
    assert [p.text for p in docx.Document(str(tmp_path / "empty.docx")).paragraphs] == [""]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_write_report_writes_text_for_text_suffixes(tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    write_report("青石镇总结\n正文。", out)
    assert out.read_text(encoding="utf-8") == "青石镇总结\n正文。\n"


def test_write_report_writes_docx_from_text_or_report(tmp_path, sample_text):
    write_report(sample_text, tmp_path / "a.docx")
    write_report(parse_report(sample_text), tmp_path / "b.docx")
    a = [p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs]
    b = [p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs]
    assert a == b and a[0] == "青石镇2025年意识形态工作总结"


def test_write_report_refuses_old_formats(tmp_path):
    with pytest.raises(OutputError, match=r"\.docx"):
        write_report("正文。", tmp_path / "out.doc")


def test_markdown_decoration_is_dropped_line_by_line():
    text = "# 青石镇总结\n\n## 一、组织领导\n> 引用一句。\n**今年**召开会议3次。"
    assert markdown_to_plain(text) == "青石镇总结\n\n一、组织领导\n引用一句。\n今年召开会议3次。"


# --- tables, fonts, properties, styles ----------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _table_source(tmp_path) -> Path:
    document = docx.Document()
    document.add_paragraph("青石镇2025年工作总结")
    document.add_paragraph("一、组织领导")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("工作项目", "数量", "单位"), ("专题会议", "3", "次"), ("党课", "31", "次")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("中共青石镇委员会")
    path = tmp_path / "t.docx"
    document.save(str(path))
    return path


def test_a_table_is_written_back_as_a_table(tmp_path):
    from drafter.readers import read_source

    source = read_source(str(_table_source(tmp_path)))
    out = tmp_path / "out.docx"
    write_docx(parse_report(source.text, source.layout), out)
    document = docx.Document(str(out))
    [table] = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["工作项目", "数量", "单位"], ["专题会议", "3", "次"], ["党课", "31", "次"]]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert {b.get(qn("w:color")) for b in borders} == {"000000"}
    assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:type")) == "pct"
    header_run = table.cell(0, 0).paragraphs[0].runs[0]
    assert header_run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    body_run = table.cell(1, 1).paragraphs[0].runs[0]
    assert body_run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert table.cell(1, 1).paragraphs[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # no paragraph outside the table repeats the rows
    assert not any("专题会议" in p.text for p in document.paragraphs)


def test_page_header_from_the_source(tmp_path):
    from drafter.readers import read_source

    path = _table_source(tmp_path)
    document = docx.Document(str(path))
    document.sections[0].header.paragraphs[0].text = "青石镇人民政府"
    document.save(str(path))
    source = read_source(str(path))
    out = tmp_path / "out.docx"
    write_docx(parse_report(source.text, source.layout), out)
    written = docx.Document(str(out))
    assert written.sections[0].header.paragraphs[0].text == "青石镇人民政府"
    assert "青石镇人民政府" not in [p.text for p in written.paragraphs]


@pytest.mark.parametrize(
    ("style", "chain"),
    [
        (DocxStyle(), [("仿宋_GB2312", "仿宋"), ("仿宋", "FangSong"), ("楷体_GB2312", "楷体"), ("黑体", "SimHei"),
                       ("方正小标宋简体", "宋体")]),
        (DocxStyle.plain(), [("仿宋", "FangSong"), ("楷体", "KaiTi")]),
    ],
)
def test_font_table_has_cjk_fonts_with_fallbacks(sample_text, style, chain):
    package = zipfile.ZipFile(__import__("io").BytesIO(render_docx(parse_report(sample_text), style)))
    root = __import__("lxml.etree", fromlist=["etree"]).fromstring(package.read("word/fontTable.xml"))
    alt = {f.get(f"{{{W_NS}}}name"): f.find(f"{{{W_NS}}}altName") for f in root}
    for name, fallback in chain:
        assert alt[name] is not None and alt[name].get(f"{{{W_NS}}}val") == fallback
        assert root.find(f"{{{W_NS}}}font[@{{{W_NS}}}name='{name}']/{{{W_NS}}}charset").get(f"{{{W_NS}}}val") == "86"


def test_doc_properties_are_drafters_and_there_is_no_thumbnail(exported, sample_text):
    _, path = exported
    package = zipfile.ZipFile(path)
    app = package.read("docProps/app.xml").decode()
    assert "Macintosh" not in app and "<Application>drafter</Application>" in app
    assert "thumbnail" not in " ".join(package.namelist())
    assert "thumbnail" not in package.read("_rels/.rels").decode()
    long_text = sample_text + ("\n今年以来，全镇各村（社区）持续开展宣传教育活动，覆盖面不断扩大。" * 80)
    package = zipfile.ZipFile(__import__("io").BytesIO(render_docx(parse_report(long_text))))
    pages = int(re.search(r"<Pages>(\d+)</Pages>", package.read("docProps/app.xml").decode()).group(1))
    assert pages >= 5


@pytest.mark.parametrize(("name", "font"), [("Title", "方正小标宋简体"), ("Heading 1", "黑体"),
                                            ("Heading 2", "楷体_GB2312"), ("Heading 3", "仿宋_GB2312")])
def test_title_and_heading_styles_are_black_in_gongwen_fonts(exported, name, font):
    document, _ = exported
    target = document.styles[name]
    assert target.font.color.rgb == docx.shared.RGBColor(0, 0, 0)
    assert target.font.color.theme_color is None
    assert target.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == font
    assert target.element.pPr.find(qn("w:pBdr")) is None  # no blue rule under the title


def test_run_on_second_level_heading_takes_kaiti(tmp_path):
    path = tmp_path / "o.docx"
    write_docx(parse_report("青石镇总结\n一、组织领导\n（一）专题研究。今年召开会议3次。（二）压实责任。签订责任书12份。\n"), path)
    runs = next(p for p in docx.Document(str(path)).paragraphs if p.text.startswith("（一）")).runs
    fonts = [(r.text, r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))) for r in runs]
    assert fonts == [("（一）专题研究。", "楷体_GB2312"), ("今年召开会议3次。", "仿宋_GB2312"),
                     ("（二）压实责任。", "楷体_GB2312"), ("签订责任书12份。", "仿宋_GB2312")]


@pytest.mark.parametrize(
    ("line", "plain"),
    [
        ("- 中心组学习12次", "中心组学习12次"),
        ("* 党课31次", "党课31次"),
        ("1. 学习安排", "1.学习安排"),
        ("2、 阵地建设", "2、阵地建设"),
        ("（一） 专题研究", "（一）专题研究"),
        ("一、 组织领导", "一、组织领导"),
        ("1.5万人参加", "1.5万人参加"),
        ("-5度", "-5度"),
    ],
)
def test_markdown_bullets_and_number_spaces(line, plain):
    assert markdown_to_plain(line) == plain


def test_signature_right_aligned_above_a_date_marker(tmp_path):
    path = tmp_path / "m.docx"
    write_docx(parse_report("青石镇总结\n一、组织领导\n今年召开会议3次。\n中共青石镇委员会\n【待补充：成文日期】\n"), path)
    closing = docx.Document(str(path)).paragraphs[-2:]
    assert [p.text for p in closing] == ["中共青石镇委员会", "【待补充：成文日期】"]
    assert {p.paragraph_format.alignment for p in closing} == {WD_ALIGN_PARAGRAPH.RIGHT}
