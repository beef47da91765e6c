"""Charts for notifications, drawn when a message is sent (the outbox keeps no PNGs): the trend of
each measure an alert is about, and the scorecard of a digest. Only channels that show pictures
(`renders_charts` on the sender) get them; each chart is drawn once per dispatcher run."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from bot.core import charting
from bot.core.answers.common import Ask
from bot.core.lookup import Lookup
from bot.core.messages import ChartReply
from data_access.store import Store
from intents import query as q

MAX_TRENDS = 3
YEARS = 3


@dataclass
class NoticeCharts:
    """Draws and keeps the charts of one dispatcher run."""

    store: Store
    _drawn: dict[tuple, ChartReply | None] = field(default_factory=dict)

    def for_alerts(self, payloads: list[dict[str, Any]]) -> list[ChartReply]:
        """The trend charts of the first few measures in an alert message."""
        charts = []
        for p in payloads[:MAX_TRENDS]:
            chart = self._once(("trend", p["indicator"], p["place"], p["period"]), lambda p=p: self.trend(p))
            if chart is not None:
                charts.append(chart)
        return charts

    def for_digest(self, payload: dict[str, Any]) -> list[ChartReply]:
        """The digest's scorecard."""
        key = ("scorecard", payload["scope"], payload["week"])
        chart = self._once(key, lambda: self.scorecard(payload))
        return [chart] if chart is not None else []

    def _once(self, key: tuple, draw) -> ChartReply | None:
        if key not in self._drawn:
            self._drawn[key] = draw()
        return self._drawn[key]

    def trend(self, p: dict[str, Any]) -> ChartReply | None:
        """The measure's last three years at the place, with the region and England."""
        store, indicator, place = self.store, p["indicator"], p["place"]
        if indicator not in store.indicators.index:
            return None
        lookup = Lookup(store)
        council = p.get("council") or store.council_code() or place
        comparators = [c for c in (store.places["region_code"].get(place), store.places["country_code"].get(place))
                       if isinstance(c, str) and c != place]
        values = lookup.values(indicator, [place, *comparators])
        own = values[(values["geography_code"] == place) & values["value"].notna()] if not values.empty else values
        if own.empty:
            return None
        start = own["period_start"].iloc[-1] - pd.DateOffset(years=YEARS)
        series = own[own["period_start"] >= start]
        others = values[values["geography_code"].isin(comparators)]
        ask = Ask(q.Query(q.TREND, indicator=indicator), None, lookup, council, store.clock().date())
        chart = charting.render(charting.trend_data(ask, indicator, place, series, others))
        return ChartReply(chart.png, chart.alt_text, chart.title)

    def scorecard(self, payload: dict[str, Any]) -> ChartReply:
        """The digest's counts of red, amber and green, the reds named."""
        data = charting.scorecard_data(payload["scope"], payload["counts"], [r["name"] for r in payload["reds"]],
                                       payload["period_note"])
        chart = charting.render(data)
        return ChartReply(chart.png, chart.alt_text, chart.title)
