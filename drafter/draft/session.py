"""Every finished section is saved as it arrives, so an interrupted draft resumes where it stopped.

A session is a JSON file under DRAFTER_HOME/sessions, keyed by the output path; it remembers the facts
it was drafted from (a hash), so a resume with changed facts starts afresh. No key or endpoint is saved.
"""

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from drafter.atomic import write_atomic
from drafter.draft.model import SectionDraft
from drafter.paths import sessions_dir


def session_path(output: str) -> Path:
    key = hashlib.sha256(str(Path(output).resolve()).encode("utf-8")).hexdigest()[:16]
    return sessions_dir() / f"draft-{key}.json"


def facts_fingerprint(facts_text: str, plan_headings: list[str]) -> str:
    return hashlib.sha256((facts_text + "\n".join(plan_headings)).encode("utf-8")).hexdigest()


class DraftSession:
    def __init__(self, path: Path, fingerprint: str, resume: bool):
        self.path = path
        self.fingerprint = fingerprint
        self.sections: dict[int, SectionDraft] = {}
        if resume and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                data = {}
            if data.get("fingerprint") == fingerprint:
                self.sections = {int(k): SectionDraft(**v) for k, v in data.get("sections", {}).items()}

    def save(self, draft: SectionDraft) -> None:
        self.sections[draft.index] = draft
        payload = {"fingerprint": self.fingerprint,
                   "sections": {str(k): asdict(v) for k, v in sorted(self.sections.items())}}
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1))

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
