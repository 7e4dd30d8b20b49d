"""Read a facts file (YAML, TOML or JSON) into ``Facts``, with errors that name the line and the field.

YAML line numbers come from the node tree (``yaml.compose`` marks); TOML and JSON parsers keep no
positions, so their lines are found by content (``drafter.facts.locate``). Every problem in the file is
reported at once, so the user can fix them in one pass.
"""

from pathlib import Path
from typing import Any

from drafter.atomic import note_input
from drafter.exceptions import FactsError
from drafter.facts.locate import Lines, content_lines
from drafter.facts.model import Facts
from drafter.facts.validate import build_facts

MAX_FACTS_BYTES = 2 * 1024 * 1024  # a facts file is a few KB; more is a wrong file
# A facts file has tens of values. Aliases (&a / *a) can make a small file expand to billions of them
# ("billion laughs") or refer to themselves: building stops at these bounds with a message.
MAX_NODES = 250_000  # a 2 MB file holds fewer values than this without aliases
MAX_REUSE = 1_000  # collections reached again through an alias
MAX_DEPTH = 30
# Characters no facts file means to hold: control characters (they make a .docx unwritable) and the
# zero-width / format characters copied from web pages (they split a name in two). Tab and newline stay.
_STRIP = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0),
                            0x00AD, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF]}


def load_facts(path: str | Path) -> Facts:
    """Parse and validate a facts file; raise ``FactsError`` (exit 2) with Chinese, line-numbered messages."""
    from drafter.readers import display_path

    p = Path(path)
    shown = display_path(path)
    try:
        exists, is_dir = p.exists(), p.is_dir()
    except OSError as err:
        raise FactsError(f"无法读取事实文件 {shown}：{err.strerror or err}。请检查路径是否正确。") from err
    if not exists:
        raise FactsError(f"找不到事实文件：{shown}。可以用 `drafter facts init -o 事实.yaml` 生成一个模板。")
    if is_dir:
        raise FactsError(f"{shown} 是一个文件夹。请指定事实文件（.yaml、.toml 或 .json）。")
    try:
        with p.open("rb") as fh:  # bounded: a pipe or a device has no size to check first
            raw = fh.read(MAX_FACTS_BYTES + 1)
    except OSError as err:
        raise FactsError(f"无法读取事实文件 {shown}：{err.strerror or err}。请检查文件权限。") from err
    if len(raw) > MAX_FACTS_BYTES:
        raise FactsError(f"{shown} 太大（超过 {MAX_FACTS_BYTES // 1024 // 1024} MB），不像事实文件。请确认选对了文件。")
    note_input(p)
    text = decode_facts(raw, shown)
    return parse_facts(text, shown, _format_of(p, text))


