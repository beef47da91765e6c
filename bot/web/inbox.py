"""The perfbot inbox as the web page reads it — the notifications the scheduler delivered to a person
(reminders, alerts, digests) after a given id — and the demo clock as the page shows it."""
from __future__ import annotations

from typing import Any

from bot.web.clock import DemoClock, label
from bot.web.render import replies_json
from data_access.store import Store
from schedules.channels import inbox_messages
from schedules.working_time import WorkingTime

PAGE = 50


def inbox_after(store: Store, email: str, after: int) -> list[dict[str, Any]]:
    """The person's inbox messages with an id above `after`, oldest first (at most PAGE)."""
    return [{"id": item.id, "kind": item.kind, "at": item.delivered_at.isoformat(), "at_label": label(item.delivered_at),
             "replies": replies_json(item.replies)} for item in inbox_messages(store, email, after, PAGE)]


def clock_json(clock: DemoClock, working: WorkingTime) -> dict[str, Any]:
    """The demo clock as the page shows it."""
    now = clock.now()
    return {"now": now.isoformat(), "date": clock.today().isoformat(), "label": label(now),
            "working": working.is_open(now)}
