"""Through the real core: a Slack DM answered from the demo-council data, and KPI owners
submitting values by message and by a bare number answering a reminder (the form: test_slack_forms)."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from slack_fakes import SlackDriver
from slack_payloads import direct_message

from bot.core.bot import Bot
from bot.slack.app import create_app
from bot.slack.server import HttpServer
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack
from data_access.store import Store


def _serve(settings: SlackSettings, store: Store, mock_slack: MockSlack) -> Iterator[SlackDriver]:
    """The Slack channel over HTTP in front of the real core over `store`."""
    executor = ThreadPoolExecutor(max_workers=2)
    app = create_app(settings, Bot(store, today=lambda: date(2026, 11, 27)), executor=executor)
    server = HttpServer(app, executor, settings.signing_secret).start()
    try:
        yield SlackDriver(server, mock_slack, executor)
    finally:
        server.stop()
        executor.shutdown(wait=True)


@pytest.fixture
def real_slack(settings: SlackSettings, demo_store: Store, mock_slack: MockSlack) -> Iterator[SlackDriver]:
    """The Slack channel in front of the real core and the shared demo-council store."""
    yield from _serve(settings, demo_store, mock_slack)


def test_the_latest_neet_rate_is_answered_in_slack(real_slack: SlackDriver) -> None:
    real_slack.event(direct_message("What's the latest NEET rate?", user="U0001001", channel="D0001001"))
    real_slack.mock.wait_for("chat.postMessage", timeout=60)
    real_slack.finish()
    posts = real_slack.posts()
    assert {p["channel"] for p in posts} == {"D0001001"}
    assert "5.3%" in "\n".join(p["text"] for p in posts)
    assert real_slack.mock.calls("users.info") == []  # U0001001 is already linked in the people table


@pytest.fixture
def writable_slack(settings: SlackSettings, store: Store, mock_slack: MockSlack) -> Iterator[SlackDriver]:
    """The Slack channel in front of the real core over a demo store the test may write to."""
    yield from _serve(settings, store, mock_slack)


def _current(store: Store, indicator: str, period: str) -> list[float]:
    frame = store.observations([indicator], ["E08000031"])
    return frame[frame["period"] == period]["value"].tolist()


def test_a_kpi_owner_submits_by_message_in_slack(writable_slack: SlackDriver, store: Store) -> None:
    writable_slack.event(direct_message("NEET for October is 5.4%", user="U0001034", channel="D0001034"))
    writable_slack.mock.wait_for("chat.postMessage", timeout=60)
    writable_slack.finish()
    said = "\n".join(p["text"] for p in writable_slack.posts())
    assert "Recorded" in said and "5.4%" in said
    assert _current(store, "NEET", "2026-10") == [5.4]


def test_a_bare_number_answers_the_reminder_in_slack(writable_slack: SlackDriver, store: Store) -> None:
    writable_slack.event(direct_message("541", user="U0001042", channel="D0001042"))
    writable_slack.mock.wait_for("chat.postMessage", timeout=60)
    writable_slack.finish()
    assert "Recorded" in "\n".join(p["text"] for p in writable_slack.posts())
    assert _current(store, "TEMP_ACCOMMODATION", "2026/27 Q2") == [541.0]
