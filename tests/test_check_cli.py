"""`drafter check` through the real CLI: output shapes, exit codes, rule selection, --fix."""

import json
import re
import shutil

import pytest

from tests.conftest import FIXTURES, CliResult, run_cli, run_process, seed_path

TEXT_RULES = "placeholder,residue,gap,typo,doubled-char,punctuation,heading-sequence"
CLEAN = FIXTURES / "check" / "clean.txt"
DIRTY = FIXTURES / "check" / "dirty.txt"


def run(*args: object) -> CliResult:
    """In process: a subprocess adds only start-up time (the smoke test below keeps one real process)."""
    return run_cli(*args)


def check_json(*args: str) -> tuple[int, list[dict]]:
    result = run("check", *args, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.fixture
def dirty(tmp_path):
    path = tmp_path / "dirty.txt"
    shutil.copy(DIRTY, path)
    return path


def test_clean_prose_exits_0_with_no_findings(tmp_path):
    doc = tmp_path / "clean.txt"
    shutil.copy(CLEAN, doc)
    code, data = check_json(doc, "--select", TEXT_RULES)
    assert code == 0
    assert data == [{"path": str(doc), "findings": []}]
    text = run("check", doc, "--select", TEXT_RULES)
    assert text.returncode == 0 and "未发现问题" in text.stdout


def test_json_output_shape_and_exit_1(dirty):
    code, data = check_json(dirty)
    assert code == 1
    assert len(data) == 1 and data[0]["path"] == str(dirty)
    findings = data[0]["findings"]
    keys = {"rule", "severity", "start", "end", "line", "column", "text", "message", "suggestion"}
    assert all(set(f) == keys for f in findings)
    source = dirty.read_text(encoding="utf-8")
    assert all(source[f["start"] : f["end"]] == f["text"] for f in findings)
    rules = {f["rule"] for f in findings}
    assert set(TEXT_RULES.split(",")) <= rules
    assert [f["start"] for f in findings] == sorted(f["start"] for f in findings)


def test_text_output_names_rules_in_chinese(dirty):
    result = run("check", dirty)
    assert result.returncode == 1
    out = result.stdout
    assert "[placeholder]" in out and "[residue]" in out and "[typo]" in out
    assert "错误" in out and "警告" in out and "建议" in out


def test_warnings_alone_exit_0(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("青石镇工作总结\n坚持同安排,同部署。\n", encoding="utf-8")
    code, data = check_json(doc, "--select", TEXT_RULES)
    assert code == 0
    assert [f["rule"] for f in data[0]["findings"]] == ["punctuation"]
    assert data[0]["findings"][0]["severity"] == "warning"


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("--select", "placeholder"), {"placeholder"}),
        (("--select", "typo,gap"), {"typo", "gap"}),
        (("--select", "typo，residue"), {"typo", "residue"}),
        (("--select", "typo", "--select", "doubled-char"), {"typo", "doubled-char"}),
        (("--select", TEXT_RULES, "--ignore", "punctuation,placeholder"),
         {"residue", "gap", "typo", "doubled-char", "heading-sequence"}),
    ],
)
def test_select_and_ignore(dirty, args, wanted):
    _, data = check_json(dirty, *args)
    assert {f["rule"] for f in data[0]["findings"]} == wanted


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--select", "no-such-rule"), "未知的规则"),
        (("--ignore", "typoo"), "未知的规则"),
        (("--fix",), "-o"),
        (("-o", "x.txt"), "--fix"),
    ],
)
def test_usage_errors_exit_2(dirty, args, needle):
    result = run("check", dirty, *args)
    assert result.returncode == 2
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = run("check", tmp_path / "nope.txt")
    assert result.returncode == 2 and "找不到文件" in result.stderr


