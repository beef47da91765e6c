"""Notifications out: reminders and alerts from the dispatcher, delivered to a person's direct
messages with perfbot. Follows the `Sender` protocol of schedules/channels.py (name, can_reach,
deliver).

Each delivery's first message carries its idempotency key as Slack message metadata; before
posting, the recent history of the DM is checked for that key, so a delivery resent after a crash
is not shown twice.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk import WebClient

from bot.core.messages import Person, Reply
from bot.core.ports import Core
from bot.slack.posting import direct_channel, send
from bot.slack.render import render_all

logger = logging.getLogger(__name__)

DELIVERY_EVENT = "perfbot_delivery"
HISTORY_CHECKED = 50


class SlackSender:
    """Delivers notifications to people who have a Slack account linked."""

    name = "slack"

    def __init__(self, core: Core, client: WebClient) -> None:
        self.core = core
        self.client = client

    def can_reach(self, recipient: str, person: Person | None) -> bool:
        """True for a person whose Slack user id is known."""
        return person is not None and bool(person.slack_user_id)

    def deliver(self, recipient: str, replies: Sequence[Reply], key: str) -> str | None:
        """Post `replies` in the recipient's DM with perfbot, unless `key` was delivered there
        already; returns 'channel:ts' of the delivery's first message."""
        person = self.core.person_by_email(recipient)
        if person is None or not person.slack_user_id:
            raise LookupError("the recipient has no Slack account linked")
        outgoing = render_all(replies)
        channel = direct_channel(self.client, person.slack_user_id)
        earlier = self.delivered(channel, key)
        if earlier is not None:
            logger.info("delivery %s was already in Slack; not sent again", key.split("|")[0])
            return f"{channel}:{earlier}"
        metadata = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}}
        first: str | None = None
        for item in outgoing:
            ts = send(self.client, item, channel, metadata=metadata if first is None else None)
            first = first or ts
        logger.info("delivered %s to Slack user %s", key.split("|")[0], person.slack_user_id)
        return f"{channel}:{first}" if first else channel

    def delivered(self, channel: str, key: str) -> str | None:
        """The ts of the recent message in `channel` that carries delivery `key`, if any."""
        history = self.client.conversations_history(channel=channel, limit=HISTORY_CHECKED, include_all_metadata=True)
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == DELIVERY_EVENT and (metadata.get("event_payload") or {}).get("key") == key:
                return str(message["ts"])
        return None
