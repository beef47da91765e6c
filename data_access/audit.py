"""The append-only audit log: one entry per change, with who, when, what, old and new value and why."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from data_access.models import AuditEntry


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
