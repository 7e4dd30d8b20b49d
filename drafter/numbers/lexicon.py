"""The number lexicons (corpus/lexicons/{measure_words,qualifiers,formulaic,metric_synonyms,modifiers,
derived_markers,part_markers,periods}.yaml), compiled once.

Data stays in YAML; this module only turns it into lookups and regular expressions.
"""

import re
from dataclasses import dataclass
from functools import cache

from drafter import regexes
from drafter.numerals import to_halfwidth_digits
from drafter.resources import load_lexicon

_DROP = regexes.compile(r"[\s\"'“”‘’《》〈〉【】「」『』（）()\[\]，,。.；;：:！!？?、·•\-—_~～/\\]")


@dataclass(frozen=True)
class Measures:
    words: tuple[str, ...]  # longest first
    kind: dict[str, str]  # 次 → event
    not_followed_by: dict[str, tuple[str, ...]]
    equivalent: dict[str, frozenset[str]]  # unit → the units that count the same thing
    scaled: dict[str, tuple[str, float]]  # 万元 → (元, 10000)
    noun_follows: frozenset[str]  # measure words after which the counted noun follows
    near: dict[str, frozenset[str]]  # agreeing units that are still another word (次/场/期, 篇/条)


@cache
def measures() -> Measures:
    data = load_lexicon("measure_words")
    kind = {word: k for k, words in data["kinds"].items() for word in words}
    equivalent: dict[str, set[str]] = {word: {word} for word in kind}
    for group in data["equivalent"]:
        for word in group:
            equivalent.setdefault(word, {word}).update(group)
    for word in data["general_classifier"]:
        equivalent[word].add("个")
        equivalent["个"].add(word)
    return Measures(
        words=tuple(sorted(kind, key=len, reverse=True)),
        kind=kind,
        not_followed_by={k: tuple(v) for k, v in (data.get("not_followed_by") or {}).items()},
        equivalent={k: frozenset(v) for k, v in equivalent.items()},
        scaled={k: (v[0], float(v[1])) for k, v in (data.get("scaled") or {}).items()},
        noun_follows=frozenset(w for w, k in kind.items() if k in data["noun_follows"] or w in data["noun_follows"]),
        near={w: frozenset(group) for group in data.get("near") or () for w in group},
    )


def measure_regex(with_between: bool = True) -> str:
    """A regular expression (no groups) for any measure word, longest first, optionally after 余/多."""
    ms = measures()
    words = "|".join(re.escape(w) for w in ms.words)
    between = "|".join(re.escape(w) for w in qualifiers().between)
    return f"(?:(?:{between})?(?:{words}))" if with_between else f"(?:{words})"


@cache
def count_nouns() -> dict[str, str]:
    return dict(load_lexicon("measure_words").get("count_nouns") or {})


@dataclass(frozen=True)
class Qualifiers:
    canonical: tuple[str, ...]
    before: dict[str, str | None]
    between: dict[str, str]
    after: dict[str, str]
    vague_before: tuple[str, ...]
    vague_after: tuple[str, ...]


@cache
def qualifiers() -> Qualifiers:
    data = load_lexicon("qualifiers")
    return Qualifiers(
        canonical=tuple(data["canonical"]),
        before=dict(data["before"]),
        between=dict(data["between"]),
        after=dict(data["after"]),
        vague_before=tuple(data["vague_before"]),
        vague_after=tuple(data["vague_after"]),
    )


def canonical_qualifier(written: str) -> str | None:
    """"以上" → 以上, "逾" → 超过, "不少于" → 以上; None for a word that is no qualifier."""
    q = qualifiers()
    written = written.strip()
    if written in q.canonical:
        return written
    for table in (q.before, q.between, q.after):
        if table.get(written):
            return table[written]
    return None


def qualifier_forms() -> list[str]:
    q = qualifiers()
    forms = [*q.canonical, *(k for k, v in q.before.items() if v), *q.after]
    return list(dict.fromkeys(forms))


@cache
def formulaic_pattern() -> re.Pattern[str]:
    """One regex matching every formulaic span (phrases longest first, then the pattern families)."""
    data = load_lexicon("formulaic")
    phrases = sorted(data["phrases"], key=len, reverse=True)
    parts = [re.escape(p) for p in phrases] + list(data["patterns"])
    return regexes.compile("|".join(f"(?:{p})" for p in parts))


@dataclass(frozen=True)
class Synonyms:
    pattern: re.Pattern[str]  # every variant and stopword, longest first
    replace: dict[str, str]  # variant → canonical ("" for stopwords)
    edge_chars: str
    light_verbs: tuple[str, ...]
    not_a_noun: tuple[str, ...]
    noun_ends_before: tuple[str, ...]


