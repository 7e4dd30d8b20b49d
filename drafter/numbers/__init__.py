"""Numbers as claims: find them in text (``extract_claims``) and trace them to the user's facts
(``match_claim_to_facts``). The check rules, the rewrite engine and the draft verifier all use this.
``binds(metric, text, start, end)`` is the one test of whether a fact's figure may stand at a number."""

from drafter.numbers.binding import binding_problem, binds
from drafter.numbers.claims import NumberClaim, extract_claims
from drafter.numbers.match import (
           ClaimMatch,
           FactIndex,
           MatchStatus,
           fact_index,
           match_claim_to_facts,
           match_claims,
)
from drafter.numbers.values import units_agree, value_supports

__all__ = [
           "ClaimMatch",
           "FactIndex",
           "MatchStatus",
           "NumberClaim",
           "binding_problem",
           "binds",
           "extract_claims",
           "fact_index",
           "match_claim_to_facts",
           "match_claims",
           "units_agree",
           "value_supports",
]
