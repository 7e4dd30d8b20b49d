"""Collect candidate edits from several steps and keep the strongest non-overlapping set."""

from dataclasses import dataclass, field

from drafter.edits import Edit

# Lower wins when two edits overlap: a clause marker beats a number fix inside it, which beats a name;
# the user's own equivalent of a template entity (their “禾坪发布”) beats a marker over the same words, and
# a name's marker ties with a slot, so the one that contains the other wins (“瑞丽隔离后能不能回x”).
PRIORITY = {"todo-clause": 0, "todo-figure": 0, "drop-clause": 0, "residue": 1, "gap": 1, "entity": 1.5, "slot": 2, "number": 2,
            "year": 2, "date": 2, "verify-name": 2, "unit-name": 4, "unit-kind": 4, "span": 4, "stale-term": 5, "typo": 6}


@dataclass
class EditPlan:
    edits: list[Edit] = field(default_factory=list)

    def add(self, edit: Edit) -> None:
        if edit.old != edit.new:
            self.edits.append(edit)

    def resolved(self) -> list[Edit]:
        """Greedy by priority, then position: an edit overlapping a kept one is dropped."""
        kept: list[Edit] = []
        for e in sorted(self.edits, key=lambda e: (PRIORITY.get(e.reason, 9), e.start, -e.end)):
            if any(_overlap(e, k) for k in kept):
                continue
            kept.append(e)
        return sorted(kept, key=lambda e: (e.start, e.end))


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions collide only strictly inside the other
        return b.start < a.start < b.end or a.start < b.start < a.end or a.start == b.start == a.end == b.end
    return a.start < b.end and b.start < a.end
