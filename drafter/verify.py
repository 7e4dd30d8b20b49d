"""Verify generated text with the same rules `drafter check --facts` runs: the gate every LLM output
passes before it may reach the user (rewrite's paragraphs, draft's sections)."""

from drafter.check import CheckOptions, check_source
from drafter.facts.model import Facts
from drafter.findings import Finding, Severity
from drafter.source import SourceText

# What makes generated text unacceptable. Style rules (punctuation, heading numbering) are left to the
# user's own `drafter check`; a paragraph is never thrown away over a half-width comma.
GATE_RULES = {"unsupported-number", "number-mismatch", "number-part", "number-period", "number-status",
              "number-qualifier", "number-unit", "unsupported-date", "unnamed-fact", "placeholder", "residue",
              "gap", "foreign-place", "unit-kind", "stale-year", "stale-term"}
# Warnings in `check` (the user's own text may be loose), but generated text must be exact: an invented
# date, a fact's figure in a sentence that does not say which fact, a qualifier or unit other than the
# fact's own, is an untraceable or reworded number too.
GATE_WARNINGS = {"unsupported-date", "unnamed-fact", "number-qualifier", "number-unit"}


def gate_rules() -> set[str]:
    """GATE_RULES, each checked to exist: a renamed or removed rule must break the gate, not vanish from it."""
    from drafter.rules import all_rules

    missing = GATE_RULES - set(all_rules())
    if missing:
        raise RuntimeError(f"verify.GATE_RULES names rules that do not exist: {sorted(missing)}")
    return set(GATE_RULES)


def verify_text(text: str, facts: Facts, rules: set[str] | None = None) -> list[Finding]:
    """Every finding the facts-aware check reports on ``text``."""
    options = CheckOptions(unit=facts.unit, year=facts.period.year, span=facts.period.span, facts=facts,
                           select=set(rules) if rules else set())
    return check_source(SourceText("<generated>", text), options)


def gate_findings(text: str, facts: Facts) -> list[Finding]:
    """The findings that reject a generated passage: errors of the gate rules, and its exactness warnings."""
    return [f for f in verify_text(text, facts, gate_rules()) if f.severity is Severity.ERROR or f.rule in GATE_WARNINGS]


def describe_findings(findings: list[Finding]) -> str:
    """Findings as a numbered Chinese list, fed back verbatim to the model in a repair round."""
    return "\n".join(f"{i}. “{f.text}”：{f.message}" + (f"（建议：{f.suggestion}）" if f.suggestion else "")
                     for i, f in enumerate(findings, 1))


def stated_facts(text: str, facts: Facts) -> set[str]:
    """Names of the metric facts ``text`` states (a claim the facts support, matched by its context)."""
    from drafter.numbers import MatchStatus, extract_claims, match_claims

    return {m.fact.name for m in match_claims([c for c in extract_claims(text) if c.is_metric], facts)
            if m.status is MatchStatus.SUPPORTED and m.via == "metric" and m.fact is not None}
