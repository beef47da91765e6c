"""Undo is per person, not per page (row 6 of issue 24): after the web page is reloaded (a new
conversation), "undo" still finds the person's last submission; once undone, a second "undo"
finds nothing; someone else's "undo" never reaches it."""
from __future__ import annotations

from datetime import date

from bot.core.bot import Bot
from bot.core.messages import Message
from data_access.store import Store

MAYA, KATE = "maya.rowe@demo-council.example", "kate.young@demo-council.example"
TODAY = date(2026, 11, 27)


def said(bot: Bot, who: str, text: str, conversation: str) -> str:
    """What perfbot answers `who` saying `text` in `conversation`."""
    answer = bot.answer(Message(text, bot.person_by_email(who), conversation, channel="web"), render_charts=False)
    return "\n".join(reply.text for reply in answer.replies if hasattr(reply, "text"))


def test_undo_after_reloading_the_page_finds_the_persons_last_submission(store: Store) -> None:
    bot = Bot(store, today=lambda: TODAY)
    said(bot, MAYA, "NEET for October 2026 is 5.1%", "page-before-reload")
    assert "nothing of yours to undo" in said(bot, KATE, "undo", "kates-page")
    assert said(bot, MAYA, "undo", "page-after-reload").startswith("Undone: *")
    assert "nothing of yours to undo" in said(bot, MAYA, "undo", "page-after-reload")
