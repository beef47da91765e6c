"""Writing to the inbox from an event loop on PostgreSQL, as `perfbot serve slack` does before each
acknowledgement: one prepared statement on one connection kept open, in autocommit, so a batch of
events and the claims on their keys is one round trip and one commit (synchronous, as every
commit), and the event loop goes on reading requests while PostgreSQL writes it. The rows are
those `Inbox.receive` writes (SQLite writes through it, on a thread).

A connection found broken is opened again and the batch written once more: the claims make that
safe (an event the lost attempt did write is then a repeat, acknowledged, and held in the inbox
by this process until the rescuer answers it).
"""
from __future__ import annotations

from collections.abc import Sequence

import psycopg
from sqlalchemy.exc import DBAPIError

from data_access.inbox import Entry, Inbox, first_deliveries, utc

# Each event with its first key and payload; each key with its event; the claims on the keys,
# then the events all of whose keys were claimed now.
STATEMENT = """
WITH event AS (SELECT * FROM unnest(%(numbers)s::int[], %(firsts)s::varchar[], %(bodies)s::text[])
                AS e (number, key, body)),
     wanted AS (SELECT * FROM unnest(%(owners)s::int[], %(keys)s::varchar[]) AS w (number, key)),
     claimed AS (INSERT INTO delivery_claim (key, claimed_at) SELECT key, %(now)s FROM wanted
                 ON CONFLICT DO NOTHING RETURNING key)
INSERT INTO inbox_event (key, channel, body, received_at, held_by, lease_until, attempts)
SELECT e.key, %(channel)s, e.body, %(now)s, %(holder)s, %(until)s, 0 FROM event AS e
WHERE NOT EXISTS (SELECT FROM wanted AS w WHERE w.number = e.number AND w.key NOT IN (SELECT key FROM claimed))
ORDER BY e.number
RETURNING key, id
"""


class InboxConnection:
    """The inbox of `inbox` written through one connection of its own, used from one event loop."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        _, self._connect_args = inbox.engine.dialect.create_connect_args(inbox.engine.url)
        self._connect_args.pop("context", None)  # SQLAlchemy's adapters: psycopg's own suit this statement
        self._connect_args.setdefault("application_name", f"perfbot inbox {inbox.holder}"[:63])
        self._connection: psycopg.AsyncConnection | None = None

    async def receive(self, events: Sequence[tuple[str, tuple[str, ...]]]) -> list[Entry | None]:
        """What `Inbox.receive` returns for `events`, written in one statement; the store's error
        (a SQLAlchemy DBAPIError) when it cannot be written."""
        firsts = first_deliveries(events, self.inbox.channel)
        if not firsts:
            return [None] * len(events)
        now = utc(self.inbox.clock())
        values = {"numbers": list(firsts), "firsts": [keys[0] for keys in firsts.values()],
                  "bodies": [events[number][0] for number in firsts],
                  "owners": [number for number, keys in firsts.items() for _ in keys],
                  "keys": [key for keys in firsts.values() for key in keys],
                  "now": now, "until": now + self.inbox.lease, "channel": self.inbox.channel,
                  "holder": self.inbox.holder}
        try:
            ids = dict(await self._run(values, again=self._connection is not None))
        except psycopg.Error as error:
            raise DBAPIError.instance(STATEMENT, None, error, psycopg.Error) from error
        return [Entry(ids[keys[0]], keys[0], events[number][0]) if (keys := firsts.get(number)) and keys[0] in ids
                else None for number in range(len(events))]

    async def _run(self, values: dict, again: bool) -> list[tuple[str, int]]:
        """Run the statement, opening the connection first if need be (and once more, when
        `again`, if the one kept open was found broken)."""
        if self._connection is None:
            self._connection = await psycopg.AsyncConnection.connect(**self._connect_args, autocommit=True)
        try:
            cursor = await self._connection.execute(STATEMENT, values, prepare=True)
            return [(key, number) for key, number in await cursor.fetchall()]
        except psycopg.Error:
            if self._connection.broken or self._connection.closed:
                self._connection = None
                if again:
                    return await self._run(values, again=False)
            raise

    async def close(self) -> None:
        """Close the connection."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
