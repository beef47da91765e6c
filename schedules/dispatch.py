"""The dispatcher: delivers what is due in the outbox during working hours, through each
recipient's channel, with retries and backoff. Reminders go as one message per person per day;
alerts as one message per recipient per run (an import that turns six measures red makes one
message each, not six); a recovery rewrites the alert message it answers in place (or, where the
channel cannot, answers it); each digest is its own message.

Each message is first written as a `Delivery` ('sending', with a lease) together with the outbox
items it carries, then sent, then marked 'sent'. A crash before sending leaves items pending or a
delivery leased; a crash after sending leaves a delivery 'sending', which is resent with the same
key once the lease runs out, and the channel shows each part of it once (Slack checks each part's
key before sending it). Each lease runs from the moment it is taken, and a delivery is marked sent
only by the run whose lease it still is. Items whose return is in, or marked not available, by the
time they would be sent are cancelled instead, and so is a retrying reminder whose returns are in.

An outage is waited out: a failing delivery is retried with backoff (capped at an hour) for as long
as it matters — never marked failed for good while the channel might come back. When one has kept
failing for KEEPS_FAILING attempts it is logged once as an error and the outage is reported to
the performance team, once per outage of that channel (schedules/outages.py); `perfbot alerts` and
`perfbot reminders` show what is waiting, retrying, with its last error. A retrying alert whose
measures are no longer red is cancelled, with its recovery notice. The dispatcher stops at once
when `leading()` says this process no longer holds the scheduler lock (checked before each run and
each send)."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.messages import Person, Reply, TextReply, reply_from_dict, reply_to_dict
from bot.core.people import from_row
from data_access.models import AlertStatus, Delivery, Notification
from data_access.models import Person as PersonRow
from data_access.store import Store
from schedules.alerts import ALERT, RECOVERY
from schedules.channels import Sender, Senders
from schedules.compose import reminder_message
from schedules.digests import DIGEST, digest_message
from schedules.notice_charts import NoticeCharts
from schedules.notices import alert_message, is_alarm_payload, item_key, recovery_message
from schedules.outages import OUTAGE, failing_channel, outage_message, report_outage
from schedules.outbox import cancel, postpone, utc
from schedules.reminders import snoozed_people
from schedules.report_chasing import REPORT_REQUEST, cancel_given, request_message
from schedules.returns import outstanding_returns
from schedules.statuses import is_alarm
from schedules.working_time import WorkingTime

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
KEEPS_FAILING = 8


def backoff(attempts: int) -> timedelta:
    """Wait before retry `attempts`: 30 s, 1, 2, 4… minutes, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


@dataclass
class DispatchReport:
    """What one dispatcher run did."""

    sent: list[str] = field(default_factory=list)
    cancelled: int = 0
    retrying: int = 0
    stopped: bool = False


def dispatch(store: Store, now: datetime, senders: Senders, working: WorkingTime | None = None,
             leading: Callable[[], bool] | None = None) -> DispatchReport:
    """Deliver everything due (only in working hours, and only while `leading()`, if given, is
    True); returns what happened."""
    working = working or WorkingTime()
    report = DispatchReport()
    now = utc(now)
    started = time.monotonic()
    if not working.is_open(now) or not _still_leading(leading, report):
        return report
    report.cancelled = _cancel_answered(store, now, working) + cancel_given(store) + _cancel_recovered(store)
    _hold_snoozed(store, now)
    _claim(store, now, working)
    with store.sessions() as session:
        due = session.scalars(select(Delivery.id).where(Delivery.status.in_(("sending", "retry")),
                                                        Delivery.next_attempt_at <= now).order_by(Delivery.id)).all()
    charts = NoticeCharts(store)
    for delivery_id in due:
        if not _still_leading(leading, report):
            break
        taken = now + timedelta(seconds=time.monotonic() - started)
        _send(store, delivery_id, now, senders, report, charts, taken)
    return report


