"""What is still outstanding for a quarter's report: each return for the quarter not in yet (owed
by the indicator's owner, chased by the reminder ladder), a commentary on each red measure that has
none (asked of the service's director), an improvement action for each measure red for a second
period running that has none (asked of its owner), and each service's cabinet member's comment
(asked of the portfolio holder once the report is collated)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from data_access.periods import Period
from data_access.store import Store
from reports.content import Report, build_report

RETURN, COMMENTARY, ACTION, CABINET = "return", "commentary", "action", "cabinet"


@dataclass(frozen=True)
class Outstanding:
    """One thing the report still needs: from whom, for which measure."""

    kind: str
    indicator: str
    indicator_name: str
    period: str
    service: str
    recipient: str
    recipient_name: str
    deadline: date | None = None


def outstanding_items(store: Store, quarter: Period, report: Report | None = None,
                      as_at: date | None = None) -> list[Outstanding]:
    """Everything the quarter's report still needs as at `as_at` (default: the store's today), service by service."""
    report = report or build_report(store, quarter, as_at=as_at)
    people = store.people()
    names = {p.email: p.name for p in people}
    directors, holders = {}, {}
    for person in people:
        if "director" in (person.roles or "") and person.service:
            directors.setdefault(person.service, []).append(person.email)
        if "cabinet_member" in (person.roles or "") and person.portfolio:
            holders.setdefault(person.portfolio, []).append(person.email)
    found = []
    for service in report.services:
        for m in service.measures:
            found.extend(Outstanding(RETURN, m.code, m.name, r.period, service.name, r.owner_email,
                                     names.get(r.owner_email, r.owner_email), r.deadline) for r in m.returns)
        if not service.cabinet_comment:
            found.extend(Outstanding(CABINET, "", "", report.quarter.label, service.name, email, names.get(email, email))
                         for email in holders.get(service.portfolio, []))
        for m in service.reds:
            if not m.commentary:
                for email in directors.get(service.name, []):
                    found.append(Outstanding(COMMENTARY, m.code, m.name, m.period or "", service.name, email,
                                             names.get(email, email)))
            if m.persistent and not m.actions and m.owner_email:
                found.append(Outstanding(ACTION, m.code, m.name, m.period or "", service.name, m.owner_email,
                                         names.get(m.owner_email, m.owner_email)))
    return found
