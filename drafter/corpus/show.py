"""One stored report as a plain dict (for ``corpus show`` and its JSON): metadata and the section tree."""

from typing import Any

from drafter.corpus.store import CorpusStore


def report_detail(store: CorpusStore, report_id: int) -> dict[str, Any] | None:
    row = store.get_report_row(report_id)
    fields = store.report_fields(report_id)
    if row is None or fields is None:
        return None
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for s in store.sections_of(report_id):
        node = {"marker": s.marker, "heading": s.heading, "level": s.level, "topic": s.topic, "role": s.role,
                "text": s.body,
                "children": []}
        nodes[s.ord] = node
        parent = nodes.get(s.parent_ord) if s.parent_ord is not None else None
        (parent["children"] if parent else roots).append(node)
    detail = row.to_dict()
    detail.update({k: fields[k] for k in ("addressee", "opening", "closing", "signature", "date")})
    detail["sections"] = roots
    return detail
