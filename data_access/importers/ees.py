"""DfE explore-education-statistics (EES) files, the standard layout of DfE official statistics:
`time_period, time_identifier, geographic_level, country_code, country_name, region_code,
region_name, old_la_code, new_la_code, la_name, <filters…>, <indicators…>` (wide).

Each indicator column becomes a dictionary entry named as the publication names it: the `label` of
the metadata file EES publishes beside every data file (`x.csv` → `x.meta.csv`), with its
`indicator_unit`; without one, the column's name with EES's abbreviations spelt out
(`sess_auth_illness` → 'Sessions authorised illness'; `…_pc`, `…_rate…`, `…_percent` are
percentages). Each filter column (text) is a part of the breakdown, with "Total", "All pupils" and
the like meaning everyone; a column holding only missing markers (all `z`: not applicable) is an
indicator with no value published, named in the report, never a filter. The place is the row's
own level's code (new_la_code, region_code, country_code, lad_code…). `time_period` is read with
`time_identifier`: `202425` is the academic or financial year 2024/25, `2025` a calendar or
reporting year, with quarters and months as EES writes them. EES symbols (`x`, `z`, `c`, `u`,
`low`, `k`, `:`) are missing values with their reason."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from data_access.importers.markers import MARKERS, reasons
from data_access.importers.observations import WriteResult
from data_access.importers.reading import Table, each_distinct, joined
from data_access.importers.series import Options, means_everyone, readable, unit_from_name, write_series

REQUIRED = ("time_period", "time_identifier", "geographic_level")
# What a DfE statistics file is about, by the start of its file name, where its columns do not say
# ("turnover_rate_fte" of the children's social work workforce): the words people use for it.
PUBLICATIONS = {"csww": ("social worker", "children's social worker")}
PLACES = {"national": ("country_code", "country_name"), "regional": ("region_code", "region_name"),
          "local authority": ("new_la_code", "la_name"), "local authority district": ("lad_code", "lad_name"),
          "ward": ("ward_code", "ward_name"), "parliamentary constituency": ("pcon_code", "pcon_name"),
          "local skills improvement plan area": ("lsip_code", "lsip_name")}
QUARTER_MONTHS = {1: ("Jan", "Mar"), 2: ("Apr", "Jun"), 3: ("Jul", "Sep"), 4: ("Oct", "Dec")}
GEOGRAPHY = {"country_code", "country_name", "region_code", "region_name", "old_la_code", "new_la_code", "la_name",
             "lad_code", "lad_name", "ward_code", "ward_name", "pcon_code", "pcon_name", "opportunity_area_code",
             "opportunity_area_name", "lsip_code", "lsip_name", "english_devolved_area_code",
             "english_devolved_area_name", "school_urn", "school_laestab", "school_name", "provider_ukprn",
             "provider_name", "institution_name", "trust_id", "trust_name", "sponsor_id", "sponsor_name",
             "local_enterprise_partnership_code", "local_enterprise_partnership_name", "rsc_region_lead_name",
             "mayoral_combined_authority_code", "mayoral_combined_authority_name", "planning_area_code",
             "planning_area_name", "police_force_area_code", "police_force_area_name"}
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12}


def is_ees(columns: list[str]) -> bool:
    """True for an EES file's header."""
    return set(REQUIRED) <= set(columns)


TERMS = {"autumn term": ((9, 0), (12, 0)), "spring term": ((1, 1), (4, 1)), "summer term": ((5, 1), (8, 1)),
         "autumn and spring term": ((9, 0), (4, 1)), "full academic year": ((9, 0), (8, 1))}
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
IDENTIFIERS = ("Calendar year, Academic year, Financial year, Tax year, Reporting year, a quarter "
               "(Calendar year Q1, Financial year Q2), a month (January…) or a term (Autumn term…)")


def period_label(period: str, identifier: str) -> str:
    """The period `time_period` and `time_identifier` name, as perfbot writes it ('202425',
    'Academic year' → 'AY 2024/25'; '202425', 'Financial year' → '2024/25'; '2025' → '2025'; a
    term as its months, 'Autumn term' 202425 → 'Sep 2024-Dec 2024'); ValueError for others."""
    kind = " ".join(identifier.strip().lower().split())
    text = period.strip()
    six = re.fullmatch(r"(\d{4})(\d{2})", text)
    quarter = re.search(r"\bq([1-4])$", kind)
    if six:
        first, second = int(six.group(1)), six.group(2)
        if kind in TERMS:
            (start_month, start_offset), (end_month, end_offset) = TERMS[kind]
            return (f"{MONTH_ABBREVIATIONS[start_month - 1]} {first + start_offset}-"
                    f"{MONTH_ABBREVIATIONS[end_month - 1]} {first + end_offset}")
        if kind.startswith(("financial year", "tax year")):
            return f"{first}/{second}" + (f" Q{quarter.group(1)}" if quarter else "")
        if kind in ("academic year", "reporting year", "school year"):
            return f"AY {first}/{second}"
    elif re.fullmatch(r"\d{4}", text):
        year = int(text)
        if kind in ("calendar year", "reporting year", "academic year", "financial year", "tax year", "year"):
            return text
        if kind in MONTHS:
            return f"{year}-{MONTHS[kind]:02d}"
        if quarter and kind.startswith("calendar year"):
            first_month, last_month = QUARTER_MONTHS[int(quarter.group(1))]
            return f"{first_month} {year}-{last_month} {year}"
    raise ValueError(f"time_period '{period}' with time_identifier '{identifier}' is not a period perfbot reads; "
                     f"expected {IDENTIFIERS}")


