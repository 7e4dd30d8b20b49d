"""The rule registry: every check rule, in one place. Rule ids are a stable public interface.

Each rule lives in its own module and registers itself with ``@rule``; ``RULE_MODULES`` is the one list
of those modules. Number rules need facts and say so (``needs_facts``); they are skipped without them.
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from drafter.findings import Finding, Severity
from drafter.rules.context import CheckContext

RuleFunc = Callable[[CheckContext], Iterable[Finding]]

RULE_MODULES = (
    "invisible",
    "placeholder",
    "residue",
    "gap",
    "places",
    "unit_kind",
    "stale",
    "typo",
    "punctuation",
    "heading_sequence",
    "numbers",
    "todo",
    "date_line",
)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # one Chinese line for `drafter check --list-rules`
    func: RuleFunc
    needs_facts: bool = False
    default: bool = True  # runs unless --select names others; False: only when selected (the verify gate)


_REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, summary: str, *, needs_facts: bool = False, default: bool = True):
    def decorator(func: RuleFunc) -> RuleFunc:
        _REGISTRY[rule_id] = Rule(rule_id, severity, summary, func, needs_facts, default)
        return func

    return decorator


def all_rules() -> dict[str, Rule]:
    # Import every module, not only when the registry is empty: importing one rule module directly
    # (drafter.clean imports residue) registers that rule alone and must not hide the others.
    for name in RULE_MODULES:
        importlib.import_module(f"drafter.rules.{name}")
    return {rid: _REGISTRY[rid] for rid in sorted(_REGISTRY, key=_rule_order)}


def _rule_order(rule_id: str) -> int:
    """Registry order follows RULE_MODULES, whichever module happened to be imported first."""
    module = _REGISTRY[rule_id].func.__module__.rsplit(".", 1)[-1]
    return RULE_MODULES.index(module) if module in RULE_MODULES else len(RULE_MODULES)


__all__ = ["CheckContext", "Rule", "all_rules", "rule"]
