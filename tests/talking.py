"""A conversation with the bot in a test: each message answered in turn, in a conversation of its own."""
from __future__ import annotations

from datetime import date

from bot.core.bot import Bot
from bot.core.messages import Message


def talk(store, who: str, today: date, *messages: str) -> list[dict]:
    """The facts of the bot's answer to each message, `who` asking on `today`."""
    bot = Bot(store, today=lambda: today)
    person = bot.person_by_email(who)
    channel = f"talk-{who}-{messages[0]}"  # a conversation of its own
    return [bot.answer(Message(text, person, channel), render_charts=False).facts for text in messages]
