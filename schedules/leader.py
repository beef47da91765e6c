"""Only one scheduler may sweep and dispatch at a time. On PostgreSQL the leader holds a session
advisory lock (others wait and take over if it dies); on SQLite an exclusive lock on a file beside
the database makes a second scheduler refuse to start."""
from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, text

LOCK_KEY = 0x7065726662  # "perfb"


class AlreadyRunning(RuntimeError):
    """Another scheduler holds the lock for this database."""


@dataclass
class Leadership:
    """The scheduler lock for one database; `acquire()` is True once this process leads."""

    engine: Engine
    _held: Any = field(default=None, init=False)

    def acquire(self) -> bool:
        """Try to become the leader (non-blocking). On SQLite, raises AlreadyRunning when another leads."""
        if self._held is not None:
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

    def release(self) -> None:
        """Give up leadership."""
        if self._held is None:
            return
        if self.engine.dialect.name == "postgresql":
            self._held.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        self._held.close()
        self._held = None
