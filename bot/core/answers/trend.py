"""Answers about how an indicator has moved over time (`trend`): where it started and ended in the
range asked, the change and whether that is better or worse by polarity, always with a chart."""
from __future__ import annotations

from functools import partial

import pandas as pd

from bot.core import charting
from bot.core.answers.common import Ask, Draft
from bot.core.answers.values import _no_value, begin, headline, source_line, status_line
from bot.core.format import difference_text, direction_text, period_text
from bot.core.lookup import since_filter
from data_access.status import direction_values

DEFAULT_YEARS = 3


def answer_trend(ask: Ask) -> Draft:
    """The series for the range asked (default: the last three years), its change and a trend chart."""
    indicator = ask.query.indicator
    draft, places, subject = begin(ask)
    draft.facts.update(indicator=indicator, geographies=[subject] if subject else [], period=None, values=[])
    if subject is None:
        return draft
    comparators = [c for c in places.comparators if c != subject] or [
        c for c in (ask.region, ask.country) if c and c != subject]
    values = ask.lookup.values(indicator, [subject, *comparators], ask.query.breakdown)
    own = values[(values["geography_code"] == subject) & values["value"].notna()] if not values.empty else values
    draft.facts.update(breakdown=ask.query.breakdown)
    if own.empty:
        return _no_value(ask, draft, indicator, subject, values)
    kind = str(own["period_kind"].iloc[-1])
    when = ask.query.when
    start = when.start_for(kind)
    if when.period is None and (start is None or when.span_months):  # "the last 3 years": up to the newest value
        start = (own["period_start"].iloc[-1] - pd.DateOffset(months=when.span_months or 12 * DEFAULT_YEARS)).date()
    series = since_filter(own, start)
    if when.period is not None:  # a period alone, or the later end of a span ("Q1 vs Q2")
        series = series[(series["period_end"] <= pd.Timestamp(when.period.end))
                        & (series["period_start"] >= pd.Timestamp(when.since or when.period.start))]
    if series.empty:
        return _no_value(ask, draft, indicator, subject, values)
    first, last = series.iloc[0], series.iloc[-1]
    info = ask.lookup.indicator(indicator)
    draft.facts.update(period=last["period"], from_period=first["period"],
                       values=[{"geography": subject, "period": last["period"], "value": float(last["value"])}],
                       status=last["rag"], chart=True)
    draft.lines.insert(0, headline(ask, subject, [], f"{first['period']}") + f" to {period_text(last['period'])}"
                       if len(series) > 1 else headline(ask, subject, [], last["period"]))
    if len(series) == 1:
        draft.say(f"Only one value in that range — *{ask.show(indicator, last['value'])}* ({period_text(last['period'], months=False)}).")
    else:
        verdict = direction_values([last["value"]], [first["value"]], [info["polarity"]])[0]
        change = difference_text(float(last["value"]), float(first["value"]), info["unit"], int(info["decimals"]))
        draft.say(f"Went from {ask.show(indicator, first['value'])} ({period_text(first['period'], months=False)}) to "
                  f"*{ask.show(indicator, last['value'])}* ({period_text(last['period'], months=False)}): {change}"
                  + (f" — {direction_text(verdict)}." if verdict in ("better", "worse") else "."))
        recent = [f"{direction_text(last['previous_direction'])} on {period_text(last['previous'], months=False)}"
                  if last.get("previous_direction") else "",
                  f"{direction_text(last['year_earlier_direction'])} on a year earlier"
                  if last.get("year_earlier_direction") and last.get("year_earlier") != last.get("previous") else ""]
        recent = [part for part in recent if part]
        if recent:
            draft.say("Latest movement: " + "; ".join(recent) + ".")
    line = status_line(ask, indicator, last)
    if line:
        draft.say(line)
    draft.say(source_line(ask, indicator, last))
    draft.chart = partial(charting.trend_data, ask, indicator, subject, series, values[values["geography_code"].isin(comparators)])
    return draft
