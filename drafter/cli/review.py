"""Word-review outputs of check and rewrite: 批注 (--annotate) and 修订 (--fix on .docx, --track-changes).

The CLI side only: argument checks, Chinese messages, atomic writes. The work is in
``drafter.docx_annotate`` and ``drafter.docx_revisions``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from drafter.atomic import write_atomic
from drafter.exceptions import UsageError


def _is_docx(path: str | None) -> bool:
    return path is not None and Path(path).suffix.lower() == ".docx"


def check_annotate_args(paths: Sequence[str], output: str | None, fix: bool) -> None:
    if len(paths) != 1 or not _is_docx(paths[0]):
        raise UsageError("--annotate 需要一个 .docx 输入文件，例如：drafter check 总结.docx --annotate -o 总结-批注.docx")
    if not _is_docx(output):
        raise UsageError("--annotate 需要用 -o 指定输出的 .docx 文件，例如 -o 总结-批注.docx（从不修改输入文件）。")
    if fix:
        raise UsageError("--annotate 与 --fix 请分两次运行：先 --fix 得到修订稿，再对修订稿 --annotate。")


def write_annotated(path: str, findings, output: str) -> None:
    from drafter.docx_annotate import annotate_docx, finding_notes
    from drafter.docx_reader import read_docx

    data, placed = annotate_docx(read_docx(path), finding_notes(findings))
    write_atomic(output, data)
    print(f"已写入 {output}：{placed} 条批注（作者 drafter）。请在 Word/WPS 的“审阅”中查看。", file=sys.stderr)


def write_fixed(path: str, source, findings, output: str, apply_safe_fixes) -> None:
    """--fix: a .docx input and output get tracked changes; otherwise the fixed text, as before."""
    fixed, applied = apply_safe_fixes(source.text, findings)
    if _is_docx(path) and _is_docx(output):
        from drafter.docx_reader import read_docx
        from drafter.docx_revisions import Change, track_changes

        changes = [Change(f.start, f.end, f.suggestion or "") for f in applied]
        data, placed = track_changes(read_docx(path), changes)
        write_atomic(output, data)
        print(f"已写入 {output}：{placed} 处修订。请在 Word/WPS 的“审阅”中逐条接受或拒绝。", file=sys.stderr)
        return
    if _is_docx(output):
        from drafter.writers import write_report

        write_report(fixed, output)
    else:
        write_atomic(output, fixed)
    print(f"已写入 {output}：自动修正 {len(applied)} 处。", file=sys.stderr)


def write_tracked_rewrite(template: str, result, output: str, reason_labels: dict[str, str]) -> int:
    """The rewrite as tracked changes against the template .docx, each edit's reason a comment."""
    from drafter.docx_reader import read_docx
    from drafter.docx_revisions import diff_changes, track_changes

    docx_text = read_docx(template)
    keep = {o for table in docx_text.layout.tables for row in table.rows for cell in row.cells
            for o in (cell.start, cell.end)}
    changes = [_with_reason(c, result.edits, reason_labels, docx_text.text, result.text)
               for c in diff_changes(docx_text.text, result.text, keep)]
    data, placed = track_changes(docx_text, changes)
    write_atomic(output, data)
    return placed


def _with_reason(change, edits, labels: dict[str, str], old: str, new: str):
    """The reason of the rewrite edit behind a change. A change is often a digit or two (2024 → 2025,
    10次 → 12次), so it is widened to the whole number on both sides first; the edit whose old and new
    texts hold those wins."""
    from dataclasses import replace

    old_ctx = _widen(old, change.start, change.end)
    new_ctx = _widen(new, change.at, change.at + len(change.new)) if change.at >= 0 else change.new.strip()
    best, best_score = None, 0
    for edit in edits:
        score = 0
        if new_ctx and new_ctx in edit.new:
            score += 2
        if old_ctx and old_ctx in edit.old:
            score += 2
        if not change.new.strip() and edit.old and not edit.new:
            score += 1
        if score > best_score:
            best, best_score = edit, score
    if best is None:
        return replace(change, comment="修改原因：改写（与范文不同之处）")
    parts = [f"修改原因：{labels.get(best.reason, best.reason)}"]
    if best.note:
        parts.append(best.note)
    if best.fact:
        parts.append(f"依据事实：{best.fact}")
    return replace(change, comment="\n".join(parts))


def _widen(text: str, start: int, end: int) -> str:
    """``text[start:end]`` grown over the digits around it (a changed 4 inside 2024 is 2024)."""
    digits = "0123456789.％%"
    if start < end and text[start] in digits:
        while start > 0 and text[start - 1] in digits:
            start -= 1
    if start < end and text[end - 1] in digits:
        while end < len(text) and text[end] in digits:
            end += 1
    return text[start:end].strip()
