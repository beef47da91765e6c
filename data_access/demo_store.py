"""The mark `perfbot demo` leaves on a store it made: the demo, which moves its own clock, lets
anyone act as anyone and sends reminders, runs only on a store so marked (bot/web/fresh.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from data_access.database import session_factory
from data_access.models import DemoStore

NAME = "demo"


def mark_demo_store(engine: Engine, now: datetime) -> None:
    """Mark the store as one the demo made (nothing when it is marked already)."""
    with session_factory(engine).begin() as session:
        if session.get(DemoStore, NAME) is None:
            session.add(DemoStore(name=NAME, made_at=now))


def is_demo_store(engine: Engine) -> bool:
    """True when the demo made this store."""
    with session_factory(engine)() as session:
        return session.scalar(select(DemoStore.name).where(DemoStore.name == NAME)) is not None
