"""LLM endpoint settings: explicit options → environment → config file → key file → defaults.

Resolved lazily (only when a command needs the LLM), never at import time, so a broken config file
cannot stop `drafter check`. The API key lives apart from the other settings in ``keys.yaml`` with
0600 permissions (simonw/llm's habit), and is never shown whole: ``repr`` and ``config show`` mask it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from drafter import paths, regexes
from drafter.atomic import write_atomic
from drafter.exceptions import UsageError

# setting name → environment variables, first one set wins (DRAFTER_* beats the OpenAI-wide name)
ENV_VARS: dict[str, tuple[str, ...]] = {
    "base_url": ("DRAFTER_BASE_URL", "OPENAI_BASE_URL"),
    "api_key": ("DRAFTER_API_KEY", "OPENAI_API_KEY"),
    "model": ("DRAFTER_MODEL",),
    "temperature": ("DRAFTER_TEMPERATURE",),
    "timeout": ("DRAFTER_TIMEOUT",),
    "max_retries": ("DRAFTER_MAX_RETRIES",),
    "concurrency": ("DRAFTER_CONCURRENCY",),
    "streaming": ("DRAFTER_STREAMING",),
    "first_token_timeout": ("DRAFTER_FIRST_TOKEN_TIMEOUT",),
    "deadline": ("DRAFTER_DEADLINE",),
    "allow_insecure": ("DRAFTER_ALLOW_INSECURE",),
    "n_ctx": ("DRAFTER_N_CTX",),
}

# Chinese labels for `drafter config show`, in display order
LABELS: dict[str, str] = {
    "base_url": "接口地址",
    "api_key": "API 密钥",
    "model": "模型",
    "temperature": "温度",
    "timeout": "静默超时（秒）",
    "max_retries": "重试次数",
    "concurrency": "并发数",
    "streaming": "流式输出",
    "first_token_timeout": "首字超时（秒）",
    "deadline": "每节总时限（秒）",
    "allow_insecure": "允许明文发送密钥",
    "n_ctx": "上下文长度",
}

DEFAULT_SOURCE = "默认值"
SET_ORIGIN = "drafter config set"
_TRUE = {"1", "true", "yes", "on", "是", "开"}
_FALSE = {"0", "false", "no", "off", "否", "关"}


def masked(key: str | None) -> str:
    """``sk-…a1b2``: enough to tell two keys apart, never enough to use one."""
    if not key:
        return ""
    if len(key) < 12:  # too short to reveal any part safely
        return "…" + "*" * 4
    head = key[:3]
    return f"{head}…{key[-4:]}"


_URL_SECRETS = (
    (regexes.compile(r"(https?://)[^/@\s]+@"), r"\1***@"),  # user:password@host
    (regexes.compile(r"([?&](?:api[-_]?key|key|token|access_token|auth)=)[^&\s]+", re.IGNORECASE), r"\1***"),
)


def shown_url(text: str) -> str:
    """``text`` with credentials inside URLs (user:password@, ?api_key=) masked: fit to print."""
    for pattern, replacement in _URL_SECRETS:
        text = pattern.sub(replacement, text)
    return text


@dataclass
class LLMSettings:
    """Everything needed to reach one OpenAI-compatible endpoint."""

    base_url: str = ""
    api_key: str = field(default="", repr=False)
    model: str = ""
    temperature: float = 0.3
    timeout: float = 60.0
    max_retries: int = 3
    # Sections in flight at once: a report has up to 8 generated sections, so all go in one wave (a hosted
    # API takes them in parallel). A one-slot local server queues them, which costs nothing: queued time
    # does not count against first_token_timeout while another of our requests is answered
    # (drafter.llm.client), and 429s are retried with backoff. tests/bench/bench_slow_server.py: 8/8.
    concurrency: int = 8
    streaming: bool = False  # kept for old config files: answers are always streamed now
    # Silence before the first token: prompt processing on a CPU server (a 2,000-token prompt at ~30
    # tokens/s) takes about a minute; a server that accepts and never answers is given up here.
    first_token_timeout: float = 120.0
    # One section's generation time, from its first token, over all attempts: far above what a progressing
    # stream needs (1,500 tokens at 8 tokens/s = 190 s), so only a trickling, endless server hits it.
    deadline: float = 600.0
    allow_insecure: bool = False  # send the key over http:// to a non-loopback host
    n_ctx: int = 0  # the model's context size; 0 = ask the server (llama.cpp /props, /v1/models)
    # setting name → where its value came from (Chinese, for `config show`); not part of equality
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"LLMSettings(base_url={shown_url(self.base_url)!r}, api_key={masked(self.api_key)!r}, model={self.model!r}, "
                f"temperature={self.temperature}, timeout={self.timeout}, max_retries={self.max_retries}, "
                f"concurrency={self.concurrency}, streaming={self.streaming}, "
                f"first_token_timeout={self.first_token_timeout}, deadline={self.deadline}, "
                f"allow_insecure={self.allow_insecure}, n_ctx={self.n_ctx})")

    __str__ = __repr__

    def is_configured(self) -> bool:
        """Base URL and model known. A key may be empty: local servers (llama.cpp, Ollama) need none."""
        return bool(self.base_url and self.model)

    def public_dict(self) -> dict[str, Any]:
        """The settings with the key masked: the only form fit for logs, JSON output and saved sessions."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sources"}
        data["api_key"] = masked(self.api_key)
        data["base_url"] = shown_url(self.base_url)
        return data

    def require_configured(self) -> None:
        """Raise a Chinese error naming both ways to fix each missing setting."""
        missing = [name for name in ("base_url", "model") if not getattr(self, name)]
        if not missing:
            return
        examples = {"base_url": "https://api.deepseek.com/v1", "model": "deepseek-chat"}
        hints = "；".join(
            f"{LABELS[name]}：设置环境变量 {ENV_VARS[name][0]}，或运行 drafter config set {name} {examples[name]}"
            for name in missing
        )
        from drafter.exceptions import LLMError

        raise LLMError(f"尚未配置大模型（缺少{'、'.join(LABELS[n] for n in missing)}）。{hints}。"
                       "不配置大模型时，drafter 仍可离线工作。")


