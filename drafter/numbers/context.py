"""What a number counts: its label ("党课", "中心组学习"), its clause and its sentence.

Chinese puts the counted noun on either side: "党课25次" (noun, then number and measure word) and
"8次党委理论学习中心组集体学习" / "5个行政村" (number and measure word, then noun). The clause is cut at
punctuation and at neighbouring numbers, so "陇川组工采用1条，陇川网采用31条" gives each number its own
words.
"""

import itertools
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING

from drafter.numbers.lexicon import measures, parts, synonyms

if TYPE_CHECKING:
    from drafter.numbers.claims import NumberClaim

CLAUSE_BREAKS = set("，,。；;：:！!？?、\n")
SENTENCE_BREAKS = set("。；;！!？?\n")
MAX_LABEL = 20
# How far the "sentence" of a claim reaches each way: a paragraph without a full stop (a pasted page, 21k
# characters on one line) would otherwise be every claim's sentence, and matching quadratic in its length.
MAX_WIDE = 150


def attach_context(text: str, claims: list["NumberClaim"]) -> list["NumberClaim"]:
    near = _Neighbours(claims)
    pieces = [_pieces(text, claims, i, near) for i in range(len(claims))]
    out = []
    for i, c in enumerate(claims):
        pre, post = pieces[i]
        shared = ""
        if i and not _is_range(text, claims[i - 1], c):
            prev_post = pieces[i - 1][1]
            taken = _noun_after(claims[i - 1], prev_post)
            if taken and pre == prev_post:
                # "12个村（社区）更新宣传栏36块": 村（社区） belongs to 12个; when nothing is left ("5个方面21项")
                # the noun is all the context there is
                pre, shared = pre[taken:], pre[:taken] if not pre[taken:].strip() else ""
        taken = _noun_after(c, post)
        label = make_label(pre, post[:taken] if taken else "")
        after = bool(taken) and bool(_post_label(post[:taken]))
        context = f"{shared}{pre} {post[:taken] if taken else post}".strip()
        sentence_start = _back_to(text, c.start, SENTENCE_BREAKS, max(0, c.start - MAX_WIDE))
        sentence_end = _forward_to(text, c.end, SENTENCE_BREAKS, min(len(text), c.end + MAX_WIDE))
        out.append(replace(c, label=label, context=context, wide=text[sentence_start:sentence_end].strip(),
                           label_after=after, lead=text[sentence_start : c.start].lstrip(), tail=text[c.end : sentence_end]))
    return _distribute(out)


_ITEM_BREAKS = "，,；;：:。！!？?\n"
_DISTRIBUTED_GAP = 3  # characters besides the list's own figures between 分别 and a figure it hands out (为, 开展)


def _distribute(claims: list["NumberClaim"]) -> list["NumberClaim"]:
    """"专题会议、研判会分别为4次、2次": each figure after 分别 takes the item of its rank in the list before it
    as its label and clause, not the last item (which its own clause would give the first figure)."""
    lex = parts()
    out = list(claims)
    for i, c in enumerate(claims):
        if not c.is_metric or "分别" not in c.lead:
            continue
        at, word = max(((c.lead.rfind(w), w) for w in lex.distributive), key=lambda t: (t[0], len(t[1])))
        if at < 0:
            continue
        sentence_start = c.start - len(c.lead)
        marker_end = sentence_start + at + len(word)
        before = [k for k in range(i) if claims[k].is_metric and claims[k].start >= marker_end]
        gap = c.start - marker_end - sum(len(claims[k].text) for k in before)
        if gap > _DISTRIBUTED_GAP + len(before):
            continue  # the figure has words of its own after 分别 ("分别为专题会议3次")
        segment = c.lead[:at]
        for ch in _ITEM_BREAKS:
            segment = segment.rsplit(ch, 1)[-1]
        items = [s for s in _split_items(segment, lex.list_separators) if s.strip()]
        rank = len(before)
        if len(items) < 2 or rank >= len(items):
            continue
        item = items[rank].strip()
        label = _pre_label(item) or trim_label(item)
        out[i] = replace(c, label=label, context=item, label_after=False)
    return out


def _split_items(segment: str, separators: str) -> list[str]:
    items, cur = [], []
    for ch in segment:
        if ch in separators:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return items


class _Neighbours:
    """Find the claims that may overlap a span without looking at every claim.

    Cutting the other claims out of a clause used to test all claims for every clause, which made
    long documents quadratic. Claims come in text order, so the ones starting before a span's end are
    a prefix (bisect on starts), and among them only those after the last index whose running maximum
    end is still at or before the span's start can reach into it. The caller still tests each candidate,
    in list order, exactly as before. Should the starts ever be out of order, every claim is a candidate.
    """

    def __init__(self, claims: list["NumberClaim"]):
        self.starts = [c.start for c in claims]
        self.max_ends = list(itertools.accumulate((c.end for c in claims), max))
        self.ordered = all(a <= b for a, b in itertools.pairwise(self.starts))

    def candidates(self, start: int, end: int) -> range:
        if not self.ordered:
            return range(len(self.starts))
        return range(bisect_right(self.max_ends, start), bisect_left(self.starts, end))


