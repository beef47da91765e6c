"""Charts of the bundled demo council: builds each chart's data from the sample CSVs with pandas,
and writes one PNG of each kind.

    python -m charts.gallery docs/charts

This is how the pictures in docs/charts/ are made, and the tests and the benchmark build their
inputs with the same functions. It reads the CSV files directly so that it needs nothing from
the store.
"""
from __future__ import annotations

import argparse
import calendar
import math
from datetime import date
from pathlib import Path

import pandas as pd

from charts.comparison import render_comparison
from charts.data import (
    Bar, Chart, ComparisonData, Point, RankingData, ScorecardData, Series, TargetSpan, TrendData,
)
from charts.ranking import render_ranking
from charts.scorecard import render_scorecard
from charts.style import period_text
from charts.trend import render_trend

DEMO_DIR = Path(__file__).resolve().parents[1] / "data_access" / "sample_data" / "demo-council"
COUNCIL = "E08000031"
ENGLAND = "E92000001"


def period_span(label: str) -> tuple[date, date]:
    """First and last day of a period label: '2026-10', '2026/27 Q2' or '2025/26'."""
    label = label.strip()
    if "/" not in label:
        year, month = (int(part) for part in label.split("-"))
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    year = int(label[:4])
    if " Q" not in label:
        return date(year, 4, 1), date(year + 1, 3, 31)
    month = 4 + 3 * (int(label[-1]) - 1)
    year, month = (year + 1, month - 12) if month > 12 else (year, month)
    last_month = month + 2
    return date(year, month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def financial_year(day: date) -> str:
    """The financial-year label ('2026/27') of the year holding `day`."""
    year = day.year if day.month >= 4 else day.year - 1
    return f"{year}/{(year + 1) % 100:02d}"


def rag_status(value: float | None, polarity: str, target: pd.Series | None) -> str | None:
    """RAG of a value against a targets.csv row, by the rule in the data README (None: no RAG)."""
    if value is None or target is None or polarity == "neutral":
        return None
    tolerance = _number(target["amber_tolerance"]) or 0.0
    if polarity == "in_range":
        low, high = _number(target["target_low"]), _number(target["target_high"])
        if low is None or high is None:
            return None
        gap = max(low - value, value - high, 0.0)
    else:
        goal = _number(target["target"])
        if goal is None:
            return None
        gap = max(goal - value if polarity == "higher_is_better" else value - goal, 0.0)
    return "green" if gap <= 0 else "amber" if gap <= tolerance + 1e-9 else "red"


class DemoCouncil:
    """The demo council's CSV files, loaded once, with the look-ups the chart builders need."""

    def __init__(self, folder: Path = DEMO_DIR) -> None:
        self.indicators = pd.read_csv(folder / "indicators.csv").set_index("code")
        self.places = pd.read_csv(folder / "geographies.csv").set_index("code")
        self.targets = pd.read_csv(folder / "targets.csv")
        observations = pd.read_csv(folder / "observations.csv")
        spans = {label: period_span(label) for label in observations["period"].unique()}
        observations["start"] = observations["period"].map(lambda p: spans[p][0])
        observations["end"] = observations["period"].map(lambda p: spans[p][1])
        self.observations = observations.sort_values("start")

    def indicator(self, code: str) -> pd.Series:
        """The data-dictionary row of an indicator."""
        return self.indicators.loc[code]

    def place_name(self, code: str) -> str:
        """The name of a place from its ONS code."""
        return str(self.places.loc[code, "name"])

    def parents(self, code: str) -> list[str]:
        """The places above `code`, nearest first (ward → council → region → England)."""
        chain = []
        parent = self.places.loc[code, "parent_code"]
        while isinstance(parent, str):
            chain.append(parent)
            parent = self.places.loc[parent, "parent_code"]
        return chain

    def values(self, indicator: str, geography: str) -> pd.DataFrame:
        """The observations of one indicator for one place, oldest first."""
        obs = self.observations
        return obs[(obs["indicator_code"] == indicator) & (obs["geography_code"] == geography)]

    def target(self, indicator: str, geography: str, year: str) -> pd.Series | None:
        """The targets.csv row for an indicator, place and financial year, if there is one."""
        t = self.targets
        rows = t[(t["indicator_code"] == indicator) & (t["geography_code"] == geography)
                 & (t["period"] == year)]
        return None if rows.empty else rows.iloc[0]

    def rag(self, indicator: str, geography: str, start: date, value: float | None) -> str | None:
        """RAG of a value for the period starting on `start`, against that year's target."""
        polarity = self.indicator(indicator)["polarity"]
        return rag_status(value, polarity, self.target(indicator, geography, financial_year(start)))


def demo_trend(demo: DemoCouncil, indicator: str, geography: str,
               comparators: list[str] | None = None) -> TrendData:
    """A place's whole series of an indicator, its targets, and (by default) its parents' series."""
    meta = demo.indicator(indicator)
    points = [Point(row.period, row.start, float(row.value),
                    demo.rag(indicator, geography, row.start, float(row.value)), row.end)
              for row in demo.values(indicator, geography).itertuples()]
    t = demo.targets
    spans = [TargetSpan(row.period, *period_span(row.period), target=_number(row.target),
                        low=_number(row.target_low), high=_number(row.target_high))
             for row in t[(t["indicator_code"] == indicator)
                          & (t["geography_code"] == geography)].itertuples()]
    codes = demo.parents(geography) if comparators is None else comparators
    series = [Series(demo.place_name(code), _points(demo, indicator, code)) for code in codes]
    label = f"{points[0].period_label} to {points[-1].period_label}" if points else ""
    return TrendData(meta["name"], meta["unit"], int(meta["decimals"]), meta["polarity"],
                     demo.place_name(geography), points, spans,
                     [s for s in series if s.points], meta["source"], label)


def demo_comparison(demo: DemoCouncil, indicator: str, geography: str,
                    period: str | None = None) -> ComparisonData:
    """A place against the places above it (council, region, England) for one period."""
    meta = demo.indicator(indicator)
    rows = demo.values(indicator, geography)
    period = period or rows["period"].iloc[-1]

    def bar(code: str) -> Bar:
        match = demo.values(indicator, code)
        match = match[match["period"] == period]
        return Bar(demo.place_name(code), None if match.empty else float(match["value"].iloc[0]),
                   code)

    return ComparisonData(meta["name"], meta["unit"], int(meta["decimals"]), meta["polarity"],
                          period, bar(geography), [bar(c) for c in demo.parents(geography)],
                          meta["source"])


def demo_ranking(demo: DemoCouncil, indicator: str, parent: str, highlight: str | None = None,
                 period: str | None = None) -> RankingData:
    """The places within `parent` ranked best first (highest first when neither is better)."""
    meta = demo.indicator(indicator)
    children = demo.places.index[demo.places["parent_code"] == parent]
    obs = demo.observations
    rows = obs[(obs["indicator_code"] == indicator) & obs["geography_code"].isin(children)]
    period = period or rows["period"].iloc[-1]
    rows = rows[rows["period"] == period]
    rows = rows.sort_values("value", ascending=meta["polarity"] == "lower_is_better")
    bars = [Bar(demo.place_name(r.geography_code), float(r.value), r.geography_code)
            for r in rows.itertuples()]
    reference = []
    for code in [parent] if parent == ENGLAND else [parent, ENGLAND]:
        match = demo.values(indicator, code)
        match = match[match["period"] == period]
        if not match.empty:
            reference.append((demo.place_name(code), float(match["value"].iloc[0])))
    level = demo.places.loc[children[0], "level"] if len(children) else "place"
    scope = f"{demo.place_name(parent)} {'wards' if level == 'ward' else 'councils'}"
    return RankingData(meta["name"], meta["unit"], int(meta["decimals"]), meta["polarity"],
                       period, bars, highlight, reference, meta["source"], scope)


def demo_scorecard(demo: DemoCouncil, service: str | None = None) -> ScorecardData:
    """RAG counts of the council's newest value of each indicator (of one service, if given)."""
    indicators = demo.indicators
    if service is not None:
        indicators = indicators[indicators["service"] == service]
    counts = {"red": 0, "amber": 0, "green": 0, "none": 0}
    red_names: list[str] = []
    periods: set[str] = set()
    for code, meta in indicators.iterrows():
        rows = demo.values(code, COUNCIL)
        if rows.empty:
            continue
        newest = rows.iloc[-1]
        periods.add(newest["period"])
        status = demo.rag(code, COUNCIL, newest["start"], float(newest["value"]))
        counts[status or "none"] += 1
        if status == "red":
            red_names.append(meta["name"])
    latest = max(periods, key=lambda p: period_span(p)[1]) if periods else "no values"
    note = f"Newest value of each measure, up to {period_text(latest)}"
    return ScorecardData(service or "Whole council", note, counts, red_names)


def gallery(demo: DemoCouncil) -> dict[str, Chart]:
    """One chart of each kind from the demo data, by file name."""
    return {
        "trend.png": render_trend(demo_trend(demo, "CLAIMANT_RATE", COUNCIL)),
        "trend-target-range.png": render_trend(demo_trend(demo, "BUDGET_VARIATION", COUNCIL)),
        "comparison.png": render_comparison(demo_comparison(demo, "CLAIMANT_RATE", "E05014838")),
        "ranking.png": render_ranking(demo_ranking(demo, "CLAIMANT_RATE", COUNCIL, "E05014838")),
        "scorecard.png": render_scorecard(demo_scorecard(demo)),
    }


def main(argv: list[str] | None = None) -> int:
    """Write the gallery's PNGs into the folder given; print each one's title and alt text."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the PNG files")
    folder = parser.parse_args(argv).folder
    folder.mkdir(parents=True, exist_ok=True)
    for name, chart in gallery(DemoCouncil()).items():
        (folder / name).write_bytes(chart.png)
        print(f"{folder / name} ({len(chart.png) // 1024} KB): {chart.title}\n  {chart.alt_text}")
    return 0


def _points(demo: DemoCouncil, indicator: str, geography: str) -> list[Point]:
    return [Point(row.period, row.start, float(row.value), None, row.end)
            for row in demo.values(indicator, geography).itertuples()]


def _number(value) -> float | None:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return None if missing else float(value)


if __name__ == "__main__":
    raise SystemExit(main())
