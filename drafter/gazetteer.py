"""Find Chinese place names in report text: the gazetteer of administrative names, plus patterns.

``find_places(text)`` returns every mention the check rules and the rewrite engine care about:

- names from the gazetteer (``corpus/lexicons/gazetteer.tsv.gz``: provinces, prefectures, counties,
  townships), with their usual suffixed forms (德宏州 for 德宏傣族景颇族自治州);
- unknown names that look like a township, village or county: 2–4 CJK characters + 乡/镇/街道/村/社区/县,
  guarded by the stop lists in ``corpus/lexicons/place_stopwords.yaml`` (全乡, 城乡, 乡村, 文明乡风 …);
- bare short forms: a prefecture's or county's short form (德宏, 陇川) when it is not an ordinary word,
  and the stem of any township the document names with its suffix (勐约乡 → every bare 勐约);
- hamlets named surname + 家 + landform (张家坪, 李家湾), which carry no suffix.

A name never starts inside a common word (部分乡镇 is not 分乡镇); the common two-character words come
from jieba's dictionary and ship inside the gazetteer file (see ``tools/build_gazetteer.py``).

The gazetteer loads lazily, once per process (``gazetteer()``), so ``drafter --help`` stays fast.
"""

from __future__ import annotations

import gzip
import marshal
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from drafter import regexes
from drafter.resources import cached_build, data_dir, lexicon_path, load_lexicon

PROVINCE, PREFECTURE, COUNTY, TOWNSHIP, VILLAGE = "province", "prefecture", "county", "township", "village"
LEVELS = {"P": PROVINCE, "C": PREFECTURE, "X": COUNTY, "T": TOWNSHIP}
LEVEL_RANK = {PROVINCE: 0, PREFECTURE: 1, COUNTY: 2, TOWNSHIP: 3, VILLAGE: 4}
# Suffix of each pattern-found (unknown) name and the level it implies. 州 is left to the gazetteer:
# fictional prefectures are rare and 神州/九州 are not.
PATTERN_LEVELS = {"乡": TOWNSHIP, "镇": TOWNSHIP, "街道": TOWNSHIP, "苏木": TOWNSHIP, "村": VILLAGE,
                  "社区": VILLAGE, "县": COUNTY}
_SUFFIX_RE = regexes.compile(r"自治州|自治县|自治旗|自治区|地区|街道|苏木|社区|[省市州盟县区旗乡镇村]")
_CJK = regexes.compile(r"[\u4e00-\u9fff]")
_PLACEHOLDER_CHARS = set("某xX×ＸｘⅩⅹ*＊○〇□_")
_NUMERAL_CHARS = set("一二三四五六七八九十两几每各")
MAX_STEM = 4
_BUCKETS = 512


def _bucket_of(name: str) -> int:
    return zlib.crc32(name[-3:].encode("utf-8", "surrogatepass")) % _BUCKETS
# Hamlet names without a suffix: a common surname + 家 + a landform (张家坪, 李家湾, 王家沟). Surnames that
# make ordinary words with 家 (国家, 农家, 全家, 万家, 成家, 安家, 管家 …) are left out.
_HAMLET_RE = regexes.compile(
    "[王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛"
    "叶阎余潘杜戴夏钟汪田任姜范方姚谭廖邹熊陆郝孔崔康毛邱秦史侯邵孟段雷钱汤尹黎易乔贺赖龚向覃蒲]"
    "家[坪坝沟湾岭寨庄屯铺堡嘴垭峪塘冲桥岗坡营店河湖山洼滩台梁峁岔畈圩垸墩坳]")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer row."""

    id: int
    name: str  # 德宏傣族景颇族自治州
    shorts: tuple[str, ...]  # (德宏,)
    level: str
    parent: int  # row id, -1 for a province
    ambiguous: bool  # every short form is an ordinary word: never matched bare


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in text. ``text`` is what the document says (勐约 / 勐约乡 / 德宏州),
    ``name`` the full name it stands for (勐约乡 / 德宏傣族景颇族自治州; for an unknown name, the
    suffixed form), ``stem`` the name without its suffix, ``bare`` whether the suffix was left out."""

    start: int
    end: int
    text: str
    name: str
    level: str
    stem: str
    bare: bool = False
    places: tuple[int, ...] = ()  # gazetteer row ids this may be; empty for an unknown name
    suffix: str = ""

    @property
    def known(self) -> bool:
        return bool(self.places)


