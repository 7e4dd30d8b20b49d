"""`drafter config`: show the effective LLM settings, store them, and test the endpoint."""

from __future__ import annotations

import json
import time

import click
from rich.markup import escape

from drafter.llm.config import (
    DEFAULT_SOURCE,
    ENV_VARS,
    LABELS,
    LLMSettings,
    masked,
    resolve_settings,
    shown_url,
)

# The ping answer is one word; the cap stops a confused small model from writing until its context is full.
_PING_MAX_TOKENS = 32


def _shown(settings: LLMSettings, name: str) -> str:
    value = getattr(settings, name)
    if name == "api_key":
        return masked(value) or "未设置（本地模型服务可不设）"
    if name == "streaming":
        return "始终开启（此项已不起作用）"
    if name == "deadline" and not value:
        return "不限"
    if name == "n_ctx" and not value:
        return "向接口查询"
    if value in ("", None):
        return "未设置"
    if name == "base_url":
        return shown_url(value)
    if isinstance(value, bool):
        return "开" if value else "关"
    return str(value)


@click.group(invoke_without_command=True)
@click.pass_context
def config(ctx: click.Context) -> None:
    """大模型接口设置：查看（默认）、修改、测试连接。

    \b
    设置的优先级：命令行选项 > 环境变量 > 配置文件 > 默认值。
    环境变量：DRAFTER_BASE_URL（或 OPENAI_BASE_URL）、DRAFTER_API_KEY（或 OPENAI_API_KEY）、
    DRAFTER_MODEL、DRAFTER_TEMPERATURE、DRAFTER_TIMEOUT、DRAFTER_MAX_RETRIES、DRAFTER_CONCURRENCY、
    DRAFTER_STREAMING、DRAFTER_FIRST_TOKEN_TIMEOUT、DRAFTER_DEADLINE、DRAFTER_ALLOW_INSECURE、DRAFTER_N_CTX。

    \b
    时限（回复总是流式接收，只有“没有动静”才算超时，慢速的本地模型无需调整）：
      first_token_timeout  等待模型开始回复的秒数（默认 120；服务正在回复本次的其他节时不计时）
      timeout              回复中途停顿的秒数（默认 60）
      deadline             每节生成的总时限，从第一个字起算（默认 600；0 为不限）
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(config_show)


@config.command("show")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式")
def config_show(fmt: str) -> None:
    """显示当前生效的设置及其来源（密钥只显示首尾几位）。"""
    from drafter.cli.console import console
    from drafter.llm.config import key_file_too_open, key_path

    settings = resolve_settings()
    if fmt == "json":
        data = {"settings": settings.public_dict(), "sources": settings.sources,
                "configured": settings.is_configured()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title="大模型接口设置", show_lines=False)
    table.add_column("设置项")
    table.add_column("当前值")
    table.add_column("来源")
    for name, label in LABELS.items():
        source = settings.sources.get(name, DEFAULT_SOURCE)
        table.add_row(f"{label}（{name}）", escape(_shown(settings, name)), escape(source))
    console.print(table)
    if settings.is_configured():
        console.print("已配置。运行 [bold]drafter config test[/] 测试连接。")
    else:
        console.print("尚未配置大模型：drafter 将离线工作。如需使用大模型，例如：\n"
                      "  drafter config set base_url https://api.deepseek.com/v1\n"
                      "  drafter config set model deepseek-chat\n"
                      "  drafter config set api_key <您的密钥>\n"
                      f"也可用环境变量 {ENV_VARS['base_url'][0]}、{ENV_VARS['model'][0]}、{ENV_VARS['api_key'][0]}。")
    if key_file_too_open():
        console.print("[yellow]注意：[/]" + escape(f"密钥文件 {key_path()} 其他用户也能读取，请运行 chmod 600 {key_path()}。"))


@config.command("set")
@click.argument("key", metavar="设置项")
@click.argument("value", metavar="值")
def config_set(key: str, value: str) -> None:
    """保存一项设置。api_key 存入仅本人可读的密钥文件，其余存入配置文件。

    \b
    例：drafter config set base_url https://api.deepseek.com/v1
        drafter config set model deepseek-chat
        drafter config set api_key sk-...
    """
    from drafter.cli.console import console
    from drafter.llm.config import save_setting

    path, parsed = save_setting(key, value)
    shown = masked(parsed) if key == "api_key" else parsed
    console.print(escape(f"已保存 {LABELS[key]}（{key}）= {shown} 到 {path}"))
    env = next((var for var in ENV_VARS[key] if _env_set(var)), None)
    if env:
        console.print(f"[yellow]注意：[/]环境变量 {env} 已设置，它优先于配置文件；如需使用刚保存的值，请删除该环境变量。")


def _env_set(var: str) -> bool:
    import os

    return bool(os.environ.get(var, "").strip())


@config.command("unset")
@click.argument("key", metavar="设置项")
def config_unset(key: str) -> None:
    """删除一项已保存的设置，恢复默认值（环境变量不受影响）。"""
    from drafter.cli.console import console
    from drafter.llm.config import unset_setting

    if unset_setting(key):
        console.print(f"已删除已保存的 {LABELS[key]}（{key}）。")
    else:
        console.print(f"{LABELS[key]}（{key}）本来就没有保存在配置文件中。")


@config.command("test")
@click.option("--model", "model_name", metavar="NAME", help="临时使用另一个模型名测试（不保存）")
@click.option("--allow-insecure", is_flag=True, help="允许经未加密的 http:// 把密钥发送到本机以外的地址")
def config_test(model_name: str | None, allow_insecure: bool) -> None:
    """检查接口地址和模型名，发送一条简短的测试提示词，显示耗时、模型回复、用量和上下文长度。

    失败时用中文说明原因（地址是网页、连不上、模型名不对、超时……），退出码 2。
    """
    from drafter.cli.console import console, error_console
    from drafter.exceptions import LLMBadResponseError, LLMError
    from drafter.llm.client import complete, make_chat_model
    from drafter.llm.config import insecure_warning
    from drafter.llm.prompts import render_prompt
    from drafter.llm.server import probe

    settings = resolve_settings({"model": model_name, "allow_insecure": True if allow_insecure else None})
    settings.require_configured()
    warning = insecure_warning(settings)  # refuses, in Chinese, before the key leaves
    if warning:
        error_console.print("[yellow]" + escape(warning) + "[/]")
    word = "收到"
    console.print(escape(f"正在测试 {shown_url(settings.base_url)}（模型 {settings.model}，"
                         f"密钥 {masked(settings.api_key) or '未设置'}）……"))
    info = probe(settings)
    unknown_model = bool(info.models) and settings.model not in (info.models or [])
    listed = "、".join((info.models or [])[:8])
    model = make_chat_model(settings, max_tokens=_PING_MAX_TOKENS, warn=False)
    started = time.monotonic()
    first: list[float] = []
    truncated = False
    try:
        result = complete(model, render_prompt("ping", word=word),
                          on_progress=lambda n: first or first.append(time.monotonic() - started))
        text, prompt_tokens, completion_tokens = result.text, result.prompt_tokens, result.completion_tokens
    except LLMBadResponseError as err:
        if getattr(err, "kind", "") != "length":
            raise _with_model_hint(err, unknown_model, settings.model, listed) from None
        truncated, text, prompt_tokens, completion_tokens = True, getattr(err, "partial", ""), None, None
    except LLMError as err:
        raise _with_model_hint(err, unknown_model, settings.model, listed) from None
    elapsed = time.monotonic() - started
    console.print(f"[green]连接成功[/]，耗时 {elapsed:.2f} 秒" + (f"（首字 {first[0]:.2f} 秒）" if first else "") + "。")
    console.print(escape(f"模型回复：{text.strip() or '（空）'}"))
    used = "、".join(f"{label} {n}" for label, n in (("提示", prompt_tokens), ("回复", completion_tokens))
                    if n is not None)
    console.print(f"用量：{used or '接口未返回'}（tokens）")
    if info.n_ctx:
        console.print(escape(f"模型上下文长度：{info.n_ctx} tokens（来自{info.n_ctx_source}）"))
    else:
        console.print("模型上下文长度：接口未提供；如已知，可运行 drafter config set n_ctx 8192 告诉 drafter。")
    if unknown_model:
        console.print("[yellow]注意：[/]" + escape(f"模型名 {settings.model} 不在接口提供的模型列表中（可用：{listed}）；"
                                                 "本地服务常会忽略模型名，托管服务请改为列表中的名称："
                                                 "drafter config set model <模型名>。"))
    if truncated:
        console.print("[yellow]注意：[/]回复因长度上限被截断（finish_reason=length）：模型没有简短作答，起草时请留意输出质量。")
    if word not in text:
        console.print(f"[yellow]注意：[/]模型没有按要求原样回复“{word}”，它可能不太听从中文指令；起草时请留意输出质量。")


def _with_model_hint(err: Exception, unknown_model: bool, model: str, listed: str) -> Exception:
    """A failed ping whose model is not in the server's list: say so, it is the likely cause."""
    if not unknown_model:
        return err
    from drafter.exceptions import LLMError

    hinted = type(err)(f"{err} 另外，模型名 {model} 不在接口提供的模型列表中（可用：{listed}），"
                       "这很可能就是原因：drafter config set model <模型名>。")
    for attr in ("kind", "partial"):
        if hasattr(err, attr):
            setattr(hinted, attr, getattr(err, attr))
    return hinted if isinstance(hinted, LLMError) else err
