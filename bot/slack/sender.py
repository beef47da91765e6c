"""Notifications out: reminders, alerts and digests from the dispatcher, delivered to a person's
direct messages with perfbot or, for a recipient written 'slack:C0123', posted in that channel
(the bot must be a member). Follows the `Sender` protocol of schedules/channels.py (name,
can_reach, deliver, update, renders_charts).

Exactly once per part: a delivery is several Slack calls (the text, the Submit buttons, sections of
a long text, each chart), and each part carries its own key — message metadata on every message,
a tag in the file name of every chart. Before posting, the conversation's recent history is read,
and only the parts not there yet are sent, so a delivery resent after a crash or an error between
parts shows every part once. A post that may have gone through (a 5xx answer, a timeout, a dropped
connection) is not re-posted blindly: the history is checked for its key first. The client given
should therefore retry only rate limits (see `delivery_client`), which wait for Retry-After.

`update` rewrites a delivered message in place (chat.update) — a recovery updating its alert — and
answers in the message's thread when Slack refuses the update; those thread parts are keyed and
checked in the thread (conversations.replies) the same way.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import replace

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler

from bot.core.messages import Person, Reply, reply_to_dict
from bot.core.ports import Core
from bot.slack.posting import checked, direct_channel, messages, send
from bot.slack.render import Outgoing, Post, render_all
from bot.slack.settings import SlackSettings

logger = logging.getLogger(__name__)

DELIVERY_EVENT = "perfbot_delivery"
LOOK_AGAIN_AFTER = 1.0  # a part slower than this (seconds): the delivery's other parts are looked for again
CHANNEL_PREFIX = "slack:"


def delivery_client(settings: SlackSettings) -> WebClient:
    """The dispatcher's Web API client: 429s wait for Retry-After; nothing else is retried by the
    client, since a blind re-post after a 5xx or a dropped connection may show a message twice."""
    return WebClient(token=settings.bot_token, base_url=settings.base_url or WebClient.BASE_URL,
                     timeout=settings.timeout, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=5)])


def _digest(replies: Sequence[Reply]) -> str:
    """A short fingerprint of what `replies` say (the same stored message gives the same one)."""
    body = json.dumps([reply_to_dict(r) for r in replies], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def part_tag(key: str, part: int) -> str:
    """The short tag that marks part `part` of delivery `key` in a chart's file name."""
    return hashlib.sha256(f"{key}#{part}".encode()).hexdigest()[:12]


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
        """Post the parts of `replies` not yet in the recipient's DM with perfbot (or the channel);
        returns 'channel:ts' of the delivery's first message."""
        outgoing = render_all(replies)
        channel = self._channel(recipient)
        there = self.delivered_parts(channel, key, len(outgoing))
        if there:
            logger.info("delivery %s: %d of %d parts already in Slack", key.split("|")[0], len(there), len(outgoing))
        for part, item in enumerate(outgoing):
            if part in there:
                continue
            started = time.monotonic()
            there[part] = self._send_part(channel, item, key, part, len(outgoing))
            if time.monotonic() - started > LOOK_AGAIN_AFTER:
                # a slow part (a hang, retries): another dispatcher may have sent the rest meanwhile
                there = {**self.delivered_parts(channel, key, len(outgoing)), **there}
        logger.info("delivered %s to Slack %s", key.split("|")[0], channel)
        first = next((there[part] for part, item in enumerate(outgoing) if isinstance(item, Post)), None)
        return f"{channel}:{first}" if first else channel

    def _send_part(self, channel: str, item: Outgoing, key: str, part: int, parts: int,
                   thread_ts: str | None = None) -> str | None:
        """Send one part (in the thread `thread_ts`, if given), keyed; after a failure that may have
        posted it, look for it before trying again (`send` does so for a message)."""
        if isinstance(item, Post):
            metadata = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key, "part": part}}
            return send(self.client, item, channel, thread_ts, metadata=metadata)
        stem, dot, suffix = item.filename.rpartition(".")
        tagged = replace(item, filename=f"{stem or suffix}.{part_tag(key, part)}{dot}{suffix if stem else ''}")

        def there() -> tuple[bool, str | None]:
            found = self.delivered_parts(channel, key, parts, thread_ts)
            return part in found, found.get(part)

        return checked(lambda: send(self.client, tagged, channel, thread_ts), there,
                       f"delivery {key.split('|')[0]} part {part}")

    def update(self, recipient: str, reference: str, replies: Sequence[Reply]) -> str | None:
        """Rewrite the message `reference` ('channel:ts') with `replies` (chat.update); what does
        not fit in one message, or everything when Slack refuses the update, goes in its thread,
        each part keyed (by the message and what it says) and looked for in the thread first, so a
        resend posts only the parts missing."""
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
        key = f"update|{reference}|{_digest(replies)}"
        there = self.delivered_parts(channel, key, len(outgoing), ts) if rest else {}
        for part, item in enumerate(outgoing):
            if part not in there and any(item is other for other in rest):
                self._send_part(channel, item, key, part, len(outgoing), ts)
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

    def delivered_parts(self, channel: str, key: str, parts: int, thread_ts: str | None = None) -> dict[int, str | None]:
        """The parts of delivery `key` among the recent messages of `channel` (or of the thread
        `thread_ts`): part number → ts of its message (a chart's ts where Slack gives one). A
        message with the key but no part number (sent before parts were counted) is part 0."""
        tags = {part_tag(key, part): part for part in range(parts)}
        found: dict[int, str | None] = {}
        for message in messages(self.client, channel, thread_ts):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == DELIVERY_EVENT and payload.get("key") == key:
                found[int(payload.get("part", 0))] = str(message["ts"])
            for shared in message.get("files") or []:
                for tag, part in tags.items():
                    if f".{tag}." in str(shared.get("name", "")) + ".":
                        found[part] = str(message.get("ts")) if message.get("ts") else None
        return found
