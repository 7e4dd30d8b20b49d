"""Carry a .docx's ``Layout`` (table cells, header/footer lines) from a text to its rewrite.

Rewrite engines work on text; the rewritten text's lines are matched to the template's (a table row
stays one line), and inside a changed line each cell boundary moves with the characters around it.
A row whose line was removed drops out of its table.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from drafter.report import Layout, Paragraph, Table, TableCell, TableRow


def remap_layout(layout: Layout, old: str, new: str) -> Layout:
    old_lines, new_lines = old.split("\n"), new.split("\n")
    old_starts, new_starts = line_starts(old_lines), line_starts(new_lines)
    line_map: dict[int, int] = {}  # old line index → new line index
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                line_map[i1 + k] = j1 + k

    def locate(offset: int) -> int:
        return max(0, _line_of(old_starts, offset))

    def move(offset: int, line: int, side: str) -> int | None:
        target = line_map.get(line)
        if target is None:
            return None
        a, b = old_lines[line], new_lines[target]
        column = offset - old_starts[line]
        return new_starts[target] + _map_column(a, b, column, side)

    tables = []
    for table in layout.tables:
        rows = []
        for row in table.rows:
            line = locate(row.start)
            if line not in line_map:
                continue
            cells = []
            floor = 0
            for cell in row.cells:
                if not cell.in_text:
                    cells.append(replace(cell))
                    continue
                start, end = move(cell.start, line, "start"), move(cell.end, line, "end")
                if start is None or end is None:
                    continue
                start = max(start, floor)  # cells never overlap: the earlier one keeps shared text
                end = max(start, end)
                floor = end
                cells.append(TableCell(new[start:end], start, end))
            target = line_map[line]
            row_start = new_starts[target]
            rows.append(TableRow(cells, row_start, row_start + len(new_lines[target]), row.header))
        if rows:
            tables.append(Table(rows, rows[0].start, rows[-1].end))
    asides = []
    for aside in layout.asides:
        line = locate(aside.start)
        if line in line_map:
            target = line_map[line]
            start = new_starts[target]
            asides.append(Paragraph(new_lines[target], start, start + len(new_lines[target]), aside.kind))
    return Layout(tables, asides, list(layout.notices))


def line_starts(lines: list[str]) -> list[int]:
    """Offset of each line in the text the lines were split from (at \\n)."""
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset) - 1


def _map_column(a: str, b: str, column: int, side: str) -> int:
    """Where a cell boundary at ``column`` of ``a`` falls in ``b``. Text a change puts across or at a
    boundary goes to the cell that follows (a start boundary moves to the change's start), unless the
    change ends exactly there; ``remap_layout`` then keeps cells from overlapping. So a replaced figure
    stays in its cell and nothing an edit wrote falls between cells."""
    if a == b:
        return column
    for tag, i1, i2, j1, j2 in diff_opcodes(a, b):
        if tag == "equal":
            if i1 <= column < i2 or (column == i2 and side == "end"):
                return j1 + column - i1
            continue
        if not i1 <= column <= i2:
            continue
        if side == "start":
            return j2 if column == i2 and i2 > i1 else j1
        if column == i1 and i1 > 0:
            continue  # an end boundary right before a change: the text before it is the cell's
        return j2
    return len(b)


MIN_EQUAL = 3  # a shorter common stretch between two changes ("计划" inside 【待补充：计划】) is not a match


def diff_opcodes(a: str, b: str, *, merge: bool = True) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, common ends matched first; with ``merge``, changes separated by fewer than
    ``MIN_EQUAL`` equal characters are one change."""
    # common ends first, as diff tools do: 5次 → 【待补充：次数】次 keeps its last 次, not the one in 次数
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    ops = [("equal", 0, prefix, 0, prefix)] if prefix else []
    middle = difflib.SequenceMatcher(None, a[prefix:len(a) - suffix], b[prefix:len(b) - suffix], autojunk=False)
    ops.extend((tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix) for tag, i1, i2, j1, j2 in middle.get_opcodes())
    if suffix:
        ops.append(("equal", len(a) - suffix, len(a), len(b) - suffix, len(b)))
    if not merge:
        return ops
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal" and len(merged) >= 2 and merged[-1][0] == "equal" and merged[-2][0] != "equal" \
                and merged[-1][2] - merged[-1][1] < MIN_EQUAL:
            merged.pop()
            merged[-1][0], merged[-1][2], merged[-1][4] = "replace", i2, j2
        elif tag != "equal" and merged and merged[-1][0] != "equal":
            merged[-1][0], merged[-1][2], merged[-1][4] = "replace", i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    return [tuple(op) for op in merged]
