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
