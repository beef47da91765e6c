"""Recording a value someone submitted, safely under concurrency: appended when new, superseding
the current value (with a reason) when one exists, undone on request, annotated with commentary —
every change audited, nothing overwritten.

Writes for one indicator, place and period are serialised: on PostgreSQL by a transaction-level
advisory lock on the key, on SQLite by its single writer (and a retry when a concurrent write got
there first). When two people submit at once, both values are kept and audited; the one committed
last is current."""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers.observations import supersede
from data_access.models import AuditEntry, Observation
from data_access.periods import Period
from data_access.store import Store

ATTEMPTS = 20


@dataclass(frozen=True)
class Recorded:
    """What a submission wrote: the new observation's id, and the value it replaced (if any)."""

    observation_id: int
    previous_value: float | None
    replaced: bool


def _lock(session: Session, key: str) -> None:
    """Serialise writers of one key on PostgreSQL (SQLite has a single writer already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(key.encode())})


def current_observation(session: Session, indicator: str, place: str, period: str) -> Observation | None:
    """The current observation for an indicator, place and period (no breakdown)."""
    return session.scalar(select(Observation).where(
        Observation.indicator_code == indicator, Observation.geography_code == place,
        Observation.period == period, Observation.breakdown == "", Observation.superseded_at.is_(None)))


SUBMITTED = "submitted by "  # how the source of a value submitted by message begins (never a published value)


def record_value(store: Store, indicator: str, place: str, period: Period, value: float, actor: str,
                 channel: str, source: str, reason: str | None = None) -> Recorded:
    """Write a submitted value (a correction when one exists), retrying when a concurrent write won."""
    for attempt in range(ATTEMPTS):
        try:
            with store.sessions.begin() as session:
                return write_value(session, store.clock(), indicator, place, period, value, actor, channel, source,
                                   reason)
        except (IntegrityError, OperationalError):
            if attempt == ATTEMPTS - 1:
                raise
    raise RuntimeError("unreachable")


def write_value(session: Session, now: datetime, indicator: str, place: str, period: Period, value: float,
                actor: str, channel: str, source: str, reason: str | None = None) -> Recorded:
    """Write one submitted value in the caller's transaction (locked by its key), audited."""
    key = f"{indicator}|{place}|{period.label}"
    _lock(session, key)
    current = current_observation(session, indicator, place, period.label)
    fields = {"indicator_code": indicator, "geography_code": place, "period": period.label,
              "period_kind": period.kind, "period_start": period.start, "period_end": period.end,
              "breakdown": "", "value": float(value), "status": "final", "source": source}
    if current is None:
        row = Observation(**fields, recorded_by=actor, recorded_at=now, channel=channel, reason=reason)
        session.add(row)
        session.flush()
        record_change(session, now, actor, "submit", "observation", key, None, float(value), reason)
        return Recorded(row.id, None, False)
    why = reason or "submitted at the same time as another value"
    previous = current.value
    row = supersede(session, current.id, fields, actor, channel, now, why)
    record_change(session, now, actor, "submit", "observation", key, previous, float(value), why)
    return Recorded(row.id, previous, True)


def undo(store: Store, observation_id: int, actor: str, channel: str) -> float | None:
    """Withdraw a submitted observation: the value it replaced becomes current again (as a new row),
    or the period has no value again. Returns the value restored (None when none). Audited."""
    with store.sessions.begin() as session:
        return undo_value(session, store.clock(), observation_id, actor, channel)


def undo_value(session: Session, now: datetime, observation_id: int, actor: str, channel: str) -> float | None:
    """`undo` in the caller's transaction; raises ValueError when the value was changed since."""
    row = session.get(Observation, observation_id)
    if row is None or row.superseded_at is not None:
        raise ValueError("that value has already been changed since, so it cannot be undone")
    key = f"{row.indicator_code}|{row.geography_code}|{row.period}"
    _lock(session, key)
    replaced = session.scalar(select(Observation).where(Observation.superseded_by == row.id))
    if replaced is None:
        session.execute(update(Observation).where(Observation.id == row.id).values(superseded_at=now))
        record_change(session, now, actor, "undo", "observation", key, row.value, None, "undo")
        return None
    fields = {name: getattr(replaced, name) for name in (
        "indicator_code", "geography_code", "period", "period_kind", "period_start", "period_end", "breakdown",
        "value", "status", "source")}
    supersede(session, row.id, fields, actor, channel, now, "undo", replaced.commentary)
    record_change(session, now, actor, "undo", "observation", key, row.value, replaced.value, "undo")
    return replaced.value


def last_submission(store: Store, actor: str, since: datetime) -> tuple[int, datetime, str, str] | None:
    """The value `actor` last submitted since `since`, in any conversation, while it is still the
    current one: (observation id, when, indicator, period); None when there is none, or the last
    change they made was an undo."""
    with store.sessions() as session:
        last = session.execute(select(AuditEntry.action, AuditEntry.entity_key, AuditEntry.at).where(
            AuditEntry.actor == actor, AuditEntry.entity == "observation", AuditEntry.action.in_(("submit", "undo")),
            AuditEntry.at >= since).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1)).first()
        if last is None or last.action != "submit":
            return None
        indicator, place, period = last.entity_key.split("|", 2)
        row = current_observation(session, indicator, place, period)
    if row is None or row.recorded_by != actor:
        return None
    return row.id, last.at if last.at.tzinfo else last.at.replace(tzinfo=since.tzinfo), indicator, period


def add_commentary(store: Store, observation_id: int, commentary: str, actor: str, channel: str) -> int:
    """Attach commentary to a value: the observation is superseded by an identical one carrying the
    commentary (so nothing is overwritten), and the change audited. Returns the new row's id."""
    with store.sessions.begin() as session:
        row = session.get(Observation, observation_id)
        if row is None or row.superseded_at is not None:
            raise ValueError("that value has been changed since; ask about it again to comment on the current one")
        now = store.clock()
        fields = {name: getattr(row, name) for name in (
            "indicator_code", "geography_code", "period", "period_kind", "period_start", "period_end", "breakdown",
            "value", "status", "source")}
        new = supersede(session, row.id, fields, actor, channel, now, "commentary added", commentary)
        record_change(session, now, actor, "commentary", "observation",
                      f"{row.indicator_code}|{row.geography_code}|{row.period}", row.commentary, commentary)
        return new.id


def audit_trail(store: Store, indicator: str | None = None, since: datetime | None = None) -> list[dict]:
    """Every audited change, oldest first, optionally for one indicator and since a time."""
    query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if indicator is not None:
        query = query.where(AuditEntry.entity_key.like(f"{indicator}|%") | AuditEntry.entity_key.like(f"{indicator} %")
                            | (AuditEntry.entity_key == indicator))
    with store.sessions() as session:
        return [{"at": e.at, "actor": e.actor, "action": e.action, "entity": e.entity, "key": e.entity_key,
                 "old": e.old_value, "new": e.new_value, "reason": e.reason} for e in session.scalars(query)]
