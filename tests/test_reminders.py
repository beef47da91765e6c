"""Chasing returns with a fixed clock: the ladder across a quarter of the demo calendar (a bank
holiday, a weekend deadline, the October clock change, quiet hours, snoozes), exactly-once delivery
through crashes, cancellation by a late submission, and one scheduler at a time."""
from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import Message
from data_access.periods import parse_period
from data_access.store import Store
from data_access.submissions import record_value
from schedules.channels import InboxSender, Senders
from schedules.dispatch import dispatch
from schedules.ladder import stage_on
from schedules.leader import AlreadyRunning, Leadership
from schedules.outbox import enqueue_reminders
from schedules.reminders import reminders_on, sweep_reminders
from schedules.returns import default_deadline
from schedules.working_time import LONDON, WorkingTime
from tests.conftest import on_postgresql

WORKING = WorkingTime()
MAYA = "maya.rowe@demo-council.example"
KATE = "kate.young@demo-council.example"
IMRAN = "imran.jones@demo-council.example"       # Maya's manager, director of Children's Services
ZOE = "zoe.gill@demo-council.example"            # performance team


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def inbox(store: Store, who: str | None = None) -> list[tuple[str, str, list]]:
    sql = "SELECT recipient, key, body FROM inbox_message ORDER BY id"
    with store.engine.connect() as connection:
        rows = connection.execute(text(sql)).all()
    return [(r.recipient, r.key, json.loads(r.body)) for r in rows if who is None or r.recipient == who]


def run_day(store: Store, day: date, senders: Senders) -> None:
    """A day of the scheduler: sweeps through the night and day, dispatch attempts in and out of hours."""
    for hour, minute in ((0, 5), (8, 0), (9, 0), (20, 0)):
        moment = at(day, hour, minute)
        sweep_reminders(store, moment, WORKING)
        dispatch(store, moment, senders, WORKING)


# --- working time and the ladder ---------------------------------------------------------------

def test_working_days_skip_weekends_and_bank_holidays():
    assert WORKING.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)   # Christmas, Boxing Day (observed)
    assert WORKING.add_working_days(date(2026, 12, 12), 0) == date(2026, 12, 14)   # a Saturday deadline moves to Monday
    assert WORKING.add_working_days(date(2026, 11, 10), -5) == date(2026, 11, 3)
    assert WORKING.working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3


def test_bank_holidays_are_known_to_threads_asking_at_once():
    for _ in range(20):
        working, answers = WorkingTime(), []
        start = threading.Barrier(4)

        def ask(day: date) -> None:
            start.wait()
            answers.append(working.is_working_day(day))

        threads = [threading.Thread(target=ask, args=(day,)) for day in [date(2026, 12, 25), date(2026, 12, 28)] * 2]
        [thread.start() for thread in threads]
        [thread.join() for thread in threads]
        assert answers == [False] * 4


def test_working_hours_follow_london_time_across_the_clock_change():
    assert WORKING.is_open(datetime(2026, 10, 23, 7, 45, tzinfo=timezone.utc))        # 08:45 BST
    assert not WORKING.is_open(datetime(2026, 10, 26, 7, 45, tzinfo=timezone.utc))    # 07:45 GMT
    assert WORKING.opening(date(2026, 10, 26)) == datetime(2026, 10, 26, 8, 30, tzinfo=timezone.utc)
    assert WORKING.opening(date(2026, 3, 30)) == datetime(2026, 3, 30, 7, 30, tzinfo=timezone.utc)
    assert WORKING.next_opening(at(date(2026, 11, 27), 18)) == at(date(2026, 11, 30), 8, 30)


def test_ladder_rungs_and_weekly_after_overdue_five():
    deadline = date(2026, 12, 10)
    rungs = {day: stage_on(deadline, day, WORKING).name for day in
             (deadline + timedelta(days=n) for n in range(-10, 40)) if stage_on(deadline, day, WORKING)}
    assert rungs == {date(2026, 12, 3): "notice", date(2026, 12, 9): "reminder", date(2026, 12, 10): "due today",
                     date(2026, 12, 11): "overdue 1", date(2026, 12, 15): "overdue 3", date(2026, 12, 17): "overdue 5",
                     date(2026, 12, 24): "overdue 10", date(2027, 1, 5): "overdue 15", date(2027, 1, 12): "overdue 20"}


