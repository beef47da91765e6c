"""Writing a published series: the rows a national-format reader (Fingertips, Nomis, EES, a
recognised long or wide file) has put in one shape are matched to the council's data dictionary
(by the published series it names, units agreeing) or given a new readable entry, their places
registered, their periods read, and written as observations.

A reader hands over a frame with the columns `geography_code`, `source_indicator`,
`source_measure`, `indicator_name`, `unit`, `period` (as published), `breakdown`, `value`,
`missing_reason`, and optionally `geography_name`, `polarity`, `lower_ci`, `upper_ci`, `count`
and `denominator`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers.dictionary import entry_by_name, entry_naming
from data_access.importers.observations import (WriteResult, canonical_periods, check_ended, drop_duplicates,
                                                write_observations)
from data_access.importers.reading import Table, each_distinct
from data_access.importers.places import LEVEL_NAMES, register_places
from data_access.importers.tidy import slug, unit_of
from data_access.models import Geography, Indicator
from data_access.periods import PeriodError, parse_period

COMBINED = re.compile(r"^[A-Z]\d{8}(\s*[/,;&+]\s*[A-Z]\d{8})+$")


@dataclass(frozen=True)
class Options:
    """How an import treats what it reads: missing values that would withdraw recorded ones, and
    columns the user has named (`--map column=role`)."""

    allow_withdrawals: bool = False
    mapping: tuple[tuple[str, str], ...] = ()
    sheet: str | None = None
    period: str | None = None

    def maps(self, columns: list[str]) -> bool:
        """True when the user named columns (`--map`) and this header has every one of them."""
        return bool(self.mapping) and all(column.strip().lower() in columns for column, _ in self.mapping)


def _entry_for(session: Session, source_indicator: str, source_measure: str, name: str, unit: str,
               bound: set[str]) -> Indicator | None:
    """The dictionary entry for a published series: one naming it (its measure too, if the entry
    names one) with a unit that agrees, else one of the same name whose measure or unit says it is
    this series and that no other series of the file has taken (`dictionary.entry_by_name`)."""
    return entry_naming(session, source_indicator, source_measure, unit) or \
        entry_by_name(session, name, source_measure, unit, bound)


def _new_entry(session: Session, rows: pd.DataFrame, levels: dict[str, str], source: str, actor: str,
               now: datetime) -> str:
    """Create a readable dictionary entry for a published series; its code."""
    first = rows.iloc[0]
    name, measure, unit = str(first["indicator_name"]), str(first["source_measure"]), str(first["unit"])
    base = slug(f"{name} {measure}" if measure.lower() not in (name.lower(), "value") else name, 56)
    code, n = base, 2
    while session.get(Indicator, code) is not None:
        code, n = f"{base}_{n}", n + 1
    polarity = str(first["polarity"]) if "polarity" in rows and first["polarity"] else "neutral"
    level_names = sorted({LEVEL_NAMES.get(levels.get(c, ""), "la") for c in rows["geography_code"].unique()})
    aliases = str(first["aliases"]) if "aliases" in rows and first["aliases"] else ""
    whole = bool((rows["value"].dropna() % 1 == 0).all())  # an average caseload of 13.7 is not shown as 14
    session.add(Indicator(code=code, name=name, aliases=aliases, unit=unit or "value", polarity=polarity,
                          frequency=None, decimals=0 if unit == "count" and whole else 1, source=source,
                          geography_levels=";".join(level_names), measure=measure,
                          description=f"{name} ({measure}). Source: {source}.",
                          source_indicator=str(first["source_indicator"]), source_measure=measure))
    session.flush()
    record_change(session, now, actor, "create", "indicator", code, None,
                  {"name": name, "measure": measure, "unit": unit, "source_indicator": str(first["source_indicator"])})
    return code


def write_series(session: Session, table: Table, frame: pd.DataFrame, actor: str, now: datetime,
                 options: Options, place_column: str, period_column: str, value_column: str,
                 fmt: str) -> WriteResult:
    """Match, register and write a reader's rows (see the module docstring); the file's result."""
    source = table.path.name
    combined = each_distinct(frame["geography_code"], lambda code: bool(COMBINED.match(code))).to_numpy(dtype=bool)
    joint_areas = sorted(frame.loc[combined, "geography_code"].unique())
    frame = frame[~combined].copy() if combined.any() else frame.copy(deep=False)  # (a deep copy of a million rows costs)
    frame["unit"] = each_distinct(frame["unit"].fillna(""), str)
    if "geography_name" in frame:
        register_places(session, frame["geography_code"], frame["geography_name"], source, actor, now,
                        frame["parent_code"] if "parent_code" in frame else None)
    levels = dict(session.execute(select(Geography.code, Geography.level)
                                  .where(Geography.code.in_(frame["geography_code"].unique().tolist()))).all())
    placed = frame["geography_code"].isin(list(levels)).to_numpy()
    unplaced = sorted(frame.loc[~placed, "geography_code"].unique())
    if not placed.all():
        frame = frame[placed].copy()
    if frame.empty:
        raise table.refuse(f"no row is about a place perfbot holds (the first is '{unplaced[0]}'); import the ONS "
                           "lookup first, or give GSS codes of wards, local authorities, regions or countries",
                           0, place_column)
    codes: dict[tuple[str, str], str] = {}
    matched, created = [], []
    indicators, indicator_names = pd.factorize(frame["source_indicator"].to_numpy(dtype=object))
    measures, measure_names = pd.factorize(frame["source_measure"].to_numpy(dtype=object))
    numbers, pairs = pd.factorize(indicators * len(measure_names) + measures)  # (far quicker than a MultiIndex)
    keys = [(indicator_names[pair // len(measure_names)], measure_names[pair % len(measure_names)]) for pair in pairs]
    narrow = _some_columns(frame, ("source_indicator", "source_measure", "indicator_name", "unit", "polarity",
                                   "aliases", "geography_code", "value"))
    for number, (indicator, measure) in enumerate(keys):
        rows = narrow.iloc[np.flatnonzero(numbers == number)]
        first = rows.iloc[0]
        entry = _entry_for(session, indicator, measure, str(first["indicator_name"]), str(first["unit"]),
                           set(codes.values()))
        if entry is None:
            codes[(indicator, measure)] = _new_entry(session, rows, levels, source, actor, now)
            created.append(codes[(indicator, measure)])
        else:
            codes[(indicator, measure)] = entry.code
            matched.append(entry.code)
    frame["indicator_code"] = np.asarray([codes[key] for key in keys] + [None], dtype=object)[numbers]
    periods = canonical_periods(table, period_column, each_distinct(frame["period"], published_period))
    for column in periods.columns:
        frame[column] = periods[column].to_numpy()
    frame["source"] = source
    if "status" not in frame:
        frame["status"] = "final"
    elif frame["status"].isna().any():
        frame["status"] = frame["status"].fillna("final")
    check_ended(table, frame, now)
    frame = drop_duplicates(table, frame, value_column)
    table.check()
    kept = _some_columns(frame, ("indicator_code", "geography_code", "period", "period_kind", "period_start",
                                 "period_end", "breakdown", "value", "status", "source", "missing_reason",
                                 "lower_ci", "upper_ci", "count", "denominator"))
    result = write_observations(session, kept, actor, "import", now,
                                allow_withdrawals=options.allow_withdrawals)
    result.details.update(format=fmt, matched=sorted(set(matched)), created=created)
    if joint_areas:
        result.details["joint areas"] = joint_areas
    if unplaced:
        result.details["other places"] = unplaced
    return result


def _some_columns(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """Those of `names` that `frame` has, as a frame sharing their values (`frame[names]` copies
    every value of a frame built column by column: 0.3 s for a million rows)."""
    return pd.DataFrame({name: frame[name] for name in names if name in frame}, copy=False)


def published_period(text: str) -> str:
    """A period as perfbot writes it, from the forms national files use beyond perfbot's own:
    calendar quarters ('2020 Q1', 'Q1 2020' → 'Jan 2020-Mar 2020'), financial years with a hyphen
    ('2019-20' → '2019/20') and labels with a note in brackets ('2019/20 (provisional)')."""
    cleaned = re.sub(r"\s*\([^)]*\)\s*$", "", " ".join(text.split()))
    try:
        return parse_period(cleaned).label
    except PeriodError:
        pass
    quarter = re.fullmatch(r"(\d{4})\s*-?\s*Q([1-4])|Q([1-4])\s*(\d{4})", cleaned, re.I)
    if quarter:
        year, number = (quarter.group(1), quarter.group(2)) if quarter.group(1) else (quarter.group(4), quarter.group(3))
        first, last = [("Jan", "Mar"), ("Apr", "Jun"), ("Jul", "Sep"), ("Oct", "Dec")][int(number) - 1]
        return f"{first} {year}-{last} {year}"
    hyphened = re.fullmatch(r"(\d{4})-(\d{2})", cleaned)
    if hyphened and int(hyphened.group(2)) == (int(hyphened.group(1)) + 1) % 100:
        return f"{hyphened.group(1)}/{hyphened.group(2)}"
    return text


def means_everyone(value: str) -> bool:
    """True for a breakdown value that is the whole population: 'Total', 'All persons', 'All ages',
    'All categories: Age 16+', 'All pupils', blank or NA."""
    text = value.strip().lower()
    return text in ("", "na", "n/a", "total", "all", "persons", "people") or text.startswith(("all ", "total "))


def readable(name: str) -> str:
    """A column name made readable: 'turnover_rate_fte' → 'Turnover rate FTE'."""
    words = re.sub(r"[_\s]+", " ", name).strip().split(" ")
    shouty = {"fte", "imd", "la", "ks2", "ks4", "gcse", "send", "ehcp", "neet", "sen", "fsm", "pct", "cin", "cla", "uc"}
    text = " ".join(word.upper() if word.lower() in shouty else word for word in words)
    return text[:1].upper() + text[1:]


def unit_from_name(name: str) -> str:
    """The unit a measure's name implies ('…_rate…', 'percent', 'pct' → '%'; 'per 1,000' → 'per 1,000')."""
    text = re.sub(r"/\s*(\d[\d,]*)", r" per \1", name.lower().replace("_", " "))
    unit = unit_of(text)
    if unit != text:
        return unit
    if "%" in text or re.search(r"\b(rate|percent|percentage|pct|proportion|share)\b", text):
        return "%"
    return "count" if re.search(r"\b(number|count|headcount|total|cases)\b", text) else ""
