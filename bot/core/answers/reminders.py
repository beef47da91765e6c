"""Answers that steer the reminders: "snooze until Monday", "remind me tomorrow", and "not
available: data comes from the NHS on 3 December" (records the reason and holds that return's
reminders until then)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.core.answers.common import Ask, Draft
from bot.core.people import may_submit
from intents.dates import read_date
from intents.text import normalise
from intents.when import read_when
from schedules.pauses import mark_unavailable, snooze
from schedules.returns import owners_for
from schedules.working_time import WorkingTime

RECENT_PAST = timedelta(days=183)


def answer_snooze(ask: Ask, text: str) -> Draft:
    """Hold the asker's reminders until the day named (default: the next working day)."""
    draft = Draft()
    if ask.person is None:
        return draft.say("I don't know who you are, so there are no reminders of yours to snooze.")
    working = WorkingTime()
    now, today = _now(ask, working)
    day = read_date(normalise(text), today)
    passed = _passed(day, text, today)
    if passed:
        return draft.say(passed + f" e.g. “snooze until {today + timedelta(days=7):%-d %B}”.")
    until = _future_opening(working, day or working.add_working_days(today, 1), now)
    snooze(ask.lookup.store, ask.person.email, until, ask.person.email)
    draft.facts.update(snoozed_until=until.isoformat())
    return draft.say(f"OK — no reminders until {until:%A} {until.day} {until:%B}, {until:%H:%M}. Anything still outstanding then will be "
                     "in that morning's message.")


def answer_unavailable(ask: Ask, text: str) -> Draft:
    """Mark a return not available until a date, with the reason, and hold its reminders."""
    draft = Draft()
    if ask.person is None:
        return draft.say("I don't know who you are, so I can't change reminders.")
    owners = owners_for(ask.lookup.store, ask.person.email)
    owed = [r for r in ask.lookup.outstanding(ask.council, ask.today) if r.owner_email in owners
            or ask.person.has_role("performance_team")]
    code = ask.query.indicator
    period = _named_period(ask, text)
    matching = [r for r in owed if (code is None or r.indicator_code == code) and (period is None or r.period == period)]
    if len(matching) != 1:
        draft.say("Which return is not available? Say e.g. “NEET for October not available: data comes from the "
                  "careers service on 3 December”.")
        draft.choices = [(f"{r.indicator_code} {r.period}", f"{r.indicator_code} {r.period} not available: ")
                         for r in matching[:5]]
        return draft
    chosen = matching[0]
    info = ask.lookup.indicator(chosen.indicator_code)
    if not may_submit(ask.person, info["owner_email"], ask.lookup.store.delegators(ask.person.email)):
        return draft.say(f"Only the owner of *{info['name']}*, their delegates or the performance team can say that.")
    now, today = _now(ask, working := WorkingTime())
    day = read_date(normalise(text), today)
    if day is None:
        return draft.say("Until when? Add the date the data will come, e.g. “… not available until 3 December”.")
    passed = _passed(day, text, today)
    if passed:
        return draft.say(passed + f" e.g. “not available until {today + timedelta(days=7):%-d %B}”.")
    reason = text.split(":", 1)[1].strip() if ":" in text else text.strip()
    until = _future_opening(working, day, now)
    mark_unavailable(ask.lookup.store, chosen.indicator_code, chosen.period, until, reason[:500], ask.person.email)
    draft.facts.update(indicator=chosen.indicator_code, period=chosen.period, paused_until=until.isoformat())
    return draft.say(f"Noted: *{info['name']}*, {chosen.period} is not available until {until:%A} {until.day} {until:%B} — "
                     f"“{reason}”. Reminders for it are paused until then.")


def _named_period(ask: Ask, text: str) -> str | None:
    """The period of the return named before "not available" (or the colon), if any: a date in
    the reason or after "until" ("… until 3 December") says when the data comes, not which return."""
    if ask.query.when.period is None:
        return None
    head = re.split(r"not available|:", text, maxsplit=1, flags=re.I)[0]
    named = read_when(normalise(head), ask.today)[0].period if head.strip() else None
    return named.label if named else None


def _now(ask: Ask, working: WorkingTime) -> tuple[datetime, date]:
    """The store's clock and the day to read dates from: the later of the question's today and the
    clock's (a question answered "as of" a past day still snoozes from the real day)."""
    now = ask.lookup.store.clock()
    return now, max(ask.today, working.local_date(now))


def _passed(day: date | None, text: str, today: date) -> str | None:
    """The refusal for a date named explicitly that is today or already past — '3 November' said on
    1 December is 3 November 2026, not next year's (a date within the last six months, written
    without its year, reads as that one); None when the date lies ahead. Weekday names, "tomorrow"
    and "next week" always lie ahead."""
    if day is None:
        return None
    if day.year > today.year and str(day.year) not in text:
        try:
            written = day.replace(year=today.year)
        except ValueError:  # 29 February
            return None
        day = written if today - RECENT_PAST <= written <= today else day
    if day > today:
        return None
    when = "is today" if day == today else "has already passed"
    return f"{day.day} {day:%B %Y} {when} — give a date after today,"


def _future_opening(working: WorkingTime, day: date, now: datetime) -> datetime:
    """The opening of working day `day` (or the next one), a week later each time until it is after `now`."""
    until = working.opening(working.add_working_days(day, 0))
    while until <= now:
        day += timedelta(days=7)
        until = working.opening(working.add_working_days(day, 0))
    return until
