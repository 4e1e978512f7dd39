#!/usr/bin/env bash
# Creates the Python virtual environment the side-by-side benchmarks run NegMAS in, under target/ so that
# `cargo clean` removes it and git ignores it. Idempotent: does nothing when the pinned NegMAS is there.
set -euo pipefail
cd "$(dirname "$0")/.."
NEGMAS_VERSION="0.16.0"
VENV="target/bench-venv"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import negmas, sys; sys.exit(negmas.__version__ != '$NEGMAS_VERSION')" 2>/dev/null; then
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet "negmas==$NEGMAS_VERSION"
"$VENV/bin/python" -c "import negmas; print('NegMAS', negmas.__version__, 'ready in $VENV')"
