"""Return reminders derived from the data: which rung of the ladder falls on a day for each return
still outstanding, to whom (`reminders_on`, the preview behind `perfbot reminders`), and the sweep
that writes the rungs falling since the last sweep to the outbox (`sweep_reminders`). Snoozed
people's reminders are queued all the same; the dispatcher holds them until the snooze ends."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable, NamedTuple

from sqlalchemy import text

from data_access.audit import audited_count
from data_access.models import SweepState
from data_access.periods import parse_period
from data_access.store import Store
from schedules.ladder import Audience, Stage, stage_on
from schedules.outbox import enqueue_reminders
from schedules.returns import Return, outstanding_returns
from schedules.working_time import WorkingTime

SWEEP = "reminders"
CATCH_UP = timedelta(days=10)


class Reminder(NamedTuple):
    """One reminder for one person: the return, its deadline, the rung and why they get it."""

    recipient: str
    why: str
    indicator: str
    period: str
    deadline: date
    stage: str
    overdue_days: int

    def as_dict(self) -> dict:
        """The preview row of `perfbot reminders --json`."""
        return {"recipient": self.recipient, "indicator": self.indicator, "period": self.period,
                "deadline": self.deadline.isoformat(), "stage": self.stage, "why": self.why,
                "overdue_working_days": self.overdue_days}


def snoozed_people(store: Store, moment: datetime) -> dict[str, datetime]:
    """People whose reminders are snoozed at `moment`, with until when."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT email, until FROM reminder_pause WHERE kind = 'snooze'")).all()
    found: dict[str, datetime] = {}
    for email, until in rows:
        until = _aware(until)
        if until > moment:
            found[email] = max(until, found.get(email, until))
    return found


def _aware(value) -> datetime:
    """A stored time as an aware datetime (SQLite gives naive text back)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _held(owed: Return, moment: datetime) -> bool:
    return owed.paused_until is not None and _aware(owed.paused_until) > moment


def _rungs(store: Store, day: date, working: WorkingTime, audience: Audience,
           rung_for: Callable[[Return], Stage | None]) -> Iterator[tuple[Return, Stage, int]]:
    """Each return outstanding on `day` (and not held back) at the rung `rung_for(return)` gives,
    with the number of the audience that rung reaches."""
    moment = working.opening(day)
    for item in outstanding_returns(store, day, working=working):
        if _held(item, moment):
            continue
        stage = rung_for(item)
        if stage is not None:
            yield item, stage, audience.group(item, stage)


def reminders_on(store: Store, day: date, working: WorkingTime | None = None) -> list[Reminder]:
    """Exactly the reminders the ladder sends on `day` for the returns outstanding in the data."""
    working = working or WorkingTime()
    audience = Audience(store)
    snoozed = snoozed_people(store, working.opening(day))
    rungs = _rungs(store, day, working, audience, lambda owed: stage_on(owed.deadline, day, working))
    planned = [Reminder(email, why, item.indicator_code, item.period, item.deadline, stage.name, max(stage.offset, 0))
               for item, stage, number in rungs for email, why in audience.groups[number] if email not in snoozed]
    return sorted(planned, key=lambda r: (r.recipient, r.deadline, r.indicator))


def sweep_reminders(store: Store, now: datetime, working: WorkingTime | None = None) -> int:
    """Queue the rungs that fell since the last sweep (today's, or the latest of a gap of up to
    CATCH_UP days), for every outstanding return; returns how many were new. A repeat sweep on the
    same day with nothing changed in the data does nothing."""
    working = working or WorkingTime()
    day = working.local_date(now)
    version = audited_count(store.engine)
    with store.sessions() as session:
        state = session.get(SweepState, SWEEP)
        last = (state.day, state.version) if state else None
    if last == (day, version):
        return 0
    first = max(last[0] + timedelta(days=1), day - CATCH_UP) if last and last[0] < day else day

    @lru_cache(maxsize=None)
    def latest_rung(deadline: date, start: date) -> Stage | None:
        current = day
        while current >= start:
            stage = stage_on(deadline, current, working)
            if stage is not None:
                return stage
            current -= timedelta(days=1)
        return None

    def rung_for(owed: Return) -> Stage | None:
        """The latest rung since the last sweep; for a return whose period has only just ended, a rung
        that fell before the end (a notice on 31 December) counts too."""
        ended = parse_period(owed.period).end
        return latest_rung(owed.deadline, min(first, ended - CATCH_UP) if ended >= first - timedelta(days=1) else first)

    audience = Audience(store)
    rungs = [(item.indicator_code, item.period, item.deadline.isoformat(), stage.name, max(stage.offset, 0), number)
             for item, stage, number in _rungs(store, day, working, audience, rung_for)]
    people = [(number, email, why) for number, group in enumerate(audience.groups) for email, why in group]
    due_at = working.next_opening(max(now, working.opening(day)))
    with store.sessions.begin() as session:
        added = enqueue_reminders(session, rungs, people, due_at, now)
        state = session.get(SweepState, SWEEP)
        if state is None:
            session.add(SweepState(name=SWEEP, day=day, version=version))
        elif state.day <= day:
            state.day, state.version = day, version
    return added
