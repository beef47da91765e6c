"""Answer each Slack event once, however often it is delivered.

Slack redelivers an event (same `event_id`, with `X-Slack-Retry-Num`) when it thinks an
acknowledgement was late or lost, and may send one user message as two events (`message.im` and
`app_mention` in a direct message). Keys are remembered in a bounded, thread-safe LRU set, so
memory stays flat however long the process runs; Slack's retries come within minutes, far inside
the default capacity. The set lives in one process: run one replica per app (or per Socket Mode
connection) or accept that replicas may each answer a retry.
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
        keys.append(f"event:{body['event_id']}")
    event = body.get("event") or {}
    if event.get("channel") and event.get("ts") and event.get("type") in ("message", "app_mention"):
        keys.append(f"message:{event['channel']}:{event['ts']}")
    return tuple(keys)


class IgnoringRepeatedEvents(Middleware):
    """Acknowledges an event delivery already seen without running any listener for it again."""

    def __init__(self, seen: SeenKeys | None = None) -> None:
        self.seen = seen if seen is not None else SeenKeys()

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Run the listeners for a first delivery; answer a repeat with an empty 200."""
        if req.body.get("type") != "event_callback":
            return next()
        keys = event_keys(req.body)
        if not keys or self.seen.first_time(*keys):
            return next()
        retry = req.headers.get("x-slack-retry-num", ["0"])[0]
        logger.info("ignored repeated Slack event %s (retry %s)", req.body.get("event_id"), retry)
        return BoltResponse(status=200, body="")