def test_fix_writes_a_fixed_copy_and_never_touches_the_input(dirty, tmp_path):
    before = dirty.read_bytes()
    out = tmp_path / "fixed.txt"
    result = run("check", dirty, "--fix", "-o", out)
    assert result.returncode == 1  # the slots and gaps are still there: only a person can fill them
    assert dirty.read_bytes() == before
    fixed = out.read_text(encoding="utf-8")
    assert "小编" not in fixed and "推荐访问" not in fixed and "##paidbegin##" not in fixed
    assert "(3200字)" not in fixed and "天道酬勤" not in fixed
    assert "舆论引导" in fixed and "弘扬" in fixed and "干部群众" in fixed and "网络舆情" in fixed
    assert "传承传承" not in fixed and "总结如下：" in fixed
    assert "20xx" in fixed and "、、" in fixed  # no guessing at what the user must fill in
    assert "自动修正" in result.stderr
    # the fixed copy has no safe fixes left
    _, data = check_json(out, "--select", TEXT_RULES)
    assert not {"residue", "typo"} & {f["rule"] for f in data[0]["findings"]}


def test_fix_refuses_an_existing_output_without_force(dirty, tmp_path):
    out = tmp_path / "fixed.txt"
    out.write_text("旧内容", encoding="utf-8")
    result = run("check", dirty, "--fix", "-o", out)
    assert result.returncode == 2 and "已存在" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "旧内容"
    result = run("check", dirty, "--fix", "-o", out, "--force")
    assert result.returncode == 1
    assert "小编" not in out.read_text(encoding="utf-8")


def test_fix_refuses_to_write_over_the_input(dirty):
    before = dirty.read_bytes()
    result = run("check", dirty, "--fix", "-o", dirty, "--force")
    assert result.returncode == 2 and "输入" in result.stderr
    assert dirty.read_bytes() == before


def test_real_process_smoke(dirty):
    """One real `python -m drafter` process: the console script's streams and exit code end to end."""
    result = run_process("check", dirty, CLEAN, "--format", "jsonl")
    assert result.returncode == 1, result.stderr
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [str(dirty), str(CLEAN)]


@pytest.fixture
def reports_dir(tmp_path):
    """A folder as a county office keeps it: reports in subfolders, plus files check must pass over."""
    root = tmp_path / "各乡镇"
    (root / "乙").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(CLEAN, root / "甲.txt")
    shutil.copy(DIRTY, root / "乙" / "乙.md")
    (root / "乙" / "说明.pdf").write_bytes(b"%PDF-1.4")
    (root / "~$甲.docx").write_bytes(b"lock")
    (root / ".hidden" / "x.txt").write_text("20xx年", encoding="utf-8")
    return root


def test_a_folder_is_checked_file_by_file(reports_dir):
    code, data = check_json(reports_dir, "--select", TEXT_RULES)
    assert code == 1
    assert [entry["path"] for entry in data] == [str(reports_dir / "甲.txt"), str(reports_dir / "乙" / "乙.md")]
    assert data[0]["findings"] == [] and data[1]["findings"]


@pytest.mark.parametrize(
    ("make_args", "paths", "code"),
    [
        (lambda d: [d / "甲.txt"], ["甲.txt"], 0),
        (lambda d: [d / "甲.txt", d / "乙" / "乙.md"], ["甲.txt", "乙/乙.md"], 1),
        (lambda d: [str(d / "*.txt")], ["甲.txt"], 0),  # a glob expanded by drafter (Windows shells do not)
        (lambda d: [str(d / "**" / "*.md")], ["乙/乙.md"], 1),
        (lambda d: [d / "甲.txt", d / "甲.txt", str(d / "*.txt")], ["甲.txt"], 0),  # each file once
        (lambda d: [d / "甲.txt", d / "无.txt"], ["甲.txt", "无.txt"], 2),  # unreadable beats clean
        (lambda d: [d / "乙" / "乙.md", d / "无.txt"], ["乙/乙.md", "无.txt"], 2),  # … and beats errors
        (lambda d: [str(d / "*.docx")], ["*.docx"], 2),
    ],
)
def test_paths_globs_and_worst_exit_code(reports_dir, make_args, paths, code):
    got_code, data = check_json(*make_args(reports_dir), "--select", TEXT_RULES)
    assert got_code == code
    assert [str(entry["path"]).replace(str(reports_dir) + "/", "").replace("\\", "/") for entry in data] == paths
    unreadable = [entry for entry in data if "error" in entry]
    assert bool(unreadable) == (code == 2)


