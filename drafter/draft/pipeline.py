"""The drafting pipeline: plan → retrieve → generate → verify → repair → assemble.

Generation is allowed to be wrong only because verification and repair catch it: a section the model
gets wrong is sent back with its findings (at most ``max_repairs`` times), then written by the offline
engine. An unverified number is never emitted. Sections run concurrently; each is saved as it arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from drafter.draft.model import DraftOptions, DraftResult, Plan, PlannedSection, SectionDraft
from drafter.draft.plan import plan_report
from drafter.draft.session import DraftSession
from drafter.facts.model import Facts
from drafter.findings import Finding, Severity
from drafter.generate import Check

if TYPE_CHECKING:
    from drafter.structure import StructureContext

# The checks (drafter.structure, references, verify) and the offline composer are imported where they
# are used: with the LLM engine that is while the model writes, not on the way to the first request.

log = logging.getLogger(__name__)
OnSection = Callable[[SectionDraft], None]
# Some local servers ignore max_completion_tokens and would write until the context is full; a section
# is at most ~1,200 characters (corpus/lexicons/structure.yaml), ~850 tokens for Qwen's tokenizer.
SECTION_MAX_TOKENS = 900
REQUEST_HEAD_START = 0.02  # seconds of event loop between one section's retrieval and the next
# A streamed answer is cut once it is this long: no section that long can pass.
SECTION_MAX_CHARS = 1500


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
                 on_section: OnSection | None = None, model: Any = None, store=None,
                 prefetch: bool = False, while_waiting: Callable[[Plan], None] | None = None) -> DraftResult:
    """``prefetch``: build the LLM sections' prompts in a child process while this one imports the LLM
    stack (drafter.draft.prompt_worker) — for a command's one draft; the prompts are the same either way.
    ``while_waiting(plan)``: the caller's own preparation (loading what writes the output), run in a
    worker thread while the model writes; with the offline engine, not at all."""
    llm = use_llm(options.engine)
    if model is None and llm:
        from drafter.llm.client import prewarm

        prewarm()  # langchain_openai's ~1 s import overlaps planning and retrieval
    plan = plan_report(facts, options.report_type, store=store)

    def exemplars(i: int) -> list[str]:
        return retrieve_exemplars(plan.sections[i], plan, options.exemplars_per_section, store)

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
    notices: list[str] = []
    if llm:
        worker = None
        if prefetch and model is None and store is None and todo:
            from drafter.draft import prompt_worker
            from drafter.llm.config import resolve_settings

            worker = prompt_worker.start(plan, facts, options, todo, resolve_settings())
        try:
            notices = asyncio.run(_draft_llm(plan, facts, exemplars, todo, options, finished, model, worker,
                                             while_waiting))
        finally:
            if worker is not None:
                worker.stop()
    else:
        for i in todo:
            finished(offline_section(i, plan.sections[i], exemplars(i), facts))
    sections = [done[i] for i in range(len(plan.sections))]
    from drafter.draft.assemble import assemble
    from drafter.verify import stated_facts

    text = assemble(plan, sections, facts)
    used = stated_facts(text, facts)
    result = DraftResult(text=text, plan=plan, sections=sections, used_facts=used,
                         unused_facts=[m.name for m in facts.metrics if m.name not in used], notices=notices)
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
    from drafter.draft.offline import compose_section

    return SectionDraft(index, section.heading, compose_section(section, exemplars, facts), engine,
                        findings=findings or [], **usage)


async def _draft_llm(plan: Plan, facts: Facts, exemplars: Callable[[int], list[str]], todo: list[int],
                     options: DraftOptions, finished: Callable[[SectionDraft], None], model: Any,
                     worker: Any = None, while_waiting: Callable[[Plan], None] | None = None) -> list[str]:
    """Each section's request goes out as soon as its exemplars are retrieved (or, from ``worker``, as
    soon as the LLM stack is imported): the retrieval of the next sections (jieba, BM25: CPU) overlaps
    the model's work on the first ones. What no request needs — the user's own sections (composed
    offline) and the checks' first use — is done while the model writes, in worker threads, so the loop
    keeps reading the streams."""
    from drafter.generate import context_window
    from drafter.llm.config import resolve_settings

    settings = resolve_settings()
    prepared, n_ctx = (await worker.result() if worker is not None else None) or ({}, None)
    window = None
    if not prepared:  # the context probe (a local server's /props) and the LLM stack's import overlap
        window = asyncio.create_task(asyncio.to_thread(context_window, settings))
    if model is None:
        from drafter.llm.client import make_chat_model

        model = await asyncio.to_thread(make_chat_model, settings, max_tokens=SECTION_MAX_TOKENS)
    if window is not None:
        n_ctx = await window
    from drafter.llm.gate import AdaptiveGate, endpoint_key

    # one at a time once the server shows (now or in an earlier draft) that it cuts a stream for another
    gate = AdaptiveGate(settings.concurrency, endpoint_key(settings))
    generated = [i for i in todo if plan.sections[i].topic not in USER_TOPICS]

    def passages(i: int) -> list[str]:
        return prepared[i].exemplars if i in prepared else exemplars(i)

    async def one(i: int, passages: list[str]) -> None:
        finished(await gate.serve(lambda slot: _llm_section(
            i, plan, facts, passages, options, model, n_ctx=n_ctx, stream=settings.streaming, prepared=prepared.get(i),
            interrupted=lambda failure, kind: gate.interrupted(slot, failure, kind))))

    async def written(i: int, passages: list[str]) -> None:  # no request: not one of the gate's slots
        finished(await asyncio.to_thread(offline_section, i, plan.sections[i], passages, facts))

    tasks = []
    for i in generated:
        tasks.append(asyncio.create_task(one(i, passages(i))))
        if i not in prepared:  # let the request get onto the wire before the next retrieval
            await asyncio.sleep(REQUEST_HEAD_START)
    if generated:
        tasks.append(asyncio.create_task(asyncio.to_thread(warm_checks, plan.sections[generated[0]], facts,
                                                           options.ref_mode)))
    if while_waiting is not None:
        tasks.append(asyncio.create_task(asyncio.to_thread(_quietly, while_waiting, plan)))
    tasks += [asyncio.create_task(written(i, passages(i))) for i in todo if i not in generated]
    await asyncio.gather(*tasks)
    return [SERIAL_NOTICE] if gate.switched else []


SERIAL_NOTICE = ("大模型服务一次只能处理一个请求（新请求会打断正在生成的回答）：drafter 已改为逐节请求，被打断的节已重新生成；"
                 "以后对这个接口也逐节请求。如服务端支持并行（如 llama.cpp 的 --parallel），可用 drafter config set concurrency 8 恢复。")


# The user's own lists (problems, plans): written offline from their words, never generated.
USER_TOPICS = ("存在问题", "下一步计划")


def _quietly(prepare: Callable[[Plan], None], plan: Plan) -> None:
    try:
        prepare(plan)
    except Exception:  # a preparation only saves time: what it would have loaded is loaded when needed
        log.debug("preparing the output failed", exc_info=True)


def warm_checks(section: PlannedSection, facts: Facts, mode: str) -> None:
    """Run a section's gate once on the section's own fact sentences, and throw the result away: its
    first use loads lexicons and the gazetteer and compiles the rules' patterns (~0.4 s of CPU),
    which would otherwise wait for the first answers and hold up every section's result."""
    from drafter.rewrite.missing import fact_sentences
    from drafter.structure import StructureContext
    from drafter.verify import stated_facts

    sample = "".join(fact_sentences(section.metrics, facts)) or section.heading
    try:
        section_check(section, facts, StructureContext(heading=section.heading), mode)(sample)
        stated_facts(sample, facts)
    except Exception:  # a warm-up only saves time: the real check of each answer will say what is wrong
        log.debug("warming the checks failed", exc_info=True)


