"""`--plain-fonts` on every command that writes a .docx: 仿宋/楷体 instead of the *_GB2312 fonts."""

import docx
import pytest
from docx.oxml.ns import qn

from tests.test_docx_parts import FACTS, run, table_doc


def body_fonts(path) -> set[str]:
    document = docx.Document(str(path))
    return {r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in document.paragraphs for r in p.runs
            if r.text.strip() and not p.text.startswith(("一、", "二、", "三、"))}


@pytest.mark.parametrize("command", ["export", "rewrite", "draft"])
def test_plain_fonts(tmp_path, command):
    out = tmp_path / "out.docx"
    source = table_doc(tmp_path / "in.docx")
    args = {
        "export": ["export", source, "-o", out],
        "rewrite": ["rewrite", source, "--facts", FACTS, "-o", out, "--engine", "offline", "-q"],
        "draft": ["draft", "--facts", FACTS, "-o", out, "--engine", "offline"],
    }[command]
    result = run(*args, "--plain-fonts")
    assert result.returncode == 0, result.stderr
    fonts = body_fonts(out)
    assert "仿宋" in fonts and not any(f.endswith("_GB2312") for f in fonts)
    default = tmp_path / "default.docx"
    assert run(*[default if a == out else a for a in args]).returncode == 0
    assert "仿宋_GB2312" in body_fonts(default)


def test_plain_fonts_in_interactive_draft_says_what_to_do(tmp_path):
    result = run("draft", "-o", tmp_path / "x.docx", "--plain-fonts")
    assert result.returncode == 2
    assert "drafter export" in result.stderr


def test_check_fix_from_text_to_docx_writes_a_document(tmp_path):
    source = tmp_path / "d.txt"
    source.write_text("柳河乡总结\n一、组织领导\n全年召开会议3次,加强与论引导。\n", encoding="utf-8")
    out = tmp_path / "d.docx"
    run("check", source, "--fix", "-o", out)
    assert [p.text for p in docx.Document(str(out)).paragraphs][-1] == "全年召开会议3次，加强舆论引导。"
