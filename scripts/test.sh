#!/usr/bin/env bash
# Runs the whole test suite (installing what it needs first). pytest's exit code 5 (no tests
# collected) is a failure here, never a silent pass.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
# The end-to-end test drives Debian's Chromium (never a downloaded browser); without the CJK
# fonts every Chinese label would screenshot as boxes.
# grep without -q reads all of fc-list: with pipefail, -q would quit early and fc-list's SIGPIPE fail the test
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
  echo "installing chromium and fonts-noto-cjk for the end-to-end test …" >&2
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium fonts-noto-cjk >/dev/null || echo "could not install chromium: the end-to-end test will fail" >&2
fi
# two workers: a test waiting on the browser, a child process or the disk leaves a core idle otherwise
.venv/bin/python -m pytest -q -n 2 --dist loadgroup tests "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$rc"
