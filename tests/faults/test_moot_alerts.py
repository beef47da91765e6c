"""Alerts stop retrying when they no longer matter: a red alert that Slack would not take, whose
measure is corrected out of the red before Slack is back, is cancelled, and so is its recovery
notice — nobody heard of the red, so nobody hears of the recovery either."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.slack.sender import SlackSender, delivery_client
from bot.slack.settings import SlackSettings
from data_access.models import Delivery
from data_access.store import Store
from schedules.alerts import alerts_since
from schedules.channels import Senders
from schedules.dispatch import dispatch
from schedules.working_time import WorkingTime
from tests.conftest import FIXED_NOW

from .harness import MAYA, red_alert, say
from .standin import UNAVAILABLE, FaultySlack

FAILING = ("conversations.open", "chat.postMessage")


def test_an_alert_corrected_out_of_the_red_during_an_outage_is_never_sent_nor_its_recovery(
        store: Store, slack: FaultySlack) -> None:
    bot = red_alert(store)
    settings = SlackSettings(bot_token="xoxb-faults", signing_secret="faults", api_url=slack.api_url, timeout=2)
    senders = Senders(store, [SlackSender(bot, delivery_client(settings))])
    for method in FAILING:
        slack.always(method, UNAVAILABLE)
    failed = dispatch(store, FIXED_NOW, senders, WorkingTime())
    assert failed.retrying >= 3 and slack.posts_received() == {}  # the owner, director and portfolio holder wait

    say(bot, "CLA rate for 2026/27 Q2 is 90", MAYA)  # corrected to amber while Slack is down
    say(bot, "the return double counted two sibling groups", MAYA)
    for method in FAILING:
        slack.always(method, None)
    for minutes in (5, 30, 90):
        dispatch(store, FIXED_NOW + timedelta(minutes=minutes), senders, WorkingTime())

    assert slack.posts_received() == {}  # neither the red nor its recovery reached anyone in Slack
    assert slack.calls("chat.update") == []
    with store.sessions() as session:
        waiting = session.scalars(select(Delivery.key).where(Delivery.status.in_(("sending", "retry")))).all()
    assert waiting == []
    slack_people = {a["recipient"] for a in alerts_since(store) if a["kind"] == "alert" and a["delivery"] == "cancelled"}
    assert MAYA in slack_people and len(slack_people) == failed.retrying
    assert {a["delivery"] for a in alerts_since(store) if a["recipient"] in slack_people} == {"cancelled"}
