"""What each person is told (issue 19, notifications): a red alert carries the commentary already
given instead of asking for it again; escalations name the owner and the return; the leader hears
of every red in the demo as it comes; and working-day counts are those of the day a reminder is sent."""
from __future__ import annotations

import json
from datetime import date, time

import pytest

from bot.core.bot import Bot
from bot.slack.app import web_client
from bot.slack.sender import SlackSender
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack
from bot.web.clock import DemoClock, london
from bot.web.scheduling import DemoScheduler
from data_access.store import Store
from schedules.alerts import sweep_alerts
from schedules.channels import Senders
from schedules.dispatch import dispatch
from schedules.notices import said_as_acronym
from schedules.reminders import sweep_reminders
from schedules.working_time import WorkingTime
from tests.test_alerts import BEN, IMRAN, KATE, MAYA, NOW, PRIYA, TODAY, cards, inbox, say, write_csv
from tests.test_reminders import at
from tests.test_reminders import inbox as reminder_inbox

WORKING = WorkingTime()
COMMENT = "Two large sibling groups came into care in August; a panel reviews every placement in December."


@pytest.fixture(autouse=True)
def no_leadership_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    """As the demo runs out of the box: no leadership channel configured."""
    monkeypatch.delenv("PERFBOT_LEADERSHIP_CHANNELS", raising=False)


@pytest.fixture
def bot(store: Store) -> Bot:
    """The core on the demo data, after the first sweep has recorded the baseline."""
    assert sweep_alerts(store, NOW).baseline
    return Bot(store, today=lambda: TODAY)


def _said(card: dict) -> str:
    return "\n".join([card["title"], *card["lines"]])


# --- 1. an alert carries the commentary already given -------------------------------------------

def test_a_red_alert_sent_after_the_commentary_shows_it_and_does_not_ask_again(bot, store):
    red = say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
    assert red.facts["commentary_requested"] is True                 # the alert is queued by now…
    assert say(bot, COMMENT, KATE, conversation="k").facts["intent"] == "commentary"   # …and not yet sent
    dispatch(store, NOW, Senders(store), WORKING)
    delivered = inbox(store)
    for who in (MAYA, IMRAN, PRIYA):
        [card] = cards(delivered[who])
        assert f"Commentary from Kate Young, 27 Nov 2026: “{COMMENT}”" in card["lines"], who
        assert "Please add a commentary" not in _said(card), who
        assert [a["label"] for a in card["actions"]] == ["Show trend"], who


def test_in_slack_the_director_and_cabinet_member_see_the_commentary_and_no_button(bot, store):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
    say(bot, COMMENT, KATE, conversation="k")
    with MockSlack() as slack:
        settings = SlackSettings(bot_token="xoxb-test", signing_secret="secret", api_url=slack.api_url)
        dispatch(store, NOW, Senders(store, [SlackSender(bot, web_client(settings))]), WORKING)
        posted = _slack_posts(slack)
    for channel in ("D0001002", "D0001012", "D0001001"):           # Imran Jones, Cllr Priya Evans, Ben Singh
        assert f"Commentary from Kate Young, 27 Nov 2026: “{COMMENT}”" in posted[channel], channel
        assert "Add commentary" not in posted[channel] and "Please add a commentary" not in posted[channel], channel


def _slack_posts(slack: MockSlack) -> dict[str, str]:
    """Everything posted to each Slack channel (a message's text, then its buttons), as JSON text."""
    posted: dict[str, str] = {}
    for call in slack.calls("chat.postMessage"):
        posted[call.args["channel"]] = posted.get(call.args["channel"], "") + json.dumps(call.args, ensure_ascii=False)
    return posted


def test_a_grouped_alert_asks_only_for_the_commentary_still_missing(bot, store, tmp_path):
    store.import_files([write_csv(tmp_path, ["CLA_RATE,E08000031,2026/27 Q2,95",
                                             "CARE_LEAVERS_NEET,E08000031,2026/27 Q2,60.0"])])
    assert sweep_alerts(store, NOW).queued
    assert say(bot, "", MAYA, conversation="m", choice="commentary for CLA_RATE 2026/27 Q2").facts["commentary_requested"]
    say(bot, COMMENT, MAYA, conversation="m")
    dispatch(store, NOW, Senders(store), WORKING)
    [card] = cards(inbox(store)[IMRAN])
    [cla] = [line for line in card["lines"] if "Children looked after" in line]
    assert f"Commentary from Maya Rowe, 27 Nov 2026: “{COMMENT}”" in cla
    assert [a["value"] for a in card["actions"]] == ["commentary for CARE_LEAVERS_NEET 2026/27 Q2",
                                                      "CARE_LEAVERS_NEET trend", "CLA_RATE trend"]
    assert [a["label"] for a in card["actions"]][0] == "Commentary: Care leavers aged 19-21 not in…"
    assert "Please add a commentary on each" in _said(card)


# --- 3. the leader hears of every red in the demo ------------------------------------------------