def _still_leading(leading: Callable[[], bool] | None, report: DispatchReport) -> bool:
    """False (and the run marked stopped) once this process no longer holds the scheduler lock."""
    if leading is None or leading():
        return True
    if not report.stopped:
        log.error("dispatcher stopped: this process no longer holds the scheduler lock")
    report.stopped = True
    return False


def _cancel_answered(store: Store, now: datetime, working: WorkingTime) -> int:
    """Cancel pending reminders whose value has arrived or whose return is marked not available,
    and retrying reminder deliveries whose every return is in or marked not available."""
    owed = {(r.indicator_code, r.period): r for r in outstanding_returns(store, working.local_date(now), working=working)}
    still_owed = {key for key, r in owed.items() if r.paused_until is None}
    with store.sessions.begin() as session:
        pending = session.execute(select(Notification.id, Notification.indicator_code, Notification.period)
                                  .where(Notification.status == "pending", Notification.kind == "reminder")).all()
        answered = [row.id for row in pending if (row.indicator_code, row.period) not in owed]
        held = [row.id for row in pending if (row.indicator_code, row.period) in owed
                and owed[(row.indicator_code, row.period)].paused_until is not None]
        cancelled = cancel(session, answered, "the value is in") + cancel(session, held, "marked not available")
        retrying = session.execute(select(Notification.delivery_id, Notification.indicator_code, Notification.period)
                                   .join(Delivery, Delivery.id == Notification.delivery_id)
                                   .where(Delivery.status == "retry", Notification.kind == "reminder")).all()
        carried: dict[int, set[tuple[str, str]]] = {}
        for row in retrying:
            carried.setdefault(row.delivery_id, set()).add((row.indicator_code, row.period))
        moot = [delivery for delivery, returns in carried.items() if not returns & still_owed]
        if moot:
            session.execute(update(Delivery).where(Delivery.id.in_(moot), Delivery.status == "retry")
                            .values(status="cancelled", last_error=None))
            cancelled += session.execute(update(Notification).where(Notification.delivery_id.in_(moot)).values(
                status="cancelled", note="the value is in, or marked not available, while the channel was failing")).rowcount
        return cancelled


def _cancel_recovered(store: Store) -> int:
    """Cancel retrying alert deliveries none of whose measures is still red (a corrected value, a
    recovery), with the recovery notices that would answer them: nobody heard of the red."""
    with store.sessions.begin() as session:
        carried = session.execute(select(Notification).join(Delivery, Delivery.id == Notification.delivery_id)
                                  .where(Delivery.status == "retry", Delivery.updates_delivery_id.is_(None),
                                         Notification.kind == ALERT)).scalars().all()
        recorded = {(row.rule, row.indicator_code, row.geography_code): row.status
                    for row in session.scalars(select(AlertStatus))}
        alarms: dict[int, list[Notification]] = {}
        for item in carried:
            alarms.setdefault(item.delivery_id, []).append(item)
        moot = [delivery for delivery, items in alarms.items()
                if not any(is_alarm(key[0], recorded.get(key)) for key in (item_key(json.loads(i.payload)) for i in items))]
        if not moot:
            return 0
        updates = session.scalars(select(Delivery.id).where(Delivery.updates_delivery_id.in_(moot))).all()
        session.execute(update(Delivery).where(Delivery.id.in_([*moot, *updates]), Delivery.status.in_(("sending", "retry")))
                        .values(status="cancelled"))
        cancelled = session.execute(update(Notification).where(Notification.delivery_id.in_([*moot, *updates])).values(
            status="cancelled", note="no longer red before the alert could be sent")).rowcount
        answering = [n.id for n in session.scalars(select(Notification).where(
            Notification.kind == RECOVERY, Notification.status == "pending"))
            if any(n.recipient == a.recipient and item_key(json.loads(n.payload)) == item_key(json.loads(a.payload))
                   and n.id > a.id for d in moot for a in alarms[d])]
        return cancelled + cancel(session, answering, "the alert it answers was never delivered")


