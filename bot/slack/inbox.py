"""Slack events through the store's inbox (data_access/inbox.py): acknowledged only once written,
answered once by whichever process holds them, taken over when the process holding one dies.

The HTTP server writes events with `InboxWriter` (events arriving while a write is under way go in
the next write, so a burst costs a few transactions, not one each), hands each written one to the
answering pool (`answer_entry`), and runs a `Rescuer` that takes over events whose lease ran out.
The answer itself carries an `Answering`: the keys its messages are posted with, and whether an
earlier attempt may have posted some of them.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from sqlalchemy.exc import SQLAlchemyError

from bot.slack.posting import ANSWER_EVENT
from data_access.inbox import Attempt, Entry, Inbox

logger = logging.getLogger(__name__)

# Request-context key of an event answered from the inbox: its `Answering`.
FROM_INBOX = "perfbot_from_inbox"
# Request-context flag set by the HTTP server for an event it acknowledged before dispatching it
# on a worker: the listener then answers on that worker instead of handing off again.
ACKNOWLEDGED_ON_A_WORKER = "perfbot_acknowledged_on_a_worker"


@dataclass(frozen=True)
class Answering:
    """One attempt at answering an inbox event."""

    inbox: Inbox
    entry: Entry
    attempt: Attempt

    @property
    def retrying(self) -> bool:
        """True when an earlier attempt may have posted part of the answer."""
        return self.attempt.number > 1

    def metadata(self, text: str, earlier: int = 0) -> dict[str, Any]:
        """The Slack message metadata of the answer's message saying `text` (the `earlier`+1-th
        saying it): the same on every attempt, whatever else that attempt posts."""
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return {"event_type": ANSWER_EVENT, "event_payload": {"key": f"{self.entry.key}#{digest}.{earlier}"}}

    def still_mine(self) -> bool:
        """Renew the lease before posting: False when another attempt has taken the event over."""
        return self.inbox.hold(self.entry.id, self.attempt)


def answer_entry(app: App, inbox: Inbox, entry: Entry) -> None:
    """Take `entry` and answer it through the app's listeners, then mark it answered (nothing,
    when it is answered already or another attempt holds it)."""
    attempt = inbox.take(entry.id)
    if attempt is None:
        return
    app.dispatch(BoltRequest(body=entry.body, headers={"content-type": ["application/json"]},
                             context={ACKNOWLEDGED_ON_A_WORKER: True, FROM_INBOX: Answering(inbox, entry, attempt)}))
    inbox.answered(entry.id, attempt)


class InboxWriter:
    """Writes acknowledged events to the inbox from the event loop — on PostgreSQL through a
    connection of its own without leaving the loop (data_access/inbox_postgres.py), on SQLite on a
    thread of its own; events arriving while a write is under way are written together next."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        postgresql = inbox.engine.dialect.name == "postgresql"
        if postgresql:  # psycopg is loaded only for a PostgreSQL store
            from data_access.inbox_postgres import InboxConnection
        self._connection = InboxConnection(inbox) if postgresql else None
        self._thread = None if postgresql else ThreadPoolExecutor(max_workers=1, thread_name_prefix="perfbot-inbox")
        self._waiting: list[tuple[str, tuple[str, ...], asyncio.Future[Entry | None]]] = []
        self._writing: asyncio.Future[list[Entry | None]] | None = None

    async def write(self, body: str, keys: tuple[str, ...]) -> Entry | None:
        """Write one event: its Entry, or None for a repeat; the store's error when it cannot."""
        loop = asyncio.get_running_loop()
        written: asyncio.Future[Entry | None] = loop.create_future()
        self._waiting.append((body, keys, written))
        if self._writing is None:
            self._next(loop)
        return await written

    def _next(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._waiting = self._waiting, []
        events = [(body, keys) for body, keys, _ in batch]
        work = (loop.create_task(self._connection.receive(events)) if self._connection is not None
                else loop.run_in_executor(self._thread, self.inbox.receive, events))
        self._writing = work
        work.add_done_callback(lambda done: self._settle(loop, batch, done))

    def _settle(self, loop: asyncio.AbstractEventLoop, batch: list, done: asyncio.Future[list[Entry | None]]) -> None:
        self._writing = None
        error = done.exception()
        for number, (_, _, written) in enumerate(batch):
            if error is not None:
                written.set_exception(error)
            else:
                written.set_result(done.result()[number])
        if self._waiting:
            self._next(loop)

    async def close(self) -> None:
        """Finish the writes under way, then let go of the connection or thread."""
        while self._writing is not None:
            await asyncio.wait([self._writing])
            await asyncio.sleep(0)  # its callback starts the next write, if any
        if self._connection is not None:
            await self._connection.close()
        if self._thread is not None:
            self._thread.shutdown(wait=True)


class Rescuer:
    """Every `every` seconds, hands the events whose lease ran out to the answering pool."""

    def __init__(self, app: App, inbox: Inbox, pool: Executor, every: float) -> None:
        self.app, self.inbox, self.pool, self.every = app, inbox, pool, every
        self._stop = threading.Event()
        self._in_hand: set[int] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="perfbot-inbox-rescuer", daemon=True)
        self._failing = False

    def start(self) -> Rescuer:
        """Start looking (at once, then every `every` seconds)."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop looking."""
        self._stop.set()
        self._thread.join(timeout=10)

    def rescue(self) -> int:
        """Hand every abandoned event not already in hand to the pool; how many."""
        try:
            found = self.inbox.abandoned()
        except SQLAlchemyError as error:
            if not self._failing:
                logger.warning("cannot look for abandoned Slack events in the inbox (%s)", type(error).__name__)
            self._failing = True
            return 0
        self._failing = False
        handed = 0
        for entry in found:
            with self._lock:
                if entry.id in self._in_hand:
                    continue
                self._in_hand.add(entry.id)
            logger.info("answering Slack event %s, abandoned by the process that acknowledged it", entry.key)
            self.pool.submit(answer_entry, self.app, self.inbox, entry).add_done_callback(
                lambda work, number=entry.id: self._done(number, work))
            handed += 1
        return handed

    def _done(self, number: int, work: Future[Any]) -> None:
        with self._lock:
            self._in_hand.discard(number)
        if work.exception() is not None:
            logger.error("could not answer an abandoned Slack event", exc_info=work.exception())

    def _run(self) -> None:
        while not self._stop.is_set():
            self.rescue()
            self._stop.wait(self.every)