def decode_facts(raw: bytes, shown: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030; invisible and control characters dropped."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as err:
            raise FactsError(f"{shown} 是 UTF-16 编码，但已损坏（截断或含无效字符）。请另存为 UTF-8 编码后再试。") from err
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError as err:
                raise FactsError(f"无法识别 {shown} 的文字编码。请在记事本或 WPS 中另存为 UTF-8 编码后再试。") from err
    return text.replace("\r\n", "\n").translate(_STRIP)


def parse_facts(text: str, path: str = "事实文件", fmt: str = "yaml") -> Facts:
    """Parse facts from text in ``fmt`` ("yaml", "toml" or "json")."""
    if not text.strip():
        raise FactsError(f"{path} 是空的。可以用 `drafter facts init` 生成带说明的模板，再填入本单位的情况。")
    text = text.translate(_STRIP)
    try:
        if fmt == "json":
            data, lines = _parse_json(text, path)
        elif fmt == "toml":
            data, lines = _parse_toml(text, path)
        else:
            data, lines = _parse_yaml(text, path)
    except RecursionError as err:
        raise FactsError(f"{path} 的嵌套层次太深，不像事实文件。请对照 `drafter facts init` 生成的模板检查。") from err
    except ValueError as err:  # a 5,000-digit integer, an impossible date the parser itself rejects
        raise FactsError(f"{path} 中有无法读取的值（{err}）。请检查数字和日期的写法，如 value: 25、date: 2025-03-15。") from err
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
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FactsError(f"{path} 第 {err.lineno} 行：JSON 格式错误（{err.msg}）。"
                         "请检查逗号、引号和括号是否成对，最后一项后面不能有逗号。") from err
    return data, content_lines(text, data)


def _parse_toml(text: str, path: str) -> tuple[Any, Lines]:
    import tomllib  # 20 ms of imports a YAML file does not need

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # the message ends with "(at line N, column M)"
        msg = str(err)
        line = msg.rsplit("line ", 1)[-1].split(",")[0] if "line " in msg else "?"
        raise FactsError(f"{path} 第 {line} 行：TOML 格式错误（{msg}）。请检查引号、等号和方括号。") from err
    return data, content_lines(text, data)


def _parse_yaml(text: str, path: str) -> tuple[Any, Lines]:
    """Values and lines of a YAML facts file; a file parsed before comes from the user cache (importing
    PyYAML alone costs more than the rest of loading the facts)."""
    from drafter.resources import cached_parse

    return cached_parse("facts-yaml", [text.encode("utf-8", "surrogatepass")], lambda: _parse_yaml_text(text, path))


def _parse_yaml_text(text: str, path: str) -> tuple[Any, Lines]:
    import yaml

    # libyaml's parser, when PyYAML was built with it, composes the same nodes with the same marks ~10x
    # faster than the pure-Python one (~0.1 s of a `check --facts`); values are built by the same
    # constructor. Its error texts differ, though, so a file it rejects is read again by the pure-Python
    # parser, whose messages (and line numbers) are the ones users and tests know.
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return _compose_yaml(fast, text, path)
        except yaml.YAMLError:
            pass
    try:
        return _compose_yaml(yaml.SafeLoader, text, path)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else "?"
        raise FactsError(
            f"{path} 第 {line} 行：YAML 格式错误（{err.problem or err.context}）。"
            "常见原因：冒号后面缺空格、缩进没有对齐、用了 Tab 键缩进、引号或括号不成对。"
        ) from err
    except yaml.YAMLError as err:
        raise FactsError(f"{path}：YAML 格式错误（{err}）。请对照 `drafter facts init` 生成的模板检查。") from err


def _compose_yaml(loader_class: Any, text: str, path: str) -> tuple[Any, Lines]:
    """Values and their lines from one YAML document; YAML errors propagate, problems in it are FactsError."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FactsError(f"{path} 没有任何内容（只有注释）。请按模板填写 unit、period、metrics 等字段。")
        lines: Lines = {}
        data = _construct(loader, node, (), lines, path, [0, 0], set())
    finally:
        loader.dispose()
    return data, lines


def _construct(loader: Any, node: Any, where: tuple, lines: Lines, path: str, count: list[int],
               seen: set[int]) -> Any:
    """Build plain Python values from the node tree, recording each value's 1-based line by its path.

    ``count`` is [nodes built, collections reached again]: an alias is a reference to a node, so a file of
    a few lines can name billions of them ("billion laughs"), or itself; both stop here with a message.
    """
    import yaml

    count[0] += 1
    if isinstance(node, yaml.CollectionNode):
        if id(node) in seen:
            count[1] += 1
        seen.add(id(node))
    if count[0] > MAX_NODES or count[1] > MAX_REUSE or len(where) > MAX_DEPTH:
        raise FactsError(f"{path}：内容展开后过大或嵌套过深（多半是 YAML 锚点 & 和别名 * 互相引用）。"
                         "事实文件不需要锚点和别名：请把 & 和 * 去掉，直接写出每一项。")
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise FactsError(f"{path} 第 {key_node.start_mark.line + 1} 行：字段名不能是列表或表格。")
            key = _scalar(loader, key_node)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise FactsError(f"{path} 第 {key_node.start_mark.line + 1} 行：字段名不能是列表或表格。")
            if key in out:
                raise FactsError(
                    f"{path} 第 {key_node.start_mark.line + 1} 行：字段 {key} 重复出现"
                    f"（第 {lines[(*where, key)]} 行已经写过）。请删除或合并其中一个。"
                )
            out[key] = _construct(loader, value_node, (*where, key), lines, path, count, seen)
            lines[(*where, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*where, i), lines, path, count, seen) for i, item in enumerate(node.value)]
    return _scalar(loader, node)


def _scalar(loader: Any, node: Any) -> Any:
    """A scalar's value; one YAML resolves to a type it then cannot build (2025-13-45 as a timestamp, a
    5,000-digit integer) stays the text it is, for the validator to name."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        return str(node.value)
