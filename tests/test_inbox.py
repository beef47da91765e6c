"""The inbox's hand-over between processes (data_access/inbox.py), on the suite's database: a
repeated delivery is written once; an event is held by one process at a time; once its lease has
run out another takes it over, and the first can no longer post for it or mark it answered."""
from __future__ import annotations

from datetime import datetime, timedelta

from data_access.inbox import Inbox
from data_access.store import Store

from tests.conftest import FIXED_NOW

LEASE = timedelta(seconds=30)


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_repeated_delivery_is_written_once(empty_store: Store) -> None:
    inbox = Inbox(empty_store.engine, Clock(FIXED_NOW), LEASE, holder="a")
    first, twin, repeat = inbox.receive([("{1}", ("slack:event:E1", "slack:client_msg:M1")),
                                         ("{2}", ("slack:event:E2", "slack:client_msg:M1")),
                                         ("{1}", ("slack:event:E1", "slack:client_msg:M1"))])
    assert first is not None and first.key == "slack:event:E1" and (twin, repeat) == (None, None)
    assert inbox.receive([("{1}", ("slack:event:E1",))]) == [None]  # Slack's retry, later
    assert inbox.waiting() == 1


def test_an_event_whose_process_died_is_taken_over_once(empty_store: Store) -> None:
    clock = Clock(FIXED_NOW)
    dead, alive = (Inbox(empty_store.engine, clock, LEASE, holder=name) for name in ("dead", "alive"))
    [entry] = dead.receive([("{}", ("slack:event:E1",))])
    first = dead.take(entry.id)
    assert first is not None and first.number == 1
    assert alive.abandoned() == [] and alive.take(entry.id) is None  # still held
    clock.now += LEASE + timedelta(seconds=1)
    assert alive.abandoned() == [entry]
    second = alive.take(entry.id)
    assert second is not None and second.number == 2  # a second attempt: look in Slack before posting again
    assert dead.take(entry.id) is None and not dead.hold(entry.id, first)
    dead.answered(entry.id, first)
    assert alive.waiting() == 1 and alive.hold(entry.id, second)
    alive.answered(entry.id, second)
    assert alive.waiting() == 0 and alive.take(entry.id) is None


def test_a_slow_attempt_taken_over_in_its_own_process_stops(empty_store: Store) -> None:
    clock = Clock(FIXED_NOW)
    inbox = Inbox(empty_store.engine, clock, LEASE, holder="busy")
    [entry] = inbox.receive([("{}", ("slack:event:E1",))])
    slow = inbox.take(entry.id)
    assert slow is not None and inbox.take(entry.id) is None  # taken once: not again by the same process
    clock.now += LEASE + timedelta(seconds=1)
    rescue = inbox.take(entry.id)  # this process's own rescuer, while the slow attempt still runs
    assert rescue is not None and rescue.number == 2
    assert not inbox.hold(entry.id, slow) and inbox.hold(entry.id, rescue)
