"""`check --annotate`: a copy of the user's own .docx with each finding as a Word comment (批注).

Nothing else in the file changes: runs are split only at the edges of the offending text (their
formatting copied), and the comments go into ``word/comments.xml`` (appended after any the user
already has). Word does not allow comments in page headers, footers or footnotes, so a finding there
is anchored on the first line of the body and says where it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.docx_package import add_part, save_copy, serialize
from drafter.docx_reader import DocxText
from drafter.docx_runs import Marker, in_part, real_span, runs_in, split_at
from drafter.report import ParagraphKind

COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_WHERE = {ParagraphKind.HEADER: "页眉", ParagraphKind.FOOTER: "页脚", ParagraphKind.FOOTNOTE: "脚注"}


@dataclass(frozen=True)
class Note:
    """A comment to place: the span it marks and its text (one paragraph per line)."""

    start: int
    end: int
    text: str


def annotate_docx(docx_text: DocxText, notes: list[Note]) -> tuple[bytes, int]:
    """The package's bytes with ``notes`` as comments; returns (bytes, comments placed)."""
    marker = Marker.for_text(docx_text)
    spans = [(note, _anchor(docx_text, note)) for note in notes]
    docx_text = split_at(docx_text, {o for _, (s, e, _) in spans for o in (s, e)})
    comments = _comments_root(docx_text, marker)
    placed = 0
    for note, (start, end, where) in spans:
        runs = [r for r in runs_in(docx_text, start, end) if in_part(docx_text, r, docx_text.package.main)]
        if not runs:
            continue
        comment_id = marker.new_id()
        text = f"{where}“{docx_text.text[note.start:note.end]}”：{note.text}" if where else note.text
        add_comment(marker, comments, comment_id, text)
        mark_range(marker, runs[0], runs[-1], comment_id)
        placed += 1
    replaced = {docx_text.package.main: serialize(docx_text.package.document)}
    add_part(docx_text.package, _comments_name(docx_text), comments, COMMENTS_TYPE, COMMENTS_CONTENT, replaced)
    return save_copy(docx_text.package.path, replaced), placed


def _anchor(docx_text: DocxText, note: Note) -> tuple[int, int, str]:
    """Where the comment goes: the note's own characters in the body, else the first body line."""
    kind = docx_text.part_of(note.start)
    span = real_span(docx_text, note.start, max(note.end, note.start + 1)) if kind is None else None
    if span is not None:
        return span[0], span[1], ""
    first = next((i for i, o in enumerate(docx_text.origins) if o is not None
                  and in_part(docx_text, o[0], docx_text.package.main)), 0)
    end = docx_text.text.find("\n", first)
    return first, end if end >= 0 else len(docx_text.text), _WHERE.get(kind, "") if kind else ""


def _comments_name(docx_text: DocxText) -> str:
    names = docx_text.package.related.get("comments", [])
    if names:
        return names[0]
    folder = docx_text.package.main.rsplit("/", 1)[0] if "/" in docx_text.package.main else ""
    return f"{folder}/comments.xml" if folder else "comments.xml"


def _comments_root(docx_text: DocxText, marker: Marker):
    existing = docx_text.package.part("comments")
    if existing is not None:
        return existing
    from lxml import etree

    return etree.Element(marker.q("comments"), nsmap={"w": marker.ns})


def add_comment(marker: Marker, comments, comment_id: str, text: str) -> None:
    """A ``w:comment`` by drafter; each line of ``text`` a paragraph of it."""
    comment = marker.element(comments, "comment", id=comment_id, author="drafter", date=marker.date, initials="DR")
    for i, line in enumerate(text.split("\n")):
        paragraph = marker.element(comment, "p")
        if i == 0:
            ref = marker.element(paragraph, "r")
            ref.append(marker.element(ref, "annotationRef"))
            paragraph.append(ref)
        paragraph.append(marker.text_run(None, paragraph, line))
        comment.append(paragraph)
    comments.append(comment)


def mark_range(marker: Marker, first, last, comment_id: str) -> None:
    """commentRangeStart before ``first``, commentRangeEnd and the reference run after ``last``."""
    first.addprevious(marker.element(first, "commentRangeStart", id=comment_id))
    end = marker.element(last, "commentRangeEnd", id=comment_id)
    last.addnext(end)
    ref_run = marker.element(last, "r")
    ref_run.append(marker.element(ref_run, "commentReference", id=comment_id))
    end.addnext(ref_run)


def finding_note(finding) -> Note:
    """The comment for a ``Finding``: its message, the suggestion, and the rule id to look it up."""
    lines = [finding.message]
    if finding.suggestion:
        lines.append(f"建议改为：{finding.suggestion}")
    elif finding.suggestion == "":
        lines.append("建议删除。")
    lines.append(f"（drafter 规则 {finding.rule}）")
    return Note(finding.start, finding.end, "\n".join(lines))
