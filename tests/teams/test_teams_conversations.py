"""Conversations with the Teams channel over HTTP: real Bot Framework activities are posted to
/api/messages of the running app, and the bot's replies are read back at a mock connector.
Activity payloads, shaped as Teams sends them, are at the bottom of the module."""
from __future__ import annotations

import base64
import logging
import time
from typing import Any

import jwt
import pytest

from bot.core.messages import CardReply, TextReply
from bot.teams.app import TEAMS_SENDER
from bot.teams.links import HostedLinks
from bot.teams.settings import TeamsSettings

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
APP_ID = "3f1c0a44-5b2e-4a8c-9d1e-0c7b7e2b0f11"
BOT_ID = f"28:{APP_ID}"
BEN_AAD = "8d3c8a7e-0b44-4f67-9a3e-6a1f4f0d1e01"
CHANNEL = "19:performance-board@thread.tacv2"


async def test_personal_message_is_answered_for_the_person_who_asked(start_bot, core, ben) -> None:
    async with start_bot() as bot:
        activity = personal_message(bot.connector.url, "What's the latest NEET rate?")
        response = await bot.post(activity)

        assert response.status == 201
        [reply] = bot.connector.posted
        assert (reply.conversation, reply.reply_to) == ("a:1personal-chat-ben", "1700000000001")
        assert reply.text == "You said: What's the latest NEET rate? (**Ben Singh**)"
        assert reply.activity["textFormat"] == "markdown"
        [message] = core.handled
        assert (message.person, message.channel, message.conversation) == (ben, "teams", "a:1personal-chat-ben")
        assert message.raw == activity


async def test_channel_mention_is_stripped_and_the_answer_goes_in_the_thread(start_bot, core) -> None:
    async with start_bot() as bot:
        await bot.post(channel_mention(bot.connector.url, "<at>perfbot</at> which measures are red?"))

        [message] = core.handled
        assert message.text == "which measures are red?"
        assert message.conversation == f"{CHANNEL};messageid=1700000000100"
        [reply] = bot.connector.posted
        assert (reply.conversation, reply.reply_to) == (f"{CHANNEL};messageid=1700000000100", "1700000000100")
        assert reply.text.startswith("You said: which measures are red?")


async def test_every_message_stores_how_to_reach_the_person_and_the_channel(start_bot, core, ben) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "hello"))
        await bot.post(channel_mention(bot.connector.url, "<at>perfbot</at> hello"))

        personal = core.conversation_reference("teams", ben.email)
        assert personal["serviceUrl"] == bot.connector.url
        assert personal["conversation"] == {"id": "a:1personal-chat-ben", "conversationType": "personal", "tenantId": TENANT}
        assert personal["bot"]["id"] == BOT_ID
        assert personal["user"]["aadObjectId"] == BEN_AAD
        channel = core.conversation_reference("teams", CHANNEL)
        assert channel["conversation"] == {"id": CHANNEL, "conversationType": "channel", "tenantId": TENANT}
        assert "user" not in channel


async def test_installing_the_app_stores_the_reference_and_says_hello(start_bot, core, ben) -> None:
    async with start_bot() as bot:
        assert (await bot.post(personal_install(bot.connector.url))).status == 201
        assert (await bot.post(team_install(bot.connector.url))).status == 201

        personal_welcome, team_welcome = bot.connector.posted
        assert personal_welcome.conversation == "a:1personal-chat-ben"
        assert "What's the latest NEET rate?" in personal_welcome.text
        assert team_welcome.conversation == "19:general@thread.tacv2"
        assert "Mention me" in team_welcome.text
        assert core.conversation_reference("teams", ben.email)["conversation"]["id"] == "a:1personal-chat-ben"
        assert core.conversation_reference("teams", "19:general@thread.tacv2")["serviceUrl"] == bot.connector.url
        assert core.handled == []


async def test_a_member_joining_a_team_is_not_greeted(start_bot, core) -> None:
    async with start_bot() as bot:
        activity = team_install(bot.connector.url)
        activity["membersAdded"] = [{"id": "29:someone-new", "aadObjectId": "2b8e0c1d-0000-4000-8000-000000000002"}]
        assert (await bot.post(activity)).status == 201
        assert bot.connector.posted == []
        assert core.references == {}


async def test_ambiguous_question_offers_choices_as_an_adaptive_card(start_bot) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "ambiguous waste"))

        [reply] = bot.connector.posted
        [attachment] = reply.attachments
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        card = attachment["content"]
        assert card["body"][0]["text"] == "Which did you mean?"
        buttons = [(a["type"], a["title"], a["data"]["perfbot"]) for a in card["actions"]]
        assert buttons == [
            ("Action.Submit", "Recycling rate", {"choice": "recycling rate"}),
            ("Action.Submit", "Residual waste", {"choice": "residual waste"}),
        ]
        assert card["actions"][0]["data"]["msteams"]["displayText"] == "Recycling rate"


