"""Word review outputs: `check --annotate` (批注), `check --fix` on .docx and `rewrite --track-changes` (修订).

Each output is re-read with python-docx and with drafter's reader; where LibreOffice is installed it
is converted to PDF and ODT (the comments and revisions must survive the conversion).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafter.docx_annotate import Note, annotate_docx
from drafter.docx_reader import read_docx
from drafter.docx_revisions import Change, diff_changes, track_changes
from tests.test_docx_parts import FACTS, TITLE, header_doc, run, table_doc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def dirty_doc(path: Path) -> Path:
    """Formatting the user cares about (bold, a coloured run, a table) and template faults in it."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("一、组织领导")
    paragraph = document.add_paragraph()
    paragraph.add_run("全年召开xx次专题会议,").bold = True
    paragraph.add_run("加强与论引导。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "工作项目"
    table.cell(0, 1).text = "数量"
    table.cell(1, 0).text = "党课"
    table.cell(1, 1).text = "x次"
    document.add_paragraph("中共柳河乡委员会")
    document.add_paragraph("2025年12月20日")
    document.save(str(path))
    return path


def anchored_texts(path: Path) -> dict[str, str]:
    """Comment id → the document text between its commentRangeStart and commentRangeEnd."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    open_ranges: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for element in root.iter():
        name = etree.QName(element).localname
        if name == "commentRangeStart":
            open_ranges[element.get(f"{{{W}}}id")] = []
        elif name == "commentRangeEnd":
            done[element.get(f"{{{W}}}id")] = "".join(open_ranges.pop(element.get(f"{{{W}}}id"), []))
        elif name == "t" and element.text:
            for parts in open_ranges.values():
                parts.append(element.text)
    return done


def rejected(path: Path, out: Path) -> Path:
    """The file as Word shows it after 拒绝所有修订: insertions gone, deletions back."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name in [n for n in parts if n.startswith("word/") and n.endswith(".xml")]:
        root = etree.fromstring(parts[name])
        for ins in list(root.iter(f"{{{W}}}ins")):
            parent = ins.getparent()
            if etree.QName(parent).localname == "rPr":  # an inserted paragraph mark: the paragraph goes
                paragraph = parent.getparent().getparent()
                paragraph.getparent().remove(paragraph)
            elif parent is not None:
                parent.remove(ins)
        for deleted in list(root.iter(f"{{{W}}}del")):
            parent = deleted.getparent()
            if etree.QName(parent).localname == "rPr":
                parent.remove(deleted)
                continue
            for child in list(deleted):
                for t in child.iter(f"{{{W}}}delText"):
                    t.tag = f"{{{W}}}t"
                deleted.addprevious(child)
            parent.remove(deleted)
        parts[name] = etree.tostring(root)
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def formatting_of(path: Path) -> list[tuple[str, bool | None]]:
    """Each character of the body with the bold flag of its run: what a split run must keep."""
    document = docx.Document(str(path))
    return [(ch, r.bold) for p in document.paragraphs for r in p.runs for ch in r.text]


# --- annotate --------------------------------------------------------------------------------------


def test_annotate_writes_comments_on_the_offending_text(tmp_path):
    source = dirty_doc(tmp_path / "总结.docx")
    before = source.read_bytes()
    out = tmp_path / "总结-批注.docx"
    result = run("check", source, "--annotate", "-o", out)
    assert result.returncode == 1, result.stderr
    assert "条批注" in result.stderr
    assert source.read_bytes() == before  # the input is never touched
    findings = __import__("json").loads(run("check", source, "--format", "json").stdout)[0]["findings"]
    comments = list(docx.Document(str(out)).comments)
    assert len(comments) == len(findings) > 0
    assert {c.author for c in comments} == {"drafter"}
    anchors = anchored_texts(out)
    by_id = {str(c.comment_id): c for c in comments}
    for finding in findings:
        hit = [cid for cid, text in anchors.items()
               if text == finding["text"] and finding["message"] in by_id[cid].text]
        assert hit, finding
    # formatting untouched: the same characters with the same bold flags, the same text
    assert formatting_of(out) == formatting_of(source)
    assert read_docx(out).text == read_docx(source).text


def test_annotate_gives_a_rule_firing_often_in_one_paragraph_one_comment(tmp_path):
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("全年召开专题会议3次,研究部署工作,开展宣讲12场,覆盖群众;加强与论引导。")
    document.add_paragraph("组织志愿服务活动8次,参与群众300人。")
    source = tmp_path / "总结.docx"
    document.save(str(source))
    out = tmp_path / "总结-批注.docx"
    assert run("check", source, "--annotate", "-o", out).returncode == 1
    findings = __import__("json").loads(run("check", source, "--format", "json").stdout)[0]["findings"]
    by_rule = {(f["rule"], f["line"]) for f in findings}
    assert len([f for f in findings if f["rule"] == "punctuation"]) == 5
    comments = [c.text for c in docx.Document(str(out)).comments]
    assert len(comments) == len(by_rule)  # one a rule and paragraph
    (grouped,) = [c for c in comments if c.startswith("本段有 4 处同类问题")]
    assert grouped.count("“,”→“，”") == 3 and "“;”→“；”" in grouped and "（drafter 规则 punctuation）" in grouped
    assert any("与论" in c for c in comments)  # another rule in the same paragraph keeps its own
    (single,) = [c for c in comments if "半角标点" in c and not c.startswith("本段")]
    assert "建议改为：，" in single  # a rule firing once in its paragraph: the comment as before


def test_annotate_appends_to_the_users_own_comments(tmp_path):
    from tests.test_docx_parts import comment_doc

    source = comment_doc(tmp_path / "c.docx")
    docx_text = read_docx(source)
    start = docx_text.text.index("专题会议")
    data, placed = annotate_docx(docx_text, [Note(start, start + 4, "请核实会议次数。")])
    out = tmp_path / "c-批注.docx"
    out.write_bytes(data)
    comments = list(docx.Document(str(out)).comments)
    assert placed == 1
    assert [(c.author, c.text) for c in comments] == [("李四", "这里的xx乡要改成本乡"), ("drafter", "请核实会议次数。")]
    assert len({c.comment_id for c in comments}) == 2


def test_annotate_a_header_finding_says_where(tmp_path):
    out = tmp_path / "h-批注.docx"
    assert run("check", header_doc(tmp_path / "h.docx"), "--annotate", "-o", out).returncode == 1
    texts = [c.text for c in docx.Document(str(out)).comments]
    assert any(t.startswith("页眉“xx”") for t in texts), texts


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--annotate"], "-o"),
        (["--annotate", "-o", "x.txt"], ".docx"),
        (["--annotate", "--fix", "-o", "x.docx"], "分两次"),
    ],
)
def test_annotate_usage_errors(tmp_path, args, needle):
    source = dirty_doc(tmp_path / "d.docx")
    result = run("check", source, *[str(tmp_path / a) if a.startswith("x.") else a for a in args])
    assert result.returncode == 2
    assert needle in result.stderr


