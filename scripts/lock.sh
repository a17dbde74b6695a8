#!/usr/bin/env bash
# Regenerate constraints.txt: the exact versions a fresh virtual environment resolves for
# synth with every extra, so CI and the README install what was tested (pyproject keeps
# ranges for library users). Run after adding or changing a dependency, then commit both;
# tests/test_constraints.py fails until you do.
#   scripts/lock.sh            # writes constraints.txt at the repository root
# pip resolves in an empty venv without installing anything (--dry-run --report), which
# gives the same versions as an install and takes a minute instead of many.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
extras=$("$work/venv/bin/python" -c '
import tomllib
print(",".join(sorted(tomllib.load(open("pyproject.toml", "rb"))["project"].get("optional-dependencies", {}))))')
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --dry-run \
    --ignore-installed --report "$work/report.json" -e ".[${extras}]" 2>&1 \
    | grep -v "^WARNING: Location" >&2 || true
[[ -s "$work/report.json" ]] || { echo "lock: pip could not resolve the dependencies" >&2; exit 1; }
{
    echo "# Exact versions for CI and the README's install; regenerate with scripts/lock.sh."
    echo "# Ranges for library users stay in pyproject.toml. Extras: ${extras}."
    "$work/venv/bin/python" - "$work/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
pins = {
    item["metadata"]["name"]: item["metadata"]["version"]
    for item in report["install"]
    if not item.get("is_direct")  # synth itself (the editable install)
}
skip = {"pip", "setuptools", "wheel"}
for name in sorted(pins, key=str.lower):
    if name.lower() not in skip:
        print(f"{name}=={pins[name]}")
PY
} >"$work/constraints.txt"
grep -q '^torch==2.13.0' "$work/constraints.txt" || { echo "lock: torch is not 2.13.0" >&2; exit 1; }
mv "$work/constraints.txt" constraints.txt
echo "wrote constraints.txt ($(grep -c '==' constraints.txt) packages, extras: ${extras})"
