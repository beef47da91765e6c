"""Improvement actions for red measures: reading “targeted patrols in Heath Town, Inspector Khan,
by 31 January” into what, who and by when, and recording it (audited) for a quarter's report."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from data_access.audit import record_change
from data_access.models import ImprovementAction
from data_access.store import Store

ACTION = re.compile(r"^(?P<what>.+?)\s*,\s*(?P<who>[^,]+?)\s*,?\s+by\s+(?P<when>[^,]+?)\s*[.!]?$", re.I)
FORMATS = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d", "%B %d %Y")
YEARLESS = ("%d %B", "%d %b", "%B %d")
HOW = "Write it as “what, who, by when”, e.g. “targeted patrols in Heath Town, Inspector Khan, by 31 January”."


class ActionRefused(ValueError):
    """An action that cannot be recorded, with a one-line reason and how to fix it."""


@dataclass(frozen=True)
class ActionText:
    """What will be done, who leads it and by when, as read from a message."""

    action: str
    lead: str
    due: date


def due_date(text: str, today: date) -> date:
    """'31 January' (the next one), '31 January 2027', '31/01/2027' or '2027-01-31' as a date."""
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text.strip().rstrip(".")).replace(",", "")
    for form in FORMATS:
        try:
            return datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    for form in YEARLESS:
        try:
            found = datetime.strptime(f"{cleaned} {today.year}", f"{form} %Y").date()
        except ValueError:
            continue
        return found if found >= today else found.replace(year=today.year + 1)
    raise ActionRefused(f"I couldn't read “{text}” as a date. {HOW}")


def read_action(text: str, today: date) -> ActionText:
    """The action, lead and due date in `text` (ActionRefused when one is missing)."""
    found = ACTION.match(text.strip())
    if found is None:
        raise ActionRefused(f"I need what will be done, who leads it and by when. {HOW}")
    due = due_date(found["when"], today)
    if due < today:
        raise ActionRefused(f"{due:%d %B %Y} has passed: give a date from today on.")
    return ActionText(found["what"].strip(), found["who"].strip(), due)


def record_action(store: Store, indicator: str, quarter: str, given: ActionText, actor: str) -> int:
    """Record an improvement action for the quarter's report (audited); returns its id."""
    now = store.clock()
    with store.sessions.begin() as session:
        row = ImprovementAction(indicator_code=indicator, quarter=quarter, action=given.action, lead=given.lead,
                                due=given.due, recorded_by=actor, recorded_at=now)
        session.add(row)
        session.flush()
        record_change(session, now, actor, "add", "improvement_action", f"{indicator}|{quarter}|{row.id}", None,
                      f"{given.action} — {given.lead}, by {given.due.isoformat()}")
        return row.id
