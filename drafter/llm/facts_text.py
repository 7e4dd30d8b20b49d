"""The facts as prompts show them: numbered, so the model writes 〔n〕 and drafter writes the figure.

Only a section's own facts, events and highlights go into its prompt: a model shown every event pastes
them into every section and attaches them to the wrong items.
"""

from drafter.facts.model import Facts, Metric

NONE = "无"


def numbered_facts(metrics: list[Metric], sep: str = "；") -> str:
    """中心组学习〔1〕（12次）；党课〔2〕（22次） — in the form the model should write each fact (the
    name, then its reference), numbered from 1 as drafter.references renders them."""
    return sep.join(f"{m.name}〔{i}〕（{m.display()}）" for i, m in enumerate(metrics, 1)) or NONE


def items_list(items: list[str], sep: str = "；") -> str:
    """The user's own sentences (events, highlights) for a section, without labels."""
    return sep.join(item.strip().rstrip("。；") for item in items if item.strip()) or NONE


def mask_figures(passage: str) -> str:
    """An exemplar with its figures shown as 〔n〕: it teaches where a reference goes, and none of
    another report's numbers can be copied from it."""
    from drafter.numbers import extract_claims

    out, pos = [], 0
    for c in extract_claims(passage):
        if c.kind in ("count", "percent", "date") and c.start >= pos:
            out.append(passage[pos:c.start])
            out.append("〔n〕")
            pos = c.end
    out.append(passage[pos:])
    return "".join(out)


def facts_list(facts: Facts, metrics: list[Metric] | None = None) -> str:
    """Every fact as a plain list (no 大事/亮点 labels a model would paste into prose)."""
    lines = [f"{m.name}：{m.display()}" for m in (metrics if metrics is not None else facts.metrics)]
    lines += [f"{_date(e.date)}{e.what}" for e in facts.events]
    lines += list(facts.highlights)
    return "\n".join(lines) or NONE


def _date(date: str | None) -> str:
    if not date:
        return ""
    parts = date.split("-")
    out = f"{int(parts[0])}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out + "，"
