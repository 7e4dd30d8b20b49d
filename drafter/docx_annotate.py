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


_LISTED = 8  # occurrences a grouped comment spells out


def finding_notes(findings) -> list[Note]:
    """The comments for a check's findings: one a finding, except that a rule firing more than once in one
    paragraph gets one comment there listing its occurrences — a 45,000-character report copied from the web
    had 2,240 half-width commas, and a reviewer cannot page through 2,240 comments."""
    by_place: dict[tuple[str, int], list] = {}
    for finding in findings:
        by_place.setdefault((finding.rule, finding.line), []).append(finding)
    notes = [finding_note(group[0]) if len(group) == 1 else _group_note(group) for group in by_place.values()]
    return sorted(notes, key=lambda note: (note.start, note.end))


def _group_note(group: list) -> Note:
    first = group[0]
    shown = []
    for f in group[:_LISTED]:
        if f.suggestion:
            shown.append(f"“{f.text}”→“{f.suggestion}”")
        else:
            shown.append(f"删去“{f.text}”" if f.suggestion == "" else f"“{f.text}”")
    more = f"等 {len(group)} 处" if len(group) > _LISTED else ""
    lines = [f"本段有 {len(group)} 处同类问题：{'；'.join(shown)}{more}。", first.message, f"（drafter 规则 {first.rule}）"]
    return Note(first.start, first.end, "\n".join(lines))  # on the first one: the list says where the others are


def finding_note(finding) -> Note:
    """The comment for a ``Finding``: its message, the suggestion, and the rule id to look it up."""
    lines = [finding.message]
    if finding.suggestion:
        lines.append(f"建议改为：{finding.suggestion}")
    elif finding.suggestion == "":
        lines.append("建议删除。")
    lines.append(f"（drafter 规则 {finding.rule}）")
    return Note(finding.start, finding.end, "\n".join(lines))