def _hold_snoozed(store: Store, now: datetime) -> None:
    """Postpone pending reminders of people who snoozed them."""
    for email, until in snoozed_people(store, now).items():
        with store.sessions.begin() as session:
            ids = session.scalars(select(Notification.id).where(
                Notification.status == "pending", Notification.kind == "reminder",
                Notification.recipient == email, Notification.due_at < until)).all()
            postpone(session, list(ids), until, "snoozed")


def _claim(store: Store, now: datetime, working: WorkingTime) -> None:
    """Group due items into deliveries: reminders one per recipient per day (later ones wait a day),
    alerts and recoveries per recipient per run, digests one each."""
    today = working.local_date(now)
    with store.sessions.begin() as session:
        query = select(Notification).where(Notification.status == "pending", Notification.due_at <= now) \
            .order_by(Notification.recipient, Notification.id)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        items = session.scalars(query).all()
        groups: dict[tuple[str, str], list[Notification]] = {}
        for item in items:
            kind = ALERT if item.kind in (ALERT, RECOVERY) else item.kind
            groups.setdefault((item.recipient, kind), []).append(item)
        for (recipient, kind), group in groups.items():
            if kind == ALERT:
                _claim_alerts(session, store, recipient, group, now)
            elif kind == DIGEST:
                for item in group:
                    _new_delivery(session, item.key, recipient, digest_message(json.loads(item.payload)), [item], now)
            elif kind == OUTAGE:
                for item in group:
                    _new_delivery(session, item.key, recipient, outage_message(json.loads(item.payload), now), [item], now)
            else:
                key = f"{kind}|{recipient}|{today.isoformat()}"
                if session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None:
                    postpone(session, [n.id for n in group], working.opening(working.add_working_days(today, 1)),
                             "one message a day")
                    continue
                compose = request_message if kind == REPORT_REQUEST else reminder_message
                _new_delivery(session, key, recipient, compose(store, recipient, group, today), group, now)


def _new_delivery(session: Session, key: str, recipient: str, replies: list[Reply], items: list[Notification],
                  now: datetime, updates: int | None = None) -> None:
    """Write a delivery ('sending') carrying `items`."""
    delivery = Delivery(key=key, recipient=recipient, channel="", status="sending", attempts=0,
                        body=json.dumps([reply_to_dict(r) for r in replies], ensure_ascii=False),
                        next_attempt_at=now, created_at=now, updates_delivery_id=updates)
    session.add(delivery)
    session.flush()
    session.execute(update(Notification).where(Notification.id.in_([n.id for n in items]))
                    .values(status="sending", delivery_id=delivery.id))


def _claim_alerts(session: Session, store: Store, recipient: str, group: list[Notification], now: datetime) -> None:
    """One message for a recipient's new alerts; each recovery rewrites the message of its alert
    (recoveries without one go together as a new message). An alert that recovered before it was
    sent is not sent at all."""
    alerts = [n for n in group if n.kind == ALERT]
    recoveries = [n for n in group if n.kind == RECOVERY]
    payload = {n.id: json.loads(n.payload) for n in group}
    for recovery in list(recoveries):
        earlier = [a for a in alerts if item_key(payload[a.id]) == item_key(payload[recovery.id]) and a.id < recovery.id]
        if earlier:
            cancel(session, [recovery.id, *(a.id for a in earlier)], "recovered before the alert was sent")
            recoveries.remove(recovery)
            alerts = [a for a in alerts if a not in earlier]
    if alerts:
        replies = alert_message(store, recipient, [payload[a.id] for a in alerts])
        _new_delivery(session, f"{ALERT}|{recipient}|{alerts[0].id}", recipient, replies, alerts, now)
    by_original: dict[int | None, list[Notification]] = {}
    for recovery in recoveries:
        by_original.setdefault(_original_alert(session, recovery, payload[recovery.id]), []).append(recovery)
    for original, answering in by_original.items():
        key = f"{RECOVERY}|{recipient}|{answering[0].id}"
        if original is None:
            replies = recovery_message(store, recipient, [payload[r.id] for r in answering])
            _new_delivery(session, key, recipient, replies, answering, now)
            continue
        carried = session.scalars(select(Notification).where(Notification.delivery_id == original)
                                  .order_by(Notification.id)).all()
        earlier = session.scalars(select(Notification).join(Delivery, Delivery.id == Notification.delivery_id).where(
            Delivery.updates_delivery_id == original, Notification.kind == RECOVERY,
            Notification.status.in_(("sending", "sent"))).order_by(Notification.id)).all()
        recovered = {item_key(p): p for p in (json.loads(n.payload) for n in [*earlier, *answering])}
        replies = alert_message(store, recipient, [json.loads(n.payload) for n in carried], recovered)
        _new_delivery(session, key, recipient, replies, answering, now, updates=original)


