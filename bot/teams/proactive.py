"""Proactive messages (reminders, alerts, digests): post replies to a person or a Teams channel the
bot has met before, using the conversation reference stored through the core.

A person is reached in their personal chat with the bot (stored under their e-mail); a channel or
group chat under its Teams id. Failures raise, so the caller (the notification dispatcher) can
retry and record them.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference, ErrorResponseException

from bot.core.messages import Person, Reply
from bot.core.ports import Core
from bot.teams import cards
from bot.teams.adapter import create_adapter
from bot.teams.images import ChartImages
from bot.teams.settings import TeamsSettings

log = logging.getLogger(__name__)


class NoConversation(LookupError):
    """Raised when the bot has no stored conversation with the person or channel asked for."""


class TeamsSender:
    """Sends replies into stored Teams conversations."""

    def __init__(self, adapter: CloudAdapter, core: Core, settings: TeamsSettings, charts: ChartImages) -> None:
        self._adapter = adapter
        self._core = core
        self._settings = settings
        self._charts = charts

    async def send(self, target: Person | str, replies: Sequence[Reply]) -> list[str]:
        """Post `replies` to `target` (a Person's personal chat, or a channel/group chat id) and
        return the ids Teams gave the messages."""
        key = target.email if isinstance(target, Person) else target
        outgoing = [Activity().deserialize(activity) for activity in cards.render(replies, self._charts)]
        stored = await asyncio.to_thread(self._core.conversation_reference, "teams", key)
        if stored is None:
            raise NoConversation(f"perfbot has no Teams conversation with {key}: they must install the app or message it first")

        posted: list[str] = []

        async def post(context: TurnContext) -> None:
            # botbuilder gives the continuation activity a random id, which would turn every
            # proactive message into a reply to an activity that does not exist.
            context.activity.id = None
            posted.extend(response.id for response in await context.send_activities(outgoing) if response.id)

        reference = ConversationReference().deserialize(stored)
        await self._adapter.continue_conversation(reference, post, self._settings.app_id)
        return posted

    async def update(self, target: Person | str, activity_id: str, replies: Sequence[Reply]) -> str:
        """Replace the message `activity_id` in `target`'s conversation with the first of `replies`
        (Teams' update activity; in a channel, on the post's thread); any further replies follow it
        in the thread. When Teams refuses the update, all the replies are posted in the thread
        instead. Returns the id of the message answered."""
        key = target.email if isinstance(target, Person) else target
        outgoing = [Activity().deserialize(activity) for activity in cards.render(replies, self._charts)]
        stored = await asyncio.to_thread(self._core.conversation_reference, "teams", key)
        if stored is None:
            raise NoConversation(f"perfbot has no Teams conversation with {key}")
        reference = ConversationReference().deserialize(stored)
        conversation = reference.conversation
        if conversation.conversation_type == "channel" and ";messageid=" not in conversation.id:
            conversation.id = f"{conversation.id};messageid={activity_id}"

        async def rewrite(context: TurnContext) -> None:
            first, *rest = outgoing
            first.id = activity_id
            try:
                await context.update_activity(first)
            except ErrorResponseException as error:
                log.warning("Teams refused to update message %s (%s); answering in its thread", activity_id, error)
                rest = outgoing
                first.id = None
            if rest:
                context.activity.id = None
                await context.send_activities(rest)

        await self._adapter.continue_conversation(reference, rewrite, self._settings.app_id)
        return activity_id


def create_sender(settings: TeamsSettings, core: Core) -> TeamsSender:
    """A sender for a process that does not run the Teams server (charts are sent inline there)."""
    return TeamsSender(create_adapter(settings), core, settings, ChartImages())
