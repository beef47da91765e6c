"""The status engine: red / amber / green against the financial year's target, direction of travel
against the previous period and the same period a year earlier, and comparison with the region and
England — all honouring the indicator's polarity, and vectorised over whole frames of observations.

RAG rule (data/README.md): for `higher_is_better` green when value ≥ target, amber when value ≥
target − amber_tolerance, else red; mirrored for `lower_is_better`; for `in_range` green inside
[target_low, target_high], amber within amber_tolerance outside it, else red; `neutral` indicators
and those without a target for the year have no RAG. Comparisons call a difference "similar" when
it is within SIMILAR_SHARE of the comparator's value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.periods import parse_period

GREEN, AMBER, RED = "green", "amber", "red"
BETTER, WORSE, SAME = "better", "worse", "no change"
SIMILAR = "similar"
SIMILAR_SHARE = 0.02
EPSILON = 1e-9


def rag_values(value: np.ndarray, polarity: np.ndarray, target: np.ndarray, low: np.ndarray,
               high: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """RAG for arrays of values and their targets; None where there is no RAG."""
    value, target, low, high = (np.asarray(a, dtype=float) for a in (value, target, low, high))
    tolerance = np.nan_to_num(np.asarray(tolerance, dtype=float))
    polarity = np.asarray(polarity, dtype=object)
    higher, lower, in_range = polarity == "higher_is_better", polarity == "lower_is_better", polarity == "in_range"
    with np.errstate(invalid="ignore"):
        shortfall = np.select(
            [higher, lower, in_range],
            [target - value, value - target, np.maximum(low - value, value - high)],
            default=np.nan)
    has_target = np.where(in_range, ~np.isnan(low) & ~np.isnan(high), ~np.isnan(target))
    usable = has_target & ~np.isnan(value) & (higher | lower | in_range)
    with np.errstate(invalid="ignore"):
        rag = np.where(shortfall <= EPSILON, GREEN, np.where(shortfall <= tolerance + EPSILON, AMBER, RED))
    return np.where(usable, rag, None)


def rag(value: float | None, polarity: str, target: float | None = None, low: float | None = None,
        high: float | None = None, tolerance: float = 0.0) -> str | None:
    """RAG for one value (see rag_values)."""
    nan = np.nan
    result = rag_values(np.array([nan if value is None else value]), np.array([polarity], dtype=object),
                        np.array([nan if target is None else target]), np.array([nan if low is None else low]),
                        np.array([nan if high is None else high]), np.array([tolerance or 0.0]))
    return result[0]


def _goodness(values: np.ndarray, polarity: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A number that grows as performance improves (for in_range: minus the distance from the band)."""
    in_range_distance = -np.maximum(np.maximum(low - values, values - high), 0.0)
    return np.select([polarity == "higher_is_better", polarity == "lower_is_better", polarity == "in_range"],
                     [values, -values, in_range_distance], default=np.nan)


def direction_values(current: np.ndarray, earlier: np.ndarray, polarity: np.ndarray,
                     low: np.ndarray | None = None, high: np.ndarray | None = None) -> np.ndarray:
    """'better' / 'worse' / 'no change' by polarity ('higher' / 'lower' for neutral); None when either is missing."""
    current, earlier = np.asarray(current, dtype=float), np.asarray(earlier, dtype=float)
    polarity = np.asarray(polarity, dtype=object)
    low = np.full(current.shape, np.nan) if low is None else np.asarray(low, dtype=float)
    high = np.full(current.shape, np.nan) if high is None else np.asarray(high, dtype=float)
    with np.errstate(invalid="ignore"):
        change = _goodness(current, polarity, low, high) - _goodness(earlier, polarity, low, high)
        raw = current - earlier
        judged = np.where(np.abs(change) <= EPSILON, SAME, np.where(change > 0, BETTER, WORSE))
        neutral = np.where(np.abs(raw) <= EPSILON, SAME, np.where(raw > 0, "higher", "lower"))
    out = np.where(np.isin(polarity, ["neutral"]) | np.isnan(change), neutral, judged)
    return np.where(np.isnan(current) | np.isnan(earlier), None, out)


