"""Collecting what goes into a quarter's corporate performance report through the notification
outbox. The calendar's `collate corporate performance reports` date is the deadline: on each rung
of the reminder ladder around it (5 working days before, 1 before, on the day, then 1, 3 and 5
after and weekly until the quarter's last milestone) each director is asked for a commentary on
every red measure of their service that has none, and each owner of a measure red for a second
period running for an improvement action; from the first working day after collation each cabinet
member is offered their service's pages and asked for a comment for its summary page. What has
been given is not asked for again, and pending requests for it are cancelled before they go out."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select, text

from bot.core.messages import Choice, ChoicesReply, Reply, TextReply
from bot.core.format import period_text
from data_access.models import Notification
from data_access.periods import parse_period
from data_access.store import Store
from reports.outstanding import ACTION, CABINET, RETURN, Outstanding, outstanding_items
from schedules.ladder import Stage, stage_on
from schedules.notices import short_name, spoken_name
from schedules.outbox import cancel, enqueue_many
from schedules.working_time import WorkingTime

REPORT_REQUEST = "report"
COLLATE = "collate corporate performance reports"
MAX_BUTTONS = 5
BUTTON_NAME = 40  # characters of an indicator name on a button
CATCH_UP_DAYS = 10


class Collation(NamedTuple):
    """A quarter's collation date and the last of its milestones (chasing stops after it)."""

    quarter: str
    deadline: date
    last: date


class Request(NamedTuple):
    """One thing asked of one person for a quarter's report on one day."""

    item: Outstanding
    quarter: str
    deadline: date
    stage: str

    @property
    def key(self) -> str:
        """The outbox key: one request per thing, person and rung."""
        about = self.item.indicator or self.item.service
        return f"{REPORT_REQUEST}|{self.quarter}|{self.item.kind}|{about}|{self.item.recipient}|{self.stage}"


def collations(store: Store) -> list[Collation]:
    """Every quarter with a collation date in the reporting calendar."""
    with store.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT period, milestone, deadline FROM reporting_deadline WHERE frequency = 'quarterly'")).all()
    found: dict[str, dict] = {}
    for period, milestone, deadline in rows:
        day = deadline if isinstance(deadline, date) else date.fromisoformat(str(deadline))
        entry = found.setdefault(period, {"deadline": None, "last": day})
        entry["last"] = max(entry["last"], day)
        if milestone == COLLATE:
            entry["deadline"] = day
    return [Collation(p, e["deadline"], e["last"]) for p, e in sorted(found.items()) if e["deadline"]]


def _latest_rung(deadline: date, day: date, working: WorkingTime, days: int) -> Stage | None:
    """The latest rung of the ladder on `day` or in the `days` before it."""
    for back in range(days + 1):
        stage = stage_on(deadline, day - timedelta(days=back), working)
        if stage is not None:
            return stage
    return None


def requests_on(store: Store, day: date, working: WorkingTime | None = None, catch_up: int = 0) -> list[Request]:
    """Exactly what is asked, of whom, on `day`; with `catch_up` days, also what the latest rung in
    those days asked (for a scheduler that was down, or a red that appeared since)."""
    working = working or WorkingTime()
    found = []
    for collation in collations(store):
        if day > collation.last:
            continue
        stage = _latest_rung(collation.deadline, day, working, catch_up)
        if stage is None:
            continue
        quarter = parse_period(collation.quarter)
        found.extend(Request(item, quarter.label, collation.deadline, stage.name)
                     for item in outstanding_items(store, quarter, as_at=day)
                     if item.kind != RETURN and (item.kind != CABINET or stage.offset >= 1))
    return found


def sweep_report_requests(store: Store, now: datetime, working: WorkingTime | None = None) -> int:
    """Queue the requests of the latest rung up to today (a repeat sweep queues nothing new, each
    request being keyed by its rung; one missed while no scheduler ran is caught up); returns how
    many were new."""
    working = working or WorkingTime()
    day = working.local_date(now)
    due_at = working.next_opening(max(now, working.opening(day)))
    rows = [{"key": r.key, "kind": REPORT_REQUEST, "recipient": r.item.recipient, "indicator_code": r.item.indicator or None,
             "geography_code": None, "period": r.quarter, "stage": r.stage, "status": "pending",
             "payload": json.dumps({"request": r.item.kind, "deadline": r.deadline.isoformat(),
                                    "value_period": r.item.period, "service": r.item.service}),
             "due_at": due_at, "created_at": now} for r in requests_on(store, day, working, CATCH_UP_DAYS)]
    with store.sessions.begin() as session:
        return enqueue_many(session, rows)


def cancel_given(store: Store) -> int:
    """Cancel pending requests for commentary or actions given since they were queued."""
    with store.sessions() as session:
        pending = session.execute(select(Notification.id, Notification.period, Notification.indicator_code,
                                         Notification.recipient, Notification.payload)
                                  .where(Notification.status == "pending", Notification.kind == REPORT_REQUEST)).all()
    if not pending:
        return 0
    still: dict[str, set[tuple[str, str, str, str]]] = {}
    for quarter in {row.period for row in pending}:
        still[quarter] = {(i.kind, i.indicator, i.service, i.recipient) for i in outstanding_items(store, parse_period(quarter))}

    def asked(row) -> tuple[str, str, str, str]:
        payload = json.loads(row.payload)
        return payload["request"], row.indicator_code or "", payload.get("service", ""), row.recipient

    given = [row.id for row in pending if asked(row) not in still[row.period]]
    with store.sessions.begin() as session:
        return cancel(session, given, "given")


def request_message(store: Store, recipient: str, items: list[Notification], today: date) -> list[Reply]:
    """One message for everything a person is asked for the report today, with a button each."""
    asked = sorted(({"indicator": n.indicator_code or "", "quarter": n.period, **json.loads(n.payload)} for n in items),
                   key=lambda p: (p["quarter"], p["request"], p["indicator"]))
    person = store.person(recipient)
    first = person.name.split()[0] if person and not person.name.startswith("Cllr") else (person.name if person else "")
    deadline = date.fromisoformat(asked[0]["deadline"])
    quarter = period_text(asked[0]["quarter"], months=False)
    when = ("is collated today" if deadline == today else f"is collated on {deadline:%a %d %b}" if deadline > today
            else f"was due to be collated on {deadline:%a %d %b} and is being put together now")
    lines = [f"Good morning{', ' + first if first else ''}. The {quarter} corporate performance report "
             f"{when}. Please give:"]
    buttons = []
    for p in asked:
        name = store.indicators["name"].get(p["indicator"], p["indicator"])
        if p["request"] == CABINET:
            lines.append(f"• your comment on *{p['service']}* for its summary page, as its cabinet member: "
                         f"“comment on the {p['quarter']} report: …”")
            buttons.append(Choice(f"{p['service']} pages", f"send me the {p['quarter']} {p['service']} report"))
        elif p["request"] == ACTION:
            lines.append(f"• an improvement action for *{name}* (red for a second period): "
                         f"“add an action for {p['indicator']}: what, who, by when”")
        else:
            lines.append(f"• a commentary on *{name}* ({period_text(p['value_period'], months=False)}, red): "
                         "what is happening and what is being done")
            buttons.append(Choice(f"Commentary: {short_name(spoken_name(store, p['indicator']), BUTTON_NAME)}",
                                  f"commentary for {p['indicator']} {p['value_period']}"))
    replies: list[Reply] = [TextReply("\n".join(lines))]
    if buttons:
        replies.append(ChoicesReply("Start now:", tuple(buttons[:MAX_BUTTONS])))
    return replies