class WordPairs(dict[str, str]):
    """A set of two-character words as first character → the second characters it takes: ``in`` works as
    on the set, and unpickling 3,000 short strings is a fifth of the time of 23,000 words."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        super().__init__()
        for word in sorted(words):
            if len(word) == 2:
                self[word[0]] = self.get(word[0], "") + word[1]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and len(word) == 2 and word[1] in self.get(word[0], "")


class Gazetteer:
    """The parsed data file, stored for a fast start: a check of one report looks up a few hundred names
    and needs few of the 43,000 rows. Name → rows lives in ``_BUCKETS`` buckets keyed by a name's last
    three characters (every name a lookup tries at one suffix ends in the same three characters), each
    bucket marshalled bytes decoded on first use with the township rows its names point to; prefectures
    and counties — the parents every lineage climbs through — stay loaded. Unpickling the whole tables
    cost 20 ms of a 0.17 s check; a report opens 5–15% of the buckets."""

    def __init__(self, lines: list[str], upper: int, aliases: list[str], common_words: set[str]) -> None:
        self.common_words = WordPairs(common_words)
        self._count, self._upper = len(lines), lines[:upper]
        names = [line.partition("\t")[0] for line in lines]
        # name → rows: every name with its rows (names shared by several places, suffixed aliases too)
        index: dict[str, tuple[int, ...]] = {}
        for i, name in enumerate(names):
            index[name] = (*index.get(name, ()), i)
        for line in aliases:
            alias, _, row = line.partition("\t")
            if alias:
                index[alias] = (*index.get(alias, ()), int(row))
        buckets: list[tuple[dict[str, tuple[int, ...]], dict[int, str]]] = [({}, {}) for _ in range(_BUCKETS)]
        for name, ids in index.items():
            found, rows = buckets[_bucket_of(name)]
            found[name] = ids
            rows.update((i, lines[i]) for i in ids if i >= upper)
        self._blobs = [marshal.dumps(bucket) for bucket in buckets]
        self._found: dict[str, tuple[int, ...]] = {}  # the decoded buckets' names ...
        self._rows: dict[int, str] = {}  # ... and township rows
        self._open = bytearray(_BUCKETS)
        # Bare-matchable short forms: prefectures and counties that are not ordinary words.
        self.by_short: dict[str, list[int]] = {}
        manual = set(stopwords()["ambiguous_shorts"])
        for i in range(upper):
            _name, shorts, level, _parent, flags = lines[i].split("\t")
            if level in "CX" and not flags:
                for short in shorts.split("/"):
                    if len(short) >= 2 and short not in manual:
                        self.by_short.setdefault(short, []).append(i)
        self.max_name = max(map(len, index))
        # first two characters → the shorts starting with them, longest first: one dict probe a position
        self.short_heads: dict[str, list[str]] = {}
        # Ambiguous shorts and well-known names are in the table too, so that a short inside them
        # (冈山 in 井冈山) is passed over; they map to no rows and are never reported.
        blockers = {s for i in range(upper) for s in lines[i].split("\t")[1].split("/") if len(s) >= 2}
        blockers |= {n for n in stopwords()["well_known"] if len(n) >= 2}
        for short in sorted(set(self.by_short) | blockers, key=len, reverse=True):
            self.short_heads.setdefault(short[:2], []).append(short)
        # the characters a short form can start with, as one class: find_places skips to them in C. Kept
        # as its source, so that the cached gazetteer is compiled through drafter.regexes' cache, not
        # by the unpickler (1–2 ms: a class of ~2,000 characters).
        self._head_class = "[" + "".join(sorted({re.escape(h[0]) for h in self.short_heads})) + "]"

    def __len__(self) -> int:
        return self._count

    @property
    def head_starts(self) -> re.Pattern[str]:
        return regexes.compile(self._head_class)

    def ids(self, name: str) -> tuple[int, ...]:
        """Rows of the places called ``name`` (full name or a usual suffixed form: 德宏州)."""
        bucket = _bucket_of(name)
        if not self._open[bucket]:
            self._decode(bucket)
        return self._found.get(name, ())

    def _decode(self, bucket: int) -> None:
        found, rows = marshal.loads(self._blobs[bucket])
        self._found.update(found)
        self._rows.update(rows)
        self._open[bucket] = 1

    def place(self, row: int) -> Place:
        if row < len(self._upper):
            line = self._upper[row]
        else:
            if row not in self._rows:  # a township row not reached through its name: rare, open them all
                for bucket in range(_BUCKETS):
                    if not self._open[bucket]:
                        self._decode(bucket)
            line = self._rows[row]
        name, shorts, level, parent, flags = line.split("\t")
        return Place(row, name, tuple(shorts.split("/")), LEVELS[level], int(parent), "a" in flags)

    def lineage(self, row: int) -> list[Place]:
        """Root (province) first, the place itself last."""
        chain = [self.place(row)]
        while chain[-1].parent >= 0:
            chain.append(self.place(chain[-1].parent))
        return chain[::-1]

    def describe(self, row: int) -> str:
        """云南省德宏傣族景颇族自治州陇川县勐约乡."""
        return "".join(p.name for p in self.lineage(row))

    def lookup(self, name: str) -> list[Place]:
        """Places called ``name`` (full name or a usual suffixed form: 德宏州)."""
        return [self.place(i) for i in self.ids(name)]

    def names_of(self, row: int) -> set[str]:
        """Every form of one place: full name, short forms and suffixed aliases (德宏州)."""
        p = self.place(row)
        forms = {p.name, *p.shorts}
        if p.level != TOWNSHIP:
            forms.update(s + p.name[-1] for s in p.shorts if len(s) >= 2)
        return forms


@cache
def stopwords() -> dict:
    return load_lexicon("place_stopwords")


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, parsed once per process; the built tables come from the user cache when the data
    file, the stop lists and this module are unchanged (unpickling them is ~4× faster than building)."""
    path = data_dir("corpus") / "lexicons" / "gazetteer.tsv.gz"
    sources = [path, lexicon_path("place_stopwords"), Path(__file__)]
    return cached_build("gazetteer", sources, lambda: _build(path))


