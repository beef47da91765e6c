"""The dispatcher: delivers what is due in the outbox during working hours, one message per person
per kind per day, through the person's channel, with retries and backoff.

Each message is first written as a `Delivery` ('sending', with a lease) together with the outbox
items it carries, then sent, then marked 'sent'. A crash before sending leaves items pending or a
delivery leased; a crash after sending leaves a delivery 'sending', which is resent with the same
key once the lease runs out, and the channel keeps the key once. Items whose return is in, or
marked not available, by the time they would be sent are cancelled instead."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.core.messages import reply_from_dict, reply_to_dict
from bot.core.people import from_row
from data_access.models import Delivery, Notification
from data_access.store import Store
from schedules.channels import Senders
from schedules.compose import reminder_message
from schedules.outbox import cancel, postpone, utc
from schedules.reminders import snoozed_people
from schedules.returns import outstanding_returns
from schedules.working_time import WorkingTime

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """Wait before retry `attempts`: 30 s, 1, 2, 4… minutes, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


@dataclass
class DispatchReport:
    """What one dispatcher run did."""

    sent: list[str] = field(default_factory=list)
    cancelled: int = 0
    retrying: int = 0
    failed: int = 0


def dispatch(store: Store, now: datetime, senders: Senders, working: WorkingTime | None = None) -> DispatchReport:
    """Deliver everything due (only in working hours); returns what happened."""
    working = working or WorkingTime()
    report = DispatchReport()
    now = utc(now)
    if not working.is_open(now):
        return report
    report.cancelled = _cancel_answered(store, now, working)
    _hold_snoozed(store, now)
    _claim(store, now, working)
    with store.sessions() as session:
        due = session.scalars(select(Delivery.id).where(Delivery.status.in_(("sending", "retry")),
                                                        Delivery.next_attempt_at <= now).order_by(Delivery.id)).all()
    for delivery_id in due:
        _send(store, delivery_id, now, senders, report)
    return report


def _cancel_answered(store: Store, now: datetime, working: WorkingTime) -> int:
    """Cancel pending reminders whose value has arrived or whose return is marked not available."""
    owed = {(r.indicator_code, r.period): r for r in outstanding_returns(store, working.local_date(now), working=working)}
    with store.sessions.begin() as session:
        pending = session.execute(select(Notification.id, Notification.indicator_code, Notification.period)
                                  .where(Notification.status == "pending", Notification.kind == "reminder")).all()
        answered = [row.id for row in pending if (row.indicator_code, row.period) not in owed]
        held = [row.id for row in pending if (row.indicator_code, row.period) in owed
                and owed[(row.indicator_code, row.period)].paused_until is not None]
        return cancel(session, answered, "the value is in") + cancel(session, held, "marked not available")


def _hold_snoozed(store: Store, now: datetime) -> None:
    """Postpone pending reminders of people who snoozed them."""
    for email, until in snoozed_people(store, now).items():
        with store.sessions.begin() as session:
            ids = session.scalars(select(Notification.id).where(
                Notification.status == "pending", Notification.kind == "reminder",
                Notification.recipient == email, Notification.due_at < until)).all()
            postpone(session, list(ids), until, "snoozed")


def _claim(store: Store, now: datetime, working: WorkingTime) -> None:
    """Group due items into one delivery per recipient and kind per day (later ones wait a day)."""
    today = working.local_date(now)
    with store.sessions.begin() as session:
        query = select(Notification).where(Notification.status == "pending", Notification.due_at <= now) \
            .order_by(Notification.recipient, Notification.id)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        items = session.scalars(query).all()
        groups: dict[tuple[str, str], list[Notification]] = {}
        for item in items:
            groups.setdefault((item.recipient, item.kind), []).append(item)
        for (recipient, kind), group in groups.items():
            key = f"{kind}|{recipient}|{today.isoformat()}"
            if session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None:
                postpone(session, [n.id for n in group], working.opening(working.add_working_days(today, 1)),
                         "one message a day")
                continue
            replies = reminder_message(store, recipient, group, today)
            delivery = Delivery(key=key, recipient=recipient, channel="", status="sending", attempts=0,
                                body=json.dumps([reply_to_dict(r) for r in replies], ensure_ascii=False),
                                next_attempt_at=now, created_at=now)
            session.add(delivery)
            session.flush()
            session.execute(update(Notification).where(Notification.id.in_([n.id for n in group]))
                            .values(status="sending", delivery_id=delivery.id))


def _send(store: Store, delivery_id: int, now: datetime, senders: Senders, report: DispatchReport) -> None:
    """Send one delivery under a lease; mark it sent, or schedule a retry, or give up loudly."""
    with store.sessions.begin() as session:
        leased = session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.next_attempt_at <= now,
                                                        Delivery.status.in_(("sending", "retry")))
                                 .values(next_attempt_at=now + LEASE, attempts=Delivery.attempts + 1)).rowcount
        delivery = session.get(Delivery, delivery_id)
    if not leased:
        return
    person = store.person(delivery.recipient)
    sender = senders.for_recipient(delivery.recipient, from_row(person) if person else None)
    replies = [reply_from_dict(r) for r in json.loads(delivery.body)]
    try:
        reference = sender.deliver(delivery.recipient, replies, delivery.key)
    except Exception as error:  # a channel failure of any kind is recorded and retried, never dropped
        _failed(store, delivery, now, f"{type(error).__name__}: {error}", report)
        return
    with store.sessions.begin() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery_id).values(
            status="sent", sent_at=now, channel=sender.name, reference=reference, last_error=None))
        session.execute(update(Notification).where(Notification.delivery_id == delivery_id).values(status="sent"))
    report.sent.append(delivery.key)


def _failed(store: Store, delivery: Delivery, now: datetime, error: str, report: DispatchReport) -> None:
    gave_up = delivery.attempts >= MAX_ATTEMPTS
    with store.sessions.begin() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery.id).values(
            status="failed" if gave_up else "retry", last_error=error[:2000],
            next_attempt_at=now + backoff(delivery.attempts)))
        if gave_up:
            session.execute(update(Notification).where(Notification.delivery_id == delivery.id).values(status="failed"))
    if gave_up:
        report.failed += 1
        log.error("gave up delivering %s after %d attempts: %s", delivery.key, delivery.attempts, error)
    else:
        report.retrying += 1
        log.warning("delivery %s failed (attempt %d), retrying: %s", delivery.key, delivery.attempts, error)