@pytest.mark.parametrize("submit", ["action_submit", "message_back"])
async def test_clicking_a_choice_sends_its_value_as_the_next_message(start_bot, core, submit) -> None:
    async with start_bot() as bot:
        activity = choice_submit(bot.connector.url) if submit == "action_submit" else choice_message_back(bot.connector.url)
        await bot.post(activity)

        [message] = core.handled
        assert (message.text, message.action) == ("recycling rate", {"choice": "recycling rate"})
        [reply] = bot.connector.posted
        assert reply.text.startswith("You said: recycling rate")


async def test_a_form_is_a_card_with_inputs_and_its_submission_reaches_the_core(start_bot, core) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "form please"))
        card = bot.connector.posted[0].attachments[0]["content"]
        inputs = [(item["type"], item["id"], item["label"], item["value"]) for item in card["body"][1:]]
        assert inputs == [("Input.Text", "value", "Value (%)", ""), ("Input.Text", "period", "Period", "2026-10")]
        [submit] = card["actions"]
        assert (submit["type"], submit["title"], submit["data"]) == ("Action.Submit", "Submit", {"perfbot": {"form": "submit-NEET"}})

        await bot.post(form_submit(bot.connector.url))

        assert core.handled[-1].action == {"form": "submit-NEET", "values": {"value": "5.4", "period": "2026-10"}}
        assert bot.connector.posted[-1].text == "Recorded 5.4 for 2026-10"


async def test_a_fact_card_has_its_lines_and_buttons(start_bot) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "card"))

        card = bot.connector.posted[0].attachments[0]["content"]
        assert [block["text"] for block in card["body"]] == ["NEET return due", "**Due** 10 November 2026", "• Owner: Maya Rowe"]
        assert [(a["title"], a["data"]["perfbot"]) for a in card["actions"]] == [("Submit now", {"choice": "submit NEET"})]


async def test_a_chart_is_an_inline_png_with_its_title_and_alt_text(start_bot, make_png) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "chart of recycling"))

        [reply] = bot.connector.posted
        assert reply.text == "**Recycling rate**\n\nRecycling rose from 30.1% to 35.5%."
        [image] = reply.attachments
        assert (image["contentType"], image["name"]) == ("image/png", "Recycling-rate.png")
        prefix, data = image["contentUrl"].split(",", 1)
        assert prefix == "data:image/png;base64"
        assert base64.b64decode(data) == make_png(4, 3)


async def test_a_chart_can_be_served_by_the_bot_at_its_public_url(start_bot, make_png, empty_store) -> None:
    settings = TeamsSettings(public_url="https://perfbot.demo-council.example", link_secret="s" * 40)
    links = HostedLinks(empty_store.engine, settings.public_url, settings.link_key(), empty_store.clock)
    async with start_bot(settings=settings, links=links) as bot:
        await bot.post(personal_message(bot.connector.url, "chart of recycling"))

        url = bot.connector.posted[0].attachments[0]["contentUrl"]
        assert url.startswith("https://perfbot.demo-council.example/charts/")
        served = await bot.client.get(url.removeprefix("https://perfbot.demo-council.example"))
        assert (served.status, served.content_type) == (200, "image/png")
        assert await served.read() == make_png(4, 3)
        assert (await bot.client.get("/charts/not-a-chart.png")).status == 403


async def test_a_long_answer_is_split_into_messages_teams_accepts(start_bot) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "long list"))

        texts = [posted.text for posted in bot.connector.posted]
        assert len(texts) > 1
        assert all(len(text.encode("utf-16-le")) <= 32_000 for text in texts)
        lines = "\n\n".join(texts).split("\n\n")
        assert lines == [f"• Ward {n}: " + "fly tipping reports " * 6 for n in range(1200)]


async def test_an_unknown_user_is_told_once_and_gets_public_answers(start_bot, core) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "NEET rate", user_id="29:stranger", aad="0c4f-stranger"))
        await bot.post(personal_message(bot.connector.url, "recycling", user_id="29:stranger", aad="0c4f-stranger"))

        assert [message.person for message in core.handled] == [None, None]
        texts = [posted.text for posted in bot.connector.posted]
        assert "don't recognise your Teams account" in texts[0]
        assert texts[1:] == ["You said: NEET rate (**someone unknown**)", "You said: recycling (**someone unknown**)"]
        assert core.references == {}


