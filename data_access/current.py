"""Reading current observations fast, by index, and keeping a chosen few in memory.

Every read of the store's current (not superseded) observations is a query through one of two
partial indexes of the current rows — by indicator (ix_observation_current) and by place
(ix_observation_current_place) — so a question costs what it reads, not what the store holds.
Nothing keeps every observation: the store may hold the national statistics.

`KeptObservations` keeps the rows of a scope (some indicators at some places: the council's
framework) and later reads only what changed. Observations are never updated in place — a
correction inserts a new row and marks the old one superseded — so the count, sum of ids and
highest id of the scope's current rows (one indexed read) tell whether anything changed: new rows
are fetched by id and replace the kept rows with the same indicator, place, period and breakdown;
if the figures still disagree (a row was withdrawn without a replacement) the scope is read again.

Every read gives the same columns and types: `period_start` and `period_end` as
datetime64, `recorded_at` as datetime64 in UTC, `value` (and `lower_ci`, `upper_ci`, `count`,
`denominator`) as float with NaN where missing, `missing_reason` saying why a value is missing.
"""
from __future__ import annotations

import io
import re
from typing import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from data_access.database import reading
from data_access.periods import parse_period

NUMBERS = ["value", "lower_ci", "upper_ci", "count", "denominator"]
COLUMNS = ["id", "indicator_code", "geography_code", "period", "period_kind", "period_start", "period_end",
           "breakdown", "value", "status", "source", "recorded_by", "recorded_at", "commentary", "missing_reason",
           "lower_ci", "upper_ci", "count", "denominator"]
FETCHED = ["id", "indicator_code", "geography_code", "period", "breakdown", "value", "status", "source",
           "recorded_by", "recorded_at", "commentary", "missing_reason", "lower_ci", "upper_ci", "count", "denominator"]
KEY = ["indicator_code", "geography_code", "period", "breakdown"]
TEXT = ["indicator_code", "geography_code", "period", "breakdown", "status", "source", "recorded_by", "commentary",
        "missing_reason"]


def _deduplicated(values: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values of a column (None/NaN get code −1)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    return codes, np.asarray(uniques, dtype=object)


def _take(uniques: np.ndarray, codes: np.ndarray, missing=None) -> np.ndarray:
    padded = np.empty(len(uniques) + 1, dtype=object)
    padded[:-1] = uniques
    padded[-1] = missing
    return padded[codes]


def _transpose(rows: list[tuple]) -> list[np.ndarray]:
    """The columns of a list of row tuples as object arrays."""
    if not rows:
        return [np.array([], dtype=object) for _ in FETCHED]
    try:
        from pandas._libs.lib import to_object_array_tuples  # ten times faster than zip(*rows)
        table = to_object_array_tuples(rows)
        return [table[:, i] for i in range(table.shape[1])]
    except (ImportError, AttributeError, TypeError):
        return [np.asarray(column, dtype=object) for column in zip(*rows)]


def frame_from_rows(rows: list[tuple]) -> pd.DataFrame:
    """The observations frame (COLUMNS) for rows of FETCHED columns."""
    return frame_from_columns(dict(zip(FETCHED, _transpose(rows))))


def frame_from_columns(raw: dict[str, np.ndarray]) -> pd.DataFrame:
    """The observations frame (COLUMNS) for arrays of FETCHED columns, oldest first, each distinct
    string held once, types normalised."""
    ids = np.asarray(raw["id"]).astype(np.int64)
    order = np.argsort(ids, kind="stable") if len(ids) and np.any(np.diff(ids) < 0) else None

    def arranged(values: np.ndarray) -> np.ndarray:  # reordering codes is cheaper than reordering objects
        return values if order is None else values[order]

    columns: dict[str, object] = {"id": arranged(ids)}
    for name in TEXT:
        codes, uniques = _deduplicated(raw[name])
        codes = arranged(codes)
        columns[name] = _take(uniques, codes)
        if name == "period":
            period_codes, period_labels = codes, uniques
    for name in NUMBERS:
        values = raw[name]
        values = values if values.dtype == float else pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
        columns[name] = arranged(np.asarray(values, dtype=float))
    parsed = [parse_period(label) for label in period_labels]
    columns["period_kind"] = _take(np.asarray([p.kind for p in parsed], dtype=object), period_codes)
    for name in ("period_start", "period_end"):
        days = pd.DatetimeIndex(pd.to_datetime([getattr(p, name.removeprefix("period_")) for p in parsed]))
        columns[name] = (days.take(period_codes).to_numpy(dtype="datetime64[ns]") if len(parsed)
                         else np.array([], dtype="datetime64[ns]"))
    codes, uniques = _deduplicated(raw["recorded_at"])
    stamps = (pd.DatetimeIndex(pd.to_datetime(pd.Series(uniques, dtype=object), utc=True, format="mixed"))
              if len(uniques) else pd.DatetimeIndex([], tz="UTC"))
    columns["recorded_at"] = stamps.take(arranged(codes)) if len(codes) else pd.DatetimeIndex([], tz="UTC")
    return pd.DataFrame({name: columns[name] for name in COLUMNS}, copy=False)


def stack(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """`second`'s rows under `first`'s (same columns), column by column: pandas.concat checks every
    missing value of an object column one by one, which costs more than the rows themselves."""
    columns = {}
    for name in first.columns:
        a, b = first[name], second[name]
        if a.dtype != b.dtype:
            columns[name] = pd.concat([a, b], ignore_index=True).array
        elif isinstance(a.dtype, np.dtype):
            columns[name] = np.concatenate([a.to_numpy(), b.to_numpy()])
        else:
            columns[name] = type(a.array)._concat_same_type([a.array, b.array])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(first) + len(second)), copy=False)


