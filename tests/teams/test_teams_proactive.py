"""Proactive sends (reminders, alerts) to conversation references stored through the core, as the
notification dispatcher will make them from a process without the Teams server."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest

from bot.core.messages import ChartReply, TextReply, UnsupportedReply
from bot.teams.proactive import NoConversation, create_sender
from bot.teams.settings import TeamsSettings
from bot.teams.testing import MockConnector


@dataclass(frozen=True)
class Poll:
    """A reply kind no channel knows."""

    question: str


async def test_a_reminder_is_posted_as_a_new_message_in_the_stored_personal_chat(core, ben, make_png) -> None:
    async with MockConnector() as connector:
        core.save_conversation_reference("teams", ben.email, stored_reference(connector.url))
        sender = create_sender(TeamsSettings(), core)

        chart = ChartReply(make_png(8, 6), alt_text="NEET fell to 5.3%.", title="NEET")
        ids = await sender.send(ben, [TextReply("Your NEET return is due on *10 November*."), chart])

        assert ids == ["posted-1", "posted-2"]
        reminder, picture = connector.posted
        assert (reminder.conversation, reminder.reply_to) == ("a:1personal-chat-ben", None)
        assert reminder.text == "Your NEET return is due on **10 November**."
        assert reminder.activity["recipient"]["id"] == "29:demo-0001"
        assert picture.conversation == "a:1personal-chat-ben"
        assert base64.b64decode(picture.attachments[0]["contentUrl"].split(",", 1)[1]) == make_png(8, 6)


async def test_a_channel_is_reached_by_its_id(core) -> None:
    async with MockConnector() as connector:
        reference = stored_reference(connector.url)
        reference["conversation"] = {"id": "19:performance-board@thread.tacv2", "conversationType": "channel"}
        del reference["user"]
        core.save_conversation_reference("teams", "19:performance-board@thread.tacv2", reference)

        await create_sender(TeamsSettings(), core).send("19:performance-board@thread.tacv2", [TextReply("Digest")])

        assert [(p.conversation, p.text) for p in connector.posted] == [("19:performance-board@thread.tacv2", "Digest")]


async def test_someone_the_bot_never_met_cannot_be_reached(core, maya) -> None:
    sender = create_sender(TeamsSettings(), core)
    with pytest.raises(NoConversation, match="maya.rowe@demo-council.example"):
        await sender.send(maya, [TextReply("Your return is overdue.")])


async def test_an_unshowable_reply_fails_before_anything_is_posted(core, ben) -> None:
    async with MockConnector() as connector:
        core.save_conversation_reference("teams", ben.email, stored_reference(connector.url))
        with pytest.raises(UnsupportedReply):
            await create_sender(TeamsSettings(), core).send(ben, [TextReply("first"), Poll("?")])  # type: ignore[list-item]
        assert connector.posted == []


async def test_a_send_the_connector_cannot_take_raises(core, ben) -> None:
    async with MockConnector() as connector:
        core.save_conversation_reference("teams", ben.email, stored_reference(connector.url))
    # The connector has stopped: the send must fail loudly so the dispatcher can retry and record it.
    with pytest.raises(Exception) as failure:
        await create_sender(TeamsSettings(), core).send(ben, [TextReply("Your return is overdue.")])
    assert not isinstance(failure.value, NoConversation)


def stored_reference(service_url: str) -> dict[str, Any]:
    """A personal-chat reference as the channel stores it."""
    return {
        "channelId": "msteams",
        "serviceUrl": service_url,
        "bot": {"id": "28:3f1c0a44-5b2e-4a8c-9d1e-0c7b7e2b0f11", "name": "perfbot"},
        "conversation": {
            "id": "a:1personal-chat-ben",
            "conversationType": "personal",
            "tenantId": "9188040d-6c67-4c5b-b112-36a304b66dad",
        },
        "user": {"id": "29:demo-0001", "name": "Ben Singh", "aadObjectId": "8d3c8a7e-0b44-4f67-9a3e-6a1f4f0d1e01"},
    }
