"""Answers about how things are going: the RAG `status` of the council, a service or a portfolio
(what is red, with commentary), and a place's `profile` — its key indicators against the city and
England, the furthest behind first."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import partial

import pandas as pd

from bot.core import charting
from bot.core.answers import values
from bot.core.answers.common import Ask, Draft, resolve_places
from bot.core.format import period_text, rag_text
from data_access.periods import parse_period
from data_access.status import comparison_values
from intents import query as q
from intents.when import When
from schedules.returns import owners_for

PROFILE_LINES = 8


@dataclass(frozen=True)
class Scope:
    """Whose measures a status question is about: a name to say, the service or portfolio (None for
    the whole council), the indicators in it (None for all), or why it cannot be narrowed as asked."""

    name: str
    service: str | None = None
    portfolio: str | None = None
    indicators: frozenset[str] | None = None
    refusal: str | None = None


def scope_of(ask: Ask) -> Scope:
    """The service or portfolio named, the asker's own ("my portfolio", "my directorate"), or the council."""
    query, person = ask.query, ask.person
    indicators = ask.lookup.store.indicators
    service = portfolio = None
    if query.service:
        is_portfolio = query.service in set(indicators["portfolio"].dropna()) and query.service not in set(indicators["service"].dropna())
        service, portfolio = (None, query.service) if is_portfolio else (query.service, None)
    elif query.scope == "portfolio":
        if not (person and person.portfolio):
            return _not_yours("don't hold a cabinet portfolio", "City Housing")
        portfolio = person.portfolio
    elif query.scope == "own":
        return _own(ask)
    elif any(m.kind == "my_ward" for m in query.places) and person and not person.ward_code and person.service \
            and person.has_role("director"):
        service = person.service  # a director's "my patch" is their service
    elif query.scope == "service":
        if not (person and person.service):
            return _not_yours("have no service or directorate", "Adult Services")
        service = person.service
    if service:
        return Scope(service, service=service, indicators=frozenset(indicators.index[indicators["service"] == service]))
    if portfolio:
        return Scope(f"the {portfolio} portfolio", portfolio=portfolio,
                     indicators=frozenset(indicators.index[indicators["portfolio"] == portfolio]))
    return Scope(ask.lookup.place_name(ask.council))


def _own(ask: Ask) -> Scope:
    """"My measures", "any of mine": those the asker owns or covers as a delegate; for a portfolio
    holder or a director who owns none, their portfolio or service."""
    person, indicators = ask.person, ask.lookup.store.indicators
    if person is None:
        return _not_yours("aren't in", "City Housing")
    owned = indicators.index[indicators["owner_email"].str.lower().isin(owners_for(ask.lookup.store, person.email))]
    if len(owned):
        return Scope(person.name, indicators=frozenset(owned))
    if person.portfolio:
        return Scope(f"the {person.portfolio} portfolio", portfolio=person.portfolio,
                     indicators=frozenset(indicators.index[indicators["portfolio"] == person.portfolio]))
    if person.service and person.has_role("director"):
        return Scope(person.service, service=person.service,
                     indicators=frozenset(indicators.index[indicators["service"] == person.service]))
    return _not_yours("own no measures", "City Housing")


def _not_yours(missing: str, example: str) -> Scope:
    """The scope of someone asking about their own portfolio or service who has none on record."""
    return Scope("", refusal=f"You {missing} in perfbot's people list, so I can't narrow this to yours. Ask about "
                             f"a service or portfolio by name (e.g. “what's red in {example}”) or “what's red across the council”.")


LISTED = ("indicator_code", "value", "period", "rag", "target", "target_low", "target_high", "commentary")


