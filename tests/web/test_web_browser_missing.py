"""Where Chromium is missing, the browser tests skip and the run ends saying so plainly, with the
command that installs it (issue 19) — not only a skip count a person could miss."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_without_chromium_says_the_browser_tests_were_skipped_and_how_to_install_it(tmp_path: Path) -> None:
    environment = dict(os.environ, PERFBOT_TEST_CHROMIUM=str(tmp_path / "no-chromium"))
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                          "tests/web/test_web_demo_page.py", "tests/web/test_web_browser.py::"
                          "test_the_clock_form_offers_only_dates_from_today_on"],
                         cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.strip().splitlines()
    assert summary[-1].startswith("4 skipped")
    assert (f"browser tests skipped: Chromium not found at {tmp_path / 'no-chromium'} — install it with "
            "`apt-get install chromium fonts-noto-color-emoji` (Debian), or run "
            "`PERFBOT_INSTALL_CHROMIUM=1 scripts/test.sh` (4 tests)") in summary
