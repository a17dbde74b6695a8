#!/usr/bin/env bash
# Regenerate constraints.txt: the exact versions a fresh virtual environment resolves for
# synth with every extra, so CI and the README install what was tested (pyproject keeps
# ranges for library users). Run after adding or changing a dependency, then commit both.
#   scripts/lock.sh            # writes constraints.txt at the repository root
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
venv=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$venv")"' EXIT
"$python" -m venv "$venv"
extras=$("$venv/bin/python" -c '
import tomllib
print(",".join(sorted(tomllib.load(open("pyproject.toml", "rb"))["project"].get("optional-dependencies", {}))))')
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
{
    echo "# Exact versions for CI and the README's install; regenerate with scripts/lock.sh."
    echo "# Ranges for library users stay in pyproject.toml. Extras: ${extras}."
    "$venv/bin/python" -m pip freeze --exclude-editable --disable-pip-version-check \
        | grep -v -E '^(pip|setuptools|wheel)=='
} >constraints.txt
grep -q '^torch==2.13.0' constraints.txt || { echo "lock: torch is not 2.13.0" >&2; exit 1; }
echo "wrote constraints.txt ($(grep -c '==' constraints.txt) packages, extras: ${extras})"
