"""Only one scheduler may sweep and dispatch at a time. On PostgreSQL the leader holds a session
advisory lock on a connection of its own (others wait and take over if it dies); on SQLite an
exclusive lock on a file beside the database makes a second scheduler refuse to start.

A leader can lose its lock without dying: on PostgreSQL the lock goes with its database session
(a failover, `pg_terminate_backend`, a network blip). `holds()` asks the lock's own connection
whether the lock is still there, and the dispatcher calls it before each run and each send: a
leader that lost the lock stops dispatching at once, and tries to lead again on the next run."""
from __future__ import annotations

import fcntl
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

LOCK_KEY = 0x7065726662  # "perfb"
log = logging.getLogger(__name__)


class AlreadyRunning(RuntimeError):
    """Another scheduler holds the lock for this database."""


@dataclass
class Leadership:
    """The scheduler lock for one database; `acquire()` is True once this process leads."""

    engine: Engine
    _held: Any = field(default=None, init=False)

    def acquire(self) -> bool:
        """Try to become the leader (non-blocking), or check that this process still leads. On
        SQLite, raises AlreadyRunning when another leads."""
        if self._held is not None and self.holds():
            return True
        if self.engine.dialect.name == "postgresql":
            connection = self.engine.connect()
            if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar_one():
                self._held = connection
                return True
            connection.close()
            return False
        path = Path(self.engine.url.database or "perfbot.db").resolve().with_suffix(".scheduler.lock")
        handle: IO[str] = open(path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AlreadyRunning(f"another perfbot scheduler is running on this database (lock {path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._held = handle
        return True

    def holds(self) -> bool:
        """True while this process still holds the lock; on PostgreSQL the lock's connection is asked
        (a dead session, or a lock no longer there, means leadership is lost: it is dropped here)."""
        if self._held is None:
            return False
        if self.engine.dialect.name != "postgresql":
            return True
        try:
            held = self._held.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() "
                "AND ((classid::bigint << 32) | objid::bigint) = :key"), {"key": LOCK_KEY}).scalar_one()
            self._held.rollback()
        except SQLAlchemyError as error:  # the session is gone, and the lock went with it
            log.error("lost the scheduler lock (%s): no longer dispatching", type(error).__name__)
            self._drop()
            return False
        if not held:
            log.error("the scheduler lock is no longer held by this session: no longer dispatching")
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        """Forget a lock that is lost (its connection is closed without unlocking)."""
        try:
            self._held.invalidate()
        finally:
            self._held = None

    def release(self) -> None:
        """Give up leadership."""
        if self._held is None:
            return
        if self.engine.dialect.name == "postgresql":
            self._held.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        self._held.close()
        self._held = None