# --- check --fix on .docx ----------------------------------------------------------------------------


def test_fix_on_docx_writes_tracked_changes(tmp_path):
    source = dirty_doc(tmp_path / "d.docx")
    out = tmp_path / "d-修订.docx"
    result = run("check", source, "--fix", "-o", out)
    assert "处修订" in result.stderr, result.stderr
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml and 'w:author="drafter"' in xml
    accepted = read_docx(out).text  # drafter reads what Word shows with changes accepted
    assert "专题会议，" in accepted and "舆论引导" in accepted
    assert "与论" not in accepted and "," not in accepted
    assert read_docx(rejected(out, tmp_path / "r.docx")).text == read_docx(source).text
    assert [ch for ch, _ in formatting_of(rejected(out, tmp_path / "r2.docx"))] == [
        ch for ch, _ in formatting_of(source)]
    docx.Document(str(out))  # python-docx opens it


def test_fix_keeps_the_bold_of_the_run_it_replaces(tmp_path):
    out = tmp_path / "d-修订.docx"
    run("check", dirty_doc(tmp_path / "d.docx"), "--fix", "-o", out)
    root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    inserted = [ins for ins in root.iter(f"{{{W}}}ins") if "".join(ins.itertext()) == "，"]
    assert inserted and inserted[0].find(f".//{{{W}}}b") is not None


# --- rewrite --track-changes -------------------------------------------------------------------------


def test_rewrite_track_changes_against_the_template(tmp_path):
    template = table_doc(tmp_path / "范文.docx")
    plain_out, tracked = tmp_path / "我的.txt", tmp_path / "我的.docx"
    assert run("rewrite", template, "--facts", FACTS, "-o", plain_out, "--engine", "offline", "-q").returncode == 0
    result = run("rewrite", template, "--facts", FACTS, "-o", tracked, "--engine", "offline", "-q", "--track-changes")
    assert result.returncode == 0, result.stderr
    assert "修订" in result.stdout
    # accepted, the tracked file reads as the rewrite; rejected, as the template
    assert read_docx(tracked).text.strip() == plain_out.read_text(encoding="utf-8").strip()
    assert read_docx(rejected(tracked, tmp_path / "r.docx")).text == read_docx(template).text
    comments = list(docx.Document(str(tracked)).comments)
    assert comments and all(c.author == "drafter" and c.text.startswith("修改原因：") for c in comments)
    assert any("单位名称" in c.text for c in comments)
    # the table is still the user's table, its figure cells changed in place
    [table] = docx.Document(str(tracked)).tables
    assert len(table.rows) == 3


