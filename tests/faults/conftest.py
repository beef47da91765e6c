"""Fixtures of the fault-injection suite: the misbehaving Slack stand-in and the harness around
the real dispatching process, on the suite's database (SQLite, or PostgreSQL when
PERFBOT_TEST_DATABASE_URL is set)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from data_access.store import Store

from .harness import Harness
from .standin import FaultySlack


@pytest.fixture
def slack() -> Iterator[FaultySlack]:
    """The stand-in, answering every known person's users.info like the council's workspace."""
    with FaultySlack() as standin:
        yield standin


@pytest.fixture
def harness(store: Store, slack: FaultySlack) -> Harness:
    """The harness on the demo council's data, with the day's reminders queued."""
    harness = Harness(store, slack)
    assert harness.queue_reminders() > 0
    return harness