async def test_a_user_unknown_by_id_is_matched_by_email_and_linked(start_bot, core, maya) -> None:
    members = {"29:maya": TEAMS_MEMBER_MAYA}
    async with start_bot(members=members) as bot:
        await bot.post(personal_message(bot.connector.url, "my returns", user_id="29:maya", aad="5e2d-maya"))

        assert core.handled[0].person == maya
        assert core.links == [("teams", maya.email, "5e2d-maya")]
        assert [posted.text for posted in bot.connector.posted] == ["You said: my returns (**Maya Rowe**)"]


async def test_a_failing_answer_is_apologised_for_and_reported(start_bot) -> None:
    async with start_bot() as bot:
        response = await bot.post(personal_message(bot.connector.url, "boom"))

        assert response.status == 500
        assert [posted.text for posted in bot.connector.posted] == [
            "Sorry, something went wrong while answering that. The problem has been logged."
        ]


async def test_a_reply_kind_teams_cannot_show_is_refused_not_dropped(start_bot) -> None:
    async with start_bot() as bot:
        response = await bot.post(personal_message(bot.connector.url, "unsupported"))

        assert response.status == 500
        assert [posted.text for posted in bot.connector.posted][0].startswith("Sorry, something went wrong")


async def test_a_reminder_reaches_the_chat_and_the_channel_the_bot_met(start_bot, ben) -> None:
    async with start_bot() as bot:
        await bot.post(personal_message(bot.connector.url, "hello"))
        await bot.post(channel_mention(bot.connector.url, "<at>perfbot</at> hello"))
        bot.connector.posted.clear()
        sender = bot.app[TEAMS_SENDER]

        await sender.send(ben, [TextReply("Your NEET return for October 2026 is due on *10 November*.")])
        await sender.send(CHANNEL, [CardReply("3 indicators turned red", ("• Crime rate",))])

        to_ben, to_channel = bot.connector.posted
        assert (to_ben.conversation, to_ben.reply_to) == ("a:1personal-chat-ben", None)
        assert to_ben.text == "Your NEET return for October 2026 is due on **10 November**."
        assert (to_channel.conversation, to_channel.reply_to) == (CHANNEL, None)
        assert to_channel.attachments[0]["content"]["body"][0]["text"] == "3 indicators turned red"


async def test_unauthenticated_mode_is_announced_loudly(start_bot, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.teams"):
        async with start_bot():
            pass
    assert "WITHOUT AUTHENTICATION" in caplog.text


@pytest.mark.parametrize("authorization", ["", "Bearer not-a-jwt", "forged"])
async def test_with_an_app_id_activities_without_a_valid_token_are_refused(start_bot, core, caplog, authorization) -> None:
    settings = TeamsSettings(app_id=APP_ID, app_password="test-secret", tenant_id=TENANT, app_type="SingleTenant")
    with caplog.at_level(logging.WARNING, logger="bot.teams"):
        async with start_bot(settings=settings) as bot:
            activity = personal_message(bot.connector.url, "What's the latest NEET rate?")
            if authorization == "forged":
                authorization = f"Bearer {forged_token(bot.connector.url)}"
            headers = {"Authorization": authorization} if authorization else {}
            response = await bot.post(activity, **headers)

            assert response.status == 401
            assert bot.connector.posted == []
    assert core.handled == []
    assert "WITHOUT AUTHENTICATION" not in caplog.text


async def test_a_message_without_json_or_type_is_a_bad_request(start_bot) -> None:
    async with start_bot() as bot:
        assert (await bot.client.post("/api/messages", data="hello", headers={"Content-Type": "text/plain"})).status == 415
        assert (await bot.client.post("/api/messages", data="{", headers={"Content-Type": "application/json"})).status == 400
        assert (await bot.post({"text": "no type"})).status == 400


# --- Activities as Teams posts them -------------------------------------------------------------

CLIENT_INFO = {"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web", "timezone": "Europe/London"}

TEAMS_MEMBER_MAYA = {
    "id": "29:maya",
    "name": "Maya Rowe",
    "aadObjectId": "5e2d-maya",
    "givenName": "Maya",
    "surname": "Rowe",
    "email": "Maya.Rowe@demo-council.example",
    "userPrincipalName": "maya.rowe@demo-council.example",
    "tenantId": TENANT,
    "userRole": "user",
}


def personal_message(service_url: str, text: str, user_id: str = "29:demo-0001", aad: str = BEN_AAD) -> dict[str, Any]:
    """A message in the user's personal chat with the bot."""
    return {
        "text": text,
        "textFormat": "plain",
        "type": "message",
        "timestamp": "2026-11-27T09:15:02.123Z",
        "localTimestamp": "2026-11-27T09:15:02.123+00:00",
        "id": "1700000000001",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": user_id, "name": "Ben Singh", "aadObjectId": aad},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-ben"},
        "recipient": {"id": BOT_ID, "name": "perfbot"},
        "entities": [CLIENT_INFO],
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
        "localTimezone": "Europe/London",
    }


