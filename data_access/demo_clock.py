"""The web demo's clock as the store keeps it: how far the demo runs ahead of real time. The demo
writes it whenever its clock moves; `perfbot chat` and `perfbot ask` on the same store read it, so
the same person owes the same returns and sees the same "last month" in the console as on the page."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from data_access.database import session_factory
from data_access.models import DemoClock
from data_access.store import Clock, utc_now

NAME = "demo"


def keep_demo_clock(engine: Engine, offset: timedelta, now: datetime) -> None:
    """Record the demo clock's offset from real time."""
    with session_factory(engine).begin() as session:
        row = session.get(DemoClock, NAME)
        if row is None:
            session.add(DemoClock(name=NAME, offset_seconds=offset.total_seconds(), updated_at=now))
        else:
            row.offset_seconds, row.updated_at = offset.total_seconds(), now


def demo_clock(engine: Engine, real: Clock = utc_now) -> Clock | None:
    """The demo's clock for this store (real time plus the offset the demo recorded), or None when
    no demo has run on it."""
    with session_factory(engine)() as session:
        seconds = session.scalar(select(DemoClock.offset_seconds).where(DemoClock.name == NAME))
    if seconds is None:
        return None
    offset = timedelta(seconds=seconds)
    return lambda: real() + offset