def _build(path: Path) -> Gazetteer:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    places_part, _, rest = text.partition("\n%% aliases\n")
    aliases_part, _, words_part = rest.partition("\n%% words\n")
    lines = places_part.split("\n")
    lines = lines[next(i for i, line in enumerate(lines) if line[:1] != "#") :]
    upper = next(i for i, line in enumerate(lines) if "\tT\t" in line)
    return Gazetteer(lines, upper, aliases_part.split("\n"), set(words_part.split()))


def find_places(text: str, *, stems: Iterable[str] = ()) -> list[PlaceMention]:
    """Every place mention in ``text``, in order, without overlaps.

    ``stems`` are extra township stems to find bare (ones learned from another part of the document).
    """
    gaz = gazetteer()
    suffixed = _find_suffixed(text, gaz)
    learned = {m.stem: m for m in suffixed if m.level == TOWNSHIP and _learnable(m, gaz)}
    for stem in stems:
        learned.setdefault(stem, PlaceMention(0, 0, stem, stem, TOWNSHIP, stem, bare=True))
    taken = _Spans(suffixed)
    bare = _find_learned_stems(text, learned, taken, gaz) + _find_bare_shorts(text, gaz, taken)
    return sorted(suffixed + bare + _find_hamlets(text, gaz, taken), key=lambda m: m.start)


def _find_suffixed(text: str, gaz: Gazetteer) -> list[PlaceMention]:
    continuation: dict[str, str] = stopwords()["continuation"]
    out: list[PlaceMention] = []
    last_end = 0
    for m in _SUFFIX_RE.finditer(text):
        suffix, end = m.group(), m.end()
        if text[end : end + 1] and text[end] in continuation.get(suffix, ""):
            continue
        mention = _known_name(text, m.start(), end, gaz, floor=last_end)
        if mention is None and suffix in PATTERN_LEVELS:
            mention = _pattern_name(text, m.start(), end, suffix, gaz, floor=last_end)
        if mention is not None:
            out.append(mention)
            last_end = mention.end
    return out


