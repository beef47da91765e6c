"""While the store cannot be reached, whoever sent a change hears that nothing was recorded and to
send it again (row 12 of issue 24), rather than "Sorry, I couldn't answer that just now"; and once
the store is back, indeed nothing was. Every statement fails as a database that is down fails."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.core.bot import Bot
from bot.core.messages import Message
from data_access.store import Store

MAYA = "maya.rowe@demo-council.example"  # owns NEET
TODAY = date(2026, 11, 27)
NOT_RECORDED = "Sorry, I couldn't reach perfbot's database just now, so nothing was recorded. Please send it again in a few minutes."


@contextmanager
def database_down(store: Store) -> Iterator[None]:
    """Every statement on the store fails, as with a database stopped under traffic."""

    def refuse(*_args: object) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    event.listen(store.engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(store.engine, "before_cursor_execute", refuse)


@pytest.mark.parametrize("change", ["NEET for October 2026 is 5.1%", "5.1", "snooze until Monday", "undo"])
def test_a_change_sent_while_the_store_is_down_is_answered_nothing_recorded(store: Store, change: str) -> None:
    bot = Bot(store, today=lambda: TODAY)
    maya = bot.person_by_email(MAYA)
    before = bot.answer(Message("what is the latest NEET rate?", maya, "c1"), render_charts=False).facts["values"]
    with database_down(store):
        answer = bot.answer(Message(change, maya, "c1"), render_charts=False)
    assert answer.replies[0].text == NOT_RECORDED
    after = Bot(store, today=lambda: TODAY).answer(Message("what is the latest NEET rate?", maya, "c2"),
                                                   render_charts=False).facts["values"]
    assert after == before


def test_a_question_while_the_store_is_down_goes_to_the_channel_to_apologise(store: Store) -> None:
    bot = Bot(store, today=lambda: TODAY)
    with database_down(store), pytest.raises(OperationalError):
        bot.answer(Message("what is the latest NEET rate?", bot.person_by_email(MAYA), "c1"), render_charts=False)
