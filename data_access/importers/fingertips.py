"""OHID Fingertips "export data" files (the site's download and fingertipsR's `fingertips_data()`):
`Indicator ID, Indicator Name, …, Area Code, Area Name, Area Type, Sex, Age, Category Type,
Category, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit, …, Count, Denominator,
Value note, …, Compared to England value or percentiles, …`.

One dictionary entry per Indicator ID. The breakdown is made of Sex, Age and Category:
- Sex "Persons" is everyone: no breakdown; "Male"/"Female" are, unless an indicator has rows of
  one sex only (cervical screening: "Female"), when that sex is the indicator's own: no breakdown.
- Age: an indicator's own age is "All ages" when it has rows for it, else the age of most of its
  rows (life expectancy "at 65", "<75 yrs" mortality…): no breakdown. Any other age is one ("0-9 yrs").
- Category: blank is everyone; otherwise the Category is the breakdown, prefixed by its Category
  Type where one Category label appears under two types (County & UA and District & UA deciles).
Parts are joined with "; " in that order ("Female; 65+ yrs; Most deprived decile (IMD2019)").
Polarity is read from "Compared to England": values above England called Better mean higher is better."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from data_access.importers.markers import reasons
from data_access.importers.observations import WriteResult
from data_access.importers.reading import Table, canonical, each_distinct, joined
from data_access.importers.series import Options, unit_from_name, write_series

REQUIRED = ("indicator id", "indicator name", "area code", "time period", "value")
KNOWN = (*REQUIRED, "area name", "sex", "age", "category type", "category", "lower ci 95.0 limit",
         "upper ci 95.0 limit", "count", "denominator", "value note", "compared to england value or percentiles")
ENGLAND = "E92000001"


def is_fingertips(columns: list[str]) -> bool:
    """True for a Fingertips export's header (as the site writes it, or fingertipsR: 'IndicatorID')."""
    return {canonical(name) for name in REQUIRED} <= {canonical(name) for name in columns}


def _optional(table: Table, name: str) -> pd.Series:
    return table.text(name) if name in table.columns else pd.Series("", index=table.frame.index, dtype=object)


def _own_sex_blank(ids: pd.Series, sex: pd.Series) -> pd.Series:
    """The sex part of the breakdown: blank where an indicator has rows of one sex only."""
    kinds = sex.groupby(ids, sort=False).transform("nunique")
    return sex.where(kinds > 1, "")


def _age_breakdown(ids: pd.Series, ages: pd.Series, everyone: pd.Series) -> pd.Series:
    """The age part of the breakdown: blank for each indicator's own age (see the module docstring)."""
    own = {}
    for indicator, rows in ages[everyone].groupby(ids[everyone], sort=False):
        counts = rows[rows != ""].value_counts()
        all_ages = [age for age in counts.index if age.lower() == "all ages"]
        if all_ages:
            own[indicator] = all_ages[0]
        elif len(counts):
            own[indicator] = counts.index[0]
    own_age = ids.map(own).fillna("")
    return ages.where(ages != own_age, "")


def _category_breakdown(ids: pd.Series, kinds: pd.Series, categories: pd.Series) -> pd.Series:
    """The category part: the Category, with its type where the label is used by two types."""
    pairs = pd.DataFrame({"id": ids, "kind": kinds, "category": categories})
    ambiguous = (pairs.groupby(["id", "category"])["kind"].transform("nunique") > 1) & (categories != "")
    if not ambiguous.any():
        return categories
    return (kinds + "; " + categories).where(ambiguous & (kinds != ""), categories)


def _polarity(frame: pd.DataFrame, compared: pd.Series) -> pd.Series:
    """higher_is_better / lower_is_better per indicator, from how values above England were compared."""
    england = frame[(frame["geography_code"] == ENGLAND) & (frame["breakdown"] == "")]
    england = england.groupby(["source_indicator", "period"])["value"].first()
    key = pd.MultiIndex.from_arrays([frame["source_indicator"], frame["period"]])
    above = frame["value"].to_numpy() > england.reindex(key).to_numpy()
    below = frame["value"].to_numpy() < england.reindex(key).to_numpy()
    verdict = each_distinct(compared, str.lower)
    better, worse = (verdict == "better").to_numpy(), (verdict == "worse").to_numpy()
    votes = pd.DataFrame({"id": frame["source_indicator"],
                          "up": (above & better) | (below & worse), "down": (above & worse) | (below & better)})
    tally = votes.groupby("id")[["up", "down"]].sum()
    polarity = np.where(tally["up"] > tally["down"], "higher_is_better",
                        np.where(tally["down"] > tally["up"], "lower_is_better", "neutral"))
    return frame["source_indicator"].map(dict(zip(tally.index, polarity)))


def import_fingertips(session: Session, table: Table, actor: str, now: datetime, options: Options) -> WriteResult:
    """Observations of every indicator in a Fingertips export."""
    table.adopt(KNOWN)
    ids = table.required_text("indicator id")
    names = each_distinct(table.text("indicator name"), lambda name: " ".join(name.split()))
    value = table.numbers("value")
    raw = table.text("value")
    sex, age = _optional(table, "sex"), _optional(table, "age")
    sex = _own_sex_blank(ids, each_distinct(sex, lambda value: "" if value.lower() in ("persons", "na", "all") else value))
    kinds, categories = _optional(table, "category type"), _optional(table, "category")
    categories = each_distinct(categories, lambda value: "" if value.upper() == "NA" else value)
    everyone = (sex == "") & (categories == "")
    age = each_distinct(age, lambda value: "" if value.upper() == "NA" else value)
    breakdown = joined([sex, _age_breakdown(ids, age, everyone), _category_breakdown(ids, kinds, categories)],
                       ids.index)
    frame = pd.DataFrame({
        "geography_code": table.required_text("area code"), "geography_name": _optional(table, "area name"),
        "source_indicator": ids, "source_measure": "Value", "indicator_name": names,
        "period": table.required_text("time period"), "breakdown": breakdown, "value": value,
        "missing_reason": reasons(raw).where(value.isna(), None),
    })
    units = {name: unit_from_name(name) for name in frame["indicator_name"].unique()}
    frame["unit"] = frame["indicator_name"].map(units)
    for column, name in (("lower_ci", "lower ci 95.0 limit"), ("upper_ci", "upper ci 95.0 limit"),
                         ("count", "count"), ("denominator", "denominator")):
        if name in table.columns:
            frame[column] = table.numbers(name)
    note = _optional(table, "value note")
    frame["missing_reason"] = frame["missing_reason"].where(~(value.isna() & (note != "")), "not available: " + note)
    frame["polarity"] = _polarity(frame, _optional(table, "compared to england value or percentiles"))
    return write_series(session, table, frame, actor, now, options, "area code", "time period", "value",
                        "Fingertips export")
