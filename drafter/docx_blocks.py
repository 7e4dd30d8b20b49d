"""A ``Report`` as the paragraphs of the output document: one ``Block`` per line of its text, with
the parts that take a heading font, table rows grouped by table, asides set apart."""

from __future__ import annotations

from dataclasses import dataclass

from drafter import regexes
from drafter.headings import split_heading
from drafter.parse import iter_lines
from drafter.report import ParagraphKind, Report


@dataclass(frozen=True)
class Block:
    """One output paragraph: text parts, each with the heading level whose font it takes (0 = body).

    ``（一）专题研究。今年……`` is one block of two parts: ``(（一）专题研究。, 2)`` and ``(今年……, 0)``.
    """

    kind: ParagraphKind
    parts: tuple[tuple[str, int], ...]
    level: int = 0  # the paragraph's heading level, 0 when it is not a heading
    # a table row (``Report.tables``): its cells' texts, which table (index), whether a header row
    cells: tuple[str, ...] = ()
    table: int = -1
    header: bool = False

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.parts)


@dataclass(frozen=True)
class _Span:
    """A report element by offsets; a heading's first ``head_len`` characters take the heading font."""

    start: int
    end: int
    kind: ParagraphKind
    level: int = 0
    head_len: int = 0
    text: str = ""  # the element's own text, used when offsets do not index ``report.text``


def report_blocks(report: Report) -> list[Block]:
    """The report's paragraphs in source order: one ``Block`` per non-blank line of ``report.text``.

    Going by lines, not by parsed elements, keeps a line that carries several headings (a flattened
    copy: ``一、…… （一）……``) one paragraph, so exporting and reading back gives the same lines.
    Residue (document-site junk found by cleaning) is left out: it must never reach the 宣传部.
    """
    spans = _spans(report)
    if not all(_indexes(report.text, span) for span in spans):
        # a generated Report whose offsets do not index its text: one paragraph per element
        return [_block(report.text, [span], span.start, span.end, use_offsets=False) for span in spans]
    residue = [(p.start, p.end) for p in report.residue]
    asides = {(a.start, a.end): a.kind for a in report.asides}
    rows = {row.start: (index, row) for index, table in enumerate(report.tables) for row in table.rows}
    blocks = []
    ordered = iter(spans)
    pending = next(ordered, None)
    for line_start, line_end in iter_lines(report.text):
        on_line = []
        while pending is not None and pending.start < line_end:
            if pending.start >= line_start:
                on_line.append(pending)
            pending = next(ordered, None)
        if not on_line and any(s < line_end and line_start < e for s, e in residue):
            continue
        aside = next((kind for (s, e), kind in asides.items() if s <= line_start < e or s == line_start), None)
        if aside is not None:  # headers and footers go to the page, footnotes to a 附注
            if aside is ParagraphKind.FOOTNOTE:
                blocks.append(Block(ParagraphKind.FOOTNOTE, ((report.text[line_start:line_end], 0),)))
            continue
        row = rows.get(line_start)
        if row is not None:
            index, table_row = row
            cells = tuple(report.text[c.start:c.end] if c.in_text else c.text for c in table_row.cells)
            blocks.append(Block(ParagraphKind.BODY, ((report.text[line_start:line_end], 0),), cells=cells,
                                table=index, header=table_row.header))
            continue
        blocks.append(_block(report.text, on_line, line_start, line_end, use_offsets=True))
    return blocks


def _spans(report: Report) -> list[_Span]:
    spans = [_Span(p.start, p.end, p.kind, text=p.text)
             for p in (report.title, report.addressee, report.signature, report.date) if p is not None]
    spans.extend(_Span(p.start, p.end, ParagraphKind.BODY, text=p.text) for p in [*report.opening, *report.closing])
    for section in report.walk():
        h = section.heading
        end = h.rest_start + len(h.rest) if h.rest else h.end
        spans.append(_Span(h.start, end, ParagraphKind.HEADING, h.level, len(h.full), text=h.full + h.rest))
        spans.extend(_Span(p.start, p.end, ParagraphKind.BODY, text=p.text) for p in section.paragraphs)
    return sorted(spans, key=lambda span: span.start)


def _indexes(text: str, span: _Span) -> bool:
    if span.kind is ParagraphKind.HEADING:  # the source may have spaces between heading and sentence
        return "".join(text[span.start : span.end].split()) == "".join(span.text.split())
    return text[span.start : span.end] == span.text


def _block(text: str, spans: list[_Span], line_start: int, line_end: int, use_offsets: bool) -> Block:
    if not spans:  # a line no element claims: keep it as body text rather than lose it
        return Block(ParagraphKind.BODY, ((text[line_start:line_end], 0),))
    first = spans[0]
    if not use_offsets:
        parts = [(first.text[: first.head_len], first.level), (first.text[first.head_len :], 0)]
    else:
        parts, pos = [], line_start
        for span in spans:
            parts.append((text[pos : span.start], 0))  # spaces between run-on elements
            if span.kind is ParagraphKind.HEADING:
                parts.append((text[span.start : span.start + span.head_len], span.level))
                parts.append((text[span.start + span.head_len : span.end], 0))
            else:
                parts.append((text[span.start : span.end], 0))
            pos = max(pos, span.end)
        parts.append((text[pos:line_end], 0))
    return Block(first.kind, tuple((t, level) for t, level in parts if t), first.level)


_RUN_ON_HEADING = regexes.compile(r"(?<=[。！？；])[（(][一二三四五六七八九十]{1,3}[）)]")


def run_on_parts(block: Block) -> tuple[tuple[str, int], ...]:
    """A line of （一）…… headings run together (``（一）专题研究。今年……。（二）压实责任。签订……``):
    each later （二） and its heading phrase takes the level-2 font like the first, not 仿宋."""
    if block.level != 2:
        return block.parts
    out: list[tuple[str, int]] = []
    for text, level in block.parts:
        if level:
            out.append((text, level))
            continue
        pos = 0
        for m in _RUN_ON_HEADING.finditer(text):
            head, _rest, rest_at = split_heading(text[m.end():])
            head_end = m.end() + (len(head) if rest_at >= len(text) - m.end() else rest_at)
            out.extend(((text[pos:m.start()], 0), (text[m.start():head_end], 2)))
            pos = head_end
        out.append((text[pos:], 0))
    return tuple((t, lv) for t, lv in out if t)
