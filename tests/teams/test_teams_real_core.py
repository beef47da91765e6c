"""The Teams channel in front of the real core over the demo-council data: a Teams user asks in
their personal chat and the answer carries the figure; a KPI owner submits by message and by the
Adaptive Card form, and a correction asks for its reason."""
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


async def test_a_kpi_owner_submits_in_teams_by_message_and_by_the_card(start_bot, store) -> None:
    core = Bot(store, today=lambda: date(2026, 11, 27))
    async with start_bot(core=core) as bot:
        await bot.post(maya_message(bot.connector.url, "NEET for October is 5.4%"))
        assert "Recorded" in "\n".join(posted.text or "" for posted in bot.connector.posted)
        assert _neet_october(store) == [5.4]

        bot.connector.posted.clear()
        await bot.post(maya_message(bot.connector.url, "submit a value"))
        cards = [a for posted in bot.connector.posted for a in posted.attachments or []]
        form = next(c["content"] for c in cards if any(i.get("type") == "Input.Text" for i in c["content"]["body"]))
        submit = form["actions"][0]["data"]

        bot.connector.posted.clear()
        filled = dict(submit, indicator="NEET", period="October 2026", value="5.2%")
        await bot.post(maya_message(bot.connector.url, "", value=filled, activity_id="1700000000003"))
        answer = "\n".join(posted.text or "" for posted in bot.connector.posted)
        assert "Why change it" in answer                       # a correction asks for its reason
        bot.connector.posted.clear()
        await bot.post(maya_message(bot.connector.url, "careers service revised the cohort", activity_id="1700000000004"))
        assert "Corrected" in "\n".join(posted.text or "" for posted in bot.connector.posted)
        assert _neet_october(store) == [5.2]


def _neet_october(store) -> list[float]:
    frame = store.observations(["NEET"], ["E08000031"])
    return frame[frame["period"] == "2026-10"]["value"].tolist()


def maya_message(service_url: str, text: str, value: dict | None = None, activity_id: str = "1700000000002") -> dict[str, Any]:
    """Maya (KPI owner for NEET) in her personal chat with the bot, optionally submitting a card."""
    message = personal_message(service_url, text)
    message.update(id=activity_id, conversation={**message["conversation"], "id": "a:1personal-chat-maya"},
                   **{"from": {"id": "29:demo-0034", "name": "Maya Rowe", "aadObjectId": "5f0c1b2e-7d3a-4c1e-8b5a-2e9d0c4f7a34"}})
    if value is not None:
        message["value"] = value
    return message
