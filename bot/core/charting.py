"""Turning an answer's frames into the plain data `charts/` draws, and rendering it."""
from __future__ import annotations

import math

import pandas as pd

from bot.core.answers.common import Ask
import charts
from charts import Bar, Chart, ComparisonData, Point, RankingData, ScorecardData, Series, TargetSpan, TrendData
from data_access.periods import parse_period

ChartData = TrendData | ComparisonData | RankingData | ScorecardData
RENDERERS = {TrendData: "render_trend", ComparisonData: "render_comparison", RankingData: "render_ranking",
             ScorecardData: "render_scorecard"}  # charts loads matplotlib only when a chart is drawn


NARROW_FROM = 8  # a ranking of more places than this is also drawn for narrow screens


def render(data: ChartData) -> Chart:
    """The PNG and alt text for chart data of any kind."""
    return getattr(charts, RENDERERS[type(data)])(data)


def render_narrow(data: ChartData) -> Chart | None:
    """The chart drawn for a narrow screen where its wide drawing would be unreadable there (a
    ranking of many places), else None."""
    if isinstance(data, RankingData) and len(data.bars) > NARROW_FROM:
        from charts.ranking_narrow import render_ranking_narrow  # matplotlib, loaded when first drawn
        return render_ranking_narrow(data)
    return None


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _points(rows: pd.DataFrame) -> list[Point]:
    return [Point(row.period, row.period_start.date(), _number(row.value), row.rag if isinstance(row.rag, str) else None,
                  row.period_end.date()) for row in rows.itertuples()]


def trend_data(ask: Ask, indicator: str, subject: str, series: pd.DataFrame, others: pd.DataFrame) -> TrendData:
    """A trend chart: the subject's series, its targets per financial year and comparator lines."""
    info = ask.lookup.indicator(indicator)
    targets = ask.lookup.store.targets
    targets = targets[(targets["indicator_code"] == indicator) & (targets["geography_code"] == subject)]
    if not ask.lookup.internal:  # someone perfbot does not know sees no targets
        targets = targets.iloc[0:0]
    years = set(series["financial_year"])
    spans = []
    for row in targets[targets["financial_year"].isin(years)].itertuples():
        year = parse_period(row.financial_year)
        spans.append(TargetSpan(row.financial_year, year.start, year.end, _number(row.target),
                                _number(row.target_low), _number(row.target_high)))
    first = series["period_start"].min()
    comparators = []
    for code, rows in others[others["period_start"] >= first].groupby("geography_code", sort=False):
        comparators.append(Series(ask.lookup.place_name(code), _points(rows.assign(rag=None))))
    return TrendData(info["name"], info["unit"], int(info["decimals"]), info["polarity"], ask.lookup.place_name(subject),
                     _points(series), sorted(spans, key=lambda s: s.start), comparators, info["source"] or "",
                     f"{series['period'].iloc[0]} to {series['period'].iloc[-1]}")


def comparison_data(ask: Ask, indicator: str, period: str, values: list[dict]) -> ComparisonData:
    """A comparison chart: the subject's bar against its comparators' for one period."""
    info = ask.lookup.indicator(indicator)
    bars = [Bar(ask.lookup.place_name(v["geography"]), v["value"], v["geography"]) for v in values]
    return ComparisonData(info["name"], info["unit"], int(info["decimals"]), info["polarity"], period, bars[0],
                          bars[1:], info["source"] or "")


def ranking_data(ask: Ask, indicator: str, period: str, ranked: pd.DataFrame, scope: str, highlight: str) -> RankingData:
    """A ranking chart: every place in rank order, the asker's highlighted, council and England as
    reference lines (for rates and percentages)."""
    info = ask.lookup.indicator(indicator)
    bars = [Bar(ask.lookup.place_name(row.geography_code), _number(row.value), row.geography_code)
            for row in ranked.itertuples()]
    reference = []
    # A council's or England's count is a total, not comparable with a ward's: lines only for rates.
    comparable = info["unit"] != "count"
    references = [code for code in (ask.council, ask.country)
                  if comparable and code not in set(ranked["geography_code"])]
    if references:
        frame = ask.lookup.observations([indicator], references)
        for row in frame[(frame["period"] == period) & frame["value"].notna()].itertuples():
            reference.append((ask.lookup.place_name(row.geography_code), float(row.value)))
    return RankingData(info["name"], info["unit"], int(info["decimals"]), info["polarity"], period, bars, highlight,
                       reference, info["source"] or "", scope)


def scorecard_data(scope: str, counts: dict[str, int], red_names: list[str], period_note: str) -> ScorecardData:
    """A scorecard: how many measures are red, amber, green or untargeted, the red ones named."""
    return ScorecardData(scope, period_note, counts, red_names)
