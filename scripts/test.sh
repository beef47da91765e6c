#!/usr/bin/env bash
# Quick start 2: set everything up and run the whole test suite (SQLite by default; PostgreSQL when
# PERFBOT_TEST_DATABASE_URL=postgresql://… is set). The browser tests drive Debian's Chromium
# (/usr/bin/chromium) with Playwright; without it they are skipped, and the run ends saying so.
# PERFBOT_INSTALL_CHROMIUM=1 installs it first (apt-get, as root or through sudo).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if [ ! -x /usr/bin/chromium ]; then
  if [ "${PERFBOT_INSTALL_CHROMIUM:-}" = "1" ]; then
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
  else
    echo "Chromium is not installed: the browser tests will be skipped. Install it with" \
         "\`apt-get install chromium fonts-noto-color-emoji\`, or run PERFBOT_INSTALL_CHROMIUM=1 scripts/test.sh." >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
