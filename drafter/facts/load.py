"""Read a facts file (YAML, TOML or JSON) into ``Facts``, with errors that name the line and the field.

YAML line numbers come from the node tree (``yaml.compose`` marks); TOML and JSON parsers keep no
positions, so their lines are found by content (``drafter.facts.locate``). Every problem in the file is
reported at once, so the user can fix them in one pass.
"""

import json
import tomllib
from pathlib import Path
from typing import Any

from drafter.exceptions import FactsError
from drafter.facts.locate import Lines, content_lines
from drafter.facts.model import Facts
from drafter.facts.validate import build_facts

MAX_FACTS_BYTES = 2 * 1024 * 1024  # a facts file is a few KB; more is a wrong file


def load_facts(path: str | Path) -> Facts:
    """Parse and validate a facts file; raise ``FactsError`` (exit 2) with Chinese, line-numbered messages."""
    p = Path(path)
    if not p.exists():
        raise FactsError(f"找不到事实文件：{path}。可以用 `drafter facts init -o 事实.yaml` 生成一个模板。")
    if p.is_dir():
        raise FactsError(f"{path} 是一个文件夹。请指定事实文件（.yaml、.toml 或 .json）。")
    if p.stat().st_size > MAX_FACTS_BYTES:
        raise FactsError(f"{path} 太大，不像事实文件。请确认选对了文件。")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as err:
            raise FactsError(f"无法识别 {path} 的文字编码。请在记事本或 WPS 中另存为 UTF-8 编码后再试。") from err
    text = text.replace("\r\n", "\n")
    return parse_facts(text, str(path), _format_of(p, text))


def parse_facts(text: str, path: str = "事实文件", fmt: str = "yaml") -> Facts:
    """Parse facts from text in ``fmt`` ("yaml", "toml" or "json")."""
    if not text.strip():
        raise FactsError(f"{path} 是空的。可以用 `drafter facts init` 生成带说明的模板，再填入本单位的情况。")
    if fmt == "json":
        data, lines = _parse_json(text, path)
    elif fmt == "toml":
        data, lines = _parse_toml(text, path)
    else:
        data, lines = _parse_yaml(text, path)
    facts = build_facts(data, lines, path)
    facts.path = path
    return facts


def _format_of(p: Path, text: str) -> str:
    suffix = p.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".toml":
        return "toml"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "json" if text.lstrip().startswith("{") else "yaml"


def _parse_json(text: str, path: str) -> tuple[Any, Lines]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FactsError(f"{path} 第 {err.lineno} 行：JSON 格式错误（{err.msg}）。"
                         "请检查逗号、引号和括号是否成对，最后一项后面不能有逗号。") from err
    return data, content_lines(text, data)


def _parse_toml(text: str, path: str) -> tuple[Any, Lines]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # the message ends with "(at line N, column M)"
        msg = str(err)
        line = msg.rsplit("line ", 1)[-1].split(",")[0] if "line " in msg else "?"
        raise FactsError(f"{path} 第 {line} 行：TOML 格式错误（{msg}）。请检查引号、等号和方括号。") from err
    return data, content_lines(text, data)


def _parse_yaml(text: str, path: str) -> tuple[Any, Lines]:
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FactsError(f"{path} 没有任何内容（只有注释）。请按模板填写 unit、period、metrics 等字段。")
        lines: Lines = {}
        data = _construct(loader, node, (), lines, path)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else "?"
        raise FactsError(
            f"{path} 第 {line} 行：YAML 格式错误（{err.problem or err.context}）。"
            "常见原因：冒号后面缺空格、缩进没有对齐、用了 Tab 键缩进、引号或括号不成对。"
        ) from err
    except yaml.YAMLError as err:
        raise FactsError(f"{path}：YAML 格式错误（{err}）。请对照 `drafter facts init` 生成的模板检查。") from err
    finally:
        loader.dispose()
    return data, lines


def _construct(loader: Any, node: Any, where: tuple, lines: Lines, path: str) -> Any:
    """Build plain Python values from the node tree, recording each value's 1-based line by its path."""
    import yaml

    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise FactsError(f"{path} 第 {key_node.start_mark.line + 1} 行：字段名不能是列表或表格。")
            if key in out:
                raise FactsError(
                    f"{path} 第 {key_node.start_mark.line + 1} 行：字段 {key} 重复出现"
                    f"（第 {lines[(*where, key)]} 行已经写过）。请删除或合并其中一个。"
                )
            out[key] = _construct(loader, value_node, (*where, key), lines, path)
            lines[(*where, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*where, i), lines, path) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
