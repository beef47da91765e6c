"""Answers that rank places on an indicator (`rank`): the council's wards, the councils of a
region, or a comparator group — highest, lowest, best or worst first — with the asker's own ward
or council pointed out. Places level on the period are ordered by the previous period's value the
same way (persistently high before newly high)."""
from __future__ import annotations

from dataclasses import replace

from functools import partial

import pandas as pd

from bot.core import charting
from bot.core.answers.common import Ask, Draft
from bot.core.answers.rank_change import rank_by_change
from bot.core.format import period_text
from bot.core.lookup import period_covering, periods_before
from intents.places import COUNCILS, ENGLAND, REGIONS, is_region

SHOWN = 10
COVERED = 0.5  # councils or regions: rank only when the store holds this share of them
ENGLAND_CODE = "E92000001"


def _pool(ask: Ask) -> tuple[list[str], str]:
    """The places to rank and what to call them."""
    places = ask.lookup.store.places
    query = ask.query
    if query.group:
        members = ask.lookup.store.named_groups(ask.council).get(query.group, [])
        return [ask.council, *[m for m in members if m != ask.council]], f"{query.group} group"
    councils = places["level"].isin(["local_authority", "county"])
    if query.collection == REGIONS:
        return [code for code in places[places["level"] == "region"]["code"] if is_region(code)], "regions of England"
    if query.collection == COUNCILS:
        named = query.region_named if ask.lookup.place_level(query.region_named or "") in ("region", "country") else None
        if named is None and (any(m.kind == ENGLAND for m in query.places) or not ask.region):
            named = ask.country or ENGLAND_CODE  # "councils in England", or no council of our own to start from
        area = named or ask.region
        column = "country_code" if ask.lookup.place_level(area) == "country" else "region_code"
        return places[councils & (places[column] == area)]["code"].tolist(), f"councils in {ask.lookup.place_name(area)}"
    council = _wards_council(ask)
    codes = places[(places["la_code"] == council) & (places["level"] == "ward")]["code"].tolist() if council else []
    return codes, f"{ask.lookup.place_name(council)} wards" if council else "wards"


def _too_few(ask: Ask, held, pool: list[str], scope: str) -> str | None:
    """How little of the councils or regions ranked the store holds ("for only 1 of England's 9
    regions (West Midlands)"), or None when enough: a ranking of the few held would pass for all."""
    places = ask.lookup.store.places
    national = ask.query.collection == REGIONS or scope.endswith(ask.lookup.place_name(ENGLAND_CODE))
    found = {code if ask.query.collection == REGIONS else places["region_code"].get(code) for code in held}
    regions = sorted(code for code in found if isinstance(code, str) and code)  # a council abolished before the lookup has none
    if national and len(regions) < ENGLISH_REGIONS:
        names = ", ".join(ask.lookup.place_name(code) for code in regions)
        return (f"for only {len(regions)} of England's {ENGLISH_REGIONS} regions ({names})" if ask.query.collection == REGIONS
                else f"only for the councils of {names}, not for every council in England")
    tiers = {code[:3] for code in held}  # county councils (E10) and districts (E07) answer for different services
    pool = [code for code in pool if code[:3] not in ("E07", "E10") or code[:3] in tiers]
    if len(held) < COVERED * len(pool):
        return f"for only {len(held)} of the {len(pool)} {scope}"
    return None


ENGLISH_REGIONS = 9  # ONS: the nine regions of England


DISTRICT, COUNTY = "E07", "E10"  # GSS: non-metropolitan districts (lower tier); county councils (upper tier)


def _one_tier(ask: Ask, have, scope: str) -> tuple:
    """Councils of one tier, when the values held are for both districts and county councils (a
    county's recycling rate is its disposal figure; a district's, its collection figure): the
    asker's own tier — the upper tier for a county council, else the lower — with the unitary,
    metropolitan and London councils that are both; the scope says which, and a note says which
    tier was left out. Values of a single tier are ranked as they are."""
    prefixes = have["geography_code"].str[:3]
    if not ((prefixes == DISTRICT).any() and (prefixes == COUNTY).any()):
        return have, scope, ""
    upper = (ask.council or "")[:3] == COUNTY
    left_out = DISTRICT if upper else COUNTY
    kept = have[(prefixes != left_out).to_numpy()]
    count = have.loc[(prefixes == left_out).to_numpy(), "geography_code"].nunique()
    if upper:
        return kept, f"{scope}, upper tier (county, unitary, metropolitan and London councils)", \
            (f"_Districts are left out ({count} held): they are the lower tier, "
             "answering for other services than county councils; ask about a district by name to compare it._")
    return kept, f"{scope}, lower tier (districts, unitary, metropolitan and London councils)", \
        (f"_County councils are left out ({count} held): they are the upper tier, answering "
         "for other services than districts; ask about a county by name to compare it._")


def _wards_council(ask: Ask) -> str:
    """The council whose wards are ranked: the one named ("wards in Trafford"), else the council's own."""
    named = ask.query.region_named
    if named and ask.lookup.place_level(named) in ("local_authority", "county"):
        return named
    return ask.council


def _ascending(order: str, polarity: str) -> bool:
    if order == "highest":
        return False
    if order == "lowest":
        return True
    best_first = order == "best"
    if polarity == "lower_is_better":
        return best_first
    return not best_first


