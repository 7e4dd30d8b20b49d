"""What the endpoint says about itself: its model list and the model's context size (``n_ctx``).

Used by `drafter config test` (a wrong base_url or model name is named before any chat request) and by
generation, which sizes its prompt to the context (fewer exemplars for a small local model). Sources,
best first: the ``n_ctx`` setting; llama.cpp's ``GET /props`` (the context the server was started with);
the ``meta`` of ``GET /v1/models`` (llama.cpp: ``n_ctx_train``; vLLM: ``max_model_len``; others:
``context_length``), an upper bound only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from drafter.llm import failures
from drafter.llm.config import LLMSettings, insecure_warning
from drafter.llm.stream import looks_like_html

_PROBE_TIMEOUT = 10.0
_CONTEXT_KEYS = ("n_ctx", "max_model_len", "context_length", "context_window", "n_ctx_train")
_cache: dict[tuple[str, str], ServerInfo] = {}


@dataclass
class ServerInfo:
    models: list[str] | None = None  # ids from /v1/models; None when the server does not list them
    n_ctx: int | None = None
    n_ctx_source: str = ""  # Chinese: where n_ctx came from, for `config test`
    slots: int | None = None  # llama.cpp's parallel slots (requests it serves at once)
    notes: list[str] = field(default_factory=list)


def _context_in(data: Any) -> int | None:
    if not isinstance(data, dict):
        return None
    for key in _CONTEXT_KEYS:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _get(client: Any, url: str, settings: LLMSettings) -> tuple[int, str, str]:
    headers = {"Authorization": f"Bearer {settings.api_key or 'EMPTY'}"}
    response = client.get(url, headers=headers)
    return response.status_code, response.headers.get("content-type", ""), response.text[:256 * 1024]


def probe(settings: LLMSettings) -> ServerInfo:
    """Ask the endpoint for its models and context size. Raises the typed LLMError when the address is
    a web page or nothing listens there; a server without these routes just gives an empty ServerInfo."""
    from drafter.llm.client import _http, prewarm

    insecure_warning(settings)  # refuses before the key leaves, like every other request
    prewarm()  # the chat request that follows needs langchain_openai: import it while we probe
    httpx = _http()
    where = {"base_url": settings.base_url, "model": settings.model, "secret": settings.api_key}
    info = ServerInfo()
    base = settings.base_url.rstrip("/")
    with httpx.Client(timeout=min(_PROBE_TIMEOUT, settings.first_token_timeout)) as client:
        try:
            status, content_type, text = _get(client, base + "/models", settings)
        except httpx.TimeoutException:
            raise failures.timeout("connect", seconds=_PROBE_TIMEOUT, secret=settings.api_key) from None
        except httpx.TransportError as err:
            raise failures.unreachable(base_url=base, retries=0, reason=failures.transport_reason(err),
                                       secret=settings.api_key) from None
        if looks_like_html(content_type, text) and status < 500:
            raise failures.bad_response("html", **where)
        if status == 200:
            try:
                data = json.loads(text)
            except ValueError:
                raise failures.bad_response("not_json", **where) from None
            entries = data.get("data") if isinstance(data, dict) else None
            if isinstance(entries, list):
                info.models = [str(e.get("id")) for e in entries if isinstance(e, dict) and e.get("id")]
                for entry in entries:
                    if isinstance(entry, dict) and (entry.get("id") == settings.model or len(entries) == 1):
                        n_ctx = _context_in(entry) or _context_in(entry.get("meta"))
                        if n_ctx:
                            info.n_ctx, info.n_ctx_source = n_ctx, "接口的模型列表（/v1/models，训练时长度）"
        root = base[:-3] if base.endswith("/v1") else base
        try:
            status, content_type, text = _get(client, root + "/props", settings)
            props = json.loads(text) if status == 200 and "json" in content_type else None
        except (httpx.HTTPError, ValueError):
            props = None
        if isinstance(props, dict):
            n_ctx = _context_in(props.get("default_generation_settings")) or _context_in(props)
            if n_ctx:
                info.n_ctx, info.n_ctx_source = n_ctx, "llama.cpp 服务的 /props"
            slots = props.get("total_slots")
            info.slots = slots if isinstance(slots, int) and slots > 0 else None
    if settings.n_ctx:
        info.n_ctx, info.n_ctx_source = settings.n_ctx, "设置项 n_ctx"
    return info


def remember_context(base_url: str, model: str, n_ctx: int) -> None:
    """A context size learnt from a server's overflow error: context_size() answers it from now on."""
    info = _cache.setdefault((base_url.rstrip("/"), model), ServerInfo())
    info.n_ctx, info.n_ctx_source = n_ctx, "接口的上下文超长报错"


def context_size(settings: LLMSettings) -> int | None:
    """The model's context size in tokens, or None when neither the settings nor the server say.

    Asked of the server once per process and endpoint; never raises (a prompt can still be built
    without it), so call it freely before generating.
    """
    if settings.n_ctx:
        return settings.n_ctx
    key = (settings.base_url.rstrip("/"), settings.model)
    if key not in _cache:
        from drafter.exceptions import LLMError

        try:
            _cache[key] = probe(settings)
        except LLMError:
            _cache[key] = ServerInfo()
    return _cache[key].n_ctx
