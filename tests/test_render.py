"""drafter.cli.render's findings output: plain batches for pipes, rich for terminals, input text made safe."""

import io
import subprocess
import sys

import pytest

from drafter.cli.render import finding_lines, render_findings
from drafter.findings import Finding, Severity
from drafter.source import SourceText


def _finding(text: str, needle: str, suggestion: str | None = None) -> Finding:
    start = text.index(needle)
    return Finding("placeholder", Severity.ERROR, start, start + len(needle), 1, start + 1, needle, "请填写。",
                   suggestion)


def _render(source: SourceText, findings: list[Finding]) -> str:
    out = io.StringIO()
    render_findings(source, findings, out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "needle", "suggestion", "shown"),
    [
        ("20xx年青石镇总结", "20xx", None, "  1:1 错误 [placeholder] 请填写。"),
        ("全年召开会议x次", "x", "4", "→ 建议：4"),
        ("删去这段[bold]小编推荐[/bold]", "小编推荐", "", "→ 建议：（删除）"),
    ],
)
def test_plain_output_is_the_segments_text(text, needle, suggestion, shown):
    out = _render(SourceText("a.txt", text), [_finding(text, needle, suggestion)])
    assert out.startswith("a.txt\n") and shown in out and "\x1b" not in out
    assert ("[bold]" in text) == ("[bold]" in out)  # markup is text, never parsed
    assert out.endswith("共 1 处：错误 1\n")


# (the console's sanitiser is HOSTILE's and tested with it; these are what any version removes)
@pytest.mark.parametrize("hostile", ["\x1b[2J", "\x1b]0;标题\x07", "\x9b31m", "\x00"])
def test_terminal_sequences_from_the_input_never_reach_the_output(hostile):
    text = f"20xx年{hostile}青石镇总结"
    source = SourceText(f"a{hostile}.txt", text)
    out = _render(source, [_finding(text, "20xx", f"2025{hostile}")])
    assert not any(ch in out for ch in "\x1b\x9b\x07\x00"), repr(out)


def test_no_findings_says_so():
    assert _render(SourceText("b.txt", "正文"), []) == "b.txt\n  未发现问题。\n"


def test_lines_are_segments_with_styles():
    text = "20xx年青石镇总结"
    lines = finding_lines(SourceText("a.txt", text), [_finding(text, "20xx")])
    assert lines[0] == [("a.txt", "bold underline")]
    assert ("20xx", "reverse bold red") in lines[1]


def test_plain_check_output_does_not_import_rich(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("20xx年青石镇意识形态工作总结\n", encoding="utf-8")
    code = ("import sys; sys.argv = ['drafter', 'check', sys.argv[1]]\n"
            "from drafter.cli import cli\n"
            "rv = cli.main(standalone_mode=False)\n"
            "print(rv, sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))")
    done = subprocess.run([sys.executable, "-c", code, str(doc)], capture_output=True, text=True)
    assert done.stdout.strip().endswith("1 []"), done.stdout + done.stderr
