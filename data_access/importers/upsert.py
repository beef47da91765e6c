"""Bringing a small reference table (places, indicators, targets, people, calendar) in line with
a file's rows: new rows inserted, changed rows updated and each update audited, unchanged rows
left alone — so re-importing the same file changes nothing."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers.observations import WriteResult
from data_access.importers.reading import Table


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) > 1e-9
    return old != new


def distinct_rows(table: Table, rows: list[dict[str, Any]], key: tuple[str, ...], what: str) -> list[dict[str, Any]]:
    """`rows` (row i of `table`) without exact repeats; a row that repeats another's key with
    different values is flagged, naming both lines. Refuses the file if any row of it was flagged
    (here or by an earlier check): the rows are about to be written."""
    first_seen: dict[tuple, int] = {}
    kept = []
    for i, row in enumerate(rows):
        row_key = tuple(row[name] for name in key)
        seen = first_seen.get(row_key)
        if seen is None:
            first_seen[row_key] = i
            kept.append(row)
        elif any(_differs(rows[seen][name], row[name]) for name in row):
            table.flag(f"this row repeats line {table.line_of(seen)} (the same {what}) with different values; "
                       f"keep one row per {what}", [i], key[0])
    table.check()
    return kept


def upsert_rows(session: Session, model: type, key: tuple[str, ...], rows: list[dict[str, Any]],
                actor: str, now: datetime, entity: str, compare: tuple[str, ...] | None = None) -> WriteResult:
    """Insert or update `rows` of `model` matched on `key` columns (a row differing only outside
    `compare`, when given, is unchanged); says how many were added, changed, unchanged."""
    if not rows:
        return WriteResult()
    fields = list(rows[0])
    key_columns = [getattr(model, name) for name in key]
    existing = {
        tuple(row[: len(key)]): dict(zip(fields, row[len(key):]))
        for row in session.execute(select(*key_columns, *[getattr(model, name) for name in fields]))
    }
    fresh, changed = [], []
    for row in rows:
        row_key = tuple(row[name] for name in key)
        old = existing.get(row_key)
        if old is None:
            fresh.append(row)
        elif any(_differs(old[name], row[name]) for name in (compare or fields)):
            changed.append((row_key, old, row))
    if fresh:
        session.execute(insert(model), fresh)
    for row_key, old, row in changed:
        condition = tuple_(*key_columns) == tuple_(*row_key) if len(key) > 1 else key_columns[0] == row_key[0]
        session.execute(update(model).where(condition).values(**row))
        diff_old = {name: old[name] for name in fields if _differs(old[name], row[name])}
        diff_new = {name: row[name] for name in diff_old}
        record_change(session, now, actor, "update", entity, " ".join(map(str, row_key)), diff_old, diff_new)
    return WriteResult(len(fresh), len(changed), len(rows) - len(fresh) - len(changed))
