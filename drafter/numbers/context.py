"""What a number counts: its label ("党课", "中心组学习"), its clause and its sentence.

Chinese puts the counted noun on either side: "党课25次" (noun, then number and measure word) and
"8次党委理论学习中心组集体学习" / "5个行政村" (number and measure word, then noun). The clause is cut at
punctuation and at neighbouring numbers, so "陇川组工采用1条，陇川网采用31条" gives each number its own
words.
"""

from dataclasses import replace
from typing import TYPE_CHECKING

from drafter.numbers.lexicon import synonyms

if TYPE_CHECKING:
    from drafter.numbers.claims import NumberClaim

CLAUSE_BREAKS = set("，,。；;：:！!？?、\n")
SENTENCE_BREAKS = set("。；;！!？?\n")
MAX_LABEL = 20
# verbs after which the object is what is counted: "全年共开展党课25次" → 党课
_LIGHT_VERBS = ("开展", "召开", "组织", "举办", "举行", "进行", "配合", "现有", "共有", "拥有", "建有", "设有")
# a clause after the number that starts with one of these does not name the counted thing
_NOT_A_NOUN = ("参加", "参与", "受益", "受教育", "覆盖", "左右", "以上", "以来", "期间", "参", "受", "获", "被",
               "的", "了", "到", "在", "中", "后", "前", "内", "外", "之", "以", "时", "来", "是", "为", "均", "都",
               "已", "共", "全部", "分别", "和", "与", "及", "等", "次", "，")
# the counted noun after the number ends where the predicate starts: "45个村民小组均制定了…"
_POST_CUT = ("均", "都", "已", "全部", "参加", "参与", "分别", "共", "进行", "开展", "制定", "获得", "成为",
             "累计", "达到", "实现", "的", "被", "中有", "外，", "外。", "更新", "发布", "建成", "建立", "设立",
             "开设", "配备", "开通", "举办", "召开", "签订", "评为", "覆盖", "落实", "张贴", "悬挂", "发放",
             "印发", "推送", "刊发", "采用", "组建", "成立", "完成", "新建", "设置")


def attach_context(text: str, claims: list["NumberClaim"]) -> list["NumberClaim"]:
    pieces = [_pieces(text, claims, i) for i in range(len(claims))]
    out = []
    for i, c in enumerate(claims):
        pre, post = pieces[i]
        if i and not _is_range(text, claims[i - 1], c):
            prev_post = pieces[i - 1][1]
            taken = _noun_after(prev_post)
            if taken and pre == prev_post:
                pre = pre[taken:]  # "12个村（社区）更新宣传栏36块": 村（社区） belongs to 12个
        taken = _noun_after(post)
        label = make_label(pre, post[:taken] if taken else "")
        context = f"{pre} {post[:taken] if taken else post}".strip()
        sentence_start = _back_to(text, c.start, SENTENCE_BREAKS, 0)
        sentence_end = _forward_to(text, c.end, SENTENCE_BREAKS, len(text))
        out.append(replace(c, label=label, context=context, wide=text[sentence_start:sentence_end].strip()))
    return out


def _pieces(text: str, claims: list["NumberClaim"], i: int) -> tuple[str, str]:
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
    return _without_claims(text, clause_start, c.start, claims), _without_claims(text, c.end, clause_end, claims)


def _noun_after(post: str) -> int:
    """Length of the noun a number counts when it follows the number ("5个行政村"), else 0."""
    if not post or post.startswith(_NOT_A_NOUN) or not _is_cjk(post[0]):
        return 0
    cut = len(post)
    for word in _POST_CUT:
        at = post.find(word, 1)
        if 0 < at < cut:
            cut = at
    return cut


def _is_range(text: str, a: "NumberClaim", b: "NumberClaim") -> bool:
    return a.in_range and b.in_range and b.start - a.end == 1


def _without_claims(text: str, start: int, end: int, claims: list["NumberClaim"]) -> str:
    """text[start:end] with the other end of a range cut out."""
    out, pos = [], start
    for c in claims:
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
    for verb in _LIGHT_VERBS:
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
    label = label.strip(" \u3000\t()（）")
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
