"""Any other long or wide file whose columns can be recognised: a column of GSS place codes, a
period column, and either a value column with a column naming the measure (long: Oflog's
`Financial year, Local authority code, …, Measure, Code, Value`, LG Inform exports) or a column of
numbers per measure (wide: IMD summaries) or per period (wide by period, as LG Inform and many
dashboards download: `Area code, Area name, 2019/20, 2020/21…`, the measure named by a measure
column or else by the file's name). Columns are recognised by their header and values;
`--map COLUMN=ROLE` names any the reader cannot recognise (roles: place, period, value, measure,
unit, breakdown, ignore). A file with no period column takes the year its place-code header names
("Local Authority District code (2019)"). With two columns of codes, the finer (wards) are the
places and the coarser (their councils) the parents they are registered under when the store
lacks them (wards of older boundaries). Text columns that vary within a place, period and
measure are breakdowns; others (names, codes of the measure) are left out."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from data_access.importers.ees import _is_numeric_column
from data_access.importers.markers import reasons
from data_access.importers.observations import WriteResult
from data_access.importers.reading import ImportRefused, Table, canonical, each_distinct, joined
from data_access.importers.series import Options, means_everyone, published_period, readable, unit_from_name, write_series
from data_access.importers.places import GSS_CODE
from data_access.periods import PeriodError, parse_period

ROLES = ("place", "period", "value", "measure", "unit", "breakdown", "ignore")
PERIOD_NAMES = {"period", "timeperiod", "date", "year", "financialyear", "quarter", "month", "reportingperiod",
                "periodlabel", "timeperiodlabel", "time", "datename", "periodname"}
VALUE_NAMES = {"value", "values", "obsvalue", "amount", "figure", "datavalue", "data", "val", "metricvalue"}
MEASURE_NAMES = {"measure", "indicator", "metric", "variable", "series", "measurename", "indicatorname", "item",
                 "metricname", "measuretitle", "metrictype", "metrictypelabel", "metrictypename", "indicatortitle"}
UNIT_NAMES = {"unit", "units", "measureunit", "unitofmeasure", "unittype"}
YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


@dataclass
class Layout:
    """Which column plays which part in a recognised file."""

    place: str
    period: str | None
    period_label: str | None
    value: str | None
    measures: list[str]
    unit: str | None
    breakdowns: list[str]
    name: str | None
    period_columns: list[str]
    parent: str | None = None


def _gss_share(values: pd.Series) -> float:
    filled = values[values != ""]
    return float(filled.str.match(GSS_CODE.pattern).mean()) if len(filled) else 0.0


def _all_periods(values: pd.Series) -> bool:
    distinct = [v for v in values.unique() if v]
    try:
        return bool(distinct) and all(parse_period(v) for v in distinct[:200])
    except PeriodError:
        return False


def recognise(table: Table, options: Options) -> Layout:
    """The layout of a file, or a refusal saying which columns could not be found and how to name them."""
    mapped = {column.strip().lower(): role for column, role in options.mapping} if options.maps(table.columns) else {}
    by_role = {role: [c for c, r in mapped.items() if r == role] for role in ROLES}
    free = [c for c in table.columns if c not in mapped]
    coded = sorted((c for c in free if _gss_share(table.text(c)) >= 0.95),
                   key=lambda c: -table.text(c).nunique())  # the finest places first: wards before their councils
    place = (by_role["place"] or coded or [None])[0]
    parent = next((c for c in coded if c != place), None)
    period = (by_role["period"] or [c for c in free if canonical(c) in PERIOD_NAMES and _all_periods(table.text(c))]
              or [c for c in free if c != place and re.search(r"year|period|date|quarter|month", c)
                  and _all_periods(table.text(c))] or [None])[0]
    period_label = None
    if period is None and place is not None and YEAR.search(place):
        period_label = YEAR.search(place).group(1)
    value = (by_role["value"] or [c for c in free if canonical(c) in VALUE_NAMES] or [None])[0]
    measures = by_role["measure"] or [c for c in free if canonical(c) in MEASURE_NAMES]
    unit = (by_role["unit"] or [c for c in free if canonical(c) in UNIT_NAMES] or [None])[0]
    taken = {place, parent, period, value, unit, *measures, *by_role["ignore"]}
    name = next((c for c in free if c not in taken and "name" in c and place and table.text(c).nunique()
                 <= table.text(place).nunique()), None)
    period_columns = []
    if period is None and period_label is None and value is None:  # wide: a column of numbers per period
        period_columns = [c for c in free if c not in taken and c != name and _is_period(c)
                          and _is_numeric_column(table.text(c))]
        taken |= set(period_columns)
    if value is None and not period_columns:  # wide: a column of numbers per measure
        measures = [c for c in table.columns if c not in taken and c != name and c not in by_role["breakdown"]
                    and _is_numeric_column(table.text(c))]
    missing = []
    if place is None:
        missing.append("a column of GSS place codes (E06000001, E92000001…): --map COLUMN=place")
    if period is None and period_label is None and not period_columns:
        missing.append("a period column (2025/26, 2024, March 2026…): --map COLUMN=period")
    if value is not None and not measures:
        missing.append("a column naming the measure: --map COLUMN=measure")
    if value is None and not measures and not period_columns:
        missing.append("a value column (--map COLUMN=value) or columns of numbers, one per measure")
    if missing:
        raise table.refuse_header(f"the header ({', '.join(table.columns)}) is not one perfbot knows, and perfbot "
                                  f"could not find {'; '.join(missing)}")
    key = [place] + ([period] if period else []) + (measures if value or period_columns else [])
    rest = [c for c in table.columns if c not in taken and c != name and c not in measures]
    breakdowns = by_role["breakdown"] + [c for c in rest if c not in by_role["breakdown"] and _varies(table, key, c)]
    return Layout(place, period, period_label, value, measures, unit, breakdowns, name, period_columns, parent)


def _is_period(header: str) -> bool:
    """True when a column's header is itself a period ('2019/20', 'Mar 2020')."""
    try:
        parse_period(published_period(header))
        return True
    except PeriodError:
        return False


