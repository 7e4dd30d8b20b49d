"""The facts as the numbered list every prompt carries: the only numbers a model may write."""

from drafter.facts.model import Facts, Metric


def facts_list(facts: Facts, metrics: list[Metric] | None = None) -> str:
    lines = []
    for i, m in enumerate(metrics if metrics is not None else facts.metrics, 1):
        lines.append(f"{i}. {m.name}：{m.display()}")
    for e in facts.events:
        lines.append(f"- 大事（{_date(e.date)}）：{e.what}" if e.date else f"- 大事：{e.what}")
    lines.extend(f"- 亮点：{h}" for h in facts.highlights)
    return "\n".join(lines) if lines else "（无）"


def _date(date: str | None) -> str:
    if not date:
        return ""
    parts = date.split("-")
    out = f"{int(parts[0])}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out