async def _llm_section(i: int, plan: Plan, facts: Facts, exemplars: list[str], options: DraftOptions,
                       model: Any, *, n_ctx: int | None = None, stream: bool = False,
                       prepared: Any = None, interrupted: Callable[[str | None, str], bool] | None = None,
                       ) -> SectionDraft | None:
    """``prepared``: the section's prompt as drafter.draft.prompt_worker built it, else built here.
    ``interrupted(failure, kind)``: True when a failed call was cut by the next request on a server that
    serves one at a time — then None, and the caller asks again in its turn."""
    from drafter.generate import Failure, exemplar_allowance, generate_verified

    section = plan.sections[i]
    if section.topic in USER_TOPICS:
        return offline_section(i, section, exemplars, facts)  # the user's own words; nothing to generate
    if prepared is not None and prepared.messages is not None:
        messages, context = prepared.messages, prepared.context
    else:
        messages, context = section_prompt(section, plan, facts, exemplars,
                                           exemplar_allowance(n_ctx, options.exemplars_per_section,
                                                              options.exemplar_token_budget))
    check = section_check(section, facts, context, options.ref_mode)
    without_example = [m for m in messages if m not in _example_messages()]
    generated = await generate_verified(model, messages, check, max_attempts=options.max_repairs + 1, stream=stream,
                                        max_chars=SECTION_MAX_CHARS, repair_prefix=without_example)
    usage = {"calls": len(generated.attempts), "prompt_tokens": generated.prompt_tokens,
             "completion_tokens": generated.completion_tokens}
    trace = [a.summary() for a in generated.attempts]
    if generated.text is not None:
        engine = "llm" if generated.repairs == 0 else "llm-repaired"
        body = await asyncio.to_thread(add_missing_facts, generated.text, section, facts)  # off the loop, as the check
        return SectionDraft(i, section.heading, body, engine, repairs=generated.repairs, findings=generated.notes(),
                            seconds=round(generated.seconds, 1), attempts=trace, **usage)
    if interrupted is not None and interrupted(generated.failure, generated.error_kind):
        return None
    draft = offline_section(i, section, exemplars, facts, engine="offline-fallback", findings=generated.notes(),
                            repairs=generated.repairs, **usage)
    draft.fallback_reason = str(generated.failure or Failure.VERIFICATION)
    draft.seconds, draft.attempts = round(generated.seconds, 1), trace
    return draft


