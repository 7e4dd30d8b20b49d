"""Section prompts built in a child process while this one imports the LLM stack.

Two CPU costs stand between `drafter draft --engine llm` and its first request, and neither needs the
other: importing langchain_openai (~1 s) and building the prompts (jieba's dictionary for retrieval and
tiktoken's vocabulary for the exemplar budget, ~0.5 s). Threads take turns under the GIL, so their sum
is paid; a second process runs them side by side on a second core. The child calls the functions the
pipeline would call itself (:func:`prepare`), so the prompts are the same; when it cannot start, fails
or answers something else, the pipeline builds them in process (``None`` from :meth:`Worker.result`).

Run as ``python -m drafter.draft.prompt_worker``: a pickled job on stdin, the pickled prompts on stdout.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from drafter.draft.model import DraftOptions, Plan
from drafter.facts.model import Facts

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """One section's retrieval and, for a generated section, its prompt and what its answer is checked
    against (``messages`` and ``context`` are None for the user's own sections, composed offline)."""

    exemplars: list[str]
    messages: list[tuple[str, str]] | None = None
    context: Any = None  # drafter.structure.StructureContext


def prepare(plan: Plan, facts: Facts, options: DraftOptions, todo: list[int], n_ctx: int | None) -> dict[int, Prepared]:
    """What the pipeline needs before each section's request: the same calls in the same order."""
    from drafter.draft.pipeline import USER_TOPICS, retrieve_exemplars, section_prompt
    from drafter.generate import exemplar_allowance

    allowance = exemplar_allowance(n_ctx, options.exemplars_per_section, options.exemplar_token_budget)
    prepared = {}
    for i in todo:
        section = plan.sections[i]
        exemplars = retrieve_exemplars(section, plan, options.exemplars_per_section)
        if section.topic in USER_TOPICS:
            prepared[i] = Prepared(exemplars)
        else:
            messages, context = section_prompt(section, plan, facts, exemplars, allowance)
            prepared[i] = Prepared(exemplars, messages, context)
    return prepared


class Worker:
    """The child process and the job it was given."""

    def __init__(self, process: subprocess.Popen, job: bytes):
        self.process, self.job = process, job

    async def result(self) -> tuple[dict[int, Prepared], int | None] | None:
        """(prepared sections, the model's context window), or None: then build them in process."""
        try:
            out, err = await asyncio.to_thread(self.process.communicate, self.job)
        except (OSError, ValueError) as error:
            log.debug("prompt worker: %s", error)
            return None
        finally:
            self.stop()
        if self.process.returncode != 0:
            log.debug("prompt worker exited %s: %s", self.process.returncode, err.decode("utf-8", "replace")[-2000:])
            return None
        try:
            prepared, n_ctx = pickle.loads(out)
        except Exception:  # a truncated or foreign answer: the pipeline does the work itself
            log.debug("prompt worker answered something unreadable", exc_info=True)
            return None
        return prepared, n_ctx

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start(plan: Plan, facts: Facts, options: DraftOptions, todo: list[int], settings: Any) -> Worker | None:
    """Start the child on the job; None where no second Python process can be started (a frozen build)."""
    if getattr(sys, "frozen", False) or not sys.executable or _cores() < 2:
        return None  # on one core the child's own start-up would be paid on top
    # Only what the context probe reads (drafter.generate.context_window): the key stays in this process.
    endpoint = SimpleNamespace(base_url=getattr(settings, "base_url", ""), n_ctx=getattr(settings, "n_ctx", 0))
    try:
        job = pickle.dumps((plan, facts, options, todo, endpoint))
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        log.debug("prompt worker: the job cannot be pickled: %s", error)
        return None
    root = str(Path(__file__).resolve().parents[2])  # the directory holding the drafter package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    try:
        process = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=env)
    except OSError as error:
        log.debug("prompt worker did not start: %s", error)
        return None
    return Worker(process, job)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (a container may allow fewer)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def command() -> list[str]:
    return [sys.executable, "-m", "drafter.draft.prompt_worker"]


def main() -> int:
    try:
        plan, facts, options, todo, endpoint = pickle.loads(sys.stdin.buffer.read())
        from drafter.generate import context_window

        n_ctx = context_window(endpoint)
        sys.stdout.buffer.write(pickle.dumps((prepare(plan, facts, options, todo, n_ctx), n_ctx)))
        sys.stdout.buffer.flush()
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the parent says what was kept
        return 130
    return 0


if __name__ == "__main__":
    # through the module's own name: pickle must record drafter.draft.prompt_worker.Prepared, not __main__'s
    from drafter.draft.prompt_worker import main as worker_main

    sys.exit(worker_main())
