"""The Submit value form in Teams, through the real botbuilder app and the real core: an Adaptive
Card with a ChoiceSet of the returns the person owes, checked by Teams (isRequired) and by the core,
the card updated in place with the error under its field and the values kept, or, once taken,
replaced by a "sent" note with the confirmation posted."""
from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.bot import Bot
from tests.teams.test_teams_real_core import _neet_october, maya_message


async def _form(bot) -> tuple[str, dict[str, Any]]:
    """Ask for the form; the id of the card message and the card."""
    await bot.post(maya_message(bot.connector.url, "submit a value"))
    [(posted_id, card)] = [(f"posted-{n}", a["content"]) for n, posted in enumerate(bot.connector.posted, start=1)
                           for a in posted.attachments if a["content"]["actions"][0]["title"] == "Submit"]
    return posted_id, card


def _submission(bot, card_id: str, card: dict[str, Any], **values: str) -> dict[str, Any]:
    activity = maya_message(bot.connector.url, "", value=dict(card["actions"][0]["data"], **values),
                            activity_id="1700000000009")
    del activity["text"]
    activity["replyToId"] = card_id
    return activity


def _inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in card["body"] if item["type"].startswith("Input.")}


async def test_the_form_card_offers_the_returns_owed_as_a_choice_set(start_bot, store) -> None:
    async with start_bot(core=Bot(store, today=lambda: date(2026, 11, 27))) as bot:
        _, card = await _form(bot)
        inputs = _inputs(card)
        choices = inputs["return"]["choices"]
        assert inputs["return"]["type"] == "Input.ChoiceSet" and inputs["return"]["isRequired"] is True
        assert {"title": "16-17 year olds not in education, employment or… — October 2026",
                "value": "NEET@2026-10"} in choices
        assert choices[-1]["title"] == "Another indicator"
        assert inputs["period"]["value"] == choices[0]["title"].rsplit(" — ", 1)[1]
        assert inputs["value"]["isRequired"] is True and inputs["value"]["errorMessage"].startswith("Fill in the value")


async def test_a_bad_value_updates_the_card_in_place_with_the_error_and_the_values_kept(start_bot, store) -> None:
    async with start_bot(core=Bot(store, today=lambda: date(2026, 11, 27))) as bot:
        card_id, card = await _form(bot)
        bot.connector.posted.clear()
        await bot.post(_submission(bot, card_id, card, **{"return": "NEET@2026-10", "period": "October 2026",
                                                          "value": "lots"}))
        assert bot.connector.posted == []  # nothing said in the chat
        [update] = bot.updated
        assert update.reply_to == card_id
        shown = update.attachments[0]["content"]
        body = shown["body"]
        at = next(i for i, item in enumerate(body) if item.get("id") == "value")
        assert body[at]["value"] == "lots" and _inputs(shown)["return"]["value"] == "NEET@2026-10"
        assert body[at + 1]["color"] == "Attention"
        assert body[at + 1]["text"] == "⚠ I can't read “lots” as a number: write it like 5.4, 5.4%, 1,234 or 23 of 410."
        assert _neet_october(store) == []


async def test_a_good_value_closes_the_card_and_the_confirmation_is_posted(start_bot, store) -> None:
    async with start_bot(core=Bot(store, today=lambda: date(2026, 11, 27))) as bot:
        card_id, card = await _form(bot)
        bot.connector.posted.clear()
        await bot.post(_submission(bot, card_id, card, **{"return": "NEET@2026-10", "period": "October 2026",
                                                          "value": "5.4%"}))
        [update] = bot.updated
        assert update.reply_to == card_id
        assert not _inputs(update.attachments[0]["content"])
        said = "\n".join(posted.text for posted in bot.connector.posted)
        assert "Recorded" in said and "October 2026 = **5.4%**" in said
        assert _neet_october(store) == [5.4]
