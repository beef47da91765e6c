"""Writing a batch of observations in bulk: new values are appended, identical ones are left
alone (so re-importing a file changes nothing), and a different value for the same indicator,
place, period and breakdown supersedes the current one — both rows stay, the correction is audited."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from data_access.audit import as_text, record_change
from data_access.importers.reading import Table
from data_access.models import AuditEntry, Geography, Indicator, Observation
from data_access.periods import PeriodError, parse_period

KEY = ["indicator_code", "geography_code", "period", "breakdown"]


@dataclass
class WriteResult:
    """How many rows a file added, changed (observations: superseded) and left as they were."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    withheld: int = 0
    details: dict = field(default_factory=dict)


def canonical_periods(table: Table, column: str = "period", raw: pd.Series | None = None) -> pd.DataFrame:
    """Each row's period (the column's text, or `raw` read from it) as canonical label, kind, start
    and end; refuses an unreadable period."""
    raw = table.required_text(column) if raw is None else raw
    codes, labels = pd.factorize(raw)
    parsed = []
    for number, label in enumerate(labels):
        try:
            parsed.append(parse_period(label))
        except PeriodError as error:
            parsed.append(None)
            table.flag(str(error), _rows(raw.index, np.flatnonzero(codes == number)), column)

    def take(values: list) -> np.ndarray:
        return np.asarray(values + [None], dtype=object)[codes]

    return pd.DataFrame({
        "period": take([p.label if p else None for p in parsed]),
        "period_kind": take([p.kind if p else None for p in parsed]),
        "period_start": take([p.start if p else None for p in parsed]),
        "period_end": take([p.end if p else None for p in parsed]),
    }, index=raw.index)


def _rows(index: pd.Index, positions) -> list[int]:
    """The table rows at `positions` of a frame with `index` (a table's row numbers, possibly filtered)."""
    labels = index[np.asarray(positions, dtype=int)]
    return [int(label) for label in labels] if pd.api.types.is_integer_dtype(index) else list(positions)


def check_known(session: Session, table: Table, codes: pd.Series, model: type, column: str, what: str) -> None:
    """Flag each row whose code is not in the store."""
    known = set(session.scalars(select(model.code)))
    unknown = np.flatnonzero((~codes.isin(known) & (codes != "")).to_numpy())
    if len(unknown):
        table.flag(lambda row: f"unknown {what} '{codes.loc[row]}'; import the {what}s first or correct the code",
                   _rows(codes.index, unknown), column)


def check_ended(table: Table, frame: pd.DataFrame, now: datetime) -> None:
    """Flag each value for a period not yet ended (on `now`'s date): a value for next March is a
    forecast, never the newest value."""
    if frame.empty or "period_end" not in frame:
        return
    today = now.date()
    codes, ends = pd.factorize(frame["period_end"].to_numpy(dtype=object))  # a few distinct ends
    open_ = np.flatnonzero(np.isin(codes, [i for i, end in enumerate(ends) if end >= today]))
    if len(open_):
        periods = frame["period"]
        table.flag(lambda row: f"{periods.loc[row]} has not ended yet (today is {today:%d %B %Y}); values "
                               "for periods not yet ended are refused — give the value once the period is over, or "
                               "mark it as a forecast (status forecast), which is kept apart and never the newest",
                   _rows(frame.index, open_), "period")


def check_places_and_indicators(session: Session, table: Table, frame: pd.DataFrame,
                                place_column: str, indicator_column: str | None) -> None:
    """Refuse observations for a place or indicator the store does not know."""
    check_known(session, table, frame["geography_code"], Geography, place_column, "place code")
    if indicator_column:
        check_known(session, table, frame["indicator_code"], Indicator, indicator_column, "indicator code")


def drop_duplicates(table: Table, frame: pd.DataFrame, value_column: str) -> pd.DataFrame:
    """Drop rows repeated with the same value; flag each row that repeats another with a different value."""
    repeated = frame.duplicated(KEY, keep=False)
    if not repeated.any():
        return frame
    groups = frame[repeated].groupby(KEY, sort=False)["value"]
    for _, values in groups:
        distinct = values.round(9).fillna(np.inf).unique()
        if len(distinct) > 1:
            first = values.index[0]
            table.flag(f"this row repeats line {table.line_of(int(first))} (same indicator, place and period) with a "
                       "different value; keep one value per indicator, place, period and breakdown",
                       [int(row) for row in values.index[1:]], value_column)
    return frame.drop_duplicates(KEY, keep="first")


