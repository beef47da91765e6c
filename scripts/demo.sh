#!/usr/bin/env bash
# Quick start 1: set everything up and run the bot on the embedded default (SQLite + sample data).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec .venv/bin/perfbot demo "$@"