def answer_status(ask: Ask) -> Draft:
    """Counts of red, amber, green and untargeted measures at their newest council value, reds named;
    for one measure ("is FOI red?", "are we on target for NEET?"), its value against its target — for
    the period under way ("are we green this month?"), its newest, saying so."""
    if ask.query.indicator:
        return _measure_status(ask)
    draft = Draft()
    scope = scope_of(ask)
    if scope.refusal:
        draft.facts.update(refused=True)
        return draft.say(scope.refusal)
    name, service, portfolio = scope.name, scope.service, scope.portfolio
    latest = ask.lookup.latest_council_status(ask.council, LISTED)
    if scope.indicators is not None:
        latest = latest[latest["indicator_code"].isin(scope.indicators)]
    draft.facts.update(red=[], geographies=[ask.council])
    if service:
        draft.facts["service"] = service
    if portfolio:
        draft.facts["portfolio"] = portfolio
    if latest.empty:
        return draft.say(f"I have no measures with values for {name}.")
    rags = latest["rag"].fillna("none")
    counts = {key: int((rags == key).sum()) for key in ("red", "amber", "green", "none")}
    reds = latest[rags == "red"].sort_values("indicator_code")
    draft.facts["red"] = reds["indicator_code"].tolist()
    wanted = ask.query.rag
    if wanted:
        chosen = latest[rags == wanted].sort_values("indicator_code")
        draft.facts[wanted] = chosen["indicator_code"].tolist()
        if chosen.empty:  # "is anything in children's red?" — no: say how they do stand
            draft.say(f"None of the {len(latest)} measures for {name} is {wanted} at their newest values: "
                      + ", ".join(f"{counts[rag]} {rag}" for rag in ("red", "amber", "green") if rag != wanted)
                      + f", {counts['none']} without a target.")
        else:
            draft.say(f"*{len(chosen)} {wanted}* measure{'s' if len(chosen) != 1 else ''} for {name} at their newest values "
                      f"(of {len(latest)}):")
            _list(ask, draft, chosen)
    else:
        draft.say(f"*{name}* — {len(latest)} measures at their newest values: {counts['red']} red, "
                  f"{counts['amber']} amber, {counts['green']} green, {counts['none']} without a target.")
        if len(reds):
            draft.say("Red:")
            _list(ask, draft, reds)
    periods = sorted(set(latest["period"]))
    note = (f"newest values, {period_text(periods[0], months=False)} to {period_text(periods[-1], months=False)}"
            if len(periods) > 1 else f"values for {period_text(periods[0], months=False)}")
    draft.chart = partial(charting.scorecard_data, name, counts, [ask.indicator_name(c) for c in draft.facts["red"]], note)
    return draft


def _measure_status(ask: Ask) -> Draft:
    """One measure's value against its target; asked for a period not yet over, its newest value.
    Asked why it is that colour, the figure against the target says so, and its owner why the figure."""
    asked = ask.query.when.period
    if asked is None or ask.query.when.since or asked.end < ask.today:
        draft = values.answer_value(ask)
    else:
        draft = values.answer_value(replace(ask, query=ask.query.but(when=When())))
        if draft.facts.get("period") and parse_period(draft.facts["period"]).start < asked.start:  # not one within it
            draft.lines.insert(0, f"{period_text(asked.label)} isn't over yet, so here is the newest:")
    if ask.query.why == q.WHY_THAT_COLOUR and draft.facts.get("values"):
        owner = ask.lookup.indicator(ask.query.indicator).get("owner_email") if ask.person else None
        who = f"its owner, {owner}," if isinstance(owner, str) else "its owner"
        draft.say(f"What lies behind the figure is for {who} to say: ask them, or read the commentary in the "
                  "performance report.")
    return draft


def _list(ask: Ask, draft: Draft, rows: pd.DataFrame) -> None:
    for row in rows.itertuples():
        target = ""
        if isinstance(row.target, float) and not math.isnan(row.target):
            target = f" against {ask.show(row.indicator_code, row.target)}"
        elif isinstance(row.target_low, float) and not math.isnan(row.target_low):
            target = (f" against a range of {ask.show(row.indicator_code, row.target_low)} to "
                      f"{ask.show(row.indicator_code, row.target_high)}")
        comment = f" — “{row.commentary}”" if isinstance(row.commentary, str) and row.commentary else (
            " — commentary outstanding" if row.rag == "red" else "")
        draft.say(f"• {ask.indicator_name(row.indicator_code)}: {ask.show(row.indicator_code, row.value)}"
                  f"{target} ({period_text(row.period, months=False)}){comment}")