def test_track_changes_needs_docx(tmp_path):
    result = run("rewrite", tmp_path / "a.txt", "--facts", FACTS, "-o", tmp_path / "b.docx", "--track-changes")
    assert result.returncode == 2
    assert ".docx" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("召开会议5次。", "召开会议3次。", [(4, 5, "3")]),
        ("甲\n乙\n丙", "甲\n丙", [(2, 4, "")]),
        ("甲\n丙", "甲\n乙\n丙", [(2, 2, "乙\n")]),
        ("甲\n乙", "甲\n乙\n丁", [(3, 3, "\n丁")]),
        ("松林乡召开会议", "青石镇召开会议", [(0, 3, "青石镇")]),  # 乡/镇 differ, one change not three
    ],
)
def test_diff_changes(old, new, expected):
    assert [(c.start, c.end, c.new) for c in diff_changes(old, new)] == expected


def test_new_paragraphs_after_a_table_row_go_after_the_table(tmp_path):
    source = table_doc(tmp_path / "t.docx")
    docx_text = read_docx(source)
    row_end = docx_text.text.index("党课30次") + len("党课30次")
    data, placed = track_changes(docx_text, [Change(row_end, row_end, "\n此外，新建宣传栏36块。")])
    out = tmp_path / "t2.docx"
    out.write_bytes(data)
    document = docx.Document(str(out))
    assert placed == 1
    assert all("宣传栏" not in cell.text for row in document.tables[0].rows for cell in row.cells)
    assert "此外，新建宣传栏36块。" in read_docx(out).text.split("\n")


# --- LibreOffice ------------------------------------------------------------------------------------


def soffice_convert(path: Path, fmt: str, outdir: Path) -> Path:
    """Convert with a throwaway profile; PDF with the comments exported as annotations."""
    target = fmt if fmt != "pdf" else 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    profile = outdir / "lo-profile"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", target,
                    "--outdir", str(outdir), str(path)], capture_output=True, timeout=180, check=True,
                   env={**os.environ, "HOME": str(outdir)})
    converted = outdir / f"{path.stem}.{fmt}"
    assert converted.is_file() and converted.stat().st_size > 0
    return converted


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@needs_soffice
def test_libreoffice_opens_the_annotated_copy(tmp_path):
    out = tmp_path / "批注.docx"
    run("check", dirty_doc(tmp_path / "d.docx"), "--annotate", "-o", out)
    comments = len(list(docx.Document(str(out)).comments))
    pdf = soffice_convert(out, "pdf", tmp_path)
    assert pdf.read_bytes().count(b"/Subtype/Text") + pdf.read_bytes().count(b"/Subtype /Text") >= comments
    odt = soffice_convert(out, "odt", tmp_path)
    content = zipfile.ZipFile(odt).read("content.xml").decode()
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == comments
    assert "<dc:creator>drafter</dc:creator>" in content


@needs_soffice
def test_libreoffice_opens_the_tracked_rewrite(tmp_path):
    template = table_doc(tmp_path / "范文.docx")
    tracked = tmp_path / "修订.docx"
    run("rewrite", template, "--facts", FACTS, "-o", tracked, "--engine", "offline", "-q", "--track-changes")
    soffice_convert(tracked, "pdf", tmp_path)
    content = zipfile.ZipFile(soffice_convert(tracked, "odt", tmp_path)).read("content.xml").decode()
    assert "<text:changed-region" in content and "<office:annotation" in content



@pytest.mark.parametrize(("seed", "facts"), [("000", "seed000_handwritten.yaml"), ("003", "seed003_handwritten.yaml")])
def test_track_changes_on_real_reports_read_as_the_rewrite(tmp_path, seed, facts):
    from tests.conftest import seed_path

    template = tmp_path / "范文.docx"
    assert run("export", seed_path(seed), "-o", template).returncode == 0
    facts_path = Path(__file__).parent / "data" / "facts" / facts
    plain, tracked = tmp_path / "out.txt", tmp_path / "out.docx"
    for out, extra in ((plain, []), (tracked, ["--track-changes"])):
        result = run("rewrite", template, "--facts", facts_path, "-o", out, "--engine", "offline", "-q", *extra)
        assert result.returncode == 0, result.stderr
    assert read_docx(tracked).text.strip() == plain.read_text(encoding="utf-8").strip()
    assert read_docx(rejected(tracked, tmp_path / "r.docx")).text == read_docx(template).text


def test_each_revision_comment_gives_its_own_reason(tmp_path):
    """A one-digit change (2024 → 2025, 10次 → 12次) is explained by the edit of that number."""
    template = tmp_path / "范文.docx"
    document = docx.Document()
    document.add_paragraph("柳河乡2024年意识形态工作总结")
    document.add_paragraph("一、组织领导")
    document.add_paragraph("全年召开意识形态工作专题会议5次，中心组学习10次。")
    document.add_paragraph("中共柳河乡委员会")
    document.save(str(template))
    tracked = tmp_path / "out.docx"
    run("rewrite", template, "--facts", FACTS, "-o", tracked, "--engine", "offline", "-q", "--track-changes")
    anchors = anchored_texts(tracked)
    reasons = {anchors[str(c.comment_id)]: c.text for c in docx.Document(str(tracked)).comments}
    assert "单位名称" in reasons["青石镇"]
    assert "年份" in reasons["5"]
    assert "中心组学习" in reasons["2"] and "专题会议" in reasons["3"]