def _original_alert(session: Session, recovery: Notification, payload: dict) -> int | None:
    """The delivery that carried the latest alert this recovery answers (sent or being sent)."""
    candidates = session.scalars(select(Notification).where(
        Notification.kind == ALERT, Notification.recipient == recovery.recipient,
        Notification.indicator_code == recovery.indicator_code, Notification.geography_code == recovery.geography_code,
        Notification.status.in_(("sending", "sent")), Notification.delivery_id.is_not(None),
        Notification.id < recovery.id).order_by(Notification.id.desc())).all()
    for candidate in candidates:
        alert = json.loads(candidate.payload)
        if item_key(alert) == item_key(payload) and is_alarm_payload(alert):
            return candidate.delivery_id
    return None


def _send(store: Store, delivery_id: int, now: datetime, senders: Senders, report: DispatchReport,
          charts: NoticeCharts | None = None, taken: datetime | None = None) -> None:
    """Send one delivery under a lease running from `taken` (default `now`); mark it sent if the
    lease is still this run's, or schedule a retry."""
    with store.sessions.begin() as session:
        leased = session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.next_attempt_at <= now,
                                                        Delivery.status.in_(("sending", "retry")))
                                 .values(next_attempt_at=(taken or now) + LEASE, attempts=Delivery.attempts + 1)).rowcount
        delivery = session.get(Delivery, delivery_id)
        original = session.get(Delivery, delivery.updates_delivery_id) if delivery.updates_delivery_id else None
    if not leased:
        return
    if original is not None and original.status in ("sending", "retry"):
        _wait_for(store, delivery, original)
        return
    person = store.person(delivery.recipient)
    replies = [reply_from_dict(r) for r in json.loads(delivery.body)]
    try:
        sender, reference = _deliver(store, delivery, original, replies, senders, person, charts or NoticeCharts(store))
    except ChannelFailure as failure:  # a channel failure of any kind is recorded and retried, never dropped
        _failed(store, delivery, now, _error_text(failure.error), report, failure.channel)
        return
    except Exception as error:
        _failed(store, delivery, now, _error_text(error), report)
        return
    with store.sessions.begin() as session:
        ours = session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.attempts == delivery.attempts)
                               .values(status="sent", sent_at=now, channel=sender.name, reference=reference,
                                       last_error=None)).rowcount
        if not ours:
            log.warning("delivery %s was taken over by another run while sending; it records the outcome",
                        delivery.key)
            return
        session.execute(update(Notification).where(Notification.delivery_id == delivery_id).values(status="sent"))
    report.sent.append(delivery.key)


