"""Nomis API CSVs of any dataset (`DATE, DATE_NAME, …, GEOGRAPHY_CODE, …, <dimension>, <dimension>_NAME,
…, MEASURES_NAME, OBS_VALUE, OBS_STATUS, OBS_STATUS_NAME, …`), as nomisr's `nomis_get_data()` returns them.

Each `<dimension>_NAME` column other than date, geography and measures is a dimension. Those
about who is counted (sex, gender, age, ethnicity…) are breakdowns, with "Total", "All persons",
"All ages" and "All categories: …" meaning everyone (no breakdown); the others (MEASURE, VARIABLE, ITEM, CELL…) name
the indicator, with MEASURES_NAME when it is not plain "Value". The dataset (from the URN, e.g.
NM_2002_1) is the series' source indicator. Where a dataset publishes a value's numerator,
denominator and confidence as separate MEASURES rows (the Annual Population Survey), they are kept
with the value. An empty OBS_VALUE is missing for the reason OBS_STATUS_NAME gives. A place listed
twice (as district and as county/unitary) with the same value is one value."""
from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from data_access.importers.observations import WriteResult
from data_access.importers.reading import Table, canonical, each_distinct, joined
from data_access.importers.series import Options, means_everyone, unit_from_name, write_series

REQUIRED = ("date_name", "geography_code", "obs_value")
NOT_DIMENSIONS = {"date", "geography", "measures", "obs_status", "obs_conf", "record_offset", "record_count", "urn"}
WHO = re.compile(r"sex|gender|age|ethnic|disab|religion|birth|nationality")
DATASETS = {"NM_2002_1": "Population estimates", "NM_31_1": "Population estimates", "NM_162_1": "Claimant count",
            "NM_1_1": "Jobseeker's Allowance claimants", "NM_17_5": "Annual Population Survey",
            "NM_30_1": "Earnings by place of residence", "NM_99_1": "Earnings by workplace",
            "NM_189_1": "Business Register and Employment Survey", "NM_57_1": "Jobs density"}
PARTS = {"numerator": "count", "denominator": "denominator", "confidence": "confidence"}


KNOWN = (*REQUIRED, "geography_name", "measures_name", "obs_status", "obs_status_name", "urn")


def is_nomis(columns: list[str]) -> bool:
    """True for a Nomis API CSV's header (as the API writes it, or nomisr's snake or camel case)."""
    return {canonical(name) for name in REQUIRED} <= {canonical(name) for name in columns}


def _adopt(table: Table) -> None:
    """Nomis column names as the API writes them (lower-cased), from nomisr's camelCase ('obsValue')."""
    table.adopt(KNOWN)
    if not any("_" in column for column in table.columns if column not in KNOWN):
        table.frame.columns = [column[:-4] + "_name" if column.endswith("name") and column not in KNOWN
                               and len(column) > 4 else column for column in table.columns]
        table.adopt(KNOWN)


def _dataset(table: Table) -> str:
    """The dataset id the URN names ('Nm-2002d1d…' → 'NM_2002_1'), or 'Nomis' when there is none."""
    if "urn" in table.columns and len(table.frame):
        found = re.match(r"^nm-(\d+)d(\d+)d", table.text("urn").iloc[0].lower())
        if found:
            return f"NM_{found.group(1)}_{found.group(2)}"
    return "Nomis"


def import_nomis(session: Session, table: Table, actor: str, now: datetime, options: Options) -> WriteResult:
    """Observations of every measure in a Nomis extract."""
    _adopt(table)
    index = table.frame.index
    dimensions = [name[:-5] for name in table.columns if name.endswith("_name") and name[:-5] not in NOT_DIMENSIONS
                  and name[:-5] not in ("geography", "obs_status", "obs_conf")]
    who = [name for name in dimensions if WHO.search(name)]
    what = [name for name in dimensions if name not in who]
    parts = []
    for name in who:
        parts.append(each_distinct(table.text(name + "_name"), lambda value: "" if means_everyone(value) else value))
    measures = table.text("measures_name") if "measures_name" in table.columns else pd.Series("Value", index=index)
    naming = [table.text(name + "_name") for name in what]
    part = measures.str.lower().map(PARTS)
    measure_named = measures.where(~measures.str.lower().isin(["value", "variable"]) & part.isna(), "")
    label = joined(naming + [measure_named], index).str.replace("; ", " - ", regex=False)
    dataset = _dataset(table)
    name = label.where(label != "", DATASETS.get(dataset, dataset))
    value = table.numbers("obs_value")
    status = table.text("obs_status_name") if "obs_status_name" in table.columns else \
        table.text("obs_status") if "obs_status" in table.columns else pd.Series("", index=index)
    frame = pd.DataFrame({
        "geography_code": table.required_text("geography_code"),
        "geography_name": table.text("geography_name") if "geography_name" in table.columns else "",
        "source_indicator": dataset, "source_measure": label.where(label != "", "Value"), "indicator_name": name,
        "period": table.required_text("date_name"), "breakdown": joined(parts, index), "value": value,
        "missing_reason": status.where(value.isna() & (status != ""), "blank").where(value.isna(), None),
    })
    units = {text: unit_from_name(text) or "count" for text in frame["indicator_name"].unique()}
    frame["unit"] = frame["indicator_name"].map(units)
    frame = _with_parts(frame, part)
    return write_series(session, table, frame, actor, now, options, "geography_code", "date_name", "obs_value",
                        "Nomis API extract")


def _with_parts(frame: pd.DataFrame, part: pd.Series) -> pd.DataFrame:
    """The value rows, with the numerator, denominator and confidence rows of each kept alongside."""
    if not part.notna().any():
        return frame
    key = ["geography_code", "source_indicator", "source_measure", "period", "breakdown"]
    values = frame[part.isna()].copy()
    for kind in ("count", "denominator", "confidence"):
        rows = frame[part == kind].drop_duplicates(key).set_index(key)["value"]
        found = rows.reindex(pd.MultiIndex.from_frame(values[key])).to_numpy(dtype=float)
        if kind == "confidence":
            values["lower_ci"], values["upper_ci"] = values["value"] - found, values["value"] + found
        else:
            values[kind] = found
    return values
