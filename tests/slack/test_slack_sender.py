"""Notifications delivered by the dispatcher to a person's DM with perfbot, at most once per key."""
from __future__ import annotations

import json

import pytest
from slack_fakes import BOT_TOKEN, COUNCILLOR, OFFICER, SIGNING_SECRET, FakeCore, tiny_png

from bot.core.messages import CardReply, ChartReply, Choice, Reply, TextReply
from bot.slack.app import web_client
from bot.slack.sender import SlackSender
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack

KEY = "reminder|cllr.jones@trafford.gov.uk|2026-11-27"
REMINDER: list[Reply] = [
    CardReply("Return due Friday", ("• NEET rate, 2026 Q3",), (Choice("Snooze a day", "snooze 1 day"),)),
    ChartReply(tiny_png(), "Line chart of the NEET rate over two years.", "NEET rate"),
]


@pytest.fixture
def sender(core: FakeCore, mock_slack: MockSlack) -> SlackSender:
    """A sender talking to the mock."""
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=mock_slack.api_url)
    return SlackSender(core, web_client(settings))


def test_only_people_with_a_slack_account_can_be_reached(sender: SlackSender) -> None:
    assert sender.can_reach(COUNCILLOR.email, COUNCILLOR)
    assert not sender.can_reach(OFFICER.email, OFFICER)
    assert not sender.can_reach("nobody@example.org", None)


def test_a_reminder_is_posted_in_the_persons_dm_with_its_chart(sender: SlackSender, mock_slack: MockSlack) -> None:
    reference = sender.deliver(COUNCILLOR.email, REMINDER, KEY)

    [opened] = mock_slack.calls("conversations.open")
    assert opened.args["users"] == "U0001001"
    [post] = mock_slack.calls("chat.postMessage")
    assert post.args["channel"] == "D0001001"
    assert post.args["blocks"][0]["text"]["text"] == "Return due Friday"
    assert post.args["metadata"] == {"event_type": "perfbot_delivery", "event_payload": {"key": KEY, "part": 0}}
    [complete] = mock_slack.calls("files.completeUploadExternal")
    assert complete.args["channel_id"] == "D0001001"
    assert json.loads(complete.args["files"])[0]["title"] == "NEET rate"
    assert reference is not None and reference.startswith("D0001001:1718000000.")


def test_the_same_delivery_resent_after_a_crash_is_not_shown_twice(sender: SlackSender,
                                                                   mock_slack: MockSlack) -> None:
    first = sender.deliver(COUNCILLOR.email, [TextReply("Your return is due on Friday.")], KEY)
    again = sender.deliver(COUNCILLOR.email, [TextReply("Your return is due on Friday.")], KEY)
    other = sender.deliver(COUNCILLOR.email, [TextReply("Another day, another reminder.")], KEY + "x")
    assert first == again != other
    assert len(mock_slack.calls("chat.postMessage")) == 2


def test_a_rate_limited_delivery_waits_and_is_still_delivered(sender: SlackSender, mock_slack: MockSlack) -> None:
    mock_slack.fail("chat.postMessage", 429, headers={"Retry-After": "0"})
    sender.deliver(COUNCILLOR.email, [TextReply("Your return is due on Friday.")], KEY)
    assert len(mock_slack.calls("chat.postMessage")) == 2


def test_a_recipient_without_slack_raises_so_the_dispatcher_records_it(sender: SlackSender,
                                                                       mock_slack: MockSlack) -> None:
    with pytest.raises(LookupError):
        sender.deliver(OFFICER.email, [TextReply("hello")], KEY)
    assert mock_slack.calls("chat.postMessage") == []
