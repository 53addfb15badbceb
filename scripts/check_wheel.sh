#!/usr/bin/env bash
# A plain (not editable) install works: build the wheel from the files git knows, install
# it into a fresh venv (dependencies as any `pip install` gets them, through this machine's
# pip configuration: local wheels and the package index), then, from a directory outside
# the repository, analyse a sample transcript and check that the intents and the compliance
# findings are there. Catches runtime data left out of the package and undeclared imports.
# Usage: scripts/check_wheel.sh   (needs .venv from scripts/setup.sh; ~1-3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
PY=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/callsight-wheel.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)

# A copy of the tracked (and new, not ignored) files: a stale build/ or a local var/ in the
# work tree cannot leak into the wheel, and the build leaves nothing behind here.
mkdir "$WORK/src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$WORK/src"
"$REPO/.venv/bin/pip" wheel --quiet --no-deps -w "$WORK/dist" "$WORK/src"
WHEEL=$(ls "$WORK"/dist/callsight-*.whl)
echo "built $(basename "$WHEEL") in $(( $(date +%s) - start )) s"

"$PY" -m venv "$WORK/venv"
# --no-compile: byte-compiling scipy, scikit-learn and the rest would be most of the install.
"$WORK/venv/bin/pip" install --quiet --no-compile "$WHEEL"
echo "installed into a fresh venv in $(( $(date +%s) - start )) s"

mkdir "$WORK/run"
cp samples/calls/04_gx_guaranteed_promise.json "$WORK/run/call.json"
cd "$WORK/run"
# Nothing of the repository on the path: the installed package alone must do.
export CALLSIGHT_DATA_DIR="$WORK/data"
unset PYTHONPATH
where=$("$WORK/venv/bin/python" -c 'import callsight, nlp; print(callsight.__file__, nlp.__file__)')
case "$where" in
  "$WORK/venv/"*" $WORK/venv/"*) ;;
  *) echo "check_wheel: imported from outside the fresh venv: $where" >&2; exit 1 ;;
esac
"$WORK/venv/bin/callsight" analyze --json call.json > out.json
"$WORK/venv/bin/python" - out.json <<'EOF'
import json
import sys

doc = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert "error" not in doc, doc
intents = doc["intents"]["all"]
findings = {f["rule"] for f in doc["compliance"]["findings"]}
assert intents, "no intents"
assert findings, "no compliance findings"
# The sample's agent promises 保本 / 稳赚不赔: the default rule pack must flag it.
assert "forbidden_promise" in doc["compliance"]["fatal"], doc["compliance"]["fatal"]
print(f"check_wheel: intents {intents}, {len(findings)} compliance findings, fatal {doc['compliance']['fatal']}")
EOF
echo "check_wheel: ok in $(( $(date +%s) - start )) s"
