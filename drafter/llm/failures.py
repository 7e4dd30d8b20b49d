"""What went wrong with an LLM call, in Chinese: what is wrong and what to do next.

Each builder returns the typed error from drafter.exceptions (timeout / connection / bad response, or a
plain LLMError for settings the user must fix) with ``kind`` (a stable English tag for callers) and
``partial`` (text received before it went wrong) attached. The key is masked in every message.
"""

from __future__ import annotations

import re
from typing import Any

from drafter import regexes
from drafter.exceptions import LLMBadResponseError, LLMConnectionError, LLMError, LLMTimeoutError
from drafter.llm.config import masked, shown_url

# OpenAI-style keys that may appear in a server's error text; masked before any message is built.
_KEY_PATTERN = regexes.compile(r"\b(sk|pk|key)-[A-Za-z0-9_\-]{8,}")
_CHECK = "请运行 drafter config test 检查设置"


def scrub(text: str, secret: str = "") -> str:
    """``text`` with the key (and anything shaped like one) masked."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, masked(secret))
    return shown_url(_KEY_PATTERN.sub(lambda m: masked(m.group(0)), text))


def _typed(cls: type[LLMError], message: str, secret: str, kind: str, partial: str = "") -> LLMError:
    err = cls(scrub(message, secret))
    err.kind = kind  # type: ignore[attr-defined]
    err.partial = partial  # type: ignore[attr-defined]
    return err


def bad_response(kind: str, *, base_url: str, model: str, secret: str, text: str = "", detail: str = "",
                 cap: int = 0) -> LLMError:
    got = f"已收到的 {len(text)} 字不完整，不予采用" if text else "没有收到任何正文"
    messages = {
        "html": f"这个地址返回的是网页，不是 OpenAI 兼容接口：请检查 base_url 是否以 /v1 结尾（当前 {base_url}），"
                "修改：drafter config set base_url <地址>。",
        "not_json": "大模型接口返回了无法解析的内容（不是 JSON）：接口地址可能不是 OpenAI 兼容接口（通常以 /v1 结尾），"
                    f"或中间的代理改写了应答。当前地址 {base_url}，{_CHECK}。",
        "no_choices": f"大模型接口的应答里没有任何候选回复（choices 为空）：模型名 {model} 可能不对，或服务端拒绝了请求。"
                      f"{_CHECK}，必要时 drafter config set model <模型名>。",
        "empty": f"大模型接口返回了空的应答（没有任何正文）：请检查 base_url 是否以 /v1 结尾（当前 {base_url}）、"
                 f"模型名 {model} 是否正确，{_CHECK}。",
        "blank": f"大模型正常结束了回复，但内容是空白（模型 {model}）：可以重试；如果一直如此，请换用其他模型。",
        "cut": f"大模型的流式应答中途断开，没有结束标志（{got}）：服务端或中间的代理中断了连接，请稍后再试。",
        "length": f"大模型的回复达到长度上限被截断（finish_reason=length，{got}）。",
        "too_long": f"大模型的回复超过 {cap} 字仍未结束，已中止，不予采用：模型可能陷入了重复。"
                    "请换用更听从指令的模型，或降低温度：drafter config set temperature 0.3。",
        "finish": f"大模型没有正常结束回复（finish_reason={detail}，{got}）：可能被服务端的内容审核拦截，请稍后再试或换用其他模型。",
        "server_error": f"大模型接口在应答中报错：{detail}。{_CHECK}。",
        "redirect": f"接口地址 {base_url} 把请求转到了别处（{detail or '未说明去向'}）：常见于把 https:// 写成了 http://。"
                    "请改用新的地址：drafter config set base_url <地址>（drafter 不会自动跟随转向，以免密钥被发到别处）。",
    }
    return _typed(LLMBadResponseError, messages[kind], secret, kind, text)


def timeout(kind: str, *, seconds: float, secret: str, text: str = "") -> LLMError:
    shown = f"{seconds:g}"
    messages = {
        "first": f"超时：大模型接口在 {shown} 秒内没有开始回复（没有收到任何内容）：服务可能卡住或过载，也可能是本地模型"
                 "在处理很长的提示词。请稍后再试；本地 CPU 模型较慢时可调大：drafter config set first_token_timeout 300，"
                 "或设置环境变量 DRAFTER_FIRST_TOKEN_TIMEOUT。",
        "between": f"超时：大模型的回复中途停顿超过 {shown} 秒（已收到 {len(text)} 字）：服务可能卡住了。请稍后再试；"
                   "模型很慢时可调大：drafter config set timeout 120，或设置环境变量 DRAFTER_TIMEOUT。",
        "deadline": f"超时：本节已生成 {shown} 秒仍未结束，超过了每节总时限（已收到 {len(text)} 字）。"
                    "如模型确实很慢，可调大：drafter config set deadline 1200，或设置环境变量 DRAFTER_DEADLINE"
                    "（设为 0 表示不限总时长，仍按静默超时判断）。",
        "connect": f"超时：{shown} 秒内连不上大模型接口。请检查网络和接口地址：drafter config show；"
                   "模型较慢时可调大：drafter config set timeout 120，或设置环境变量 DRAFTER_TIMEOUT。",
    }
    return _typed(LLMTimeoutError, messages[kind], secret, kind, text)


def transport_reason(err: BaseException) -> str:
    """Why a connection failed, in words a user can act on."""
    text = f"{err!r} {err}".upper()
    if "CERTIFICATE" in text or "SSL" in text:
        return "证书校验失败；如使用单位内部证书，可设置环境变量 SSL_CERT_FILE 指向证书文件"
    if "NAME OR SERVICE" in text or "NODENAME" in text or "GETADDRINFO" in text or "TEMPORARY FAILURE IN NAME" in text:
        return "域名解析失败，请检查地址拼写和网络"
    if "REFUSED" in text or "ERRNO 111" in text:
        return "连接被拒绝，服务可能没有启动"
    if "DISCONNECTED" in text or "REMOTEPROTOCOLERROR" in text:
        return "服务端没有应答就断开了连接"
    return type(err).__name__


def unreachable(*, base_url: str, retries: int, reason: str, secret: str) -> LLMError:
    return _typed(LLMConnectionError,
                  f"连接失败：无法连接大模型接口 {base_url}（{reason}，已自动重试 {retries} 次）。请检查网络和接口地址："
                  "drafter config show 查看，drafter config set base_url <地址> 修改，或设置环境变量 DRAFTER_BASE_URL；"
                  "本地模型服务请确认已经启动。", secret, "connect")


def unusable_address(*, base_url: str, reason: str, secret: str) -> LLMError:
    return _typed(LLMError, f"接口地址 {base_url} 无法使用（{reason}）：请检查 base_url 的拼写，"
                  "例如 https://api.deepseek.com/v1：drafter config set base_url <地址>。", secret, "address")


def _server_message(body: str) -> str:
    import json

    try:
        data: Any = json.loads(body)
    except ValueError:
        return body.strip()[:200]
    if isinstance(data, dict):
        inner = data.get("error", data)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)[:200]
    return body.strip()[:200]


def http_status(status: int, body: str, *, base_url: str, model: str, secret: str, retries: int) -> LLMError:
    """An HTTP error status after the retries (429 and 5xx are retried, the rest are not)."""
    retried = f"已自动重试 {retries} 次"
    if status in (401, 403):
        shown = masked(secret) if secret else "未设置"
        return _typed(LLMError, f"鉴权失败：大模型接口拒绝了 API 密钥（HTTP {status}，当前密钥 {shown}）。请检查密钥："
                      "drafter config set api_key <密钥>，或设置环境变量 DRAFTER_API_KEY。", secret, "auth")
    if status == 402:
        return _typed(LLMError, "大模型账户余额不足（HTTP 402）：请到服务商网站充值后再试。", secret, "payment")
    if status == 429:
        return _typed(LLMConnectionError, f"限流：大模型接口一直返回“请求过多”（HTTP 429，{retried}）。请稍后再试，或降低并发："
                      "drafter config set concurrency 1，或设置环境变量 DRAFTER_CONCURRENCY。", secret, "rate_limit")
    if status >= 500:
        return _typed(LLMConnectionError, f"服务端出错：大模型接口返回 HTTP {status}（{retried}）。"
                      "这是服务商一侧的问题，请稍后再试；本地模型服务请查看它的日志。", secret, "server")
    if status == 404:
        return _typed(LLMError, f"找不到模型或接口（HTTP 404）：请确认模型名 {model} 正确、接口地址 {base_url} 通常以 /v1 结尾。"
                      "修改：drafter config set model <模型名>，drafter config set base_url <地址>。", secret, "not_found")
    n_ctx = context_in_error(body)
    if n_ctx is not None:
        err = _typed(LLMError, f"输入超出了模型的上下文长度（{n_ctx} tokens）：请减少范文或事实，或换用上下文更长的模型；"
                     f"本地模型服务可在启动时调大上下文（如 llama.cpp 的 --n_ctx 8192），并运行 drafter config set n_ctx 8192。",
                     secret, "context")
        err.n_ctx = n_ctx  # type: ignore[attr-defined]
        return err
    return _typed(LLMError, f"大模型接口拒绝了请求（HTTP {status}：{_server_message(body)}）。常见原因：输入超出模型的上下文长度、"
                  "模型名有误。请检查 drafter config show 的设置。", secret, "rejected")


# "maximum context length is 2048 tokens" (OpenAI, llama-cpp-python), "context window of 2048" (llama.cpp),
# "exceeds the context size (4096)" / "n_ctx: 4096" (llama.cpp server, Ollama)
_CONTEXT_PATTERN = regexes.compile(r"(?:maximum context length is|context (?:window|length|size) (?:of|is)?|"
                              r"context size \(|n_ctx[\"']?\s*[:=])\s*(\d{3,8})", re.IGNORECASE)


def context_in_error(body: str) -> int | None:
    """The model's context size as a server's context-overflow error states it, if it does."""
    match = _CONTEXT_PATTERN.search(body or "")
    return int(match.group(1)) if match else None
