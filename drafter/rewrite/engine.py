"""The offline rewrite engine: a template copied from a site or last year becomes the user's report.

Stages, each a set of edits on the previous stage's text:
1. clean: site residue removed (drafter.clean);
2. names: the check rules' findings applied (unit name and parents, 我乡→我镇, stale terms, typos),
   slots filled from the facts (xx镇, 20xx年, XX大), gaps closed or marked, span words (上半年 → 全年);
3. numbers: every number aligned to a fact by its context or its clause marked (drafter.rewrite.align);
4. missing facts: metrics the template had no slot for, added where their topic fits.
"""

import re
from dataclasses import dataclass, field, replace

from drafter import regexes
from drafter.check import CheckOptions, check_source
from drafter.clean import clean_text
from drafter.edits import Edit, apply_edits
from drafter.facts.model import Facts
from drafter.findings import Finding
from drafter.numbers import extract_claims
from drafter.parse import parse_report
from drafter.report import Report
from drafter.rewrite.align import align_numbers
from drafter.rewrite.clauses import TODO, clause_span, marker
from drafter.rewrite.edits_plan import EditPlan
from drafter.rewrite.entities import entity_edits, own_names, second_pass_entity_edits
from drafter.rewrite.names import edits_from_findings, foreign_entity_edits, slot_edits
from drafter.rewrite.placement import place_facts
from drafter.rewrite.structure import (
    MAX_ROUNDS,
    date_edits,
    natural_marker_edits,
    renumber_edits,
    title_unit_edits,
)
from drafter.rewrite.template_unit import foreign_name_edits, foreign_names, scrub_marker_edits
from drafter.source import SourceText

NAME_RULES = {"foreign-place", "unit-kind", "typo", "doubled-char", "punctuation", "stale-term"}
_SPAN_WORDS = ("上半年", "下半年", "第一季度", "第二季度", "第三季度", "第四季度", "前三季度", "本季度")


@dataclass
class RewriteResult:
    text: str
    edits: list[Edit] = field(default_factory=list)  # every edit, stage by stage, with output offsets
    used_facts: set[str] = field(default_factory=set)
    added_facts: list[str] = field(default_factory=list)
    template_year: int | None = None
    fallbacks: list[dict] = field(default_factory=list)  # llm engine: paragraphs that fell back to offline

    @property
    def report(self) -> Report:
        """The rewritten text as the one Report model; ``edits`` carry offsets into ``report.text``."""
        return parse_report(self.text)


