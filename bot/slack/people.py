"""Who is asking: a Slack user matched to a person the core knows.

First by the stored `slack_user_id`; failing that by the e-mail on the Slack profile (users.info,
which needs the users:read.email scope), after which the match is remembered through the core's
`link_channel_id` so the next message needs no Slack call. Someone with no match is None: the
core decides what an unknown person may see, and the channel tells them once that they are not
recognised.

An e-mail identifies a person only for a member of the council's own workspace(s): SLACK_TEAM_IDS,
by default the app's own team (auth.test). A user from another workspace (a Slack Connect guest,
`is_stranger`, or another `team_id`) can give their profile any address, so is never matched by it;
and a person who already has a different Slack id is not re-linked (the core refuses and audits).
"""
from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.messages import Person
from bot.core.ports import Core
from bot.slack.dedup import SeenKeys

logger = logging.getLogger(__name__)

CHANNEL = "slack"

UNKNOWN_PERSON_NOTE = (
    "I don't recognise your Slack account, so I can only answer questions about public indicators. "
    "If you work for the council or are a councillor, ask the performance team to add the e-mail "
    "address on your Slack profile to perfbot."
)


class People:
    """Finds the person behind a Slack user id and remembers matches made by e-mail."""

    def __init__(self, core: Core, client: WebClient, team_ids: tuple[str, ...] = ()) -> None:
        self.core = core
        self.client = client
        self._team_ids = frozenset(team_ids)
        self._noted = SeenKeys()

    def person(self, user_id: str) -> Person | None:
        """The person this Slack user is, or None when nobody in the people table matches."""
        person = self.core.person_by_channel_id(CHANNEL, user_id)
        if person is not None:
            return person
        email = self.profile_email(user_id)
        person = self.core.person_by_email(email) if email else None
        if person is None:
            return None
        if not self.core.link_channel_id(CHANNEL, person.email, user_id):
            logger.warning("Slack user %s matches a person who already has another Slack id: not recognised", user_id)
            return None
        logger.info("linked Slack user %s to a person by profile e-mail", user_id)
        return person

    def council_teams(self) -> frozenset[str]:
        """The workspaces whose members may be matched by e-mail: SLACK_TEAM_IDS, else the app's own."""
        if not self._team_ids:
            self._team_ids = frozenset({str(self.client.auth_test()["team_id"])})
        return self._team_ids

    def profile_email(self, user_id: str) -> str | None:
        """The e-mail on the user's Slack profile, or None (no e-mail, a bot, a deleted user)."""
        try:
            response = self.client.users_info(user=user_id)
        except SlackApiError as error:
            if error.response.get("error") in ("user_not_found", "users_not_found"):
                return None
            raise
        user = response.get("user") or {}
        if user.get("is_bot") or user.get("deleted"):
            return None
        if user.get("is_stranger") or user.get("team_id") not in self.council_teams():
            logger.warning("Slack user %s is from another workspace: not matched by e-mail", user_id)
            return None
        return (user.get("profile") or {}).get("email") or None

    def first_unknown_contact(self, user_id: str) -> bool:
        """True the first time (in this process) an unrecognised user is answered."""
        return self._noted.first_time(user_id)
