"""Tracked changes (修订) in the user's own .docx: ``check --fix`` and ``rewrite --track-changes``.

Each change deletes the runs behind its span (``w:del``, their text as ``w:delText``) and inserts its
new text (``w:ins``) formatted like the text it replaces, so the user accepts or rejects it in
Word's review pane. A change may carry a comment (the reason for a rewrite's edit). New text with
line breaks at the end or start of a line becomes new paragraphs, themselves marked as inserted;
a line deleted whole has its paragraph mark deleted too.

``diff_changes`` turns two texts (the template and its rewrite) into such changes.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass

from drafter.docx_annotate import (
    COMMENTS_CONTENT,
    COMMENTS_TYPE,
    _comments_name,
    _comments_root,
    add_comment,
    mark_range,
)
from drafter.docx_numbering import _local
from drafter.docx_package import add_part, save_copy, serialize
from drafter.docx_reader import DocxText
from drafter.docx_runs import Marker, in_part, line_span, paragraph_of, runs_in, split_at
from drafter.layout_map import line_starts

MIN_EQUAL = 3  # a shorter common stretch between two edits (a lone 的) is folded into one change


@dataclass(frozen=True)
class Change:
    start: int  # offsets into ``DocxText.text``
    end: int
    new: str
    comment: str | None = None
    at: int = -1  # where ``new`` sits in the new text, when known (diff_changes' in-line changes)


def track_changes(docx_text: DocxText, changes: list[Change]) -> tuple[bytes, int]:
    """The package's bytes with each change tracked; returns (bytes, changes placed)."""
    marker = Marker.for_text(docx_text)
    text = docx_text.text
    changes = [_whole_line(text, c) for c in changes]
    docx_text = split_at(docx_text, {o for c in changes for o in (c.start, c.end)})
    comments = _comments_root(docx_text, marker)
    placed = 0
    touched: set[str] = set()
    for change in sorted(changes, key=lambda c: (c.start, c.end)):
        elements = _apply(docx_text, marker, change, text)
        if not elements:
            continue
        placed += 1
        for element in elements:
            name = docx_text.package.name_of(element.getroottree().getroot())
            if name:
                touched.add(name)
        if change.comment and all(in_part(docx_text, e, docx_text.package.main) for e in elements):
            comment_id = marker.new_id()
            add_comment(marker, comments, comment_id, change.comment)
            mark_range(marker, elements[0], elements[-1], comment_id)
    replaced = {name: serialize(docx_text.package.parts[name]) for name in touched | {docx_text.package.main}}
    if len(comments):
        add_part(docx_text.package, _comments_name(docx_text), comments, COMMENTS_TYPE, COMMENTS_CONTENT, replaced)
    return save_copy(docx_text.package.path, replaced), placed


def _whole_line(text: str, change: Change) -> Change:
    """Deleting all of a line (a residue line) deletes its paragraph too: no empty paragraph is left."""
    line_start, line_end = line_span(text, change.start)
    if (not change.new and change.start == line_start and change.end == line_end and line_end < len(text)
            and line_end > line_start):
        return Change(change.start, line_end + 1, "", change.comment, change.at)
    return change


