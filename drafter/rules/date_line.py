"""Rule ``date-line``: a report signed by a unit (落款) without a 成文日期 under it.

GB/T 9704-2012 §7.3.5: a document with a signature carries its date below it, in Arabic numerals
(2025年12月20日). A template copied without its last line, or a draft made before the date was
known, has only the unit's name.
"""

from collections.abc import Iterator

from drafter.findings import Finding, Severity
from drafter.rules import CheckContext, rule

RULE_ID = "date-line"


@rule(RULE_ID, Severity.WARNING, "落款下缺少成文日期")
def check_date_line(ctx: CheckContext) -> Iterator[Finding]:
    report = ctx.report
    if report.signature is None or report.date is not None:
        return
    signature = report.signature
    yield ctx.finding(
        RULE_ID, Severity.WARNING, signature.start, signature.end,
        f"落款“{signature.text}”下面没有成文日期：请在落款下一行写上成文日期，"
        "用阿拉伯数字写全年份，如 2025年12月20日（或在事实文件里写 date: 2025-12-20 后重新生成）。",
    )
