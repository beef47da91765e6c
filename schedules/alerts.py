"""Red alerts derived from the data. A sweep compares each indicator's current status — at the
council, and at the wards someone subscribed to — with the status last recorded for it, records
every change (the log behind the digests' "what changed"), and queues an alert for each measure that
went red (or worse than England by more than its margin) and a recovery notice for each that came
back, to everyone the routing names, through the outbox with idempotency keys (kind, indicator,
place, period, status, recipient). The first sweep of a place records a silent baseline.

Sweeps are serialised (an advisory lock on PostgreSQL, the single writer on SQLite) and skip when
nothing was audited since the last one, so a re-import, a restart or two schedulers never repeat an
alert. Run it after imports and submissions, and from the scheduler as a safety net."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from data_access.audit import audited_count
from data_access.models import AlertStatus, Delivery, Notification, StatusChange, SweepState
from data_access.store import Store
from schedules.outages import delivery_state
from schedules.outbox import enqueue_many, utc
from schedules.routing import Routing
from schedules.settings import NotificationSettings
from schedules.statuses import DETAIL, ENGLAND, current_statuses, is_alarm, judged_places, statuses_of
from schedules.subscriptions import england_margins, watched_wards
from schedules.working_time import LONDON

SWEEP = "alerts"
ALERT, RECOVERY = "alert", "recovery"
LOCK_KEY = 0x7065726661  # "perfa"


@dataclass
class AlertSweep:
    """What one sweep did: skipped (nothing new), recorded a baseline, changes logged, items queued."""

    skipped: bool = False
    baseline: bool = False
    changes: int = 0
    queued: int = 0


def status_label(rule: str, status: str | None) -> str:
    """How a status is written in keys and listings: 'red', 'amber', 'green', 'england:worse'…"""
    return f"{rule}:{status}" if rule == ENGLAND else str(status)


def _lock(session: Session) -> None:
    """Serialise sweeps: an advisory lock on PostgreSQL; on SQLite, a first write takes the lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    else:
        session.execute(text("UPDATE sweep_state SET version = version WHERE name = :name"), {"name": SWEEP})


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def sweep_alerts(store: Store, now: datetime, settings: NotificationSettings | None = None,
                 notify: bool = True) -> AlertSweep:
    """Record status changes since the last sweep and queue their alerts and recovery notices
    (with notify=False, only record: a silent baseline for backfills)."""
    council = store.council_code()
    if council is None:
        return AlertSweep(skipped=True)
    version = audited_count(store.engine)
    with store.sessions() as session:
        state = session.get(SweepState, SWEEP)
        if state is not None and state.version >= version:
            return AlertSweep(skipped=True)
    settings = settings or NotificationSettings.from_env()
    store.reload_if_changed()  # another process may have imported targets or indicators since this one last read them
    wards, margins = watched_wards(store), england_margins(store)
    serial, changed, current = _statuses_to_compare(store, council, wards, margins)
    routing = Routing(store, council, settings.leadership_channels)
    now = utc(now)
    with store.sessions.begin() as session:
        _lock(session)
        state = session.get(SweepState, SWEEP)
        if state is not None and state.version >= version:
            return AlertSweep(skipped=True)
        report, rows = _compare(session, store, current, routing, now, notify, changed)
        report.queued = enqueue_many(session, rows)
        day = now.astimezone(LONDON).date()
        if state is None:
            session.add(SweepState(name=SWEEP, day=day, version=version))
        else:
            state.day, state.version = day, version
    store.framework.swept = (serial, _inputs(store, council, wards, margins))
    return report


def _inputs(store: Store, council: str, wards: list[str], margins: dict[str, float]) -> tuple:
    """What the statuses depend on besides the framework's values."""
    return council, tuple(wards), tuple(sorted(margins.items())), store.generation


