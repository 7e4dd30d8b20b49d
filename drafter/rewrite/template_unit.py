"""The template's own unit and the other places it names, so every mention of them — suffixed, bare,
or inside a media name — is replaced by the user's or marked, and never leaks into a to-do marker."""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafter import regexes
from drafter.edits import Edit
from drafter.gazetteer import COUNTY, PREFECTURE, PROVINCE, TOWNSHIP, find_places
from drafter.markers import MARKER_RE, VERIFY, marker
from drafter.rewrite.names import MEDIA_SUFFIX, enclosing_quote
from drafter.unit import UnitInfo

if TYPE_CHECKING:
    from drafter.rewrite.entities import OwnName

# "2019年勐约乡意识形态工作总结", "关于松林乡落实意识形态工作责任制情况的报告", "中共松林乡委员会"
_TITLE_UNIT = regexes.compile(r"(?:^|年|关于)(?P<name>[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡))(?=[^\n]{0,12}(?:意识形态|宣传|工作|精神文明|文明实践|落实|关于))")
_SIGNATURE_UNIT = regexes.compile(r"^(?:中共)?(?P<name>[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡))(?:党?委员会|党委|党工委|人民政府|办事处)\s*$",
                             re.M)
_LIST_NUMBER = regexes.compile(r"^(?:[（(]?\d{1,3}[）)]|\d{1,3}[、.．])")
_GENERIC = {"乡镇", "我乡", "我镇", "全乡", "全镇", "本乡", "本镇", "各乡镇", "城乡", "该乡", "该镇"}


@dataclass(frozen=True)
class ForeignName:
    name: str  # 松林乡 / 柏溪县
    stem: str  # 松林 / 柏溪
    level: str


def foreign_names(text: str, unit: UnitInfo) -> list[ForeignName]:
    own = unit.own_names()
    found: dict[str, ForeignName] = {}
    first_lines = "\n".join(text.split("\n")[:3])
    for m in list(_TITLE_UNIT.finditer(first_lines)) + list(_SIGNATURE_UNIT.finditer(text)):
        name = m.group("name")
        # "年初召开全镇宣传……": a phrase ending in 全镇/本镇 is the template speaking of itself, not a name
        if name not in own and not name.endswith(tuple(_GENERIC)):
            found[name] = ForeignName(name, _stem(name), TOWNSHIP)
    for p in find_places(text):
        if p.text in own or p.name in own or p.stem in own:
            continue
        if not p.known and any(len(n) >= 3 and p.name.endswith(n) for n in own):
            continue  # 提升禾坪镇: a word glued before the user's own name
        if p.level in (TOWNSHIP, COUNTY, PREFECTURE, PROVINCE) and len(p.stem) >= 2:
            found.setdefault(p.name, ForeignName(p.name, p.stem, p.level))
    return sorted(found.values(), key=lambda f: -len(f.name))


def foreign_name_edits(text: str, unit: UnitInfo, names: list[ForeignName],
                       owns: "list[OwnName] | None" = None) -> list[Edit]:
    """Every mention of ``names``: the user's name, or inside a quote or a media name a marker — or the
    user's own platform of that kind when the facts name one (``owns``: 勐约微信公众号 → “禾坪发布”微信公众号)."""
    from drafter.rewrite.entities import equivalent, kind_of

    edits: list[Edit] = []
    used: set[str] = set()
    taken: list[tuple[int, int]] = []
    for f in names:
        for word, bare in ((f.name, False), (f.stem, True)):
            for m in re.finditer(re.escape(word), text):
                s, e = m.span()
                if any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                quoted = enclosing_quote(text, s, e)
                if quoted is not None:
                    edits.append(Edit(quoted[0], quoted[1], text[quoted[0] : quoted[1]], marker(VERIFY, "名称"),
                                      "verify-name", note="引号内是范文单位的名称，请核实后改写"))
                    continue
                media = MEDIA_SUFFIX.match(text, e)
                own = equivalent(owns or [], kind_of(text, s, e), used) if media else None
                if media and own:
                    used.add(own)
                    edits.append(Edit(s, e, word, own, "entity", note=f"范文单位的平台，按事实文件换成本单位的{own}"))
                    continue
                product = _product_after(text, e)
                if product and not media:
                    edits.append(Edit(s, e + len(product), text[s : e + len(product)], marker(VERIFY, "产品或品牌名称"),
                                      "verify-name", note="范文所在地的特产或品牌，请换成本地的或删去"))
                    continue
                if media:
                    edits.append(Edit(s, media.end(), text[s : media.end()], marker(VERIFY, "媒体名称"),
                                      "verify-name", note="范文里的外地媒体，请换成本地实际用稿的媒体"))
                    continue
                new = _replacement(f.level, unit, bare)
                if new:
                    edits.append(Edit(s, e, word, new, "unit-name", note=f"范文单位“{f.name}”换成本单位"))
                else:
                    edits.append(Edit(s, e, word, marker(VERIFY, "地名"), "verify-name"))
    return edits


def scrub_marker_edits(text: str, names: list[ForeignName], unit: UnitInfo | None = None) -> list[Edit]:
    """Marker labels cleaned: no foreign name in them (a marker must not carry the template's places),
    and no cut name (【待补充：平县人民政府信息网采用条数】 had 和平县 cut at 和, read as a conjunction)."""
    words = sorted({w for f in names for w in (f.name, f.stem)}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, words))) if words else None
    whole = [n for n in ((unit.name, unit.county, unit.city, unit.province) if unit else ()) if n and len(n) >= 3]
    edits = []
    for m in MARKER_RE.finditer(text):
        label = pattern.sub("", m.group(2)) if pattern else m.group(2)
        label = _LIST_NUMBER.sub("", _uncut(label, whole))  # 【待补充：1.更新宣传栏数量】: the 1. is the list's
        new = marker(m.group(1), label)
        if new != m.group(0):
            edits.append(Edit(m.start(), m.end(), m.group(0), new, "marker-tidy", note="标记里不留范文的地名，也不截断名称"))
    return edits


def _uncut(label: str, names: list[str]) -> str:
    for name in names:
        if label.startswith(name):
            return label
        for k in range(1, len(name) - 1):
            if label.startswith(name[k:]):
                return name[:k] + label
    return label


def _product_after(text: str, end: int) -> str:
    from drafter.resources import load_lexicon

    for word in sorted(load_lexicon("template_entities")["place_products"], key=len, reverse=True):
        if text.startswith(word, end):
            return word
    return ""


def _replacement(level: str, unit: UnitInfo, bare: bool) -> str:
    full = {TOWNSHIP: unit.name, COUNTY: unit.county, PREFECTURE: unit.city, PROVINCE: unit.province}.get(level, "")
    if not full:
        return ""
    if not bare:
        return full
    return unit.short if level == TOWNSHIP else _stem(full)


def _stem(name: str) -> str:
    for suffix in ("街道", "自治州", "自治县", "镇", "乡", "县", "市", "州", "区", "省"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
