"""Text edits with a reason: what rewrite records in --changes and what --fix applies.

``apply_edits`` is the one place edits are spliced into a text; ``drafter.check.apply_safe_fixes``
uses it too. The rule for edits that collide:

- Edits are taken in text order: by ``start``, then ``end``, ties in the order given. So at one offset
  insertions (``start == end``) come before the replacement that starts there.
- Spans are half-open, ``[start, end)``. An edit that starts inside one already kept
  (``start < kept.end``) overlaps it and is dropped: the first in text order wins. Adjacent edits (one
  ends where the next starts) both apply, and so does an insertion at the end of a replacement.
- By default several insertions at one offset all apply, in the order given, followed by a
  replacement starting there. Rewrite plans its edits together and needs them all (two sections'
  missing facts may land at one offset).
- With ``one_edit_per_offset=True`` at most one edit starts at any offset: the first is kept and
  any later insertion or replacement starting at the same offset is dropped. ``check --fix`` uses
  this, because its fixes come from independent rules and two at one spot may be the same fix twice.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol, TypeVar


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


class Span(Protocol):
    """Anything with offsets into a text: an ``Edit``, or a ``Finding`` carrying a fix."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


def select_non_overlapping(edits: Iterable[S], *, one_edit_per_offset: bool = False) -> list[S]:
    """The edits that apply, in text order, by the rule in this module's docstring."""
    kept: list[S] = []
    last_end = -1  # no kept edit may start before this offset
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):  # stable: ties keep the given order
        if edit.start < last_end:
            continue
        kept.append(edit)
        # an insertion covers no text; in one-edit-per-offset mode it still claims its offset
        claimed = edit.start + 1 if one_edit_per_offset and edit.start == edit.end else edit.end
        last_end = max(last_end, claimed)
    return kept


def apply_edits(text: str, edits: Iterable[Edit], *, one_edit_per_offset: bool = False) -> tuple[str, list[Edit]]:
    """Apply the edits that do not collide (rule in the module docstring); returns the new text and, for
    each applied edit in text order, its copy with ``out_start``/``out_end`` offsets into the new text
    (``start``/``end`` stay in the old text)."""
    out: list[str] = []
    moved: list[Edit] = []
    pos = 0
    shift = 0
    for e in select_non_overlapping(edits, one_edit_per_offset=one_edit_per_offset):
        out.append(text[pos : e.start])
        new_start = e.start + shift
        out.append(e.new)
        moved.append(replace(e, out_start=new_start, out_end=new_start + len(e.new)))
        shift += len(e.new) - (e.end - e.start)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), moved