def _pieces(text: str, claims: list["NumberClaim"], i: int, near: _Neighbours) -> tuple[str, str]:
    """The claim's clause before and after it, cut at punctuation and at the neighbouring claims."""
    c = claims[i]
    prev_end = claims[i - 1].end if i else 0
    next_start = claims[i + 1].start if i + 1 < len(claims) else len(text)
    # the two ends of a range ("500—1000平方米") share their words
    if i and _is_range(text, claims[i - 1], c):
        prev_end = claims[i - 2].end if i > 1 else 0
    if i + 1 < len(claims) and _is_range(text, c, claims[i + 1]):
        next_start = claims[i + 2].start if i + 2 < len(claims) else len(text)
    clause_start = _back_to(text, c.start, CLAUSE_BREAKS, prev_end)
    clause_end = _forward_to(text, c.end, CLAUSE_BREAKS, next_start)
    return (_without_claims(text, clause_start, c.start, claims, near),
            _without_claims(text, c.end, clause_end, claims, near))


def _noun_after(claim: "NumberClaim", post: str) -> int:
    """Length of the noun a number counts when it follows the number ("5个行政村"), else 0."""
    syn = synonyms()
    if claim.unit not in measures().noun_follows:
        return 0
    if not post or post.startswith(syn.not_a_noun) or not _is_cjk(post[0]):
        return 0
    cut = len(post)
    for word in syn.noun_ends_before:
        at = post.find(word, 1)
        if 0 < at < cut:
            cut = at
    return cut


def _is_range(text: str, a: "NumberClaim", b: "NumberClaim") -> bool:
    return a.in_range and b.in_range and b.start - a.end == 1


def _without_claims(text: str, start: int, end: int, claims: list["NumberClaim"], near: _Neighbours) -> str:
    """text[start:end] with the other end of a range cut out."""
    out, pos = [], start
    for k in near.candidates(start, end):
        c = claims[k]
        if c.end <= start or c.start >= end:
            continue
        out.append(text[pos : max(pos, c.start)])
        pos = max(pos, c.end)
    out.append(text[pos:end] if pos < end else "")
    return "".join(out).strip("-—–~～至到")


def make_label(pre: str, noun_after: str) -> str:
    """The counted noun phrase, for display and for naming an extracted fact."""
    post_label = _post_label(noun_after) if noun_after else ""
    pre_label = _pre_label(pre)
    if len(post_label) >= 2:
        return post_label[:MAX_LABEL]
    if post_label:
        return (pre_label + post_label)[-MAX_LABEL:]
    return pre_label[-MAX_LABEL:]


def _pre_label(pre: str) -> str:
    pre = pre.strip(" \u3000\t")
    for verb in synonyms().light_verbs:
        at = pre.rfind(verb)
        if at >= 0 and len(pre) - at - len(verb) >= 2:
            pre = pre[at + len(verb) :]
    return trim_label(pre)


def _post_label(post: str) -> str:
    label = trim_label(post)
    return label[:-1] if label.endswith("外") and len(label) > 2 else label  # 除……三名领导外


def trim_label(label: str) -> str:
    """Drop stopwords and particles from the ends: "全年共开展党课" → "党课", "出席率达" → "出席率"."""
    syn = synonyms()
    stop = sorted((w for w, c in syn.replace.items() if c == ""), key=len, reverse=True)
    changed = True
    label = _strip_unbalanced(label.strip(" \u3000\t"))
    while changed and label:
        changed = False
        for word in stop:
            if label.startswith(word):
                label, changed = label[len(word) :], True
            if label.endswith(word):
                label, changed = label[: -len(word)], True
        while label and label[0] in syn.edge_chars:
            label, changed = label[1:], True
        while label and label[-1] in syn.edge_chars:
            label, changed = label[:-1], True
        label = label.strip(" \u3000\t")
    return label


def _strip_unbalanced(label: str) -> str:
    """Drop a bracket at either end that has no partner inside: "（村" → "村", but keep "村（社区）"."""
    while label and label[0] in "(（" and not any(ch in label for ch in ")）"):
        label = label[1:]
    while label and label[-1] in ")）" and not any(ch in label for ch in "(（"):
        label = label[:-1]
    while label and label[-1] in "(（":
        label = label[:-1]
    return label


def _back_to(text: str, pos: int, breaks: set[str], floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in breaks:
        i -= 1
    return i


def _forward_to(text: str, pos: int, breaks: set[str], ceiling: int) -> int:
    i = pos
    while i < ceiling and text[i] not in breaks:
        i += 1
    return i


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "“‘《（("
