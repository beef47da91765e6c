"""Answer each Slack event once, however often it is delivered.

Slack redelivers an event (same `event_id`, with `X-Slack-Retry-Num`) when it thinks an
acknowledgement was late or lost, and may send one user message as two events (`message.im` and
`app_mention` in a direct message, sharing `client_msg_id`). A delivery's keys are first checked in
a bounded, thread-safe LRU set (a repeat this process saw costs nothing), then claimed in the store
(`DeliveryClaims`: INSERT … ON CONFLICT DO NOTHING), so with several processes on one database,
or several Socket Mode connections, only the process that claims a delivery answers it. Button
clicks are claimed the same way. An event that came through the inbox had its keys claimed when it
was written there (bot/slack/inbox.py), so it passes.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.slack.inbox import FROM_INBOX
from data_access.conversations import DeliveryClaims

logger = logging.getLogger(__name__)

DEFAULT_CAPACITY = 10_000


class SeenKeys:
    """A bounded set of recently seen keys; the oldest are forgotten first."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, *keys: str) -> bool:
        """Record `keys`; True when none of them had been seen before."""
        with self._lock:
            seen = any(key in self._keys for key in keys)
            for key in keys:
                self._keys[key] = None
                self._keys.move_to_end(key)
            while len(self._keys) > self.capacity:
                self._keys.popitem(last=False)
            return not seen

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys)


def event_keys(body: dict[str, Any]) -> tuple[str, ...]:
    """The keys that identify an Events API delivery: its event id and the message it carries."""
    keys = []
    if body.get("event_id"):
        keys.append(f"slack:event:{body['event_id']}")
    event = body.get("event") or {}
    if event.get("type") in ("message", "app_mention"):
        if event.get("client_msg_id"):
            keys.append(f"slack:client_msg:{event['client_msg_id']}")
        if event.get("channel") and event.get("ts"):
            keys.append(f"slack:message:{event['channel']}:{event['ts']}")
    return tuple(keys)


def action_keys(body: dict[str, Any]) -> tuple[str, ...]:
    """The keys of a button click or form submission: who clicked what, when."""
    user = (body.get("user") or {}).get("id", "")
    return tuple(f"slack:action:{user}:{action.get('action_id')}:{action['action_ts']}"
                 for action in body.get("actions") or () if action.get("action_ts"))


def delivery_keys(body: dict[str, Any]) -> tuple[str, ...]:
    """The keys of an event or a block action ((): anything else, which is never repeated)."""
    if body.get("type") == "event_callback":
        return event_keys(body)
    if body.get("type") == "block_actions":
        return action_keys(body)
    return ()


class IgnoringRepeatedEvents(Middleware):
    """Acknowledges a delivery already seen, or claimed by another process, without running any
    listener for it again."""

    def __init__(self, seen: SeenKeys | None = None, claims: DeliveryClaims | None = None) -> None:
        self.seen = seen if seen is not None else SeenKeys()
        self.claims = claims

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Run the listeners for a first delivery; answer a repeat with an empty 200."""
        keys = delivery_keys(req.body)
        if not keys or req.context.get(FROM_INBOX):  # an inbox event's keys were claimed as it was written
            return next()
        if self.seen.first_time(*keys) and (self.claims is None or self.claims.should_answer(keys)):
            return next()
        retry = req.headers.get("x-slack-retry-num", ["0"])[0]
        logger.info("ignored repeated Slack %s %s (retry %s)", req.body.get("type"), req.body.get("event_id", ""), retry)
        return BoltResponse(status=200, body="")
