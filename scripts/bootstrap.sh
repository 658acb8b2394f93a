#!/usr/bin/env bash
# Creates .venv with Python >= 3.12 (Django 6 needs it) and installs ekommune with its pinned
# dependencies. Idempotent: reinstalls only when pyproject.toml or the constraints change.
set -euo pipefail
cd "$(dirname "$0")/.."

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
  local candidates=("${EKOMMUNE_PYTHON:-}" python3.14 python3.13 python3.12 python3)
  local dir
  for dir in "$HOME"/.pyenv/versions/3.1[2-9]* /usr/local/bin /opt/python/3.1[2-9]*/bin; do
    for exe in "$dir"/bin/python3 "$dir"/python3.1[2-9] "$dir"/python3; do
      [ -x "$exe" ] && candidates+=("$exe")
    done
  done
  for candidate in "${candidates[@]}"; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

stamp_value() { cat pyproject.toml requirements/constraints.txt | sha256sum | cut -d' ' -f1; }

if [ -x .venv/bin/python ] && python_ok .venv/bin/python && [ -f .venv/.ekommune-stamp ] \
   && [ "$(cat .venv/.ekommune-stamp)" = "$(stamp_value)" ]; then
  exit 0
fi

PYTHON=$(find_python) || {
  echo "ekommune needs Python 3.12 or newer (Django 6). Install one, or set EKOMMUNE_PYTHON=/path/to/python3.12." >&2
  exit 1
}
echo "==> Setting up .venv with $PYTHON"
if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
stamp_value > .venv/.ekommune-stamp
