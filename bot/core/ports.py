"""What a channel may ask of the core: answer a message, and find or remember people and
conversations. Channels depend on this protocol only, never on the store directly."""
from __future__ import annotations

from typing import Any, Protocol

from bot.core.messages import Message, Person, Reply


class Core(Protocol):
    """The channel-neutral bot as the channels see it."""

    def handle(self, message: Message) -> list[Reply]:
        """Answer one message (text or button/form action) with the replies to show."""

    def check_form(self, message: Message) -> dict[str, str]:
        """What is wrong with a submitted form, by field name (empty when it can be taken); answers
        at once and records nothing, so a channel can keep the form open with the errors shown."""

    def person_by_channel_id(self, channel: str, user_id: str) -> Person | None:
        """The person whose `slack_user_id` / `teams_user_id` (channel 'slack' / 'teams') is user_id."""

    def person_by_email(self, email: str) -> Person | None:
        """The person with this e-mail (case-insensitive), or None."""

    def link_channel_id(self, channel: str, email: str, user_id: str) -> bool:
        """Remember that user_id on `channel` is the person with `email` (audited); False when the
        person already has another id there (the conflict is refused and audited, never replaced)."""

    def save_conversation_reference(self, channel: str, key: str, reference: dict[str, Any]) -> None:
        """Store how to reach a person (key = e-mail) or a chat channel (key = its id) proactively."""

    def conversation_reference(self, channel: str, key: str) -> dict[str, Any] | None:
        """The stored reference for `key` on `channel`, or None."""
