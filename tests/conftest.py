"""Shared fixtures: every test runs with an isolated DRAFTER_HOME; seed-based tests skip without ../shared."""

from pathlib import Path

import pytest

pytest_plugins = ["tests.fake_openai"]  # the `fake_openai` fixture: an OpenAI-protocol server on 127.0.0.1

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "drafter-home"
    monkeypatch.setenv("DRAFTER_HOME", str(home))
    monkeypatch.delenv("DRAFTER_CORPUS", raising=False)
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "DRAFTER_MODEL", "DRAFTER_BASE_URL", "DRAFTER_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return home


def seed_path(prefix: str) -> Path:
    """A shared seed by its number prefix ("000"); skips the test when ../shared is absent."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not present")
    return matches[0]


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS


class CliResult:
    """What a test reads from a `drafter` run, the same for an in-process run and a real process."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr

    @property
    def output(self) -> str:
        return self.stdout


def run_cli(*args: object, env: dict[str, str] | None = None, cwd: Path | str | None = None,
            input: str | None = None) -> CliResult:
    """`drafter ARGS` in this process through click's CliRunner, with the same entry point as the console
    script (``drafter.cli.main``: its error messages and exit codes). A process start costs ~0.4 s of
    imports a test; keep real processes for the smoke tests (``run_process``). An exception escaping
    ``main`` is put into stderr as a traceback, as a real process would print it."""
    import os
    import sys
    import traceback

    import click
    from click.testing import CliRunner

    from drafter.cli import main

    @click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
    @click.argument("argv", nargs=-1, type=click.UNPROCESSED)
    def entry(argv: tuple[str, ...]) -> None:
        sys.argv = ["drafter", *argv]
        main()
        sys.exit(0)

    previous = Path.cwd()
    saved_argv = sys.argv
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(entry, [str(a) for a in args], env=env, input=input)
    finally:
        os.chdir(previous)
        sys.argv = saved_argv
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return CliResult(result.exit_code, result.stdout, stderr)


def run_process(*args: object, env: dict[str, str] | None = None, cwd: Path | str | None = None,
                input: str | None = None) -> CliResult:
    """`python -m drafter ARGS` as a real process (smoke tests: start-up, lazy imports, real streams)."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "drafter", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, input=input)
    return CliResult(done.returncode, done.stdout, done.stderr)