def _varies(table: Table, key: list[str], column: str) -> bool:
    """True when `column` takes more than one value for some place, period and measure."""
    frame = pd.DataFrame({c: table.text(c) for c in key + [column]})
    return bool((frame.groupby(key, sort=False)[column].nunique() > 1).any())


def import_generic(session: Session, table: Table, actor: str, now: datetime, options: Options) -> WriteResult:
    """Observations of a recognised long or wide file."""
    layout = recognise(table, options)
    index = table.frame.index
    period = table.required_text(layout.period) if layout.period else pd.Series(layout.period_label or "", index=index)
    breakdown = joined([each_distinct(table.text(c), lambda value: "" if means_everyone(value) else value)
                        for c in layout.breakdowns], index)
    base = {"geography_code": table.required_text(layout.place),
            "geography_name": table.text(layout.name) if layout.name else "", "period": period, "breakdown": breakdown,
            "parent_code": table.text(layout.parent) if layout.parent else None}
    frames = []
    if layout.period_columns:  # one column per period: the measure named by its columns, or by the file
        label = joined([table.text(c) for c in layout.measures], index).str.replace("; ", " - ", regex=False) \
            if layout.measures else pd.Series(readable(table.path.stem), index=index)
        units = table.text(layout.unit) if layout.unit else label.map({t: unit_from_name(t) for t in label.unique()})
        for column in layout.period_columns:
            value = table.numbers(column)
            frames.append(pd.DataFrame({**base, "period": column, "source_indicator": label, "source_measure": "Value",
                                        "indicator_name": label, "unit": units, "value": value,
                                        "missing_reason": reasons(table.text(column)).where(value.isna(), None)}))
    elif layout.value:
        label = joined([table.text(c) for c in layout.measures], index).str.replace("; ", " - ", regex=False)
        value = table.numbers(layout.value)
        units = table.text(layout.unit) if layout.unit else label.map({t: unit_from_name(t) for t in label.unique()})
        frames.append(pd.DataFrame({**base, "source_indicator": label, "source_measure": "Value",
                                    "indicator_name": label, "unit": units, "value": value,
                                    "missing_reason": reasons(table.text(layout.value)).where(value.isna(), None)}))
    else:
        for column in layout.measures:
            value = table.numbers(column)
            frames.append(pd.DataFrame({**base, "source_indicator": column, "source_measure": "Value",
                                        "indicator_name": readable(column), "unit": unit_from_name(column),
                                        "value": value,
                                        "missing_reason": reasons(table.text(column)).where(value.isna(), None)}))
    frame = pd.concat(frames)
    return write_series(session, table, frame, actor, now, options, layout.place, layout.period or layout.place,
                        layout.value or (layout.period_columns or layout.measures)[0],
                        "recognised long file" if layout.value else "recognised wide file")


def parse_mapping(pairs: list[str]) -> tuple[tuple[str, str], ...]:
    """`--map` arguments ('Area=place') as (column, role) pairs; refuses an unknown role."""
    parsed = []
    for pair in pairs:
        column, _, role = pair.rpartition("=")
        if not column or role.strip().lower() not in ROLES:
            raise ImportRefused("--map", f"'{pair}' is not COLUMN=ROLE; roles are {', '.join(ROLES)}")
        parsed.append((column.strip(), role.strip().lower()))
    return tuple(parsed)
