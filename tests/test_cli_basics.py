"""The CLI skeleton: help, version, lazy imports, exit codes for unreadable inputs."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from drafter.cli import cli


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drafter", *args], capture_output=True, text=True)


def test_help_lists_commands_in_chinese():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "check" in result.output and "检查" in result.output


def test_check_does_not_import_llm_stack(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("2025年青石镇意识形态工作总结\n正文。\n", encoding="utf-8")
    code = (
        "import sys; from drafter.cli import cli\n"
        f"try:\n    cli.main(['check', {str(doc)!r}], standalone_mode=False)\nexcept SystemExit: pass\n"
        "bad = [m for m in sys.modules if m.startswith(('langchain', 'openai', 'tiktoken', 'docx', 'jieba'))]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().endswith("[]"), out.stdout + out.stderr


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        ("missing", "找不到文件"),
        ("dir", "文件夹"),
        ("empty", "空文件"),
        ("binary", "不是文本文件"),
        ("corrupt_docx", "Word"),
        ("doc", "另存为"),
    ],
)
def test_unreadable_inputs_exit_2_with_chinese_message(tmp_path, setup, needle):
    good = tmp_path / "good.txt"
    good.write_text("青石镇工作总结\n今年工作扎实。\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    if setup == "dir":
        bad = tmp_path / "folder"
        bad.mkdir()
    elif setup == "empty":
        bad.write_bytes(b"")
    elif setup == "binary":
        bad.write_bytes(bytes(range(256)) * 10)
    elif setup == "corrupt_docx":
        bad = tmp_path / "bad.docx"
        bad.write_bytes(b"PK\x03\x04 not really a zip")
    elif setup == "doc":
        bad = tmp_path / "old.doc"
        bad.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("check", str(bad), str(good), "--format", "json")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert [d["path"] for d in data] == [str(bad), str(good)]
    assert needle in data[0]["error"]


def test_gbk_and_bom_files_are_decoded(tmp_path):
    text = "青石镇意识形态工作总结\r\n今年召开专题会议3次。\r\n"
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gbk"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    from drafter.readers import read_source

    assert read_source(str(gbk)).text == text.replace("\r\n", "\n")
    assert read_source(str(bom)).text == text.replace("\r\n", "\n")


def test_huge_file_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(("青石镇工作扎实。" * 1000 + "\n").encode("utf-8") * 900)  # ~21 MB
    result = run("check", str(big))
    assert result.returncode == 2
    assert "太大" in result.stderr and "Traceback" not in result.stderr


def test_unknown_rule_is_a_usage_error(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("青石镇\n", encoding="utf-8")
    result = run("check", str(doc), "--select", "no-such-rule")
    assert result.returncode == 2
    assert "未知的规则" in result.stderr
