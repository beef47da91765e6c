"""Leaders that know they lost (row 3 of issue 16): a PostgreSQL leader whose lock session dies
stops dispatching at once, a run stops the moment leadership goes, and each lease runs from the
moment it is taken, not from the start of a long run."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from data_access.models import Delivery
from data_access.store import Store
from schedules import dispatch as dispatching
from schedules.channels import InboxSender, Senders
from schedules.dispatch import LEASE, dispatch
from schedules.leader import LOCK_KEY, Leadership
from schedules.reminders import sweep_reminders
from schedules.working_time import LONDON, WorkingTime
from tests.conftest import on_postgresql

WORKING = WorkingTime()
MORNING = datetime(2026, 11, 17, 9, 0, tzinfo=LONDON)


@pytest.fixture
def queued(store: Store) -> Store:
    sweep_reminders(store, MORNING.replace(hour=6), WORKING)
    return store


def inbox_keys(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        return list(connection.execute(text("SELECT key FROM inbox_message ORDER BY id")).scalars())


@pytest.mark.skipif(not on_postgresql(), reason="the lock lives in a PostgreSQL session")
def test_a_leader_whose_lock_session_is_terminated_stops_dispatching(queued: Store) -> None:
    leader, follower = Leadership(queued.engine), Leadership(queued.engine)
    assert leader.acquire() and not follower.acquire()
    with queued.engine.connect() as admin:
        killed = admin.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
            "AND ((classid::bigint << 32) | objid::bigint) = :key"), {"key": LOCK_KEY}).scalars().all()
    assert killed == [True]
    report = dispatch(queued, MORNING, Senders(queued), WORKING, leading=leader.holds)
    assert report.stopped and report.sent == [] and inbox_keys(queued) == []
    assert follower.acquire()  # the lock is free: another scheduler takes over
    assert not leader.acquire()  # and the old leader knows it does not lead
    assert len(dispatch(queued, MORNING, Senders(queued), WORKING, leading=follower.holds).sent) == 22
    follower.release()


def test_a_run_stops_at_once_when_leadership_is_lost_between_sends(queued: Store) -> None:
    answers = iter([True, True, True])  # before the run, before the first and the second send

    report = dispatch(queued, MORNING, Senders(queued), WORKING, leading=lambda: next(answers, False))
    assert report.stopped and len(report.sent) == 2 and len(inbox_keys(queued)) == 2


def test_each_lease_runs_from_when_it_is_taken(queued: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter(range(0, 10_000, 300))  # every look at the clock is five minutes on: a slow run
    monkeypatch.setattr(dispatching.time, "monotonic", lambda: float(next(clock)))
    leases: list[timedelta] = []

    class Watching(InboxSender):
        def deliver(self, recipient, replies, key):
            with queued.sessions() as session:
                until = session.scalar(select(Delivery.next_attempt_at).where(Delivery.key == key))
            leases.append((until if until.tzinfo else until.replace(tzinfo=timezone.utc)) - MORNING)
            return super().deliver(recipient, replies, key)

    dispatch(queued, MORNING, Senders(queued, [Watching(queued)]), WORKING)
    assert leases[:3] == [timedelta(minutes=5) + LEASE, timedelta(minutes=10) + LEASE, timedelta(minutes=15) + LEASE]
    assert leases[-1] == timedelta(minutes=5 * 22) + LEASE  # the last is not already expired when taken
