"""Slack payloads shaped like the ones Slack sends (captured shapes, ids made up), as builders so a
test can vary who says what, where, and the event id."""
from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlencode

from bot.slack.testing import APP_ID, BOT_USER_ID, TEAM_ID

_ids = itertools.count(1)


def _next_ts() -> str:
    return f"1718100000.{next(_ids):06d}"


def _rich_text(text: str) -> list[dict[str, Any]]:
    return [{"type": "rich_text", "block_id": "x0Yz", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """The Events API envelope around `event`."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "context_team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": 1718100000,
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDBDT1VOQ0lMIn0",
    }


def app_mention(text: str, user: str = "U0001001", channel: str = "C0PERFORM", thread_ts: str | None = None,
                event_id: str | None = None, ts: str | None = None) -> dict[str, Any]:
    """`@perfbot <text>` in a channel (app_mention), optionally inside a thread."""
    ts = ts or _next_ts()
    event = {
        "client_msg_id": f"c9b466b5-845c-49c6-a371-{next(_ids):012d}",
        "type": "app_mention",
        "text": f"<@{BOT_USER_ID}> {text}",
        "user": user,
        "ts": ts,
        "blocks": _rich_text(text),
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event, event_id)


def direct_message(text: str, user: str = "U0001001", channel: str = "D0001001", event_id: str | None = None,
                   ts: str | None = None, **extra: Any) -> dict[str, Any]:
    """A message in the bot's DM (message.im); `extra` adds fields such as bot_id or subtype."""
    ts = ts or _next_ts()
    event = {
        "client_msg_id": f"5e2b4a0c-1f3d-4b8e-9a61-{next(_ids):012d}",
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "blocks": _rich_text(text),
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "im",
        **extra,
    }
    return event_callback(event, event_id)


def slash_command(text: str, user: str = "U0001001", channel: str = "C0PERFORM") -> dict[str, str]:
    """The form fields of `/perf <text>`."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "council",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "performance",
        "user_id": user,
        "user_name": "cllr.jones",
        "command": "/perf",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T0COUNCIL/1111/xxxx",
        "trigger_id": "1111.2222.xxxx",
    }


def block_actions(posted: dict[str, Any], action_id: str, user: str = "U0001001",
                  state: dict[str, Any] | None = None) -> dict[str, Any]:
    """A click on button `action_id` of a message the bot posted (`posted` = chat.postMessage args
    + the ts the mock gave it)."""
    element = next(e for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"]
                   if e["action_id"] == action_id)
    message = {"bot_id": "B0PERFBOT", "type": "message", "text": posted["text"], "user": BOT_USER_ID,
               "ts": posted["ts"], "app_id": APP_ID, "blocks": posted["blocks"], "team": TEAM_ID}
    container = {"type": "message", "message_ts": posted["ts"], "channel_id": posted["channel"],
                 "is_ephemeral": False}
    if posted.get("thread_ts"):
        message["thread_ts"] = container["thread_ts"] = posted["thread_ts"]
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "cllr.jones", "name": "cllr.jones", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": "1111.2222.yyyy",
        "team": {"id": TEAM_ID, "domain": "council"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": posted["channel"], "name": "performance"},
        "message": message,
        "state": {"values": state or {}},
        "response_url": "https://hooks.slack.com/actions/T0COUNCIL/1111/zzzz",
        "actions": [{
            "action_id": action_id,
            "block_id": "b1",
            "text": element["text"],
            "value": element["value"],
            "type": "button",
            "action_ts": "1718100100.000001",
        }],
    }


def url_verification(challenge: str) -> dict[str, Any]:
    """The handshake Slack sends when the Request URL is saved."""
    return {"token": "legacy-verification-token", "challenge": challenge, "type": "url_verification"}


def as_form(fields: dict[str, str]) -> str:
    """A slash command as Slack posts it: application/x-www-form-urlencoded."""
    return urlencode(fields)


def as_interaction(payload: dict[str, Any]) -> str:
    """An interaction as Slack posts it: a form with one `payload` field holding JSON."""
    return urlencode({"payload": json.dumps(payload)})


def socket_envelope(kind: str, payload: dict[str, Any], retry_attempt: int = 0) -> dict[str, Any]:
    """A Socket Mode envelope: 'events_api', 'slash_commands' or 'interactive'."""
    envelope = {
        "envelope_id": f"57d6a792-4d35-4d0b-b6aa-{next(_ids):012d}",
        "payload": payload,
        "type": kind,
        "accepts_response_payload": kind != "events_api",
    }
    if kind == "events_api":
        envelope["retry_attempt"] = retry_attempt
        envelope["retry_reason"] = "timeout" if retry_attempt else ""
    return envelope


def view_submission(view: dict[str, Any], values: dict[str, str], user: str = "U0001001") -> dict[str, Any]:
    """The submission of modal `view` (the view perfbot opened) with `values` typed or chosen, by
    field name: a select's value is the chosen option's, a text input's the text."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        name = block["block_id"].split(":", 1)[1]
        if block.get("type") != "input" or name not in values:
            continue
        element = block["element"]
        if element["type"] == "static_select":
            chosen = next((o for o in element["options"] if o["value"] == values[name]), None)
            state[block["block_id"]] = {element["action_id"]: {"type": "static_select", "selected_option": chosen}}
        else:
            state[block["block_id"]] = {element["action_id"]: {"type": "plain_text_input", "value": values[name]}}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "council"},
        "user": {"id": user, "username": "officer", "name": "officer", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": "1111.2222.zzzz",
        "view": {**view, "id": "V0FORM0001", "team_id": TEAM_ID, "state": {"values": state},
                 "hash": "1718100200.abcd", "app_id": APP_ID, "bot_id": "B0PERFBOT"},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_select(view: dict[str, Any], block_id: str, value: str, user: str = "U0001001") -> dict[str, Any]:
    """A choice made in a select of the open modal `view` (an input block with dispatch_action)."""
    element = next(b["element"] for b in view["blocks"] if b["block_id"] == block_id)
    chosen = next(o for o in element["options"] if o["value"] == value)
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "officer", "name": "officer", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": "V0FORM0001"},
        "trigger_id": "1111.2222.wwww",
        "team": {"id": TEAM_ID, "domain": "council"},
        "is_enterprise_install": False,
        "view": {**view, "id": "V0FORM0001", "hash": "1718100300.efgh", "state": {"values": {}}},
        "actions": [{"type": "static_select", "action_id": element["action_id"], "block_id": block_id,
                     "selected_option": chosen, "action_ts": "1718100300.000001"}],
    }