def _apply(docx_text: DocxText, marker: Marker, change: Change, text: str) -> list:
    """Delete and insert for one change; returns the new top-level elements (w:del / w:ins / w:p)."""
    runs = runs_in(docx_text, change.start, change.end)
    if change.end > change.start and not runs and text[change.start:change.end].strip():
        return []  # only text the reader made up (a list number Word draws): nothing in the file to change
    out: list = []
    for run in runs:
        deleted = marker.revision(run, "del")
        run.addprevious(deleted)
        deleted.append(run)
        for child in run.iter():
            if _local(child) == "t":
                child.tag = marker.q("delText")
            elif _local(child) == "instrText":
                child.tag = marker.q("delInstrText")
        out.append(deleted)
    _delete_paragraph_marks(docx_text, marker, change, text)
    if not change.new:
        return out
    lines = change.new.split("\n")
    line_start, line_end = line_span(text, change.start)
    anchor = _anchor(docx_text, change, runs)
    if anchor is None:
        return out
    like, after = anchor
    if len(lines) > 1 and change.start == line_start and change.new.endswith("\n") and not runs:
        paragraph = _block_of(paragraph_of(like))
        for line in lines[:-1]:  # new lines before this one
            new_p = _new_paragraph(marker, paragraph, like, line)
            paragraph.addprevious(new_p)
            out.append(new_p)
        return out
    inline = lines[0] if len(lines) == 1 or change.end >= line_end or change.start == change.end else change.new
    if len(lines) > 1 and inline == change.new:
        inline = inline.replace("\n", "")  # a break in mid-line has no good paragraph form: run it on
        lines = [inline]
    if inline:
        inserted = marker.revision(like, "ins")
        inserted.append(marker.text_run(like, inserted, inline))
        if out:
            out[-1].addnext(inserted)
        elif after:
            _outer(like).addnext(inserted)
        else:
            _outer(like).addprevious(inserted)
        out.append(inserted)
    paragraph = _block_of(paragraph_of(like))
    for line in lines[1:]:  # new lines after this one, in order
        new_p = _new_paragraph(marker, paragraph, like, line)
        paragraph.addnext(new_p)
        paragraph = new_p
        out.append(new_p)
    return out


def _block_of(paragraph):
    """Where new paragraphs go beside ``paragraph``: beside its table when it sits in a cell."""
    block, current = paragraph, paragraph
    while current is not None:
        if _local(current) == "tbl":
            block = current
        current = current.getparent()
    return block


def _outer(run):
    """A run, or the w:del wrapping it: insertions go beside the wrapper, never inside it."""
    parent = run.getparent()
    return parent if parent is not None and _local(parent) == "del" else run


def _anchor(docx_text: DocxText, change: Change, runs: list) -> tuple[object, bool] | None:
    """The run whose format an insertion copies, and whether the insertion goes after it."""
    if runs:
        return runs[-1], True
    origins = docx_text.origins
    line_start, line_end = line_span(docx_text.text, change.start)
    for i in range(change.start, line_end):
        if origins[i] is not None:
            return origins[i][0].getparent(), False
    for i in range(change.start - 1, line_start - 1, -1):
        if origins[i] is not None:
            return origins[i][0].getparent(), True
    return None


def _new_paragraph(marker: Marker, paragraph, like, text: str):
    """A paragraph inserted as a tracked change, with the paragraph format of ``paragraph`` (none when
    it is a table)."""
    new_p = marker.element(paragraph, "p")
    p_pr = next((c for c in paragraph if _local(c) == "pPr"), None) if _local(paragraph) == "p" else None
    p_pr = copy.deepcopy(p_pr) if p_pr is not None else marker.element(new_p, "pPr")
    # new text is body text: not a heading (outline level, heading style, list number) like its neighbour
    for old in [c for c in p_pr if _local(c) in ("rPr", "sectPr", "numPr", "outlineLvl", "pStyle", "keepNext")]:
        p_pr.remove(old)
    mark = marker.element(p_pr, "rPr")
    mark.append(marker.revision(mark, "ins"))
    p_pr.append(mark)
    new_p.append(p_pr)
    if text:
        inserted = marker.revision(new_p, "ins")
        inserted.append(marker.text_run(like, inserted, text))
        new_p.append(inserted)
    return new_p


def _delete_paragraph_marks(docx_text: DocxText, marker: Marker, change: Change, text: str) -> None:
    """A line deleted with its line break: its paragraph mark goes too, so no empty paragraph stays."""
    position = change.start
    while position < change.end:
        line_start, line_end = line_span(text, position)
        if line_start >= change.start and line_end < change.end:  # the whole line and its "\n"
            runs = runs_in(docx_text, line_start, line_end)
            paragraph = paragraph_of(runs[0]) if runs else None
            if paragraph is not None and in_part(docx_text, paragraph, docx_text.package.main):
                p_pr = next((c for c in paragraph if _local(c) == "pPr"), None)
                if p_pr is None:
                    p_pr = marker.element(paragraph, "pPr")
                    paragraph.insert(0, p_pr)
                r_pr = next((c for c in p_pr if _local(c) == "rPr"), None)
                if r_pr is None:
                    r_pr = marker.element(p_pr, "rPr")
                    after = [c for c in p_pr if _local(c) in ("sectPr", "pPrChange")]
                    (after[0].addprevious(r_pr) if after else p_pr.append(r_pr))
                r_pr.insert(0, marker.revision(r_pr, "del"))
        position = line_end + 1


