"""The optional LLM backend: settings, chat calls, token budgets, prompt templates.

Importing this package is cheap; the LLM stack (langchain_openai, openai, tiktoken) is imported only
inside the functions that call it.
"""

from drafter.llm.client import Completion, acomplete, acomplete_all, complete, complete_all, make_chat_model
from drafter.llm.config import LLMSettings, is_configured, masked, resolve_settings
from drafter.llm.prompts import render_prompt
from drafter.llm.tokens import count_tokens, fit_to_budget

__all__ = [
    "Completion",
    "LLMSettings",
    "acomplete",
    "acomplete_all",
    "complete",
    "complete_all",
    "count_tokens",
    "fit_to_budget",
    "is_configured",
    "make_chat_model",
    "masked",
    "render_prompt",
    "resolve_settings",
]
