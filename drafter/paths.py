"""Where drafter keeps its state: config, corpus database, sessions.

Everything lives under ``DRAFTER_HOME`` (default ``~/.drafter``) so tests can isolate it with one
environment variable, as simonw/llm does with ``LLM_USER_PATH``.
"""

import os
from pathlib import Path


def home() -> Path:
    root = os.environ.get("DRAFTER_HOME")
    path = Path(root).expanduser() if root else Path.home() / ".drafter"
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_path() -> Path:
    return home() / "config.yaml"


def corpus_db_path() -> Path:
    env = os.environ.get("DRAFTER_CORPUS")
    return Path(env).expanduser() if env else home() / "corpus.sqlite3"


def sessions_dir() -> Path:
    path = home() / "sessions"
    path.mkdir(parents=True, exist_ok=True)
    return path
