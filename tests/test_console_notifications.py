"""`perfbot chat` on the web demo's store (issue 27): with no --today it follows the demo's clock, so
a person owes the same returns in the console as on the page, and it shows the person's
notifications from their perfbot inbox — the newest when the chat starts, then each new one as it
arrives, its buttons numbered to click like any other."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from bot.console import chat, plain, render_text
from bot.core.bot import Bot
from bot.core.messages import Message
from bot.web.clock import DemoClock, label, london
from bot.web.scheduling import DemoScheduler
from data_access.demo_clock import demo_clock
from data_access.store import Store
from schedules.channels import Senders
from schedules.runner import dispatch_new_job
from schedules.working_time import WorkingTime

ROOT = Path(__file__).resolve().parents[1]
CHLOE = "chloe.young@demo-council.example"  # owns fly-tipping, library visits and bus journeys
KATE = "kate.young@demo-council.example"    # Maya Rowe's delegate for CLA_RATE
BEN = "ben.singh@demo-council.example"      # the council's leader
MOVED_TO = london(date(2027, 2, 15), time(9, 0))


@pytest.fixture
def demo(database_url: str):
    """The demo's store and scheduler, its clock started on 27 Nov 2026 (on real time, as `perfbot demo`)."""
    clock = DemoClock.starting_on(date(2026, 11, 27))
    store = Store.open(database_url, clock=clock.now)
    store.ensure_sample_data()
    scheduler = DemoScheduler(store, clock, senders=Senders(store))
    scheduler.scheduler.leadership.acquire()
    yield store, scheduler, clock
    scheduler.stop()
    store.engine.dispose()


def test_the_demo_keeps_its_clock_in_the_store(demo):
    store, scheduler, clock = demo
    scheduler.move_to(MOVED_TO)
    kept = demo_clock(store.engine)
    assert kept is not None and abs((kept() - clock.now()).total_seconds()) < 5


def test_perfbot_chat_follows_the_demos_clock_and_shows_the_persons_notifications(demo, database_url, tmp_path):
    store, scheduler, clock = demo
    scheduler.move_to(london(date(2026, 11, 27), time(9, 1)))  # as the demo starts: the morning's run
    moved = scheduler.move_to(MOVED_TO)          # "What would happen on 15 February?"
    assert CHLOE in {who["email"] for who in moved.delivered}
    scheduler.stop()                              # the demo stops; its clock stays in the store
    expected = Bot(store, today=clock.today).handle(Message("what returns do I owe?", Bot(store).person_by_email(CHLOE),
                                                            "expected", channel="console"))
    real = Bot(store, today=lambda: date.today()).handle(Message("what returns do I owe?",
                                                                 Bot(store).person_by_email(CHLOE), "real"))
    assert render_text(expected, [], plain) != render_text(real, [], plain)  # the demo's date matters here
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PERFBOT_", "XDG_"))}
    environment.update(HOME=str(tmp_path), PYTHONPATH=str(ROOT), PERFBOT_DATABASE_URL=database_url)
    done = subprocess.run([sys.executable, "-P", "-m", "bot.cli", "chat", "--as", CHLOE],
                          input="what returns do I owe?\nquit\n", capture_output=True, text=True, env=environment,
                          timeout=300, cwd=tmp_path)
    said = done.stdout
    assert done.returncode == 0, done.stderr
    assert f"Following the web demo's clock on this database: {label(MOVED_TO)[:-2]}" in said
    assert "Your notifications" in said and "\u2500\u2500 Reminder \u00b7 Mon 15 Feb 2027, 09:" in said
    assert render_text(expected, [], plain) in said


def test_a_notification_arriving_during_the_chat_is_shown_and_its_buttons_work(demo, tmp_path):
    store, scheduler, clock = demo
    scheduler.move_to(london(date(2026, 11, 27), time(9, 1)))

    class Typing(io.StringIO):
        """What Ben types; before his second line, Kate submits a red value and the scheduler looks."""

        lines = iter(["which measures are red?\n", "what am I subscribed to?\n", "1\n", "quit\n"])

        def readline(self, *_: object) -> str:
            line = next(self.lines)
            if line.startswith("what am I"):
                bot = Bot(store, today=clock.today)
                bot.handle(Message("CLA rate for 2026/27 Q2 is 95", bot.person_by_email(KATE), "k"))
                dispatch_new_job(store, scheduler.senders, scheduler.scheduler.leadership, clock.now, WorkingTime())
            return line

    out = io.StringIO()
    assert chat(store, BEN, None, tmp_path / "charts", Typing(), out) == 0
    said = out.getvalue()
    assert "No notifications in your perfbot inbox yet." in said
    answered, alert = said.split("\u2500\u2500 Alert \u00b7 Fri 27 Nov 2026, 09:01 \u2500\u2500\n")
    assert "As the council's leader you hear whenever any measure at the council goes red." in answered
    assert alert.startswith("\U0001f534 Red: Children looked after per 10,000 children\n")
    assert "\n  [1] Show trend\n[chart: Children looked after per 10,000 children" in alert  # its chart, saved
    trend = alert.split("\n> ", 1)[1]
    assert trend.startswith("Children looked after per 10,000 children \u00b7 Wolverhampton")
    assert "saved to" in trend and "Bye." in trend
