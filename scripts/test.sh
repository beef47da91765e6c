#!/usr/bin/env bash
# Quick start 2: set everything up and run the whole test suite (SQLite by default; PostgreSQL when
# PERFBOT_TEST_DATABASE_URL=postgresql://… is set).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec .venv/bin/python -m pytest "$@"
