"""Find the runs of the user's own .docx behind a span of its text, splitting runs where needed.

Comments and tracked changes must touch exactly the offending characters and leave every other
property of the file alone. A run is split by copying its ``w:rPr`` to the new half, so what the user
sees does not change; after all splits the text is read again (same text, fresh origins) and each
span then covers whole runs.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from drafter.docx_numbering import _local
from drafter.docx_reader import DocxText, read_package

Element = Any
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "drafter"


def w_ns(docx_text: DocxText) -> str:
    """The WordprocessingML namespace the file uses (transitional or strict): new elements match it."""
    tag = docx_text.package.document.tag
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


@dataclass
class Marker:
    """Creates elements in the file's namespace, with ids above any already used."""

    ns: str
    next_id: int
    date: str

    @classmethod
    def for_text(cls, docx_text: DocxText) -> Marker:
        used = [0]
        for root in docx_text.package.parts.values():
            for element in root.iter():
                value = element.get(f"{{{w_ns(docx_text)}}}id")
                if value is not None and value.lstrip("-").isdigit():
                    used.append(int(value))
        now = datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        return cls(w_ns(docx_text), max(used) + 1, now)

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def new_id(self) -> str:
        value = self.next_id
        self.next_id += 1
        return str(value)

    def element(self, parent: Element, name: str, **attrs: str) -> Element:
        return parent.makeelement(self.q(name), {self.q(k): v for k, v in attrs.items()})

    def revision(self, parent: Element, name: str) -> Element:
        return self.element(parent, name, id=self.new_id(), author=AUTHOR, date=self.date)

    def text_run(self, like: Element | None, parent: Element, text: str) -> Element:
        """A run with ``text``, formatted like ``like`` (its ``w:rPr`` copied)."""
        run = self.element(parent, "r")
        r_pr = _rpr(like) if like is not None else None
        if r_pr is not None:
            run.append(copy.deepcopy(r_pr))
        t = self.element(run, "t")
        t.set(XML_SPACE, "preserve")
        t.text = text
        run.append(t)
        return run


def split_at(docx_text: DocxText, offsets: set[int]) -> DocxText:
    """Make a run boundary at each offset (between characters ``o-1`` and ``o``); returns the text
    read again from the same, modified parts."""
    cuts: dict[Element, set[int]] = defaultdict(set)
    for offset in offsets:
        for index, side in ((offset, 0), (offset - 1, 1)):
            if 0 <= index < len(docx_text.origins) and docx_text.origins[index] is not None:
                t, i = docx_text.origins[index]
                cuts[t].add(i + side)
    for t, positions in cuts.items():
        for i in sorted(positions, reverse=True):  # from the right: earlier positions stay valid in t
            _split_run(t, i)
    return read_package(docx_text.package)


def _split_run(t: Element, i: int) -> None:
    run = t.getparent()
    if run is None or _local(run) != "r":
        return
    text = t.text or ""
    if 0 < i < len(text):
        tail = t.makeelement(t.tag, {XML_SPACE: "preserve"})
        tail.text = text[i:]
        t.text = text[:i]
        t.set(XML_SPACE, "preserve")
        t.addnext(tail)
        pivot = tail
    elif i <= 0:
        pivot = t
    else:
        pivot = t.getnext()
        if pivot is None:
            return
    content = [c for c in run if _local(c) != "rPr"]
    if not content or content[0] is pivot:
        return
    new_run = run.makeelement(run.tag, dict(run.attrib))
    r_pr = _rpr(run)
    if r_pr is not None:
        new_run.append(copy.deepcopy(r_pr))
    moving = False
    for child in list(run):
        if child is pivot:
            moving = True
        if moving:
            new_run.append(child)
    run.addnext(new_run)


def _rpr(run: Element) -> Element | None:
    return next((c for c in run if _local(c) == "rPr"), None)


def runs_in(docx_text: DocxText, start: int, end: int) -> list[Element]:
    """The runs holding the real characters of ``[start, end)``, in order, each once."""
    runs: list[Element] = []
    for origin in docx_text.origins[start:end]:
        if origin is None:
            continue
        run = origin[0].getparent()
        if run is not None and (not runs or runs[-1] is not run) and run not in runs:
            runs.append(run)
    return runs


def line_span(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end >= 0 else len(text)


def real_span(docx_text: DocxText, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` if it holds a real character, else its whole line when that does, else None."""
    if any(o is not None for o in docx_text.origins[start:end]):
        return start, end
    line_start, line_end = line_span(docx_text.text, start)
    if any(o is not None for o in docx_text.origins[line_start:line_end]):
        return line_start, line_end
    return None


def in_part(docx_text: DocxText, element: Element, name: str) -> bool:
    return element.getroottree().getroot() is docx_text.package.parts.get(name)


def paragraph_of(element: Element) -> Element | None:
    current = element
    while current is not None and _local(current) != "p":
        current = current.getparent()
    return current
