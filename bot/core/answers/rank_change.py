"""Places ranked by how much they changed (`rank` with a change asked): "which ward's crime rate went
up the most between Q1 and Q2", "the biggest drop from September to October", "most improved" —
from the period asked back to its start (or to the period before), each place's change said."""
from __future__ import annotations

import pandas as pd

from bot.core.answers.common import Ask, Draft
from bot.core.format import difference_text, period_text

MOVED = {"rise": "rose", "fall": "fell", "better": "improved", "worse": "got worse"}
HEADINGS = {"rise": "biggest rise first", "fall": "biggest fall first", "better": "most improved first",
            "worse": "most worsened first"}


def rank_by_change(ask: Ask, draft: Draft, have: pd.DataFrame, period: str, scope: str, shown: int) -> Draft:
    """`draft` with the places of `have` ranked by their change to `period` from the start asked."""
    indicator, info = ask.query.indicator, ask.lookup.indicator(ask.query.indicator)
    at = have[have["period"] == period]
    since = ask.query.when.since
    start = str(at["previous"].iloc[0]) if since is None else next(
        (str(p) for p, s in zip(have["period"], have["period_start"]) if s == pd.Timestamp(since)), "")
    before = have[have["period"] == start].set_index("geography_code")["value"]
    changed = at.assign(before=at["geography_code"].map(before)).dropna(subset=["before"])
    if changed.empty:
        return draft.say(f"I have no values of *{info['name']}* for the {scope} in {period_text(start or 'that period')} "
                         f"to measure a change from.")
    change = ask.query.change
    rising = change == "rise" or change in ("better", "worse") and (info["polarity"] == "higher_is_better") == (change == "better")
    changed = changed.assign(change=changed["value"] - changed["before"]).sort_values(
        ["change", "geography_code"], ascending=[not rising, True])
    ranked = changed.head(ask.query.count or 5)
    codes = ranked["geography_code"].tolist()
    draft.facts.update(ranked=codes, period=period, from_period=start, geographies=codes,
                       values=[{"geography": c, "period": period, "value": float(v)} for c, v in zip(codes, ranked["value"])])
    draft.say(f"*{info['name']}* · {scope} · {period_text(start, months=False)} to {period_text(period, months=False)} "
              f"— {HEADINGS[change]}:")
    if (ranked["change"].iloc[0] > 0) != rising or ranked["change"].iloc[0] == 0:  # asked who improved; none did
        draft.say(f"_None of the {scope} {MOVED[change]} — these moved least the other way._")
    for i, row in enumerate(ranked.head(shown).itertuples(), start=1):
        moved = difference_text(float(row.value), float(row.before), info["unit"], int(info["decimals"]))
        draft.say(f"{i}. {ask.lookup.place_name(row.geography_code)}: {moved} "
                  f"({ask.show(indicator, row.before)} → {ask.show(indicator, row.value)})")
    return draft.say(f"_Source: {info['source'] or 'council records'}._")
