"""Rule ``foreign-place``: place names that are not the user's own — a copied template's 勐约乡, 陇川县, 德宏.

Whose place is whose comes from the unit (``--unit`` or the facts file) and the gazetteer: the user's
own names (``UnitInfo.own_names()``) and the administrative parents of the user's township, when the
gazetteer knows it, are never flagged. Severity follows how sure we are:

- another township (勐约乡, bare 勐约, an unknown 鸡鸣乡): error;
- a county or prefecture: error when it is known not to be the user's (the facts name another county,
  the gazetteer puts the user's township elsewhere, or it is the parent of a foreign township found in
  the same document); info, once per name, when we cannot tell;
- a province: a warning, only when known not to be the user's;
- a village or hamlet (we have no village list): info, once per name, asking the user to confirm.

Without a unit nothing can be called foreign: each distinct place is reported once as info.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from drafter.findings import Finding, Severity
from drafter.gazetteer import (
    COUNTY,
    PREFECTURE,
    PROVINCE,
    TOWNSHIP,
    VILLAGE,
    Gazetteer,
    PlaceMention,
    find_places,
    gazetteer,
    stopwords,
)
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule
from drafter.unit import UnitInfo

RULE_ID = "foreign-place"
LEVEL_WORDS = {PROVINCE: "省份", PREFECTURE: "州市", COUNTY: "县市区", TOWNSHIP: "乡镇（街道）", VILLAGE: "村（社区）"}


@rule(RULE_ID, Severity.ERROR, "他乡地名：范文里别的乡镇、县市名称（用 --unit 或事实文件说明本单位）")
def check_foreign_places(ctx: CheckContext) -> Iterator[Finding]:
    mentions = [m for m in find_places(ctx.text) if m.text not in stopwords()["well_known"]
                and m.name not in stopwords()["well_known"]]
    if ctx.unit is None:
        yield from _list_places(ctx, mentions)
        return
    owner = Ownership.of(ctx.unit, gazetteer())
    foreign_towns = [m for m in mentions if m.level == TOWNSHIP and not owner.owns(m)]
    parents_of_foreign = owner.ancestors(foreign_towns)
    seen_villages: set[str] = set()
    seen_unsure: set[str] = set()
    for m in mentions:
        if owner.owns(m):
            continue
        if m.level == VILLAGE:
            if m.name not in seen_villages:
                seen_villages.add(m.name)
                yield _village_finding(ctx, m, ctx.unit)
            continue
        finding = _foreign_finding(ctx, m, owner, parents_of_foreign)
        if finding is None or (finding.severity is Severity.INFO and m.name in seen_unsure):
            continue
        if finding.severity is Severity.INFO:  # "please confirm" needs saying once, not at every mention
            seen_unsure.add(m.name)
        yield finding
    yield from _other_province_media(ctx, ctx.unit)


def _other_province_media(ctx: CheckContext, unit: UnitInfo) -> Iterator[Finding]:
    """云报客户端 in a 湖南 report: a province's media that does not carry the province's name."""
    if not unit.province:
        return
    taken: list[tuple[int, int]] = []
    for province, names in load_lexicon("template_entities")["province_media"].items():
        if province == unit.province:
            continue
        for name in sorted(names, key=len, reverse=True):
            for m in re.finditer(re.escape(name), ctx.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append(m.span())
                message = (f"“{name}”是{province}的媒体，本单位在{unit.province}：多半是范文留下的，"
                           "请换成本地实际用稿的媒体或删去。")
                yield ctx.finding(RULE_ID, Severity.WARNING, m.start(), m.end(), message)


@dataclass
class Ownership:
    """What belongs to the user: names, and gazetteer rows (the township's parents when known)."""

    unit: UnitInfo
    gaz: Gazetteer
    names: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    rows: set[int] = field(default_factory=set)  # the user's township(s) and their ancestors
    located: bool = False  # the gazetteer knows the user's township

    @classmethod
    def of(cls, unit: UnitInfo, gaz: Gazetteer) -> "Ownership":
        own = cls(unit, gaz, names=unit.own_names())
        own.stems = {unit.short, *(_strip(n) for n in own.names)}
        candidates = list(gaz.ids(unit.name))
        for parent in (unit.county, unit.city, unit.province):
            if parent:  # none left: the user's township is not in the data (new, renamed or fictional)
                candidates = [c for c in candidates if any({parent, _strip(parent)} & gaz.names_of(p.id)
                                                           for p in gaz.lineage(c))]
        own.located = bool(candidates)
        for row in candidates:
            own.rows.update(p.id for p in gaz.lineage(row))
        for parent in (unit.county, unit.city, unit.province):
            ids = gaz.ids(parent) if parent else ()
            if len(ids) == 1:
                own.rows.update(p.id for p in gaz.lineage(ids[0]))
        return own

    def owns(self, m: PlaceMention) -> bool:
        if m.text in self.names or m.name in self.names or m.stem in self.stems:
            return True
        if not m.known and any(len(n) >= 3 and m.name.endswith(n) for n in self.names):
            return True  # 提升禾坪镇, 新禾坪镇: the pattern took a word before the user's own name
        return bool(self.rows.intersection(m.places))

    def ancestors(self, mentions: list[PlaceMention]) -> set[int]:
        rows: set[int] = set()
        for m in mentions:
            if len(m.places) == 1:  # only an unambiguous township says which county it is in
                rows.update(p.id for p in self.gaz.lineage(m.places[0])[:-1])
        return rows - self.rows

    def parent_at(self, level: str) -> str:
        return {COUNTY: self.unit.county, PREFECTURE: self.unit.city, PROVINCE: self.unit.province}.get(level, "")


def _foreign_finding(ctx: CheckContext, m: PlaceMention, owner: Ownership,
                     parents_of_foreign: set[int]) -> Finding | None:
    unit = owner.unit
    where = _where(m, owner.gaz)
    if m.level == TOWNSHIP:
        suggestion = unit.short if m.bare else unit.name
        message = (f"“{m.text}”{where}不是本单位（{unit.name}）的名称，多半是范文留下的他乡地名："
                   f"请改为“{suggestion}”，或删去这句他乡的事。")
        return ctx.finding(RULE_ID, Severity.ERROR, m.start, m.end, message, suggestion)
    own_parent = owner.parent_at(m.level)
    suggestion = (_strip(own_parent) if m.bare else own_parent) or None
    level_word = LEVEL_WORDS[m.level]
    if own_parent:
        reason = f"本单位所在的{level_word}是{own_parent}"
        severity = Severity.ERROR if m.level != PROVINCE else Severity.WARNING
    elif parents_of_foreign.intersection(m.places):
        reason = "它是本文中他乡地名所属的地方"
        severity = Severity.ERROR if m.level != PROVINCE else Severity.WARNING
    elif owner.located and m.known:
        reason = f"据行政区划数据，{unit.name}不在这里"
        severity = Severity.ERROR if m.level != PROVINCE else Severity.WARNING
    elif m.level == PROVINCE:
        return None  # a province named in passing (《四川省宗教事务条例》) is not evidence enough
    else:
        message = (f"“{m.text}”{where}：请确认是本单位（{unit.name}）所在的{level_word}；若是范文留下的，"
                   f"请改为本地名称。在事实文件里写明所属县市后可自动核对。")
        return ctx.finding(RULE_ID, Severity.INFO, m.start, m.end, message, suggestion)
    message = f"“{m.text}”{where}不是本单位的{level_word}（{reason}），多半是范文留下的：请改为本地名称或删去。"
    return ctx.finding(RULE_ID, severity, m.start, m.end, message, suggestion)


def _village_finding(ctx: CheckContext, m: PlaceMention, unit: UnitInfo) -> Finding:
    message = (f"文中出现村（社区）名“{m.text}”：请确认是{unit.name}所辖的；若是范文里的，"
               "请改为本单位的村（社区）或删去。")
    return ctx.finding(RULE_ID, Severity.INFO, m.start, m.end, message)


def _list_places(ctx: CheckContext, mentions: list[PlaceMention]) -> Iterator[Finding]:
    """No unit given: name each distinct place once, so the user can confirm it is theirs."""
    seen: set[str] = set()
    for m in mentions:
        if m.name in seen:
            continue
        seen.add(m.name)
        message = (f"本文出现地名“{m.text}”{_where(m, gazetteer())}，请确认是本单位的；"
                   "用 --unit 本单位名称（如 --unit 青石镇）可自动找出他乡地名。")
        yield ctx.finding(RULE_ID, Severity.INFO, m.start, m.end, message)


def _where(m: PlaceMention, gaz: Gazetteer) -> str:
    """（属云南省德宏傣族景颇族自治州陇川县）, or how many places share the name."""
    if not m.places:
        return ""
    if len(m.places) == 1:
        lineage = gaz.lineage(m.places[0])
        return f"（属{''.join(p.name for p in lineage[:-1])}）" if len(lineage) > 1 else ""
    return f"（全国有{len(m.places)}处叫这个名字的地方）"


def _strip(name: str) -> str:
    for suffix in ("自治州", "自治县", "地区", "街道", "省", "市", "州", "县", "区", "盟", "旗", "乡", "镇"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
