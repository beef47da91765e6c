"""The inbox: chat events acknowledged to their channel and not yet answered, kept in the store so
that an event a process acknowledged and then died with is answered by another, once.

An event is written before it is acknowledged, together with the claims on its delivery keys (a
redelivery, or the same message sent as two events, writes nothing and is acknowledged as a
repeat), held by the process that wrote it under a lease. The process answering it takes it
(`take`: the lease renewed, the attempt counted) and renews the lease before each message it
posts (`hold`: False once another process has taken it over); once answered it is marked so. An
event whose lease has run out (its process died, or is too busy to start it) is taken by whichever
process looks first (`abandoned`, then `take`: one UPDATE decides). An attempt after the first
may follow one that posted some messages before dying (or one still under way in a process too
slow to renew its lease: each attempt holds the event by a name of its own, so the older attempt
stops at its next renewal), so the channel looks for each message's key before posting it again.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, or_, select, update

from data_access.models import InboxEvent

log = logging.getLogger(__name__)
DEFAULT_LEASE_SECONDS = 30.0
KEPT_DAYS = 1
ROWS_PER_INSERT = 100  # 700 values at most: within SQLite's limit on variables in one statement


def lease_length(environ: Mapping[str, str] | None = None) -> timedelta:
    """How long a process holds an event before another may take it over:
    PERFBOT_INBOX_LEASE_SECONDS (default 30)."""
    given = (os.environ if environ is None else environ).get("PERFBOT_INBOX_LEASE_SECONDS", "").strip()
    try:
        seconds = float(given) if given else DEFAULT_LEASE_SECONDS
    except ValueError:
        seconds = -1
    if not seconds > 0:
        raise ValueError(f"PERFBOT_INBOX_LEASE_SECONDS must be a number of seconds above 0, not {given!r}")
    return timedelta(seconds=seconds)


def process_name() -> str:
    """A name for this process that no other process, here or on another host, shares."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Entry:
    """An event in the inbox: its id, its first delivery key, and the payload as received."""

    id: int
    key: str
    body: str


@dataclass(frozen=True)
class Attempt:
    """One attempt at answering an event: its number (1 the first) and the name it holds it by."""

    number: int
    held_as: str


def utc(moment: datetime) -> datetime:
    """An aware time in UTC (what the inbox stores and compares; SQLite keeps no zone)."""
    return moment.astimezone(timezone.utc)


def first_deliveries(events: Sequence[tuple[str, tuple[str, ...]]], channel: str) -> dict[int, tuple[str, ...]]:
    """The place in `events` of each event sharing no delivery key with an earlier one, with its
    keys (each once, at most 300 characters; a key of its own for an event that has none)."""
    firsts: dict[int, tuple[str, ...]] = {}
    seen: set[str] = set()
    for number, (_, keys) in enumerate(events):
        keys = tuple(dict.fromkeys(key[:300] for key in keys)) or (f"{channel}:unkeyed:{uuid.uuid4().hex}",)
        if not seen.intersection(keys):
            firsts[number] = keys
        seen.update(keys)
    return firsts


