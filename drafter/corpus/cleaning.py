"""Remove document-site residue before a report enters the corpus.

The project's cleaner is ``drafter.clean.clean_text`` (owned by the text rules). Until it exists in a
checkout, a minimal local fallback covers the residue seen in copied reports, so ingestion never
stores ``##paidbegin##``, "下面是……小编为您推荐" lines or compilation headings.
"""

import re
from collections.abc import Callable

_INLINE = re.compile(r"##paid(?:begin|end)##|\[bookmark:[^\]]*\]|[（(]\d{3,5}字[）)]")
_SITE_LINE = re.compile(
    r"小编.{0,20}(?:推荐|整理|分享|收集|为您)|推荐访问[：:]|(?:文档|范文|文库)网|本文(?:由|来源|转载)|"
    r"(?:免费)?下载(?:本文|全文|文档)|更多.{0,10}(?:范文|相关|内容)请|(?:上一篇|下一篇)[：:]|^相关(?:推荐|文章|阅读)"
)
_PART_HEADING = re.compile(r"^.{2,60}?(?:范文)?篇\s*(?:\d{1,3}|[一二三四五六七八九十]{1,4})\s*$|^[【\[]?篇[一二三四五六七八九十\d]{1,4}[】\]]?[：:]?\s*$")
_MOTTO_MAX = 50


def clean_report_text(text: str) -> str:
    """Residue-free text: the project cleaner when present, else the local fallback."""
    cleaner = project_cleaner()
    if cleaner is not None:
        return cleaner(text)
    return fallback_clean(text)


def project_cleaner() -> Callable[[str], str] | None:
    try:
        from drafter.clean import clean_text  # type: ignore[import-not-found]
    except ImportError:
        return None

    def run(text: str) -> str:
        # The project cleaner may miss what the fallback knows; apply both, project first.
        return fallback_clean(clean_text(text).text)

    return run


def fallback_clean(text: str) -> str:
    lines = _INLINE.sub("", text).split("\n")
    keep = [True] * len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _SITE_LINE.search(stripped) or _PART_HEADING.match(stripped):
            keep[i] = False
            j = _previous_content_line(lines, i)
            # A motto (one short sentence) before the site's blurb belongs to the blurb.
            if j is not None and _is_motto(lines[j]) and _previous_content_line(lines, j) is None:
                keep[j] = False
    first = next((i for i, line in enumerate(lines) if line.strip() and keep[i]), None)
    if first is not None and _is_teaser(lines[first], "\n".join(lines[first + 1 :])):
        keep[first] = False
    out = "\n".join(line for line, k in zip(lines, keep, strict=True) if k)
    return out.strip("\n") + "\n"


def _previous_content_line(lines: list[str], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return j
    return None


def _is_motto(line: str) -> bool:
    s = line.strip()
    return len(s) <= _MOTTO_MAX and s.endswith(("。", "！", "!")) and not re.search(r"\d", s)


def _is_teaser(line: str, rest: str) -> bool:
    """A first line that repeats the opening and breaks off with "..." (a site's excerpt)."""
    s = line.strip()
    if not s.endswith(("...", "…", "……")):
        return False
    probe = re.sub(r"\s+", "", s)[-20:-3] if len(s) > 30 else ""
    compact = re.sub(r"\s+", "", rest)
    return bool(probe) and probe in compact
