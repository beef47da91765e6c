"""People as the core sees them, made from the store's rows, and what each may do."""
from __future__ import annotations

from bot.core.messages import Person
from data_access.models import Person as PersonRow


def from_row(row: PersonRow) -> Person:
    """The core's Person for a people-table row."""
    return Person(email=row.email, name=row.name, roles=frozenset(r.strip() for r in (row.roles or "").split(";") if r.strip()),
                  ward_code=row.ward_code, portfolio=row.portfolio, service=row.service,
                  manager_email=row.manager_email, slack_user_id=row.slack_user_id, teams_user_id=row.teams_user_id)


def may_submit(person: Person | None, owner_email: str | None, delegators: list[str]) -> bool:
    """The owner, a delegate the owner named, or the performance team may submit for an indicator."""
    if person is None:
        return False
    if person.has_role("performance_team"):
        return True
    return bool(owner_email) and (person.email == owner_email or owner_email in delegators)
