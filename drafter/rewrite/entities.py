"""The template's own world beyond its place names: festivals, villages, media and platforms named
after a place, people, and the level words of its administrative setting (州级 in a 市's report).

Each becomes the user's equivalent when the facts name one of the same kind (the facts' “禾坪发布”微信公众号
for the template's “龙江明珠璀璨勐约”微信公众号, their “禾坪油茶文化节” for its 目瑙纵歌节), else a
【待核实：…】 marker. Words and patterns are data: corpus/lexicons/template_entities.yaml.
"""

import re
from dataclasses import dataclass
from functools import cache

from drafter import regexes
from drafter.edits import Edit
from drafter.facts.model import Facts
from drafter.gazetteer import VILLAGE, find_places
from drafter.markers import MARKER_RE, TODO, VERIFY, marker
from drafter.resources import load_lexicon

_CJK = "\u4e00-\u9fff"
_PUNCT = set("，,。；;：:！？!?、（）()“”‘’《》【】\n \t\u3000")
_QUOTES = (("“", "”"), ("《", "》"), ("「", "」"))
MAX_QUOTE = 30
_SLOT = regexes.compile(r"[*＊]{2}|[xX×ＸⅩ]{1,3}(?=[\u4e00-\u9fff])")
# after 节: 节日, 节约, 节点 … are words, not the end of a festival's name
_NOT_AFTER_JIE = set("日约点省奏目制能假俭庆拍")


@cache
def _lex() -> dict:
    return load_lexicon("template_entities")


@dataclass(frozen=True)
class OwnName:
    """A name the user's facts give: “禾坪发布” (quotes kept) and its kind (公众号)."""

    text: str
    kind: str


def own_names(facts: Facts) -> list[OwnName]:
    """Quoted names in the facts' free text, with the kind the word after them (or their own end) says."""
    out: list[OwnName] = []
    for line in _free_text(facts):
        for open_, close in _QUOTES:
            for m in re.finditer(re.escape(open_) + r"([^" + re.escape(close) + r"\n]{1,30})" + re.escape(close),
                                 line):
                kind = kind_of(line, m.start(), m.end())
                if kind:
                    out.append(OwnName(m.group(0), kind))
    return out


def facts_text(facts: Facts) -> str:
    return "\n".join(_free_text(facts))


def _free_text(facts: Facts) -> list[str]:
    lines = [*facts.highlights, *facts.problems, *facts.plans, *(e.what for e in facts.events)]
    return [str(x) for x in lines]


def kind_of(text: str, start: int, end: int) -> str | None:
    """The kind of the name text[start:end]: the word right after it (“…”微信公众号), else its own end."""
    after = re.match(f"[{_CJK}A-Za-z]{{0,8}}", text[end:]).group(0)
    inner = text[start:end].strip("“”《》「」")
    for kind, words in _lex()["kinds"].items():
        if any(after.startswith(w) for w in words):
            return kind
    for kind, words in _lex()["kinds"].items():  # “湘风禾韵”移风易俗行动
        if any(after.endswith(w) for w in words if len(w) >= 2):
            return kind
    for kind, words in _lex()["kinds"].items():
        if any(inner.endswith(w) for w in words):
            return kind
    return None


def equivalent(owns: list[OwnName], kind: str | None, used: set[str]) -> str | None:
    """The user's name of this kind, one not used yet if there is one."""
    if kind is None:
        return None
    same = [o.text for o in owns if o.kind == kind]
    fresh = [t for t in same if t not in used]
    return (fresh or same or [None])[0]


def entity_edits(text: str, facts: Facts, foreign_words: list[str]) -> list[Edit]:
    """Edits for every template entity found; ``foreign_words`` are the template's place names and stems."""
    owns = own_names(facts)
    known = facts_text(facts)
    used: set[str] = set()
    edits: list[Edit] = []
    edits += _quoted(text, foreign_words, owns, used, facts.unit.short if facts.unit else "")
    edits += _festivals(text, known, owns, used)
    edits += _villages(text, known)
    edits += _province_media(text, facts)
    edits += _media_by_verb(text, foreign_words)
    edits += _people(text, known)
    edits += _level_words(text, facts)
    return edits


