"""Text edits with a reason: what rewrite records in --changes and what --fix applies."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into the text the edit applies to
    end: int
    old: str
    new: str
    reason: str  # rule id or rewrite step: "unit-name", "number", "todo", "residue" …
    fact: str | None = None  # the fact used, by name, when a number or name came from the facts
    note: str | None = None  # a Chinese explanation for the user
    out_start: int | None = None  # where the new text sits in the output, once applied
    out_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def select_non_overlapping(edits: Iterable[Edit]) -> list[Edit]:
    """Keep edits in text order, dropping any that overlaps one already kept (first wins)."""
    kept: list[Edit] = []
    last_end = -1
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < last_end:
            continue
        kept.append(edit)
        last_end = max(edit.end, last_end)
    return kept


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[Edit]]:
    """Apply non-overlapping edits; returns the new text and, for each applied edit, its copy with
    ``out_start``/``out_end`` offsets into the new text (``start``/``end`` stay in the old text)."""
    kept = select_non_overlapping(edits)
    out: list[str] = []
    moved: list[Edit] = []
    pos = 0
    shift = 0
    for e in kept:
        out.append(text[pos : e.start])
        new_start = e.start + shift
        out.append(e.new)
        moved.append(replace(e, out_start=new_start, out_end=new_start + len(e.new)))
        shift += len(e.new) - (e.end - e.start)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), moved
