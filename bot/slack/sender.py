"""Notifications out: reminders, alerts and digests from the dispatcher, delivered to a person's
direct messages with perfbot or, for a recipient written 'slack:C0123', posted in that channel
(the bot must be a member). Follows the `Sender` protocol of schedules/channels.py (name,
can_reach, deliver, update, renders_charts).

Each delivery's first message carries its idempotency key as Slack message metadata; before
posting, the recent history of the conversation is checked for that key, so a delivery resent after
a crash is not shown twice. `update` rewrites a delivered message in place (chat.update) — a
recovery updating its alert — and answers in the message's thread when Slack refuses the update.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.messages import Person, Reply
from bot.core.ports import Core
from bot.slack.posting import direct_channel, send
from bot.slack.render import Post, render_all

logger = logging.getLogger(__name__)

DELIVERY_EVENT = "perfbot_delivery"
HISTORY_CHECKED = 50
CHANNEL_PREFIX = "slack:"


class SlackSender:
    """Delivers notifications to people who have a Slack account linked, and to Slack channels."""

    name = "slack"
    renders_charts = True

    def __init__(self, core: Core, client: WebClient) -> None:
        self.core = core
        self.client = client

    def can_reach(self, recipient: str, person: Person | None) -> bool:
        """True for a Slack channel recipient, or a person whose Slack user id is known."""
        if recipient.startswith(CHANNEL_PREFIX):
            return len(recipient) > len(CHANNEL_PREFIX)
        return person is not None and bool(person.slack_user_id)

    def deliver(self, recipient: str, replies: Sequence[Reply], key: str) -> str | None:
        """Post `replies` in the recipient's DM with perfbot (or the channel), unless `key` was
        delivered there already; returns 'channel:ts' of the delivery's first message."""
        outgoing = render_all(replies)
        channel = self._channel(recipient)
        earlier = self.delivered(channel, key)
        if earlier is not None:
            logger.info("delivery %s was already in Slack; not sent again", key.split("|")[0])
            return f"{channel}:{earlier}"
        metadata = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}}
        first: str | None = None
        for item in outgoing:
            ts = send(self.client, item, channel, metadata=metadata if first is None else None)
            first = first or ts
        logger.info("delivered %s to Slack %s", key.split("|")[0], channel)
        return f"{channel}:{first}" if first else channel

    def update(self, recipient: str, reference: str, replies: Sequence[Reply]) -> str | None:
        """Rewrite the message `reference` ('channel:ts') with `replies` (chat.update); what does
        not fit in one message, or everything when Slack refuses the update, goes in its thread."""
        channel, _, ts = reference.partition(":")
        outgoing = render_all(replies)
        if not ts:
            return self.deliver(recipient, replies, f"update|{reference}")
        first = next((item for item in outgoing if isinstance(item, Post)), None)
        rest = [item for item in outgoing if item is not first]
        if first is not None:
            try:
                self.client.chat_update(channel=channel, ts=ts, text=first.text, blocks=list(first.blocks) or None)
            except SlackApiError as error:
                logger.warning("could not update Slack message %s (%s); answering in its thread",
                               reference, error.response.get("error"))
                rest = outgoing
        for item in rest:
            send(self.client, item, channel, thread_ts=ts)
        logger.info("updated Slack message %s", reference)
        return reference

    def _channel(self, recipient: str) -> str:
        """The Slack conversation for a recipient: the channel named, or the person's DM."""
        if recipient.startswith(CHANNEL_PREFIX):
            return recipient[len(CHANNEL_PREFIX):]
        person = self.core.person_by_email(recipient)
        if person is None or not person.slack_user_id:
            raise LookupError("the recipient has no Slack account linked")
        return direct_channel(self.client, person.slack_user_id)

    def delivered(self, channel: str, key: str) -> str | None:
        """The ts of the recent message in `channel` that carries delivery `key`, if any."""
        history = self.client.conversations_history(channel=channel, limit=HISTORY_CHECKED, include_all_metadata=True)
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == DELIVERY_EVENT and (metadata.get("event_payload") or {}).get("key") == key:
                return str(message["ts"])
        return None
