"""What the bot does with each Teams activity: find the person, remember the conversation for
proactive messages, ask the core and post its replies.

The core is synchronous (it talks to the database), so its calls run in worker threads and the
event loop keeps serving other conversations meanwhile.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ErrorResponseException

from bot.core.messages import Message, Person, Reply, TextReply
from bot.core.ports import Core
from bot.teams import activities, cards
from bot.teams.activities import ActivityJson
from bot.teams.images import ChartImages
from bot.teams.settings import TeamsSettings

log = logging.getLogger(__name__)

NOT_RECOGNISED = (
    "I don't recognise your Teams account, so I can only answer about public indicators. "
    "If you are a councillor or work for the council, ask the performance team to add you."
)
WELCOME_PERSONAL = (
    "Hello, I'm perfbot. Ask me about the council's performance, for example "
    "*What's the latest NEET rate?* Say *help* to see what else I can do."
)
WELCOME_SHARED = (
    "Hello, I'm perfbot. Mention me with a question about the council's performance, for example "
    "*@perfbot which measures are red?*"
)
SORRY = "Sorry, something went wrong while answering that. The problem has been logged."


class TeamsTurns:
    """Answers Teams activities with the help of the channel-neutral core."""

    def __init__(self, core: Core, settings: TeamsSettings, charts: ChartImages) -> None:
        self._core = core
        self._settings = settings
        self._charts = charts
        self._told_not_recognised: set[str] = set()

    async def on_turn(self, context: TurnContext, activity: ActivityJson) -> None:
        """Handle one activity; `activity` is the JSON Teams posted (the SDK's model drops fields)."""
        if activity.get("type") == "message":
            await self._on_message(context, activity)
        elif activities.bot_was_added(activity):
            await self._on_installed(context, activity)

    async def _on_message(self, context: TurnContext, activity: ActivityJson) -> None:
        """Answer a message or card submission."""
        person = await self._identify(context, activity)
        message = activities.to_message(activity, person)
        replies: list[Reply] = []
        sender = (activity.get("from") or {}).get("id", "")
        if person is None and sender not in self._told_not_recognised:
            self._told_not_recognised.add(sender)
            replies.append(TextReply(NOT_RECOGNISED))
        try:
            replies += await asyncio.to_thread(self._remember_and_answer, activity, message)
            outgoing = cards.render(replies, self._charts)
        except Exception:
            log.exception("Could not answer Teams activity %s in %s", activity.get("id"), message.conversation)
            await context.send_activity(SORRY)
            raise
        await _send(context, outgoing)

    async def _on_installed(self, context: TurnContext, activity: ActivityJson) -> None:
        """Remember where the app was installed and say hello."""
        person = await self._identify(context, activity)
        key = activities.reference_key(activity, person)
        if key:
            await asyncio.to_thread(self._remember, key, activity)
        personal = activities.scope(activity) == "personal"
        welcome = TextReply(WELCOME_PERSONAL if personal else WELCOME_SHARED)
        await _send(context, cards.render([welcome], self._charts))

    def _remember_and_answer(self, activity: ActivityJson, message: Message) -> list[Reply]:
        """Store the conversation reference, then ask the core (one worker-thread trip)."""
        key = activities.reference_key(activity, message.person)
        if key:
            self._remember(key, activity)
        return self._core.handle(message)

    def _remember(self, key: str, activity: ActivityJson) -> None:
        """Save how to reach this conversation proactively."""
        self._core.save_conversation_reference("teams", key, activities.conversation_reference(activity))

    async def _identify(self, context: TurnContext, activity: ActivityJson) -> Person | None:
        """The person behind the sender: by AAD object id or Teams id, else by e-mail/UPN (then linked)."""
        ids = activities.user_ids(activity)
        person = await asyncio.to_thread(self._person_by_ids, ids)
        if person or not ids or not self._settings.trusts_email_from(activities.tenant_id(activity)):
            return person
        addresses = await _member_addresses(context, ids[-1])
        return await asyncio.to_thread(self._person_by_addresses, addresses, ids[0])

    def _person_by_ids(self, ids: list[str]) -> Person | None:
        """The first person known by one of the sender's ids."""
        for user_id in ids:
            person = self._core.person_by_channel_id("teams", user_id)
            if person:
                return person
        return None

    def _person_by_addresses(self, addresses: list[str], user_id: str) -> Person | None:
        """The person with one of these e-mail addresses, remembered as Teams user `user_id`."""
        for address in addresses:
            person = self._core.person_by_email(address)
            if person:
                self._core.link_channel_id("teams", person.email, user_id)
                return person
        return None


async def _member_addresses(context: TurnContext, member_id: str) -> list[str]:
    """The e-mail and UPN Teams holds for a conversation member (none if Teams will not say)."""
    if not context.activity.channel_data:
        return []
    try:
        member = await TeamsInfo.get_member(context, member_id)
    except ErrorResponseException as error:
        log.warning("Teams did not return member %s: %s", member_id, error)
        return []
    return [address for address in dict.fromkeys([member.email, member.user_principal_name]) if address]


async def _send(context: TurnContext, outgoing: list[dict[str, Any]]) -> None:
    """Post rendered activities into the conversation of this turn, in order."""
    if outgoing:
        await context.send_activities([Activity().deserialize(activity) for activity in outgoing])
