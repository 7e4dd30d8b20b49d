"""Rule ``invisible-char``: zero-width, format and control characters, and spaces inside a number, that
text copied from WeChat and web pages carries. They show as nothing, yet "1​42篇" is 1 and 42 to anything
that reads the file, and "勐​约乡" is no place name a search finds. The other rules read the text without
them (``SourceText.clean``); this rule says where they are in the original, and ``--fix`` removes them.
Their names are data in ``corpus/lexicons/invisible.yaml``.
"""

import unicodedata
from collections.abc import Iterator

from drafter.findings import Finding, Severity
from drafter.resources import load_lexicon
from drafter.rules import CheckContext, rule
from drafter.source import invisible_runs

RULE_ID = "invisible-char"


def char_name(ch: str) -> str:
    """零宽空格（U+200B）; a character the lexicon does not name by its Unicode name."""
    name = load_lexicon("invisible")["names"].get(ch)
    if name is None:
        name = "控制字符" if unicodedata.category(ch) == "Cc" else unicodedata.name(ch, "不可见字符")
    return f"{name}（U+{ord(ch):04X}）"


@rule(RULE_ID, Severity.WARNING, "不可见字符：零宽空格、BOM、方向标记、控制字符，及数字中间的空格（复制网页、微信时带入）")
def check_invisible(ctx: CheckContext) -> Iterator[Finding]:
    source = ctx.source
    for run in invisible_runs(source.text):
        if run.replacement == " ":
            continue  # a no-break space between words reads as the space it looks like: nothing is hidden
        chars = source.text[run.start : run.end]
        names = "、".join(dict.fromkeys(char_name(ch) for ch in chars))
        line, column = source.line_col(run.start)
        if run.in_number:
            before, after = source.text[max(0, run.start - 3) : run.start], source.text[run.end : run.end + 3]
            message = (f"数字中间夹着看不见的{names}：“{before}{after}”看起来是一个数，机器读来却是两个。"
                       "--fix 可删除。")
            severity = Severity.ERROR
        else:
            message = f"看不见的{names}，多是从网页或微信复制时带入，会把词语或数字拆开。--fix 可删除。"
            severity = Severity.WARNING
        # the text shown is the character's code, not the character: printed raw it shows nothing
        shown = "".join(f"<U+{ord(ch):04X}>" for ch in chars)
        yield Finding(RULE_ID, severity, run.start, run.end, line, column, shown, message, "", safe_fix=True)
