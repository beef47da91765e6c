"""Council working time: weekdays that are not England & Wales bank holidays, working hours
(default 08:30–17:30) in Europe/London, across the clock changes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from threading import Lock
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@dataclass
class WorkingTime:
    """Which days are working days and when the working day starts and ends (London time)."""

    start: time = time(8, 30)
    end: time = time(17, 30)
    _bank_holidays: dict[int, frozenset[date]] = field(default_factory=dict, repr=False)
    _lock: Lock = field(default_factory=Lock, repr=False)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, and not a bank holiday in England."""
        return day.weekday() < 5 and day not in self.bank_holidays(day.year)

    def bank_holidays(self, year: int) -> frozenset[date]:
        """England & Wales bank holidays in `year`, worked out once (safe across threads: the
        `holidays` calendar fills a year in lazily, and a reader in between would see none)."""
        found = self._bank_holidays.get(year)
        if found is None:
            with self._lock:
                found = self._bank_holidays.get(year)
                if found is None:
                    found = self._bank_holidays[year] = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))
        return found

    def add_working_days(self, day: date, count: int) -> date:
        """The working day `count` working days after `day` (before it when negative); 0 keeps a
        working day and moves a non-working one to the next working day."""
        step = 1 if count >= 0 else -1
        current = day
        if count == 0:
            while not self.is_working_day(current):
                current += timedelta(days=1)
            return current
        remaining = abs(count)
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, earlier: date, later: date) -> int:
        """Working days after `earlier` up to and including `later` (negative when later < earlier)."""
        if later < earlier:
            return -self.working_days_between(later, earlier)
        return sum(1 for n in range(1, (later - earlier).days + 1) if self.is_working_day(earlier + timedelta(days=n)))

    def opening(self, day: date) -> datetime:
        """The start of the working day `day` as an aware datetime in London."""
        return datetime.combine(day, self.start, tzinfo=LONDON)

    def is_open(self, moment: datetime) -> bool:
        """True during working hours on a working day."""
        local = moment.astimezone(LONDON)
        return self.is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """`moment` itself when open, else the start of the next working period."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(LONDON)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.start:
            return self.opening(day)
        return self.opening(self.add_working_days(day, 1))

    def local_date(self, moment: datetime) -> date:
        """The London calendar date of `moment`."""
        return moment.astimezone(LONDON).date()