def _deliver(store: Store, delivery: Delivery, original: Delivery | None, replies: list[Reply], senders: Senders,
             person: PersonRow | None, charts: NoticeCharts) -> tuple[Sender, str | None]:
    """Rewrite the original message where its channel can, else post (with charts where they show)."""
    if original is not None and original.status == "sent" and original.reference:
        channel = senders.named(original.channel)
        if channel is not None and hasattr(channel, "update"):
            with ChannelFailure.on(channel):
                return channel, channel.update(delivery.recipient, original.reference, replies)
    sender = _sender(delivery, senders, from_row(person) if person else None)
    if sender.name == "inbox" and len(senders.channels) > 1:
        log.warning("no chat channel reaches %s: %s goes to the perfbot inbox", delivery.recipient,
                    delivery.key.split("|")[0])
    if original is not None:
        sent = f"the alert sent on {original.sent_at:%d %b}" if original.sent_at else "an earlier alert"
        replies = [TextReply(f"Update to {sent}:"), *replies]
    elif getattr(sender, "renders_charts", False):
        replies = [*replies, *_charts(store, delivery, charts)]
    with ChannelFailure.on(sender):
        return sender, sender.deliver(delivery.recipient, replies, delivery.key)


def _sender(delivery: Delivery, senders: Senders, person: Person | None) -> Sender:
    """The recipient's channel; for the report that a channel keeps failing, another chat channel
    that reaches the person where there is one (else it waits for the failing one to come back)."""
    if delivery.key.startswith(f"{OUTAGE}|"):
        failing = failing_channel(delivery.key)
        working = [c for c in senders.channels if c.name not in (failing, "inbox") and c.can_reach(delivery.recipient, person)]
        if working:
            return working[0]
    return senders.for_recipient(delivery.recipient, person)


class ChannelFailure(Exception):
    """A channel's sender failed: which channel, and the error it raised."""

    def __init__(self, channel: str, error: Exception) -> None:
        super().__init__(f"{channel}: {error}")
        self.channel, self.error = channel, error

    @staticmethod
    @contextmanager
    def on(sender: Sender) -> Iterator[None]:
        """Raise what `sender` raises inside as a ChannelFailure of its channel."""
        try:
            yield
        except Exception as error:
            raise ChannelFailure(sender.name, error) from error


def _error_text(error: Exception) -> str:
    """A failure as people read it: 'service_unavailable / HTTP 503' for an API's error answer,
    else the kind of error and its message."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if status is not None:
        answer = response.get("error") if hasattr(response, "get") else None
        return f"{answer or 'error'} / HTTP {status}"
    return f"{type(error).__name__}: {error}"


def _charts(store: Store, delivery: Delivery, charts: NoticeCharts) -> list[Reply]:
    """The charts a delivery carries, drawn now: alert trends, a digest's scorecard."""
    with store.sessions() as session:
        items = session.scalars(select(Notification).where(Notification.delivery_id == delivery.id)
                                .order_by(Notification.id)).all()
    payloads = [json.loads(n.payload) for n in items]
    kinds = {n.kind for n in items}
    if kinds == {ALERT}:
        return list(charts.for_alerts(payloads))
    if kinds == {DIGEST}:
        return list(charts.for_digest(payloads[0]))
    return []


def _wait_for(store: Store, delivery: Delivery, original: Delivery) -> None:
    """An update whose original message is not out yet waits for it (without using up an attempt)."""
    with store.sessions.begin() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery.id).values(
            attempts=Delivery.attempts - 1, next_attempt_at=max(original.next_attempt_at, delivery.next_attempt_at)))


def _failed(store: Store, delivery: Delivery, now: datetime, error: str, report: DispatchReport,
            channel: str | None = None) -> None:
    """Schedule the next try of a delivery that failed (never given up while it matters); say once,
    loudly, when its channel keeps failing, and report the outage to the performance team."""
    with store.sessions.begin() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts).values(
            status="retry", last_error=error[:2000], next_attempt_at=now + backoff(delivery.attempts)))
    report.retrying += 1
    if delivery.attempts == KEEPS_FAILING:
        log.error("delivery %s has failed %d times, its channel keeps failing (still retrying, at most hourly): %s",
                  delivery.key, delivery.attempts, error)
        if channel is not None and report_outage(store, channel, error, delivery.created_at, now):
            log.error("the performance team is told that %s keeps failing", channel)
    else:
        log.warning("delivery %s failed (attempt %d), retrying: %s", delivery.key, delivery.attempts, error)
