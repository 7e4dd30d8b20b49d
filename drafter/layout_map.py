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
    old_starts, new_starts = _starts(old_lines), _starts(new_lines)
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
            for cell in row.cells:
                if not cell.in_text:
                    cells.append(replace(cell))
                    continue
                start, end = move(cell.start, line, "start"), move(cell.end, line, "end")
                if start is None or end is None:
                    continue
                cells.append(TableCell(new[start:end], start, max(start, end)))
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


def _starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset) - 1


def _map_column(a: str, b: str, column: int, side: str) -> int:
    """Where a boundary at ``column`` of ``a`` falls in ``b``: inside a changed stretch, a start
    boundary goes to the stretch's start and an end boundary to its end, so a replaced figure stays
    in its cell."""
    if a == b:
        return column
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if (tag == "equal" and i1 <= column < i2) or (tag == "equal" and column == i2 and side == "end"):
            return j1 + column - i1
        if tag != "equal" and i1 <= column <= i2:
            if column == i1 and side == "end" and i1 > 0:
                continue  # an end boundary right before a change belongs to the text before it
            return j1 if side == "start" and column == i1 else j2
    return len(b)
