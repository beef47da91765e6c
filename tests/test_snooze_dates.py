"""Snoozes and "not available until" dates always lie in the future: the next such weekday after
the real day, even when the question is answered as of an earlier day."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message
from schedules.reminders import snoozed_people

MAYA = "maya.rowe@demo-council.example"


def snooze(store, text: str, clock: datetime, today: date) -> datetime:
    store.clock = lambda: clock
    bot = Bot(store, today=lambda: today)
    answer = bot.answer(Message(text, bot.person_by_email(MAYA), f"m-{text}"), render_charts=False)
    return datetime.fromisoformat(answer.facts["snoozed_until"])


def test_snooze_until_monday_on_a_tuesday_is_next_monday(store) -> None:
    tuesday = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    until = snooze(store, "snooze until Monday", tuesday, date(2026, 11, 27))  # answered as of Friday 27th
    assert until == datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc)
    assert snoozed_people(store, tuesday) == {MAYA: until}


def test_snooze_until_a_weekday_on_that_weekday_after_opening_is_a_week_later(store) -> None:
    monday_noon = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    assert snooze(store, "snooze until Monday", monday_noon, date(2026, 11, 30)) == \
        datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["snooze until Monday", "snooze until friday", "remind me tomorrow",
                                  "snooze my reminders", "snooze until next week", "snooze until 30 November"])
def test_every_snooze_ends_after_it_was_asked_for(store, text: str) -> None:
    for offset in range(0, 9):
        clock = datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc) + timedelta(days=offset)
        until = snooze(store, text, clock, clock.date() - timedelta(days=4))
        assert until > clock, (text, clock, until)
        if "November" not in text:  # a weekday, tomorrow or next week: within the next week or so
            assert until - clock <= timedelta(days=12), (text, clock, until)
