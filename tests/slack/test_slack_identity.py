"""Who a Slack user is, against the real core and store: an e-mail on a Slack profile identifies a
person only for a member of the council's own workspace(s), and a stored Slack id is never
silently replaced — the conflict is refused and audited."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import update

from bot.core.bot import Bot
from bot.slack.people import People
from bot.slack.testing import TEAM_ID, MockSlack
from data_access.models import Person as PersonRow
from data_access.store import Store
from data_access.submissions import audit_trail

MAYA = "maya.rowe@demo-council.example"
OUTSIDER = "U0OUTSIDE"


class Workspaces(MockSlack):
    """The mock Slack, with users.info answering for users of any workspace."""

    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, dict[str, Any]] = {}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}


def member(user_id: str, email: str, team_id: str = TEAM_ID, **extra: Any) -> dict[str, Any]:
    """A users.info user with this profile e-mail."""
    return {"id": user_id, "team_id": team_id, "is_bot": False, "deleted": False, "profile": {"email": email}, **extra}


@pytest.fixture
def slack() -> Iterator[Workspaces]:
    with Workspaces() as mock:
        yield mock


@pytest.fixture
def bot(store: Store) -> Bot:
    """The real core over the demo data, with Maya Rowe's Slack id not yet known."""
    with store.sessions.begin() as session:
        session.execute(update(PersonRow).where(PersonRow.email == MAYA).values(slack_user_id=None))
    return Bot(store)


def people(bot: Bot, slack: Workspaces, team_ids: tuple[str, ...] = ()) -> People:
    return People(bot, WebClient(token="xoxb-test", base_url=slack.api_url), team_ids)


def slack_id(store: Store, email: str) -> str | None:
    return store.person(email).slack_user_id


def test_a_member_of_the_apps_own_workspace_is_linked_by_e_mail(bot: Bot, slack: Workspaces, store: Store) -> None:
    slack.users["U0MAYA"] = member("U0MAYA", MAYA)
    assert people(bot, slack).person("U0MAYA").email == MAYA
    assert slack_id(store, MAYA) == "U0MAYA"
    assert [c.method for c in slack.calls()] == ["users.info", "auth.test"]
    assert people(bot, slack).person("U0MAYA").email == MAYA  # now by the stored id: no Slack call
    assert len(slack.calls("users.info")) == 1


def test_a_user_of_another_workspace_with_a_matching_e_mail_is_not_linked(bot: Bot, slack: Workspaces,
                                                                          store: Store) -> None:
    slack.users[OUTSIDER] = member(OUTSIDER, MAYA, team_id="T0ELSEWHERE")
    assert people(bot, slack).person(OUTSIDER) is None
    assert slack_id(store, MAYA) is None
    assert not [row for row in audit_trail(store) if row["action"] == "link"]


def test_a_slack_connect_stranger_is_not_linked_even_with_the_councils_team_id(bot: Bot, slack: Workspaces,
                                                                               store: Store) -> None:
    slack.users[OUTSIDER] = member(OUTSIDER, MAYA, is_stranger=True)
    assert people(bot, slack).person(OUTSIDER) is None
    assert slack_id(store, MAYA) is None


def test_slack_team_ids_name_the_councils_workspaces(bot: Bot, slack: Workspaces, store: Store) -> None:
    slack.users["U0MAYA"] = member("U0MAYA", MAYA, team_id="T0SECOND")
    assert people(bot, slack, ("T0FIRST", "T0SECOND")).person("U0MAYA").email == MAYA
    assert slack.calls("auth.test") == []  # SLACK_TEAM_IDS given: the app's own team is not asked
    slack.users["U0OTHER"] = member("U0OTHER", "ben.singh@demo-council.example", team_id=TEAM_ID)
    assert people(bot, slack, ("T0FIRST", "T0SECOND")).person("U0OTHER") is None


def test_a_stored_slack_id_is_never_replaced_the_conflict_is_refused_and_audited(bot: Bot, slack: Workspaces,
                                                                                store: Store) -> None:
    ben = "ben.singh@demo-council.example"
    slack.users["U0SECOND"] = member("U0SECOND", ben)
    assert people(bot, slack).person("U0SECOND") is None
    assert slack_id(store, ben) == "U0001001"
    [refused] = [row for row in audit_trail(store) if row["action"] == "link refused"]
    assert (refused["actor"], refused["key"], refused["old"], refused["new"]) == ("slack:U0SECOND", ben, "U0001001",
                                                                                 "U0SECOND")
    assert "never replaced silently" in refused["reason"]


def test_linking_a_teams_id_over_another_is_refused_and_audited(bot: Bot, store: Store) -> None:
    ben = "ben.singh@demo-council.example"
    assert bot.link_channel_id("teams", ben, "29:someone-else") is False
    assert store.person(ben).teams_user_id == "29:demo-0001"
    assert bot.person_by_channel_id("teams", "29:someone-else") is None
    assert [row["action"] for row in audit_trail(store) if row["key"] == ben] == ["link refused"]
