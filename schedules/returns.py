"""Data returns: which values each KPI owner owes, and by when. A return is an indicator's period;
its deadline is the reporting calendar's `data return` date, or a default rule by frequency when the
calendar has none (monthly: the 10th working day after the month; quarterly: the 20th of the month
after the quarter; annual: 30 June after the financial year). A deadline that falls on a weekend or
bank holiday moves to the next working day. A return is outstanding until a value for the council is recorded; one marked not available is held
back until the date given."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

import pandas as pd
from sqlalchemy import Connection, text

from data_access.periods import FINANCIAL_YEAR, MONTH, QUARTER, Period, containing
from data_access.store import Store
from schedules.working_time import WorkingTime

LOOK_BACK = timedelta(days=370)
KINDS = {"monthly": MONTH, "quarterly": QUARTER, "annual": FINANCIAL_YEAR}
HISTORY = {"monthly": 14, "quarterly": 5, "annual": 2}
UNIT_SEPARATOR = "\x1f"


class Return(NamedTuple):
    """One value owed: indicator, period, deadline, the owner responsible, and (when marked not
    available) the date until which it is held back and why."""

    indicator_code: str
    period: str
    deadline: date
    owner_email: str
    paused_until: datetime | None = None
    pause_reason: str | None = None

    def overdue(self, today: date) -> bool:
        """True once the deadline has passed."""
        return today > self.deadline


def default_deadline(period: Period, frequency: str, working: WorkingTime) -> date:
    """The deadline when the reporting calendar has none for this period."""
    after = period.end + timedelta(days=1)
    if frequency == "monthly":
        return working.add_working_days(after - timedelta(days=1), 10)
    if frequency == "quarterly":
        return working.add_working_days(after.replace(day=20), 0)
    return working.add_working_days(date(period.end.year, 6, 30), 0)


def _recent_periods(frequency: str, today: date) -> list[Period]:
    latest = containing(today, KINDS[frequency]).previous()
    return [latest.shift(-n) for n in range(HISTORY[frequency])]


def outstanding_returns(store: Store, today: date, council: str | None = None,
                        working: WorkingTime | None = None) -> list[Return]:
    """Every return whose period has ended and whose deadline fell within the last year or is still
    ahead, with no council value recorded yet; soonest deadline first."""
    council = council or store.council_code()
    working = working or WorkingTime()
    indicators = store.indicators[store.indicators["owner_email"].notna() & store.indicators["frequency"].isin(list(KINDS))]
    candidates = {frequency: _recent_periods(frequency, today) for frequency in KINDS}
    labels = sorted({period.label for periods in candidates.values() for period in periods})
    with store.engine.connect() as connection:
        calendar = {(row[0], row[1]): row[2] for row in connection.execute(text(
            "SELECT frequency, period, deadline FROM reporting_deadline WHERE milestone = 'data return'"))}
        held = _indicators_with_values(connection, council, labels)
        pauses = {(row[0], row[1]): (row[2], row[3]) for row in connection.execute(text(
            "SELECT indicator_code, period, until, reason FROM reminder_pause WHERE kind = 'unavailable' ORDER BY id"))}
    owners = {frequency: list(zip(rows["code"], rows["owner_email"])) for frequency, rows in indicators.groupby("frequency")}
    owed = []
    for frequency, owned in owners.items():
        for period in candidates[frequency]:
            stated = calendar.get((frequency, period.label))
            deadline = working.add_working_days(pd.Timestamp(stated).date(), 0) if stated is not None \
                else default_deadline(period, frequency, working)
            if deadline < today - LOOK_BACK:
                continue
            done = held.get(period.label, frozenset())
            for code, owner in owned:
                if code in done:
                    continue
                until, reason = pauses.get((code, period.label), (None, None))
                owed.append(Return(code, period.label, deadline, owner,
                                   pd.Timestamp(until).to_pydatetime() if until is not None else None, reason))
    return sorted(owed, key=attrgetter("deadline", "indicator_code"))


def upcoming_returns(store: Store, today: date, owners: set[str], working: WorkingTime | None = None) -> list[Return]:
    """The next return of each indicator the `owners` own: the period running now, with its deadline
    (the calendar's, else the default rule); soonest first."""
    working = working or WorkingTime()
    indicators = store.indicators[store.indicators["owner_email"].isin(owners) & store.indicators["frequency"].isin(list(KINDS))]
    with store.engine.connect() as connection:
        calendar = {(row[0], row[1]): row[2] for row in connection.execute(text(
            "SELECT frequency, period, deadline FROM reporting_deadline WHERE milestone = 'data return'"))}
    upcoming = []
    for row in indicators.itertuples():
        period = containing(today, KINDS[row.frequency])
        stated = calendar.get((row.frequency, period.label))
        deadline = working.add_working_days(pd.Timestamp(stated).date(), 0) if stated is not None \
            else default_deadline(period, row.frequency, working)
        upcoming.append(Return(row.code, period.label, deadline, row.owner_email))
    return sorted(upcoming, key=attrgetter("deadline", "indicator_code"))


def _indicators_with_values(connection: Connection, council: str, periods: list[str]) -> dict[str, frozenset[str]]:
    """For each period, the indicators with a current council value. The database joins each
    period's codes into one string (with a separator no code contains): a sweep over 10,000
    indicators reads 14 rows rather than 100,000."""
    postgres = connection.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    joined = "string_agg(indicator_code, chr(31))" if postgres else "group_concat(indicator_code, char(31))"
    cursor = connection.connection.cursor()
    cursor.execute(f"SELECT period, {joined} FROM observation WHERE superseded_at IS NULL AND value IS NOT NULL "
                   f"AND geography_code = {mark} AND period IN ({', '.join([mark] * len(periods))}) GROUP BY period",
                   [council, *periods])
    return {period: frozenset(codes.split(UNIT_SEPARATOR)) for period, codes in cursor.fetchall()}


def owners_for(store: Store, email: str) -> set[str]:
    """The owners a person answers for: themselves and anyone who named them as delegate."""
    return {email.lower(), *store.delegators(email)}


def milestones(store: Store, period: str) -> list[tuple[str, date]]:
    """The reporting calendar's milestones for `period` (its data return first), in date order."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT milestone, deadline FROM reporting_deadline WHERE period = :period"),
                                  {"period": period}).all()
    return sorted(((milestone, pd.Timestamp(deadline).date()) for milestone, deadline in rows),
                  key=lambda row: (row[0] != "data return", row[1]))