def second_pass_entity_edits(text: str, facts: Facts) -> list[Edit]:
    """Villages and people once the slots are filled: a slot beside a name hides it from the finder."""
    known = facts_text(facts)
    edits = [*_villages(text, known), *_people(text, known)]
    if facts.unit:
        # a name right after the user's township is a place inside it: 禾坪镇河头村, 禾坪镇李子坪大新寨
        pattern = re.escape(facts.unit.name) + f"([{_CJK}]{{2,6}}?(?:村|社区|寨|屯|村民小组))"
        for m in re.finditer(pattern, text):
            name = m.group(1)
            if name in known or _generic_village(name) or any(e.start <= m.start(1) < e.end for e in edits):
                continue
            edits.append(Edit(m.start(1), m.end(1), name, marker(VERIFY, "村或社区名称"), "verify-name",
                              note=f"“{name}”是范文里的村（社区）或地名，请换成本地的或删去"))
    return edits


def _quoted_slot(m: re.Match[str], slot: re.Match[str], short: str) -> Edit:
    """“最美xx人”: a demonym slot takes the user's short name (最美禾坪人); any other slot in a quote is marked."""
    quote = m.group(0)
    if short and quote[slot.end() : slot.end() + 1] == "人":
        new = quote[: slot.start()] + short + quote[slot.end() :]
        return Edit(m.start(), m.end(), quote, new, "entity", note=f"引号内的空位按本单位简称填为“{short}”")
    return Edit(m.start(), m.end(), quote, marker(TODO, "名称"), "entity", note="引号内的名称是空位，请补上本地的名称")


def _quoted(text: str, foreign: list[str], owns: list[OwnName], used: set[str],
            facts_unit_short: str = "") -> list[Edit]:
    """A “…” or 《…》 carrying the template's place: the user's name of its kind, else a marker."""
    # no foreign name known: a pattern that never matches, slots still count
    word = re.compile("|".join(map(re.escape, sorted(foreign, key=len, reverse=True))) if foreign else r"(?!)")
    edits = []
    for open_, close in _QUOTES:
        inner = "[^" + re.escape(open_ + close) + "\n]{1," + str(MAX_QUOTE) + "}"
        for m in re.finditer(re.escape(open_) + inner + re.escape(close), text):
            if MARKER_RE.search(m.group(0)):
                continue
            # the place may follow the slogan when it is that place's spirit: “自强、包容、创新、跨越”的新时期**精神,
            # “……”的陇川精神 (not “生产发展……管理民主”新勐约乡, a national slogan before the place)
            tail = re.split(r"[，,。；;：:！？!?、\n“”《》]", text[m.end() : m.end() + 12], maxsplit=1)[0]
            tail = tail if "精神" in tail else ""
            slot = _SLOT.search(m.group(0))
            if open_ == "“" and slot and not word.search(m.group(0)):
                own = equivalent(owns, kind_of(text, m.start(), m.end()), used)
                if own:  # “x农旅”微信公众号 → the facts' “禾坪发布”微信公众号
                    used.add(own)
                    edits.append(Edit(m.start(), m.end(), m.group(0), own, "entity",
                                      note=f"范文的空位名称，按事实文件换成本单位的{own}"))
                else:
                    edits.append(_quoted_slot(m, slot, facts_unit_short))
                continue
            carries = word.search(m.group(0)) or (open_ == "《" and slot)
            if not carries and not (open_ == "“" and (word.search(tail) or _SLOT.search(tail))):
                continue
            kind = kind_of(text, m.start(), m.end())
            new = equivalent(owns, kind, used) if open_ == "“" else None
            if open_ == "《":
                inner = m.group(0)[1:-1]
                if not word.search(inner) and inner.endswith(tuple(_lex()["document_types"])):
                    continue  # 《XX县……考核办法》: the user's county has its own, the slot takes its name
                edits.append(Edit(m.start() + 1, m.end() - 1, inner, marker(VERIFY, "文件或文章名称"), "entity",
                                  note="书名号内是范文所在地的文件或文章，请换成本地实际的名称"))
            elif new:
                used.add(new)
                edits.append(Edit(m.start(), m.end(), m.group(0), new, "entity",
                                  note=f"范文单位的名称，按事实文件换成本单位的{new}"))
            else:
                edits.append(Edit(m.start(), m.end(), m.group(0), marker(VERIFY, "名称"), "verify-name",
                                  note="引号内是范文所在地的名称，请核实后改写"))
    return edits