def _example_messages() -> list[tuple[str, str]]:
    """The draft prompt's worked example exchange (it takes no variables)."""
    from drafter.llm.prompts import load_prompt

    template = load_prompt("draft_section")
    return [("user", template.example_user), ("assistant", template.example_assistant)]


def section_prompt(section: PlannedSection, plan: Plan, facts: Facts, exemplars: list[str],
                   allowance: tuple[int, int]) -> tuple[list[tuple[str, str]], StructureContext]:
    """The section's messages, and what its answer is checked against (the prompt's own words, the
    exemplars it saw, its numbered facts)."""
    from drafter.llm.facts_text import items_list, mask_figures, numbered_facts
    from drafter.llm.prompts import load_prompt
    from drafter.llm.tokens import fit_to_budget
    from drafter.structure import StructureContext

    count, budget = allowance
    bodies = [e.split("\n", 1)[-1] for e in exemplars]  # without the title line: another unit's name
    passages = fit_to_budget([mask_figures(b) for b in bodies[:count]], budget) if count else []
    unit = facts.unit.name if facts.unit else "本单位"
    values = {"unit": unit, "year": facts.period.year or "", "report_type": plan.report_type,
              "heading": section.heading, "facts": numbered_facts(section.metrics),
              "items": items_list(section.free_items),
              "exemplars": f"\n参考写法（只学语气，不要照抄）：\n{chr(10).join(passages)}" if passages else ""}
    template = load_prompt("draft_section")
    messages = template.render(**values)
    # what must not be echoed: the prompt but the user's sentences (the model may copy those) and the
    # exemplars (checked apart, with a longer allowance)
    blank = template.render(**{**values, "items": "\n", "exemplars": ""})
    context = StructureContext(heading=section.heading, instructions="\n".join(text for _, text in blank),
                               exemplars=[p.replace("〔n〕", "") for p in passages],
                               fact_names=[m.name for m in section.metrics],
                               own_words=" ".join([section.heading, *(n for m in section.metrics for n in m.names),
                                                   *section.free_items]))
    return messages, context


def section_check(section: PlannedSection, facts: Facts, context: StructureContext, mode: str) -> Check:
    """The gate a section's answer passes: references rendered and bound, no figure of its own, the
    structural rules, then the number rules `drafter check --facts` runs."""

    def check(answer: str) -> tuple[str, list[Finding]]:
        from drafter.references import mend_answer, render_references
        from drafter.structure import mend_example_leak, mend_paragraphs, structure_findings
        from drafter.verify import gate_findings

        body = clean_body(answer, section.heading)
        if not body:
            return "", [Finding("empty", Severity.ERROR, 0, 0, 1, 1, "", "回答里只有标题或说明，没有正文：请直接写出本节正文")]
        # harmless slips of form drafter mends itself (a re-ask rarely does): a repeated figure, a bare
        # "名称〔n〕，" sentence start, a date moved off its event, a clause about the example's subject,
        # one line a fact
        body, _ = mend_answer(body, section.metrics, facts, section.free_items)
        body = mend_paragraphs(mend_example_leak(body, context.own_words))
        rendered = render_references(body, section.metrics, facts, section.free_items, mode)
        # structure first: the repair message lists the findings in this order, and a pasted prompt
        # matters more than the figures inside it
        findings = structure_findings(rendered.text, replace(context, refs_used=len(rendered.used)), raw=body)
        findings += rendered.findings
        taken = {(f.start, f.end) for f in findings if f.rule == "own-figure"}
        findings += [_for_the_model(f, section, facts) for f in gate_findings(rendered.text, facts)
                     if (f.start, f.end) not in taken]
        return rendered.text, findings

    return check