def answer_rank(ask: Ask) -> Draft:
    """Places ranked on the indicator for the newest period (or the one asked)."""
    draft = Draft()
    indicator = ask.query.indicator
    info = ask.lookup.indicator(indicator)
    among_wards = ask.query.collection not in (COUNCILS, REGIONS) and not ask.query.group
    if among_wards and not _wards_council(ask):
        draft.facts.update(indicator=indicator, ranked=[], period=None)
        return draft.say("Which council's wards do you mean? Name the council in the question, "
                         "e.g. “which wards in Trafford have the highest …?”")
    asked = ask.query.when.period
    if asked is not None and asked.start > ask.today:
        draft.facts.update(indicator=indicator, ranked=[], period=None)
        return draft.say(f"{period_text(asked.label)} is still to come, so there are no figures for it yet.")
    pool, scope = _pool(ask)
    if among_wards and ask.query.collection is None and not ask.lookup.published_for(indicator, pool[0] if pool else ask.council):
        draft.say(f"_*{info['name']}* is not published for wards, so here are the councils._")  # no wards were named
        ask = replace(ask, query=ask.query.but(collection=COUNCILS))
        among_wards = False
        pool, scope = _pool(ask)
    if among_wards and not ask.lookup.published_for(indicator, pool[0] if pool else ask.council):
        draft.facts.update(indicator=indicator, ranked=[], period=None)
        draft.choices = [("Rank the councils instead", f"rank the councils on {info['name']}")]
        return draft.say(f"*{info['name']}* is not published for wards, so I can't rank the wards.")
    values = ask.lookup.values(indicator, pool, ask.query.breakdown)
    have = values[values["value"].notna()] if not values.empty else values
    draft.facts.update(indicator=indicator, ranked=[], period=None)
    if have.empty:
        return draft.say(f"I have no values of *{info['name']}* for the {scope}.")
    tier_note = ""
    if ask.query.collection == COUNCILS:
        have, scope, tier_note = _one_tier(ask, have, scope)
    if not among_wards:
        short = _too_few(ask, have["geography_code"].unique(), pool, scope)
        if short:
            if ask.query.collection == COUNCILS and ask.region:
                draft.choices = [(f"Rank the {ask.lookup.place_name(ask.region)} councils",
                                  f"rank the {ask.lookup.place_name(ask.region)} councils on {info['name']}")]
            return draft.say(f"I hold *{info['name']}* {short}, so I can't rank the {scope}.")
    periods = have.drop_duplicates("period").sort_values("period_end")
    ended = periods[periods["period_end"] <= pd.Timestamp(ask.today)]
    if ask.query.when.period is None and not ended.empty:
        periods = ended  # the newest period that has ended: a month not yet over has no figure of its own yet
    if ask.query.when.period is not None:
        period = period_covering(periods, ask.query.when.period)
        if period is None:
            return draft.say(f"I have no values of *{info['name']}* for the {scope} in {period_text(ask.query.when.period.label)}.")
    else:
        counts = have.groupby("period").size()
        complete = periods[periods["period"].map(counts) >= max(2, int(0.8 * len(pool)))]
        period = str((complete if not complete.empty else periods)["period"].iloc[-1])
        if ask.query.when.months_back:  # "a year ago", "the month before": the newest period, so much earlier
            period = periods_before(period, ask.query.when.months_back)
            if period not in set(periods["period"]):
                held = f"in {period_text(period)}" if period else f"for “{ask.query.when.phrase}”"
                return draft.say(f"I have no values of *{info['name']}* for the {scope} {held}.")
    if ask.query.change:
        return rank_by_change(ask, draft, have, period, scope, SHOWN)
    at = have[have["period"] == period].copy()
    order = ask.query.order or ("best" if info["polarity"] != "neutral" else "highest")
    ascending = _ascending(order, info["polarity"])
    at = at.sort_values(["value", "previous_value", "geography_code"], ascending=[ascending, ascending, True],
                        na_position="last")
    count = ask.query.count or (len(at) if not among_wards else min(5, len(at)))
    ranked = at.head(count)
    codes = ranked["geography_code"].tolist()
    draft.facts.update(ranked=codes, period=period,
                       values=[{"geography": c, "period": period, "value": float(v)} for c, v in zip(codes, ranked["value"])],
                       geographies=codes)
    heading = {"highest": "highest", "lowest": "lowest", "best": "best", "worst": "worst"}[order]
    label = info["name"] + (f" ({ask.query.breakdown})" if ask.query.breakdown else "")
    draft.say(f"*{label}* · {scope} · {period_text(period)} — {heading} first:")
    mine = _own_place(ask)
    positions = {code: i + 1 for i, code in enumerate(at["geography_code"])}
    shown = ranked.head(SHOWN)  # the two columns read, not rows of every column (itertuples boxes each)
    for i, (code, value) in enumerate(zip(shown["geography_code"], shown["value"]), start=1):
        marker = " ← you" if code == mine else ""
        draft.say(f"{i}. {ask.lookup.place_name(code)}: {ask.show(indicator, value)}{marker}")
    if mine in positions and mine not in codes[:SHOWN]:
        draft.say(f"{ask.lookup.place_name(mine)} is {_ordinal(positions[mine])} of {len(at)}.")
    if tier_note:
        draft.say(tier_note)
    if info["unit"] == "count" and (ask.query.collection == COUNCILS or ask.query.group):
        draft.say("_These are counts: larger councils have more, so this ranks size as much as performance._")
    draft.say(f"_Source: {info['source'] or 'council records'}._")
    draft.chart = partial(charting.ranking_data, ask, indicator, period, at, scope, mine)
    return draft


def _own_place(ask: Ask) -> str:
    """The asker's ward (councillors) or the council."""
    if ask.person and ask.person.ward_code and ask.query.collection != COUNCILS and not ask.query.group:
        return ask.person.ward_code
    return ask.council


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

