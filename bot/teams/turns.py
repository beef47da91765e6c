"""What the bot does with each Teams activity: find the person, remember the conversation for
proactive messages, ask the core and post its replies. A submitted form card is updated in place:
shown again with the errors beside their fields when the core could not take it (nothing else is
posted), else replaced by a "sent" note before the answer.

The core is synchronous (it talks to the database), so its calls run in a few worker threads of
their own and the event loop keeps serving other conversations meanwhile. A few are enough: the
core mostly holds the interpreter lock, and 200 answers shared between many threads all finish
late, where shared between a few they finish in turn.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from functools import partial
from typing import Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ErrorResponseException

from bot.core.messages import FormReply, Person, Reply, TextReply, Upload
from bot.core.ports import Core
from bot.teams import activities, cards, files
from bot.teams.activities import ActivityJson
from bot.teams.images import ChartImages
from bot.teams.settings import TeamsSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

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

    def __init__(self, core: Core, settings: TeamsSettings, charts: ChartImages, answering: Executor) -> None:
        self._core = core
        self._answering = answering
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
        try:
            attachment = files.attached_file(activity) if activities.scope(activity) == "personal" else None
            uploads = (await files.fetch(activity, attachment),) if attachment else ()
            person, replies = await self._with_sender(
                context, activity, partial(self._remember_and_answer, activity, uploads))
            outgoing = await asyncio.get_running_loop().run_in_executor(  # publishing a link writes to the store
                self._answering, cards.render, self._notice_for(person, activity) + replies, self._charts)
        except Exception:
            log.exception("Could not answer Teams activity %s in %s", activity.get("id"), activity["conversation"]["id"])
            await context.send_activity(SORRY)
            raise
        form_card = activities.submitted_form_card(activity)
        if form_card is not None:
            kept_open = next((r for r in replies if isinstance(r, FormReply) and r.has_errors), None)
            await _update(context, form_card, cards.form_card(kept_open) if kept_open else cards.sent_card())
            if kept_open:
                return
        await _send(context, outgoing)

    async def _on_installed(self, context: TurnContext, activity: ActivityJson) -> None:
        """Remember where the app was installed and say hello."""
        await self._with_sender(context, activity, partial(self._remember, activity))
        personal = activities.scope(activity) == "personal"
        welcome = TextReply(WELCOME_PERSONAL if personal else WELCOME_SHARED)
        await _send(context, cards.render([welcome], self._charts))

    async def _with_sender(
        self, context: TurnContext, activity: ActivityJson, work: Callable[[Person | None], T]
    ) -> tuple[Person | None, T]:
        """Find the sender and run `work(person)` in one worker-thread trip; when an unknown sender
        may be found by e-mail, ask Teams for it first and take a second trip."""
        loop = asyncio.get_running_loop()
        turn = await loop.run_in_executor(self._answering, self._identified, activity, None, work)
        if turn is None:
            addresses = await _member_addresses(context, activity["from"]["id"])
            turn = await loop.run_in_executor(self._answering, self._identified, activity, addresses, work)
        return turn

    def _identified(
        self, activity: ActivityJson, addresses: list[str] | None, work: Callable[[Person | None], T]
    ) -> tuple[Person | None, T] | None:
        """The sender and `work(sender)`; None when Teams should first be asked the sender's e-mail."""
        person = self._person(activity, addresses or [])
        if person is None and addresses is None and self._email_may_identify(activity):
            return None
        return person, work(person)

    def _person(self, activity: ActivityJson, addresses: list[str]) -> Person | None:
        """The sender, by AAD object id or Teams id, else by e-mail/UPN (then linked to that id)."""
        ids = activities.user_ids(activity)
        for user_id in ids:
            person = self._core.person_by_channel_id("teams", user_id)
            if person:
                return person
        for address in addresses:
            person = self._core.person_by_email(address)
            if person and self._core.link_channel_id("teams", person.email, ids[0]):
                return person
            if person:
                log.warning("Teams user %s matches a person who already has another Teams id: not recognised", ids[0])
                return None
        return None

    def _email_may_identify(self, activity: ActivityJson) -> bool:
        """True when Teams can tell the sender's e-mail and it may be trusted (see TeamsSettings)."""
        return bool(activity.get("channelData")) and self._settings.trusts_email_from(activities.tenant_id(activity))

    def _remember_and_answer(self, activity: ActivityJson, uploads: tuple[Upload, ...],
                             person: Person | None) -> list[Reply]:
        """Store the conversation reference, then ask the core (with any file fetched)."""
        self._remember(activity, person)
        return self._core.handle(activities.to_message(activity, person, uploads))

    def _remember(self, activity: ActivityJson, person: Person | None) -> None:
        """Save how to reach this conversation proactively (not a personal chat with someone unknown)."""
        key = activities.reference_key(activity, person)
        if key:
            self._core.save_conversation_reference("teams", key, activities.conversation_reference(activity))

    def _notice_for(self, person: Person | None, activity: ActivityJson) -> list[Reply]:
        """The not-recognised notice, the first time an unknown sender is answered."""
        sender = activity["from"]["id"]
        if person is not None or sender in self._told_not_recognised:
            return []
        self._told_not_recognised.add(sender)
        return [TextReply(NOT_RECOGNISED)]


async def _member_addresses(context: TurnContext, member_id: str) -> list[str]:
    """The e-mail and UPN Teams holds for a conversation member (none if Teams will not say)."""
    try:
        member = await TeamsInfo.get_member(context, member_id)
    except ErrorResponseException as error:
        log.warning("Teams did not return member %s: %s", member_id, error)
        return []
    return [address for address in dict.fromkeys([member.email, member.user_principal_name]) if address]


async def _update(context: TurnContext, activity_id: str, card: dict[str, Any]) -> None:
    """Replace the card message `activity_id` by `card`; if Teams refuses, the answer still goes out."""
    replacement = Activity().deserialize(cards.card_message(card))
    replacement.id = activity_id
    try:
        await context.update_activity(replacement)
    except ErrorResponseException as error:
        log.warning("Teams refused to update form card %s: %s", activity_id, error)


async def _send(context: TurnContext, outgoing: list[dict[str, Any]]) -> None:
    """Post rendered activities into the conversation of this turn, in order."""
    if outgoing:
        await context.send_activities([Activity().deserialize(activity) for activity in outgoing])
