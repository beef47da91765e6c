"""Weekly digests with a fixed clock: when they fall (Monday 08:30 London by default, configurable,
across the clock change), once per recipient per week, and what the leadership and a cabinet
member's digests say for the week of 30 November 2026 — counts, what changed, reds with their
commentary or "commentary outstanding", returns overdue — with the scorecard chart where it shows."""
from __future__ import annotations

import json
from datetime import datetime, time, timezone

import pytest
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import Message
from bot.slack.app import web_client
from bot.slack.sender import SlackSender
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack
from data_access.store import Store
from schedules.alerts import sweep_alerts
from schedules.channels import Senders
from schedules.digests import digest_moment, sweep_digests, week_of
from schedules.dispatch import dispatch
from schedules.settings import NotificationSettings
from schedules.working_time import LONDON, WorkingTime

LEADERSHIP = "slack:C0LEAD"
KATE = "kate.young@demo-council.example"          # delegate of the owner of CLA_RATE
CHLOE = "chloe.young@demo-council.example"        # owns CRIME_RATE
PRIYA = "cllr.priya.evans@demo-council.example"   # cabinet member for Children and Young People
CABINET = 8
WORKING = WorkingTime()


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    """A London wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def leadership_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFBOT_LEADERSHIP_CHANNELS", LEADERSHIP)


@pytest.fixture
def week(store: Store) -> Store:
    """The week before the digest of Monday 30 November: the baseline on Monday 23rd, children
    looked after turning red on Wednesday 25th, commentary on crime the same day."""
    store.clock = lambda: at(11, 23, 10)
    sweep_alerts(store, store.clock())
    store.clock = lambda: at(11, 25, 10)
    bot = Bot(store, today=lambda: store.clock().date())

    def say(text_: str, who: str, conversation: str) -> dict:
        return bot.answer(Message(text_, bot.person_by_email(who), conversation), render_charts=False).facts

    assert say("CLA rate for 2026/27 Q2 is 95", KATE, "k")["status"] == "red"
    assert say("commentary for crime rate 2026/27 Q2", CHLOE, "c")["commentary_requested"]
    say("Burglary up after a run of break-ins in Bilston; extra patrols since October.", CHLOE, "c")
    return store


def digests(store: Store) -> dict[str, dict]:
    """Recipient → the card of each digest delivered to their inbox."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT recipient, body FROM inbox_message WHERE key LIKE 'digest|%' "
                                       "ORDER BY id")).all()
    return {recipient: next(r for r in json.loads(body) if r["kind"] == "card") for recipient, body in rows}


# --- when ---------------------------------------------------------------------------------------

def test_the_digest_falls_on_monday_at_half_past_eight_london_time_across_the_clock_change():
    settings = NotificationSettings()
    assert digest_moment(at(11, 30, 8, 30), settings) == at(11, 30, 8, 30)
    assert digest_moment(at(11, 30, 8, 29), settings) == at(11, 23, 8, 30)
    assert digest_moment(at(12, 4, 17), settings) == at(11, 30, 8, 30)
    # the clocks went forward on Sunday 29 March 2026: 08:30 BST is 07:30 UTC
    assert digest_moment(datetime(2026, 3, 30, 7, 30, tzinfo=timezone.utc), settings) == at(3, 30, 8, 30)
    assert digest_moment(datetime(2026, 3, 30, 7, 29, tzinfo=timezone.utc), settings) == at(3, 23, 8, 30)
    assert week_of(at(11, 30, 8, 30)) == "2026-W49"


def test_the_day_and_time_are_configurable():
    settings = NotificationSettings.from_env({"PERFBOT_DIGEST_DAY": "Fri", "PERFBOT_DIGEST_TIME": "16:00",
                                              "PERFBOT_LEADERSHIP_CHANNELS": "slack:C0LEAD, teams:19:b@thread.tacv2"})
    assert (settings.digest_weekday, settings.digest_time) == (4, time(16, 0))
    assert settings.leadership_channels == ("slack:C0LEAD", "teams:19:b@thread.tacv2")
    assert digest_moment(at(11, 30, 9), settings) == at(11, 27, 16)
    for wrong in ({"PERFBOT_DIGEST_DAY": "someday"}, {"PERFBOT_DIGEST_TIME": "half eight"},
                  {"PERFBOT_LEADERSHIP_CHANNELS": "C0LEAD"}):
        with pytest.raises(ValueError):
            NotificationSettings.from_env(wrong)


def test_each_digest_is_queued_once_a_week(week):
    assert sweep_digests(week, at(11, 30, 8, 29)) == 0
    assert sweep_digests(week, at(11, 30, 8, 30)) == 1 + CABINET
    for moment in (at(11, 30, 8, 35), at(12, 2, 12), at(12, 7, 8, 29)):
        assert sweep_digests(week, moment) == 0
    assert sweep_digests(week, at(12, 7, 8, 30)) == 1 + CABINET
    assert sweep_digests(week, at(12, 16, 9)) == 0              # more than a day late: skipped, not sent stale


def test_without_leadership_channels_leadership_get_it_in_person(week, monkeypatch):
    monkeypatch.delenv("PERFBOT_LEADERSHIP_CHANNELS")
    assert sweep_digests(week, at(11, 30, 8, 30)) == 9 + CABINET   # the chief executive and eight directors


# --- what it says -------------------------------------------------------------------------------

