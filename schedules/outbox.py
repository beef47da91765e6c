"""The notification outbox: queue an item once per idempotency key (a second attempt with the same
key does nothing, whichever process makes it), and cancel or postpone pending items."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data_access.models import Notification


def enqueue(session: Session, key: str, kind: str, recipient: str, due_at: datetime, now: datetime,
            payload: dict[str, Any], indicator: str | None = None, place: str | None = None,
            period: str | None = None, stage: str | None = None) -> bool:
    """Queue one item unless its key is already in the outbox; True when it was new."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Notification).values(
        key=key, kind=kind, recipient=recipient, indicator_code=indicator, geography_code=place, period=period,
        stage=stage, payload=json.dumps(payload, sort_keys=True, default=str), due_at=due_at, status="pending",
        created_at=now).on_conflict_do_nothing(index_elements=["key"])
    return session.execute(statement).rowcount == 1


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