def _known_name(text: str, start: int, end: int, gaz: Gazetteer, floor: int) -> PlaceMention | None:
    """The longest gazetteer name ending at ``end`` that does not start inside a word (部分乡镇)."""
    not_places = stopwords()["not_places"]
    for begin in range(max(floor, end - gaz.max_name), start):
        name = text[begin:end]
        ids = gaz.ids(name)
        if not ids or name in not_places or _glued(text, begin, end, gaz, check_end=False):
            continue
        places = [gaz.place(i) for i in ids]
        stem = _stem_of(name, places)
        if len(stem) < 2 and not _after_parent(text, begin, places, gaz):
            continue  # 和县 in 市委和县委: a one-character stem needs its parent just before it
        level = min((p.level for p in places), key=LEVEL_RANK.__getitem__)
        return PlaceMention(begin, end, name, places[0].name if len(places) == 1 else name, level, stem,
                            places=tuple(ids), suffix=text[start:end])
    return None


def _stem_of(name: str, places: list[Place]) -> str:
    for p in places:
        for short in sorted(p.shorts, key=len, reverse=True):
            if name.startswith(short) and short != name:
                return short
    match = _SUFFIX_RE.search(name, max(1, len(name) - 3))
    return name[: match.start()] if match and match.end() == len(name) else name


def _after_parent(text: str, begin: int, places: list[Place], gaz: Gazetteer) -> bool:
    before = text[max(0, begin - 12) : begin]
    return any(p.parent >= 0 and any(before.endswith(n) for n in gaz.names_of(p.parent) if len(n) >= 2)
               for p in places)


def _glued(text: str, start: int, end: int, gaz: Gazetteer, *, check_end: bool = True) -> bool:
    """The form's first or last character makes a common word with its neighbour: 部分乡镇 (分乡镇),
    同安排 (同安), 水秀山川 (秀山) — or it sits inside a guard phrase (新乡贤, 绿水青山). A suffixed name's
    last character is its suffix, which always joins the next word (县委, 镇政府): ``check_end=False``."""
    words = gaz.common_words
    if start > 0 and text[start - 1 : start + 1] in words:
        return True
    if check_end and end < len(text) and text[end - 1 : end + 1] in words:
        return True
    return _guarded(text, start, end)


def _pattern_name(text: str, start: int, end: int, suffix: str, gaz: Gazetteer,
                  floor: int) -> PlaceMention | None:
    """An unknown name: CJK characters before the suffix, cut at boundary characters and prefixes."""
    sw = stopwords()
    boundary = sw["boundary_chars"]
    begin = start
    while begin > floor and start - begin < MAX_STEM + 2 and _CJK.match(text[begin - 1]) \
            and text[begin - 1] not in boundary:
        begin -= 1
    run = text[begin:start]
    bounded = begin == floor or not _CJK.match(text[begin - 1]) or text[begin - 1] in boundary
    # 帮助马鞍岭村 → 马鞍岭村: cut after a known prefix, keeping the longest name of 2–4 characters.
    prefixes = _prefix_set()
    if _ends_with_prefix(run, prefixes) or _ends_with_prefix(run[:-1], prefixes):
        return None  # 所有行村, 组织镇: a prefix leaves less than two characters of name
    cut = next((k for k in range(max(0, len(run) - MAX_STEM), len(run) - 1)
                if _ends_with_prefix(run[:k], prefixes)), None)
    if cut is not None:
        stem = run[cut:]
    elif bounded and len(run) <= MAX_STEM:
        stem = run
    else:
        stem = run[-2:]  # no clear start: most names have two characters
    begin = start - len(stem)
    name = stem + suffix
    if len(stem) < 2 or stem in sw["stem_stops"] or stem[0] in _NUMERAL_CHARS \
            or any(ch in _PLACEHOLDER_CHARS for ch in stem) \
            or _ends_with_not_place(name, len(suffix)) \
            or stem in gaz.common_words or stem[-2:] in gaz.common_words \
            or (begin > 0 and text[begin - 1 : begin + 1] in gaz.common_words):
        return None
    return PlaceMention(begin, end, name, name, PATTERN_LEVELS[suffix], stem, suffix=suffix)


@cache
def _not_places_by_length() -> dict[int, frozenset[str]]:
    by_length: dict[int, set[str]] = {}
    for word in stopwords()["not_places"]:
        by_length.setdefault(len(word), set()).add(word)
    return {n: frozenset(words) for n, words in sorted(by_length.items())}


