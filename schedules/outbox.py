"""The notification outbox: queue items once per idempotency key (a second attempt with the same
key does nothing, whichever process makes it), and cancel or postpone pending items."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, DateTime, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from data_access.models import Notification

COLUMNS = ("key", "kind", "recipient", "indicator_code", "geography_code", "period", "stage", "payload", "due_at",
           "status", "created_at")


def utc(moment: datetime) -> datetime:
    """An aware time in UTC: every time the outbox stores or compares is in UTC (SQLite keeps no zone)."""
    return moment.astimezone(timezone.utc)


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> int:
    """Queue many items at once (each a dict of Notification columns); keys already queued are skipped.
    Returns how many were new. Uses the driver's executemany directly: a sweep may queue 100,000 rows.
    Times are stored in UTC (on SQLite as SQLAlchemy's DateTime stores them, so ORM reads agree)."""
    if not rows:
        return 0
    count = select(func.count()).select_from(Notification)
    before = session.scalar(count)
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    marks = ", ".join(["%s" if postgres else "?"] * len(COLUMNS))
    bound: dict[datetime, Any] = {}
    for name in ("due_at", "created_at"):
        for moment in {row[name] for row in rows}:
            bound[moment] = utc(moment) if postgres else utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")
    values = [(row["key"], row["kind"], row["recipient"], row["indicator_code"], row["geography_code"], row["period"],
               row["stage"], row["payload"], bound[row["due_at"]], row["status"], bound[row["created_at"]])
              for row in rows]
    connection.exec_driver_sql(f"INSERT INTO notification ({', '.join(COLUMNS)}) VALUES ({marks}) "
                               "ON CONFLICT (key) DO NOTHING", values)
    return session.scalar(count) - before


def enqueue_reminders(session: Session, rungs: list[tuple[str, str, str, str, int, int]],
                      audiences: list[tuple[int, str, str]], due_at: datetime, created_at: datetime) -> int:
    """Queue a reminder for each rung and each person of its audience; keys already queued are
    skipped. Returns how many were new. `rungs` are (indicator, period, deadline, stage, overdue
    working days, audience number), `audiences` (audience number, e-mail, why). A sweep may queue
    100,000 reminders from 40,000 rungs and a few hundred audiences, so the database makes the rows
    (key `reminder|indicator|period|recipient|stage`) from those two, rather than Python one by one."""
    if not rungs:
        return 0
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    for table, columns in (("sweep_rung", "indicator_code TEXT, period TEXT, deadline TEXT, stage TEXT, overdue INTEGER, "
                                          "audience INTEGER"),
                           ("sweep_audience", "audience INTEGER, recipient TEXT, why TEXT")):
        # pysqlite runs DDL outside the transaction, so a sweep that failed may have left the table behind
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        connection.exec_driver_sql(f"CREATE TEMP TABLE {table} ({columns})")
    _fill(connection, "sweep_rung", rungs)
    _fill(connection, "sweep_audience", audiences)
    if postgres:  # temporary tables have no statistics until analysed, and the join plan needs them
        connection.exec_driver_sql("ANALYZE sweep_rung, sweep_audience")
    # The payload is what a message needs beyond the columns. Written out rather than with the
    # databases' JSON functions (PostgreSQL's json_build_object costs more than the insert itself):
    # a date, a number and a reason from the ladder's own words need no escaping.
    payload = ("'{\"deadline\": \"' || r.deadline || '\", \"overdue_working_days\": ' || r.overdue || "
               "', \"why\": \"' || a.why || '\"}'")
    queue = text(
        "INSERT INTO notification (key, kind, recipient, indicator_code, period, stage, payload, due_at, status, "
        "created_at) SELECT 'reminder|' || r.indicator_code || '|' || r.period || '|' || a.recipient || '|' || r.stage, "
        f"'reminder', a.recipient, r.indicator_code, r.period, r.stage, {payload}, :due_at, 'pending', :created_at "
        "FROM sweep_rung r JOIN sweep_audience a ON a.audience = r.audience "
        "WHERE true ON CONFLICT (key) DO NOTHING"  # SQLite needs the WHERE to read ON CONFLICT as an upsert
    ).bindparams(bindparam("due_at", type_=DateTime(timezone=True)), bindparam("created_at", type_=DateTime(timezone=True)))
    added = connection.execute(queue, {"due_at": utc(due_at), "created_at": utc(created_at)}).rowcount
    connection.exec_driver_sql("DROP TABLE sweep_rung")
    connection.exec_driver_sql("DROP TABLE sweep_audience")
    return added


def _fill(connection: Connection, table: str, rows: list[tuple]) -> None:
    """Load rows into a temporary table: COPY on PostgreSQL (an executemany there costs about
    15 µs a row), an executemany on SQLite."""
    if connection.dialect.name == "postgresql":
        with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        connection.exec_driver_sql(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def anything_due(session: Session, now: datetime) -> bool:
    """True when some pending item is due by `now` (an index look-up: cheap enough to ask every few seconds)."""
    return session.scalar(select(Notification.id).where(Notification.status == "pending", Notification.due_at <= utc(now))
                          .limit(1)) is not None


def cancel(session: Session, ids: list[int], why: str) -> int:
    """Cancel pending items (e.g. the value arrived before the reminder went out)."""
    if not ids:
        return 0
    return session.execute(update(Notification).where(Notification.id.in_(ids), Notification.status == "pending")
                           .values(status="cancelled", note=why)).rowcount


def postpone(session: Session, ids: list[int], until: datetime, why: str) -> int:
    """Hold pending items back until a later time (a snooze, or one message per person per day)."""
    if not ids:
        return 0
    return session.execute(update(Notification).where(Notification.id.in_(ids), Notification.status == "pending")
                           .values(due_at=utc(until), note=why)).rowcount
