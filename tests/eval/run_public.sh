#!/usr/bin/env bash
# The shared public evaluations, run from the project root with the project's venv active.
set -euo pipefail
. .venv/bin/activate 2>/dev/null || true
python ../shared/eval/score_placeholders.py ../shared/eval/placeholders.jsonl ../shared/seeds --min 0.99