def is_configured(settings: LLMSettings | None = None) -> bool:
    return (settings or resolve_settings()).is_configured()


def key_path() -> Path:
    return paths.home() / "keys.yaml"


def check_name(name: str) -> None:
    if name not in ENV_VARS:
        raise UsageError(f"未知的设置项 {name}：可用的有 {', '.join(ENV_VARS)}。")


def parse_value(name: str, raw: Any, origin: str) -> Any:
    """Convert and check one setting; ``origin`` names where it came from so the error says what to fix."""
    check_name(name)
    text = str(raw).strip() if raw is not None else ""
    try:
        if name in ("base_url", "api_key", "model"):
            if name == "base_url" and text and not text.startswith(("http://", "https://")):
                raise ValueError("接口地址应以 http:// 或 https:// 开头，例如 https://api.deepseek.com/v1")
            if name == "base_url" and any(ch.isspace() for ch in text):
                raise ValueError("接口地址中间不能有空格")
            if name == "api_key" and (not text.isascii() or any(ch.isspace() or not ch.isprintable() for ch in text)):
                # an HTTP header cannot carry it; usually a character pasted along with the key
                raise ValueError("含有中文、空格或不可见字符，请重新复制密钥（只含英文字母、数字和符号）")
            return text.rstrip("/") if name == "base_url" else text
        if name in ("streaming", "allow_insecure"):
            if isinstance(raw, bool):
                return raw
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError("应为 true 或 false")
        if name in ("max_retries", "concurrency"):
            value = int(text)
            low = 0 if name == "max_retries" else 1
            if not low <= value <= 20:
                raise ValueError(f"应为 {low} 到 20 之间的整数")
            return value
        if name == "n_ctx":
            value = int(text)
            if not 0 <= value <= 10_000_000:
                raise ValueError("应为模型的上下文长度（tokens），例如 8192；0 表示向接口查询")
            return value
        value = float(text)
        if name == "temperature" and not 0 <= value <= 2:
            raise ValueError("应在 0 到 2 之间，起草公文建议 0.3")
        if name in ("timeout", "first_token_timeout") and not 0 < value <= 3600:
            raise ValueError("应为大于 0 的秒数，例如 60")
        if name == "deadline" and not 0 <= value <= 86400:
            raise ValueError("应为秒数，例如 600；0 表示不限总时长")
        return value
    except ValueError as err:
        reason = str(err) if any("\u4e00" <= ch <= "\u9fff" for ch in str(err)) else "格式不对"
        shown = masked(text) if name == "api_key" else text
        raise UsageError(f"{LABELS[name]}（{name}）的值“{shown}”{reason}。{_how_to_fix(name, origin)}") from None


def _how_to_fix(name: str, origin: str) -> str:
    fix_by_set = f"drafter config set {name} <正确的值>"
    if origin.startswith("环境变量"):
        return f"请修改或删除{origin}，或删除后改用 {fix_by_set}。"
    if origin.startswith(("配置文件", "密钥文件")):
        return f"该值来自{origin}：请运行 {fix_by_set} 改正。"
    if origin == SET_ORIGIN:
        return f"请重新运行 {fix_by_set}。"
    return f"请改正{origin}。"


