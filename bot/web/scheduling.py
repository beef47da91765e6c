"""The demo's scheduler: schedules.runner.Scheduler on the demo clock (kept in the store whenever it
moves, for the console to follow), delivering through the channels the
environment configures (bot/senders.py; the perfbot inbox when none is),
and "what would happen on date…": move the clock, then run the scheduler's sweep and dispatch jobs at
once, as they would run at that moment. At start-up it runs them once straight away, so the
morning's notifications are there when the page opens. The scheduler's jobs and the page's moves run
one at a time (two dispatcher runs at once would claim the same messages and collide on the key)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from threading import Lock
from typing import Any, Callable

from sqlalchemy import func, select

from bot.web.clock import DemoClock, label
from data_access.demo_clock import keep_demo_clock
from data_access.models import InboxMessage, Notification
from data_access.store import Store
from schedules.channels import Senders
from schedules.runner import Scheduler, dispatch_job, holding, sweep_job
from schedules.working_time import WorkingTime


@dataclass
class Advance:
    """What one run did: notifications queued, who received messages, and why nothing was sent."""

    queued: int = 0
    delivered: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


@dataclass
class DemoScheduler:
    """The scheduler of one demo process and the clock it runs on."""

    store: Store
    clock: DemoClock
    working: WorkingTime = field(default_factory=WorkingTime)
    senders: Senders | None = None

    def __post_init__(self) -> None:
        self.senders = self.senders or Senders(self.store)
        self.scheduler = Scheduler(self.store, self.senders, clock=self.clock.now, working=self.working)
        self.one_at_a_time = Lock()
        self.ticking = False

    def start(self) -> Advance:
        """Take the scheduler lock (AlreadyRunning if another scheduler has it), run the jobs once, then
        start ticking with every job holding the one-at-a-time lock. Returns what the first run did."""
        self.scheduler.leadership.acquire()
        with self.one_at_a_time:
            first = self._run(self._kept(self.clock.now()))
        self.scheduler.start()
        self.ticking = True
        for job in self.scheduler.scheduler.get_jobs():
            job.modify(func=holding(self.one_at_a_time, job.func))
        return first

    def stop(self) -> None:
        """Stop ticking and give up the scheduler lock."""
        if self.ticking:
            self.scheduler.stop()
            self.ticking = False
        else:
            self.scheduler.leadership.release()

    def move_to(self, moment: datetime) -> Advance:
        """Move the clock forward to `moment` (ClockRefused going back), then sweep and dispatch at once."""
        with self.one_at_a_time:
            return self._run(self._kept(self.clock.move_to(moment)))

    def start_again(self, refill: Callable[[Store], None]) -> Advance:
        """With no job running, refill the store (`refill`) and set the clock back to where the demo
        started; then sweep and dispatch at once, as at start-up."""
        with self.one_at_a_time:
            refill(self.store)
            return self._run(self._kept(self.clock.start_again()))

    def _kept(self, now: datetime) -> datetime:
        """Record where the clock stands in the store (for `perfbot chat` on this store); returns `now`."""
        keep_demo_clock(self.store.engine, self.clock.offset, now)
        return now

    def _run(self, now: datetime) -> Advance:
        """The scheduler's sweep job, then its dispatch job, at `now`; says who got what."""
        with self.store.sessions() as session:
            queued = session.scalar(select(func.count()).select_from(Notification))
            last = session.scalar(select(func.coalesce(func.max(InboxMessage.id), 0)))
        leadership, at = self.scheduler.leadership, (lambda: now)
        sweep_job(self.store, leadership, at, self.working)
        dispatch_job(self.store, self.senders, leadership, at, self.working)
        with self.store.sessions() as session:
            result = Advance(queued=session.scalar(select(func.count()).select_from(Notification)) - queued)
            counts = session.execute(select(InboxMessage.recipient, func.count()).where(InboxMessage.id > last)
                                     .group_by(InboxMessage.recipient).order_by(InboxMessage.recipient)).all()
        for email, count in counts:
            person = self.store.person(email)
            result.delivered.append({"email": email, "name": person.name if person else email, "count": count})
        if not self.working.is_open(now):
            result.note = (f"{label(now)} is outside working hours ({self.working.start:%H:%M}–"
                           f"{self.working.end:%H:%M} on working days, not bank holidays): the dispatcher holds "
                           "messages until the next working morning.")
        return result