def test_default_deadlines_when_the_calendar_has_none():
    assert default_deadline(parse_period("2027-01"), "monthly", WORKING) == date(2027, 2, 12)
    assert default_deadline(parse_period("2026/27 Q3"), "quarterly", WORKING) == date(2027, 1, 20)
    assert default_deadline(parse_period("2026/27"), "annual", WORKING) == date(2027, 6, 30)


# --- preview ------------------------------------------------------------------------------------

def test_preview_lists_the_october_returns_around_their_deadline(demo_store):
    planned = {(r.recipient, r.indicator, r.stage) for r in reminders_on(demo_store, date(2026, 11, 10))}
    assert (MAYA, "NEET", "due today") in planned and (KATE, "NEET", "due today") in planned
    assert ("wendy.ahmed@demo-council.example", "ASB_INCIDENTS", "due today") in planned
    assert not any(r[1] == "CLAIMANT_RATE" for r in planned)        # October's value is in
    thirteenth = {(r.recipient, r.indicator, r.why) for r in reminders_on(demo_store, date(2026, 11, 13))}
    assert (IMRAN, "NEET", "owner's manager") in thirteenth
    assert not any(r[0] == ZOE for r in thirteenth)
    assert any(r[0] == ZOE and r[1] == "NEET" for r in
               ((x.recipient, x.indicator) for x in reminders_on(demo_store, date(2026, 11, 17))))
    assert reminders_on(demo_store, date(2026, 11, 14)) == []       # a Saturday


# --- a quarter of days --------------------------------------------------------------------------

def test_a_quarter_of_reminders_for_one_owner(store, tmp_path):
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("frequency,period,milestone,deadline\nmonthly,2026-11,data return,2026-12-12\n")
    store.import_files([calendar])
    senders = Senders(store)
    day = date(2026, 10, 12)
    days_with_mail: dict[date, list[str]] = {}
    bot = Bot(store, today=lambda: day)
    while day <= date(2027, 1, 8):
        bot.today = lambda d=day: d
        if day == date(2026, 11, 23):
            bot.answer(Message("snooze until Wednesday", bot.person_by_email(MAYA), "m"), render_charts=False)
        if day == date(2026, 12, 1):
            record_value(store, "CLA_RATE", "E08000031", parse_period("2026/27 Q2"), 90.0, MAYA, "test", "late")
        if day == date(2026, 12, 2):
            record_value(store, "NEET", "E08000031", parse_period("2026-10"), 5.2, MAYA, "test", "late")
        store.clock = lambda d=day: at(d, 12)
        run_day(store, day, senders)
        for recipient, key, body in inbox(store, MAYA):
            if key.endswith(day.isoformat()):
                days_with_mail[day] = body[0]["text"].splitlines()[1:]
        day += timedelta(days=1)
    assert list(days_with_mail) == [
        date(2026, 10, 13), date(2026, 10, 19), date(2026, 10, 20), date(2026, 10, 21), date(2026, 10, 23),
        date(2026, 10, 27), date(2026, 11, 3), date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 11),
        date(2026, 11, 13), date(2026, 11, 17),
        # snoozed on Monday 23rd until Wednesday: Tuesday's message waits for Wednesday morning
        date(2026, 11, 25),
        # CLA in on 1 December (so only NEET that day), NEET October in on 2 December
        date(2026, 12, 1),
        # November's NEET return is due on Saturday 12 December, so on Monday 14th; the bank holidays
        # of 25 and 28 December push the weekly overdue reminder to the 30th
        date(2026, 12, 7), date(2026, 12, 11), date(2026, 12, 14), date(2026, 12, 15), date(2026, 12, 17),
        date(2026, 12, 21), date(2026, 12, 30),
        # December's return: its notice falls on 31 December, before the month has ended, so it
        # goes on the first working day after (1 January is a bank holiday)
        date(2027, 1, 4), date(2027, 1, 7), date(2027, 1, 8)]
    assert days_with_mail[date(2026, 10, 13)][0].startswith("• Children looked after per 10,000 children, Q2 2026/27 — due Tue 20 Oct")
    assert "*overdue* — it was due Tue 10 Nov (1 working day ago)" in days_with_mail[date(2026, 11, 11)][0]
    assert len([line for line in days_with_mail[date(2026, 11, 25)] if line.startswith("•")]) == 2
    assert [line for line in days_with_mail[date(2026, 12, 1)] if line.startswith("•")] == [
        "• 16-17 year olds NEET or not known, October 2026 — *overdue* — "
        "it was due Tue 10 Nov (15 working days ago)"]
    assert "November 2026 — due Mon 14 Dec" in days_with_mail[date(2026, 12, 7)][0]
    assert "November 2026 — due *today*" in days_with_mail[date(2026, 12, 14)][0]
    one_a_day = [key for _, key, _ in inbox(store, MAYA)]
    assert len(one_a_day) == len(set(one_a_day)) == len(days_with_mail)
    assert all((8, 30) <= sent < (17, 30) for sent in _delivery_hours(store))


