#!/usr/bin/env bash
# Starts the dashboard on the embedded demo snapshot (installing what it needs first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py --server.headless true "$@"
