"""`perfbot demo` runs only on a store it made and never sends through real channels (row 3 of
issue 24): the real demo process, SLACK_BOT_TOKEN set and pointing at a recording Slack stand-in,
its clock on 17 December when reminders fall due — refused on a council's store, and on its own
store delivering to its inbox only: Slack hears nothing either way."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.slack.testing import MockSlack
from data_access.models import Delivery
from data_access.store import Store

from .conftest import start_demo


@pytest.fixture
def slack() -> Iterator[MockSlack]:
    """The recording Slack stand-in."""
    with MockSlack() as standin:
        yield standin


def real_slack(slack: MockSlack) -> dict[str, str]:
    """The environment of a council's Slack app, pointed at the stand-in."""
    return {"SLACK_BOT_TOKEN": "xoxb-council", "SLACK_SIGNING_SECRET": "council", "SLACK_API_URL": slack.api_url}


def test_the_demo_refuses_a_store_it_did_not_make(tmp_path: Path, slack: MockSlack) -> None:
    database = tmp_path / "council.db"
    council = Store.open(f"sqlite:///{database}")
    council.ensure_sample_data()  # the council's data, imported the ordinary way
    council.engine.dispose()
    demo = start_demo(tmp_path, database, "--port", "0", "--today", "2026-12-17", env=real_slack(slack))
    assert demo.process.returncode == 2 and demo.url == ""
    assert f"sqlite:///{database} is not a database the demo made, so the demo will not run on it" in demo.stderr()
    assert "Give the demo a database of its own (e.g. --database sqlite:///perfbot-demo.db" in demo.stderr()
    assert slack.calls() == []
    council = Store.open(f"sqlite:///{database}")
    with council.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 0
    council.engine.dispose()


def test_the_demo_on_its_own_store_delivers_to_its_inbox_never_to_slack(tmp_path: Path, slack: MockSlack) -> None:
    database = tmp_path / "perfbot-demo.db"
    demo = start_demo(tmp_path, database, "--port", "0", "--today", "2026-12-17", env=real_slack(slack))
    try:
        delivered = int(re.search(r"\((\d+) delivered at start-up\)", demo.lines[1]).group(1))
        assert delivered > 0, demo.lines
    finally:
        assert demo.stop() == 0
    assert "SLACK_BOT_TOKEN is set and ignored: the demo delivers only to its own inbox" in demo.stderr()
    assert slack.calls() == []
    again = start_demo(tmp_path, database, "--port", "0", env=real_slack(slack))  # its own store: no refusal
    try:
        assert again.url
    finally:
        again.stop()
    assert slack.calls() == []