def name_start(text: str, end: int, *, longest: int = 10) -> int:
    """Where a name ending at ``end`` starts: after punctuation or a boundary word (开展了, 为, 等 …)."""
    lo = end
    while lo > 0 and end - lo < longest and text[lo - 1] not in _PUNCT and re.match(f"[{_CJK}A-Za-z0-9·]",
                                                                                   text[lo - 1]):
        lo -= 1
    words = sorted(_lex()["boundaries"], key=len, reverse=True)
    best = lo
    for i in range(lo, end):
        for w in words:
            if text.startswith(w, i) and i + len(w) <= end - 1:
                best = max(best, i + len(w))
    return best


def _festivals(text: str, known: str, owns: list[OwnName], used: set[str]) -> list[Edit]:
    national = tuple(_lex()["national_festivals"])
    generic = set(_lex()["generic_festivals"])
    not_fest = set(_lex()["not_festivals"])
    edits = []
    for m in re.finditer("节", text):
        end = m.end()
        if end < len(text) and text[end] in _NOT_AFTER_JIE:
            continue
        start = name_start(text, end)
        name = text[start:end]
        if len(name) < 3 or _inside_quote(text, start, end) or MARKER_RE.search(text, max(0, start - 1), end):
            continue
        if name in generic or any(name.endswith(w) for w in (*national, *not_fest)):
            continue
        if name in known:
            continue
        new = equivalent(owns, "节庆", used)
        if new:
            used.add(new)
            edits.append(Edit(start, end, name, new.strip("“”"), "entity",
                              note=f"范文所在地的节庆“{name}”，按事实文件换成{new}"))
        else:
            edits.append(Edit(start, end, name, marker(VERIFY, "节庆活动名称"), "verify-name",
                              note=f"“{name}”是范文所在地的节庆，请换成本地的活动或删去"))
    return edits


def _inside_quote(text: str, start: int, end: int) -> bool:
    for open_, close in _QUOTES:
        lo = text.rfind(open_, max(0, start - MAX_QUOTE), start + 1)
        if lo >= 0 and text.find(close, lo + 1, start) < 0 and text.find(close, end, end + MAX_QUOTE) >= 0:
            return True
    return False


def _villages(text: str, known: str) -> list[Edit]:
    """帮中村委会 / 帮中等村委会 / 张家坪: a village the facts do not name becomes a marker."""
    edits = []
    suffixes = "|".join(map(re.escape, _lex()["village_suffixes"]))
    for m in re.finditer(f"(?:等)?(?:{suffixes})", text):
        name_end = m.start()
        start = name_start(text, name_end, longest=6)
        name = text[start:name_end]
        if len(name) < 2 or name in known or _generic_village(name):
            continue
        edits.append(Edit(start, name_end, name, marker(VERIFY, "村或社区名称"), "verify-name",
                          note=f"“{name}”是范文里的村（社区），请换成本单位所辖的或删去"))
    for p in find_places(text):
        if p.level != VILLAGE or p.text in known or p.name in known:
            continue
        edits.append(Edit(p.start, p.end, p.text, marker(VERIFY, "村或社区名称"), "verify-name",
                          note=f"“{p.text}”是范文里的村（社区）或地名，请换成本地的或删去"))
    return edits


