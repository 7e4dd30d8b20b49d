"""Choose the rewrite engine and verify its output with the same rules `drafter check --facts` runs."""

from typing import Any

from drafter.facts.model import Facts
from drafter.findings import Finding
from drafter.rewrite.engine import RewriteResult, rewrite_offline
from drafter.verify import verify_text


def rewrite_report(template: str, facts: Facts, *, engine: str | None = None, drop: bool = False,
                   progress: Any = None) -> RewriteResult:
    """``engine`` None means llm when an endpoint is configured, else offline."""
    if engine is None or engine == "llm":
        from drafter.llm.config import is_configured

        if engine == "llm" or is_configured():
            from drafter.rewrite.llm_engine import rewrite_llm

            return rewrite_llm(template, facts, drop=drop, progress=progress)
    return rewrite_offline(template, facts, drop=drop)


def verify_rewrite(text: str, facts: Facts) -> list[Finding]:
    return verify_text(text, facts)
