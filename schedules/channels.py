"""Where notifications go: a `Sender` per chat channel, chosen per recipient — a person (by
e-mail) or a chat channel ('slack:C0123', 'teams:19:…@thread.tacv2'). The perfbot inbox (used by
the web demo and the console) is always available, keeps each delivery key once, so a resend after
a crash cannot show a message twice, holds channel recipients under their own key, and keeps the
charts a message carries (an alert's trend, a digest's scorecard), as the web demo shows them. Slack and
Teams senders live in their channel folders and follow the same protocol.

Optional parts of the protocol: `update(recipient, reference, replies)` rewrites a message sent
earlier in place (a recovery updating its alert), and `renders_charts = True` says the channel
shows charts (they are then drawn at send time and attached)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.core.messages import Person, Reply, reply_from_dict, reply_to_dict
from data_access.models import InboxMessage
from data_access.store import Store

log = logging.getLogger(__name__)


class Sender(Protocol):
    """Delivers replies to a person (or chat channel) on one channel."""

    name: str

    def can_reach(self, recipient: str, person: Person | None) -> bool:
        """True when this channel can reach the recipient."""

    def deliver(self, recipient: str, replies: list[Reply], key: str) -> str | None:
        """Send the replies; must not show the same `key` twice where the channel can tell.
        Returns a reference to the message sent (for later updates), if the channel has one."""


class Updater(Protocol):
    """A sender that can rewrite a message it sent (optional part of `Sender`)."""

    def update(self, recipient: str, reference: str, replies: list[Reply]) -> str | None:
        """Replace the message `reference` (returned by `deliver`) with `replies`, or, where the
        channel cannot, answer it in its thread; returns the reference of what now shows."""


@dataclass
class InboxSender:
    """Delivery to the perfbot inbox table: exactly once per key."""

    store: Store
    name: str = "inbox"
    renders_charts = True

    def can_reach(self, recipient: str, person: Person | None) -> bool:
        """The inbox reaches everyone."""
        return True

    def deliver(self, recipient: str, replies: list[Reply], key: str) -> str | None:
        """Store the message unless a message with this key is already there."""
        body = json.dumps([reply_to_dict(r) for r in replies], ensure_ascii=False)
        with self.store.sessions.begin() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            session.execute(dialect.insert(InboxMessage).values(
                key=key, recipient=recipient, body=body, delivered_at=self.store.clock()
            ).on_conflict_do_nothing(index_elements=["key"]))
        log.info("delivered %s to the inbox of %s", key.split("|")[0], recipient)
        return key

    def update(self, recipient: str, reference: str, replies: list[Reply]) -> str | None:
        """Replace the body of the inbox message `reference` (its delivery key)."""
        body = json.dumps([reply_to_dict(r) for r in replies], ensure_ascii=False)
        with self.store.sessions.begin() as session:
            changed = session.execute(update(InboxMessage).where(
                InboxMessage.key == reference, InboxMessage.recipient == recipient).values(body=body)).rowcount
        if not changed:
            raise LookupError(f"no inbox message {reference} for {recipient} to update")
        log.info("updated %s in the inbox of %s", reference.split("|")[0], recipient)
        return reference


INBOX_KINDS = {"reminder": "Reminder", "alert": "Alert", "recovery": "Recovered", "digest": "Digest"}


@dataclass(frozen=True)
class InboxItem:
    """A message in someone's perfbot inbox: its id (they only grow), what kind of notification it
    is, in words ('Alert'), when it was delivered (aware UTC) and its replies."""

    id: int
    kind: str
    delivered_at: datetime
    replies: list[Reply]


def inbox_messages(store: Store, email: str, after: int = 0, limit: int = 50) -> list[InboxItem]:
    """The person's inbox messages with an id above `after`, oldest first (at most `limit`)."""
    with store.sessions() as session:
        rows = session.scalars(select(InboxMessage).where(InboxMessage.recipient == email, InboxMessage.id > after)
                               .order_by(InboxMessage.id).limit(limit)).all()
    return [InboxItem(row.id, INBOX_KINDS.get(row.key.split("|", 1)[0], "Notification"),
                      row.delivered_at if row.delivered_at.tzinfo else row.delivered_at.replace(tzinfo=timezone.utc),
                      [reply_from_dict(r) for r in json.loads(row.body)]) for row in rows]


@dataclass
class Senders:
    """The channels in order of preference; each recipient gets the first that can reach them."""

    store: Store
    channels: list[Sender] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not any(isinstance(c, InboxSender) for c in self.channels):
            self.channels.append(InboxSender(self.store))

    def for_recipient(self, recipient: str, person: Person | None) -> Sender:
        """The channel to use for this recipient."""
        return next(c for c in self.channels if c.can_reach(recipient, person))

    def named(self, name: str) -> Sender | None:
        """The channel called `name` ('slack', 'teams', 'inbox'), if configured."""
        return next((c for c in self.channels if c.name == name), None)
