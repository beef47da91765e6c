"""The perfbot inbox as the web page reads it — the notifications the scheduler delivered to a person
(reminders, alerts, digests) after a given id — and the demo clock as the page shows it."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from bot.core.messages import reply_from_dict
from bot.web.clock import DemoClock, label
from bot.web.render import replies_json
from data_access.models import InboxMessage
from data_access.store import Store
from schedules.working_time import WorkingTime

PAGE = 50
KINDS = {"reminder": "Reminder", "alert": "Alert", "recovery": "Recovered", "digest": "Digest"}


def _aware(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite hands back naive UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def inbox_after(store: Store, email: str, after: int) -> list[dict[str, Any]]:
    """The person's inbox messages with an id above `after`, oldest first (at most PAGE)."""
    with store.sessions() as session:
        rows = session.scalars(select(InboxMessage).where(InboxMessage.recipient == email, InboxMessage.id > after)
                               .order_by(InboxMessage.id).limit(PAGE)).all()
    return [{"id": row.id, "kind": KINDS.get(row.key.split("|", 1)[0], "Notification"),
             "at": _aware(row.delivered_at).isoformat(), "at_label": label(_aware(row.delivered_at)),
             "replies": replies_json([reply_from_dict(r) for r in json.loads(row.body)])} for row in rows]


def clock_json(clock: DemoClock, working: WorkingTime) -> dict[str, Any]:
    """The demo clock as the page shows it."""
    now = clock.now()
    return {"now": now.isoformat(), "date": clock.today().isoformat(), "label": label(now),
            "working": working.is_open(now)}
