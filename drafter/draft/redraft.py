"""Draft one section again, for the interactive review ("重新生成" / after a fact was edited).

Built from the pipeline's public pieces so the section goes through the same verify → repair → fallback
path as in a full draft. The offline engine is deterministic, so a second attempt rotates the exemplar
passages: attempt n starts n·k passages further down the retrieval list, and a new wording comes from
different sample reports. The LLM engine samples anew on its own; it gets the same rotation.
"""

import asyncio
from typing import Any

from drafter.draft.model import DraftOptions, Plan, SectionDraft
from drafter.draft.pipeline import _llm_section, offline_section, retrieve_exemplars, use_llm
from drafter.facts.model import Facts


def redraft_section(facts: Facts, plan: Plan, index: int, options: DraftOptions, *, attempt: int = 0,
                    model: Any = None, store=None) -> SectionDraft:
    """Section ``index`` of ``plan`` drafted again from ``facts``; ``attempt`` > 0 asks for other exemplars."""
    section = plan.sections[index]
    k = max(1, options.exemplars_per_section)
    pool = retrieve_exemplars(section, plan, k * (attempt + 1), store)
    exemplars = rotate(pool, attempt * k)
    if use_llm(options.engine):
        if model is None:
            from drafter.llm.client import make_chat_model
            from drafter.llm.config import resolve_settings

            model = make_chat_model(resolve_settings())
        return asyncio.run(_llm_section(index, plan, facts, exemplars, options, model))
    return offline_section(index, section, exemplars, facts)


def rotate(items: list[str], shift: int) -> list[str]:
    """``items`` starting ``shift`` places on, the skipped ones last (still usable when few remain)."""
    if not items:
        return []
    shift %= len(items)
    return items[shift:] + items[:shift]