def test_the_leadership_digest_for_the_week_of_30_november(week):
    sweep_digests(week, at(11, 30, 8, 30))
    report = dispatch(week, at(11, 30, 8, 31), Senders(week), WORKING)
    assert len([key for key in report.sent if key.startswith("digest|2026-W49|")]) == 1 + CABINET
    card = digests(week)[LEADERSHIP]
    assert card["title"] == "Weekly performance digest — Monday 30 November 2026"
    assert card["lines"] == [
        "*Wolverhampton* — 7 red, 14 amber, 12 green, 7 without a target (newest values, 2025/26 to Q2 2026/27).",
        "*What changed since last week*",
        "• Children looked after per 10,000 children: 🟠 amber → 🔴 red (95 per 10,000, Q2 2026/27)",
        "*Red (7)*",
        "• Net variation to revenue budget: 1.3% against a range of -2.0% to 0.0% (Q1 2026/27) — _commentary outstanding_",
        "• Children looked after per 10,000 children: 95 per 10,000 against 89 per 10,000 (Q2 2026/27) — "
        "_commentary outstanding_",
        "• Customer satisfaction with the contact centre: 76% against 80% (Q1 2026/27) — _commentary outstanding_",
        "• Total recorded crime per 1,000 population: 27.9 per 1,000 against 26.5 per 1,000 (Q2 2026/27) — "
        "“Burglary up after a run of break-ins in Bilston; extra patrols since October.”",
        "• Households prevented from becoming homeless: 337 against 360 (Q2 2026/27) — _commentary outstanding_",
        "• Residual household waste per household: 157 kg against 150 kg (Q2 2026/27) — _commentary outstanding_",
        "• Staff retention: 79.1% against 83.5% (Q2 2026/27) — _commentary outstanding_",
        "*Returns overdue (8)*",
        "• Net variation to revenue budget, Q2 2026/27 — due Tue 20 Oct (Imran Dhillon)",
        "• Journeys on supported bus services, Q2 2026/27 — due Tue 20 Oct (Chloe Young)",
        "• Customer satisfaction with the contact centre, Q2 2026/27 — due Tue 20 Oct (Jas Bains)",
        "• Older people still at home 91 days after discharge into reablement, Q2 2026/27 — due Tue 20 Oct (Amira Kaur)",
        "• Working days lost to sickness per FTE (rolling 12 months), Q2 2026/27 — due Tue 20 Oct (Jas Bains)",
        "• Households in temporary accommodation, Q2 2026/27 — due Tue 20 Oct (Amira Ahmed)",
        "• Anti-social behaviour incidents, October 2026 — due Tue 10 Nov (Wendy Ahmed)",
        "• 16-17 year olds NEET or not known, October 2026 — due Tue 10 Nov "
        "(Maya Rowe)",
    ]
    assert card["actions"] == [{"label": "Show the reds", "value": "which measures are red?"}]


def test_a_cabinet_member_gets_the_digest_of_their_portfolio(week):
    sweep_digests(week, at(11, 30, 8, 30))
    dispatch(week, at(11, 30, 8, 31), Senders(week), WORKING)
    card = digests(week)[PRIYA]
    assert card["lines"][0] == ("*The Children and Young People portfolio* — 1 red, 2 amber, 3 green, 1 without a "
                                "target (newest values, 2025/26 to Q2 2026/27).")
    assert "• Children looked after per 10,000 children: 🟠 amber → 🔴 red (95 per 10,000, Q2 2026/27)" in card["lines"]
    assert not any("crime" in line for line in card["lines"])
    assert card["actions"] == [{"label": "Show the reds", "value": "which measures are red in Children and Young People?"}]
    # next week nothing changed, and the commentary has come in
    bot = Bot(week, today=lambda: at(12, 1, 10).date())
    bot.answer(Message("", bot.person_by_email("imran.jones@demo-council.example"), "i",
                       action={"choice": "commentary for CLA_RATE 2026/27 Q2"}), render_charts=False)
    bot.answer(Message("Two large sibling groups came into care in August; every placement is reviewed in December.",
                       bot.person_by_email("imran.jones@demo-council.example"), "i"), render_charts=False)
    sweep_digests(week, at(12, 7, 8, 30))
    dispatch(week, at(12, 7, 8, 31), Senders(week), WORKING)
    later = digests(week)[PRIYA]
    assert later["title"] == "Weekly performance digest — Monday 7 December 2026"
    assert "• No measure changed status." in later["lines"]
    assert ("• Children looked after per 10,000 children: 95 per 10,000 against 89 per 10,000 (Q2 2026/27) — "
            "“Two large sibling groups came into care in August; every placement is reviewed in December.”") in later["lines"]


def test_in_slack_the_digest_carries_the_scorecard(week):
    store = week
    with MockSlack() as slack:
        settings = SlackSettings(bot_token="xoxb-test", signing_secret="secret", api_url=slack.api_url)
        bot = Bot(store)
        sweep_digests(store, at(11, 30, 8, 30))
        dispatch(store, at(11, 30, 8, 31), Senders(store, [SlackSender(bot, web_client(settings))]), WORKING)
        posts = [c for c in slack.calls("chat.postMessage") if c.args.get("metadata")
                 and c.args["metadata"]["event_payload"]["key"].startswith("digest|")]
        assert len(posts) == 1 + CABINET
        [lead] = [c for c in posts if c.args["channel"] == "C0LEAD"]
        assert lead.args["text"] == "Weekly performance digest — Monday 30 November 2026"
        titles = [json.loads(c.args["files"])[0]["title"] for c in slack.calls("files.completeUploadExternal")
                  if c.args["channel_id"] == "C0LEAD"]
        assert "Performance health: Wolverhampton — newest values, 2025/26 to Q2 2026/27" in titles
