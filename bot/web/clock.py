"""The demo clock: real time plus an offset that the web page can move forward, so a visitor can see
what the scheduler would do on a later date, and set back to where it started when the demo starts
again. The store, the bot and the scheduler all read it, so a reminder, an answer ("last month") and
a submission's timestamp agree on what "now" is."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from threading import Lock
from typing import Callable

from data_access.store import utc_now
from schedules.working_time import LONDON

MORNING = time(9, 0)


class ClockRefused(ValueError):
    """The demo clock only moves forward."""


def london(day: date, at: time = MORNING) -> datetime:
    """`day` at `at` on the London wall clock, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LONDON)


def label(moment: datetime) -> str:
    """A moment as people read it: 'Thu 10 Dec 2026, 09:00'."""
    return f"{moment.astimezone(LONDON):%a %d %b %Y, %H:%M}"


@dataclass
class DemoClock:
    """Real time shifted by an offset that only grows, until the demo starts again on `start_day`
    (at 09:00 London; None: at the real time)."""

    offset: timedelta = timedelta(0)
    real: Callable[[], datetime] = utc_now
    start_day: date | None = None
    _lock: Lock = field(default_factory=Lock, init=False, repr=False)

    @classmethod
    def starting_on(cls, day: date | None, real: Callable[[], datetime] = utc_now) -> DemoClock:
        """A clock at `day` 09:00 London time, or at the real time when no day is given."""
        clock = cls(real=real, start_day=day)
        clock.start_again()
        return clock

    def start_again(self) -> datetime:
        """Set the clock back to where the demo started: `start_day` at 09:00, or the real time."""
        with self._lock:
            self.offset = london(self.start_day) - self.real() if self.start_day else timedelta(0)
            return (self.real() + self.offset).astimezone(timezone.utc)

    def now(self) -> datetime:
        """The demo time, in UTC."""
        with self._lock:
            return (self.real() + self.offset).astimezone(timezone.utc)

    def today(self) -> date:
        """The demo date in London."""
        return self.now().astimezone(LONDON).date()

    def move_to(self, moment: datetime) -> datetime:
        """Set the clock to `moment` (aware); refuses to go back. Returns the new time."""
        with self._lock:
            current = self.real() + self.offset
            if moment < current:
                raise ClockRefused(f"The demo clock only moves forward: it is already {label(current)}.")
            self.offset = moment - self.real()
            return moment.astimezone(timezone.utc)
