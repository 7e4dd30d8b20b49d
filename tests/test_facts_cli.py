"""`drafter facts init | validate | extract` through the real command line."""

import json
from pathlib import Path

import pytest

from drafter.facts import load_facts
from tests.conftest import CliResult, run_cli

DATA = Path(__file__).parent / "data" / "facts"


def run(*args: str, cwd: Path | None = None) -> CliResult:
    return run_cli(*args, cwd=cwd)  # in process: a subprocess adds only start-up time


def err(result: CliResult) -> str:
    """stderr with the console's line wrapping undone."""
    return "".join(result.stderr.split())


def test_init_prints_a_commented_template():
    result = run("facts", "init")
    assert result.returncode == 0
    assert result.stdout.startswith("# drafter 事实文件") and "metrics:" in result.stdout


def test_init_writes_a_valid_file_and_never_overwrites(tmp_path):
    out = tmp_path / "事实.yaml"
    assert run("facts", "init", "-o", str(out)).returncode == 0
    assert load_facts(out).unit.name == "青石镇"
    again = run("facts", "init", "-o", str(out))
    assert again.returncode == 2 and "已存在" in err(again) and "--force" in err(again)
    assert run("facts", "init", "-o", str(out), "--force").returncode == 0
    bad = run("facts", "init", "-o", str(tmp_path / "x.txt"))
    assert bad.returncode == 2 and ".yaml" in bad.stderr


def test_validate_good_file():
    result = run("facts", "validate", str(DATA / "qingshi_2025.yaml"))
    assert result.returncode == 0
    assert "事实文件有效" in result.stdout and "青石镇" in result.stdout and "指标 14 项" in result.stdout


def test_validate_bad_file_exits_2_with_line_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("unit: 青石镇\nmetrics:\n  - {name: 党课, value: -3, unit: 次}\n  - {name: 会议, value: 2}\n",
                   encoding="utf-8")
    result = run("facts", "validate", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "第3行" in err(result) and "负数" in err(result) and "第4行" in err(result) and "单位" in err(result)


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("metrics:\n  - {name: 党课, value: 二十五, unit: 次}\n", ["第2行", "应是数字"]),  # wrong type
        ("metrics:\n  - {name: 党课, value: -1, unit: 次}\n", ["第2行", "负数"]),  # negative count
        ("metrics:\n  - {name: 党课, value: 25}\n", ["第2行", "缺少单位"]),  # missing unit
        ("metrics:\n  - {name: 党课, value: 25, unit: 次}\n  - {name: 党课, value: 3, unit: 次}\n",
         ["第3行", "重复"]),  # duplicate names
        ("period: {year: 2025\n", ["第2行", "YAML"]),  # bad YAML
    ],
)
def test_each_validation_error_kind_exits_2(tmp_path, text, needles):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run("facts", "validate", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in err(result)


def test_validate_broken_yaml_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("metrics:\n  - {name: 党课, value: 25, unit: 次\n", encoding="utf-8")
    result = run("facts", "validate", str(bad))
    assert result.returncode == 2 and "YAML" in result.stderr and "第3行" in err(result)


def test_validate_missing_file():
    result = run("facts", "validate", "no-such.yaml")
    assert result.returncode == 2 and "找不到事实文件" in result.stderr


def test_extract_to_stdout_and_to_file(tmp_path):
    report = DATA / "qingshi_2025_report.txt"
    shown = run("facts", "extract", str(report))
    assert shown.returncode == 0 and "name: 党委理论学习中心组集体学习" in shown.stdout
    out = tmp_path / "facts.yaml"
    result = run("facts", "extract", str(report), "-o", str(out))
    assert result.returncode == 0 and "已写入" in result.stderr
    facts = load_facts(out)
    assert facts.period.year == 2025 and len(facts.metrics) >= 14
    checked = run("check", str(report), "--facts", str(out), "--format", "json",
                  "--select", "unsupported-number,number-mismatch")
    assert checked.returncode == 0 and json.loads(checked.stdout)[0]["findings"] == []


def test_extract_json_and_refuses_to_overwrite_its_input(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text((DATA / "qingshi_2025_report.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "facts.json"
    assert run("facts", "extract", str(report), "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["unit"]["name"] == "青石镇"
    assert load_facts(out).metrics
    same = run("facts", "extract", str(report), "-o", str(report), "--force")
    assert same.returncode == 2 and "输入文件" in err(same)
    assert report.read_text(encoding="utf-8").startswith("2025年青石镇")


def test_check_with_facts_reports_a_mismatch(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text((DATA / "qingshi_2025_report.txt").read_text(encoding="utf-8").replace("讲党课31次", "讲党课4次"),
                      encoding="utf-8")
    result = run("check", str(report), "--facts", str(DATA / "qingshi_2025.yaml"), "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)[0]["findings"]
    mismatch = [f for f in findings if f["rule"] == "number-mismatch"]
    assert mismatch and mismatch[0]["text"] == "4次" and mismatch[0]["suggestion"] == "31次"


def test_check_with_a_bad_facts_file_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("metrics:\n  - {name: 党课, value: 二十, unit: 次}\n", encoding="utf-8")
    result = run("check", str(DATA / "qingshi_2025_report.txt"), "--facts", str(bad))
    assert result.returncode == 2 and "第2行" in err(result)