def rewrite_offline(template: str, facts: Facts, *, drop: bool = False, add_missing: bool = True) -> RewriteResult:
    result = RewriteResult(text=template)
    cleaned = clean_text(template)
    stage0 = [Edit(f.start, f.end, f.text, f.suggestion or "", "residue", note=f.message) for f in cleaned.removed]
    text = _apply(result, template, stage0)

    result.template_year = template_year(text)
    plan = EditPlan()
    foreign = foreign_names(text, facts.unit) if facts.unit else []
    # the entities first: at one span, the user's equivalent (their “禾坪发布”) beats a bare marker
    for edit in entity_edits(text, facts, [w for f in foreign for w in (f.name, f.stem)]):
        plan.add(edit)
    findings = _name_findings(text, facts)
    for edit in [*edits_from_findings(text, findings), *foreign_entity_edits(text)]:
        plan.add(edit)
    for edit in foreign_name_edits(text, facts.unit, foreign, own_names(facts)) if facts.unit else []:
        plan.add(edit)
    filled, count_slots = slot_edits(text, facts)
    for edit in filled:
        plan.add(edit)
    dated_now = date_edits(text, facts) if facts.date else []  # the facts' date before the numbers look at it
    for edit in [*span_edits(text, facts), *title_unit_edits(text, facts), *dated_now]:
        plan.add(edit)
    # count slots (x次) are left for the number stage, which fills them by their context
    stage = plan.resolved()
    text = _apply(result, text, stage)
    count_slots = _remap_slots(count_slots, stage)
    # a typo inside a name just replaced ("乡村两级级" → "镇村两级级") is fixed in a second pass, and the
    # villages and people a slot hid ("x乡河头村" now "禾坪镇河头村") are found
    second = EditPlan([*edits_from_findings(text, _name_findings(text, facts, {"typo", "doubled-char"})),
                       *second_pass_entity_edits(text, facts)]).resolved()
    text = _apply(result, text, second)
    count_slots = _remap_slots(count_slots, second)

    aligned = align_numbers(text, facts, result.template_year, drop=drop, count_slots=count_slots)
    before = {e.fact for e in aligned.edits if e.reason == "number"}
    aligned.edits = named_or_marked(text, aligned.edits, facts)
    still = {e.fact for e in aligned.edits if e.reason == "number"}
    aligned.used -= before - still  # a fact whose only figure was unbound is stated with the added facts
    # the date line is the date step's (the facts' 成文日期), not a figure's clause to mark
    dated = parse_report(text).date if (facts.date or not drop) else None  # --drop without a date: it goes
    plan = EditPlan([e for e in aligned.edits if dated is None or not (e.start < dated.end and dated.start < e.end)])
    text = _apply(result, text, plan.resolved())
    result.used_facts = aligned.used

    missing = place_facts(text, facts, aligned.used) if add_missing else []
    text = _apply(result, text, missing)
    result.added_facts = [name for e in missing for name in (e.fact or "").split("、") if name]

    # the shape: headings in sequence, the date line, markers that read naturally, punctuation tidied
    for _ in range(MAX_ROUNDS):
        round_edits = renumber_edits(text)
        if not round_edits:
            break
        text = _apply(result, text, round_edits)
    text = _apply(result, text, date_edits(text, facts))
    text = _apply(result, text, scrub_marker_edits(text, foreign, facts.unit))
    text = _apply(result, text, natural_marker_edits(text))
    result.text = _apply(result, text, tidy_edits(text))
    return result


_UNIT_LABEL = {"次": "次数", "场": "场次", "场次": "场次", "篇": "篇数", "条": "条数", "人": "人数", "人次": "人次"}
_NUMBER_UNIT = regexes.compile(r"(?:近|约|超过)?[\d０-９.]+|[一二三四五六七八九十百千两]+(?=[余多]?(?:次|场|篇|条|个|人|名|支|块|期))")


def named_or_marked(text: str, edits: list[Edit], facts: Facts) -> list[Edit]:
    """A figure keeps a fact's value only when its own clause names that fact (or the clause before, when its
    own has no words of its own: "专题会议：4次"); else its clause is marked. The sentence naming the fact
    elsewhere is not enough: 网站共更新68条 next to 微信公众号共更新70条 is not the 公众号's 156."""
    by_name = {m.name: m for m in facts.metrics}
    out: list[Edit] = []
    for e in edits:
        metric = by_name.get(e.fact or "") if e.reason == "number" else None
        if metric is None:
            out.append(e)
            continue
        lo, hi = clause_span(text, e.start, e.end)
        words = re.sub(r"[^\u4e00-\u9fff]", "", _NUMBER_UNIT.sub("", text[lo : e.start]))
        window_lo = clause_span(text, max(0, lo - 2))[0] if len(words) < 2 and lo > 0 else lo
        if metric.named_in(text[window_lo:hi]):
            out.append(e)
            continue
        clause = text[lo:hi]
        label = re.sub(r"[^\u4e00-\u9fff]", "", _NUMBER_UNIT.sub("", clause))
        label = label[: -len(metric.unit)] if metric.unit and label.endswith(metric.unit) else label
        suffix = next((v for k, v in _UNIT_LABEL.items() if text[e.start : e.end].endswith(k)), "数量")
        out.append(Edit(lo, hi, clause, marker(TODO, label[-12:] + suffix), "todo-clause",
                        note="这一分句说的不是事实文件里的这一项：请补充事实或改写这一句"))
    return out


def _apply(result: RewriteResult, text: str, edits: list[Edit]) -> str:
    """Apply one stage; the edits of earlier stages move with the text, so every recorded edit's
    ``out_start``/``out_end`` is an offset into the final output (what --changes shows)."""
    new_text, applied = apply_edits(text, edits)
    if applied:
        # an earlier edit whose words a later one rewrote (乡长→镇长 inside a clause now marked) is superseded:
        # the later edit's ``old`` holds it
        result.edits = [_moved(e, applied) for e in result.edits if not _superseded(e, applied)]
    result.edits.extend(applied)
    return new_text


