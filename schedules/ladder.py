"""The reminder ladder: when each reminder for a return falls, relative to its deadline in working
days, and who receives it. By default: a notice 5 working days before, a reminder 1 before, one on
the day, then overdue 1 working day after (owner and delegates), 3 after (also the owner's manager),
5 after (also the service director and the performance team), and weekly after that until the value
is in or the return is marked not available."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import text

from data_access.store import Store
from schedules.returns import Return
from schedules.working_time import WorkingTime

OWNER, MANAGER, DIRECTOR = "owner", "manager", "director"


@dataclass(frozen=True)
class Stage:
    """One rung: its name, working days from the deadline, and the audience (owner, manager, director)."""

    name: str
    offset: int
    audience: tuple[str, ...]


DEFAULT_LADDER = (
    Stage("notice", -5, (OWNER,)),
    Stage("reminder", -1, (OWNER,)),
    Stage("due today", 0, (OWNER,)),
    Stage("overdue 1", 1, (OWNER,)),
    Stage("overdue 3", 3, (OWNER, MANAGER)),
    Stage("overdue 5", 5, (OWNER, MANAGER, DIRECTOR)),
)
WEEKLY = 5


def stage_on(deadline: date, day: date, working: WorkingTime, ladder: tuple[Stage, ...] = DEFAULT_LADDER) -> Stage | None:
    """The rung that falls on `day` for a return due on `deadline`, or None."""
    if not working.is_working_day(day):
        return None
    due = working.add_working_days(deadline, 0)
    offset = working.working_days_between(due, day)
    for stage in ladder:
        if stage.offset == offset:
            return stage
    last = ladder[-1]
    if offset > last.offset and (offset - last.offset) % WEEKLY == 0:
        return Stage(f"overdue {offset}", offset, last.audience)
    return None


@dataclass
class Audience:
    """Works out the people each rung reaches for a return, from the people table. Each distinct
    list of people is worked out once and numbered (`groups`): a rung's audience depends only on
    the owner, the indicator's service and the rung's reach."""

    store: Store

    def __post_init__(self) -> None:
        people = pd.DataFrame([{"email": p.email, "roles": p.roles or "", "service": p.service,
                                "manager": p.manager_email} for p in self.store.people()])
        self.people = people.set_index("email", drop=False) if not people.empty else people
        self.delegates: dict[str, list[str]] = {}
        with self.store.engine.connect() as connection:
            for owner, delegate in connection.execute(text("SELECT owner_email, delegate_email FROM delegate ORDER BY 2")):
                self.delegates.setdefault(owner, []).append(delegate)
        self.team = self.people[self.people["roles"].str.contains("performance_team")]["email"].tolist() if len(self.people) else []
        self.managers = {p.email: p.manager_email for p in self.store.people() if p.manager_email}
        self.services = self.store.indicators["service"].to_dict()
        self.groups: list[list[tuple[str, str]]] = []
        self._numbers: dict[tuple, int] = {}
        self.directors: dict[str, list[str]] = {}
        for row in self.people[self.people["roles"].str.contains("director")].itertuples() if len(self.people) else []:
            self.directors.setdefault(row.service, []).append(row.email)

    def group(self, owed: Return, stage: Stage) -> int:
        """The number of the list of people in `groups` this rung of this return goes to."""
        service = self.services.get(owed.indicator_code) if DIRECTOR in stage.audience else None
        key = (owed.owner_email, service, stage.audience)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self.groups)
            self.groups.append(self._work_out(owed.owner_email, service, stage))
        return number

    def _work_out(self, owner: str, service: str | None, stage: Stage) -> list[tuple[str, str]]:
        """(e-mail, why) for everyone the rung reaches, without repeats."""
        found: dict[str, str] = {owner: "owner"}
        for delegate in self.delegates.get(owner, []):
            found.setdefault(delegate, "delegate")
        if MANAGER in stage.audience and self.managers.get(owner):
            found.setdefault(self.managers[owner], "owner's manager")
        if DIRECTOR in stage.audience:
            for email in self.directors.get(service, []):
                found.setdefault(email, "service director")
            for email in self.team:
                found.setdefault(email, "performance team")
        return list(found.items())
