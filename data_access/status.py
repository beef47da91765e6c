"""The status engine: red / amber / green against the financial year's target, direction of travel
against the previous period and the same period a year earlier, and comparison with the region and
England — all honouring the indicator's polarity, and vectorised over whole frames of observations.

RAG rule (data/README.md): for `higher_is_better` green when value ≥ target, amber when value ≥
target − amber_tolerance, else red; mirrored for `lower_is_better`; for `in_range` green inside
[target_low, target_high], amber within amber_tolerance outside it, else red; `neutral` indicators
and those without a target for the year have no RAG. A target is for the headline value: rows
with a breakdown (sex, deprivation quintile, …) have no RAG. "Exactly on" a target or a tolerance counts
as inside it, allowing for the rounding of binary floating point. Comparisons
call a difference "similar" when it is within SIMILAR_SHARE of the comparator's value.

`evaluate` works on integer codes (factorised indicator, place, breakdown and period) and sorted
int64 keys rather than string joins and merges, so a million observations take well under a second.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.periods import parse_period

GREEN, AMBER, RED = "green", "amber", "red"
BETTER, WORSE, SAME = "better", "worse", "no change"
HIGHER, LOWER = "higher", "lower"
SIMILAR = "similar"
SIMILAR_SHARE = 0.02
EPSILON = 1e-9
RELATIVE_EPSILON = 1e-12

_RAG_WORDS = np.array([None, GREEN, AMBER, RED], dtype=object)
_DIRECTION_WORDS = np.array([None, BETTER, WORSE, SAME, HIGHER, LOWER], dtype=object)
_COMPARISON_WORDS = np.array([None, BETTER, WORSE, SIMILAR, HIGHER, LOWER], dtype=object)


def _slack(*magnitudes: np.ndarray) -> np.ndarray:
    """How far two floats may differ and still count as equal: EPSILON, or RELATIVE_EPSILON of
    their size for big numbers (123456789.3 − 123456789.2 is 0.10000000894 in binary)."""
    largest = np.zeros_like(magnitudes[0])
    for values in magnitudes:
        largest = np.fmax(largest, np.abs(values))
    return np.fmax(EPSILON, RELATIVE_EPSILON * largest)


def _masks(polarity: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    polarity = np.asarray(polarity, dtype=object)
    codes, uniques = pd.factorize(polarity)
    names = np.append(np.asarray(uniques, dtype=object), None)
    return tuple(np.asarray(names == name)[codes] for name in ("higher_is_better", "lower_is_better", "in_range"))


def _rag_codes(value: np.ndarray, higher: np.ndarray, lower: np.ndarray, in_range: np.ndarray, target: np.ndarray,
               low: np.ndarray, high: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """0 (no RAG), 1 green, 2 amber, 3 red."""
    tolerance = np.nan_to_num(tolerance)
    with np.errstate(invalid="ignore"):
        shortfall = np.where(higher, target - value, np.where(lower, value - target, np.maximum(low - value, value - high)))
        slack = _slack(value, np.where(in_range, np.fmax(np.abs(low), np.abs(high)), target))
        has_target = np.where(in_range, ~np.isnan(low) & ~np.isnan(high), ~np.isnan(target))
        usable = has_target & ~np.isnan(value) & (higher | lower | in_range)
        codes = np.where(shortfall <= slack, 1, np.where(shortfall <= tolerance + slack, 2, 3))
    return np.where(usable, codes, 0).astype(np.int8)


def rag_values(value: np.ndarray, polarity: np.ndarray, target: np.ndarray, low: np.ndarray,
               high: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """RAG for arrays of values and their targets; None where there is no RAG."""
    value, target, low, high, tolerance = (np.asarray(a, dtype=float) for a in (value, target, low, high, tolerance))
    higher, lower, in_range = _masks(polarity)
    return _RAG_WORDS[_rag_codes(value, higher, lower, in_range, target, low, high, tolerance)]


def rag(value: float | None, polarity: str, target: float | None = None, low: float | None = None,
        high: float | None = None, tolerance: float = 0.0) -> str | None:
    """RAG for one value (see rag_values)."""
    def one(x: float | None) -> np.ndarray:
        return np.array([np.nan if x is None else x], dtype=float)

    return rag_values(one(value), np.array([polarity], dtype=object), one(target), one(low), one(high),
                      one(tolerance or 0.0))[0]


def _direction_codes(current: np.ndarray, earlier: np.ndarray, higher: np.ndarray, lower: np.ndarray,
                     in_range: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """0 (unknown), 1 better, 2 worse, 3 no change, 4 higher, 5 lower."""
    with np.errstate(invalid="ignore"):
        def goodness(values: np.ndarray) -> np.ndarray:
            distance = -np.maximum(np.maximum(low - values, values - high), 0.0)  # NaN without a band
            return np.where(higher, values, np.where(lower, -values, np.where(in_range, distance, np.nan)))

        change = goodness(current) - goodness(earlier)
        raw = current - earlier
        slack = _slack(current, earlier)
        judged = np.where(np.abs(change) <= slack, 3, np.where(change > 0, 1, 2))
        neutral = np.where(np.abs(raw) <= slack, 3, np.where(raw > 0, 4, 5))
    codes = np.where(np.isnan(change), neutral, judged)
    return np.where(np.isnan(current) | np.isnan(earlier), 0, codes).astype(np.int8)


def direction_values(current: np.ndarray, earlier: np.ndarray, polarity: np.ndarray,
                     low: np.ndarray | None = None, high: np.ndarray | None = None) -> np.ndarray:
    """'better' / 'worse' / 'no change' by polarity ('higher' / 'lower' for neutral, and for
    in_range without a band); None when either value is missing."""
    current, earlier = np.asarray(current, dtype=float), np.asarray(earlier, dtype=float)
    low = np.full(current.shape, np.nan) if low is None else np.asarray(low, dtype=float)
    high = np.full(current.shape, np.nan) if high is None else np.asarray(high, dtype=float)
    higher, lower, in_range = _masks(polarity)
    return _DIRECTION_WORDS[_direction_codes(current, earlier, higher, lower, in_range, low, high)]


def _comparison_codes(value: np.ndarray, comparator: np.ndarray, higher: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """0 (unknown), 1 better, 2 worse, 3 similar, 4 higher, 5 lower."""
    with np.errstate(invalid="ignore"):
        diff = value - comparator
        close = np.abs(diff) <= np.fmax(np.abs(comparator) * SIMILAR_SHARE, _slack(value, comparator))
        sign = np.where(lower, -1.0, 1.0)
        judged = np.where(close, 3, np.where(diff * sign > 0, 1, 2))
        neutral = np.where(close, 3, np.where(diff > 0, 4, 5))
    codes = np.where(higher | lower, judged, neutral)
    return np.where(np.isnan(value) | np.isnan(comparator), 0, codes).astype(np.int8)


def comparison_values(value: np.ndarray, comparator: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """'better' / 'similar' / 'worse' than a comparator by polarity ('higher' / 'lower' for neutral
    and in_range); None when either value is missing."""
    value, comparator = np.asarray(value, dtype=float), np.asarray(comparator, dtype=float)
    higher, lower, _ = _masks(polarity)
    return _COMPARISON_WORDS[_comparison_codes(value, comparator, higher, lower)]


def column_copy(series: pd.Series):
    """A copy of a column's values without its index, keeping its dtype (e.g. datetime64 with a zone)."""
    if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
        return series.array.copy()
    return series.to_numpy(copy=True)