def _statuses_to_compare(store: Store, council: str, wards: list[str], margins: dict[str, float]
                         ) -> tuple[int, set[str] | None, pd.DataFrame]:
    """The framework's serial, the indicators evaluated again since this process's last sweep
    (None: every indicator), and their current statuses. After one submission that is one
    indicator: its statuses alone are derived and compared — every other one is as that sweep
    recorded it, since its values, targets, watched wards and margins are as they were."""
    framework = store.framework
    with framework.lock:  # the serial of the status read, not of one another thread read after it
        evaluated = store.framework_status(judged_places(store, council, wards), list(margins))
        serial, swept = framework.serial, framework.swept
    changed = framework.changed_since(swept[0]) if swept and swept[1] == _inputs(store, council, wards, margins) \
        else None
    if changed is not None:
        evaluated = evaluated[evaluated["indicator_code"].isin(list(changed)).to_numpy()]
    return serial, changed, statuses_of(store, evaluated, council, wards, margins)


def record_baseline(session: Session, store: Store, now: datetime) -> AlertSweep:
    """Record the statuses as they stand in `session`'s uncommitted transaction, alerting nobody:
    the baseline `perfbot import --no-alerts` commits together with the values it is judged on,
    so no crash between the two can leave a backfill for the next sweep to alert about."""
    view = store.bound_to(session.connection())
    council = view.council_code()
    if council is None:
        return AlertSweep(skipped=True)
    current = current_statuses(view, council, watched_wards(store), england_margins(store))
    now = utc(now)
    _lock(session)
    report, _ = _compare(session, view, current, None, now, notify=False)  # type: ignore[arg-type]
    version = int(session.execute(text("SELECT count(*) FROM audit_log")).scalar_one())
    day = now.astimezone(LONDON).date()
    state = session.get(SweepState, SWEEP)
    if state is None:
        session.add(SweepState(name=SWEEP, day=day, version=version))
    else:
        state.day, state.version = day, max(state.version, version)
    report.baseline = True
    return report


KEY = ["rule", "indicator_code", "geography_code"]
RECORDED = [*KEY, "period", "status", "value", "observation_id"]


def _recorded(session: Session) -> pd.DataFrame:
    """The recorded statuses as a frame (RECORDED columns)."""
    rows = session.execute(select(*(getattr(AlertStatus, name) for name in RECORDED))).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=RECORDED)


def _differs(a: pd.Series, b: pd.Series, numeric: bool = False) -> pd.Series:
    """Element-wise 'not the same', with missing equal to missing."""
    if numeric:
        x, y = pd.to_numeric(a, errors="coerce").astype(float), pd.to_numeric(b, errors="coerce").astype(float)
        return ~((x == y) | (x.isna() & y.isna()))
    return a.astype(object).where(a.notna(), None).ne(b.astype(object).where(b.notna(), None)) & ~(a.isna() & b.isna())


def _compare(session: Session, store: Store, current: pd.DataFrame, routing: Routing, now: datetime,
             notify: bool, indicators: set[str] | None = None) -> tuple[AlertSweep, list[dict[str, Any]]]:
    """Update the recorded statuses from `current` (in bulk), log the changes and build the outbox
    rows; only the rows whose status changed are handled one by one. With `indicators`, `current`
    holds only theirs, and only their recorded statuses are compared."""
    recorded = _recorded(session)
    known = set(zip(recorded["rule"], recorded["geography_code"]))
    if indicators is not None:
        recorded = recorded[recorded["indicator_code"].isin(list(indicators)).to_numpy()]
    report = AlertSweep(baseline=not any(rule == "rag" for rule, _ in known))
    merged = current.merge(recorded, on=KEY, how="left", suffixes=("", "_old"), indicator=True)
    new = (merged["_merge"] == "left_only").to_numpy()
    fields = ["period", "status", "value", "observation_id"]
    touched = ~new & (_differs(merged["period"], merged["period_old"]) | _differs(merged["status"], merged["status_old"])
                      | _differs(merged["value"], merged["value_old"], True)
                      | _differs(merged["observation_id"], merged["observation_id_old"], True)).to_numpy()
    written = [{**{name: _plain(row[name]) for name in [*KEY, *fields]}, "updated_at": now}
               for row in merged.loc[new | touched, [*KEY, *fields]].to_dict("records")]
    if new.any():
        session.execute(insert(AlertStatus), [w for w, is_new in zip(written, new[new | touched]) if is_new])
    if touched.any():
        session.execute(update(AlertStatus), [w for w, is_new in zip(written, new[new | touched]) if not is_new])
    if not notify:
        return report, []
    silent = np.array([(rule, place) not in known or rule == ENGLAND
                       for rule, place in zip(merged["rule"], merged["geography_code"])], dtype=bool)
    moved = (new & ~silent) | (~new & _differs(merged["status"], merged["status_old"]).to_numpy())
    rows: list[dict[str, Any]] = []
    for row in merged[moved].to_dict("records"):
        row = {name: _plain(value) for name, value in row.items()}
        old_status, old_period, old_value = row["status_old"], row["period_old"], row["value_old"]
        if old_status is None and row["status"] is None:
            continue
        session.add(StatusChange(at=now, rule=row["rule"], indicator_code=row["indicator_code"],
                                 geography_code=row["geography_code"], period=row["period"], old_status=old_status,
                                 new_status=row["status"], old_period=old_period, value=row["value"]))
        report.changes += 1
        if is_alarm(row["rule"], row["status"]) and not is_alarm(row["rule"], old_status):
            kind = ALERT
        elif is_alarm(row["rule"], old_status) and row["status"] is not None:
            kind = RECOVERY
        else:
            continue
        rows.extend(_outbox_rows(store, routing, kind, row, old_status, old_period, old_value, now))
    return report, rows