def test_in_the_demo_a_value_turning_red_reaches_the_leaders_inbox(store):
    clock = DemoClock.starting_on(date(2026, 11, 27), real=lambda: NOW)
    scheduler = DemoScheduler(store, clock)
    scheduler.scheduler.leadership.acquire()
    try:
        scheduler.move_to(clock.now())                                # as `perfbot demo` starts: the baseline
        bot = Bot(store, today=clock.today)
        assert say(bot, "CLA rate for 2026/27 Q2 is 95", KATE).facts["status"] == "red"
        moved = scheduler.move_to(london(date(2026, 11, 27), time(9, 5)))
    finally:
        scheduler.stop()
    assert {BEN, PRIYA} <= {who["email"] for who in moved.delivered}
    delivered = inbox(store)
    [leader] = cards(delivered[BEN])
    assert leader["title"] == "🔴 Red: Children looked after per 10,000 children"
    assert leader["lines"][-1] == "You get this because the council's leader hears of every red."
    assert [a["label"] for a in leader["actions"]] == ["Show trend"]
    [cabinet] = cards(delivered[PRIYA])
    assert cabinet["lines"][-1] == "You get this because it is in your portfolio."


# --- 2. escalations name the owner and the return ------------------------------------------------

def test_an_escalation_names_the_owner_and_the_return_and_buttons_name_it_in_slack(store):
    escalated = at(date(2026, 11, 13), 9)                            # NEET for October: 3 working days late
    with MockSlack() as slack:
        settings = SlackSettings(bot_token="xoxb-test", signing_secret="secret", api_url=slack.api_url)
        senders = Senders(store, [SlackSender(Bot(store, today=lambda: escalated.date()), web_client(settings))])
        sweep_reminders(store, escalated, WORKING)
        dispatch(store, escalated, senders, WORKING)
        posted = _slack_posts(slack)
    manager, delegate = posted["D0001002"], posted["D0001050"]      # Imran Jones (Maya's manager), Kate Young
    assert ("Maya Rowe's 16-17 year olds NEET or not known return for October 2026 is *3 working days late* "
            "(it was due Tue 10 Nov)") in manager
    assert "Say “who hasn't submitted?” to see every return still outstanding." in manager
    assert "you manage the owner" not in manager and "NEET 2026-10" not in manager and "Submit" not in manager
    assert "16-17 year olds NEET or not known, October 2026 — *overdue* — it was due Tue 10 Nov (3 working days ago)" \
           in delegate
    assert "You are reminded as Maya Rowe's delegate." in delegate and "(as delegate)" not in delegate
    assert "Submit 16-17 year olds NEET or not known for October 2026" in delegate
    assert "Submit NEET" not in delegate and "2026-10\"" not in delegate.replace("for NEET 2026-10\"", "")


# --- 4. working days late on the day the reminder is sent -----------------------------------------

def _deadline(store: Store, tmp_path, day: date) -> None:
    """November's monthly returns due on `day` (the reporting calendar)."""
    calendar = tmp_path / "calendar.csv"
    calendar.write_text(f"frequency,period,milestone,deadline\nmonthly,2026-11,data return,{day.isoformat()}\n")
    store.import_files([calendar])


def _november_neet(store: Store) -> list[str]:
    [(_, _, body)] = [m for m in reminder_inbox(store, MAYA)]
    return [line for line in body[0]["text"].splitlines() if line.startswith("• 16-17") and "November 2026" in line]


def test_a_reminder_that_waited_counts_the_working_days_to_the_day_it_is_sent(store, tmp_path):
    _deadline(store, tmp_path, date(2026, 12, 24))
    sweep_reminders(store, at(date(2026, 12, 24), 18), WORKING)      # "due today", queued after hours
    dispatch(store, at(date(2026, 12, 31), 9), Senders(store), WORKING)   # sent a week later
    # the 29th, 30th and 31st: Christmas Day and the Boxing Day holiday (Monday 28th) are not working days
    assert _november_neet(store) == ["• 16-17 year olds NEET or not known, November 2026 — *overdue* — it was due "
                                  "Thu 24 Dec (3 working days ago)"]


def test_after_the_demo_clock_jumps_a_week_the_reminder_says_five_working_days_late(store, tmp_path):
    _deadline(store, tmp_path, date(2026, 12, 3))
    clock = DemoClock.starting_on(date(2026, 12, 3), real=lambda: NOW)
    scheduler = DemoScheduler(store, clock)
    scheduler.scheduler.leadership.acquire()
    try:
        assert scheduler.move_to(london(date(2026, 12, 3), time(18, 0))).note   # queued on the 3rd, after hours
        scheduler.move_to(london(date(2026, 12, 10)))                            # sent on the 10th
    finally:
        scheduler.stop()
    assert _november_neet(store) == ["• 16-17 year olds NEET or not known, November 2026 — *overdue* — it was due "
                                  "Thu 03 Dec (5 working days ago)"]


# --- 5. wording each persona reads ----------------------------------------------------------------

def test_commentary_on_a_return_not_in_yet_says_so_in_words_and_what_to_do(bot):
    asked = say(bot, "commentary for NEET for October", MAYA, conversation="m")
    assert asked.facts["answer"] == ("*16-17 year olds not in education, employment or training (NEET) or not known* "
                                     "has no value for October 2026 yet. Submit the value first (e.g. “NEET for "
                                     "October is 5.4%”), then add its commentary.")


def test_names_are_said_as_people_say_them():
    assert said_as_acronym("16-17 year olds not in education, employment or training (NEET) or not known") == \
        "16-17 year olds NEET or not known"
    assert said_as_acronym("People killed or seriously injured (KSI) on roads") == "People KSI on roads"
    assert said_as_acronym("Employment rate (16-64)") == "Employment rate (16-64)"
    assert said_as_acronym("Pupils in good schools (GCSE)") == "Pupils in good schools (GCSE)"   # not its initials
