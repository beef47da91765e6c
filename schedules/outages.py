"""A channel that keeps failing, told to the performance team once per outage, and the state of
every delivery still waiting, as `perfbot alerts` and `perfbot reminders` show it.

An outage of a channel is named by the channel's last successful delivery before it: every
delivery failing in the same outage names the same one, so the report to each member of the
performance team has one idempotency key (`outage|slack|<last success>|<e-mail>`) however many
deliveries, runs and processes reach the threshold. It is queued in the outbox (recorded before it
is sent) and goes through a chat channel other than the failing one where one reaches the person,
or else waits in the failing channel's queue and arrives once when the channel is back. Once the
channel delivers again, its last success moves on, so a later outage is reported again."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select

from bot.core.format import period_text
from bot.core.messages import Reply, TextReply
from data_access.models import Delivery, Notification
from data_access.store import Store
from schedules.outbox import enqueue_many, utc
from schedules.working_time import LONDON

OUTAGE = "outage"
CHANNEL_NAMES = {"slack": "Slack", "teams": "Microsoft Teams", "inbox": "the perfbot inbox"}
WAITING = ("sending", "retry")


def _aware(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives naive UTC back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _clock(moment: datetime, now: datetime) -> str:
    """'09:00' today, '17 Nov 09:00' another day (London time)."""
    local, today = _aware(moment).astimezone(LONDON), _aware(now).astimezone(LONDON).date()
    return f"{local:%H:%M}" if local.date() == today else f"{local:%d %b %H:%M}"


def delivery_state(status: str | None, attempts: int, last_error: str | None, since: datetime | None,
                   now: datetime) -> str | None:
    """How a waiting delivery stands, for people: 'retrying after 9 failed attempts:
    service_unavailable / HTTP 503 since 09:00'; None for one that is not retrying."""
    if status != "retry":
        return None
    failing = f" since {_clock(since, now)}" if since is not None else ""
    return f"retrying after {attempts} failed attempt{'s' if attempts != 1 else ''}: {last_error or 'unknown error'}{failing}"


def report_outage(store: Store, channel: str, error: str, since: datetime, now: datetime) -> int:
    """Queue the report that `channel` keeps failing (since `since`, with `error`) to each member of
    the performance team, unless this outage was reported already; how many were new."""
    team = [p.email for p in store.people() if "performance_team" in (p.roles or "")]
    with store.sessions.begin() as session:
        last = session.scalar(select(func.max(Delivery.sent_at)).where(Delivery.channel == channel))
        outage = utc(_aware(last)).isoformat() if last is not None else "never"
        payload = json.dumps({"channel": channel, "error": error, "since": utc(_aware(since)).isoformat()})
        return enqueue_many(session, [{"key": f"{OUTAGE}|{channel}|{outage}|{email}", "kind": OUTAGE, "recipient": email,
                                       "indicator_code": None, "geography_code": None, "period": None,
                                       "stage": channel, "payload": payload, "due_at": now, "status": "pending",
                                       "created_at": now} for email in team])


def failing_channel(key: str) -> str:
    """The channel an outage report (by its delivery key) is about."""
    return key.split("|")[1]


def outage_message(payload: dict, now: datetime) -> list[Reply]:
    """The report to the performance team."""
    channel = CHANNEL_NAMES.get(payload["channel"], payload["channel"])
    return [TextReply(
        f"⚠ perfbot cannot reach people through {channel}: deliveries have kept failing since "
        f"{_clock(datetime.fromisoformat(payload['since']), now)} ({payload['error']}). Nothing is lost — they are "
        f"retried, at most hourly, until {channel} answers again. `perfbot reminders` and `perfbot alerts` list "
        "what is waiting.")]


@dataclass
class Waiting:
    """A reminder delivery not yet delivered: to whom, what it carries, how it stands."""

    recipient: str
    returns: list[str]
    state: str


def waiting_reminders(store: Store, now: datetime) -> list[Waiting]:
    """Reminder deliveries still waiting to go out, oldest first, with their state."""
    with store.sessions() as session:
        found = session.execute(select(Delivery, Notification.indicator_code, Notification.period)
                                .join(Notification, Notification.delivery_id == Delivery.id)
                                .where(Delivery.status.in_(WAITING), Notification.kind == "reminder")
                                .order_by(Delivery.id, Notification.indicator_code, Notification.period)).all()
    waiting: dict[int, Waiting] = {}
    for delivery, indicator, period in found:
        state = delivery_state(delivery.status, delivery.attempts, delivery.last_error, delivery.created_at, now) \
            or "being sent"
        entry = waiting.setdefault(delivery.id, Waiting(delivery.recipient, [], state))
        name = store.indicators["name"].get(indicator, indicator) if "name" in store.indicators else indicator
        entry.returns.append(f"{name} for {period_text(period)}")
    return list(waiting.values())

