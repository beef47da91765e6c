"""Weekly digests: for leadership (the leadership channels, else everyone with the leadership role)
the council's counts of red, amber and green, what changed since last week, each red with its
commentary (or "commentary outstanding") and the returns overdue, with the scorecard chart; for
each cabinet member the same for their portfolio. Derived by the sweep: a week's digest is due once
its moment (default Monday 08:30, London) has passed and its key is not yet in the outbox — up to a
day late (after a longer outage that week's digest is skipped rather than sent days late)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.core.format import rag_text
from bot.core.messages import CardReply, Choice, Reply
from data_access.models import Notification, StatusChange
from data_access.store import Store
from schedules.notices import name_of, place_of, said_as_acronym, show, when_text
from schedules.outbox import enqueue_many, utc
from schedules.returns import outstanding_returns
from schedules.settings import NotificationSettings
from schedules.statuses import RAG, current_statuses
from schedules.working_time import LONDON, WorkingTime

DIGEST = "digest"
LISTED = 12
CATCH_UP = timedelta(days=1)


def digest_moment(now: datetime, settings: NotificationSettings) -> datetime:
    """The latest scheduled digest time at or before `now` (London wall-clock, across clock changes)."""
    local = now.astimezone(LONDON)
    day = local.date() - timedelta(days=(local.weekday() - settings.digest_weekday) % 7)
    moment = datetime.combine(day, settings.digest_time, tzinfo=LONDON)
    if moment > local:
        moment = datetime.combine(day - timedelta(days=7), settings.digest_time, tzinfo=LONDON)
    return moment


def week_of(moment: datetime) -> str:
    """The ISO week of a digest moment, e.g. '2026-W49'."""
    year, week, _ = moment.astimezone(LONDON).isocalendar()
    return f"{year}-W{week:02d}"


def digest_recipients(store: Store, settings: NotificationSettings) -> list[tuple[str, str | None]]:
    """(recipient, portfolio): leadership (portfolio None) first, then each cabinet member's portfolio."""
    found: dict[str, str | None] = {}
    people = store.people()
    leaders = list(settings.leadership_channels) or [
        p.email for p in people if "leadership" in (p.roles or "").split(";")]
    for recipient in leaders:
        found.setdefault(recipient, None)
    for person in people:
        if "cabinet_member" in (person.roles or "").split(";") and person.portfolio:
            found.setdefault(person.email, person.portfolio)
    return list(found.items())


def sweep_digests(store: Store, now: datetime, settings: NotificationSettings | None = None,
                  working: WorkingTime | None = None) -> int:
    """Queue this week's digests not queued yet, once their moment has passed; returns how many."""
    settings = settings or NotificationSettings.from_env()
    council = store.council_code()
    if council is None:
        return 0
    moment = digest_moment(now, settings)
    if now - moment > CATCH_UP:
        return 0  # the scheduler was down all that day: this week's digest is skipped, not sent days late
    week = week_of(moment)
    wanted = {f"{DIGEST}|{week}|{recipient}": (recipient, portfolio)
              for recipient, portfolio in digest_recipients(store, settings)}
    with store.sessions() as session:
        queued = set(session.scalars(select(Notification.key).where(Notification.key.in_(list(wanted)))))
    missing = {key: value for key, value in wanted.items() if key not in queued}
    if not missing:
        return 0
    contents: dict[str | None, dict[str, Any]] = {}
    stamp = utc(now)
    rows = []
    for key, (recipient, portfolio) in missing.items():
        if portfolio not in contents:
            contents[portfolio] = digest_content(store, council, moment, now, portfolio, working)
        rows.append({"key": key, "kind": DIGEST, "recipient": recipient, "indicator_code": None,
                     "geography_code": council, "period": week, "stage": portfolio or "leadership",
                     "status": "pending", "due_at": stamp, "created_at": stamp,
                     "payload": json.dumps(contents[portfolio], ensure_ascii=False, sort_keys=True)})
    with store.sessions.begin() as session:
        return enqueue_many(session, rows)


