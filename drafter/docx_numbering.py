"""Word's automatic list numbering, enough to rebuild labels like 一、 / （一） / 1. / （1）."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafter.numerals import int_to_chinese

Element = Any  # lxml.etree._Element


def _local(element: Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""  # comments and PIs have no name


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c) == name), None)


def _attr(element: Element | None, name: str) -> str | None:
    """An attribute by local name (``w:val`` in either namespace)."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return value
    return None


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    style: str | None = None  # a paragraph style linked to this level (标题 1 → 一、)


@dataclass
class Numbering:
    """Word's list numbering, enough to rebuild labels like 一、 / （一） / 1. / （1）.

    Counters are kept per abstract list, as Word does for lists that share one; a ``w:num`` with a
    start override restarts them the first time it is used.
    """

    numbering: Element | None
    styles: Element | None
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_abstract: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    style_num: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for element in self.numbering if self.numbering is not None else []:
            name = _local(element)
            if name == "abstractNum":
                levels = {}
                for lvl in element:
                    if _local(lvl) == "lvl":
                        levels[_int(_attr(lvl, "ilvl"), 0)] = _Level(
                            fmt=_attr(_child(lvl, "numFmt"), "val") or "decimal",
                            text=_attr(_child(lvl, "lvlText"), "val") or "",
                            start=_int(_attr(_child(lvl, "start"), "val"), 1),
                            style=_attr(_child(lvl, "pStyle"), "val"),
                        )
                self.abstract[_attr(element, "abstractNumId") or ""] = levels
            elif name == "num":
                num_id = _attr(element, "numId") or ""
                self.num_abstract[num_id] = _attr(_child(element, "abstractNumId"), "val") or ""
                for override in element:
                    start = _child(override, "startOverride") if _local(override) == "lvlOverride" else None
                    if start is not None:
                        level = _int(_attr(override, "ilvl"), 0)
                        self.overrides.setdefault(num_id, {})[level] = _int(_attr(start, "val"), 1)
        for style in self.styles if self.styles is not None else []:
            if _local(style) == "style":
                p_pr = _child(style, "pPr")
                num_pr = _child(p_pr, "numPr") if p_pr is not None else None
                num_id = _attr(_child(num_pr, "numId"), "val") if num_pr is not None else None
                ilvl = _attr(_child(num_pr, "ilvl"), "val") if num_pr is not None else None
                self.style_num[_attr(style, "styleId") or ""] = (
                    num_id, _int(ilvl, None), _attr(_child(style, "basedOn"), "val"))

    def label(self, p: Element) -> str:
        if not self.abstract:
            return ""
        p_pr = _child(p, "pPr")
        num_pr = _child(p_pr, "numPr") if p_pr is not None else None
        num_id = _attr(_child(num_pr, "numId"), "val") if num_pr is not None else None
        ilvl_text = _attr(_child(num_pr, "ilvl"), "val") if num_pr is not None else None
        ilvl = _int(ilvl_text, None)
        style_id = _attr(_child(p_pr, "pStyle"), "val") if p_pr is not None else None
        if num_id is None and style_id:
            num_id, style_ilvl = self._style_numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self.num_abstract:
            return ""
        levels = self.abstract.get(self.num_abstract[num_id], {})
        if ilvl is None:  # a heading style linked to a level of a multilevel list
            ilvl = next((i for i, lvl in levels.items() if style_id and lvl.style == style_id), 0)
        if ilvl not in levels:
            return ""
        return self._advance(num_id, levels, ilvl)

    def _style_numbering(self, style_id: str) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen and current in self.style_num:
            seen.add(current)
            num_id, ilvl, based_on = self.style_num[current]
            if num_id is not None:
                return num_id, ilvl
            current = based_on
        return None, None

    def _advance(self, num_id: str, levels: dict[int, _Level], ilvl: int) -> str:
        key = self.num_abstract[num_id]
        counters = self.counters.setdefault(key, [None] * 10)
        overrides = self.overrides.get(num_id, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for level in overrides:
                if 0 <= level < 10:
                    counters[level] = None
        current = counters[ilvl]
        counters[ilvl] = overrides.get(ilvl, levels[ilvl].start) if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""  # bullet glyphs are private-use symbols; a bullet is not a heading marker
        label = level.text
        for i in range(9, -1, -1):
            token = f"%{i + 1}"
            if token in label:
                source = levels.get(i, _Level())
                value = counters[i] if counters[i] is not None else overrides.get(i, source.start)
                label = label.replace(token, format_number(value, source.fmt))
        return label


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_LEGAL = dict(zip("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟", strict=True))


def format_number(value: int, fmt: str) -> str:
    """A list counter in a Word number format (``w:numFmt``): chineseCounting 12 → 十二, etc."""
    if value < 0:
        return str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return int_to_chinese(value) if value else "〇"
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL.get(ch, ch) for ch in int_to_chinese(value))
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[value - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return _CIRCLED[value - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _int(text: str | None, default: Any) -> Any:
    """Numbering attributes as int; a malformed value (seen in hand-edited files) means the default."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _roman(value: int) -> str:
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)
