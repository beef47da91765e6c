"""Answering one Slack message or click: find the person, ask the core, post what it replies;
opening a form as a modal and checking its submission before the modal closes.

Answers run on the worker pool after Slack has been acknowledged. Replies go where the question was
asked: the thread of an @mention, the direct message, or (for /perf) the user's direct messages
with the bot, so that answers about internal indicators never land in a shared channel by accident.
A failure is logged with its traceback and the person is told, never silently swallowed.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.messages import Message, Person, TextReply, Upload
from bot.core.ports import Core
from bot.slack.events import Incoming, conversation_id, payload_kind, translate
from bot.slack.files import FileNotFetched, fetch
from bot.slack.people import UNKNOWN_PERSON_NOTE, People
from bot.slack.posting import direct_channel, send
from bot.slack.render import (
    Post,
    answered,
    answered_one,
    field_block_id,
    form_in_button,
    modal,
    refilled,
    render,
    render_all,
)

logger = logging.getLogger(__name__)

UNCHECKED = "Sorry, I couldn't check this just now, so nothing was recorded. Please try again in a few minutes."
APOLOGY = "Sorry, I couldn't answer that just now. The problem has been logged; please try again in a few minutes."


class Conversations:
    """Carries Slack payloads to the core and the core's replies back to Slack."""

    def __init__(self, core: Core, people: People, client: WebClient) -> None:
        self.core = core
        self.people = people
        self.client = client

    def handle(self, body: dict[str, Any], bot_user_id: str | None) -> None:
        """Answer whatever a Slack payload asks, if anything."""
        incoming = translate(body, bot_user_id)
        if incoming is not None:
            self.answer(incoming, payload_kind(body))

    def answer(self, incoming: Incoming, kind: str) -> None:
        """Post the core's replies to `incoming` in its conversation."""
        started = time.monotonic()
        channel = incoming.channel_id or direct_channel(self.client, incoming.user_id)
        try:
            if incoming.click_note:
                self.mark_clicked(incoming)
            person = self.people.person(incoming.user_id)
            outgoing = render_all(self.core.handle(self._message(incoming, channel, person, self._files(incoming))))
            if person is None and self.people.first_unknown_contact(incoming.user_id):
                outgoing = [*render(TextReply(UNKNOWN_PERSON_NOTE)), *outgoing]
            for item in outgoing:
                send(self.client, item, channel, incoming.thread_ts)
        except Exception:
            logger.exception("could not answer a Slack %s from %s", kind, incoming.user_id)
            send(self.client, Post(APOLOGY, ()), channel, incoming.thread_ts)
            return
        logger.info(
            "answered a Slack %s from %s (%s, %d parts, %.0f ms)",
            kind,
            incoming.user_id,
            "known" if person else "unknown",
            len(outgoing),
            (time.monotonic() - started) * 1000,
        )

    def _files(self, incoming: Incoming) -> tuple[Upload, ...]:
        """The first file attached to a direct message, fetched with the bot token (one a time: a
        return is one file); one Slack will not hand over is passed on unfetched for the core to refuse."""
        if not incoming.files:
            return ()
        described = incoming.files[0]
        try:
            return (fetch(self.client, described),)
        except (FileNotFetched, SlackApiError) as error:
            logger.warning("could not fetch a file from %s: %s", incoming.user_id, error)
            return (Upload(str(described.get("name") or "file"), int(described.get("size") or 0)),)

    def _message(self, incoming: Incoming, channel: str, person: Person | None,
                 files: tuple[Upload, ...] = ()) -> Message:
        """The core's message for `incoming`, in the conversation of `channel` (and its thread)."""
        return Message(
            files=files,
            text=incoming.text,
            person=person,
            conversation=conversation_id(channel, incoming.thread_ts),
            channel="slack",
            action=incoming.action,
            raw=incoming.raw,
        )

    def form_errors(self, incoming: Incoming) -> dict[str, str]:
        """What is wrong with a submitted form modal, by the block id of each field (empty when the
        core can take it), for view_submission's response_action "errors"."""
        assert incoming.channel_id is not None
        try:
            person = self.people.person(incoming.user_id)
            problems = self.core.check_form(self._message(incoming, incoming.channel_id, person))
        except Exception:
            logger.exception("could not check a form from %s", incoming.user_id)
            inputs = [b["block_id"] for b in (incoming.raw.get("view") or {}).get("blocks", []) if b.get("type") == "input"]
            return {inputs[-1]: UNCHECKED} if inputs else {}
        return {field_block_id(name): problem for name, problem in problems.items()}

    def open_form(self, body: dict[str, Any]) -> None:
        """Open the form an "Open the form" button carries as a modal, answering in the button's
        conversation. Must run within 3 seconds of the click: the trigger id expires."""
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        thread = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
        try:
            form = form_in_button(body["actions"][0]["value"])
            self.client.views_open(trigger_id=body["trigger_id"],
                                   view=modal(form, {"channel": channel, "thread": thread}))
        except (KeyError, ValueError, SlackApiError) as error:
            logger.warning("could not open a form for %s: %s", (body.get("user") or {}).get("id"), error)

    def fill_form(self, body: dict[str, Any]) -> None:
        """A select was changed in an open form modal: fill in what the chosen option fills in (the
        period of a return) with views.update. Cosmetic: if Slack refuses, the form still works."""
        view = body.get("view") or {}
        chosen = ((body.get("actions") or [{}])[0].get("selected_option") or {}).get("value")
        updated = refilled(view, str(chosen)) if chosen and view.get("id") else None
        if updated is None:
            return
        try:
            self.client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
        except SlackApiError as error:
            logger.warning("could not fill in a form: %s", error.response.get("error"))

    def mark_clicked(self, incoming: Incoming) -> None:
        """Replace the buttons of the clicked message (of a card: the clicked button only) by a note,
        so it is not answered twice.
        Cosmetic: if Slack refuses (the message was deleted, say), the answer still goes out."""
        container = incoming.raw.get("container") or {}
        message = incoming.raw.get("message") or {}
        if container.get("is_ephemeral") or not message.get("ts") or not incoming.click_note:
            return
        try:
            self.client.chat_update(
                channel=container.get("channel_id") or incoming.raw["channel"]["id"],
                ts=message["ts"],
                text=message.get("text") or incoming.click_note,
                blocks=(answered_one(message.get("blocks") or [], incoming.clicked, incoming.click_note)
                        if incoming.clicked else answered(message.get("blocks") or [], incoming.click_note)),
            )
        except SlackApiError as error:
            logger.warning("could not replace the buttons of a clicked message: %s", error.response.get("error"))
