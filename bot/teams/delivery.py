"""The dispatcher's Teams channel: the `Sender` protocol of schedules/channels.py over the async
`TeamsSender`, run on an event loop of its own in a background thread. A person is reached in their
personal chat (by e-mail); a recipient written 'teams:19:abc@thread.tacv2' is a Teams channel,
reached through the reference stored under its id when the bot was added there. `update` rewrites
a delivered message in place (a recovery updating its alert). Teams offers no way to look up
whether a message was already posted, so a delivery resent after a crash between posting and
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
CHANNEL_PREFIX = "teams:"


class TeamsDelivery:
    """Delivers notifications to people (and channels) the Teams bot has met."""

    name = "teams"
    renders_charts = True

    def __init__(self, settings: TeamsSettings, core: Core) -> None:
        self._core = core
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="perfbot-teams-delivery", daemon=True).start()
        self._sender = create_sender(settings, core)

    def can_reach(self, recipient: str, person: Person | None) -> bool:
        """True when a conversation with the recipient (person or channel) is stored."""
        return self._core.conversation_reference("teams", self._key(recipient)) is not None

    def deliver(self, recipient: str, replies: Sequence[Reply], key: str) -> str | None:
        """Post the replies proactively; returns the first Teams message id."""
        posted = self._run(self._sender.send(self._target(recipient), replies))
        return posted[0] if posted else None

    def update(self, recipient: str, reference: str, replies: Sequence[Reply]) -> str | None:
        """Replace the message `reference` (a Teams activity id) with the replies."""
        return self._run(self._sender.update(self._target(recipient), reference, replies))

    def _run(self, work):
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(TIMEOUT_SECONDS)

    @staticmethod
    def _key(recipient: str) -> str:
        """Where the conversation reference is stored: the channel id, or the person's e-mail."""
        return recipient.removeprefix(CHANNEL_PREFIX)

    def _target(self, recipient: str) -> Person | str:
        if recipient.startswith(CHANNEL_PREFIX):
            return self._key(recipient)
        return self._core.person_by_email(recipient) or recipient

    def close(self) -> None:
        """Stop the background loop."""
        self._loop.call_soon_threadsafe(self._loop.stop)
