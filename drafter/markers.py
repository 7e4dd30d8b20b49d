"""The visible to-do markers drafter writes where no fact supports a template's words:
【待补充：党课次数】 (a fact is missing) and 【待核实：媒体名称】 (someone else's name to check)."""

from drafter import regexes

TODO = "待补充"
VERIFY = "待核实"
MARKER_RE = regexes.compile(r"【(待补充|待核实)：([^】\n]{0,60})】")
_LABEL_DROP = regexes.compile(r"[【】\s“”\"'《》（）()]|待补充：|待核实：")
MAX_LABEL = 30


def marker(kind: str, label: str) -> str:
    label = _LABEL_DROP.sub("", label).strip("，、；：") or "相关内容"
    return f"【{kind}：{label[:MAX_LABEL]}】"
