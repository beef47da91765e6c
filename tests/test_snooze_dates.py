"""Snoozes and "not available until" dates always lie in the future: the next such weekday after
the real day, even when the question is answered as of an earlier day."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

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
    for offset in range(0, 4 if "November" in text else 9):  # 30 November is refused from that day on
        clock = datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc) + timedelta(days=offset)
        until = snooze(store, text, clock, clock.date() - timedelta(days=4))
        assert until > clock, (text, clock, until)
        if "November" not in text:  # a weekday, tomorrow or next week: within the next week or so
            assert until - clock <= timedelta(days=12), (text, clock, until)


DECEMBER_1 = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def ask(store, text: str, who: str = MAYA, conversation: str = "past"):
    store.clock = lambda: DECEMBER_1
    bot = Bot(store, today=lambda: DECEMBER_1.date())
    return bot.answer(Message(text, bot.person_by_email(who), conversation), render_charts=False)


def pauses(store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM reminder_pause")).scalar_one())


@pytest.mark.parametrize("said, passed", [("snooze until 30 November", "30 November 2026 has already passed"),
                                          ("snooze until 2026-11-03", "3 November 2026 has already passed"),
                                          ("snooze until 1 December", "1 December 2026 is today")])
def test_a_snooze_until_a_past_date_is_refused_and_nothing_stored(store, said: str, passed: str) -> None:
    answer = ask(store, said)
    assert answer.facts["answer"] == f"{passed} — give a date after today, e.g. “snooze until 8 December”."
    assert "snoozed_until" not in answer.facts and pauses(store) == 0
    assert snoozed_people(store, DECEMBER_1) == {}


def test_not_available_until_a_past_date_is_refused_and_nothing_stored(store) -> None:
    answer = ask(store, "NEET for October not available until 3 November: the careers service is late")
    assert answer.facts["answer"] == ("3 November 2026 has already passed — give a date after today, "
                                      "e.g. “not available until 8 December”.")
    assert "paused_until" not in answer.facts and pauses(store) == 0


def test_dates_ahead_still_hold_next_years_and_weekdays_the_next_such_day(store) -> None:
    assert ask(store, "snooze until 5 January", conversation="a").facts["snoozed_until"].startswith("2027-01-05")
    assert ask(store, "snooze until Monday", conversation="b").facts["snoozed_until"].startswith("2026-12-07")
    noted = ask(store, "NEET for October not available until 3 February: the careers service is late", conversation="c")
    assert noted.facts["paused_until"].startswith("2027-02-03")
