"""The inbox's hand-over between processes (data_access/inbox.py), on the suite's database: a
repeated delivery is written once; an event is held by one process at a time; once its lease has
run out another takes it over, and the first can no longer post for it or mark it answered."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from bot.slack.inbox import InboxWriter
from data_access.inbox import Inbox
from data_access.store import Store

from tests.conftest import FIXED_NOW, on_postgresql

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


def test_the_server_writes_a_burst_as_the_inbox_receives_it(empty_store: Store) -> None:
    inbox = Inbox(empty_store.engine, Clock(FIXED_NOW), LEASE, holder="server")

    async def burst() -> list:
        writer = InboxWriter(inbox)
        try:
            return list(await asyncio.gather(*(writer.write(body, keys) for body, keys in (
                ("{1}", ("slack:event:E1", "slack:client_msg:M1")),
                ("{2}", ("slack:event:E2", "slack:client_msg:M1")),  # the same message as another event
                ("{1}", ("slack:event:E1", "slack:client_msg:M1")),  # a redelivery
                ("{3}", ("slack:event:E3",)),
                ("{4}", ())))))  # an event with no key of its own is still written
        finally:
            await writer.close()

    first, twin, repeat, third, unkeyed = asyncio.run(burst())
    assert (first.key, first.body, twin, repeat, third.key, third.body) == (
        "slack:event:E1", "{1}", None, None, "slack:event:E3", "{3}")
    assert unkeyed is not None and unkeyed.key.startswith("slack:unkeyed:")
    assert inbox.waiting() == 3 and inbox.receive([("{2}", ("slack:event:E2",))]) == [None]
    assert inbox.take(first.id).number == 1  # held by the process that wrote it
    assert Inbox(empty_store.engine, Clock(FIXED_NOW), LEASE, holder="other").abandoned() == []  # under its lease


@pytest.mark.skipif(not on_postgresql(), reason="the server's own connection to PostgreSQL")
def test_the_server_writes_again_when_its_connection_to_postgresql_was_cut(empty_store: Store) -> None:
    inbox = Inbox(empty_store.engine, Clock(FIXED_NOW), LEASE, holder=f"server {uuid.uuid4().hex}")

    async def cut_between_two_events() -> tuple:
        writer = InboxWriter(inbox)
        try:
            before = await writer.write("{1}", ("slack:event:E1",))
            with empty_store.engine.connect() as connection:  # as a database restart or a firewall would
                cut = connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                                              "datname = current_database() AND application_name = :name"),
                                         {"name": f"perfbot inbox {inbox.holder}"}).scalars().all()
            assert cut == [True]
            return before, await writer.write("{2}", ("slack:event:E2",))
        finally:
            await writer.close()

    before, after = asyncio.run(cut_between_two_events())
    assert before is not None and after is not None and after.key == "slack:event:E2"
    assert inbox.waiting() == 2
