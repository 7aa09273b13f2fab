#!/usr/bin/env bash
# The gates, in order: lint, types, import contracts, then the whole test suite.
# Called by scripts/bootstrap.sh test (the README's test command) and so by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export PYTHONDONTWRITEBYTECODE=1
v=.venv/bin
fail=0
step() { echo "== $1"; shift; "$@" || { echo "!! failed: $*"; fail=1; }; }
step "ruff" "$v/ruff" check .
step "mypy" "$v/mypy" kiosk devices ui refplatform main.py
step "import contracts" "$v/lint-imports"
step "tests" "$v/python" -m pytest "$@"
exit $fail