def channel_mention(service_url: str, text: str) -> dict[str, Any]:
    """A message in a team channel that @mentions the bot (the only way a channel reaches it)."""
    return {
        "text": text,
        "textFormat": "plain",
        "attachments": [{"contentType": "text/html", "content": f"<div><div>{text}</div></div>"}],
        "type": "message",
        "timestamp": "2026-11-27T09:20:11.456Z",
        "id": "1700000000100",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:demo-0001", "name": "Ben Singh", "aadObjectId": BEN_AAD},
        "conversation": {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": f"{CHANNEL};messageid=1700000000100",
        },
        "recipient": {"id": BOT_ID, "name": "perfbot"},
        "entities": [
            {"mentioned": {"id": BOT_ID, "name": "perfbot"}, "text": "<at>perfbot</at>", "type": "mention"},
            CLIENT_INFO,
        ],
        "channelData": {
            "teamsChannelId": CHANNEL,
            "teamsTeamId": "19:general@thread.tacv2",
            "channel": {"id": CHANNEL},
            "team": {"id": "19:general@thread.tacv2"},
            "tenant": {"id": TENANT},
        },
        "locale": "en-GB",
    }


def personal_install(service_url: str) -> dict[str, Any]:
    """The conversationUpdate Teams sends when a user adds the app for themselves."""
    return {
        "membersAdded": [{"id": BOT_ID}],
        "type": "conversationUpdate",
        "timestamp": "2026-11-27T09:00:00.000Z",
        "id": "f:2be2c1a6-1f4a-4c3e-8d0e-6a1b2c3d4e5f",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:demo-0001", "aadObjectId": BEN_AAD},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": "a:1personal-chat-ben"},
        "recipient": {"id": BOT_ID, "name": "perfbot"},
        "channelData": {"tenant": {"id": TENANT}},
    }


def team_install(service_url: str) -> dict[str, Any]:
    """The conversationUpdate Teams sends when the app is added to a team (its General channel)."""
    return {
        "membersAdded": [{"id": BOT_ID}],
        "type": "conversationUpdate",
        "timestamp": "2026-11-27T09:05:00.000Z",
        "id": "f:8d1f0e0b-7c7d-4c1e-9b3a-1a2b3c4d5e6f",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:demo-0001", "aadObjectId": BEN_AAD},
        "conversation": {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": "19:general@thread.tacv2",
        },
        "recipient": {"id": BOT_ID, "name": "perfbot"},
        "channelData": {
            "team": {"aadGroupId": "d4b0c6c2-0000-4000-8000-00000000a001", "name": "Performance Board", "id": "19:general@thread.tacv2"},
            "eventType": "teamMemberAdded",
            "tenant": {"id": TENANT},
        },
    }


def choice_submit(service_url: str) -> dict[str, Any]:
    """An Adaptive Card Action.Submit click: no text, the button's data (and inputs) in `value`."""
    activity = personal_message(service_url, "")
    del activity["text"]
    activity.update(
        id="1700000000002",
        replyToId="posted-1",
        value={"perfbot": {"choice": "recycling rate"}},
        channelData={"tenant": {"id": TENANT}, "source": {"name": "message"}, "legacy": {"replyToId": "1:posted-1"}},
    )
    return activity


def choice_message_back(service_url: str) -> dict[str, Any]:
    """The same click when Teams honours the button's messageBack: text, and value as a JSON string."""
    activity = personal_message(service_url, "recycling rate")
    activity.update(id="1700000000003", replyToId="posted-1", value='{"perfbot": {"choice": "recycling rate"}}')
    return activity


def form_submit(service_url: str) -> dict[str, Any]:
    """A form card's Action.Submit: the inputs merged with the button's data."""
    activity = choice_submit(service_url)
    activity["value"] = {"perfbot": {"form": "submit-NEET"}, "value": "5.4", "period": "2026-10"}
    return activity


def forged_token(service_url: str) -> str:
    """A JWT for the bot's app id and service URL, signed by someone other than the Bot Framework."""
    claims = {"iss": "https://attacker.example", "aud": APP_ID, "serviceurl": service_url, "exp": int(time.time()) + 600}
    return jwt.encode(claims, "a-secret-the-attacker-made-up-for-this", algorithm="HS256")
