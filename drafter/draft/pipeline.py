"""The drafting pipeline: plan → retrieve → generate → verify → repair → assemble.

Generation is allowed to be wrong only because verification and repair catch it: a section the model
gets wrong is sent back with its findings (at most ``max_repairs`` times), then written by the offline
engine. An unverified number is never emitted. Sections run concurrently; each is saved as it arrives.
"""

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from drafter.draft.assemble import assemble
from drafter.draft.model import DraftOptions, DraftResult, Plan, PlannedSection, SectionDraft
from drafter.draft.offline import compose_section
from drafter.draft.plan import plan_report
from drafter.draft.session import DraftSession
from drafter.facts.model import Facts
from drafter.verify import describe_findings, gate_findings, stated_facts

OnSection = Callable[[SectionDraft], None]
# Some local servers ignore max_completion_tokens and would write until the context is full.
SECTION_MAX_TOKENS = 1500


def retrieve_exemplars(section: PlannedSection, plan: Plan, k: int, store=None) -> list[str]:
    """Passages of the section's topic, best first (the corpus's BM25 over jieba tokens), each after its
    report's title line: the title tells the rewrite engine whose unit and year the passage speaks of."""
    from drafter.corpus.retriever import search
    from drafter.corpus.topics import role_of

    query = f"{section.heading} {' '.join(m.name for m in section.metrics)}"
    # An achievements section learns from achievements; problems and plans from their own kind.
    role = role_of(section.topic)
    hits = search(query, topic=section.topic, k=k, store=store, role=role)
    if not hits:
        hits = search(query, k=k, store=store, role=role)
    return [f"{h.report_title}\n{h.text}" for h in hits if h.text.strip()]


def draft_report(facts: Facts, options: DraftOptions, *, session: DraftSession | None = None,
                 on_section: OnSection | None = None, model: Any = None, store=None) -> DraftResult:
    if model is None and use_llm(options.engine):
        from drafter.llm.client import prewarm

        prewarm()  # langchain_openai's ~2 s import overlaps planning and retrieval
    plan = plan_report(facts, options.report_type, store=store)
    exemplars = {i: retrieve_exemplars(s, plan, options.exemplars_per_section, store)
                 for i, s in enumerate(plan.sections)}
    done: dict[int, SectionDraft] = dict(session.sections) if session else {}
    todo = [i for i in range(len(plan.sections)) if i not in done]

    def finished(draft: SectionDraft) -> None:
        done[draft.index] = draft
        if session is not None:
            session.save(draft)
        if on_section is not None:
            on_section(draft)

    for i in sorted(done):
        if on_section is not None:
            on_section(done[i])
    if use_llm(options.engine):
        asyncio.run(_draft_llm(plan, facts, exemplars, todo, options, finished, model))
    else:
        for i in todo:
            finished(offline_section(i, plan.sections[i], exemplars[i], facts))
    sections = [done[i] for i in range(len(plan.sections))]
    text = assemble(plan, sections, facts)
    used = stated_facts(text, facts)
    result = DraftResult(text=text, plan=plan, sections=sections, used_facts=used,
                         unused_facts=[m.name for m in facts.metrics if m.name not in used])
    if session is not None:
        session.finish()
    return result


def use_llm(engine: str | None) -> bool:
    if engine == "offline":
        return False
    if engine == "llm":
        return True
    from drafter.llm.config import is_configured

    return is_configured()


def offline_section(index: int, section: PlannedSection, exemplars: list[str], facts: Facts,
                    engine: str = "offline", findings: list[str] | None = None, **usage: int) -> SectionDraft:
    return SectionDraft(index, section.heading, compose_section(section, exemplars, facts), engine,
                        findings=findings or [], **usage)