@dataclass
class Inbox:
    """The inbox of one channel, as one process (`holder`) sees it."""

    engine: Engine
    clock: Callable[[], datetime]
    lease: timedelta
    channel: str = "slack"
    holder: str = ""

    def __post_init__(self) -> None:
        self.holder = self.holder or process_name()

    def receive(self, events: Sequence[tuple[str, tuple[str, ...]]]) -> list[Entry | None]:
        """Write each (payload, delivery keys) not seen before, in one transaction: its Entry, or
        None for a repeat (a key already claimed, or an earlier event in `events` sharing one)."""
        now = utc(self.clock())
        firsts = first_deliveries(events, self.channel)
        if not firsts:
            return [None] * len(events)
        with self.engine.begin() as connection:
            stamp = now if connection.dialect.name == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S.%f")
            until = now + self.lease
            until = until if connection.dialect.name == "postgresql" else until.strftime("%Y-%m-%d %H:%M:%S.%f")
            claimed = set(_returning(connection, "INSERT INTO delivery_claim (key, claimed_at) VALUES {} "
                                     "ON CONFLICT DO NOTHING RETURNING key",
                                     [(key, stamp) for keys in firsts.values() for key in keys]))
            new = {number: keys for number, keys in firsts.items() if claimed.issuperset(keys)}
            ids: dict[str, int] = {}
            if new:
                ids = dict(_returning(connection, "INSERT INTO inbox_event (key, channel, body, received_at, held_by, "
                                      "lease_until, attempts) VALUES {} RETURNING key, id",
                                      [(keys[0], self.channel, events[number][0], stamp, self.holder, until, 0)
                                       for number, keys in new.items()]))
        return [Entry(ids[new[number][0]], new[number][0], events[number][0]) if number in new else None
                for number in range(len(events))]

    def take(self, entry_id: int) -> Attempt | None:
        """Take the event to answer it (the process that wrote it, first; anyone, once the lease
        has run out): the attempt, or None when it is answered already or held. Each attempt holds
        it by a name of its own, so a second attempt, even in the same process, ends the first."""
        now = utc(self.clock())
        held_as = f"{self.holder}/{uuid.uuid4().hex[:8]}"
        with self.engine.begin() as connection:
            number = connection.execute(update(InboxEvent).where(
                InboxEvent.id == entry_id, InboxEvent.answered_at.is_(None),
                or_(InboxEvent.held_by == self.holder, InboxEvent.lease_until < now),
            ).values(held_by=held_as, lease_until=now + self.lease, attempts=InboxEvent.attempts + 1)
                .returning(InboxEvent.attempts)).scalar_one_or_none()
        return Attempt(number, held_as) if number is not None else None

    def hold(self, entry_id: int, attempt: Attempt) -> bool:
        """Renew the lease of an attempt under way: False when another attempt has taken the event
        over (then this one must stop)."""
        now = utc(self.clock())
        with self.engine.begin() as connection:
            return connection.execute(update(InboxEvent).where(
                InboxEvent.id == entry_id, InboxEvent.held_by == attempt.held_as, InboxEvent.answered_at.is_(None),
            ).values(lease_until=now + self.lease)).rowcount == 1

    def answered(self, entry_id: int, attempt: Attempt) -> None:
        """Mark an event answered by `attempt` (nothing when another attempt has taken it over)."""
        with self.engine.begin() as connection:
            connection.execute(update(InboxEvent).where(
                InboxEvent.id == entry_id, InboxEvent.held_by == attempt.held_as, InboxEvent.answered_at.is_(None),
            ).values(answered_at=utc(self.clock())))

    def abandoned(self, most: int = 50) -> list[Entry]:
        """Unanswered events whose lease has run out, oldest first (`take` one before answering it)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(InboxEvent.id, InboxEvent.key, InboxEvent.body).where(
                InboxEvent.channel == self.channel, InboxEvent.answered_at.is_(None),
                InboxEvent.lease_until < utc(self.clock())).order_by(InboxEvent.id).limit(most)).all()
        return [Entry(*row) for row in rows]

    def waiting(self) -> int:
        """How many events are acknowledged and not yet answered."""
        with self.engine.connect() as connection:
            return len(connection.execute(select(InboxEvent.id).where(
                InboxEvent.channel == self.channel, InboxEvent.answered_at.is_(None))).all())


def _returning(connection: Connection, statement: str, rows: list[tuple]) -> list[Any]:
    """Run an INSERT of `rows` (its VALUES written in for `{}`) with the driver directly, and what
    it returns: a burst's acknowledgements wait for it, and SQLAlchemy's statement building costs
    more than the insert itself. One column returned gives scalars, more give tuples."""
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    returned: list[Any] = []
    for first in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[first:first + ROWS_PER_INSERT]
        values = ", ".join(["(" + ", ".join([mark] * len(chunk[0])) + ")"] * len(chunk))
        result = connection.exec_driver_sql(statement.format(values), tuple(value for row in chunk for value in row))
        returned += [row[0] if len(row) == 1 else tuple(row) for row in result.fetchall()]
    return returned


def purge_answered(engine: Engine, now: datetime) -> int:
    """Remove events answered more than a day ago; how many."""
    with engine.begin() as connection:
        return connection.execute(delete(InboxEvent).where(and_(
            InboxEvent.answered_at.is_not(None), InboxEvent.answered_at < utc(now) - timedelta(days=KEPT_DAYS)))).rowcount