def _same(old: pd.Series, new: pd.Series) -> np.ndarray:
    both_missing = old.isna() & new.isna()
    return (both_missing | (old - new).abs().lt(1e-9)).to_numpy()


INSERT_COLUMNS = ("indicator_code", "geography_code", "period", "period_kind", "period_start", "period_end",
                  "breakdown", "value", "status", "source", "recorded_by", "recorded_at", "channel", "reason",
                  "commentary", "missing_reason", "lower_ci", "upper_ci", "count", "denominator")
FLOATS = ("value", "lower_ci", "upper_ci", "count", "denominator")
CHUNK = 500
ROW_PARAMETERS = 900  # values bound per INSERT of many rows (SQLite allowed at most 999 before 3.32)


def _objects(values: pd.Series | np.ndarray) -> np.ndarray:
    """An object array with None where pandas has NaN/None (what the database driver wants)."""
    array = np.asarray(values, dtype=object)
    missing = pd.isna(array)
    if missing.any():
        array = array.copy()
        array[missing] = None
    return array


COPY_BLOCK = 200_000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format (\\N for NULL, backslash escapes)."""
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return "\\N"
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy_column(values: np.ndarray) -> np.ndarray:
    """A column as COPY text, each distinct value formatted once."""
    codes, uniques = pd.factorize(values)
    texts = np.asarray([_copy_text(v) for v in uniques] + ["\\N"], dtype=object)
    return texts[codes]


def _copy_rows(raw_connection, columns: dict[str, np.ndarray], constants: dict[str, object]) -> None:
    """COPY the rows in blocks of text built column-wise (far faster than one write_row per row)."""
    names = list(columns) + list(constants)
    tail = "".join("\t" + _copy_text(value) for value in constants.values()) + "\n"
    count = len(next(iter(columns.values())))
    with raw_connection.cursor() as cursor:
        with cursor.copy(f"COPY observation ({', '.join(names)}) FROM STDIN") as copy:
            for first in range(0, count, COPY_BLOCK):
                parts = [_copy_column(values[first:first + COPY_BLOCK]) for values in columns.values()]
                lines = parts[0]
                for part in parts[1:]:
                    lines = lines + "\t" + part
                copy.write("".join((lines + tail).tolist()).encode())


def _sql_literal(value) -> str:
    """A constant as an SQL literal (text quoted, None as NULL)."""
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    return "'" + str(value).replace("'", "''") + "'"


def insert_observations(session: Session, frame: pd.DataFrame, actor: str, channel: str, now: datetime,
                        reason: str | None = None) -> None:
    """Append `frame`'s rows as current observations in bulk, in the session's transaction: COPY on
    PostgreSQL, elsewhere the driver's executemany of INSERTs of many rows each (a fifth less CPU
    than one row per statement; columns with one value for every row written once as constants),
    without the ORM's per-row objects."""
    if frame.empty:
        return
    constants = {"recorded_by": actor, "recorded_at": now, "channel": channel}
    for name, default in (("reason", reason), ("status", "final"), ("source", None), ("commentary", None),
                          ("missing_reason", None), ("lower_ci", None), ("upper_ci", None), ("count", None),
                          ("denominator", None)):
        if name not in frame:
            constants[name] = default
    columns: dict[str, np.ndarray] = {}
    for name in INSERT_COLUMNS:
        if name in constants:
            continue
        if name in FLOATS:
            values = frame[name].to_numpy(dtype=float)
            columns[name] = np.where(np.isnan(values), None, values.astype(object))
        else:
            raw = frame[name].to_numpy(dtype=object)
            if name in ("status", "source", "breakdown", "period_kind", "reason", "commentary", "missing_reason") and \
                    (raw == raw[0]).all():  # (NaN never equals itself, so a NaN column is not taken as constant)
                constants[name] = raw[0]
            elif name in KEY or name in ("period_kind", "period_start", "period_end"):
                columns[name] = raw  # never missing
            else:
                columns[name] = _objects(raw)
    connection = session.connection()
    dialect = connection.dialect
    table = Observation.__table__
    if dialect.name == "postgresql":
        _copy_rows(connection.connection.driver_connection, columns, constants)
        return
    for name in ("period_start", "period_end", "recorded_at"):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            continue
        if name in constants:
            constants[name] = process(constants[name])
        else:
            codes, uniques = pd.factorize(columns[name])
            columns[name] = np.asarray([process(v) for v in uniques] + [None], dtype=object)[codes]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    row = "(" + ", ".join([mark] * len(columns) + [_sql_literal(value) for value in constants.values()]) + ")"
    statement = f"INSERT INTO observation ({', '.join(list(columns) + list(constants))}) VALUES "
    order = _index_order(columns)
    per_statement = max(1, ROW_PARAMETERS // len(columns))
    split = len(order) - len(order) % per_statement
    whole, rest = order[:split], order[split:]
    grid = np.empty((len(whole), len(columns)), dtype=object)
    for number, column in enumerate(columns.values()):
        grid[:, number] = column[whole]
    cursor = connection.connection.driver_connection.cursor()
    try:  # prepared statements of many rows each, in the index's order, streamed (no list of a million tuples)
        cursor.executemany(statement + ", ".join([row] * per_statement),
                           (group.tolist() for group in grid.reshape(-1, per_statement * len(columns))))
        cursor.executemany(statement + row, zip(*(column[rest] for column in columns.values())))
    finally:
        cursor.close()


def _index_order(columns: dict[str, np.ndarray]) -> np.ndarray:
    """The rows' positions sorted as the store's index of current values sorts them (indicator,
    breakdown, place, period, by the text's bytes as SQLite compares it): a B-tree filled in its
    own order touches a few pages at a time instead of all of them, about twice as fast a load."""
    keys = [pd.factorize(columns[name], sort=True)[0] for name in ("period", "geography_code", "breakdown",
                                                                    "indicator_code") if name in columns]
    return np.lexsort(keys)  # (the last key sorts first)


def _transpose(rows: list[tuple], width: int) -> list[np.ndarray]:
    """The columns of a list of row tuples as object arrays."""
    if not rows:
        return [np.array([], dtype=object) for _ in range(width)]
    try:
        from pandas._libs.lib import to_object_array_tuples  # ten times faster than zip(*rows)
        table = to_object_array_tuples(rows)
        return [table[:, i] for i in range(width)]
    except (ImportError, AttributeError, TypeError):
        return [np.asarray(column, dtype=object) for column in zip(*rows)]


def current_values(session: Session, indicators: list[str]) -> pd.DataFrame:
    """id, key columns, value and status of the current observations of `indicators`."""
    table = Observation.__table__
    names = ["id", *KEY, "old_value", "old_status"]
    parts = []
    for first in range(0, len(indicators), CHUNK):
        chunk = indicators[first:first + CHUNK]
        result = session.execute(select(table.c.id, *[table.c[name] for name in KEY], table.c.value, table.c.status)
                                 .where(table.c.indicator_code.in_(chunk), table.c.superseded_at.is_(None)))
        rows = result.cursor.fetchall()  # plain tuples: no row objects for a million rows
        result.close()
        columns = _transpose(rows, len(names))
        parts.append(pd.DataFrame(dict(zip(names, columns)), copy=False))
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0] if parts else pd.DataFrame(columns=names)
    frame["id"] = frame["id"].astype(np.int64)
    frame["old_value"] = frame["old_value"].astype(float)
    return frame