def _delivery_hours(store: Store) -> list[tuple[int, int]]:
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT sent_at FROM delivery WHERE sent_at IS NOT NULL")).scalars().all()
    moments = [r if isinstance(r, datetime) else datetime.fromisoformat(r) for r in rows]
    local = [(m if m.tzinfo else m.replace(tzinfo=timezone.utc)).astimezone(LONDON) for m in moments]
    return [(m.hour, m.minute) for m in local]


# --- reliability --------------------------------------------------------------------------------

class Crash(BaseException):
    """The process dying mid-dispatch (not an error the dispatcher could catch)."""


class CrashingInbox(InboxSender):
    """The inbox, but the process dies before or after delivering, once."""

    def __init__(self, store: Store, when: str):
        super().__init__(store)
        self.when, self.crashed = when, False

    def deliver(self, recipient, replies, key):
        if not self.crashed and self.when == "before":
            self.crashed = True
            raise Crash()
        reference = super().deliver(recipient, replies, key)
        if not self.crashed and self.when == "after":
            self.crashed = True
            raise Crash()
        return reference


def test_a_sweep_after_a_gap_catches_up_with_the_latest_rung_and_repeats_do_nothing(store):
    sweep_reminders(store, at(date(2026, 11, 9), 6), WORKING)          # NEET: reminder
    assert sweep_reminders(store, at(date(2026, 11, 9), 7), WORKING) == 0
    added = sweep_reminders(store, at(date(2026, 11, 12), 6), WORKING)  # down on the 10th and 11th
    assert added
    with store.engine.connect() as connection:
        stages = connection.execute(text("SELECT stage FROM notification WHERE indicator_code = 'NEET' AND "
                                         "recipient = :r ORDER BY id"), {"r": MAYA}).scalars().all()
    assert stages == ["reminder", "overdue 1"]


def test_a_sweep_that_failed_before_committing_queues_nothing_and_the_next_sweep_works(store, monkeypatch):
    def queue_then_fail(session, *args):
        enqueue_reminders(session, *args)
        raise ConnectionError("the database went away before the commit")

    monkeypatch.setattr("schedules.reminders.enqueue_reminders", queue_then_fail)
    with pytest.raises(ConnectionError):
        sweep_reminders(store, at(date(2026, 11, 9), 6), WORKING)
    monkeypatch.undo()
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notification")).scalar_one() == 0
    assert sweep_reminders(store, at(date(2026, 11, 9), 7), WORKING) > 0
    assert ("NEET", "reminder") in [(r.indicator, r.stage) for r in reminders_on(store, date(2026, 11, 9), WORKING)
                                    if r.recipient == MAYA]


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_crash_around_the_send_still_delivers_exactly_once(store, when):
    day = date(2026, 11, 11)
    sweep_reminders(store, at(day, 6), WORKING)
    crashing = Senders(store, [CrashingInbox(store, when)])
    with pytest.raises(Crash):
        dispatch(store, at(day, 9), crashing, WORKING)
    dispatch(store, at(day, 9, 1), crashing, WORKING)        # restarted within the lease: nothing doubled
    dispatch(store, at(day, 9, 5), crashing, WORKING)        # after the lease: the stuck message goes (again)
    dispatch(store, at(day, 9, 10), crashing, WORKING)
    keys = [key for _, key, _ in inbox(store)]
    assert len(keys) == len(set(keys))
    assert f"reminder|{MAYA}|{day.isoformat()}" in keys
    with store.engine.connect() as connection:
        states = connection.execute(text("SELECT status, count(*) FROM delivery GROUP BY status")).all()
    assert dict(states) == {"sent": len(keys)}


