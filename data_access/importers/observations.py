"""Writing a batch of observations in bulk: new values are appended, identical ones are left
alone (so re-importing a file changes nothing), and a different value for the same indicator,
place, period and breakdown supersedes the current one — both rows stay, the correction is audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers.reading import Table
from data_access.models import Geography, Indicator, Observation
from data_access.periods import PeriodError, parse_period

KEY = ["indicator_code", "geography_code", "period", "breakdown"]


@dataclass
class WriteResult:
    """How many rows a file added, changed (observations: superseded) and left as they were."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0


def canonical_periods(table: Table, column: str = "period") -> pd.DataFrame:
    """Each row's period as canonical label, kind, start and end; refuses an unreadable period."""
    raw = table.required_text(column)
    parsed: dict[str, object] = {}
    for label in raw.unique():
        try:
            parsed[label] = parse_period(label)
        except PeriodError as error:
            row = int(np.flatnonzero((raw == label).to_numpy())[0])
            raise table.refuse(str(error), row, column) from error
    return pd.DataFrame({
        "period": raw.map(lambda label: parsed[label].label),
        "period_kind": raw.map(lambda label: parsed[label].kind),
        "period_start": raw.map(lambda label: parsed[label].start),
        "period_end": raw.map(lambda label: parsed[label].end),
    }, index=raw.index)


def check_known(session: Session, table: Table, codes: pd.Series, model: type, column: str, what: str) -> None:
    """Refuse the file at the first code that is not in the store."""
    known = set(session.scalars(select(model.code)))
    unknown = np.flatnonzero((~codes.isin(known)).to_numpy())
    if len(unknown):
        row = unknown[0]
        raise table.refuse(f"unknown {what} '{codes.iloc[row]}'; import the {what}s first or correct the code", row, column)


def check_places_and_indicators(session: Session, table: Table, frame: pd.DataFrame,
                                place_column: str, indicator_column: str | None) -> None:
    """Refuse observations for a place or indicator the store does not know."""
    check_known(session, table, frame["geography_code"], Geography, place_column, "place code")
    if indicator_column:
        check_known(session, table, frame["indicator_code"], Indicator, indicator_column, "indicator code")


def drop_duplicates(table: Table, frame: pd.DataFrame, value_column: str) -> pd.DataFrame:
    """Drop rows repeated with the same value; refuse the file when a row repeats with another value."""
    repeated = frame.duplicated(KEY, keep=False)
    if not repeated.any():
        return frame
    groups = frame[repeated].groupby(KEY, sort=False)["value"]
    for _, values in groups:
        distinct = values.round(9).fillna(np.inf).unique()
        if len(distinct) > 1:
            first, second = values.index[0], values.index[1]
            raise table.refuse(
                f"this row repeats line {int(first) + 2} (same indicator, place and period) with a different value; "
                "keep one value per indicator, place, period and breakdown", second, value_column)
    return frame.drop_duplicates(KEY, keep="first")


def _same(old: pd.Series, new: pd.Series) -> np.ndarray:
    both_missing = old.isna() & new.isna()
    return (both_missing | (old - new).abs().lt(1e-9)).to_numpy()


def write_observations(session: Session, frame: pd.DataFrame, actor: str, channel: str,
                       now: datetime, reason: str | None = None) -> WriteResult:
    """Append new observations, supersede changed ones and skip identical ones, in bulk."""
    result = WriteResult()
    if frame.empty:
        return result
    indicators = frame["indicator_code"].unique().tolist()
    current = pd.DataFrame(session.execute(
        select(Observation.id, *[getattr(Observation, name) for name in KEY], Observation.value)
        .where(Observation.indicator_code.in_(indicators), Observation.superseded_at.is_(None))
    ).all(), columns=["id", *KEY, "old_value"])
    merged = frame.merge(current, on=KEY, how="left")
    exists = merged["id"].notna().to_numpy()
    same = exists & _same(merged["old_value"], merged["value"])
    result.unchanged = int(same.sum())
    fresh = merged[~exists]
    changed = merged[exists & ~same]
    columns = ["indicator_code", "geography_code", "period", "period_kind", "period_start", "period_end",
               "breakdown", "value", "status", "source"]
    if len(fresh):
        rows = fresh[columns].astype(object).where(fresh[columns].notna(), None).to_dict("records")
        for row in rows:
            row.update(recorded_by=actor, recorded_at=now, channel=channel, reason=reason)
        session.execute(insert(Observation), rows)
        result.added = len(rows)
    for row in changed.itertuples(index=False):
        supersede(session, int(row.id), row._asdict(), actor, channel, now, reason)
        result.changed += 1
    return result


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