def _outbox_rows(store: Store, routing: Routing, kind: str, row: dict[str, Any], old_status: str | None,
                 old_period: str | None, old_value: float | None, now: datetime) -> list[dict[str, Any]]:
    """One outbox row per recipient of this alert or recovery."""
    indicator, place = row["indicator_code"], row["geography_code"]
    owner = routing.owner(indicator)
    label = status_label(row["rule"], row["status"])
    base = {
        "rule": row["rule"], "indicator": indicator, "place": place, "period": row["period"],
        "status": row["status"], "old_status": old_status, "old_period": old_period, "old_value": old_value,
        "value": row["value"], "observation_id": row["observation_id"], "margin": row["margin"],
        "owner": owner, "owner_name": routing.names.get(owner, owner) if owner else None,
        "council": routing.council, "raised_at": now.isoformat(),
        **{name: row[name] for name in DETAIL},
    }
    rows = []
    for recipient, why in routing.recipients(indicator, place):
        payload = dict(base, why=why)
        rows.append({"key": f"{kind}|{indicator}|{place}|{row['period']}|{label}|{recipient}", "kind": kind,
                     "recipient": recipient, "indicator_code": indicator, "geography_code": place,
                     "period": row["period"], "stage": label, "status": "pending", "due_at": now,
                     "created_at": now, "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True,
                                                              default=str)})
    return rows


def alerts_since(store: Store, since: datetime | None = None) -> list[dict[str, Any]]:
    """Every alert and recovery notice raised since `since` (pending or sent), one per recipient,
    oldest first — what `perfbot alerts` lists."""
    query = select(Notification, Delivery.channel, Delivery.sent_at, Delivery.status, Delivery.attempts,
                   Delivery.last_error, Delivery.created_at).outerjoin(
        Delivery, Delivery.id == Notification.delivery_id).where(
        Notification.kind.in_((ALERT, RECOVERY))).order_by(Notification.id)
    if since is not None:
        query = query.where(Notification.created_at >= utc(since))
    with store.sessions() as session:
        found = session.execute(query).all()
    listed = []
    now = store.clock()
    for item, channel, sent_at, delivery_status, attempts, last_error, created_at in found:
        payload = json.loads(item.payload)
        state = delivery_state(delivery_status, attempts, last_error, created_at, now) or item.status
        listed.append({"kind": item.kind, "indicator": item.indicator_code, "geography": item.geography_code,
                       "period": item.period, "status": item.stage, "recipient": item.recipient,
                       "why": payload.get("why"), "delivery": state, "channel": channel or None,
                       "raised_at": _iso(item.created_at), "sent_at": _iso(sent_at) if sent_at else None,
                       "note": item.note})
    return listed


def _iso(moment: datetime) -> str:
    """A stored time as ISO text in UTC (SQLite gives naive UTC back)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()
