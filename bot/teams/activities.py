"""Incoming Teams activities read in the core's terms: who spoke, what they said or clicked, in
which conversation, and how to reach that conversation again later.

Works on the activity exactly as Teams posted it (Bot Framework JSON), so it imports no SDK and
keeps fields the SDK's models drop (such as `conversation.tenantId`).
"""
from __future__ import annotations

import html
import json
import re
from typing import Any

from bot.core.messages import Message, Person, Upload
from bot.teams.cards import ACTION_KEY

ActivityJson = dict[str, Any]

MENTION = re.compile(r"<at\b[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def message_text(activity: ActivityJson) -> str:
    """What the user typed: the bot's @mention removed, other @mentions kept as plain names."""
    text = activity.get("text") or ""
    bot_id = (activity.get("recipient") or {}).get("id")
    for entity in activity.get("entities") or []:
        mentioned = entity.get("mentioned") or {}
        if (entity.get("type") or "").lower() == "mention" and bot_id and mentioned.get("id") == bot_id:
            text = text.replace(entity.get("text") or f"<at>{mentioned.get('name', '')}</at>", " ")
    text = HTML_TAG.sub(" ", MENTION.sub(r"\1", text))
    return " ".join(html.unescape(text).split())


def submitted_action(activity: ActivityJson) -> dict[str, Any] | None:
    """The button click or form submission an Adaptive Card sent back, in the core's shape."""
    value = activity.get("value")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    if not isinstance(value, dict) or not isinstance(value.get(ACTION_KEY), dict):
        return None
    action = value[ACTION_KEY]
    if "choice" in action:
        return {"choice": str(action["choice"])}
    if "form" in action:
        fields = {name: entry for name, entry in value.items() if name not in (ACTION_KEY, "msteams")}
        return {"form": str(action["form"]), "values": fields}
    return None


def submitted_form_card(activity: ActivityJson) -> str | None:
    """The id of the card message whose form this activity submits, or None when it submits none."""
    action = submitted_action(activity)
    if action is None or "form" not in action:
        return None
    return activity.get("replyToId") or None


def to_message(activity: ActivityJson, person: Person | None, uploads: tuple[Upload, ...] = ()) -> Message:
    """The core `Message` for a Teams message activity (the raw activity travels with it), with
    the file it carries fetched (bot/teams/files.py)."""
    action = submitted_action(activity)
    text = action["choice"] if action and "choice" in action else message_text(activity)
    return Message(
        text=text,
        person=person,
        conversation=activity["conversation"]["id"],
        channel="teams",
        action=action,
        raw=activity,
        files=uploads,
    )


def user_ids(activity: ActivityJson) -> list[str]:
    """The sender's ids a person may be known by: the AAD object id first, then the Teams user id."""
    sender = activity.get("from") or {}
    ids = [sender.get("aadObjectId"), sender.get("id")]
    return [user_id for index, user_id in enumerate(ids) if user_id and user_id not in ids[:index]]


def tenant_id(activity: ActivityJson) -> str | None:
    """The Microsoft 365 tenant the activity came from."""
    tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
    return tenant or (activity.get("conversation") or {}).get("tenantId")


def scope(activity: ActivityJson) -> str:
    """Where the conversation happens: 'personal', 'groupChat' or 'channel'."""
    conversation = activity.get("conversation") or {}
    return conversation.get("conversationType") or ("groupChat" if conversation.get("isGroup") else "personal")


def channel_key(activity: ActivityJson) -> str:
    """The id of the Teams channel or group chat itself, without the thread (';messageid=…') part."""
    channel = ((activity.get("channelData") or {}).get("channel") or {}).get("id")
    return channel or activity["conversation"]["id"].split(";messageid=")[0]


def reference_key(activity: ActivityJson, person: Person | None) -> str | None:
    """Under which key to remember this conversation: the person's e-mail for a personal chat,
    the channel or group chat id otherwise; None for a personal chat with someone unknown."""
    if scope(activity) == "personal":
        return person.email if person else None
    return channel_key(activity)


def conversation_reference(activity: ActivityJson) -> dict[str, Any]:
    """How to post into this conversation later (service URL, conversation, tenant, bot), as
    Bot Framework ConversationReference JSON. Channel references point at the channel, so a
    proactive message starts a new post rather than replying in someone's thread."""
    conversation = activity["conversation"]
    personal = scope(activity) == "personal"
    reference: dict[str, Any] = {
        "channelId": activity.get("channelId", "msteams"),
        "serviceUrl": activity["serviceUrl"],
        "bot": activity["recipient"],
        "conversation": {
            "id": conversation["id"] if personal else channel_key(activity),
            "conversationType": scope(activity),
            "tenantId": tenant_id(activity),
        },
    }
    if personal:
        reference["user"] = activity["from"]
    return reference


def bot_was_added(activity: ActivityJson) -> bool:
    """True for the conversationUpdate Teams sends when the app is installed in a chat, team or channel."""
    bot_id = (activity.get("recipient") or {}).get("id")
    added = activity.get("membersAdded") or []
    return activity.get("type") == "conversationUpdate" and any(member.get("id") == bot_id for member in added)