def comparison_values(value: np.ndarray, comparator: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """'better' / 'similar' / 'worse' than a comparator by polarity ('higher' / 'lower' for neutral)."""
    value, comparator = np.asarray(value, dtype=float), np.asarray(comparator, dtype=float)
    polarity = np.asarray(polarity, dtype=object)
    with np.errstate(invalid="ignore"):
        diff = value - comparator
        close = np.abs(diff) <= np.maximum(np.abs(comparator) * SIMILAR_SHARE, EPSILON)
        sign = np.where(polarity == "lower_is_better", -1.0, 1.0)
        judged = np.where(close, SIMILAR, np.where(diff * sign > 0, BETTER, WORSE))
        neutral = np.where(close, SIMILAR, np.where(diff > 0, "higher", "lower"))
    out = np.where(np.isin(polarity, ["higher_is_better", "lower_is_better"]), judged, neutral)
    return np.where(np.isnan(value) | np.isnan(comparator), None, out)


def _period_table(labels: pd.Index) -> pd.DataFrame:
    """For each period label: its financial year, the previous period and a year earlier."""
    rows = []
    for label in labels:
        period = parse_period(label)
        rows.append((label, period.financial_year.label, period.previous().label, period.year_earlier().label))
    return pd.DataFrame(rows, columns=["period", "financial_year", "previous", "year_earlier"]).set_index("period")


def evaluate(observations: pd.DataFrame, indicators: pd.DataFrame, targets: pd.DataFrame,
             places: pd.DataFrame) -> pd.DataFrame:
    """Status of every observation.

    observations: indicator_code, geography_code, period, breakdown, value.
    indicators: indexed by code, with polarity.
    targets: indicator_code, geography_code, financial_year, target, target_low, target_high, amber_tolerance.
    places: indexed by code, with region_code and country_code.
    Returns the observations with financial_year, target columns, rag, previous/year-earlier values and
    directions, and region/England values and comparisons.
    """
    frame = observations.reset_index(drop=True).copy()
    periods = _period_table(pd.Index(frame["period"].unique()))
    frame = frame.join(periods, on="period")
    frame["polarity"] = frame["indicator_code"].map(indicators["polarity"]).fillna("neutral").to_numpy()
    frame = frame.merge(targets, on=["indicator_code", "geography_code", "financial_year"], how="left")
    values = frame["value"].to_numpy(dtype=float)
    polarity = frame["polarity"].to_numpy(dtype=object)
    low, high = frame["target_low"].to_numpy(dtype=float), frame["target_high"].to_numpy(dtype=float)
    frame["rag"] = rag_values(values, polarity, frame["target"].to_numpy(dtype=float), low, high,
                              frame["amber_tolerance"].to_numpy(dtype=float))

    series_key = frame["indicator_code"] + "\x1f" + frame["geography_code"] + "\x1f" + frame["breakdown"]
    series_ids, series_names = pd.factorize(series_key)
    period_ids = {label: number for number, label in enumerate(periods.index)}
    width = len(period_ids) + 1
    index = pd.Index(series_ids.astype(np.int64) * width + frame["period"].map(period_ids).to_numpy())

    def lookup(series: np.ndarray, period_labels: pd.Series) -> np.ndarray:
        """Value of (series id, period label) pairs; NaN where absent."""
        ids = period_labels.map(period_ids).to_numpy(dtype=float)
        found = np.full(len(frame), -1)
        ok = ~np.isnan(ids) & (series >= 0)
        found[ok] = index.get_indexer(series[ok].astype(np.int64) * width + ids[ok].astype(np.int64))
        return np.where(found >= 0, values[np.maximum(found, 0)], np.nan)

    for name in ("previous", "year_earlier"):
        frame[f"{name}_value"] = lookup(series_ids, frame[name])
        frame[f"{name}_direction"] = direction_values(values, frame[f"{name}_value"].to_numpy(), polarity, low, high)

    series_lookup = pd.Series(np.arange(len(series_names)), index=series_names)
    for name, column in (("region", "region_code"), ("england", "country_code")):
        comparator = frame["geography_code"].map(places[column])
        keys = frame["indicator_code"] + "\x1f" + comparator.fillna("") + "\x1f" + frame["breakdown"]
        comparator_series = keys.map(series_lookup).fillna(-1).to_numpy(dtype=np.int64)
        same_place = (comparator == frame["geography_code"]).to_numpy()
        frame[f"{name}_value"] = np.where(same_place, np.nan, lookup(comparator_series, frame["period"]))
        frame[f"vs_{name}"] = comparison_values(values, frame[f"{name}_value"].to_numpy(), polarity)
    return frame
