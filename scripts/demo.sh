#!/usr/bin/env bash
# Quick start 1: set everything up and run the bot on the embedded default (SQLite + sample data):
# the web chat on http://127.0.0.1:8080 and the scheduler, until Ctrl+C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# The sample data is as of 27 November 2026: the demo clock starts there unless told otherwise.
exec .venv/bin/perfbot demo --today "${PERFBOT_DEMO_TODAY:-2026-11-27}" "$@"
