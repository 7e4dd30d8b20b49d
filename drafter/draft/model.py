"""The data the drafting stages pass along, one way: Plan → SectionDraft → DraftResult."""

from dataclasses import dataclass, field

from drafter.facts.model import Metric

DEFAULT_TYPE = "意识形态工作总结"


@dataclass
class DraftOptions:
    report_type: str = DEFAULT_TYPE
    engine: str | None = None  # None: llm when configured, else offline
    resume: bool = False
    session_key: str | None = None  # where progress is saved (derived from the output path)
    max_repairs: int = 2
    exemplars_per_section: int = 8
    exemplar_token_budget: int = 1200
    # "adopt": a figure the model wrote that equals a fact and names it becomes that fact's reference;
    # "strict": every figure must come as a reference 〔n〕 (drafter.references).
    ref_mode: str = "adopt"


@dataclass
class PlannedSection:
    topic: str
    heading: str  # without its 一、 marker
    metrics: list[Metric] = field(default_factory=list)
    free_items: list[str] = field(default_factory=list)  # problems / plans / highlights for this section
    qualitative: bool = False  # no facts: a short paragraph without numbers


@dataclass
class Plan:
    title: str
    report_type: str
    sections: list[PlannedSection] = field(default_factory=list)


@dataclass
class SectionDraft:
    index: int
    heading: str
    body: str  # paragraphs joined by "\n"; may contain （一） subsection headings
    engine: str  # "llm" | "offline" | "llm-repaired" | "offline-fallback"
    repairs: int = 0
    findings: list[str] = field(default_factory=list)  # what the last failed verification said
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    # Why an LLM section fell back: "timeout" | "network" | "bad-response" | "verification" (drafter.generate).
    fallback_reason: str = ""
    seconds: float = 0.0
    attempts: list[dict] = field(default_factory=list)  # each answer with its findings (drafter.generate.Attempt)


TRANSPORT_FAILURES = ("timeout", "network", "bad-response")


@dataclass
class DraftResult:
    text: str
    plan: Plan
    sections: list[SectionDraft] = field(default_factory=list)
    used_facts: set[str] = field(default_factory=set)
    unused_facts: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the user should know about how it was drafted

    @property
    def llm_unreachable(self) -> bool:
        """Every section meant for the model fell back because the model could not be reached or read:
        the draft is offline text, and the user must be told so."""
        meant = [s for s in self.sections if s.engine != "offline"]
        return bool(meant) and all(s.engine == "offline-fallback" and s.fallback_reason in TRANSPORT_FAILURES
                                   for s in meant)

    @property
    def calls(self) -> int:
        return sum(s.calls for s in self.sections)

    @property
    def prompt_tokens(self) -> int:
        return sum(s.prompt_tokens for s in self.sections)

    @property
    def completion_tokens(self) -> int:
        return sum(s.completion_tokens for s in self.sections)
