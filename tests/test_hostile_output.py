"""Hostile input, outputs: no command writes over any of its inputs (with or without --force), a special
file is never a target, `-o -` is standard output, and outputs get the normal file mode."""

import errno
import io
import os
import stat
import sys
from pathlib import Path

import pytest

from drafter.atomic import forget_inputs, note_input, write_atomic
from drafter.exceptions import OutputError

REPORT = ("青石镇2025年意识形态工作总结\n"
          "今年以来，青石镇党委召开专题会议4次，开展中心组学习12次，累计发布信息70条。\n")
FACTS = ("unit: {name: 青石镇, kind: 镇, county: 和平县}\n"
         "period: {year: 2025, span: 全年}\n"
         "metrics:\n"
         "  - {name: 专题会议, value: 4, unit: 次}\n"
         "  - {name: 中心组学习, value: 12, unit: 次}\n"
         "  - {name: 发布信息, value: 70, unit: 条}\n")


def run_main(monkeypatch, capsys, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """The real entry point (``drafter.cli.main``) in this process: exit code, stdout, stderr."""
    from drafter.cli import main

    monkeypatch.setattr(sys, "argv", ["drafter", *map(str, args)])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    forget_inputs()
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, out + err
    return code, out, err


@pytest.fixture
def files(tmp_path):
    report = tmp_path / "报告.txt"
    report.write_text(REPORT, encoding="utf-8")
    facts = tmp_path / "事实.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    return report, facts


# (command line, which input the output points at); {r} is the report, {f} the facts file
OVERWRITES = [
    ("check --fix {r} --facts {f} -o {f} --force", "f"),
    ("check --fix {r} -o {r} --force", "r"),
    ("rewrite {r} --facts {f} -o {f} --force --engine offline", "f"),
    ("rewrite {r} --facts {f} -o {r} --force --engine offline", "r"),
    ("rewrite {r} --facts {f} -o {tmp}/new.txt --changes {f} --force --engine offline", "f"),
    ("export {r} -o {r}.docx --force", None),  # a new file: allowed
    ("facts extract {r} -o {r}.yaml --force", None),
    ("facts extract {r} --force -o {r}", "r"),
    ("draft --facts {f} -o {f} --force --engine offline", "f"),
]


@pytest.mark.parametrize(("command", "target"), OVERWRITES)
def test_no_command_writes_over_its_inputs(monkeypatch, capsys, files, tmp_path, command, target):
    report, facts = files
    before = {p: p.read_bytes() for p in files}
    args = command.format(r=report, f=facts, tmp=tmp_path).split()
    code, _, err = run_main(monkeypatch, capsys, *args)
    assert {p: p.read_bytes() for p in files} == before  # the inputs, whatever was written
    if target is None:
        assert code == 0, err
    else:
        assert code == 2
        assert "从不覆盖输入" in err


def test_a_link_to_an_input_is_the_input(monkeypatch, capsys, files, tmp_path):
    report, facts = files
    link = tmp_path / "link.yaml"
    link.symlink_to(facts)
    hard = tmp_path / "hard.yaml"
    os.link(facts, hard)
    for out in (link, hard):
        code, _, err = run_main(monkeypatch, capsys, "check", "--fix", report, "--facts", facts, "-o", out, "--force")
        assert code == 2 and "从不覆盖输入" in err
    assert facts.read_text(encoding="utf-8") == FACTS


def test_write_atomic_refuses_any_noted_input(tmp_path):
    forget_inputs()
    path = tmp_path / "a.txt"
    path.write_text("原文", encoding="utf-8")
    note_input(path)
    with pytest.raises(OutputError):
        write_atomic(path, "新的")
    assert path.read_text(encoding="utf-8") == "原文"
    forget_inputs()


def test_a_special_file_is_never_a_target(monkeypatch, capsys, files, tmp_path):
    report, _ = files
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_main(monkeypatch, capsys, "check", "--fix", report, "-o", fifo, "--force")
    assert code == 2 and "不是普通文件" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dash_output_is_stdout(monkeypatch, capsys, files, tmp_path):
    report, _ = files
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_main(monkeypatch, capsys, "check", "--fix", report, "-o", "-")
    assert code in (0, 1)
    assert "青石镇2025年意识形态工作总结" in out
    assert not (tmp_path / "-").exists()
    code, out, _ = run_main(monkeypatch, capsys, "facts", "init", "-o", "-")
    assert code == 0 and "metrics" in out and not (tmp_path / "-").exists()


def test_outputs_get_the_umask_mode_and_sessions_stay_private(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.txt", "正文")
        write_atomic(tmp_path / "key.yaml", "key: x", private=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "key.yaml").stat().st_mode) == 0o600


def test_draft_session_file_is_private(tmp_path):
    from drafter.draft.model import SectionDraft
    from drafter.draft.session import DraftSession

    session = DraftSession(tmp_path / "s.json", "fp", resume=False)
    session.save(SectionDraft(index=0, heading="组织领导", body="正文。", engine="offline"))
    assert stat.S_IMODE((tmp_path / "s.json").stat().st_mode) == 0o600


@pytest.mark.parametrize(("err", "says"), [
    (errno.EACCES, "没有写权限"),
    (errno.EROFS, "没有写权限"),
    (errno.ENOSPC, "磁盘空间不足"),
    (errno.EIO, "无法写入"),
])
def test_a_failed_write_is_a_chinese_message(monkeypatch, tmp_path, err, says):
    import tempfile

    def refuse(*_a, **_k):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match=says):
        write_atomic(tmp_path / "out.txt", "正文")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder(monkeypatch, capsys, files, tmp_path):
    report, _ = files
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    code, _, err = run_main(monkeypatch, capsys, "export", report, "-o", locked / "x.docx")
    assert code == 2 and "没有写权限" in err


