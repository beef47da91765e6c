"""A return's spreadsheet dropped into the bot's DM in Slack, through the real core on SQLite or
PostgreSQL (issue 28): the file fetched from (the local mock of) Slack with the bot token, the
preview posted as Block Kit with Confirm and Cancel, and Confirm recorded once — clicked twice, or
the file event retried by Slack. A file past the limit is refused by the size the event states,
never fetched; a file address that is not Slack's never gets the token."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from slack_fakes import BOT_TOKEN, SlackDriver
from slack_payloads import block_actions, direct_message
from sqlalchemy import text

from bot.core.bot import Bot
from bot.slack.app import create_app
from bot.slack.server import HttpServer
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack
from data_access.store import Store

MAYA, MAYA_DM = "U0001034", "D0001034"
RETURN = (b"indicator_code,geography_code,period,value\nNEET,E08000031,2026-10,5.1\n"
          b"TEMP_ACCOMMODATION,E08000031,2026/27 Q2,610\n")


@pytest.fixture
def slack(settings: SlackSettings, store: Store, mock_slack: MockSlack) -> Iterator[SlackDriver]:
    """The Slack channel over HTTP in front of the real core over a demo store the test writes to."""
    executor = ThreadPoolExecutor(max_workers=2)
    app = create_app(settings, Bot(store, today=lambda: date(2026, 11, 27)), executor=executor)
    server = HttpServer(app, executor, settings.signing_secret).start()
    try:
        yield SlackDriver(server, mock_slack, executor)
    finally:
        server.stop()
        executor.shutdown(wait=True)


def file_message(described: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """A DM carrying a file, as Slack sends it (message.im, subtype file_share)."""
    return direct_message("", user=MAYA, channel=MAYA_DM, event_id=event_id, subtype="file_share",
                          files=[described], upload=False)


def posted(slack: SlackDriver, count: int) -> dict[str, Any]:
    """The `count`th message posted (waiting for it), with the ts the mock gave it."""
    slack.mock.wait_for("chat.postMessage", count, timeout=60)
    history = slack.mock._conversations_history({"channel": MAYA_DM, "limit": 100})["messages"][::-1]
    return {**slack.posts()[count - 1], "ts": history[count - 1]["ts"]}


def said(post: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in post.get("blocks") or [] if b["type"] == "section")


def button(post: dict[str, Any], label: str) -> str:
    return next(e["action_id"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"] == label)


def neet_october(store: Store) -> list[tuple]:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT value, recorded_by, source FROM observation WHERE indicator_code = "
                                       "'NEET' AND period = '2026-10' AND geography_code = 'E08000031'")).all()


def test_a_file_in_a_dm_is_fetched_previewed_and_confirmed_once(slack: SlackDriver, store: Store) -> None:
    described = slack.mock.share_file("neet-return.csv", RETURN)
    event = file_message(described)
    slack.event(event)
    preview = posted(slack, 1)
    [download] = slack.mock.calls("download")
    assert download.token == BOT_TOKEN and download.args == {"file_id": described["id"]}
    assert "*neet-return.csv* — 1 value you can submit" in said(preview)
    assert "October 2026: 5.1% — 🟢 green" in said(preview)
    assert "Households in temporary accommodation (owner Amira Ahmed)" in said(preview)
    assert neet_october(store) == []                                   # nothing before Confirm

    buttons = posted(slack, 2)                                          # Confirm and Cancel under the preview
    slack.event(event, retry=1)                                         # Slack redelivers the file event
    confirm = button(buttons, "Confirm")
    assert button(buttons, "Cancel")
    click = block_actions(buttons, confirm, user=MAYA)
    again = block_actions(buttons, confirm, user=MAYA)
    again["actions"][0]["action_ts"] = "1718000099.000001"
    slack.action(click)
    slack.action(click)                                                 # the same click delivered again
    slack.action(again)                                                 # clicked a second time
    slack.mock.wait_for("chat.postMessage", 4, timeout=60)
    slack.finish()
    texts = [said(p) for p in slack.posts()]
    assert len(slack.mock.calls("download")) == 1
    assert sum("Recorded from *neet-return.csv*" in t for t in texts) == 1
    assert sum("was already recorded" in t for t in texts) == 1
    assert neet_october(store) == [(5.1, "maya.rowe@demo-council.example",
                                    "submitted by Maya Rowe from neet-return.csv")]
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT channel FROM observation WHERE indicator_code = 'NEET' AND "
                                       "period = '2026-10'")).scalar_one() == "slack"


def test_a_file_past_the_limit_is_refused_by_its_size_without_fetching_it(slack: SlackDriver, store: Store) -> None:
    described = slack.mock.share_file("whole-directorate.xlsx", b"PK", size=100 * 2 ** 20)
    slack.event(file_message(described))
    refusal = posted(slack, 1)
    slack.finish()
    assert "whole-directorate.xlsx is 100.0 MB; a return sent by chat can be at most 5 MB" in said(refusal)
    assert slack.mock.calls("download") == [] and not [b for b in refusal["blocks"] if b["type"] == "actions"]


def test_a_file_address_that_is_not_slacks_never_gets_the_token(slack: SlackDriver, store: Store) -> None:
    described = {"id": "F0EVIL", "name": "r.csv", "size": 40, "url_private_download": "https://evil.example/r.csv"}
    slack.event(file_message(described))
    answer = posted(slack, 1)
    slack.finish()
    assert "could not be fetched from the chat service" in said(answer)
    assert neet_october(store) == []
