"""Importer for tidy long files (`area_code, area_name, period, indicator, measure, unit, value`,
with optional breakdown columns such as `inequality` or `sex`), as published by Trafford Data Lab
and many open-data portals. Each indicator + measure is one indicator of the dictionary, matched by
name or created."""
from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers.observations import (WriteResult, canonical_periods, check_places_and_indicators,
                                                drop_duplicates, write_observations)
from data_access.importers.markers import reasons
from data_access.importers.places import LEVEL_NAMES, register_places
from data_access.importers.dictionary import entry_by_name, entry_naming
from data_access.importers.reading import Table, each_distinct, joined
from data_access.models import Geography, Indicator

TIDY_COLUMNS = {"area_code", "period", "indicator", "measure", "value"}
BREAKDOWN_COLUMNS = ("inequality", "sex", "age", "age_group", "ethnicity", "deprivation", "breakdown")


def add_named_places(session: Session, table: Table, frame: pd.DataFrame, actor: str, now: datetime) -> None:
    """Register the places the file names that the store lacks (see places.register_places)."""
    if "area_name" in table.columns:
        register_places(session, frame["geography_code"], table.text("area_name"), table.path.name, actor, now)


def _no_breakdown_if_na(text: str) -> str:
    """A breakdown column's value: NA means the row is about everyone (no breakdown)."""
    return "" if text.upper() in ("NA", "N/A") else text


def is_tidy(columns: list[str]) -> bool:
    """True when the header has the tidy long-format columns."""
    return TIDY_COLUMNS <= set(columns)


def unit_of(measure: str) -> str:
    """The dictionary unit for a published measure name ('Percentage' → '%', 'Rate per 100,000 aged 65+' → 'per 100,000')."""
    text = measure.lower()
    rate = re.search(r"per\s+([\d,]+)", text)
    if rate:
        return f"per {rate.group(1)}"
    if "percent" in text or text in ("%", "proportion"):
        return "%"
    if text in ("count", "frequency", "number", "tonnes"):
        return "count"
    if "life expectancy" in text or text == "years":
        return "years"
    if "score" in text:
        return "score"
    return text


def slug(text: str, limit: int) -> str:
    """An upper-case code made of `text`'s letters and digits."""
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")[:limit].strip("_")


def _indicator_for(session: Session, name: str, measure: str, source: str, levels: str,
                   actor: str, now: datetime, taken: set[str]) -> str:
    """The code of the indicator named `name` measured as `measure` (a dictionary entry naming it as
    its source indicator and measure first, then one of its name whose unit agrees and that no
    other measure of the file has taken: `dictionary.entry_by_name`), created when new."""
    named = entry_naming(session, name, measure, unit_of(measure)) or \
        entry_by_name(session, name, measure, unit_of(measure), taken)
    if named is not None:
        taken.add(named.code)
        return named.code
    base = f"{slug(name, 40)}_{slug(measure, 16)}"
    code, n = base, 2
    while code in taken or session.get(Indicator, code) is not None:
        code, n = f"{base}_{n}", n + 1
    unit = unit_of(measure)
    session.add(Indicator(code=code, name=name, aliases="", unit=unit, polarity="neutral", frequency=None,
                          decimals=0 if unit == "count" else 1, source=source, geography_levels=levels,
                          description=f"{name} ({measure}). Source: {source}.", measure=measure))
    session.flush()
    record_change(session, now, actor, "create", "indicator", code, None, {"name": name, "measure": measure})
    taken.add(code)
    return code


def import_tidy(session: Session, table: Table, actor: str, now: datetime, allow_withdrawals: bool = False) -> WriteResult:
    """Observations from a tidy file, creating dictionary entries for new indicator + measure pairs."""
    table.require("area_code", "period", "indicator", "measure", "value")
    frame = pd.DataFrame({"geography_code": table.required_text("area_code"),
                          "indicator_name": table.required_text("indicator"),
                          "measure": table.required_text("measure")})
    frame["value"] = table.numbers("value")
    frame["missing_reason"] = reasons(table.text("value")).where(frame["value"].isna(), None)
    add_named_places(session, table, frame, actor, now)
    check_places_and_indicators(session, table, frame, "area_code", None)
    frame = frame.join(canonical_periods(table))
    breakdowns = [name for name in BREAKDOWN_COLUMNS if name in table.columns]
    parts = [each_distinct(table.text(name), _no_breakdown_if_na) for name in breakdowns]
    frame["breakdown"] = joined(parts, frame.index)
    levels = dict(session.execute(select(Geography.code, Geography.level)
                                  .where(Geography.code.in_(frame.geography_code.unique().tolist()))).all())
    source = f"{table.path.name}"
    taken: set[str] = set()
    codes = {}
    for (name, measure), rows in frame.groupby(["indicator_name", "measure"], sort=False):
        level_names = sorted({LEVEL_NAMES[levels[c]] for c in rows.geography_code.unique()})
        codes[(name, measure)] = _indicator_for(session, name, measure, source, ";".join(level_names), actor, now, taken)
    frame["indicator_code"] = [codes[key] for key in zip(frame.indicator_name, frame.measure)]
    frame["status"] = "final"
    frame["source"] = source
    frame = drop_duplicates(table, frame, "value")
    table.check()
    return write_observations(session, frame, actor, "import", now, allow_withdrawals=allow_withdrawals)