def test_a_failing_channel_is_retried_with_backoff_and_then_delivers(store):
    day = date(2026, 11, 11)
    sweep_reminders(store, at(day, 6), WORKING)

    class Flaky(InboxSender):
        failures = 2

        def deliver(self, recipient, replies, key):
            if recipient == MAYA and self.failures:
                self.failures -= 1
                raise ConnectionError("Slack is down")
            return super().deliver(recipient, replies, key)

    senders = Senders(store, [Flaky(store)])

    def maya() -> tuple:
        with store.engine.connect() as connection:
            return connection.execute(text("SELECT status, attempts, last_error FROM delivery WHERE recipient = :r"),
                                      {"r": MAYA}).one()

    start = datetime(2026, 11, 11, 9, 0, tzinfo=LONDON)
    dispatch(store, start, senders, WORKING)
    assert maya() == ("retry", 1, "ConnectionError: Slack is down")
    dispatch(store, start + timedelta(seconds=10), senders, WORKING)
    assert maya()[1] == 1                                             # still backing off (30 s)
    dispatch(store, start + timedelta(seconds=31), senders, WORKING)
    assert maya()[:2] == ("retry", 2)                                 # second failure: wait a minute
    dispatch(store, start + timedelta(seconds=60), senders, WORKING)
    assert maya()[1] == 2
    dispatch(store, start + timedelta(seconds=95), senders, WORKING)
    assert maya() == ("sent", 3, None)
    assert len(inbox(store, MAYA)) == 1


def test_a_submission_after_queueing_cancels_the_reminder(store):
    day = date(2026, 11, 11)
    sweep_reminders(store, at(day, 6), WORKING)
    record_value(store, "NEET", "E08000031", parse_period("2026-10"), 5.2, MAYA, "test", "in time")
    dispatch(store, at(day, 9), Senders(store), WORKING)
    for recipient in (MAYA, KATE):
        bodies = [body[0]["text"] for _, _, body in inbox(store, recipient)]
        assert all("not in education" not in text_ for text_ in bodies)
    with store.engine.connect() as connection:
        cancelled = connection.execute(text("SELECT count(*) FROM notification WHERE status = 'cancelled' "
                                            "AND indicator_code = 'NEET'")).scalar_one()
    assert cancelled == 2


def test_nothing_goes_out_at_night_it_waits_for_the_morning(store):
    day = date(2026, 11, 11)
    sweep_reminders(store, at(day, 21), WORKING)
    assert dispatch(store, at(day, 21), Senders(store), WORKING).sent == []
    assert dispatch(store, at(day + timedelta(days=1), 8, 29), Senders(store), WORKING).sent == []
    assert dispatch(store, at(day + timedelta(days=1), 8, 30), Senders(store), WORKING).sent


@pytest.mark.skipif(on_postgresql(), reason="the SQLite file lock; PostgreSQL uses an advisory lock (next test)")
def test_a_second_scheduler_on_sqlite_refuses_to_start(store):
    first = Leadership(store.engine)
    assert first.acquire()
    with pytest.raises(AlreadyRunning):
        Leadership(store.engine).acquire()
    first.release()
    assert Leadership(store.engine).acquire()


@pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL leadership and row locking")
def test_two_schedulers_on_postgresql_send_nothing_twice(store):
    other = Store.open(store.engine.url.render_as_string(hide_password=False), clock=store.clock)
    first, second = Leadership(store.engine), Leadership(other.engine)
    assert first.acquire() and not second.acquire()
    first.release()
    day = date(2026, 11, 17)
    errors = []

    def run(s: Store):
        try:
            for minute in range(0, 10):
                sweep_reminders(s, at(day, 9, minute), WORKING)
                dispatch(s, at(day, 9, minute), Senders(s), WORKING)
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in (store, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    keys = [key for _, key, _ in inbox(store)]
    assert keys and len(keys) == len(set(keys))
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notification WHERE status = 'pending'")).scalar_one() == 0
    other.engine.dispose()
