"""The user's facts file: model, loading with line-numbered validation, template, extraction, saving."""

from drafter.facts.load import load_facts, parse_facts
from drafter.facts.model import Event, Facts, Metric, Period

__all__ = ["Event", "Facts", "Metric", "Period", "load_facts", "parse_facts"]
