"""Locate the project's data: ``corpus/`` (sample reports, lexicons) and ``prompts/``.

In a wheel they are packaged as ``drafter/_data/...``; in a source checkout or an editable install
they sit beside the package at the repository root.
"""

from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``name`` is ``"corpus"`` or ``"prompts"``."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"drafter 的数据目录 {name}/ 不存在：安装可能不完整，请重新安装 drafter")


def lexicon_path(name: str) -> Path:
    return data_dir("corpus") / "lexicons" / f"{name}.yaml"


@cache
def load_lexicon(name: str) -> Any:
    """A YAML lexicon from ``corpus/lexicons/``, parsed once per process."""
    import yaml

    with lexicon_path(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def prompt_path(name: str) -> Path:
    return data_dir("prompts") / name