def _fetch(engine: Engine, where: str, params: dict | None = None) -> dict[str, np.ndarray]:
    """FETCHED columns of the current observations matching `where` (with :name parameters):
    through the driver's cursor (no SQLAlchemy row objects), and on PostgreSQL for a read without
    parameters as CSV by COPY, which pandas' C parser reads far faster than Python objects. One
    statement, outside a transaction (data_access.database.reading)."""
    with reading(engine) as connection:
        sql = f"SELECT {', '.join(FETCHED)} FROM observation WHERE superseded_at IS NULL{where}"
        driver = connection.connection.driver_connection
        if connection.dialect.name == "postgresql":
            with driver.cursor() as cursor:
                if params:
                    cursor.execute(re.sub(r":(\w+)", r"%(\1)s", sql), params)
                    return dict(zip(FETCHED, _transpose(cursor.fetchall())))
                with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, NULL '\\N')") as copy:
                    data = b"".join(bytes(block) for block in copy)
            return _read_copy(data)
        cursor = driver.cursor()
        try:
            cursor.execute(sql, params or {})
            return dict(zip(FETCHED, _transpose(cursor.fetchall())))
        finally:
            cursor.close()


def _read_copy(data: bytes) -> dict[str, np.ndarray]:
    """FETCHED columns from PostgreSQL's CSV (NULL written as \\N; values read exactly)."""
    if not data:
        return dict(zip(FETCHED, _transpose([])))
    types = {name: str for name in FETCHED}
    types.update(id=np.int64, **{name: float for name in NUMBERS})
    frame = pd.read_csv(io.BytesIO(data), header=None, names=FETCHED, dtype=types, keep_default_na=False,
                        na_values=["\\N"], float_precision="round_trip", encoding="utf-8")
    return {name: frame[name].to_numpy(dtype=float if name in NUMBERS else None) for name in FETCHED}


