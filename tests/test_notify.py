"""What each person is told (issue 19, notifications): a red alert carries the commentary already
given instead of asking for it again; escalations name the owner and the return; the leader hears
of every red in the demo as it comes; and working-day counts are those of the day a reminder is sent."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.core.bot import Bot
from bot.web.clock import DemoClock, london
from bot.web.scheduling import DemoScheduler
from data_access.store import Store
from schedules.alerts import sweep_alerts
from schedules.channels import Senders
from schedules.dispatch import dispatch
from schedules.working_time import LONDON, WorkingTime
from tests.test_alerts import BEN, IMRAN, KATE, MAYA, NOW, PRIYA, TODAY, cards, inbox, say, write_csv

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
    assert [a["value"] for a in card["actions"]] == ["commentary for CARE_LEAVERS_NEET 2026/27 Q2"]
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
