"""The prompt worker (drafter.draft.prompt_worker): the same prompts as the pipeline builds, or none."""

import asyncio
import json
import sys
from pathlib import Path

import pytest

from drafter.draft import prompt_worker
from drafter.draft.model import DraftOptions
from drafter.draft.pipeline import USER_TOPICS, draft_report
from drafter.draft.plan import plan_report
from drafter.facts import load_facts
from drafter.llm.config import LLMSettings
from tests.fake_openai import content_responder

FACTS = Path(__file__).resolve().parents[1] / "examples" / "青石镇事实.yaml"


@pytest.fixture
def job():
    facts = load_facts(str(FACTS))
    options = DraftOptions(engine="llm")
    plan = plan_report(facts, options.report_type)
    return plan, facts, options, list(range(len(plan.sections)))


def test_the_child_builds_what_the_pipeline_builds_in_process(job):
    plan, facts, options, todo = job
    worker = prompt_worker.start(plan, facts, options, todo, LLMSettings())
    assert worker is not None
    prepared, n_ctx = asyncio.run(worker.result())
    assert n_ctx is None  # no endpoint to ask, none configured
    assert prepared == prompt_worker.prepare(plan, facts, options, todo, None)
    generated = [i for i in todo if plan.sections[i].topic not in USER_TOPICS]
    assert all(prepared[i].messages and prepared[i].context for i in generated)
    assert all(prepared[i].messages is None for i in todo if i not in generated)


@pytest.mark.parametrize("script", [
    "import sys; sys.exit(3)",  # crashed
    "import sys; sys.stdout.write('no pickle')",  # answered something else
    "import sys, pickle; sys.stdout.buffer.write(pickle.dumps(None))",  # answered the wrong shape
])
def test_a_failed_child_leaves_the_prompts_to_the_pipeline(job, monkeypatch, script):
    monkeypatch.setattr(prompt_worker, "command", lambda: [sys.executable, "-c", script])
    worker = prompt_worker.start(*job, LLMSettings())
    assert asyncio.run(worker.result()) is None
    assert worker.process.poll() is not None  # never left running


def _requests(fake_openai) -> list[str]:
    return sorted(json.dumps(r.messages, ensure_ascii=False) for r in fake_openai.chat_requests)


@pytest.mark.parametrize("broken", [False, True])
def test_a_draft_sends_the_same_requests_with_or_without_the_child(monkeypatch, fake_openai, broken):
    monkeypatch.setenv("DRAFTER_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("DRAFTER_MODEL", "fake-model")
    fake_openai.responder = content_responder("good")
    if broken:
        monkeypatch.setattr(prompt_worker, "command", lambda: [sys.executable, "-c", "raise SystemExit(1)"])
    facts = load_facts(str(FACTS))
    in_process = draft_report(facts, DraftOptions(engine="llm"))
    sent = _requests(fake_openai)
    fake_openai.requests = []
    prefetched = draft_report(facts, DraftOptions(engine="llm"), prefetch=True)
    assert sent and _requests(fake_openai) == sent
    assert prefetched.text == in_process.text


def test_on_one_core_there_is_no_child(job, monkeypatch):
    monkeypatch.setattr(prompt_worker, "_cores", lambda: 1)
    assert prompt_worker.start(*job, LLMSettings()) is None
