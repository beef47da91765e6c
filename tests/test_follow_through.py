"""What perfbot asked for is what the next message answers, and undo is per person, not per page
(row 6 of issue 24): after the web page is reloaded (a new conversation), "undo" still finds the
person's last submission (once undone, a second "undo" finds nothing; someone else's never reaches
it); after **Change** on a submission preview, the value sent next is the changed value; the
reminder's own wording "not available: <reason> until <date>" marks the one return owed."""
from __future__ import annotations

from datetime import date

from bot.core.bot import Bot
from bot.core.messages import Message
from data_access.store import Store

MAYA, KATE = "maya.rowe@demo-council.example", "kate.young@demo-council.example"
CHLOE = "chloe.young@demo-council.example"  # owes one return on 27 November: bus journeys, 2026/27 Q2
NEET = "16-17 year olds not in education, employment or training (NEET) or not known"
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


def test_after_change_the_next_value_is_the_changed_one(store: Store) -> None:
    bot = Bot(store, today=lambda: TODAY)
    assert "did you mean 5.9%?" in said(bot, MAYA, "NEET for October 2026 is 59%", "page")
    assert said(bot, MAYA, "change", "page") == f"OK — nothing recorded. Send the right value for *{NEET}*, October 2026."
    assert said(bot, MAYA, "5.9", "page").startswith(f"Recorded: *{NEET}*, October 2026 = *5.9%*.")


def test_cancel_on_a_preview_ends_it(store: Store) -> None:
    bot = Bot(store, today=lambda: TODAY)
    said(bot, MAYA, "NEET for October 2026 is 59%", "page")
    said(bot, MAYA, "cancel", "page")
    assert said(bot, MAYA, "5.9", "page").startswith("Which return is 5.9 for?")


def test_not_available_until_a_date_marks_the_one_return_owed(store: Store) -> None:
    bot = Bot(store, today=lambda: TODAY)
    answer = said(bot, CHLOE, "not available: waiting for the operator's figures until 10 December", "page")
    assert answer.startswith("Noted: *Journeys on supported bus services*, 2026/27 Q2 is not available until "
                             "Thursday 10 December"), answer
