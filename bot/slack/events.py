"""Slack payloads in: each kind of payload is reduced by one translator, found in a lookup table by
kind, to who said what and where the answer goes.

Conversation ids follow one rule everywhere, so a button click lands in the conversation that
asked the question: a direct message is its channel id; a channel thread is `channel:thread_ts`.
The raw payload travels with the result for debugging.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.slack.render import CARD_ACTION_PREFIX, CHOICE_ACTION_PREFIX, FORM_FIELD_BLOCK_PREFIX, FORM_VIEW_PREFIX

# Message subtypes a person produces by writing; every other subtype (bot_message, message_changed,
# channel_join, …) is not a question to answer.
_PERSON_SUBTYPES = {None, "file_share", "thread_broadcast"}
_LINK = re.compile(r"<(?![@#!])([^|>]+)(?:\|([^>]*))?>")


@dataclass(frozen=True)
class Incoming:
    """One thing a Slack user said or clicked, and where the answer goes.

    `channel_id` None means "answer in the user's direct messages with the bot" (slash commands).
    `click_note` is what the clicked message should show once answered ("✓ <@U1> chose …");
    `clicked` the action id of a card's button, when only that button is to be marked.
    `files` are the files attached to a direct message, as the event describes them (not fetched).
    """

    user_id: str
    text: str
    channel_id: str | None
    thread_ts: str | None
    raw: dict[str, Any]
    action: dict[str, Any] | None = None
    click_note: str | None = None
    clicked: str | None = None
    files: tuple[dict[str, Any], ...] = ()


def is_direct(channel_id: str) -> bool:
    """True for a direct-message channel (Slack ids of DMs start with D)."""
    return channel_id.startswith("D")


def conversation_id(channel_id: str, thread_ts: str | None) -> str:
    """The core's conversation id: the DM channel, or channel + thread for a channel thread."""
    if is_direct(channel_id) or not thread_ts:
        return channel_id
    return f"{channel_id}:{thread_ts}"


def plain_text(text: str, bot_user_id: str | None) -> str:
    """Slack message text as the person meant it: bot mention removed, links and entities undone."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    return " ".join(html.unescape(text).split())


def payload_kind(body: dict[str, Any]) -> str:
    """The translator key of a payload: the event type, 'slash_command', or the interaction type."""
    if body.get("type") == "event_callback":
        return str((body.get("event") or {}).get("type", ""))
    if "command" in body:
        return "slash_command"
    return str(body.get("type", ""))


def translate(body: dict[str, Any], bot_user_id: str | None) -> Incoming | None:
    """The `Incoming` a payload carries, or None when there is nothing to answer."""
    translator = TRANSLATORS.get(payload_kind(body))
    return translator(body, bot_user_id) if translator else None


def _written_by_a_person(event: dict[str, Any]) -> bool:
    return bool(event.get("user")) and not event.get("bot_id") and event.get("subtype") in _PERSON_SUBTYPES


def _app_mention(body: dict[str, Any], bot_user_id: str | None) -> Incoming | None:
    event = body["event"]
    if not _written_by_a_person(event):
        return None
    channel = event["channel"]
    thread = event.get("thread_ts") or (None if is_direct(channel) else event["ts"])
    return Incoming(event["user"], plain_text(event.get("text", ""), bot_user_id), channel, thread, body)


def _direct_message(body: dict[str, Any], bot_user_id: str | None) -> Incoming | None:
    event = body["event"]
    if event.get("channel_type") != "im" or not _written_by_a_person(event):
        return None
    text = plain_text(event.get("text", ""), bot_user_id)
    attached = tuple(f for f in event.get("files") or () if isinstance(f, dict))
    return Incoming(event["user"], text, event["channel"], event.get("thread_ts"), body, files=attached)


def _slash_command(body: dict[str, Any], bot_user_id: str | None) -> Incoming | None:
    return Incoming(body["user_id"], plain_text(body.get("text", ""), bot_user_id), None, None, body)


def _block_actions(body: dict[str, Any], bot_user_id: str | None) -> Incoming | None:
    action = body["actions"][0]
    action_id = action.get("action_id", "")
    user = body["user"]["id"]
    container = body.get("container") or {}
    channel = container.get("channel_id") or body["channel"]["id"]
    thread = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    if action_id.startswith((CHOICE_ACTION_PREFIX, CARD_ACTION_PREFIX)):
        value = action["value"]
        label = (action.get("text") or {}).get("text", value)
        clicked = action_id if action_id.startswith(CARD_ACTION_PREFIX) else None
        return Incoming(user, value, channel, thread, body, {"choice": value}, f"✓ <@{user}> chose *{label}*", clicked)
    return None


def form_submission(body: dict[str, Any]) -> Incoming | None:
    """A submitted form modal (view_submission) as the form action, answered where the form was
    asked for (the modal's private metadata); None for a view perfbot did not open."""
    view = body.get("view") or {}
    callback = str(view.get("callback_id") or "")
    user = (body.get("user") or {}).get("id")
    if not callback.startswith(FORM_VIEW_PREFIX) or not user:
        return None
    try:
        where = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        where = {}
    if not isinstance(where, dict) or not where.get("channel"):
        return None
    values = {
        block_id.removeprefix(FORM_FIELD_BLOCK_PREFIX): _input_value(next(iter(inputs.values())))
        for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items()
        if block_id.startswith(FORM_FIELD_BLOCK_PREFIX) and isinstance(inputs, dict) and inputs
    }
    action = {"form": callback.removeprefix(FORM_VIEW_PREFIX), "values": values}
    return Incoming(user, "", str(where["channel"]), where.get("thread"), body, action)


def _input_value(state: dict[str, Any]) -> str:
    """What one modal input holds: a select's chosen value or the text typed."""
    if state.get("type") == "static_select":
        return str((state.get("selected_option") or {}).get("value") or "")
    return str(state.get("value") or "")


Translator = Callable[[dict[str, Any], str | None], Incoming | None]

TRANSLATORS: dict[str, Translator] = {
    "app_mention": _app_mention,
    "message": _direct_message,
    "slash_command": _slash_command,
    "block_actions": _block_actions,
}
