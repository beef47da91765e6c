"""The status engine: RAG at its edges (exactly on target, exactly on the tolerance, in_range,
missing target), direction of travel, comparison with region and England, and the demo council's
status mix (12 green, 15 amber, 6 red, 7 without a target) agreeing with data/README.md's rule."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_access.periods import parse_period
from data_access.status import comparison_values, direction_values, evaluate, rag, rag_values
from data_access.store import SAMPLE_DATA

WOLVERHAMPTON, WEST_MIDLANDS, ENGLAND = "E08000031", "E12000005", "E92000001"


# --- RAG -----------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    (80.0, "green"),     # exactly on target
    (85.0, "green"),
    (75.0, "amber"),     # exactly on the tolerance
    (77.5, "amber"),
    (74.99, "red"),
    (0.0, "red"),
])
def test_higher_is_better(value, expected):
    assert rag(value, "higher_is_better", target=80.0, tolerance=5.0) == expected


@pytest.mark.parametrize("value, expected", [
    (6.4, "green"),      # exactly on target
    (5.0, "green"),
    (7.0, "amber"),      # exactly on the tolerance (6.4 + 0.6, inexact in binary)
    (6.7, "amber"),
    (7.01, "red"),
])
def test_lower_is_better(value, expected):
    assert rag(value, "lower_is_better", target=6.4, tolerance=0.6) == expected


@pytest.mark.parametrize("value, expected", [
    (-2.0, "green"),     # exactly on the low end of the band
    (0.0, "green"),      # exactly on the high end
    (-1.0, "green"),
    (-2.5, "amber"),     # exactly the tolerance below the band
    (0.5, "amber"),      # exactly the tolerance above it
    (0.3, "amber"),
    (-2.51, "red"),
    (0.51, "red"),
])
def test_in_range(value, expected):
    assert rag(value, "in_range", low=-2.0, high=0.0, tolerance=0.5) == expected


def test_no_rag_without_a_target_a_value_or_a_direction():
    assert rag(50.0, "higher_is_better") is None                       # missing target
    assert rag(None, "higher_is_better", target=50.0) is None          # missing value
    assert rag(float("nan"), "lower_is_better", target=50.0) is None   # NA in the file
    assert rag(50.0, "neutral", target=50.0) is None                   # neutral has no RAG
    assert rag(1.0, "in_range", low=0.0) is None                       # half a band
    assert rag(1.0, "in_range", target=1.0) is None                    # a plain target is not a band


def test_zero_or_missing_tolerance_means_no_amber_band():
    assert rag(79.9, "higher_is_better", target=80.0, tolerance=0.0) == "red"
    assert rag(79.9, "higher_is_better", target=80.0, tolerance=None) == "red"
    assert rag(80.0, "higher_is_better", target=80.0, tolerance=0.0) == "green"


def test_exactly_on_the_tolerance_survives_binary_rounding_of_big_numbers():
    # 123,456,789.3 − 123,456,789.2 is 0.10000000894 in binary floating point.
    assert rag(123_456_789.2, "higher_is_better", target=123_456_789.3, tolerance=0.1) == "amber"
    assert rag(0.7, "lower_is_better", target=0.6, tolerance=0.1) == "amber"
    assert rag(0.1 + 0.2, "lower_is_better", target=0.3) == "green"


def test_rag_values_mixes_polarities_in_one_array():
    result = rag_values(
        value=np.array([80.0, 80.0, 1.0, 5.0, np.nan]),
        polarity=np.array(["higher_is_better", "lower_is_better", "in_range", "neutral", "higher_is_better"], dtype=object),
        target=np.array([80.0, 79.0, np.nan, 5.0, 1.0]),
        low=np.array([np.nan, np.nan, 0.0, np.nan, np.nan]),
        high=np.array([np.nan, np.nan, 0.5, np.nan, np.nan]),
        tolerance=np.array([1.0, 1.0, 0.5, 1.0, np.nan]))
    assert list(result) == ["green", "amber", "amber", None, None]


# --- direction of travel and comparisons ---------------------------------------------------------
def test_direction_of_travel_honours_polarity():
    polarity = np.array(["higher_is_better", "lower_is_better", "neutral", "neutral", "higher_is_better",
                         "lower_is_better"], dtype=object)
    result = direction_values([60, 60, 60, 40, 50, 50], [50, 50, 50, 50, 50, np.nan], polarity)
    assert list(result) == ["better", "worse", "higher", "lower", "no change", None]


def test_direction_for_in_range_is_distance_from_the_band():
    polarity = np.array(["in_range"] * 4, dtype=object)
    low, high = np.full(4, -2.0), np.full(4, 0.0)
    result = direction_values([0.2, 0.8, -1.0, 3.0], [0.8, 0.2, -0.5, 3.0], polarity, low, high)
    assert list(result) == ["better", "worse", "no change", "no change"]
    # Without a band an in_range indicator can only say which way it moved.
    assert list(direction_values([2.0], [1.0], np.array(["in_range"], dtype=object))) == ["higher"]


def test_comparison_with_a_comparator():
    polarity = np.array(["higher_is_better", "higher_is_better", "lower_is_better", "lower_is_better",
                         "neutral", "higher_is_better", "higher_is_better", "in_range"], dtype=object)
    values = [60.0, 50.5, 60.0, 40.0, 60.0, 0.0, 60.0, 3.0]
    comparators = [50.0, 50.0, 50.0, 50.0, 50.0, 0.0, np.nan, 2.0]
    assert list(comparison_values(values, comparators, polarity)) == [
        "better", "similar", "worse", "better", "higher", "similar", None, "higher"]


def test_similar_means_within_two_percent_of_the_comparator():
    polarity = np.array(["higher_is_better"] * 3, dtype=object)
    assert list(comparison_values([102.0, 102.01, 97.99], [100.0, 100.0, 100.0], polarity)) == [
        "similar", "better", "worse"]


# --- evaluate: whole frames ---------------------------------------------------------------------
def _toy():
    indicators = pd.DataFrame({"polarity": ["higher_is_better", "neutral"]}, index=["JOBS", "PEOPLE"])
    places = pd.DataFrame({"region_code": [WEST_MIDLANDS, WEST_MIDLANDS, None],
                           "country_code": [ENGLAND, ENGLAND, ENGLAND]},
                          index=[WOLVERHAMPTON, WEST_MIDLANDS, ENGLAND])
    targets = pd.DataFrame({"indicator_code": ["JOBS", "JOBS"], "geography_code": [WOLVERHAMPTON] * 2,
                            "financial_year": ["2025/26", "2026/27"], "target": [70.0, 75.0],
                            "target_low": [np.nan, np.nan], "target_high": [np.nan, np.nan],
                            "amber_tolerance": [2.0, 2.0]})
    rows = [("JOBS", WOLVERHAMPTON, "2025-03", "", 69.0), ("JOBS", WOLVERHAMPTON, "2026-03", "", 71.0),
            ("JOBS", WOLVERHAMPTON, "2026-04", "", 71.0), ("JOBS", WEST_MIDLANDS, "2026-04", "", 72.0),
            ("JOBS", ENGLAND, "2026-04", "", 60.0), ("JOBS", WOLVERHAMPTON, "2026-04", "Female", 90.0),
            ("PEOPLE", WOLVERHAMPTON, "2026-04", "", 100.0), ("PEOPLE", WOLVERHAMPTON, "2026-03", "", 90.0)]
    observations = pd.DataFrame(rows, columns=["indicator_code", "geography_code", "period", "breakdown", "value"])
    return observations, indicators, targets, places


def test_evaluate_uses_the_target_of_the_periods_financial_year():
    result = evaluate(*_toy()).set_index(["indicator_code", "geography_code", "period", "breakdown"])
    march = result.loc[("JOBS", WOLVERHAMPTON, "2026-03", "")]
    april = result.loc[("JOBS", WOLVERHAMPTON, "2026-04", "")]
    assert (march.financial_year, march.target, march.rag) == ("2025/26", 70.0, "green")
    assert (april.financial_year, april.target, april.rag) == ("2026/27", 75.0, "red")
    # Regions, England and breakdowns have no target of their own.
    assert result.loc[("JOBS", WEST_MIDLANDS, "2026-04", ""), "rag"] is None
    assert result.loc[("JOBS", WOLVERHAMPTON, "2026-04", "Female"), "rag"] is None
    assert result.loc[("PEOPLE", WOLVERHAMPTON, "2026-04", ""), "rag"] is None


def test_evaluate_direction_and_comparisons():
    result = evaluate(*_toy()).set_index(["indicator_code", "geography_code", "period", "breakdown"])
    april = result.loc[("JOBS", WOLVERHAMPTON, "2026-04", "")]
    assert (april.previous, april.previous_value, april.previous_direction) == ("2026-03", 71.0, "no change")
    assert (april.year_earlier, april.year_earlier_value) == ("2025-04", None) or np.isnan(april.year_earlier_value)
    assert april.year_earlier_direction is None
    march = result.loc[("JOBS", WOLVERHAMPTON, "2026-03", "")]
    assert (march.year_earlier_value, march.year_earlier_direction) == (69.0, "better")
    assert (april.region_value, april.vs_region) == (72.0, "similar")
    assert (april.england_value, april.vs_england) == (60.0, "better")
    # A breakdown is compared with the same breakdown only (none here); a region not with itself.
    female = result.loc[("JOBS", WOLVERHAMPTON, "2026-04", "Female")]
    assert np.isnan(female.previous_value) and female.vs_region is None
    region = result.loc[("JOBS", WEST_MIDLANDS, "2026-04", "")]
    assert np.isnan(region.region_value) and (region.england_value, region.vs_england) == (60.0, "better")
    people = result.loc[("PEOPLE", WOLVERHAMPTON, "2026-04", "")]
    assert people.previous_direction == "higher"


def test_evaluate_keeps_rows_in_order_and_handles_an_empty_frame():
    observations, indicators, targets, places = _toy()
    shuffled = observations.sample(frac=1.0, random_state=3).set_index(pd.Index(range(100, 108)))
    result = evaluate(shuffled, indicators, targets, places)
    assert list(result["value"]) == list(shuffled["value"])
    assert list(result.index) == list(range(8))
    empty = evaluate(observations.iloc[:0], indicators, targets, places)
    assert len(empty) == 0 and "rag" in empty.columns and "vs_england" in empty.columns


# --- the demo council ---------------------------------------------------------------------------
def _readme_rag(value: float, polarity: str, target: dict | None) -> str | None:
    """data/README.md's rule, written out plainly."""
    if target is None or polarity == "neutral":
        return None
    tolerance = float(target["amber_tolerance"] or 0)
    if polarity == "in_range":
        low, high = float(target["target_low"]), float(target["target_high"])
        if low <= value <= high:
            return "green"
        return "amber" if low - tolerance <= value <= high + tolerance else "red"
    goal = float(target["target"])
    if polarity == "higher_is_better":
        return "green" if value >= goal else "amber" if value >= goal - tolerance else "red"
    return "green" if value <= goal else "amber" if value <= goal + tolerance else "red"