def _read_yaml(path: Path, what: str) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        mark = getattr(err, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise UsageError(f"{what} {path} {where}无法读取：请修正或删除该文件，再用 drafter config set 重新设置。") from None
    if not isinstance(data, dict):
        raise UsageError(f"{what} {path} 应是“设置项: 值”的列表：请修正或删除该文件。")
    return data


def read_config_file() -> dict[str, Any]:
    return _read_yaml(paths.config_path(), "配置文件")


def read_key_file() -> dict[str, Any]:
    return _read_yaml(key_path(), "密钥文件")


def resolve_settings(options: Mapping[str, Any] | None = None,
                     environ: Mapping[str, str] | None = None) -> LLMSettings:
    """Effective settings. ``options`` are explicit values (command-line); ``None`` values are ignored."""
    environ = os.environ if environ is None else environ
    options = {k: v for k, v in (options or {}).items() if v is not None}
    for name in options:
        check_name(name)
    layers: list[tuple[str, Mapping[str, Any]]] = [("命令行选项", options)]
    for name, names in ENV_VARS.items():
        for var in names:
            if environ.get(var, "").strip():
                layers.append((f"环境变量 {var}", {name: environ[var]}))
                break
    layers.append((f"配置文件 {paths.config_path()}", read_config_file()))
    layers.append((f"密钥文件 {key_path()}", {k: v for k, v in read_key_file().items() if k == "api_key"}))
    settings = LLMSettings()
    for name in ENV_VARS:
        for origin, layer in layers:
            if name in layer and layer[name] is not None:
                setattr(settings, name, parse_value(name, layer[name], origin))
                settings.sources[name] = origin
                break
        else:
            settings.sources[name] = DEFAULT_SOURCE
    return settings


def _write_private(path: Path, text: str) -> None:
    write_atomic(path, text, private=True)


def _dump(data: dict[str, Any], header: str) -> str:
    import yaml

    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def save_setting(name: str, raw: Any) -> tuple[Path, Any]:
    """Persist one setting (validated first). ``api_key`` goes to the key file, everything else to the
    config file. Returns the file written and the parsed value."""
    value = parse_value(name, raw, SET_ORIGIN)
    if name == "api_key":
        keys = read_key_file()
        keys["api_key"] = value
        _write_private(key_path(), _dump(keys, "# drafter 的 API 密钥（仅本人可读）。用 drafter config set api_key 修改。\n"))
        # A key left in the config file would shadow the key file's: move it out.
        config = read_config_file()
        if "api_key" in config:
            del config["api_key"]
            _write_private(paths.config_path(), _dump(config, _CONFIG_HEADER))
        return key_path(), value
    config = read_config_file()
    config[name] = value
    _write_private(paths.config_path(), _dump(config, _CONFIG_HEADER))
    return paths.config_path(), value


def unset_setting(name: str) -> bool:
    """Remove a stored setting; True if there was one."""
    check_name(name)
    target, reader = (key_path(), read_key_file) if name == "api_key" else (paths.config_path(), read_config_file)
    data = reader()
    if name not in data:
        return False
    del data[name]
    header = _CONFIG_HEADER if target == paths.config_path() else ""
    _write_private(target, _dump(data, header))
    return True


def key_file_too_open() -> bool:
    """True when the key file is readable by others (e.g. copied by hand): `config show` warns."""
    path = key_path()
    return path.is_file() and bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


_CONFIG_HEADER = "# drafter 的大模型接口设置。用 drafter config set 修改，drafter config show 查看。\n"


# ---------------------------------------------------------------- plain http


def _is_loopback(host: str) -> bool:
    import ipaddress

    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sends_key_in_clear(settings: LLMSettings) -> bool:
    """A key would travel unencrypted over the network: http:// to a host other than this machine."""
    from urllib.parse import urlsplit

    parts = urlsplit(settings.base_url)
    return bool(settings.api_key) and parts.scheme == "http" and not _is_loopback(parts.hostname or "")


def insecure_warning(settings: LLMSettings) -> str | None:
    """The Chinese warning for a key sent over plain http (when allowed); None when the transport is safe.

    Raises LLMError when it is not allowed: the key is refused before any request leaves.
    """
    if not sends_key_in_clear(settings):
        return None
    from urllib.parse import urlsplit

    from drafter.exceptions import LLMError

    host = urlsplit(settings.base_url).hostname
    if not settings.allow_insecure:
        raise LLMError(f"接口地址 {shown_url(settings.base_url)} 使用未加密的 http://，API 密钥会以明文经网络发送到 {host}，"
                       "途中任何人都能截获。请改用 https:// 地址；如确认网络可信（例如单位内网），"
                       "加上 --allow-insecure，或运行 drafter config set allow_insecure true。")
    return (f"注意：接口地址 {shown_url(settings.base_url)} 使用未加密的 http://，API 密钥将以明文发送到 {host}"
            "（已用 --allow-insecure 或 allow_insecure 允许）。")


def allow_insecure_for_this_run() -> None:
    """The effect of a command's --allow-insecure option: every settings resolution in this process (the
    draft pipeline and rewrite resolve their own) sees allow_insecure, as if DRAFTER_ALLOW_INSECURE=1."""
    os.environ[ENV_VARS["allow_insecure"][0]] = "1"
