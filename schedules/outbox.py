"""The notification outbox: queue items once per idempotency key (a second attempt with the same
key does nothing, whichever process makes it), and cancel or postpone pending items."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data_access.models import Notification

COLUMNS = ("key", "kind", "recipient", "indicator_code", "geography_code", "period", "stage", "payload", "due_at",
           "status", "created_at")


def utc(moment: datetime) -> datetime:
    """An aware time in UTC: every time the outbox stores or compares is in UTC (SQLite keeps no zone)."""
    return moment.astimezone(timezone.utc)


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> int:
    """Queue many items at once (each a dict of Notification columns); keys already queued are skipped.
    Returns how many were new. Uses the driver's executemany directly: a sweep may queue 100,000 rows.
    Times are stored in UTC (on SQLite as SQLAlchemy's DateTime stores them, so ORM reads agree)."""
    if not rows:
        return 0
    count = select(func.count()).select_from(Notification)
    before = session.scalar(count)
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    marks = ", ".join(["%s" if postgres else "?"] * len(COLUMNS))
    bound: dict[datetime, Any] = {}
    for name in ("due_at", "created_at"):
        for moment in {row[name] for row in rows}:
            bound[moment] = utc(moment) if postgres else utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")
    values = [(row["key"], row["kind"], row["recipient"], row["indicator_code"], row["geography_code"], row["period"],
               row["stage"], row["payload"], bound[row["due_at"]], row["status"], bound[row["created_at"]])
              for row in rows]
    connection.exec_driver_sql(f"INSERT INTO notification ({', '.join(COLUMNS)}) VALUES ({marks}) "
                               "ON CONFLICT (key) DO NOTHING", values)
    return session.scalar(count) - before


def cancel(session: Session, ids: list[int], why: str) -> int:
    """Cancel pending items (e.g. the value arrived before the reminder went out)."""
    if not ids:
        return 0
    return session.execute(update(Notification).where(Notification.id.in_(ids), Notification.status == "pending")
                           .values(status="cancelled", note=why)).rowcount


def postpone(session: Session, ids: list[int], until: datetime, why: str) -> int:
    """Hold pending items back until a later time (a snooze, or one message per person per day)."""
    if not ids:
        return 0
    return session.execute(update(Notification).where(Notification.id.in_(ids), Notification.status == "pending")
                           .values(due_at=utc(until), note=why)).rowcount
