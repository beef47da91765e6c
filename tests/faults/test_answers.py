"""Ordinary answers are not re-posted blindly (row 4 of issue 16, for the bolt app): the real bolt
app over HTTP, the Slack stand-in posting an answer and then answering 500 (or posting and never
answering) — the person sees the answer once, found in the conversation by its key instead of
being posted again."""
from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.core.bot import Bot
from bot.slack.app import create_app
from bot.slack.server import HttpServer
from bot.slack.settings import SlackSettings
from bot.slack.testing import signed_headers
from data_access.store import Store
from tests.slack.slack_payloads import direct_message

from .harness import MAYA
from .standin import POSTED_THEN_500, POSTED_THEN_HANG, FaultySlack

SECRET = "faults"
USER, DM = "U0001034", "D0001034"  # Maya Rowe


@pytest.fixture
def answering(store: Store, slack: FaultySlack) -> Iterator[tuple[HttpServer, ThreadPoolExecutor]]:
    """The real bolt app on the demo council's data, served over HTTP, its Web API the stand-in."""
    slack.emails[USER] = MAYA
    settings = SlackSettings(bot_token="xoxb-faults", signing_secret=SECRET, api_url=slack.api_url,
                             host="127.0.0.1", port=0, timeout=2)
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="faults-slack")
    server = HttpServer(create_app(settings, Bot(store), executor=executor), executor, SECRET).start()
    try:
        yield server, executor
    finally:
        server.stop()
        executor.shutdown(wait=True)


def ask(answering: tuple[HttpServer, ThreadPoolExecutor], text: str) -> None:
    """Maya asks in her DM; returns once the answer has been posted (or given up)."""
    server, executor = answering
    body = json.dumps(direct_message(text, user=USER, channel=DM))
    request = urllib.request.Request(server.url, data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", **signed_headers(SECRET, body)})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 200
    server.handed_over()
    executor.shutdown(wait=True)


@pytest.mark.parametrize("fault", [POSTED_THEN_500, POSTED_THEN_HANG])
def test_an_answer_posted_then_failing_is_seen_once(answering, slack: FaultySlack, fault: str) -> None:
    slack.script("chat.postMessage", fault)
    ask(answering, "who owns NEET?")
    slack.release()
    assert slack.outcomes()[fault] == 1
    posts = slack.posts_received()
    assert [channel for channel, _ in posts] == [DM] and list(posts.values()) == [1], posts
    [(_, text)] = posts
    assert "NEET" in text and "Sorry" not in text
