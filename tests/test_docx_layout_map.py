"""A .docx's layout carried through a rewrite: cells follow their text, nothing falls between cells."""

import itertools

import pytest

from drafter.layout_map import remap_layout
from drafter.report import Layout, Paragraph, ParagraphKind, Table, TableCell, TableRow

OLD = "标题\n专题会议5次\n党课计划30次，完成31次\n页眉"


def _layout() -> Layout:
    row1 = TableRow([TableCell("专题会议", 3, 7), TableCell("5", 7, 8), TableCell("次", 8, 9)], 3, 9)
    row2 = TableRow([TableCell("党课", 10, 12), TableCell("30", 14, 16), TableCell("31", 20, 22)], 10, 23)
    return Layout([Table([row1, row2], 3, 23)], [Paragraph("页眉", 24, 26, ParagraphKind.HEADER)])


@pytest.mark.parametrize(
    ("new", "rows"),
    [
        (OLD, [["专题会议", "5", "次"], ["党课", "30", "31"]]),
        (OLD.replace("5次", "3次"), [["专题会议", "3", "次"], ["党课", "30", "31"]]),
        (OLD.replace("5次", "【待补充：次数】次"), [["专题会议", "【待补充：次数】", "次"], ["党课", "30", "31"]]),
        (OLD.replace("专题会议5", "专题会议共5"), [["专题会议", "共5", "次"], ["党课", "30", "31"]]),
        # an edit over the made-up column name lands in the figure's cell, not between cells
        (OLD.replace("计划30次", "【待补充：计划】"), [["专题会议", "5", "次"], ["党课", "【待补充：计划】", "31"]]),
        (OLD.replace("标题\n", "标题\n新增一行\n"), [["专题会议", "5", "次"], ["党课", "30", "31"]]),
        (OLD.replace("专题会议5次\n", ""), [["党课", "30", "31"]]),  # a row whose line went
    ],
)
def test_cells_follow_their_text(new, rows):
    layout = remap_layout(_layout(), OLD, new)
    assert [[new[c.start:c.end] for c in row.cells] for row in layout.tables[0].rows] == rows
    for row in layout.tables[0].rows:
        assert new[row.start:row.end] == new.split("\n")[new[:row.start].count("\n")]
        ends = [(c.start, c.end) for c in row.cells]
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))
    assert [new[a.start:a.end] for a in layout.asides] == ["页眉"]
