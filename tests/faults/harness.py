"""The fault harness: a store with reminders queued, the misbehaving Slack stand-in, and the real
dispatching process (tests/faults/dispatcher.py) started, killed with SIGKILL at chosen moments,
restarted at later moments until everything due is delivered, then a count of what each
recipient received in Slack: every part of every delivery exactly once."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select

from bot.core.bot import Bot
from bot.core.messages import Message, reply_from_dict
from bot.slack.render import Post, render_all
from data_access.models import Delivery, Notification
from data_access.store import Store
from schedules.alerts import sweep_alerts
from schedules.outbox import utc
from schedules.reminders import sweep_reminders
from schedules.working_time import LONDON, WorkingTime

from tests.conftest import FIXED_NOW

from .standin import OK, FaultySlack

CHILD = Path(__file__).with_name("dispatcher.py")
WORKING = WorkingTime()
DAY = date(2026, 11, 17)  # a Tuesday with reminders due for 22 people in the demo council's data
KATE, MAYA = "kate.young@demo-council.example", "maya.rowe@demo-council.example"  # CLA_RATE's delegate and owner
ALERTED_IN_SLACK = {"D0001001", "D0001002", "D0001012", "D0001034"}  # the DMs of the leader and of CLA_RATE's owner, director and cabinet member


@dataclass
class Tally:
    """What the recipients received, against what was due."""

    deliveries: int = 0
    parts: int = 0
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    unsent: int = 0

    def __str__(self) -> str:
        return (f"{self.deliveries} deliveries, {self.parts} parts: {len(self.lost)} lost, {len(self.doubled)} doubled, "
                f"{self.unsent} not sent")


class Harness:
    """One store, one stand-in, and the dispatching process run against them."""

    def __init__(self, store: Store, slack: FaultySlack, day: date = DAY, timeout_seconds: int = 2,
                 code: str | None = None) -> None:
        """`code`: the checkout whose dispatcher runs (default this one; the benchmark also runs main's)."""
        self.store = store
        self.slack = slack
        self.now = datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON)
        self.url = store.engine.url.render_as_string(hide_password=False)
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("SLACK_", "MICROSOFT_APP"))}
        self.env.update(PERFBOT_CODE=code or str(Path(__file__).resolve().parents[2]), SLACK_BOT_TOKEN="xoxb-faults", SLACK_SIGNING_SECRET="faults", SLACK_API_URL=slack.api_url,
                        SLACK_TIMEOUT_SECONDS=str(timeout_seconds), PYTHONUNBUFFERED="1")
        self.runs = 0
        self.kills = 0
        self.log: list[str] = []

    def queue_reminders(self) -> int:
        """The morning sweep: reminders queued for the day."""
        return sweep_reminders(self.store, self.now.replace(hour=6), WORKING)

    def start(self) -> subprocess.Popen[str]:
        """Start the dispatching process at the harness's current moment."""
        self.runs += 1
        return subprocess.Popen([sys.executable, str(CHILD), self.url, self.now.isoformat()], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish(self, process: subprocess.Popen[str], timeout: float = 120) -> dict:
        """Wait for the process to end on its own; what it reported."""
        out, err = process.communicate(timeout=timeout)
        self.log.append(err)
        assert process.returncode == 0, f"dispatcher exited {process.returncode}:\n{err[-3000:]}"
        return json.loads(out.strip().splitlines()[-1])

    def kill(self, process: subprocess.Popen[str]) -> None:
        """SIGKILL the process (no clean-up of any kind), then let held requests go."""
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        self.kills += 1
        self.slack.release()

    def kill_at(self, behaviour: str, rounds: int) -> None:
        """`rounds` times: the stand-in answers a delivery's first part and plays `behaviour` on its
        second; the process is killed the moment it does (a held request while it is held)."""
        for round_ in range(rounds):
            self.slack.script("chat.postMessage", OK, behaviour)
            process = self.start()
            self.slack.wait_outcome(behaviour, round_ + 1)
            self.kill(process)
            self.later()

    def kill_after_posts(self, process: subprocess.Popen[str], posts: int, timeout: float = 60) -> bool:
        """SIGKILL the process once Slack has had `posts` more chat.postMessage calls; False when
        the process ended first (it had less left to send)."""
        target = len(self.slack.calls("chat.postMessage")) + posts
        reached = self.slack.until(lambda: len(self.slack.calls("chat.postMessage")) >= target,
                                   lambda: process.poll() is not None, timeout)
        if not reached:
            self.finish(process)
            return False
        self.kill(process)
        return True

    def later(self) -> None:
        """Move to the next moment anything is due (at least a second on), within working hours."""
        with self.store.sessions() as session:
            due = [session.scalar(select(func.min(Delivery.next_attempt_at)).where(
                Delivery.status.in_(("sending", "retry"))))]
        moments = [utc(_aware(moment)) for moment in due if moment is not None]
        self.now = WORKING.next_opening(max([self.now + timedelta(seconds=1), *moments]))

    def outstanding(self) -> int:
        """Deliveries not yet sent, and items due but not yet in a delivery."""
        with self.store.sessions() as session:
            deliveries = session.scalar(select(func.count()).select_from(Delivery).where(
                Delivery.status.in_(("sending", "retry"))))
            items = session.scalar(select(func.count()).select_from(Notification).where(
                Notification.status == "pending", Notification.due_at <= utc(self.now)))
        return int(deliveries) + int(items)

    def run_until_delivered(self, most: int = 40) -> None:
        """Run the dispatcher again and again, each time at the next moment something is due."""
        for _ in range(most):
            if not self.outstanding():
                return
            self.finish(self.start())
            self.later()
        raise AssertionError(f"still {self.outstanding()} outstanding after {most} runs")

    def tally(self) -> Tally:
        """Every part of every delivery against what each recipient's Slack conversation holds,
        matched by what the person sees (conversation and text), so it counts the same for code
        that keys each part and for code that does not."""
        received = self.slack.posts_received()
        tally = Tally()
        with self.store.sessions() as session:
            deliveries = session.execute(select(Delivery.key, Delivery.recipient, Delivery.body, Delivery.status)).all()
        for key, recipient, body, status in deliveries:
            tally.deliveries += 1
            if status != "sent":
                tally.unsent += 1
                continue
            user = self.store.person(recipient).slack_user_id
            posts = [part for part in render_all([reply_from_dict(r) for r in json.loads(body)]) if isinstance(part, Post)]
            for number, post in enumerate(posts):
                tally.parts += 1
                count = received.pop(("D" + user.lstrip("U"), post.text), 0)
                if count == 0:
                    tally.lost.append(f"{key}#{number}")
                elif count > 1:
                    tally.doubled.append(f"{key}#{number}")
        tally.doubled += [f"{channel}: {text[:40]}" for (channel, text), count in received.items() if count]
        return tally


def say(bot: Bot, text: str, who: str) -> None:
    """`who` tells the bot `text` (a conversation of their own)."""
    bot.answer(Message(text, bot.person_by_email(who), who, action=None), render_charts=False)


def red_alert(store: Store) -> Bot:
    """The alerts' silent baseline, then a value that turns Children looked after red (alerts
    queued for its owner, director and cabinet member, in Slack, and others); the bot it went through."""
    assert sweep_alerts(store, FIXED_NOW).baseline
    bot = Bot(store, today=lambda: FIXED_NOW.date())
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE)
    return bot


def _aware(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives naive UTC back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