def diff_changes(old: str, new: str, keep: set[int] | frozenset[int] = frozenset()) -> list[Change]:
    """The changes that turn ``old`` into ``new``: lines matched first, then characters inside
    changed lines, with short common stretches folded in so a change reads as one phrase — but never
    across an offset in ``keep`` (table cell edges: a change stays inside its cell)."""
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    old_starts = line_starts(old_lines)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            at = old_starts[i1] if i1 < len(old_lines) else len(old)
            added = "\n".join(new_lines[j1:j2])
            if i1 < len(old_lines):
                changes.append(Change(at, at, added + "\n"))
            else:
                changes.append(Change(at, at, "\n" + added))
            continue
        if tag == "delete":
            start = old_starts[i1]
            end = old_starts[i2] if i2 < len(old_lines) else len(old)
            if i2 >= len(old_lines) and start > 0:
                start -= 1  # the last lines go with the break before them
            changes.append(Change(start, end, ""))
            continue
        changes.extend(_block_changes(old_lines, new_lines, (old_starts, line_starts(new_lines)), (i1, i2, j1, j2),
                                      keep, len(old)))
    return changes


MIN_LINE_SIMILARITY = 0.4


def _block_changes(old_lines: list[str], new_lines: list[str], starts: tuple[list[int], list[int]],
                   block: tuple[int, int, int, int], keep, old_len: int) -> list[Change]:
    """A block of changed lines: each old line paired with the next new line like it (in order),
    paired lines diffed by characters, the rest whole-line insertions and deletions."""
    i1, i2, j1, j2 = block
    old_starts, new_starts = starts
    changes: list[Change] = []
    j = j1
    last_end: int | None = None
    for i in range(i1, i2):
        line_start = old_starts[i]
        line_end = line_start + len(old_lines[i])
        best, best_ratio = None, MIN_LINE_SIMILARITY
        for m in range(j, j2):
            matcher = difflib.SequenceMatcher(None, old_lines[i], new_lines[m], autojunk=False)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue  # cheap upper bounds first: a long block of changed lines stays fast
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = m, ratio
        if best is None:
            end = old_starts[i + 1] if i + 1 < len(old_lines) else old_len
            start = line_start - 1 if i + 1 >= len(old_lines) and line_start > 0 else line_start
            changes.append(Change(start, end, ""))
            continue
        if best > j:
            changes.append(Change(line_start, line_start, "\n".join(new_lines[j:best]) + "\n"))
        local_keep = {k - line_start for k in keep if line_start <= k <= line_end}
        changes.extend(Change(line_start + a, line_start + b, text, at=new_starts[best] + at)
                       for a, b, text, at in _char_changes(old_lines[i], new_lines[best], local_keep))
        j = best + 1
        last_end = line_end
    if j < j2:
        if last_end is None:
            at = old_starts[i1]
            changes.append(Change(at, at, "\n".join(new_lines[j:j2]) + "\n"))
        else:
            changes.append(Change(last_end, last_end, "\n" + "\n".join(new_lines[j:j2])))
    return changes


def _char_changes(a: str, b: str, keep: set[int]) -> list[tuple[int, int, str, int]]:
    from drafter.layout_map import diff_opcodes

    merged: list[list[int]] = []  # [i1, i2, j1, j2]
    for tag, i1, i2, j1, j2 in diff_opcodes(a, b, merge=False):
        if tag == "equal":
            continue
        if merged and (i1 - merged[-1][1] < MIN_EQUAL or j1 - merged[-1][3] < MIN_EQUAL) \
                and "\n" not in a[merged[-1][1]:i1] and not any(merged[-1][1] <= k <= i1 for k in keep):
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    return [(i1, i2, b[j1:j2], j1) for i1, i2, j1, j2 in merged]
