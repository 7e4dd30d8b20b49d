"""Prompt templates: files in ``prompts/``, one per step, never built by string concatenation in code.

Format (see prompts/README.md)::

    # 说明：任意多行以 # 开头的说明
    # 变量: unit, year
    ### system
    你是{unit}的宣传干事……
    ### user
    请写{year}年的……

The header (``#`` lines before the first section) declares the variables; ``### system`` (optional)
and ``### user`` start the two messages; ``### example_user`` and ``### example_assistant`` (optional,
together) are a worked exchange sent between them — a small model copies the shape of an answer it
was shown far more reliably than it follows a rule; ``{name}`` is replaced, ``{{`` and ``}}`` are literal braces.
Declared, used and supplied variables must be the same set, so a renamed variable fails loudly in
tests instead of silently sending ``{unit}`` to the model.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache

from drafter import regexes
from drafter.exceptions import DrafterError
from drafter.resources import prompt_path

_VARS_LINE = regexes.compile(r"^#\s*变量\s*[:：]\s*(.*)$")
_SECTION = regexes.compile(r"^###\s*(system|example_user|example_assistant|user)\s*$", re.IGNORECASE)
_NAME = regexes.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NONE = {"", "无", "none"}

Messages = list[tuple[str, str]]  # [("system", text), ("user", text)]: what ChatOpenAI accepts
_ORDER = (("system", "system"), ("example_user", "user"), ("example_assistant", "assistant"), ("user", "user"))


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    variables: frozenset[str]
    system: str
    user: str
    description: str = ""
    example_user: str = ""
    example_assistant: str = ""

    def render(self, *, examples: bool = True, **values: object) -> Messages:
        """Fill the template; the supplied names must be exactly the declared ones. ``examples=False``
        leaves the worked example out (a repair round: a small model asked to fix its answer copies
        the example's instead)."""
        supplied = set(values)
        missing, extra = self.variables - supplied, supplied - self.variables
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"缺少变量 {', '.join(sorted(missing))}")
            if extra:
                parts.append(f"多出未声明的变量 {', '.join(sorted(extra))}")
            raise DrafterError(f"提示词 {self.name}：{'；'.join(parts)}。这是 drafter 的程序错误，请报告给维护者。")
        text = {k: str(v) for k, v in values.items()}
        messages: Messages = []
        for part, role in _ORDER:
            body = getattr(self, part)
            if body and (examples or not part.startswith("example_")):
                messages.append((role, body.format_map(text)))
        return messages


def _fields(name: str, body: str) -> set[str]:
    """Placeholders used in ``body``; only plain ``{name}``, no attribute access or format specs."""
    used = set()
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError as err:
        raise DrafterError(f"提示词 {name} 的花括号不成对（{err}）：字面的花括号请写成 {{{{ 和 }}}}。") from None
    for _, field, spec, conv in parsed:
        if field is None:
            continue
        if not _NAME.match(field) or spec or conv:
            raise DrafterError(f"提示词 {name} 中的占位符 {{{field}}} 不合规：只允许 {{变量名}}（字母、数字、下划线）。")
        used.add(field)
    return used


def parse_prompt(name: str, text: str) -> PromptTemplate:
    """Parse a template's text; errors name the file and say how to fix it."""
    lines = text.replace("\r\n", "\n").split("\n")
    declared: set[str] | None = None
    description: list[str] = []
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        header = _SECTION.match(line.strip())
        if header:
            current = header.group(1).lower()
            if current in sections:
                raise DrafterError(f"提示词 {name} 有两个 ### {current} 段：每种只能有一个。")
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
        elif (match := _VARS_LINE.match(line.strip())) is not None:
            items = [v.strip() for v in re.split(r"[,，、\s]+", match.group(1)) if v.strip()]
            declared = set() if len(items) == 1 and items[0].lower() in _NONE else set(items)
            bad = [v for v in declared if not _NAME.match(v)]
            if bad:
                raise DrafterError(f"提示词 {name} 声明的变量名 {', '.join(bad)} 不合规：只能用字母、数字和下划线。")
        elif line.startswith("#"):
            description.append(line.lstrip("#").strip())
        elif line.strip():
            raise DrafterError(f"提示词 {name} 在第一个 ### 段之前有正文：说明行请以 # 开头。")
    if declared is None:
        raise DrafterError(f"提示词 {name} 缺少变量声明：请在开头加一行“# 变量: 名称1, 名称2”（没有变量写“# 变量: 无”）。")
    if "user" not in sections:
        raise DrafterError(f"提示词 {name} 缺少 ### user 段。")
    if ("example_user" in sections) != ("example_assistant" in sections):
        raise DrafterError(f"提示词 {name}：### example_user 和 ### example_assistant 要成对出现。")
    body = {part: "\n".join(sections.get(part, [])).strip("\n") for part, _ in _ORDER}
    system, user = body["system"], body["user"]
    used = set().union(*(_fields(name, text) for text in body.values()))
    if used != declared:
        parts = []
        if used - declared:
            parts.append(f"正文用了未声明的变量 {', '.join(sorted(used - declared))}")
        if declared - used:
            parts.append(f"声明了正文没有用到的变量 {', '.join(sorted(declared - used))}")
        raise DrafterError(f"提示词 {name}：{'；'.join(parts)}。请让“# 变量:”一行与正文一致。")
    return PromptTemplate(name, frozenset(declared), system, user, "\n".join(d for d in description if d),
                          body["example_user"], body["example_assistant"])


@cache
def load_prompt(name: str) -> PromptTemplate:
    """``prompts/<name>.md``, parsed once per process."""
    file_name = name if name.endswith(".md") else f"{name}.md"
    path = prompt_path(file_name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DrafterError(f"找不到提示词文件 {path}：安装可能不完整，请重新安装 drafter。") from None
    return parse_prompt(file_name.removesuffix(".md"), text)


def render_prompt(name: str, **values: object) -> Messages:
    """Messages for ``prompts/<name>.md`` filled with ``values`` (exactly its declared variables)."""
    return load_prompt(name).render(**values)
