"""State that must outlive a bot process: the last turn of each conversation and the deliveries
already claimed, so that any process can carry on any conversation and each delivery is answered
by exactly one process.

A turn is stored as JSON text (the bot's codec writes it), keyed by channel, conversation and
person, one upsert per message. A claim is a unique key inserted with ON CONFLICT DO NOTHING: the
process whose insert wrote every key of a delivery answers it, every other process stays quiet.
Both are purged by the scheduler (turns once expired, claims after a day).
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Engine, bindparam, delete, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.dialects import postgresql, sqlite

from data_access.database import reading
from data_access.models import ConversationTurn, DeliveryClaim

log = logging.getLogger(__name__)
ConversationKey = tuple[str, str, str]  # channel, conversation, person
CLAIM_DAYS = 1
DEFAULT_CONVERSATION_MINUTES = 30


def conversation_lifetime(environ: Mapping[str, str] | None = None) -> timedelta:
    """How long a conversation is remembered: PERFBOT_CONVERSATION_MINUTES (default 30)."""
    given = (os.environ if environ is None else environ).get("PERFBOT_CONVERSATION_MINUTES", "").strip()
    try:
        minutes = float(given) if given else DEFAULT_CONVERSATION_MINUTES
    except ValueError:
        minutes = -1
    if not minutes > 0:
        raise ValueError(f"PERFBOT_CONVERSATION_MINUTES must be a number of minutes above 0, not {given!r}")
    return timedelta(minutes=minutes)


def _insert(engine: Engine, table: type) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `table` with the dialect's ON CONFLICT clauses."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _aware(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class ConversationTurns:
    """The stored last turn of each conversation, as text, forgotten after `lifetime`.

    Both statements are built once, the upsert as text (a turn is read and written for every
    message, and SQLAlchemy compiles an ON CONFLICT insert again at every execution: it cannot be
    cached); the read needs no transaction (data_access.database.reading). On PostgreSQL a turn's
    commit does not wait for the disk (synchronous_commit off for that transaction only):
    were the database server itself to crash, the last fraction of a second of conversation turns
    could be forgotten — a follow-up then asks what it refers to — while values, inbox events and
    notifications keep their synchronous commits."""

    engine: Engine
    clock: Callable[[], datetime]
    lifetime: timedelta

    def __post_init__(self) -> None:
        turns = ConversationTurn.__table__
        self._read = select(turns.c.turn, turns.c.updated_at).where(
            turns.c.channel == bindparam("channel"), turns.c.conversation == bindparam("conversation"),
            turns.c.person == bindparam("person"))
        self._write = text(
            "INSERT INTO conversation_turn (channel, conversation, person, turn, updated_at) "
            "VALUES (:channel, :conversation, :person, :turn, :updated_at) "
            "ON CONFLICT (channel, conversation, person) DO UPDATE SET turn = excluded.turn, "
            "updated_at = excluded.updated_at").bindparams(bindparam("updated_at", type_=turns.c.updated_at.type))
        self._postgresql = self.engine.dialect.name == "postgresql"

    def read(self, key: ConversationKey) -> str | None:
        """The turn kept for `key`, unless it is older than the lifetime."""
        channel, conversation, person = key
        with reading(self.engine) as connection:
            row = connection.execute(self._read, {"channel": channel, "conversation": conversation,
                                                  "person": person}).first()
        if row is None or self.clock() - _aware(row.updated_at) > self.lifetime:
            return None
        return row.turn

    def write(self, key: ConversationKey, turn: str) -> None:
        """Keep `turn` as the last one of `key` (an upsert)."""
        channel, conversation, person = key
        with self.engine.begin() as connection:
            if self._postgresql:
                connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            connection.execute(self._write, {"channel": channel, "conversation": conversation, "person": person,
                                             "turn": turn, "updated_at": self.clock()})


@dataclass
class DeliveryClaims:
    """Claims on deliveries in the store, shared by every process on the database."""

    engine: Engine
    clock: Callable[[], datetime]

    def claim(self, keys: tuple[str, ...]) -> bool:
        """Claim a delivery known by `keys`: True when none of them was claimed before (answer it)."""
        if not keys:
            return True
        now = self.clock()
        statement = _insert(self.engine, DeliveryClaim).values(
            [{"key": key[:300], "claimed_at": now} for key in dict.fromkeys(keys)]
        ).on_conflict_do_nothing().returning(DeliveryClaim.key)
        with self.engine.begin() as connection:
            written = connection.execute(statement).all()
        return len(written) == len(dict.fromkeys(keys))

    def should_answer(self, keys: tuple[str, ...]) -> bool:
        """True when this process should answer the delivery: its claim succeeded, or the store
        cannot be reached (logged; another process may then answer a redelivery too)."""
        try:
            return self.claim(keys)
        except SQLAlchemyError as error:
            log.warning("could not claim a delivery in the store (%s): answering it", type(error).__name__)
            return True


def purge_expired(engine: Engine, now: datetime, turn_lifetime: timedelta) -> tuple[int, int]:
    """Remove turns older than `turn_lifetime` and claims older than a day; the numbers removed."""
    with engine.begin() as connection:
        turns = connection.execute(delete(ConversationTurn).where(
            ConversationTurn.updated_at < now - turn_lifetime)).rowcount
        claims = connection.execute(delete(DeliveryClaim).where(
            DeliveryClaim.claimed_at < now - timedelta(days=CLAIM_DAYS))).rowcount
    return turns, claims
