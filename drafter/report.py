"""The one ``Report`` model every reader, rule, generator and writer speaks.

Offsets (``start``/``end``) index the source text the report was parsed from, so findings and edits
can point back at what the user sees. A report built by a generator has offsets into its own text.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class ParagraphKind(StrEnum):
    TITLE = "title"
    ADDRESSEE = "addressee"
    OPENING = "opening"
    HEADING = "heading"
    BODY = "body"
    CLOSING = "closing"
    SIGNATURE = "signature"
    DATE = "date"
    RESIDUE = "residue"
    # Text a .docx holds outside the body; kept in the text (so check sees it), out of the section tree.
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"


@dataclass
class Paragraph:
    text: str
    start: int
    end: int
    kind: ParagraphKind = ParagraphKind.BODY


@dataclass
class Heading:
    """A numbered heading: ``（一）专题研究，狠抓落实。`` → level 2, number 1, marker ``（一）``.

    ``text`` is the heading proper without its marker; ``rest`` is a first sentence that shared its
    line, and ``rest_start`` where it begins (``end`` when there is none).
    """

    level: int
    number: int
    marker: str
    text: str
    start: int
    end: int
    rest: str = ""
    rest_start: int = -1

    @property
    def full(self) -> str:
        return self.marker + self.text


@dataclass
class Section:
    heading: Heading
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    topic: str | None = None
    role: str | None = None  # 工作情况 / 存在问题 / 下一步计划 (see drafter.corpus.topics)
    start: int = 0
    end: int = 0

    @property
    def level(self) -> int:
        return self.heading.level

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def body_text(self) -> str:
        """The section's own prose (first sentence on the heading line included), children excluded."""
        parts = [self.heading.rest] if self.heading.rest else []
        parts.extend(p.text for p in self.paragraphs)
        return "\n".join(parts)


@dataclass
class TableCell:
    """One cell; ``start``/``end`` index the text when ``in_text`` (a sequence-number cell is not: its
    ``text`` is kept for writing the table back, but no rule or rewrite sees it)."""

    text: str
    start: int
    end: int
    in_text: bool = True


@dataclass
class TableRow:
    """A row is one line of the text that reads naturally (``专题会议：5次``): the first cell is the
    item, a number cell and a unit cell beside it run together, separators are the reader's own."""

    cells: list[TableCell]
    start: int
    end: int
    header: bool = False


@dataclass
class Table:
    rows: list[TableRow]
    start: int
    end: int

    @property
    def columns(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


@dataclass
class Layout:
    """What a reader knows beyond the text (a .docx's tables, headers, footers, footnotes), by offsets
    into the text; ``notices`` are Chinese lines to show the user once (批注 not read …)."""

    tables: list[Table] = field(default_factory=list)
    asides: list[Paragraph] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class Report:
    text: str
    title: Paragraph | None = None
    addressee: Paragraph | None = None
    opening: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)
    signature: Paragraph | None = None
    date: Paragraph | None = None
    residue: list[Paragraph] = field(default_factory=list)
    # Labels set by the corpus/planner: report type (年度意识形态工作总结 …), year, span (全年/上半年).
    meta: dict[str, str | int] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)  # rows are also lines of body text (sections)
    asides: list[Paragraph] = field(default_factory=list)  # page header/footer and footnote lines

    def walk(self):
        for section in self.sections:
            yield from section.walk()

    def headings(self) -> list[Heading]:
        return [s.heading for s in self.walk()]