def _read(name: str) -> list[dict]:
    with open(Path(SAMPLE_DATA) / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_demo_council_status_mix_agrees_with_the_readme_rule(demo_store):
    council = demo_store.council_code()
    assert council == WOLVERHAMPTON
    evaluated = demo_store.evaluate(demo_store.observations(geography_codes=[council]))
    newest = evaluated[evaluated["value"].notna()].sort_values("period_end").groupby("indicator_code").tail(1)
    counts = newest["rag"].fillna("none").value_counts().to_dict()
    assert counts == {"green": 12, "amber": 15, "red": 6, "none": 7}

    # The same answer from the CSV files and the README's rule, without the store.
    polarity = {row["code"]: row["polarity"] for row in _read("indicators.csv")}
    targets = {(row["indicator_code"], row["period"]): row for row in _read("targets.csv")
               if row["geography_code"] == council}
    latest: dict[str, tuple] = {}
    for row in _read("observations.csv"):
        if row["geography_code"] != council or row["value"] in ("", "NA"):
            continue
        period = parse_period(row["period"])
        if row["indicator_code"] not in latest or period > latest[row["indicator_code"]][0]:
            latest[row["indicator_code"]] = (period, float(row["value"]))
    expected = {code: _readme_rag(value, polarity[code], targets.get((code, period.financial_year.label)))
                for code, (period, value) in latest.items()}
    assert len(expected) == 40
    assert dict(zip(newest["indicator_code"], newest["rag"])) == expected


def test_status_of_everything_covers_every_current_observation(demo_store):
    everything = demo_store.status_of_everything()
    assert len(everything) == 10_848
    assert everything["rag"].notna().sum() > 0
    assert set(everything["rag"].dropna()) == {"green", "amber", "red"}
    # Ward values are compared with the region and England when those are published.
    wards = everything[everything["geography_code"].map(demo_store.places["level"]) == "ward"]
    assert wards["vs_england"].notna().any()
    assert str(everything["period_end"].dtype) == "datetime64[ns]"