def describe(frame: pd.DataFrame) -> dict:
    """What a batch holds: places, periods, values and missing values by reason."""
    missing = frame["value"].isna()
    reasons = frame.loc[missing, "missing_reason"].fillna("blank") if "missing_reason" in frame else \
        pd.Series("missing", index=frame.index[missing])
    return {"places": int(frame["geography_code"].nunique()), "periods": int(frame["period"].nunique()),
            "values": int((~missing).sum()), "missing": {str(k): int(v) for k, v in reasons.value_counts().items()}}


def write_observations(session: Session, frame: pd.DataFrame, actor: str, channel: str,
                       now: datetime, reason: str | None = None, allow_withdrawals: bool = False) -> WriteResult:
    """Append new observations, supersede changed ones and skip identical ones, in bulk. A missing
    value never supersedes a recorded one (it is counted as withheld) unless `allow_withdrawals`,
    when the withdrawal is audited with the reason the source gives."""
    result = WriteResult()
    if frame.empty:
        return result
    result.details = describe(frame)
    current = current_values(session, frame["indicator_code"].unique().tolist())
    if current.empty:
        insert_observations(session, frame, actor, channel, now, reason)
        result.added = len(frame)
        return result
    merged = frame.merge(current, on=KEY, how="left")
    exists = merged["id"].notna().to_numpy()
    same = exists & _same(merged["old_value"], merged["value"])
    if "status" in merged:  # a provisional value confirmed as final (or back) is a change too
        same &= (merged["status"].fillna("final") == merged["old_status"]).to_numpy()
    withdrawal = exists & merged["value"].isna().to_numpy() & merged["old_value"].notna().to_numpy()
    if not allow_withdrawals:
        result.withheld = int(withdrawal.sum())
        same |= withdrawal
    result.unchanged = int(same.sum()) - result.withheld
    fresh = merged[~exists]
    changed = merged[exists & ~same]
    if len(fresh):
        insert_observations(session, fresh, actor, channel, now, reason)
        result.added = len(fresh)
    if len(changed):
        withdrawn = changed["value"].isna()
        if withdrawn.any():
            why = changed["missing_reason"].fillna("blank") if "missing_reason" in changed else "missing"
            note = ("withdrawn (--allow-withdrawals): the source gives no value, " + why).where(withdrawn, None)
            changed = changed.assign(reason=[n if isinstance(n, str) else reason for n in note])
        supersede_many(session, changed, actor, channel, now, reason)
        result.changed = len(changed)
        result.details["corrections"] = [
            f"{row.indicator_code} {row.geography_code} {row.period}{' ' + row.breakdown if row.breakdown else ''}: "
            f"{_shown(row.old_value)} → {_shown(row.value)}" for row in changed.head(200).itertuples()]
    return result