def test_jsonl_is_one_object_per_file(reports_dir):
    result = run("check", reports_dir, "--format", "jsonl", "--select", TEXT_RULES)
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [len(e["findings"]) > 0 for e in lines] == [False, True]


def test_text_output_groups_per_file_then_a_summary(reports_dir):
    result = run("check", reports_dir, reports_dir / "无.txt", "--select", TEXT_RULES)
    assert result.returncode == 2
    out = result.stdout
    first, second = out.index(str(reports_dir / "甲.txt")), out.index(str(reports_dir / "乙" / "乙.md"))
    assert first < out.index("未发现问题") < second < out.index("[placeholder]") < out.index("各规则问题")
    assert "共 3 个文件：1 个有错误级问题，1 个未发现问题，1 个无法读取" in out
    assert "找不到文件" in result.stderr


def test_an_empty_folder_is_reported(tmp_path):
    result = run("check", tmp_path)
    assert result.returncode == 2 and "没有 .txt、.md 或 .docx 文件" in result.stderr


def test_fix_needs_exactly_one_file(reports_dir, tmp_path):
    result = run("check", reports_dir, "--fix", "-o", tmp_path / "out.txt")
    assert result.returncode == 2 and "一次只能处理一个文件" in result.stderr


# Instances DOMAIN.md lists under "How copied templates go wrong", as (rule, regex). Every occurrence
# in the shared seeds must be covered by a finding of that rule.
DOMAIN_INSTANCES = [
    ("residue", r"\[bookmark: _GoBack\]"),
    ("residue", r"##paid(?:begin|end)##"),
    ("residue", r"下面是[^\n]*小编为您推荐[^\n]*"),
    ("residue", r"推荐访问[：:][^\n]*"),
    ("residue", r"[^\n]*工作总结篇\d+"),
    ("residue", r"[^\n]*工作总结\d+篇"),
    ("residue", r"\(\d+字\)|（\d+字）"),
    ("gap", r"、、"),
    ("gap", r"《》"),
    ("gap", r"“”"),
    ("gap", r"关于印发的通知"),
    ("typo", r"与论|与情|典情|千部|宏扬|贯例|防患木然|竟猜|人カ|果道|晩|慬得|正能星"),
    ("doubled-char", r"传承传承|两级级"),
]


def test_seed_instances_listed_in_domain_are_found():
    paths = [seed_path(p) for p in ("000", "001", "003")]
    seen = 0
    for path in paths:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        _, data = check_json(path, "--select", TEXT_RULES)
        findings = data[0]["findings"]
        for rule_id, pattern in DOMAIN_INSTANCES:
            spans = [(f["start"], f["end"]) for f in findings if f["rule"] == rule_id]
            for m in re.finditer(pattern, text):
                seen += 1
                assert any(s < m.end() and m.start() < e for s, e in spans), (path.name, rule_id, m.group())
    assert seen >= 60  # the seeds do hold these: 15 compilation headings, 40-odd typos, …


def test_seed_truncated_first_line_and_wrong_quote_are_found():
    text_path = seed_path("003")
    _, data = check_json(text_path, "--select", TEXT_RULES)
    findings = data[0]["findings"]
    first_line_end = text_path.read_text(encoding="utf-8").index("\n") + 1
    assert any(f["rule"] == "residue" and f["start"] == 0 and f["end"] == first_line_end for f in findings)
    assert any(f["rule"] == "punctuation" and "“一岗双责“" in text_path.read_text(encoding="utf-8")
               and f["text"] == "“" for f in findings)
