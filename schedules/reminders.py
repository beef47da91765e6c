"""Return reminders derived from the data: which rung of the ladder falls on a day for each return
still outstanding, to whom (`reminders_on`, the preview behind `perfbot reminders`), and the sweep
that writes the rung in force to the outbox (`sweep_reminders`)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import text

from data_access.store import Store
from schedules.ladder import Audience, Stage, current_stage, stage_on
from schedules.outbox import enqueue_many
from schedules.returns import Return, outstanding_returns
from schedules.working_time import WorkingTime


@dataclass(frozen=True)
class Reminder:
    """One reminder for one person: the return, its deadline, the rung and why they get it."""

    recipient: str
    why: str
    indicator: str
    period: str
    deadline: date
    stage: str
    overdue_days: int

    def key(self) -> str:
        """The outbox idempotency key: kind, indicator, period, recipient, stage."""
        return f"reminder|{self.indicator}|{self.period}|{self.recipient}|{self.stage}"

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


def _plan(store: Store, day: date, working: WorkingTime, pick) -> list[Reminder]:
    moment = working.opening(day)
    snoozed = snoozed_people(store, moment)
    audience = Audience(store)
    planned = []
    for owed in outstanding_returns(store, day, working=working):
        if _held(owed, moment):
            continue
        stage: Stage | None = pick(owed.deadline, day, working)
        if stage is None:
            continue
        for email, why in audience.recipients(owed, stage):
            if email not in snoozed:
                planned.append(Reminder(email, why, owed.indicator_code, owed.period, owed.deadline, stage.name,
                                        max(stage.offset, 0)))
    return sorted(planned, key=lambda r: (r.recipient, r.deadline, r.indicator))


def reminders_on(store: Store, day: date, working: WorkingTime | None = None) -> list[Reminder]:
    """Exactly the reminders the ladder sends on `day` for the returns outstanding in the data."""
    return _plan(store, day, working or WorkingTime(), stage_on)


def sweep_reminders(store: Store, now: datetime, working: WorkingTime | None = None) -> int:
    """Queue the rung in force today for every outstanding return; returns how many were new."""
    working = working or WorkingTime()
    day = working.local_date(now)
    planned = _plan(store, day, working, current_stage)
    due_at = working.next_opening(max(now, working.opening(day)))
    rows = [{"key": r.key(), "kind": "reminder", "recipient": r.recipient, "indicator_code": r.indicator,
             "geography_code": None, "period": r.period, "stage": r.stage, "status": "pending", "due_at": due_at,
             "created_at": now, "payload": json.dumps(r.as_dict(), sort_keys=True)} for r in planned]
    with store.sessions.begin() as session:
        return enqueue_many(session, rows)
