#!/usr/bin/env bash
# Runs every test of the project from a fresh clone: it installs what it needs
# (a .venv with the package and its test tools; the extension's npm packages),
# then type-checks, runs pytest, and builds, tests and packages the VS Code
# extension.
set -euo pipefail
cd "$(dirname "$0")/.."

# The extension's tests need Node: say so at once, not after the Python suite.
if [ -f vscode-extension/package.json ] && ! command -v npm >/dev/null 2>&1; then
  echo "scripts/test.sh: Node 20 and npm are needed (the VS Code extension's tests); install them and run again" >&2
  exit 1
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# Bytecode for the package, as a user's install has it (pip compiles what it
# installs, but this checkout is installed editable): the tests start many
# mintc processes, and PYTHONDONTWRITEBYTECODE, if set, would make each one
# compile the package again.
.venv/bin/python -m compileall -q spearmint_lang hydra_plugins

echo "== mypy"
.venv/bin/mypy
echo "== pytest"
# Two workers (the CI machine has two cores); a file's tests stay together,
# so module-scoped fixtures (one language server per file) are made once.
.venv/bin/python -m pytest -q -n 2 --dist loadfile --durations=15

if [ -f vscode-extension/package.json ]; then
  echo "== VS Code extension"
  (
    cd vscode-extension
    npm ci --no-audit --no-fund --loglevel=error
    npm run build
    npm test
    npm run package
  )
fi
