"""The append-only audit log: one entry per change, with who, when, what, old and new value and why."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from data_access.database import reading
from data_access.models import AuditEntry

RECENT = 1000  # audit ids that audit_version() watches for changes committing out of order
VERSION = (f"SELECT coalesce(max(id), 0), count(*) FROM audit_log "
           f"WHERE id > (SELECT coalesce(max(id), 0) FROM audit_log) - {RECENT}")


def as_text(value: Any) -> str | None:
    """How a value is written in the audit log: text as is, anything else as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str, sort_keys=True)


def record_change(session: Session, at: datetime, actor: str, action: str, entity: str,
                  entity_key: str, old: Any = None, new: Any = None, reason: str | None = None) -> None:
    """Append one audit entry in the caller's transaction (so it commits or rolls back with the change)."""
    session.add(AuditEntry(at=at, actor=actor, action=action, entity=entity, entity_key=entity_key,
                           old_value=as_text(old), new_value=as_text(new), reason=reason))


def audited_count(engine: Engine) -> int:
    """How many changes have ever been audited. Every write that can change what the bot says is
    audited, and the count only grows; unlike the highest id it also moves when a change commits
    after one with a higher id (PostgreSQL takes the id at insert, not at commit)."""
    with reading(engine) as connection:
        return int(connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one())


def audit_version(engine: Engine) -> tuple[int, int]:
    """A cheap version of everything audited, for caches read at every message: the highest id,
    and how many of the last RECENT ids are visible — that count moves when a change commits out
    of order, unless more than RECENT others commit while it is in flight. Asked through the
    driver's own cursor (SQLAlchemy's statement handling costs five times the query), outside a
    transaction (see data_access.database.reading)."""
    with reading(engine) as connection:
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.execute(VERSION)
            highest, recent = cursor.fetchone()
        finally:
            cursor.close()
    return int(highest), int(recent)
