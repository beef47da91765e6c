"""What is still outstanding for a quarter's report: a commentary on each red measure that has
none (asked of the service's director), an improvement action for each measure red for a second
period running that has none (asked of its owner), and each service's cabinet member's comment
(asked of the portfolio holder once the report is collated)."""
from __future__ import annotations

from dataclasses import dataclass

from data_access.periods import Period
from data_access.store import Store
from reports.content import Report, build_report

COMMENTARY, ACTION, CABINET = "commentary", "action", "cabinet"


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


def outstanding_items(store: Store, quarter: Period, report: Report | None = None) -> list[Outstanding]:
    """Everything the quarter's report still needs, service by service."""
    report = report or build_report(store, quarter)
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
