#!/usr/bin/env bash
# The whole test suite: create/refresh .venv, install casedb with its test extras, run pytest.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/test_store.py -x).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest -q -rs "$@"
