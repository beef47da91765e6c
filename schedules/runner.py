"""Running the scheduler: APScheduler ticks the sweep (every few minutes: reminders, alerts as a
safety net behind the sweeps after imports and submissions, and the weekly digests) and the
dispatcher (every minute, for retries and everything else) — only while this process holds the
scheduler lock. Between dispatcher runs the leader looks at the outbox every few seconds and
dispatches at once when something new is due, so a red alert queued by the sweep after a
submission (in any process) reaches people within seconds, not at the next minute. The two
dispatching jobs never run at once. Job functions are plain functions taking their data, as
python-telegram-bot's JobQueue does."""
from __future__ import annotations

import logging
import functools
from dataclasses import dataclass, field
from datetime import datetime
from threading import Lock
from typing import Any, Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from data_access.conversations import conversation_lifetime, purge_expired
from data_access.inbox import purge_answered
from data_access.hosted import purge_hosted
from data_access.store import Store
from schedules.alerts import sweep_alerts
from schedules.channels import Senders
from schedules.digests import sweep_digests
from schedules.dispatch import dispatch
from schedules.leader import Leadership
from schedules.outbox import anything_due
from schedules.reminders import sweep_reminders
from schedules.report_chasing import sweep_report_requests
from schedules.settings import NotificationSettings
from schedules.working_time import LONDON, WorkingTime

log = logging.getLogger(__name__)
SWEEP_MINUTES = 5
DISPATCH_SECONDS = 60
NEW_WORK_SECONDS = 2  # how often the leader looks for newly queued notifications


def sweep_job(store: Store, leadership: Leadership, clock: Callable[[], datetime], working: WorkingTime,
              settings: NotificationSettings | None = None) -> None:
    """Queue what is due and forget expired conversations, old claims and files whose links expired,
    if this process leads."""
    if leadership.acquire():
        now = clock()
        added = sweep_reminders(store, now, working)
        if added:
            log.info("scheduler: %d reminders queued", added)
        alerts = sweep_alerts(store, now, settings)
        if alerts.queued:
            log.info("scheduler: %d alerts and recovery notices queued", alerts.queued)
        requests = sweep_report_requests(store, now, working)
        if requests:
            log.info("scheduler: %d requests for the quarter's report queued", requests)
        digests = sweep_digests(store, now, settings, working)
        if digests:
            log.info("scheduler: %d digests queued", digests)
        turns, claims = purge_expired(store.engine, now, conversation_lifetime())
        if turns or claims:
            log.info("scheduler: %d expired conversation turns and %d old delivery claims removed", turns, claims)
        answered = purge_answered(store.engine, now)
        if answered:
            log.info("scheduler: %d chat events answered over a day ago removed from the inbox", answered)
        files = purge_hosted(store.engine, now)
        if files:
            log.info("scheduler: %d files and charts whose links expired removed", files)


def dispatch_job(store: Store, senders: Senders, leadership: Leadership, clock: Callable[[], datetime],
                 working: WorkingTime) -> None:
    """Deliver what is due, if this process leads."""
    if leadership.acquire():
        report = dispatch(store, clock(), senders, working, leading=leadership.holds)
        if report.sent or report.retrying:
            log.info("scheduler: %d sent, %d retrying", len(report.sent), report.retrying)


def dispatch_new_job(store: Store, senders: Senders, leadership: Leadership, clock: Callable[[], datetime],
                     working: WorkingTime) -> None:
    """Deliver at once what was queued since the last run (a red alert just after a submission), if
    this process leads, it is working time and something is due; otherwise only a cheap look."""
    now = clock()
    if not leadership.holds() or not working.is_open(now):
        return
    with store.sessions() as session:
        if not anything_due(session, now):
            return
    dispatch_job(store, senders, leadership, lambda: now, working)


def holding(lock: Lock, job: Callable[..., Any]) -> Callable[..., Any]:
    """`job`, run while holding `lock` (so jobs sharing a lock never run at once)."""

    @functools.wraps(job)
    def run(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return job(*args, **kwargs)

    return run


@dataclass
class Scheduler:
    """The background scheduler of one process."""

    store: Store
    senders: Senders
    clock: Callable[[], datetime]
    working: WorkingTime = field(default_factory=WorkingTime)
    settings: NotificationSettings = field(default_factory=NotificationSettings.from_env)

    def __post_init__(self) -> None:
        self.leadership = Leadership(self.store.engine)
        self.scheduler = BackgroundScheduler(timezone=LONDON)
        self.dispatching = Lock()  # the minute's dispatch and the quick one for new work never overlap

    def start(self) -> None:
        """Take the lock (refusing on SQLite if another scheduler runs) and start ticking."""
        self.leadership.acquire()
        now = datetime.now(LONDON)
        self.scheduler.add_job(sweep_job, IntervalTrigger(minutes=SWEEP_MINUTES), id="sweep", max_instances=1,
                               coalesce=True, next_run_time=now,
                               args=(self.store, self.leadership, self.clock, self.working, self.settings))
        dispatching = (self.store, self.senders, self.leadership, self.clock, self.working)
        self.scheduler.add_job(holding(self.dispatching, dispatch_job), IntervalTrigger(seconds=DISPATCH_SECONDS),
                               id="dispatch", max_instances=1, coalesce=True, next_run_time=now, args=dispatching)
        self.scheduler.add_job(holding(self.dispatching, dispatch_new_job), IntervalTrigger(seconds=NEW_WORK_SECONDS),
                               id="dispatch-new", max_instances=1, coalesce=True, args=dispatching)
        self.scheduler.start()

    def stop(self) -> None:
        """Stop ticking and release the lock."""
        self.scheduler.shutdown(wait=True)
        self.leadership.release()
