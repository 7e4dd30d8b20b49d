"""Hostile input files: each is a Chinese message and exit 2 (or a normal run), never a traceback; text
from inputs never reaches the terminal raw."""

import zipfile

import pytest

from tests.test_hostile_output import FACTS, REPORT, run_main


def _damaged_docx(path) -> None:
    body = "".join(f"<w:p><w:r><w:t>第{i}段，召开专题会议4次。</w:t></w:r></w:p>" for i in range(200))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                   f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    data = bytearray(path.read_bytes())
    start = data.find(b"word/document.xml") + len("word/document.xml") + 30
    for i in range(start, start + 60):
        data[i] ^= 0x5A  # the deflate stream, not the headers: zlib.error on reading
    path.write_bytes(bytes(data))


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))

# (file name, content, command with {p} for the file, what the message says)
BAD_FACTS = [
    ("laughs.yaml", LAUGHS, "facts validate {p}", "锚点"),
    ("recursive.yaml", "unit: &u\n  name: 青石镇\n  aliases: *u\n", "facts validate {p}", "锚点"),
    ("date.yaml", "unit: 青石镇\nevents:\n  - {date: 2025-13-45, what: 开会}\n", "facts validate {p}", "不存在"),
    ("deep.json", "[" * 100000 + "]" * 100000, "facts validate {p}", "嵌套"),
    ("bigint.json", '{"metrics": [{"name": "a", "value": ' + "9" * 5000 + ', "unit": "次"}]}',
     "facts validate {p}", "无法读取的值"),
    ("bigint.yaml", "metrics:\n  - {name: a, value: " + "9" * 5000 + ", unit: 次}\n", "facts validate {p}", "应是数字"),
    ("utf16.yaml", "\ufeffunit: 青石镇\n".encode("utf-16-le") + b"\x00", "facts validate {p}", "UTF-16"),
    ("many.yaml", "metrics:\n" + "".join(f"  - {{name: 指标{i}, value: 1, unit: 次}}\n" for i in range(40000)),
     "facts validate {p}", "上限"),
    ("key.yaml", "? [a, b]\n: 1\n", "facts validate {p}", "字段名"),
]
BAD_REPORTS = [
    ("odd.txt", b"\xff\xfea\x00b", "check {p}", "UTF-16"),
    ("surrogate.txt", b"\xff\xfe\x00\xd8a\x00", "check {p}", "UTF-16"),
    ("empty.txt", b"", "check {p}", "空"),
    ("spaces.txt", b"  \n\n ", "check {p}", "空"),
    ("binary.txt", bytes(range(256)) * 4, "check {p}", "二进制"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "check {p}", ".doc"),
    ("fake.docx", b"PK\x03\x04not a zip at all", "check {p}", "Word"),
    ("folder", None, "check {p}", "文件夹"),
]


@pytest.mark.parametrize(("name", "content", "command", "says"), BAD_FACTS + BAD_REPORTS)
def test_bad_input_is_a_message_and_exit_2(monkeypatch, capsys, tmp_path, name, content, command, says):
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    code, out, err = run_main(monkeypatch, capsys, *command.format(p=path).split())
    assert code == 2
    assert says in out + err


def test_a_docx_with_damaged_compression(monkeypatch, capsys, tmp_path):
    path = tmp_path / "坏.docx"
    _damaged_docx(path)
    code, out, err = run_main(monkeypatch, capsys, "check", path)
    assert code == 2 and "损坏" in out + err
    code, _, err = run_main(monkeypatch, capsys, "export", path, "-o", tmp_path / "x.docx")
    assert code == 2 and "损坏" in err


def test_empty_stdin_is_exit_2_like_an_empty_file(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "check", "-", stdin=b"")
    assert code == 2 and "空" in out + err


def test_corpus_show_with_a_huge_id(monkeypatch, capsys):
    for rid in ("9" * 40, "0", "１２", "#" + "9" * 19):
        code, _, err = run_main(monkeypatch, capsys, "corpus", "show", rid)
        assert code == 2 and "编号" in err