def _for_the_model(finding: Finding, section: PlannedSection, facts: Facts) -> Finding:
    """A number rule's finding on a figure a reference wrote, said to the model: its message is for a
    user editing a facts file ("请在事实文件 metrics 中补上"), and Qwen2.5-Coder-1.5B answered it with the
    same text three times. The figure is the fact's; the words around it read as another thing's."""
    from drafter.references import fact_clause

    n, metric = next(((n, m) for n, m in enumerate(section.metrics, 1) if m.display() == finding.text), (0, None))
    if metric is None:
        return finding
    example = fact_clause(metric, facts, f"〔{n}〕") or f"{metric.name}〔{n}〕"
    return replace(finding, message=f"“{finding.text}”是“{metric.name}”的数字，可前后的话读起来说的是别的事：把这项事实"
                                    f"单独写成一句，如“{example}”，再接着写别的")


def add_missing_facts(body: str, section: PlannedSection, facts: Facts) -> str:
    """A verified section that left out some of its facts gets them as plain sentences, and the user's
    own event and highlight sentences it did not tell: none is lost."""
    from drafter.rewrite.missing import fact_sentences
    from drafter.verify import stated_facts

    section_facts = replace(facts, metrics=section.metrics)
    missing = [m for m in section.metrics if m.name not in stated_facts(body, section_facts)]
    untold = [item for item in section.free_items if not _told(item, body)]
    if untold:
        body += "\n" + "".join(untold)
    if missing:  # sentences of each fact's kind, as the offline engine writes them: never a list of counts
        body += "\n" + "".join(fact_sentences(missing, facts))
    return body


def _told(item: str, body: str) -> bool:
    """Does ``body`` tell the user's sentence: most of its words in one run ("文艺汇演" alone does not
    tell "3月，举办群众文艺汇演")?"""
    from drafter.structure import longest_shared

    core = _item_core(item)
    span = longest_shared(core, body, min(4, len(core)))
    return span is not None and span[1] - span[0] >= ITEM_TOLD_SHARE * len(core)


ITEM_TOLD_SHARE = 0.7


def _item_core(item: str) -> str:
    """An event sentence without its date lead ("3月，举办群众文艺汇演。" → "举办群众文艺汇演")."""
    return item.split("，", 1)[-1].rstrip("。") if item[:1].isdigit() else item.rstrip("。")


HEADING_LEAD = 8  # characters a model writes before a heading it repeats ("镇党委不断")


def _first_sentence(line: str) -> tuple[str, str, str]:
    for i, ch in enumerate(line):
        if ch in "。：":
            return line[:i], ch, line[i + 1:]
    return line, "", ""


def clean_body(text: str, heading: str) -> str:
    """The model's section without a repeated heading line, a bare "本节正文：" label line, wrapping
    quotes or blank lines. Anything else odd is left for the structural gate to name."""
    from drafter.structure import meta_label_line

    lines = [line.strip() for line in text.strip().strip("“”\"").split("\n") if line.strip()]
    heading_line = lines and len(lines[0]) <= len(heading) + 8  # a line that is the heading, maybe numbered
    if heading_line and (heading in lines[0] or lines[0].rstrip("。").endswith(heading.rstrip("。"))):
        lines = lines[1:]
    if lines and meta_label_line(lines[0]):
        lines = lines[1:]
    if lines:  # the heading written as the first sentence of the first line ("镇党委不断深化理论武装，…。")
        head = heading.rstrip("。")
        first, _, rest = _first_sentence(lines[0])
        if head in first and len(first) <= len(head) + HEADING_LEAD and rest.strip():
            lines[0] = rest.strip()
    return "\n".join(line for line in lines if not line.startswith("```"))
