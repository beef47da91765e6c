"""The Teams channel in front of the real core over the demo-council data: a Teams user asks in
their personal chat, and the answer posted back to the connector carries the figure."""
from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.bot import Bot
from bot.core.messages import TextReply
from bot.teams.app import TEAMS_SENDER

BOT_ID = "28:3f1c0a44-5b2e-4a8c-9d1e-0c7b7e2b0f11"
TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"


async def test_ben_asks_for_the_latest_neet_rate_in_teams(start_bot, demo_store) -> None:
    core = Bot(demo_store, today=lambda: date(2026, 11, 27))
    async with start_bot(core=core) as bot:
        response = await bot.post(personal_message(bot.connector.url, "What's the latest NEET rate?"))

        assert response.status == 201
        answer = "\n".join(posted.text for posted in bot.connector.posted)
        assert "5.3%" in answer
        assert all(posted.reply_to == "1700000000001" for posted in bot.connector.posted)
        reference = core.conversation_reference("teams", "ben.singh@demo-council.example")
        assert reference["conversation"]["id"] == "a:1personal-chat-ben"

        bot.connector.posted.clear()
        await bot.app[TEAMS_SENDER].send(core.person_by_email("ben.singh@demo-council.example"), [TextReply("Reminder")])
        assert [(p.conversation, p.text) for p in bot.connector.posted] == [("a:1personal-chat-ben", "Reminder")]


def personal_message(service_url: str, text: str) -> dict[str, Any]:
    """Ben's message in his personal chat with the bot, as Teams posts it."""
    return {
        "text": text,
        "textFormat": "plain",
        "type": "message",
        "timestamp": "2026-11-27T09:15:02.123Z",
        "id": "1700000000001",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:demo-0001", "name": "Ben Singh", "aadObjectId": "8d3c8a7e-0b44-4f67-9a3e-6a1f4f0d1e01"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-ben"},
        "recipient": {"id": BOT_ID, "name": "perfbot"},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
    }
