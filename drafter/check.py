"""`check` as a library: run the registered rules over one document and apply safe fixes."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from drafter.edits import Edit, apply_edits, select_non_overlapping
from drafter.exceptions import UsageError
from drafter.findings import Finding, sort_findings
from drafter.rules import CheckContext, all_rules
from drafter.source import SourceText
from drafter.unit import UnitInfo


@dataclass
class CheckOptions:
    unit: UnitInfo | None = None
    year: int | None = None
    span: str | None = None
    facts: Any = None
    select: set[str] = field(default_factory=set)
    ignore: set[str] = field(default_factory=set)


def resolve_rule_ids(select: Iterable[str], ignore: Iterable[str]) -> list[str]:
    """The rule ids to run: the selected ones, else every default rule; unknown ids are a usage error that
    lists the known ones."""
    rules = all_rules()
    wanted, dropped = set(select), set(ignore)
    unknown = (wanted | dropped) - rules.keys()
    if unknown:
        raise UsageError(f"未知的规则：{'、'.join(sorted(unknown))}。可用的规则有：{'、'.join(rules)}")
    return [rid for rid, r in rules.items() if (rid in wanted or (not wanted and r.default)) and rid not in dropped]


def check_source(source: SourceText, options: CheckOptions) -> list[Finding]:
    ctx = CheckContext(source=source, unit=options.unit, year=options.year, span=options.span,
                       facts=options.facts)
    rules = all_rules()
    findings: list[Finding] = []
    for rid in resolve_rule_ids(options.select, options.ignore):
        rule = rules[rid]
        if rule.needs_facts and options.facts is None:
            continue
        findings.extend(rule.func(ctx))
    return sort_findings(dedupe(findings))


def dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def apply_safe_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, list[Finding]]:
    """Apply the safe fixes by ``drafter.edits``' rule, one edit per offset (fixes come from independent
    rules, so a second one at the same spot may repeat the first); returns (new text, applied)."""
    fixes = [f for f in findings if f.safe_fix and f.suggestion is not None]
    applied = select_non_overlapping(fixes, one_edit_per_offset=True)
    edits = [Edit(f.start, f.end, text[f.start : f.end], f.suggestion or "", f.rule) for f in applied]
    fixed, _ = apply_edits(text, edits, one_edit_per_offset=True)
    return fixed, applied
