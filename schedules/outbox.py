"""The notification outbox: queue items once per idempotency key (a second attempt with the same
key does nothing, whichever process makes it), and cancel or postpone pending items."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data_access.models import Notification


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> int:
    """Queue many items at once (each a dict of Notification columns); keys already queued are skipped.
    Returns how many were new."""
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    before = session.scalar(select(func.count()).select_from(Notification))
    session.execute(dialect.insert(Notification).on_conflict_do_nothing(index_elements=["key"]), rows)
    return session.scalar(select(func.count()).select_from(Notification)) - before


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
                           .values(due_at=until, note=why)).rowcount
