"""The llm rewrite engine: paragraph by paragraph, every paragraph verified.

The offline engine runs first and gives, for each paragraph, a verified baseline. The model rewrites
each paragraph from the template, that baseline and the facts; a paragraph that invents or changes a
number gets one repair round with the findings, then falls back to the offline paragraph. No
unverified number is ever emitted, and every fallback is recorded in the changes.
"""

from dataclasses import dataclass
from typing import Any

from drafter.clean import clean_text
from drafter.edits import Edit
from drafter.exceptions import LLMError
from drafter.facts.model import Facts
from drafter.headings import match_heading
from drafter.markers import MARKER_RE
from drafter.rewrite.engine import RewriteResult, rewrite_offline
from drafter.rewrite.missing import place_missing_facts
from drafter.verify import describe_findings, gate_findings, stated_facts

PARAGRAPH_MAX_TOKENS = 1200  # a paragraph; some servers otherwise write until the context is full
MIN_CHARS = 20  # shorter lines (titles, headings, signatures) keep the offline result


@dataclass
class _Job:
    index: int
    template: str
    base: str


def rewrite_llm(template: str, facts: Facts, *, drop: bool = False, progress: Any = None,
                model: Any = None) -> RewriteResult:
    from drafter.llm.client import complete_all, make_chat_model
    from drafter.llm.config import resolve_settings
    from drafter.llm.facts_text import facts_list
    from drafter.llm.prompts import render_prompt

    offline = rewrite_offline(template, facts, drop=drop, add_missing=False)
    source_lines = clean_text(template).text.split("\n")
    base_lines = offline.text.split("\n")
    if len(source_lines) != len(base_lines):  # the offline engine keeps lines; if not, trust it alone
        return rewrite_offline(template, facts, drop=drop)
    settings = resolve_settings()
    model = model or make_chat_model(settings, max_tokens=PARAGRAPH_MAX_TOKENS)
    unit = facts.unit
    jobs = [_Job(i, src, base) for i, (src, base) in enumerate(zip(source_lines, base_lines, strict=True))
            if _worth_rewriting(base)]
    listed = facts_list(facts)
    prompts = [render_prompt("rewrite_paragraph", unit=unit.name if unit else "本单位",
                             county=unit.county if unit and unit.county else "本县",
                             year=facts.period.year or "", span=facts.period.span or "全年", facts=listed,
                             template_paragraph=job.template, base_paragraph=job.base, extra_facts="（无）")
               for job in jobs]
    _say(progress, f"大模型逐段改写：共 {len(jobs)} 段……")
    answers = complete_all(model, prompts, concurrency=settings.concurrency)

    final = list(base_lines)
    result = RewriteResult(text="", template_year=offline.template_year)
    repairs: list[tuple[_Job, str, list]] = []
    for job, answer in zip(jobs, answers, strict=True):
        text = _answer_text(answer)
        findings = gate_findings(text, facts) if text else []
        if text and not findings and _keeps_markers(job.base, text):
            final[job.index] = text
        else:
            repairs.append((job, text, findings))
    if repairs:
        _say(progress, f"核验未通过 {len(repairs)} 段，发回修改一次……")
        repair_prompts = [render_prompt("repair_paragraph", unit=unit.name if unit else "本单位", facts=listed,
                                        paragraph=text or "（上次没有得到回复）",
                                        findings=describe_findings(findings) or "回复为空或被截断")
                          for _, text, findings in repairs]
        repaired = complete_all(model, repair_prompts, concurrency=settings.concurrency)
        for (job, first, findings), answer in zip(repairs, repaired, strict=True):
            text = _answer_text(answer)
            if text and not gate_findings(text, facts) and _keeps_markers(job.base, text):
                final[job.index] = text
                result.edits.append(Edit(0, 0, first, text, "llm-repair", note=describe_findings(findings)))
            else:
                result.fallbacks.append({"paragraph": job.index + 1, "findings": describe_findings(findings)
                                         or "回复为空、被截断或删去了待补充标记"})
    text = "\n".join(final)
    for i, (src, new) in enumerate(zip(source_lines, final, strict=True)):
        if src != new:
            fell_back = any(fb["paragraph"] == i + 1 for fb in result.fallbacks)
            result.edits.append(Edit(0, 0, src, new, "llm-fallback" if fell_back else "llm",
                                     note=f"第{i + 1}段" + ("：大模型结果未通过核验，改用离线结果" if fell_back else "")))
    used = stated_facts(text, facts)
    missing = place_missing_facts(text, facts, used | offline.used_facts)
    from drafter.edits import apply_edits

    text, applied = apply_edits(text, missing)
    result.edits.extend(applied)
    result.used_facts = used | offline.used_facts
    result.added_facts = [n for e in missing for n in (e.fact or "").split("、") if n]
    result.text = text
    return result


def _worth_rewriting(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) < MIN_CHARS:
        return False
    heading = match_heading(stripped)
    return heading is None or len(heading.rest) >= MIN_CHARS


def _answer_text(answer: Any) -> str:
    if isinstance(answer, LLMError) or answer is None or answer.truncated:
        return ""
    return answer.text.strip().strip("“”\"").replace("\n", "")


def _keeps_markers(base: str, text: str) -> bool:
    """A marker may be filled only from facts; the model must not make one silently disappear
    unless what replaced it verified (it did, if we got here) — so only count that none were invented."""
    return len(MARKER_RE.findall(text)) <= len(MARKER_RE.findall(base))


def _say(progress: Any, message: str) -> None:
    if progress is not None:
        progress.print(message)
