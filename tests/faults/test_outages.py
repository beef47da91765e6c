"""A channel that keeps failing is reported to the performance team once per outage (row 10 of
issue 16): Slack failing every call over a working day of dispatcher runs, each a new process,
then back — each member of the performance team has received exactly one report, and
`perfbot reminders` and `perfbot alerts` showed what was waiting, retrying, with its error."""
from __future__ import annotations

import asyncio
import re
import subprocess
import sys

from sqlalchemy import select

from bot.core.bot import Bot
from bot.slack.sender import SlackSender, delivery_client
from bot.slack.settings import SlackSettings
from bot.teams.delivery import TeamsDelivery
from bot.teams.settings import TeamsSettings
from bot.teams.testing import MockConnector
from data_access.models import Notification
from schedules.channels import Senders
from schedules.dispatch import dispatch

from .harness import WORKING, Harness
from .standin import UNAVAILABLE

ZOE_GILL, ZOE_UNDERWOOD = "zoe.gill@demo-council.example", "zoe.underwood@demo-council.example"  # the performance team
TEAM = {ZOE_GILL: "D0001010", ZOE_UNDERWOOD: "D0001011"}  # their DMs with perfbot in Slack
REPORT = "perfbot cannot reach people through Slack"
FAILING = ("conversations.open", "conversations.history", "chat.postMessage")


def failing(harness: Harness, runs: int) -> None:
    """Slack answers 503 to every call while the dispatcher runs `runs` times, a new process each time."""
    for method in FAILING:
        harness.slack.always(method, UNAVAILABLE)
    for _ in range(runs):
        harness.finish(harness.start())
        harness.later()
    for method in FAILING:
        harness.slack.always(method, None)


def reports_received(harness: Harness) -> dict[str, int]:
    """How many outage reports each member of the performance team has in their DM with perfbot."""
    received = harness.slack.posts_received()
    return {email: sum(count for (channel, text), count in received.items() if channel == dm and REPORT in text)
            for email, dm in TEAM.items()}


def perfbot(harness: Harness, *args: str) -> str:
    """What `perfbot …` prints against the harness's database."""
    done = subprocess.run([sys.executable, "-m", "bot.cli", "--database", harness.url, *args], env=harness.env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_failing_channel_is_reported_to_the_performance_team_once_per_outage(harness: Harness) -> None:
    failing(harness, 11)  # the 8th failure reports the outage; the report itself then fails and waits
    with harness.store.sessions() as session:
        queued = session.scalars(select(Notification.recipient).where(Notification.kind == "outage")).all()
    assert sorted(queued) == sorted(TEAM)  # recorded once for each member, however many deliveries kept failing
    waiting = perfbot(harness, "reminders", "--today", "2026-11-17").split("\nNot yet delivered (22):\n", 1)[1]
    assert re.search(r"^maya\.rowe@demo-council\.example: Children looked after per 10,000 children for Q2 2026/27 "
                     r"\(Jul–Sep\); 16-17 year olds not in education, employment or training \(NEET\) or not known "
                     r"for October 2026 — retrying after 9 failed attempts: service_unavailable / HTTP 503 "
                     r"since 17 Nov 09:00$", waiting, re.MULTILINE), waiting

    harness.run_until_delivered()  # Slack is back: the report arrives once, with everything that waited
    assert reports_received(harness) == {email: 1 for email in TEAM}
    tally = harness.tally()
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally
    assert "Not yet delivered" not in perfbot(harness, "reminders", "--today", "2026-11-17")

    harness.now = harness.now.replace(day=24, hour=9)  # the next Tuesday with reminders due: a later outage
    assert harness.queue_reminders()
    failing(harness, 9)
    harness.run_until_delivered()
    assert reports_received(harness) == {email: 2 for email in TEAM}  # after Slack delivered again: a new outage


def test_the_report_goes_through_a_chat_channel_that_still_works_for_the_member(harness: Harness) -> None:
    """Zoe Gill also talks to perfbot in Teams: she hears of the Slack outage there at once; Zoe
    Underwood, reachable only in Slack, hears once Slack is back — each once."""
    store, bot = harness.store, Bot(harness.store)
    settings = SlackSettings(bot_token="xoxb-faults", signing_secret="faults", api_url=harness.slack.api_url, timeout=2)
    teams, connector = TeamsDelivery(TeamsSettings(), bot), MockConnector()
    asyncio.run_coroutine_threadsafe(connector.__aenter__(), teams._loop).result(10)
    try:
        bot.save_conversation_reference("teams", ZOE_GILL, {
            "channelId": "msteams", "serviceUrl": connector.url, "bot": {"id": "28:perfbot", "name": "perfbot"},
            "conversation": {"id": "a:zoe-gill", "conversationType": "personal", "tenantId": "t"}})
        senders = Senders(store, [SlackSender(bot, delivery_client(settings)), teams])
        for method in FAILING:
            harness.slack.always(method, UNAVAILABLE)
        for _ in range(10):
            dispatch(store, harness.now, senders, WORKING)
            harness.later()
        assert len([p for p in connector.in_conversation("a:zoe-gill") if REPORT in p.text]) == 1
        assert reports_received(harness) == {email: 0 for email in TEAM}
        for method in FAILING:
            harness.slack.always(method, None)
        for _ in range(10):
            dispatch(store, harness.now, senders, WORKING)
            harness.later()
        assert harness.outstanding() == 0
        assert reports_received(harness) == {ZOE_GILL: 0, ZOE_UNDERWOOD: 1}
        assert len([p for p in connector.in_conversation("a:zoe-gill") if REPORT in p.text]) == 1
    finally:
        asyncio.run_coroutine_threadsafe(connector.__aexit__(None, None, None), teams._loop).result(10)
        teams.close()
