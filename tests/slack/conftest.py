"""Fixtures for the Slack channel tests: a fake core, a local mock of Slack (bind port 0, a
background thread), and the real bolt app served over HTTP on a free port."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_fakes import BOT_TOKEN, SIGNING_SECRET, SLACK_EMAILS, FakeCore, SlackDriver

from bot.slack.app import create_app
from bot.slack.server import HttpServer
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack


@pytest.fixture
def core() -> FakeCore:
    """A fresh fake core."""
    return FakeCore()


@pytest.fixture
def mock_slack() -> Iterator[MockSlack]:
    """A local Slack Web API knowing the profile e-mails of three users."""
    with MockSlack(SLACK_EMAILS) as mock:
        yield mock


@pytest.fixture
def settings(mock_slack: MockSlack) -> SlackSettings:
    """HTTP-mode settings pointed at the mock, on a free port."""
    return SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=mock_slack.api_url,
                         host="127.0.0.1", port=0)


@pytest.fixture
def slack(settings: SlackSettings, core: FakeCore, mock_slack: MockSlack) -> Iterator[SlackDriver]:
    """The real bolt app served over HTTP on a free port, driven like Slack drives it."""
    executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="test-slack")
    app = create_app(settings, core, executor=executor)
    server = HttpServer(app, executor, settings.signing_secret).start()
    try:
        yield SlackDriver(server, mock_slack, executor)
    finally:
        server.stop()
        executor.shutdown(wait=True)