def _filters(indicator_codes: Sequence[str] | None, geography_codes: Sequence[str] | None,
             breakdown: str | None) -> tuple[str, dict]:
    """The WHERE clause (after superseded_at IS NULL) and parameters of a filtered read."""
    where, params = "", {}
    for column, values in (("indicator_code", indicator_codes), ("geography_code", geography_codes)):
        if values is not None:
            names = [f"{column}_{i}" for i in range(len(values))]
            where += f" AND {column} IN ({', '.join(':' + n for n in names) or 'NULL'})"
            params.update(zip(names, values))
    if breakdown is not None:
        where += " AND breakdown = :breakdown"
        params["breakdown"] = breakdown
    return where, params


def query(engine: Engine, indicator_codes: Sequence[str] | None, geography_codes: Sequence[str] | None,
          breakdown: str | None) -> pd.DataFrame:
    """Current observations straight from the database, filtered in SQL, oldest first."""
    where, params = _filters(indicator_codes, geography_codes, breakdown)
    return frame_from_columns(_fetch(engine, where, params or None))


def _replaced_by(kept: pd.DataFrame, fresh: pd.DataFrame) -> np.ndarray:
    """Which kept rows have the key (indicator, place, period, breakdown) of a fresh row: compared
    only among the fresh rows' indicators, so one new value costs its indicator, not the scope."""
    replaced = np.zeros(len(kept), dtype=bool)
    near = kept["indicator_code"].isin(fresh["indicator_code"].unique()).to_numpy()
    if near.any():
        replaced[near] = pd.MultiIndex.from_frame(kept.loc[near, KEY]).isin(pd.MultiIndex.from_frame(fresh[KEY]))
    return replaced


class KeptObservations:
    """The current observations of some indicators at some places, read once and then kept up to date."""

    def __init__(self, engine: Engine, indicator_codes: Sequence[str], geography_codes: Sequence[str]):
        self.engine = engine
        self.scope = _filters(list(indicator_codes), list(geography_codes), None)
        self.frame: pd.DataFrame | None = None
        self.version: tuple[int, int, int] | None = None

    def _version(self) -> tuple[int, int, int]:
        """Count, sum and highest id of the scope's current rows: any write that adds, supersedes
        or withdraws one of them changes at least one of the three."""
        where, params = self.scope
        with reading(self.engine) as connection:
            count, total, highest = connection.execute(text(
                "SELECT count(*), coalesce(sum(id), 0), coalesce(max(id), 0) FROM observation "
                f"WHERE superseded_at IS NULL{where}"), params).one()
        return int(count), int(total), int(highest)

    @staticmethod
    def _version_of(frame: pd.DataFrame) -> tuple[int, int, int]:
        ids = frame["id"].to_numpy()
        return len(ids), int(ids.sum()) if len(ids) else 0, int(ids.max()) if len(ids) else 0

    def refreshed(self) -> tuple[pd.DataFrame, set[str] | None]:
        """The kept rows brought up to date (callers must not modify them), and the indicators
        whose rows changed (None: all of them were read afresh; empty: nothing changed)."""
        version = self._version()
        if self.frame is not None and version == self.version:
            return self.frame, set()
        where, params = self.scope
        if self.frame is not None and self.version is not None and version[2] > self.version[2]:
            # The scope's own rows newer than the last seen. SQLite, often without statistics, is
            # kept off the id range ("+id"), which would walk every row added to the store since —
            # the national statistics included — however few of them the scope holds; PostgreSQL
            # weighs the range against the scope's index from its statistics.
            newer = "+id" if self.engine.dialect.name == "sqlite" else "id"
            fresh = frame_from_columns(_fetch(self.engine, f"{where} AND {newer} > :after",
                                              {**params, "after": self.version[2]}))
            kept = self.frame
            if len(fresh):
                kept = kept[~_replaced_by(kept, fresh)]
            frame = stack(kept, fresh)
            if self._version_of(frame) == version:
                self.frame, self.version = frame, version
                return frame, set(fresh["indicator_code"])
        # First read, a withdrawal, or writes committed out of id order: read the scope again.
        self.frame = frame_from_columns(_fetch(self.engine, where, params or None))
        self.version = self._version_of(self.frame)
        return self.frame, None