def _superseded(edit: Edit, later: list[Edit]) -> bool:
    if edit.out_start is None or edit.out_end is None:
        return False
    if edit.out_start == edit.out_end:  # a deletion: gone only if a later edit rewrote around it
        return any(e.start < edit.out_start < e.end for e in later)
    return any(e.start <= edit.out_start and edit.out_end <= e.end and e.start < e.end for e in later)


def _moved(edit: Edit, later: list[Edit]) -> Edit:
    if edit.out_start is None or edit.out_end is None:
        return edit
    start = shift_offset(edit.out_start, later)
    return replace(edit, out_start=start, out_end=max(start, shift_offset(edit.out_end, later, end=True)))


def shift_offset(pos: int, applied: list[Edit], *, end: bool = False) -> int:
    """Where ``pos`` of a stage's input sits in its output, given the stage's applied edits."""
    shift = 0
    for e in applied:
        # an insertion at an edit's end goes after it, at its start before it
        if e.end < pos or (e.end == pos and (e.start < e.end or not end)):
            shift += len(e.new) - (e.end - e.start)
        elif e.start < pos:  # pos inside a later replacement: it goes to that replacement's edge
            return (e.start + shift + len(e.new)) if end else e.start + shift
        else:
            break
    return pos + shift


def _name_findings(text: str, facts: Facts, rules: set[str] = NAME_RULES) -> list[Finding]:
    options = CheckOptions(unit=facts.unit, year=facts.period.year, span=facts.period.span, facts=None,
                           select=set(rules))
    return check_source(SourceText("<template>", text), options)


def template_year(text: str) -> int | None:
    """The template's own year: the title's, else the most frequent year in the text."""
    first_line = text.lstrip().split("\n", 1)[0]
    m = re.search(r"((?:19|20)\d{2})\s*年", first_line)
    if m:
        return int(m.group(1))
    years = [int(c.value) for c in extract_claims(text) if c.kind == "year"]
    return max(set(years), key=years.count) if years else None


def span_edits(text: str, facts: Facts) -> list[Edit]:
    """上半年 → 全年 (and the like) where the template's period differs from the user's."""
    target = facts.period.span
    if not target:
        return []
    edits = []
    if target != "全年":
        # the template's 全年 in a shorter period's report: its figures were a year's, the user's are not
        for m in re.finditer(r"全年(?!目标|任务|计划|工作目标|指标)", text):
            edits.append(Edit(m.start(), m.end(), m.group(0), target, "span", note=f"范文写的是全年，本总结是{target}"))
    for word in _SPAN_WORDS:
        if word == target:
            continue
        for m in re.finditer(word, text):
            s, e = m.span()
            new = target
            if target == "全年" and text[max(0, s - 2) : s] == "今年":
                s, new = s - 2, "今年"  # 今年上半年 → 今年
            edits.append(Edit(s, e, text[s:e], new, "span", note=f"范文写的是{word}，本总结是{target}"))
    return edits


def _remap_slots(slots: list[tuple[int, int]], applied: list[Edit]) -> list[tuple[int, int]]:
    """Offsets of untouched slots after the stage's edits shifted the text."""
    out = []
    for s, e in slots:
        shift = 0
        hit = False
        for edit in applied:
            if edit.end <= s:
                shift += len(edit.new) - (edit.end - edit.start)
            elif edit.start < e:
                hit = True
        if not hit:
            out.append((s + shift, e + shift))
    return out


def tidy_edits(text: str) -> list[Edit]:
    """Punctuation left doubled by dropped clauses: "，。" → "。", "，，" → "，"; three blank lines → one."""
    edits = []
    for pattern, keep in ((r"[，,；;]+(?=[。！？])", 0), (r"(?<=[，；])[，；]+", 0), (r"(?<=\n\n)\n+", 0)):
        for m in re.finditer(pattern, text):
            edits.append(Edit(m.start(), m.end(), m.group(0), m.group(0)[:keep], "tidy", note="删去多余的标点或空行"))
    return edits
