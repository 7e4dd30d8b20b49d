"""Choose the rewrite engine: llm when asked for or configured, else offline."""

from typing import Any

from drafter.facts.model import Facts
from drafter.rewrite.engine import RewriteResult, rewrite_offline


def rewrite_report(template: str, facts: Facts, *, engine: str | None = None, drop: bool = False,
                   progress: Any = None) -> RewriteResult:
    """``engine`` None means llm when an endpoint is configured, else offline."""
    if engine is None or engine == "llm":
        from drafter.llm.config import is_configured

        if engine == "llm" or is_configured():
            from drafter.rewrite.llm_engine import rewrite_llm

            return rewrite_llm(template, facts, drop=drop, progress=progress)
    return rewrite_offline(template, facts, drop=drop)