def _shown(value) -> str:
    return "missing" if value is None or pd.isna(value) else f"{float(value):g}"


def supersede_many(session: Session, changed: pd.DataFrame, actor: str, channel: str, now: datetime,
                   reason: str | None) -> None:
    """Supersede the current rows `changed.id` by `changed`'s new values, in bulk; each change audited."""
    table = Observation.__table__
    old_ids = [int(i) for i in changed["id"]]
    for first in range(0, len(old_ids), CHUNK):
        session.execute(update(table).where(table.c.id.in_(old_ids[first:first + CHUNK])).values(superseded_at=now))
    before = session.execute(select(func.max(table.c.id))).scalar() or 0
    insert_observations(session, changed.drop(columns=["id", "old_value", "old_status"]), actor, channel, now, reason)
    new_rows = pd.DataFrame(session.execute(select(table.c.id, *[table.c[name] for name in KEY])
                                            .where(table.c.id > before)).all(), columns=["new_id", *KEY])
    status = changed["status"].fillna("final") if "status" in changed else pd.Series("final", index=changed.index)
    pairs = changed[["id", *KEY, "old_value", "value", "old_status"]].assign(new_status=status).merge(
        new_rows, on=KEY, how="left")
    reasons = list(changed["reason"]) if "reason" in changed else [reason] * len(pairs)
    session.execute(update(table).where(table.c.id == bindparam("old_id")).values(superseded_by=bindparam("new_id")),
                    [{"old_id": int(old), "new_id": int(new)} for old, new in zip(pairs["id"], pairs["new_id"])])
    session.execute(insert(AuditEntry.__table__), [
        {"at": now, "actor": actor, "action": "supersede", "entity": "observation",
         "entity_key": f"{row.indicator_code} {row.geography_code} {row.period} {row.breakdown}".strip(),
         "old_value": as_text(None if pd.isna(row.old_value) else float(row.old_value)),
         "new_value": as_text(None if pd.isna(row.value) else float(row.value)),
         "reason": why if row.old_status == row.new_status else
         "; ".join(filter(None, [why, f"status {row.old_status} → {row.new_status}"]))}
        for row, why in zip(pairs.itertuples(index=False), reasons)])
    session.expire_all()


def supersede(session: Session, old_id: int, fields: dict, actor: str, channel: str,
              now: datetime, reason: str | None, commentary: str | None = None) -> Observation:
    """Replace the current observation `old_id` by a new one with `fields`; both stay, the change is audited."""
    old = session.get(Observation, old_id)
    session.execute(update(Observation).where(Observation.id == old_id).values(superseded_at=now))
    value = fields["value"]
    new = Observation(
        indicator_code=fields["indicator_code"], geography_code=fields["geography_code"],
        period=fields["period"], period_kind=fields["period_kind"], period_start=fields["period_start"],
        period_end=fields["period_end"], breakdown=fields["breakdown"],
        value=None if value is None or pd.isna(value) else float(value),
        status=fields.get("status") or "final", source=fields.get("source"), recorded_by=actor,
        recorded_at=now, channel=channel, reason=reason, commentary=commentary)
    session.add(new)
    session.flush()
    session.execute(update(Observation).where(Observation.id == old_id).values(superseded_by=new.id))
    record_change(session, now, actor, "supersede", "observation",
                  f"{new.indicator_code} {new.geography_code} {new.period} {new.breakdown}".strip(),
                  old.value, new.value, reason)
    return new
