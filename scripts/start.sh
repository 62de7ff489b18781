#!/usr/bin/env bash
# Starts the dashboard on the embedded demo snapshot (installing what it needs first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# `python -m dq serve` is `streamlit run app.py` with the app's libraries loaded before the first visit
exec .venv/bin/python -m dq serve --server.headless true "$@"