def _finder(keys: np.ndarray):
    """A function giving, for each query key, the position of that key in `keys` (−1 when absent)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]

    def find(query: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
        if len(ordered) == 0:
            return np.full(len(query), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(ordered, query), len(ordered) - 1)
        found = ordered[at] == query
        if valid is not None:
            found &= valid
        return np.where(found, order[at], -1)

    return find


DENSE_LIMIT = 20_000_000


def _series_period_finder(series: np.ndarray, period: np.ndarray, n_series: int, n_periods: int):
    """A function giving the row of (series, period) pairs (−1 when absent): a dense table when
    series × periods is small enough, else a sorted search."""
    keys = series.astype(np.int64) * n_periods + period
    if n_series * n_periods > DENSE_LIMIT:
        search = _finder(keys)
        return lambda s, p, valid: search(s.astype(np.int64) * n_periods + p, valid)
    table = np.full(n_series * n_periods, -1, dtype=np.int64)
    table[keys] = np.arange(len(keys))

    def find(s: np.ndarray, p: np.ndarray, valid: np.ndarray) -> np.ndarray:
        return np.where(valid, table[s.astype(np.int64) * n_periods + p] if len(table) else -1, -1)

    return find


def _take(values: np.ndarray, positions: np.ndarray, missing=np.nan) -> np.ndarray:
    """values[positions], with `missing` where the position is −1."""
    values = np.asarray(values)
    padded = np.append(values, np.array([missing], dtype=values.dtype))
    return padded[np.where(positions >= 0, positions, len(values))]


KEY_COLUMNS = ("indicator_code", "geography_code", "period", "breakdown")


def factorize_keys(observations: pd.DataFrame) -> dict[str, tuple[np.ndarray, pd.Index]]:
    """Integer codes and distinct values of the key columns (what `evaluate` starts from; a caller
    evaluating the same frame again may keep them and pass them back)."""
    keys = {}
    for name in KEY_COLUMNS:
        column = observations[name].fillna("") if name == "breakdown" else observations[name]
        codes, uniques = pd.factorize(column.to_numpy(dtype=object))
        keys[name] = (codes, pd.Index(uniques, dtype=object))
    return keys


def evaluate(observations: pd.DataFrame, indicators: pd.DataFrame, targets: pd.DataFrame,
             places: pd.DataFrame, keys: dict[str, tuple[np.ndarray, pd.Index]] | None = None) -> pd.DataFrame:
    """Status of every observation.

    observations: indicator_code, geography_code, period, breakdown, value.
    indicators: indexed by code, with polarity.
    targets: indicator_code, geography_code, financial_year, target, target_low, target_high, amber_tolerance.
    places: indexed by code, with region_code and country_code.
    Returns the observations (same order, fresh RangeIndex) with financial_year, previous and
    year_earlier (period labels), polarity, target columns, rag, previous/year-earlier values and
    directions, and region/England values and comparisons. `keys`: factorize_keys(observations),
    when the caller has them already.
    """
    frame = observations
    n = len(frame)
    keys = keys or factorize_keys(frame)
    (ind, ind_names), (geo, geo_names), (per, per_names), (brk, brk_names) = (keys[name] for name in KEY_COLUMNS)
    n_geo, n_brk, n_per = max(len(geo_names), 1), max(len(brk_names), 1), max(len(per_names), 1)
    values = frame["value"].to_numpy(dtype=float)

    # Periods: each distinct label's financial year, previous period and the period a year earlier.
    parsed = [parse_period(label) for label in per_names]
    fy_of_period, fy_names = pd.factorize(np.asarray([p.financial_year.label for p in parsed], dtype=object))
    prev_names = np.asarray([p.previous().label for p in parsed], dtype=object)
    earlier_names = np.asarray([p.year_earlier().label for p in parsed], dtype=object)
    prev_of_period = per_names.get_indexer(prev_names)
    earlier_of_period = per_names.get_indexer(earlier_names)

    # Indicators: polarity per distinct code (neutral when unknown).
    polarity_of_ind = pd.Series(ind_names).map(indicators["polarity"]).fillna("neutral").to_numpy(dtype=object)
    higher_i, lower_i, in_range_i = (polarity_of_ind == name for name in ("higher_is_better", "lower_is_better", "in_range"))
    higher, lower, in_range = higher_i[ind], lower_i[ind], in_range_i[ind]

    # Targets for (indicator, place, financial year).
    t_ind = ind_names.get_indexer(targets["indicator_code"])
    t_geo = geo_names.get_indexer(targets["geography_code"])
    t_fy = pd.Index(fy_names, dtype=object).get_indexer(targets["financial_year"])
    usable = (t_ind >= 0) & (t_geo >= 0) & (t_fy >= 0)
    n_fy = max(len(fy_names), 1)
    target_keys = np.where(usable, (t_ind.astype(np.int64) * n_geo + t_geo) * n_fy + t_fy, -1)
    fy = fy_of_period[per]
    headline = (np.asarray(brk_names, dtype=object) == "")[brk] if n else np.zeros(0, dtype=bool)
    at = _finder(target_keys)((ind.astype(np.int64) * n_geo + geo) * n_fy + fy, headline)
    target_columns = {name: _take(targets[name].to_numpy(dtype=float), at)
                      for name in ("target", "target_low", "target_high", "amber_tolerance")}
    low, high = target_columns["target_low"], target_columns["target_high"]
    rag_codes = _rag_codes(values, higher, lower, in_range, target_columns["target"], low, high,
                           target_columns["amber_tolerance"])

    # Series: (indicator, place, breakdown), numbered densely; then a table series × period → row.
    def series_key(places_code: np.ndarray) -> np.ndarray:
        return (ind.astype(np.int64) * n_geo + places_code) * n_brk + brk

    series, series_keys = pd.factorize(series_key(geo))
    series_keys = np.asarray(series_keys, dtype=np.int64)
    find_series = _finder(series_keys)
    find_row = _series_period_finder(series, per, len(series_keys), n_per)

    def find(places_code: np.ndarray, period_code: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """The row of (indicator, place, breakdown, period) for each row's indicator and breakdown."""
        same_place = places_code is geo
        which = series if same_place else find_series(series_key(np.maximum(places_code, 0)), valid)
        ok = valid & (which >= 0)
        return find_row(np.where(ok, which, 0), np.where(ok, period_code, 0), ok)

    columns: dict[str, np.ndarray] = {
        "financial_year": np.asarray(fy_names, dtype=object)[fy] if n else np.array([], dtype=object),
        "previous": prev_names[per] if n else np.array([], dtype=object),
        "year_earlier": earlier_names[per] if n else np.array([], dtype=object),
        "polarity": polarity_of_ind[ind] if n else np.array([], dtype=object),
        **target_columns,
        "rag": _RAG_WORDS[rag_codes],
    }
    for name, of_period in (("previous", prev_of_period), ("year_earlier", earlier_of_period)):
        other = of_period[per] if n else np.array([], dtype=np.int64)
        earlier = _take(values, find(geo, other, other >= 0))
        columns[f"{name}_value"] = earlier
        directions = _direction_codes(values, earlier, higher, lower, in_range, low, high)
        columns[f"{name}_direction"] = _DIRECTION_WORDS[directions]

    for name, column in (("region", "region_code"), ("england", "country_code")):
        comparator_of_geo = geo_names.get_indexer(places[column].reindex(geo_names).fillna("").to_numpy(dtype=object))
        comparator = comparator_of_geo[geo] if n else np.array([], dtype=np.int64)
        valid = (comparator >= 0) & (comparator != geo)
        other = _take(values, find(comparator, per, valid))
        columns[f"{name}_value"] = other
        columns[f"vs_{name}"] = _COMPARISON_WORDS[_comparison_codes(values, other, higher, lower)]
    # One array per column and no block consolidation: building a million-row frame stays cheap.
    result = {name: column_copy(frame[name]) for name in frame.columns if name not in columns}
    result.update(columns)
    return pd.DataFrame(result, index=pd.RangeIndex(n), copy=False)