async def _draft_llm(plan: Plan, facts: Facts, exemplars: dict[int, list[str]], todo: list[int],
                     options: DraftOptions, finished: Callable[[SectionDraft], None], model: Any) -> None:
    from drafter.llm.client import make_chat_model
    from drafter.llm.config import resolve_settings

    settings = resolve_settings()
    model = model or make_chat_model(settings, max_tokens=SECTION_MAX_TOKENS)
    gate = asyncio.Semaphore(max(1, settings.concurrency))

    async def one(i: int) -> None:
        async with gate:
            draft = await _llm_section(i, plan, facts, exemplars[i], options, model)
        finished(draft)

    await asyncio.gather(*(one(i) for i in todo))


async def _llm_section(i: int, plan: Plan, facts: Facts, exemplars: list[str], options: DraftOptions,
                       model: Any) -> SectionDraft:
    from drafter.exceptions import LLMError
    from drafter.llm.client import acomplete
    from drafter.llm.facts_text import facts_list
    from drafter.llm.prompts import render_prompt
    from drafter.llm.tokens import fit_to_budget

    section = plan.sections[i]
    if section.topic in ("存在问题", "下一步计划"):
        return offline_section(i, section, exemplars, facts)  # the user's own words; nothing to generate
    unit = facts.unit
    listed = facts_list(facts, section.metrics) if section.metrics else "（本节没有数字事实，不要写任何数字）"
    passages = fit_to_budget(exemplars, options.exemplar_token_budget)
    messages = render_prompt(
        "draft_section", unit=unit.name if unit else "本单位", county=unit.county if unit and unit.county else "本县",
        year=facts.period.year or "", span=facts.period.span or "全年", report_type=plan.report_type,
        heading=section.heading, facts=listed, exemplars="\n\n".join(passages) or "（无）")
    usage = {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0}
    findings_text: list[str] = []
    for attempt in range(options.max_repairs + 1):
        try:
            answer = await acomplete(model, messages)
        except LLMError as err:
            findings_text = [str(err)]
            break
        usage["calls"] += 1
        usage["prompt_tokens"] += answer.prompt_tokens or 0
        usage["completion_tokens"] += answer.completion_tokens or 0
        body = clean_body(answer.text, section.heading)
        findings = gate_findings(body, facts) if body and not answer.truncated else []
        if body and not answer.truncated and not findings:
            engine = "llm" if attempt == 0 else "llm-repaired"
            body = add_missing_facts(body, section, facts)
            return SectionDraft(i, section.heading, body, engine, repairs=attempt, findings=findings_text, **usage)
        findings_text = [f"“{f.text}”：{f.message}" for f in findings] or ["回复为空或被截断"]
        messages = render_prompt("repair_paragraph", unit=unit.name if unit else "本单位", facts=listed,
                                 paragraph=body or "（回复为空或被截断）",
                                 findings=describe_findings(findings) or "回复为空或被截断，请完整重写")
    return offline_section(i, section, exemplars, facts, engine="offline-fallback", findings=findings_text,
                           repairs=min(options.max_repairs, max(0, usage["calls"] - 1)), **usage)


def add_missing_facts(body: str, section: PlannedSection, facts: Facts) -> str:
    """A verified section that left out some of its facts gets them as plain sentences: none is lost."""
    from drafter.rewrite.missing import fact_sentence

    section_facts = replace(facts, metrics=section.metrics)
    missing = [m for m in section.metrics if m.name not in stated_facts(body, section_facts)]
    if not missing:
        return body
    return body + "\n同时，" + "；".join(fact_sentence(m, facts.period.span) for m in missing) + "。"


def clean_body(text: str, heading: str) -> str:
    """The model's section without a repeated heading line, quotes or blank lines."""
    lines = [line.strip() for line in text.strip().strip("“”\"").split("\n") if line.strip()]
    if lines and (heading in lines[0] or lines[0].rstrip("。").endswith(heading.rstrip("。"))):
        lines = lines[1:]
    return "\n".join(line for line in lines if not line.startswith(("#", "```")))
