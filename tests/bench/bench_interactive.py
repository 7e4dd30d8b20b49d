"""Benchmark the interactive `drafter draft` session (run by hand, not by pytest).

    python tests/bench/bench_interactive.py [--repeat 3]

What the user waits for: the save after every answer (facts YAML + progress JSON, both atomic with
fsync), reading a typed value, the time from the last answer to the first section on screen (drafting
with the offline engine), and a whole session typed through a pty with pexpect (every suggested metric
skipped except a few). Figures, not assertions; each run uses a fresh DRAFTER_HOME in a temp directory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def bench_save(tmp: Path, repeat: int) -> None:
    from drafter.draft.answers import Value, to_metric
    from drafter.draft.interactive_state import QAState, save_state
    from drafter.facts.model import Facts, Period
    from drafter.unit import UnitInfo

    facts = Facts(unit=UnitInfo("青石镇", "镇", "和平县"), period=Period(2025, "全年"),
                  metrics=[to_metric(f"指标{i}", Value(i + 1, "次"), "理论学习") for i in range(40)],
                  problems=["理论学习形式单一"] * 5, plans=["加强阵地管理"] * 5)
    state = QAState(output=str(tmp / "out.docx"), facts_path=str(tmp / "facts.yaml"), facts=facts,
                    answered=[f"metric:理论学习:指标{i}" for i in range(40)])
    times = []
    for _ in range(max(20, repeat * 10)):
        t = time.perf_counter()
        save_state(state)
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"save after an answer (40 metrics): median {times[len(times) // 2] * 1000:.1f} ms, "
          f"max {times[-1] * 1000:.1f} ms")


def bench_parse() -> None:
    from drafter.draft.answers import parse_other_metric, parse_value

    typed = [("12", "次"), ("200余", "人"), ("98%以上", "%"), ("近百", "人"), ("十二", "次"), ("abc", "次")]
    n = 0
    t = time.perf_counter()
    for _ in range(200):
        for text, unit in typed:
            with contextlib.suppress(ValueError):
                parse_value(text, unit)
            n += 1
        parse_other_metric("网格员培训 120 人次")
        n += 1
    dt = time.perf_counter() - t
    print(f"reading a typed value: {dt / n * 1e6:.0f} µs each ({n} answers)")


def bench_draft(repeat: int) -> None:
    from drafter.draft.answers import Value, to_metric
    from drafter.draft.model import DraftOptions
    from drafter.draft.pipeline import draft_report
    from drafter.facts.model import Facts, Period
    from drafter.unit import UnitInfo

    facts = Facts(unit=UnitInfo("青石镇", "镇", "和平县"), period=Period(2025, "全年"),
                  metrics=[to_metric("中心组学习", Value(12, "次"), "理论学习"),
                           to_metric("公众号发布", Value(70, "条"), "新闻宣传与舆论引导"),
                           to_metric("注册志愿者", Value(200, "人", "余"), "精神文明与文明实践")])
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        draft_report(facts, DraftOptions(engine="offline"))
        times.append(time.perf_counter() - t)
    print(f"offline draft after the last answer: best {min(times):.2f} s, worst {max(times):.2f} s "
          "(first run includes building the corpus database)")


def bench_session(tmp: Path) -> None:
    import pexpect

    out = tmp / "session" / "总结.docx"
    out.parent.mkdir()
    env = {**os.environ, "DRAFTER_HOME": str(tmp / "session-home"), "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    t0 = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "drafter", "draft", "-o", str(out), "--engine", "offline"],
                          cwd=str(out.parent), env=env, encoding="utf-8", timeout=120, dimensions=(60, 200))
    child.delaybeforesend = None
    child.expect("本单位名称")
    first_prompt = time.perf_counter() - t0
    for answer in ("青石镇", "和平县", "2025", "1", ""):
        child.sendline(answer)
    prompts = 0
    while True:
        i = child.expect([r"（直接回车跳过）：", r"直接回车结束）：", "这一节怎么处理"])
        if i == 2:
            break
        prompts += 1
        child.sendline("12" if prompts % 4 == 1 and i == 0 else "")
    t_review = time.perf_counter()
    child.sendline("4")
    child.expect(pexpect.EOF)
    total = time.perf_counter() - t0
    print(f"whole session through a pty: first prompt after {first_prompt:.2f} s, {prompts} prompts answered, "
          f"{total:.2f} s in all (of which writing the .docx after accept-all {time.perf_counter() - t_review:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        os.environ["DRAFTER_HOME"] = str(tmp / "home")
        bench_save(tmp, args.repeat)
        bench_parse()
        bench_draft(args.repeat)
        bench_session(tmp)


if __name__ == "__main__":
    main()
