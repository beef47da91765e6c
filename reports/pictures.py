"""The charts in the report, drawn with charts/ (colour-blind-safe palette, RAG by shape as well as
colour), each with its alt text: the council's scorecard, and the trend of a red measure up to the
quarter's end."""
from __future__ import annotations

import pandas as pd

from bot.core import charting
from bot.core.answers.common import Ask
from bot.core.lookup import Lookup
from charts import Chart
from data_access.store import Store
from intents import query as q
from reports.content import Measure, Report

TREND_YEARS = 3


def scorecard(report: Report, scope: str, measures: list[Measure]) -> Chart:
    """How many of the measures are red, amber, green or without a target, reds named."""
    valued = [m for m in measures if m.value is not None]
    counts = {rag: sum(1 for m in valued if m.rag == rag) for rag in ("red", "amber", "green")}
    counts["none"] = sum(1 for m in valued if m.rag is None)
    reds = [m.name for m in valued if m.rag == "red"]
    return charting.render(charting.scorecard_data(scope, counts, reds, f"as of {report.quarter.label}"))

class Trends:
    """Draws the trend charts of one report's measures from the values the report was built from."""

    def __init__(self, store: Store, report: Report):
        self.lookup = Lookup(store)
        self.report = report
        self.by_indicator = dict(tuple(report.history.groupby("indicator_code", sort=False))) if len(report.history) else {}

    def trend(self, measure: Measure) -> Chart | None:
        """The measure's last few years for the council up to the quarter's end, with the region
        and England; None when it has no values."""
        council = self.report.council_code
        values = self.by_indicator.get(measure.code)
        if values is None:
            return None
        values = values.sort_values("period_end", kind="stable")
        own = values[values["geography_code"] == council]
        if own.empty:
            return None
        series = own[own["period_start"] >= own["period_start"].iloc[-1] - pd.DateOffset(years=TREND_YEARS)]
        others = values[values["geography_code"] != council]
        ask = Ask(q.Query(q.TREND, indicator=measure.code), None, self.lookup, council, self.report.quarter.end)
        return charting.render(charting.trend_data(ask, measure.code, council, series, others))
