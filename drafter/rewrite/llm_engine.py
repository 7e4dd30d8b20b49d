"""The llm rewrite engine: the offline result polished paragraph by paragraph, every paragraph verified.

The offline engine runs first and gives, for each paragraph, a verified baseline. Its figures are
turned into fact references (〔n〕, drafter.references) and the model polishes the wording around them;
the answer goes through the same generate → verify → repair loop as draft's sections
(drafter.generate): references rendered from the facts and bound by their clause, no figure of the
model's own, the structural rules, the number rules. A paragraph that still fails falls back to the
offline paragraph, and the fallback says why. No unverified number is ever emitted.

Edits are a stage of their own after the offline stages: each replaces a paragraph of the offline text
(``start``/``end`` offsets into it) with the model's (``out_start``/``out_end`` in this stage's output).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from drafter.edits import Edit, apply_edits
from drafter.facts.model import Facts
from drafter.findings import Finding, Severity
from drafter.headings import match_heading
from drafter.markers import MARKER_RE
from drafter.references import adopt_figures, numbered, render_references
from drafter.rewrite.engine import RewriteResult, rewrite_offline
from drafter.rewrite.missing import place_missing_facts
from drafter.structure import StructureContext, structure_findings
from drafter.verify import gate_findings, stated_facts

PARAGRAPH_MAX_TOKENS = 900  # a paragraph; some servers otherwise write until the context is full
MIN_CHARS = 20  # shorter lines (titles, headings, signatures) keep the offline result
# The structural rules that fit one paragraph (a rewrite keeps the template's paragraphs; facts-unused
# does not apply: a paragraph carries the facts its template had).
PARAGRAPH_RULES = {"prompt-echo", "meta-line", "markdown", "list-paste", "english", "paragraphs", "incomplete"}


@dataclass
class _Job:
    index: int  # line number in the offline text
    start: int  # offset of the line in the offline text
    base: str  # the offline engine's line
    with_refs: str  # the same, its figures as 〔n〕


def rewrite_llm(template: str, facts: Facts, *, drop: bool = False, progress: Any = None,
                model: Any = None) -> RewriteResult:
    from drafter.generate import FAILURE_LABEL, generate_all
    from drafter.llm.config import resolve_settings
    from drafter.llm.gate import endpoint_key

    offline = rewrite_offline(template, facts, drop=drop, add_missing=False)
    settings = resolve_settings()
    if model is None:
        from drafter.llm.client import make_chat_model

        model = make_chat_model(settings, max_tokens=PARAGRAPH_MAX_TOKENS)
    refs = numbered(facts.metrics)
    jobs = _jobs(offline.text, refs)
    prompts = [_prompt(job, facts) for job in jobs]
    _say(progress, f"大模型逐段改写：共 {len(jobs)} 段……")
    checks = [_check(job, facts, prompt) for job, prompt in zip(jobs, prompts, strict=True)]
    results = asyncio.run(generate_all(model, list(zip((p for p, _ in prompts), checks, strict=True)),
                                       concurrency=settings.concurrency, stream=settings.streaming,
                                       endpoint=endpoint_key(settings)))

    result = RewriteResult(text="", template_year=offline.template_year)
    result.edits.extend(offline.edits)
    stage: list[Edit] = []
    for job, generated in zip(jobs, results, strict=True):
        if generated.text is not None:
            if generated.text != job.base:
                reason = "llm" if generated.repairs == 0 else "llm-repair"
                note = f"第{job.index + 1}段：大模型润色" + ("（修复后通过）" if generated.repairs else "")
                stage.append(Edit(job.start, job.start + len(job.base), job.base, generated.text, reason, note=note))
        else:
            why = FAILURE_LABEL[generated.failure] if generated.failure else "大模型未通过核验"
            result.fallbacks.append({"paragraph": job.index + 1, "reason": str(generated.failure or ""),
                                     "label": why, "findings": "；".join(generated.notes()) or why})
            # recorded where it happened, text unchanged: --changes shows which paragraphs kept the offline text
            stage.append(Edit(job.start, job.start + len(job.base), job.base, job.base, "llm-fallback",
                              note=f"第{job.index + 1}段：{why}，保留离线结果"))
    text, applied = apply_edits(offline.text, stage)
    result.edits.extend(applied)
    used = stated_facts(text, facts)
    missing = place_missing_facts(text, facts, used | offline.used_facts)
    text, placed = apply_edits(text, missing)
    result.edits.extend(placed)
    result.used_facts = used | offline.used_facts
    result.added_facts = [n for e in missing for n in (e.fact or "").split("、") if n]
    result.text = text
    if result.fallbacks:
        _say(progress, f"{len(result.fallbacks)} 段改用离线结果（原因见改动记录）。")
    return result


def _jobs(text: str, refs: dict) -> list[_Job]:
    jobs, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        if _worth_rewriting(line):
            with_refs, _ = adopt_figures(line, refs)
            jobs.append(_Job(i, pos, line, with_refs))
        pos += len(line) + 1
    return jobs


def _prompt(job: _Job, facts: Facts) -> tuple[list, StructureContext]:
    from drafter.llm.facts_text import numbered_facts
    from drafter.llm.prompts import load_prompt

    unit = facts.unit
    values = {"unit": unit.name if unit else "本单位", "year": facts.period.year or "",
              "span": facts.period.span or "全年", "facts": numbered_facts(facts.metrics),
              "paragraph": job.with_refs, "extra_facts": "（无）"}
    template = load_prompt("rewrite_paragraph")
    # the paragraph itself is what the model is asked to polish: copying it is no echo
    blank = template.render(**{**values, "paragraph": "\n"})
    context = StructureContext(instructions="\n".join(t for _, t in blank), paragraphs=(1, 1))
    return template.render(**values), context


def _check(job: _Job, facts: Facts, prompt: tuple[list, StructureContext]):
    context = prompt[1]

    def check(answer: str) -> tuple[str, list[Finding]]:
        body = answer.strip().strip("“”\"").replace("\n", "")
        heading = match_heading(job.base.strip())
        if heading is not None:
            marker = job.base.strip()[: len(job.base.strip()) - len(heading.rest)]
            if marker.strip() and marker.strip() not in body:
                body = marker + body  # the model dropped the template's （一）: it stays
        # the offline line's own figures (dates, figures inside 【…】) are verified already: copied, they pass
        rendered = render_references(body, facts.metrics, facts, [job.base], "adopt")
        findings = structure_findings(rendered.text, context, raw=body, select=PARAGRAPH_RULES)
        if rendered.text.rstrip()[-1:] == job.base.rstrip()[-1:]:  # "……总结如下：" ends as its template does
            findings = [f for f in findings if f.rule != "incomplete"]
        findings += rendered.findings
        taken = {(f.start, f.end) for f in findings if f.rule == "own-figure"}
        findings += [f for f in gate_findings(rendered.text, facts) if (f.start, f.end) not in taken]
        if len(MARKER_RE.findall(rendered.text)) != len(MARKER_RE.findall(job.base)):
            findings.append(Finding("markers", Severity.ERROR, 0, 0, 1, 1, "",
                                    "“【待补充：…】”“【待核实：…】”标记要原样保留，不能删去也不能新加"))
        return rendered.text, findings

    return check


def _worth_rewriting(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) < MIN_CHARS:
        return False
    heading = match_heading(stripped)
    return heading is None or len(heading.rest) >= MIN_CHARS


def _say(progress: Any, message: str) -> None:
    if progress is not None:
        progress.print(message)
