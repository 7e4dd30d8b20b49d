"""The interactive session's memory: what was asked and answered so far, saved after every answer.

Two files are written each time, both atomically: the user's facts file (plain YAML they can edit and
reuse with `drafter draft --facts`) and a JSON progress file under DRAFTER_HOME/sessions, keyed by the
output path, that also remembers which questions were already answered (an answer of "skip" leaves no
trace in the facts) and which drafted sections the user accepted. Ctrl-C at any prompt loses nothing.
A small "last session" file gives the next session its defaults (unit, county, year, span, type).
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drafter.atomic import write_atomic
from drafter.draft.model import SectionDraft
from drafter.draft.session import parse_sections, verified_sections
from drafter.facts.model import Facts
from drafter.facts.save import facts_dict, save_facts
from drafter.facts.validate import build_facts
from drafter.paths import sessions_dir

STATE_VERSION = 1
FACTS_HEADER = ("drafter draft 交互式问答保存的事实文件，每回答一题保存一次。\n"
                "可以直接修改本文件，再用 drafter draft --facts 本文件 -o 输出文件 重新起草。")
_LAST = "interactive-last.json"


@dataclass
class QAState:
    output: str
    facts_path: str
    facts: Facts = field(default_factory=Facts)
    report_type: str | None = None
    answered: list[str] = field(default_factory=list)  # question keys, in the order answered
    outline: list[tuple[str, str]] = field(default_factory=list)  # (topic, heading) of the sections asked about
    accepted: dict[int, SectionDraft] = field(default_factory=dict)  # reviewed sections the user kept
    accepted_fingerprint: str = ""  # the facts those sections were drafted from

    def done(self, key: str) -> bool:
        return key in self.answered

    def mark(self, key: str) -> None:
        if key not in self.answered:
            self.answered.append(key)


def default_facts_path(output: str) -> Path:
    """OUT's stem + "事实.yaml" beside it: 2025总结.docx → 2025总结事实.yaml."""
    out = Path(output)
    return out.with_name(f"{out.stem}事实.yaml")


def state_path(output: str) -> Path:
    key = hashlib.sha256(str(Path(output).resolve()).encode("utf-8")).hexdigest()[:16]
    return sessions_dir() / f"interactive-{key}.json"


def save_state(state: QAState) -> None:
    """Facts file first: it is what the user keeps, so it must be on disk before the progress says so."""
    save_facts(state.facts, state.facts_path, header=FACTS_HEADER)
    payload = {
        "version": STATE_VERSION,
        "output": state.output,
        "facts_path": state.facts_path,
        "report_type": state.report_type,
        "answered": state.answered,
        "outline": [list(item) for item in state.outline],
        "facts": facts_dict(state.facts),
        "accepted": {str(i): asdict(d) for i, d in sorted(state.accepted.items())},
        "accepted_fingerprint": state.accepted_fingerprint,
    }
    write_atomic(state_path(state.output), json.dumps(payload, ensure_ascii=False, indent=1), private=True)


def load_state(output: str) -> QAState | None:
    """The unfinished session for ``output``, or None (none, unreadable, or from another version)."""
    path = state_path(output)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != STATE_VERSION:
            return None
        facts = _user_file(data["facts_path"]) or build_facts(data["facts"], {}, data["facts_path"])
        # the progress file is the user's to edit: accepted sections pass the verification gate again
        accepted = verified_sections(parse_sections(data.get("accepted", {}), path), facts)
        return QAState(
            output=output,
            facts_path=data["facts_path"],
            facts=facts,
            report_type=data.get("report_type"),
            answered=[str(k) for k in data.get("answered", [])],
            outline=[(str(t), str(h)) for t, h in data.get("outline", [])],
            accepted=accepted,
            accepted_fingerprint=str(data.get("accepted_fingerprint", "")),
        )
    except Exception:  # a damaged progress file must not stop the user from starting afresh
        return None


def _user_file(path: str) -> Facts | None:
    """The facts file as the user may have edited it between sessions: it wins over the saved copy."""
    from drafter.atomic import release_input
    from drafter.exceptions import FactsError
    from drafter.facts.load import load_facts

    try:
        facts = load_facts(path)
    except FactsError:
        return None
    release_input(path)  # the session's own facts file: it is rewritten after every answer
    facts.path = None
    return facts


def clear_state(output: str) -> None:
    state_path(output).unlink(missing_ok=True)


def save_last(state: QAState) -> None:
    """Remember unit, county, period and type as the next session's defaults."""
    facts = state.facts
    data: dict[str, Any] = {
        "unit": facts.unit.name if facts.unit else None,
        "county": facts.unit.county if facts.unit else None,
        "year": facts.period.year,
        "span": facts.period.span,
        "report_type": state.report_type,
    }
    write_atomic(sessions_dir() / _LAST, json.dumps(data, ensure_ascii=False), private=True)


def load_last() -> dict[str, Any]:
    try:
        data = json.loads((sessions_dir() / _LAST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
