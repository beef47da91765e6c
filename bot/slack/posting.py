"""Putting rendered replies into Slack: a message (chat.postMessage), a chart or document (files_upload_v2, the
three-step external upload), and the direct-message channel with a person (conversations.open).
The client's retry handlers deal with rate limits and server errors; anything still failing raises.
"""
from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.slack.render import Outgoing, Post


def direct_channel(client: WebClient, user_id: str) -> str:
    """The id of the direct-message channel between the bot and `user_id` (opened if need be)."""
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def send(client: WebClient, item: Outgoing, channel: str, thread_ts: str | None = None,
         metadata: dict[str, Any] | None = None) -> str | None:
    """Post one message or upload one chart into `channel` (in the thread, if any); the ts of a
    posted message, or None for an upload. `metadata` is Slack message metadata for a message."""
    if isinstance(item, Post):
        response = client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=item.text, blocks=list(item.blocks) or None, metadata=metadata
        )
        return str(response["ts"])
    client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        file=item.content,
        filename=item.filename,
        title=item.title,
        alt_txt=item.alt_text,
    )
    return None