META_SUFFIX = ".meta.csv"
# EES's abbreviations in column names, as the publications spell them out
ABBREVIATIONS = {"sess": "sessions", "auth": "authorised", "unauth": "unauthorised", "pa": "persistent absence",
                 "num": "number of", "pc": "percent", "ass": "assessments", "inreq": "initial requests",
                 "noyet": "not yet known", "totalreasons": "all reasons", "exc": "exceptions", "inc": "including",
                 "ext": "extended", "ehc": "EHC", "perm": "permanent", "excl": "exclusions", "susp": "suspensions"}
UNITS = {"%": "%", "£": "£", "£m": "£ million", "pp": "percentage points"}


def metadata_file(path: Path) -> Path | None:
    """The EES metadata file published beside a data file (`x.csv` → `x.meta.csv`), if it is there."""
    if not path.name.lower().endswith(".csv") or path.name.lower().endswith(META_SUFFIX):
        return None
    meta = path.with_name(path.name[:-4] + META_SUFFIX)
    return meta if meta.is_file() else None


def labels_of(path: Path) -> dict[str, tuple[str, str]]:
    """Each indicator column's name and unit as the publication's metadata file gives them."""
    meta = metadata_file(path)
    if meta is None:
        return {}
    try:
        frame = pd.read_csv(meta, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, OSError, UnicodeError):
        return {}
    if not {"col_name", "label"} <= set(frame.columns):
        return {}
    units = frame["indicator_unit"] if "indicator_unit" in frame else pd.Series("", index=frame.index)
    return {name.strip(): (" ".join(label.split()), UNITS.get(unit.strip(), ""))
            for name, label, unit in zip(frame["col_name"], frame["label"], units) if label.strip()}


def spelt_out(column: str) -> str:
    """A column's name with EES's abbreviations spelt out: 'sess_auth_illness' → 'Sessions authorised illness'."""
    return readable(" ".join(ABBREVIATIONS.get(word.lower(), word) for word in re.split(r"[_\s]+", column)))


def _only_markers(values: pd.Series) -> bool:
    """True when a column holds nothing but missing markers (all `z`, `x`, blank…): no value published."""
    return bool(pd.Series(values.unique(), dtype=object).str.strip().str.lower().isin(MARKERS).all())


def _is_numeric_column(values: pd.Series) -> bool:
    """True when every cell is a number or a missing marker (an indicator, not a filter)."""
    distinct = pd.Series(values.unique(), dtype=object)
    text = distinct.str.replace(",", "", regex=False).str.replace("%", "", regex=False)
    numbers = pd.to_numeric(text, errors="coerce").notna()
    return bool((numbers | distinct.str.lower().isin(MARKERS)).all()) and bool(numbers.any())


def import_ees(session: Session, table: Table, actor: str, now: datetime, options: Options) -> WriteResult:
    """Observations of every indicator column in an EES file."""
    index = table.frame.index
    level = table.required_text("geographic_level").str.lower()
    code = pd.Series("", index=index, dtype=object)
    place_name = pd.Series("", index=index, dtype=object)
    for name, (code_column, name_column) in PLACES.items():
        here = level == name
        if code_column in table.columns:
            code = code.where(~here, table.text(code_column))
        if name_column in table.columns:
            place_name = place_name.where(~here, table.text(name_column))
    known = level.isin(list(PLACES)) & (code != "")
    rest = [c for c in table.columns if c not in REQUIRED and c not in GEOGRAPHY]
    unpublished = [c for c in rest if _only_markers(table.text(c))]
    indicators = [c for c in rest if c not in unpublished and _is_numeric_column(table.text(c))]
    filters = [c for c in rest if c not in indicators and c not in unpublished]
    parts = []
    for column in filters:
        parts.append(each_distinct(table.text(column), lambda value: "" if means_everyone(value) else value))
    breakdown = joined(parts, index)
    pairs = pd.DataFrame({"p": table.required_text("time_period"), "i": table.text("time_identifier")})
    labels = {}
    for row, key in pairs.drop_duplicates().iterrows():
        try:
            labels[tuple(key)] = period_label(*key)
        except ValueError as error:
            raise table.refuse(str(error), row, "time_identifier") from error
    period = pd.Series([labels[key] for key in zip(pairs["p"], pairs["i"])], index=index, dtype=object)
    subjects = next((words for prefix, words in PUBLICATIONS.items() if table.path.name.lower().startswith(prefix)), ())
    labels = labels_of(table.path)
    frames = []
    for column in indicators:
        raw = table.text(column)
        value = table.numbers(column)
        name, unit = labels.get(column, (spelt_out(column), ""))
        frames.append(pd.DataFrame({
            "geography_code": code, "geography_name": place_name, "source_indicator": column,
            "source_measure": "Value", "indicator_name": name,
            "unit": unit or unit_from_name(name) or unit_from_name(column) or "count",
            "aliases": ";".join(f"{subject} {name.lower()}" for subject in subjects),
            "period": period, "breakdown": breakdown, "value": value,
            "missing_reason": reasons(raw).where(value.isna(), None)})[known.to_numpy()])
    if not frames:
        raise table.refuse_header("no column of numbers was found after the time, geography and filter columns; "
                                  "an EES file has one column per indicator")
    frame = pd.concat(frames)
    result = write_series(session, table, frame, actor, now, options, "new_la_code", "time_period", indicators[0],
                          "DfE explore-education-statistics")
    if unpublished:
        result.details["columns with no value"] = [
            f"{column} (only {', '.join(sorted(set(table.text(column)) - {''}) or ['blanks'])})"
            for column in unpublished]
    left = table.text("geographic_level")[~known.to_numpy()]
    if len(left):
        result.details["other levels"] = sorted(set(left))
    return result