def test_an_unusable_drafter_home_is_a_message(monkeypatch, capsys, files, tmp_path):
    _report, facts = files
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_HOME", str(blocker / "home"))  # mkdir fails: a file is in the way
    code, _, err = run_main(monkeypatch, capsys, "draft", "--facts", facts, "-o", tmp_path / "d.txt",
                            "--engine", "offline")
    assert code == 2
    assert "DRAFTER_HOME" in err or "无法" in err


def test_text_is_never_written_under_a_docx_name(monkeypatch, capsys, files, tmp_path):
    report, _ = files
    out = tmp_path / "fixed.docx"
    code, _, err = run_main(monkeypatch, capsys, "check", "--fix", report, "-o", out)
    if out.exists():  # written as a real Word file
        assert out.read_bytes().startswith(b"PK")
    else:
        assert code == 2 and ".docx" in err


def test_the_last_resort_handler(monkeypatch, capsys, files):
    import drafter.check

    def broken(*_a, **_k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(drafter.check, "check_source", broken)
    monkeypatch.setattr("drafter.cli.check_cmd.check_source", broken)
    code, _, err = run_main(monkeypatch, capsys, "check", files[0])
    assert code == 2
    assert "内部出错" in err and "维护人员" in err


def test_inputs_are_forgotten_between_commands(monkeypatch, capsys, files, tmp_path):
    """One command's inputs do not bind the next one run in the same process."""
    report, _ = files
    out = tmp_path / "out.txt"
    assert run_main(monkeypatch, capsys, "check", "--fix", report, "-o", out)[0] in (0, 1)
    code, _, _ = run_main(monkeypatch, capsys, "check", "--fix", Path(out), "-o", tmp_path / "out2.txt")
    assert code in (0, 1)
    code, _, _ = run_main(monkeypatch, capsys, "check", "--fix", report, "-o", out, "--force")
    assert code in (0, 1)


def test_drafters_own_files_are_never_an_output(monkeypatch, capsys, files, isolated_home):
    report, _ = files
    isolated_home.mkdir(parents=True, exist_ok=True)
    config = isolated_home / "config.yaml"
    config.write_text("model: x\n", encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "check", "--fix", report, "-o", config, "--force")
    assert code == 2 and config.read_text(encoding="utf-8") == "model: x\n"
    code, _, err = run_main(monkeypatch, capsys, "config", "set", "model", "qwen2.5")
    assert code == 0, err  # drafter itself still writes it


def test_draft_to_stdout_keeps_the_summary_out_of_the_report(monkeypatch, capsys, files, tmp_path):
    _, facts = files
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "draft", "--facts", facts, "-o", "-", "--engine", "offline")
    assert code == 0, err
    assert "青石镇" in out and "已写入" not in out and "已写入" in err
    assert not (tmp_path / "-").exists()
