"""Names, kinds, terms and slots: turn the check rules' findings on a template into rewrite edits.

The rules already know what is wrong and, where it is unambiguous, what to write instead; rewrite applies
their suggestions. Where a suggestion would invent something (someone else's media renamed after the
user's county), the name becomes a 【待核实：…】 marker instead.
"""

import re

from drafter import regexes
from drafter.edits import Edit
from drafter.facts.model import Facts
from drafter.findings import Finding
from drafter.resources import load_lexicon
from drafter.rewrite.clauses import TODO, VERIFY, marker
from drafter.rules.gap import find_gaps
from drafter.rules.placeholder import find_placeholders

# A place name glued to one of these is a media outlet's name (德宏组工, 陇川网, 云报客户端): renaming
# it after the user's county would invent a media outlet, so it is marked for checking instead.
MEDIA_SUFFIX = regexes.compile(r"(?:日报|晚报|报社|报|网站|网|组工|客户端|发布|电视台|广播电视台|融媒体中心|融媒|先锋|"
                          r"头条|新闻|论坛|同城|微信公众号|公众号|快手号|抖音号|视频号|APP|app|云)")
STALE_LABEL = "过时提法，请按今年实际改写"
APPLY_RULES = {"unit-kind", "typo", "doubled-char", "punctuation", "stale-term"}
# Slot hints that a fact can never fill: someone has to write them.
HINT_LABEL = {"人名": "姓名", "媒体或平台名称": "媒体名称", "名称": "名称", "日期": "日期", "月份": "月份",
              "届次": "届次", "序号": "序号"}


def edits_from_findings(text: str, findings: list[Finding]) -> list[Edit]:
    edits: list[Edit] = []
    for f in findings:
        if f.rule == "foreign-place":
            edits.append(_place_edit(text, f))
        elif f.rule == "stale-term" and (f.suggestion is None or _quoted_longer(text, f.start, f.end)):
            # no one word says it today (两学一做, 党史学习教育), or it is part of a quoted name (“脱贫攻坚奖”):
            # the term stays, marked after the quote or the term, for the user to rewrite
            quoted = enclosing_quote(text, f.start, f.end)
            at = quoted[1] if quoted else f.end
            edits.append(Edit(at, at, "", marker(VERIFY, STALE_LABEL), "stale-term", note=f.message))
        elif f.rule in APPLY_RULES and f.suggestion is not None:
            reason = "unit-kind" if f.rule == "unit-kind" else ("stale-term" if f.rule == "stale-term" else "typo")
            edits.append(Edit(f.start, f.end, f.text, f.suggestion, reason, note=f.message))
    return edits


def _quoted_longer(text: str, start: int, end: int) -> bool:
    quoted = enclosing_quote(text, start, end)
    return quoted is not None and quoted[1] - quoted[0] - 2 > end - start


def foreign_entity_edits(text: str) -> list[Edit]:
    """Someone else's roads and projects (G69银白高速公路) become 【待核实：项目名称】."""
    edits = []
    for entry in load_lexicon("foreign_entities")["entities"]:
        for m in re.finditer(entry["pattern"], text):
            edits.append(Edit(m.start(), m.end(), m.group(0), marker(VERIFY, entry["label"]), "verify-name",
                              note="范文所在地的项目或地物名称，请核实本地情况后改写"))
    return edits


def _place_edit(text: str, f: Finding) -> Edit:
    quoted = enclosing_quote(text, f.start, f.end)
    if quoted is not None:
        s, e = quoted
        return Edit(s, e, text[s:e], marker(VERIFY, "名称"), "verify-name", note="引号内是范文单位的名称，请核实后改写")
    media = MEDIA_SUFFIX.match(text, f.end)
    if media:
        return Edit(f.start, media.end(), text[f.start : media.end()], marker(VERIFY, "媒体名称"), "verify-name",
                    note="范文里的外地媒体，请换成本地实际用稿的媒体")
    if f.suggestion:
        return Edit(f.start, f.end, f.text, f.suggestion, "unit-name", note=f.message)
    return Edit(f.start, f.end, f.text, marker(VERIFY, "地名"), "verify-name", note=f.message)


def enclosing_quote(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a short “…” or 《…》 quotation around [start, end), brackets included."""
    for open_, close in (("“", "”"), ("《", "》"), ("「", "」")):
        lo = text.rfind(open_, max(0, start - 20), start)
        if lo < 0 or text.find(close, lo + 1, start) >= 0:
            continue
        hi = text.find(close, end, end + 20)
        if hi >= 0 and "\n" not in text[lo:hi]:
            return lo, hi + 1
    return None


def slot_edits(text: str, facts: Facts) -> tuple[list[Edit], list[tuple[int, int]]]:
    """Fill what the facts can fill (unit names, the year, 二十大); return the count slots (x次) apart,
    as spans, for the number step to fill by context."""
    unit = facts.unit
    year = facts.period.year
    edits: list[Edit] = []
    count_slots: list[tuple[int, int]] = []
    for slot in find_placeholders(text):
        s, e = slot.start, slot.end
        after = text[e : e + 4]
        old = text[s:e]
        if slot.hint == "年份" and year:
            edits.append(Edit(s, e, old, str(year), "slot", note="年份按事实文件填写"))
        elif slot.hint == "届次" or after.startswith("大"):
            edits.append(Edit(s, e, old, "二十" if (year or 2025) >= 2023 else "十九", "slot"))
        elif slot.hint == "单位名称或地名" and unit is not None:
            edits.append(_unit_slot(text, s, e, after, unit))
        elif slot.hint in ("数量", "百分比"):
            count_slots.append((s, e))
        else:
            label = HINT_LABEL.get(slot.hint, slot.hint or "内容")
            edits.append(Edit(s, e, old, marker(TODO, label), "slot", note="范文的空位，事实文件里没有对应内容"))
    for s, e, what, _todo in find_gaps(text):
        gap = text[s:e]
        if set(gap.strip()) <= set("、") and len(gap.strip()) >= 2:
            # "不在、、微博等": an item was deleted; only the user knows which, so it is marked, never closed
            items = "、".join([marker(TODO, "列举项")] * (len(gap.strip()) - 1))
            edits.append(Edit(s, e, gap, f"、{items}、", "gap", note=what))
        elif set(gap.strip()) <= set("、"):
            # the first or last item was deleted: "（、微博" / "微博、）"
            before = s > 0 and text[s - 1] in "（(“《：:，,"
            new = f"{marker(TODO, '列举项')}、" if before else f"、{marker(TODO, '列举项')}"
            edits.append(Edit(s, e, gap, new, "gap", note=what))
        elif gap.startswith("关于印发"):
            edits.append(Edit(s + 4, s + 4, "", marker(TODO, "文件名称"), "gap", note=what))
        else:
            edits.append(Edit(s, e, gap, marker(TODO, what.strip("“”《》") or "名称"), "gap", note=what))
    return edits, count_slots


def _unit_slot(text: str, s: int, e: int, after: str, unit) -> Edit:
    old = text[s:e]
    for suffix, name in (("街道", unit.name), ("镇", unit.name), ("乡", unit.name), ("县", unit.county),
                         ("区", unit.county), ("市", unit.city), ("州", unit.city), ("省", unit.province)):
        if after.startswith(suffix) and name:
            # xx镇 → 青石镇: the slot and its suffix become the user's full name (kind corrected too)
            return Edit(s, e + len(suffix), old + suffix, name, "slot", note="单位名称按事实文件填写")
    return Edit(s, e, old, marker(TODO, "单位名称"), "slot")
