"""Importer for tidy long files (`area_code, area_name, period, indicator, measure, unit, value`,
with optional breakdown columns such as `inequality` or `sex`), as published by Trafford Data Lab
and many open-data portals. Each indicator + measure is one indicator of the dictionary, matched by
name or created."""
from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers.observations import (WriteResult, canonical_periods, check_places_and_indicators,
                                                drop_duplicates, write_observations)
from data_access.importers.markers import reasons
from data_access.importers.reading import Table
from data_access.models import Geography, Indicator

TIDY_COLUMNS = {"area_code", "period", "indicator", "measure", "value"}
BREAKDOWN_COLUMNS = ("inequality", "sex", "age", "age_group", "ethnicity", "deprivation", "breakdown")
LEVEL_NAMES = {"ward": "ward", "local_authority": "la", "county": "la", "region": "region", "country": "country"}
GSS_LEVELS = {"E05": "ward", "E06": "local_authority", "E07": "local_authority", "E08": "local_authority",
              "E09": "local_authority", "E10": "county", "E11": "county", "E12": "region", "E92": "country",
              "W05": "ward", "W06": "local_authority", "W92": "country", "S13": "ward", "S12": "local_authority",
              "S92": "country", "N08": "ward", "N09": "local_authority", "N92": "country"}
GSS_CODE = re.compile(r"^([ENSW]\d{2})\d{6}$")


def add_named_places(session: Session, table: Table, frame: pd.DataFrame, actor: str, now: datetime) -> None:
    """Register places the store lacks when the file names them and their code is a well-formed GSS
    code of a known level (e.g. a district abolished before the ONS lookup's year); audited."""
    if "area_name" not in table.columns:
        return
    known = set(session.scalars(select(Geography.code).where(Geography.code.in_(frame.geography_code.unique().tolist()))))
    names = table.text("area_name")
    for code in sorted(set(frame.geography_code) - known):
        found = GSS_CODE.match(code)
        level = GSS_LEVELS.get(found.group(1)) if found else None
        name = names[frame.geography_code == code].iloc[0]
        if level and name:
            session.add(Geography(code=code, name=name, level=level, parent_code=None))
            record_change(session, now, actor, "create", "geography", code, None,
                          {"name": name, "level": level, "note": "not in the ONS lookup; from " + table.path.name})
    session.flush()


def _joined(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    """The non-blank values of several breakdown columns joined with '; ' ('' when all are blank)."""
    joined = pd.Series("", index=index, dtype=object)
    for part in parts:
        joined = joined.where(part == "", joined.where(joined == "", joined + "; ") + part)
    return joined


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


def _slug(text: str, limit: int) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")[:limit].strip("_")


def _indicator_for(session: Session, name: str, measure: str, source: str, levels: str,
                   actor: str, now: datetime, taken: set[str]) -> str:
    """The code of the indicator named `name` measured as `measure` (a dictionary entry naming it as
    its source indicator and measure first), created when new."""
    named = session.scalars(select(Indicator.code).where(func.lower(Indicator.source_indicator) == name.lower(),
                                                         func.lower(Indicator.source_measure) == measure.lower())).first()
    if named:
        return named
    candidates = session.scalars(select(Indicator).where(func.lower(Indicator.name) == name.lower())).all()
    for indicator in candidates:
        if (indicator.measure or "").lower() == measure.lower():
            return indicator.code
    unmeasured = [i for i in candidates if not i.measure]
    if len(unmeasured) == 1:
        return unmeasured[0].code
    base = f"{_slug(name, 40)}_{_slug(measure, 16)}"
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
    frame["breakdown"] = _joined([table.text(name) for name in breakdowns], frame.index)
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
    return write_observations(session, frame, actor, "import", now, allow_withdrawals=allow_withdrawals)
