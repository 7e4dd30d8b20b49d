"""Rule ``todo``: the visible 【待补充：…】 / 【待核实：…】 markers rewrite and draft leave where no fact
supports the template's words. They are meant to be seen, so they are warnings, not errors."""

from collections.abc import Iterator

from drafter.findings import Finding, Severity
from drafter.markers import MARKER_RE, TODO
from drafter.rules import CheckContext, rule

RULE_ID = "todo"


@rule(RULE_ID, Severity.WARNING, "待办标记：【待补充：…】【待核实：…】处需要补上事实或核实后改写")
def check_todo(ctx: CheckContext) -> Iterator[Finding]:
    for m in MARKER_RE.finditer(ctx.text):
        what = m.group(2)
        if m.group(1) == TODO:
            message = f"这里缺少事实：{what}。请在事实文件里补充后重新生成，或手工改写这一句。"
        else:
            message = f"这里是范文里别人的{what}，请核实本单位的实际情况后改写或删去。"
        yield ctx.finding(RULE_ID, Severity.WARNING, m.start(), m.end(), message)
