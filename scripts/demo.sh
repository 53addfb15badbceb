#!/usr/bin/env bash
# One command on a fresh machine: set up, then process the bundled sample calls end
# to end on the embedded default (SQLite file in var/, no Redis). Extra arguments go
# to `callsight demo` (e.g. --serve to then serve the API on 127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/callsight demo "$@"