@cache
def synonyms() -> Synonyms:
    data = load_lexicon("metric_synonyms")
    replace: dict[str, str] = {}
    for group in data["groups"]:
        canonical = group[0]
        for word in group:
            replace.setdefault(word, canonical)
    for word in data["stopwords"]:
        replace.setdefault(word, "")
    words = sorted(replace, key=len, reverse=True)
    ctx = data["context"]
    return Synonyms(regexes.compile("|".join(re.escape(w) for w in words)), replace, data["edge_chars"],
                    tuple(ctx["light_verbs"]), tuple(ctx["not_a_noun"]), tuple(ctx["noun_ends_before"]))


@dataclass(frozen=True)
class Modifiers:
    pattern: re.Pattern[str]  # every written form, longest first
    canonical: dict[str, str]  # written form → canonical (县级及以上 → 县级以上)
    object_after: tuple[str, ...]
    joiners: str
    objects: frozenset[str]  # canonical modifiers that may be the work's object (党员, 群众)


@cache
def modifiers() -> Modifiers:
    data = load_lexicon("modifiers")
    canonical = {form: canon for group in data["groups"].values() for canon, forms in group.items()
                 for form in forms}
    words = sorted(canonical, key=len, reverse=True)
    objects = frozenset(canon for g in data.get("object_groups") or () for canon in data["groups"][g])
    return Modifiers(regexes.compile("|".join(re.escape(w) for w in words)), canonical,
                     tuple(sorted(data["object_after"], key=len, reverse=True)), data["joiners"], objects)


@dataclass(frozen=True)
class Derived:
    pattern: re.Pattern[str]
    level_after: tuple[str, ...]
    rank_before: tuple[str, ...]
    figures: dict[str, float]  # 翻番 → 2
    figure_pattern: re.Pattern[str] | None


@cache
def derived() -> Derived:
    data = load_lexicon("derived_markers")
    words = sorted(data["markers"], key=len, reverse=True)
    figures = {k: float(v) for k, v in (data.get("figures") or {}).items()}
    figure_words = sorted(figures, key=len, reverse=True)
    return Derived(regexes.compile("|".join(re.escape(w) for w in words)), tuple(data["level_after"]),
                   tuple(data["rank_before"]), figures,
                   regexes.compile("|".join(re.escape(w) for w in figure_words)) if figure_words else None)


@dataclass(frozen=True)
class Parts:
    markers: tuple[str, ...]
    sum_markers: tuple[str, ...]
    distributive: tuple[str, ...]
    list_separators: str
    locatives: tuple[str, ...]
    kind_units: tuple[str, ...]


@cache
def parts() -> Parts:
    data = load_lexicon("part_markers")
    return Parts(tuple(sorted(data["markers"], key=len, reverse=True)),
                 tuple(sorted(data["sum_markers"], key=len, reverse=True)),
                 tuple(sorted(data["distributive"], key=len, reverse=True)), data["list_separators"],
                 tuple(sorted(data["locatives"], key=len, reverse=True)), tuple(data["kind_units"]))


@dataclass(frozen=True)
class Periods:
    scoping: tuple[str, ...]  # longest first
    scoping_span: dict[str, str]
    later: dict[str, tuple[str, ...]]
    planned: tuple[str, ...]
    planned_only_before: dict[str, tuple[str, ...]]
    planned_not_before: dict[str, tuple[str, ...]]
    done: tuple[str, ...]
    plan_sections: tuple[str, ...]


@cache
def periods() -> Periods:
    data = load_lexicon("periods")
    return Periods(tuple(sorted(data["scoping"], key=len, reverse=True)), dict(data.get("scoping_span") or {}),
                   {k: tuple(v) for k, v in (data.get("later") or {}).items()},
                   tuple(sorted(data["planned"], key=len, reverse=True)),
                   {k: tuple(v) for k, v in (data.get("planned_only_before") or {}).items()},
                   {k: tuple(v) for k, v in (data.get("planned_not_before") or {}).items()},
                   tuple(sorted(data["done"], key=len, reverse=True)), tuple(data.get("plan_sections") or ()))


def fold(text: str) -> str:
    """A name or context folded for comparison: widths, punctuation, synonyms, stopwords."""
    text = to_halfwidth_digits(text).lower()
    text = _DROP.sub("", text)
    syn = synonyms()
    return syn.pattern.sub(lambda m: syn.replace[m.group(0)], text)