def digest_content(store: Store, council: str, moment: datetime, now: datetime, portfolio: str | None = None,
                   working: WorkingTime | None = None) -> dict[str, Any]:
    """What a digest says, as plain data: counts, changes since the last digest, reds with their
    commentary, overdue returns, and the scorecard's data."""
    working = working or WorkingTime()
    indicators = store.indicators
    scope = indicators.index if portfolio is None else indicators.index[indicators["portfolio"] == portfolio]
    statuses = current_statuses(store, council, [], {})
    statuses = statuses[(statuses["rule"] == RAG) & statuses["indicator_code"].isin(list(scope))]
    rags = statuses["status"].fillna("none")
    counts = {key: int((rags == key).sum()) for key in ("red", "amber", "green", "none")}
    reds = statuses[rags == "red"].sort_values("indicator_code")
    since = moment - timedelta(days=7)
    changes = _changes(store, council, since, now, set(scope))
    today = working.local_date(now)
    overdue = [r for r in outstanding_returns(store, today, council, working)
               if r.overdue(today) and r.indicator_code in set(scope)]
    periods = sorted(set(statuses["period"]))
    owners = {p.email: p.name for p in store.people()}
    return {
        "week": week_of(moment), "scope": place_of(store, council) if portfolio is None else f"the {portfolio} portfolio",
        "portfolio": portfolio, "since": since.isoformat(), "as_of": today.isoformat(), "counts": counts,
        "changes": changes,
        "reds": [{"indicator": row.indicator_code, "name": name_of(store, row.indicator_code), "period": row.period,
                  "value": show(store, row.indicator_code, row.value),
                  "target": _target(store, row), "commentary": row.commentary if isinstance(row.commentary, str) else None}
                 for row in reds.itertuples()],
        "overdue": [{"indicator": r.indicator_code, "name": name_of(store, r.indicator_code), "period": r.period,
                     "deadline": r.deadline.isoformat(), "owner": owners.get(r.owner_email, r.owner_email),
                     "paused_until": r.paused_until.date().isoformat() if r.paused_until else None} for r in overdue],
        "period_note": (f"newest values, {when_text(periods[0])} to {when_text(periods[-1])}" if len(periods) > 1
                        else f"values for {when_text(periods[0])}" if periods else ""),
    }


def _target(store: Store, row: Any) -> str:
    if row.target_low == row.target_low and row.target_high == row.target_high:
        return (f"a range of {show(store, row.indicator_code, row.target_low)} to "
                f"{show(store, row.indicator_code, row.target_high)}")
    return show(store, row.indicator_code, row.target) if row.target == row.target else ""


def _changes(store: Store, council: str, since: datetime, until: datetime, scope: set[str]) -> list[dict[str, Any]]:
    """Each indicator whose council RAG changed in the window: the statuses it went through."""
    with store.sessions() as session:
        rows = session.scalars(select(StatusChange).where(
            StatusChange.rule == RAG, StatusChange.geography_code == council,
            StatusChange.at >= utc(since), StatusChange.at <= utc(until)).order_by(StatusChange.id)).all()
    chains: dict[str, dict[str, Any]] = {}
    for change in rows:
        if change.indicator_code not in scope:
            continue
        chain = chains.setdefault(change.indicator_code, {
            "indicator": change.indicator_code, "name": name_of(store, change.indicator_code),
            "statuses": [change.old_status]})
        chain["statuses"].append(change.new_status)
        chain["period"] = change.period
        chain["value"] = show(store, change.indicator_code, change.value)
    return sorted(chains.values(), key=lambda c: (c["statuses"][-1] != "red", c["indicator"]))


def _status_word(status: str | None) -> str:
    return rag_text(status) or "no target"


def digest_message(payload: dict[str, Any]) -> list[Reply]:
    """The digest as one card."""
    counts = payload["counts"]
    as_of = date.fromisoformat(payload["as_of"])
    scope = payload["scope"][:1].upper() + payload["scope"][1:]
    lines = [f"*{scope}* — {counts['red']} red, {counts['amber']} amber, {counts['green']} green, "
             f"{counts['none']} without a target ({payload['period_note']})."]
    lines.append("*What changed since last week*")
    if payload["changes"]:
        for change in payload["changes"][:LISTED]:
            path = " → ".join(_status_word(s) for s in change["statuses"])
            lines.append(f"• {change['name']}: {path} ({change['value']}, {when_text(change['period'])})")
        if len(payload["changes"]) > LISTED:
            lines.append(f"• … and {len(payload['changes']) - LISTED} more")
    else:
        lines.append("• No measure changed status.")
    lines.append(f"*Red ({len(payload['reds'])})*")
    for red in payload["reds"]:
        target = f" against {red['target']}" if red["target"] else ""
        note = f"“{red['commentary']}”" if red["commentary"] else "_commentary outstanding_"
        lines.append(f"• {red['name']}: {red['value']}{target} ({when_text(red['period'])}) — {note}")
    if not payload["reds"]:
        lines.append("• Nothing is red.")
    lines.append(f"*Returns overdue ({len(payload['overdue'])})*")
    for owed in payload["overdue"][:LISTED]:
        held = f" — not available until {date.fromisoformat(owed['paused_until']):%a %d %b}" \
            if owed.get("paused_until") else ""
        lines.append(f"• {said_as_acronym(owed['name'])}, {when_text(owed['period'])} — due "
                     f"{date.fromisoformat(owed['deadline']):%a %d %b} ({owed['owner']}){held}")
    if len(payload["overdue"]) > LISTED:
        lines.append(f"• … and {len(payload['overdue']) - LISTED} more")
    if not payload["overdue"]:
        lines.append("• None — every return is in.")
    title = f"Weekly performance digest — {as_of:%A} {as_of.day} {as_of:%B %Y}"
    ask = f"which measures are red in {payload['portfolio']}?" if payload.get("portfolio") else "which measures are red?"
    return [CardReply(title, tuple(lines), (Choice("Show the reds", ask),))]