def answer_profile(ask: Ask) -> Draft:
    """A ward or the council at a glance: key indicators against the city (or the place it is asked
    against: "is Park worse than Penn on everything") and England, worst gaps first."""
    draft = Draft()
    resolved = resolve_places(ask)
    place = resolved.subject
    level = ask.lookup.place_level(place)
    council = ask.lookup.store.places["la_code"].get(place) or ask.council
    indicators = ask.lookup.store.indicators
    key = {"ward": "ward", "local_authority": "la"}.get(level, "la")
    wanted = indicators[indicators["geography_levels"].fillna("").str.split(";").map(lambda levels: key in levels)]
    wanted = wanted[wanted["polarity"] != "neutral"]
    against = next((code for code in resolved.comparators if code != place and code != ask.country), None)
    first = against or (council if council != place else None)
    comparators = [code for code in dict.fromkeys([first, ask.country]) if code]
    frame = ask.lookup.observations(wanted["code"].tolist(), [place, *comparators])
    frame = frame[frame["value"].notna()]
    draft.facts.update(geographies=[place, *([against] if against else [])], values=[])
    if frame.empty:
        return draft.say(f"I have no indicators for {ask.lookup.place_name(place)} yet.")
    if not comparators:
        return draft.say(f"I have nothing to set {ask.lookup.place_name(place)} against for a profile: ask for one "
                         f"indicator, e.g. “population of {ask.lookup.place_name(place)}”.")
    own = frame[frame["geography_code"] == place].sort_values("period_end").groupby("indicator_code").tail(1)
    rows = []
    for row in own.itertuples():
        same = frame[(frame["indicator_code"] == row.indicator_code) & (frame["period"] == row.period)].set_index("geography_code")["value"]
        polarity = indicators.loc[row.indicator_code, "polarity"]
        if indicators.loc[row.indicator_code, "unit"] == "count":  # a ward's count is no match for the city's total
            continue
        against = comparators[0]
        other = same.get(against)
        if other is None or other == 0:
            continue
        verdict = comparison_values([row.value], [other], [polarity])[0]
        gap = (row.value - other) / abs(other) * (-1 if polarity == "lower_is_better" else 1)
        rows.append((gap, row, other, verdict, same.get(ask.country)))
    rows.sort(key=lambda item: item[0])
    name = ask.lookup.place_name(place)
    against_name = ask.lookup.place_name(comparators[0])
    draft.say(f"*{name} at a glance* — against {against_name}" +
              (f" and {ask.lookup.place_name(ask.country)}" if len(comparators) > 1 else "") + ", furthest behind first:")
    for gap, row, other, verdict, england in rows[:PROFILE_LINES]:
        info = indicators.loc[row.indicator_code]
        compared = f"similar to {against_name}" if verdict == "similar" else f"{verdict} than {against_name}"
        line = (f"• {info['name']}: *{ask.show(row.indicator_code, row.value)}* ({period_text(row.period, months=False)}) — "
                f"{compared} ({ask.show(row.indicator_code, other)})")
        if england is not None and len(comparators) > 1:
            line += f"; England {ask.show(row.indicator_code, england)}"
        draft.say(line)
        draft.facts["values"].append({"geography": place, "period": row.period, "value": float(row.value)})
    behind = sum(1 for item in rows if item[3] == "worse")
    listed = f" (the {min(PROFILE_LINES, len(rows))} furthest behind are listed)" if len(rows) > PROFILE_LINES else ""
    draft.say(f"{behind} of the {len(rows)} indicators compared {'is' if behind == 1 else 'are'} worse than "
              f"{against_name}{listed}. Ask about any of them for the detail.")
    if level == "local_authority":
        latest = ask.lookup.latest_council_status(place)
        if not latest.empty:
            rags = latest["rag"].fillna("none")
            draft.say(f"Against target: {int((rags == 'red').sum())} {rag_text('red')}, {int((rags == 'amber').sum())} amber, "
                      f"{int((rags == 'green').sum())} green.")
    return draft


