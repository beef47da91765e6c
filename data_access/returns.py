"""Data returns: which values each KPI owner owes the performance team. A return is an indicator's
period whose `data return` deadline is in the reporting calendar; it is outstanding until a value
for the council is recorded."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import text

from data_access.periods import parse_period
from data_access.store import Store

LOOK_BACK = timedelta(days=370)


@dataclass(frozen=True)
class Return:
    """One value owed: indicator, period, deadline and the owner responsible."""

    indicator_code: str
    period: str
    deadline: date
    owner_email: str

    def overdue(self, today: date) -> bool:
        """True once the deadline has passed."""
        return today > self.deadline


def outstanding_returns(store: Store, today: date, council: str | None = None) -> list[Return]:
    """Every return whose period has ended and whose deadline fell within the last year or is still
    ahead, with no council value recorded yet; soonest deadline first."""
    council = council or store.council_code()
    indicators = store.indicators[store.indicators["owner_email"].notna() & store.indicators["frequency"].notna()]
    with store.engine.connect() as connection:
        calendar = pd.DataFrame(connection.execute(text(
            "SELECT frequency, period, deadline FROM reporting_deadline WHERE milestone = 'data return'")).all(),
            columns=["frequency", "period", "deadline"])
        held = {(row[0], row[1]) for row in connection.execute(text(
            "SELECT indicator_code, period FROM observation WHERE superseded_at IS NULL AND value IS NOT NULL "
            "AND geography_code = :council"), {"council": council})}
    if calendar.empty:
        return []
    calendar["deadline"] = pd.to_datetime(calendar["deadline"]).dt.date
    calendar = calendar[calendar["deadline"] >= today - LOOK_BACK]
    calendar = calendar[[parse_period(label).end < today for label in calendar["period"]]]
    owed = []
    for indicator in indicators.itertuples():
        for row in calendar[calendar["frequency"] == indicator.frequency].itertuples():
            if (indicator.code, row.period) not in held:
                owed.append(Return(indicator.code, row.period, row.deadline, indicator.owner_email))
    return sorted(owed, key=lambda r: (r.deadline, r.indicator_code))


def owners_for(store: Store, email: str) -> set[str]:
    """The owners a person answers for: themselves and anyone who named them as delegate."""
    return {email.lower(), *store.delegators(email)}
