"""The dispatcher's Teams channel: the `Sender` protocol of schedules/channels.py over the async
`TeamsSender`, run on an event loop of its own in a background thread. Teams offers no way to look
up whether a message was already posted, so a delivery resent after a crash between posting and
recording may show twice (at-least-once); everything else is exactly once through the outbox."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from bot.core.messages import Person, Reply
from bot.core.ports import Core
from bot.teams.proactive import create_sender
from bot.teams.settings import TeamsSettings

TIMEOUT_SECONDS = 60


class TeamsDelivery:
    """Delivers notifications to people (and channels) the Teams bot has met."""

    name = "teams"

    def __init__(self, settings: TeamsSettings, core: Core) -> None:
        self._core = core
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="perfbot-teams-delivery", daemon=True).start()
        self._sender = create_sender(settings, core)

    def can_reach(self, recipient: str, person: Person | None) -> bool:
        """True when a conversation with the recipient is stored."""
        return self._core.conversation_reference("teams", recipient) is not None

    def deliver(self, recipient: str, replies: Sequence[Reply], key: str) -> str | None:
        """Post the replies proactively; returns the first Teams message id."""
        target: Person | str = self._core.person_by_email(recipient) or recipient
        posted = asyncio.run_coroutine_threadsafe(self._sender.send(target, replies), self._loop).result(TIMEOUT_SECONDS)
        return posted[0] if posted else None

    def close(self) -> None:
        """Stop the background loop."""
        self._loop.call_soon_threadsafe(self._loop.stop)
