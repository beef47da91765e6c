"""A red alert reaches people within seconds of the submission that raised it (issue 27): the sweep
after the submission queues it, and the leading scheduler's quick look at the outbox — every few
seconds, in whichever process leads — dispatches it, not the next minute's run; nothing is sent
twice, and a process that does not lead sends nothing."""
from __future__ import annotations

import pytest

from bot.core.bot import Bot
from schedules.alerts import sweep_alerts
from schedules.channels import Senders
from schedules.leader import Leadership
from schedules.runner import DISPATCH_SECONDS, NEW_WORK_SECONDS, Scheduler, dispatch_new_job
from schedules.working_time import WorkingTime
from tests.test_alerts import BEN, IMRAN, KATE, MAYA, NOW, PRIYA, TODAY, cards, inbox, say

WORKING = WorkingTime()


@pytest.fixture(autouse=True)
def no_leadership_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERFBOT_LEADERSHIP_CHANNELS", raising=False)


@pytest.fixture
def bot(store) -> Bot:
    assert sweep_alerts(store, NOW).baseline
    return Bot(store, today=lambda: TODAY)


def test_the_leaders_quick_look_delivers_a_red_alert_straight_after_the_submission(bot, store):
    leading = Leadership(store.engine)
    assert leading.acquire()
    try:
        dispatch_new_job(store, Senders(store), leading, lambda: NOW, WORKING)
        assert inbox(store) == {}  # nothing due: a look, no dispatch
        red = say(bot, "CLA rate for 2026/27 Q2 is 95", KATE)
        assert "red against the 2026/27 target" in red.facts["answer"]
        dispatch_new_job(store, Senders(store), leading, lambda: NOW, WORKING)
        delivered = inbox(store)
        for who in (MAYA, IMRAN, PRIYA, BEN):
            [card] = cards(delivered[who])
            assert "Children looked after per 10,000 children" in card["title"], who
            assert "Show trend" in [a["label"] for a in card["actions"]], who
            [chart] = [r for message in delivered[who] for r in message if r["kind"] == "chart"]  # kept in the inbox
            assert chart["title"].startswith("Children looked after per 10,000 children"), who
        dispatch_new_job(store, Senders(store), leading, lambda: NOW, WORKING)
        assert inbox(store) == delivered  # once only
    finally:
        leading.release()


def test_a_process_that_does_not_lead_only_looks(bot, store):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE)
    dispatch_new_job(store, Senders(store), Leadership(store.engine), lambda: NOW, WORKING)  # never acquired
    assert inbox(store) == {}


def test_the_scheduler_looks_for_new_work_every_few_seconds_between_its_minute_runs(store):
    scheduler = Scheduler(store, Senders(store), clock=lambda: NOW)
    scheduler.start()
    try:
        every = {job.id: job.trigger.interval.total_seconds() for job in scheduler.scheduler.get_jobs()}
    finally:
        scheduler.stop()
    assert every["dispatch"] == DISPATCH_SECONDS and every["dispatch-new"] == NEW_WORK_SECONDS <= 2
