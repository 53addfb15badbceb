#!/usr/bin/env bash
# One command on a fresh machine: set up (with dev tools), lint, type-check and run
# the whole test suite. Integration tests need PostgreSQL on 127.0.0.1:5432 (trust
# auth, database `test`) and redis-server on PATH; .ci/run starts PostgreSQL if down.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
