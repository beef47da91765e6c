"""The real `python -m bot.web` (what `perfbot demo` runs) as a process: it fills an empty database,
prints the port it got, runs the scheduler in-process on the demo clock, refuses to listen beyond
this machine without a token, refuses a second scheduler on the same database, and stops cleanly."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from .conftest import start_demo

CHLOE = "chloe.young@demo-council.example"


def get(url: str) -> Any:
    """GET a JSON document."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def test_it_fills_an_empty_database_prints_its_port_and_serves_the_chat(tmp_path: Path) -> None:
    database = tmp_path / "perfbot.db"
    demo = start_demo(tmp_path, database, "--port", "0", "--today", "2026-11-27")
    try:
        assert demo.lines[0] == f"perfbot demo on sqlite:///{database} (the bundled sample data was imported)"
        assert demo.lines[1].startswith("Demo clock: Fri 27 Nov 2026, 09:00 (London). Scheduler running")
        assert demo.url.startswith("http://127.0.0.1:") and not demo.url.endswith(":0")
        people = get(demo.url + "/api/people")
        assert people["council"] == "Wolverhampton" and people["clock"]["date"] == "2026-11-27"
        with urllib.request.urlopen(demo.url + "/", timeout=30) as page:
            assert "perfbot" in page.read().decode()
    finally:
        assert demo.stop() == 0
    again = start_demo(tmp_path, database, "--port", "0")
    try:
        assert again.lines[0] == f"perfbot demo on sqlite:///{database}"
    finally:
        again.stop()


def test_the_scheduler_delivers_on_the_demo_clock_from_the_start(demo_database: Path, tmp_path: Path) -> None:
    demo = start_demo(tmp_path, demo_database, "--port", "0", env={"PERFBOT_DEMO_TODAY": "2026-12-10"})
    try:
        assert demo.lines[1].startswith("Demo clock: Thu 10 Dec 2026, 09:00 (London).")
        assert demo.lines[1].endswith("(12 delivered at start-up).")
        [reminder] = get(f"{demo.url}/api/inbox?as={CHLOE}&after=0")["messages"]
        assert reminder["at_label"] == "Thu 10 Dec 2026, 09:00"
        assert "Fly-tipping incidents, November 2026 — due " in json.dumps(reminder["replies"], ensure_ascii=False)
    finally:
        demo.stop()


def test_it_refuses_to_listen_beyond_this_machine_without_a_token(demo_database: Path, tmp_path: Path) -> None:
    demo = start_demo(tmp_path, demo_database, "--host", "0.0.0.0", "--port", "0")
    assert demo.process.returncode == 2 and demo.url == ""
    assert "Refusing to listen on '0.0.0.0'" in demo.stderr() and "PERFBOT_WEB_AUTH_TOKEN" in demo.stderr()


def test_a_second_demo_on_the_same_database_is_refused(demo_database: Path, tmp_path: Path) -> None:
    first = start_demo(tmp_path, demo_database, "--port", "0")
    try:
        second = start_demo(tmp_path, demo_database, "--port", "0")
        assert second.process.returncode == 3 and second.url == ""
        assert "another perfbot scheduler is running on this database" in second.stderr()
    finally:
        first.stop()


def test_a_malformed_start_date_is_refused(demo_database: Path, tmp_path: Path) -> None:
    demo = start_demo(tmp_path, demo_database, "--port", "0", env={"PERFBOT_DEMO_TODAY": "27/11/2026"})
    assert demo.process.returncode == 2
    assert "PERFBOT_DEMO_TODAY must be a date as YYYY-MM-DD, not '27/11/2026'." in demo.stderr()