def _generic_village(name: str) -> bool:
    from drafter.gazetteer import stopwords

    stops = stopwords()
    return (name in stops.get("not_places", ()) or name in stops.get("stem_stops", ())
            or name.startswith(("各", "全", "本", "我", "该", "每", "所有", "相关", "有关", "行政", "社区", "村"))
            or "各" in name
            or re.search(r"[一二三四五六七八九十两几\d]", name) is not None)


def _province_media(text: str, facts: Facts) -> list[Edit]:
    """云报客户端 in a 湖南 report: another province's media."""
    own = facts.unit.province if facts.unit else ""
    edits = []
    for province, names in _lex()["province_media"].items():
        if own and province == own:
            continue
        for name in sorted(names, key=len, reverse=True):
            for m in re.finditer(re.escape(name), text):
                edits.append(Edit(m.start(), m.end(), name, marker(VERIFY, "媒体名称"), "verify-name",
                                  note=f"“{name}”是{province}的媒体，请换成本地实际用稿的媒体"))
    return edits


def _media_by_verb(text: str, foreign: list[str]) -> list[Edit]:
    """"目瑙纵歌之乡陇川采用5条": a place name right before 采用/刊发 is a media outlet's name, with
    whatever brand words are glued before it."""
    if not foreign:
        return []
    verbs = "|".join(map(re.escape, _lex()["media_verbs"]))
    names = "|".join(map(re.escape, sorted(foreign, key=len, reverse=True)))
    edits = []
    for m in re.finditer(f"(?:{names})(?=(?:{verbs}))", text):
        start = name_start(text, m.start(), longest=10) if m.start() > 0 else 0
        edits.append(Edit(start, m.end(), text[start : m.end()], marker(VERIFY, "媒体名称"), "verify-name",
                          note="范文里的外地媒体，请换成本地实际用稿的媒体"))
    return edits


def _people(text: str, known: str) -> list[Edit]:
    """张建国书记 / 李明同志: someone else's people."""
    lex = _lex()
    titles = "|".join(map(re.escape, sorted(lex["person_titles"], key=len, reverse=True)))
    edits = []
    for m in re.finditer(f"([{lex['surnames']}][{_CJK}]{{1,2}})(?={titles})", text):
        name = m.group(1)
        if any(name.startswith(w) or w.startswith(name) for w in lex["not_person"]) or name in known:
            continue
        if m.start() > 0 and re.match(f"[{_CJK}]", text[m.start() - 1]) and not _after_boundary(text, m.start()):
            continue  # inside a longer word (镇党委书记): not a name
        edits.append(Edit(m.start(), m.end(), name, marker(VERIFY, "姓名"), "verify-name",
                          note=f"“{name}”是范文里的人名，请换成本单位的或删去"))
    return edits


def _after_boundary(text: str, at: int) -> bool:
    """A name starts here: after a boundary word, or an office (党委书记王建华同志)."""
    return any(text.endswith(w, 0, at) for w in (*_lex()["boundaries"], *_lex()["person_titles"]))


def _level_words(text: str, facts: Facts) -> list[Edit]:
    city = facts.unit.city if facts.unit else ""
    kind = next((k for k in ("地区", "自治州", "州", "市", "盟") if city.endswith(k)), "")
    kind = {"自治州": "州"}.get(kind, kind)
    if not kind or kind == "州":
        return []
    edits = []
    for entry in _lex()["level_words"]:
        new = entry["new"].format(city=kind)
        for m in re.finditer(entry["pattern"], text):
            edits.append(Edit(m.start(), m.end(), m.group(0), new, "unit-name",
                              note=f"范文所在地设州，本单位属{city}：“{m.group(0)}”改为“{new}”"))
    return edits
