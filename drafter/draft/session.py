"""Every finished section is saved as it arrives, so an interrupted draft resumes where it stopped.

A session is a JSON file under DRAFTER_HOME/sessions, keyed by the output path; it remembers the facts
it was drafted from (a hash), so a resume with changed facts starts afresh. No key or endpoint is saved.
The file is the user's to damage or edit: on resume it is checked field by field (a file with fields
drafter never wrote is refused with a message), and every saved section passes the verification gate
again — a section whose numbers the facts no longer support is drafted anew, never copied into the output.
"""

import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from drafter.atomic import write_atomic
from drafter.draft.model import SectionDraft
from drafter.exceptions import DrafterError
from drafter.paths import sessions_dir

SESSION_KEYS = {"fingerprint", "sections"}
_FIELD_TYPES = {f.name: f.type for f in fields(SectionDraft)}
_REQUIRED = {"index", "heading", "body", "engine"}


class SessionError(DrafterError):
    """A saved session that cannot be trusted: damaged, or edited by hand into something drafter never wrote."""


def session_path(output: str) -> Path:
    key = hashlib.sha256(str(Path(output).resolve()).encode("utf-8")).hexdigest()[:16]
    return sessions_dir() / f"draft-{key}.json"


def facts_fingerprint(facts_text: str, plan_headings: list[str]) -> str:
    return hashlib.sha256((facts_text + "\n".join(plan_headings)).encode("utf-8")).hexdigest()


def _refuse(path: Path, why: str) -> SessionError:
    return SessionError(f"起草进度文件 {path} {why}，不能用来继续。请删除这个文件后重新起草"
                        "（或去掉 --resume，从头起草）。")


def parse_sections(data: Any, path: Path) -> dict[int, SectionDraft]:
    """The saved sections of a session file's ``sections`` value, each field checked for its type."""
    if not isinstance(data, dict):
        raise _refuse(path, "的 sections 不是一个表")
    out: dict[int, SectionDraft] = {}
    for key, value in data.items():
        if not isinstance(value, dict):
            raise _refuse(path, f"第 {key} 节的内容格式不对")
        unknown = set(value) - _FIELD_TYPES.keys()
        if unknown:
            raise _refuse(path, f"含有不认识的字段（{'、'.join(sorted(map(str, unknown)))[:80]}），可能被改动过")
        missing = _REQUIRED - set(value)
        if missing:
            raise _refuse(path, f"缺少字段（{'、'.join(sorted(missing))}）")
        for name, item in value.items():
            if not _has_type(item, _FIELD_TYPES[name]):
                raise _refuse(path, f"第 {key} 节的 {name} 字段类型不对")
        try:
            index = int(key)
        except ValueError:
            raise _refuse(path, f"的节编号“{str(key)[:20]}”不是数字") from None
        if index != value["index"] or not 0 <= index < 1000:
            raise _refuse(path, f"的节编号 {str(key)[:20]} 与内容不符")
        out[index] = SectionDraft(**value)
    return out


def _has_type(value: Any, annotation: Any) -> bool:
    text = str(annotation)
    if value is None:
        return "None" in text or "Optional" in text
    if "list[dict" in text:  # SectionDraft.attempts: each answer with its findings (drafter.generate)
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if "list" in text:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if "float" in text:  # SectionDraft.seconds
        return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    if "int" in text:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, str)


def verified_sections(sections: dict[int, SectionDraft], facts: Any) -> dict[int, SectionDraft]:
    """The saved sections that pass the verification gate against ``facts`` again; the rest are redone."""
    from drafter.verify import gate_findings

    return {i: s for i, s in sections.items() if not s.body.strip() or not gate_findings(s.body, facts)}


class DraftSession:
    def __init__(self, path: Path, fingerprint: str, resume: bool, facts: Any = None):
        self.path = path
        self.fingerprint = fingerprint
        self.sections: dict[int, SectionDraft] = {}
        self.rejected = 0  # saved sections that failed verification on resume and are drafted again
        if resume and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError, RecursionError):
                raise _refuse(path, "已损坏（不是有效的 JSON）") from None
            if not isinstance(data, dict) or set(data) - SESSION_KEYS:
                extra = sorted(map(str, set(data) - SESSION_KEYS)) if isinstance(data, dict) else []
                raise _refuse(path, f"含有不认识的字段（{'、'.join(extra)[:80]}），可能被改动过" if extra
                              else "格式不对")
            if data.get("fingerprint") == fingerprint:
                saved = parse_sections(data.get("sections", {}), path)
                self.sections = verified_sections(saved, facts) if facts is not None else saved
                self.rejected = len(saved) - len(self.sections)

    def save(self, draft: SectionDraft) -> None:
        self.sections[draft.index] = draft
        payload = {"fingerprint": self.fingerprint,
                   "sections": {str(k): asdict(v) for k, v in sorted(self.sections.items())}}
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1), private=True)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