CONTROL = "\x01\x02\x0b\x0c\x1b\x7f"


def test_control_characters_in_text_export_and_check(monkeypatch, capsys, tmp_path):
    path = tmp_path / "ctl.txt"
    path.write_text(REPORT.replace("今年以来", f"今年{CONTROL}以来"), encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "export", path, "-o", tmp_path / "ctl.docx")
    assert code == 0, err
    code, out, _ = run_main(monkeypatch, capsys, "check", path)
    assert code in (0, 1) and "invisible-char" in out


def test_control_characters_in_facts_draft_a_docx(monkeypatch, capsys, tmp_path):
    facts = tmp_path / "事实.yaml"
    facts.write_text(FACTS.replace("专题会议", f"专题{CONTROL}会议"), encoding="utf-8")
    out = tmp_path / "总结.docx"
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", facts, "-o", out, "--engine", "offline")
    assert code == 0, err
    assert out.read_bytes().startswith(b"PK")


def test_a_model_reply_with_control_characters_writes_a_docx(tmp_path):
    from drafter.writers import write_report

    write_report("标题\n正文\x01内容\x1b[31m，\ud800完。\n", tmp_path / "x.docx")
    assert (tmp_path / "x.docx").read_bytes().startswith(b"PK")


ESCAPES = ["\x1b]0;被改的窗口标题\x07", "\x1b[2J", "\x1bc", "\x9b31m", "\x1b]8;;http://x.example/\x1b\\链接\x1b]8;;\x1b\\"]


@pytest.mark.parametrize("escape", ESCAPES)
def test_terminal_sequences_never_reach_the_terminal(monkeypatch, capsys, tmp_path, escape):
    path = tmp_path / "esc.txt"
    path.write_text(f"xx镇2025年意识形态工作总结\n今年{escape}以来，xx镇召开会议4次。\n", encoding="utf-8")
    code, out, err = run_main(monkeypatch, capsys, "check", path)
    assert code in (0, 1)
    assert "\x1b" not in out + err and "\x9b" not in out + err


@pytest.mark.parametrize("markup", ["[bold red]假的[/]", "[link=http://a.b]点[/link]", ":thumbs_up:"])
def test_rich_markup_in_user_text_prints_literally(monkeypatch, capsys, tmp_path, markup):
    path = tmp_path / "m.txt"
    path.write_text(f"xx镇2025年意识形态工作总结\n{markup}xx镇\n", encoding="utf-8")
    _code, out, _ = run_main(monkeypatch, capsys, "check", path)
    assert markup in out


def test_markup_in_an_error_message_prints_literally(monkeypatch, capsys, tmp_path):
    missing = tmp_path / "[bold]不存在[/bold].txt"
    code, _, err = run_main(monkeypatch, capsys, "check", "--facts", missing, tmp_path / "x.txt")
    assert code == 2 and "[bold]不存在[/bold]" in err


@pytest.mark.parametrize("text", ["[bold]x[/]", "\x1b[31mred", "a\\", ":smile:", "\ud800孤立"])
def test_plain_makes_text_printable(text):
    import io

    from rich.console import Console

    from drafter.cli.console import plain

    buffer = io.StringIO()
    Console(file=buffer, emoji=False, highlight=False).print(plain(text))
    shown = buffer.getvalue()
    assert "\x1b" not in shown
    if "\x1b" not in text and "\ud800" not in text:
        assert text in shown


def test_a_gbk_file_name_is_shown(monkeypatch, capsys, tmp_path):
    import os

    name = os.fsdecode("总结".encode("gbk") + b".txt")
    path = tmp_path / name
    path.write_text(REPORT, encoding="utf-8")
    code, out, _err = run_main(monkeypatch, capsys, "check", path)
    assert code in (0, 1)
    assert "总结.txt" in out
