"""Through the real core: a Slack DM answered from the demo-council data."""
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


@pytest.fixture
def real_slack(settings: SlackSettings, demo_store: Store, mock_slack: MockSlack) -> Iterator[SlackDriver]:
    """The Slack channel over HTTP in front of the real core and the demo-council store."""
    executor = ThreadPoolExecutor(max_workers=2)
    app = create_app(settings, Bot(demo_store, today=lambda: date(2026, 11, 27)), executor=executor)
    server = HttpServer(app, executor, settings.signing_secret).start()
    try:
        yield SlackDriver(server, mock_slack, executor)
    finally:
        server.stop()
        executor.shutdown(wait=True)


def test_the_latest_neet_rate_is_answered_in_slack(real_slack: SlackDriver) -> None:
    real_slack.event(direct_message("What's the latest NEET rate?", user="U0001001", channel="D0001001"))
    real_slack.mock.wait_for("chat.postMessage", timeout=60)
    real_slack.finish()
    posts = real_slack.posts()
    assert {p["channel"] for p in posts} == {"D0001001"}
    assert "5.3%" in "\n".join(p["text"] for p in posts)
    assert real_slack.mock.calls("users.info") == []  # U0001001 is already linked in the people table
