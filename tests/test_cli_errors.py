"""The command line as a user meets it (issue 19): every mistake is one line saying what to do,
never a traceback, and a database URL's password is never shown."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def perfbot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, timeout=120)


def test_version():
    result = perfbot("--version")
    assert result.returncode == 0 and result.stdout.startswith("perfbot ")


def test_a_bad_date_is_one_line_saying_how_to_write_it():
    for args in (["ask", "neet", "--today", "2026-13-45"], ["alerts", "--since", "yesterday"]):
        result = perfbot(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "is not a date: write it as YYYY-MM-DD" in result.stderr.strip().splitlines()[-1]


def test_an_unreachable_database_is_named_without_its_password():
    result = perfbot("status", "--database", "postgresql://perf:hunter2secret@127.0.0.1:1/council")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "postgresql://perf:***@127.0.0.1:1/council" in result.stderr and "hunter2secret" not in result.stderr


def test_database_goes_before_or_after_the_subcommand(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'council.db'}"
    assert perfbot("--database", url, "db", "upgrade").returncode == 0
    after = perfbot("import", "data_access/sample_data/demo-council", "--database", url)
    assert after.returncode == 0, after.stderr
    status = perfbot("--database", url, "status")
    assert status.returncode == 0 and "red" in status.stdout
