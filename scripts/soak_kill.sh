#!/usr/bin/env bash
# The full kill soak (issue 17): 20 SIGKILLs at random moments across sessions — party steps,
# packaging window, upload — each followed by a restart; prints the table and one JSON line.
# Takes about as long as 20 simulated sessions (30–45 minutes on two cores). Run it once, not in CI.
#   scripts/soak_kill.sh [--kills N] [--seed S] [--work DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-.venv/bin/python}"
[ -x "$py" ] || py=python3
exec "$py" tests/tools/soak_kill.py --kills 20 --json "$@"