def _ends_with_not_place(name: str, suffix_len: int) -> bool:
    """``name`` ends with a not-a-place word longer than its suffix (a few set probes, not a scan of
    the whole stop list for each candidate: that scan was a tenth of a large check)."""
    return any(n > suffix_len and name[-n:] in words for n, words in _not_places_by_length().items())


@cache
def _prefix_set() -> frozenset[str]:
    return frozenset(stopwords()["prefixes"])


def _ends_with_prefix(s: str, prefixes: frozenset[str]) -> bool:
    """Prefixes are one or two characters long (赴, 组织)."""
    return s[-2:] in prefixes or s[-1:] in prefixes


def _learnable(m: PlaceMention, gaz: Gazetteer) -> bool:
    """Whether a township's stem may be looked for bare elsewhere (勐约乡 → 勐约)."""
    if len(m.stem) < 2 or m.stem in stopwords()["ambiguous_shorts"] or m.stem in gaz.common_words:
        return False
    return not m.places or not all(gaz.place(i).ambiguous for i in m.places)


def _find_learned_stems(text: str, learned: dict[str, PlaceMention], taken: _Spans,
                        gaz: Gazetteer) -> list[PlaceMention]:
    out = []
    for stem, source in learned.items():
        for m in re.finditer(re.escape(stem), text):
            if taken.overlaps(m.start(), m.end()) or _glued(text, m.start(), m.end(), gaz):
                continue
            out.append(PlaceMention(m.start(), m.end(), stem, source.name, source.level, stem, bare=True,
                                    places=source.places, suffix=source.suffix))
            taken.add(m.start(), m.end())
    return out


def _find_bare_shorts(text: str, gaz: Gazetteer, taken: _Spans) -> list[PlaceMention]:
    out = []
    heads = gaz.short_heads
    # Only positions whose character can start a short form are visited (a character class scanned in
    # C); probing the table at every character was the largest single cost of checking a county's reports.
    starts = gaz.head_starts
    i = 0
    n = len(text) - 1
    while i < n:
        found = starts.search(text, i, n)
        if found is None:
            break
        i = found.start()
        candidates = heads.get(text[i : i + 2])
        if candidates is None:
            i += 1
            continue
        for short in candidates:
            end = i + len(short)
            if not text.startswith(short, i):
                continue
            if short not in gaz.by_short:  # an ordinary word or a well-known place: step over it
                i = end - 1
                break
            if not taken.overlaps(i, end) and not _glued(text, i, end, gaz):
                ids = tuple(gaz.by_short[short])
                places = [gaz.place(j) for j in ids]
                level = min((p.level for p in places), key=LEVEL_RANK.__getitem__)
                name = places[0].name if len(places) == 1 else short
                out.append(PlaceMention(i, end, short, name, level, short, bare=True, places=ids))
                taken.add(i, end)
                i = end - 1
                break
        i += 1
    return out


def _find_hamlets(text: str, gaz: Gazetteer, taken: _Spans) -> list[PlaceMention]:
    out = []
    for m in _HAMLET_RE.finditer(text):
        name = m.group()
        if taken.overlaps(m.start(), m.end()) or any(gaz.ids(name + s) for s in "市县区") \
                or (m.end() < len(text) and text[m.end() - 1 : m.end() + 1] in gaz.common_words):
            continue
        out.append(PlaceMention(m.start(), m.end(), name, name, VILLAGE, name, bare=True))
        taken.add(m.start(), m.end())
    return out


def _guarded(text: str, start: int, end: int) -> bool:
    """Inside a phrase where the form is not a place (新乡贤, 绿水青山)."""
    for phrase in stopwords()["bare_guards"]:
        at = text.find(phrase, max(0, start - len(phrase) + 1), end + len(phrase) - 1)
        if 0 <= at < end and at + len(phrase) > start:
            return True
    return False


class _Spans:
    """Occupied character ranges, so a bare form inside a found name is not reported twice."""

    def __init__(self, mentions: Iterable[PlaceMention] = ()) -> None:
        self._taken = bytearray()
        for m in mentions:
            self.add(m.start, m.end)

    def add(self, start: int, end: int) -> None:
        if end > len(self._taken):
            self._taken.extend(b"\0" * (end - len(self._taken)))
        self._taken[start:end] = b"\1" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self._taken[start:end])


__all__ = ["Gazetteer", "Place", "PlaceMention", "find_places", "gazetteer", "stopwords"]
