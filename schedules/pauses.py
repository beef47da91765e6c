"""Holding reminders back: a person's snooze ("snooze until Monday", "remind me tomorrow") and a
return marked not available until a date, with the reason — both audited."""
from __future__ import annotations

from datetime import datetime

from data_access.audit import record_change
from data_access.models import ReminderPause
from data_access.store import Store
from schedules.outbox import utc


def snooze(store: Store, email: str, until: datetime, by: str) -> None:
    """No reminders for `email` until `until`."""
    now = store.clock()
    with store.sessions.begin() as session:
        session.add(ReminderPause(kind="snooze", email=email, until=utc(until), created_by=by, created_at=now))
        record_change(session, now, by, "snooze", "reminders", email, None, until.isoformat())


def mark_unavailable(store: Store, indicator: str, period: str, until: datetime, reason: str, by: str) -> None:
    """The return for `indicator` and `period` cannot be made before `until`: hold its reminders."""
    now = store.clock()
    with store.sessions.begin() as session:
        session.add(ReminderPause(kind="unavailable", indicator_code=indicator, period=period, until=utc(until),
                                  reason=reason, created_by=by, created_at=now))
        record_change(session, now, by, "unavailable", "return", f"{indicator}|{period}", None, until.isoformat(), reason)
