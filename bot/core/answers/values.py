"""Answers about an indicator's value for a place (`value`) and how places compare (`compare`)."""
from __future__ import annotations

import math
from dataclasses import replace
from functools import partial

import pandas as pd

from bot.core import charting
from bot.core.answers.common import Ask, Draft, Places, resolve_places
from bot.core.answers import shares
from bot.core.format import difference_text, direction_text, period_text, rag_text
from bot.core.lookup import periods_before
from data_access.status import comparison_values
from data_access.submissions import SUBMITTED

COMPARISON_WORDS = {"better": "better", "worse": "worse", "similar": "similar", "higher": "higher", "lower": "lower"}


def _present(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _no_value(ask: Ask, draft: Draft, indicator: str, place: str, values: pd.DataFrame) -> Draft:
    """Say plainly that there is no value, and what the newest one is if there is one."""
    name, where = ask.indicator_name(indicator), ask.lookup.place_name(place)
    own = values[(values["geography_code"] == place) & values["value"].notna()] if not values.empty else values
    asked = ask.query.when.period
    if own.empty:
        reason = ask.lookup.missing_reason(indicator, place)
        return draft.say(f"I have no values of *{name}* for {where}" + (f" ({reason})." if reason else "."))
    newest = own.iloc[-1]
    back = ask.query.when.months_back
    label = asked.label if asked is not None else periods_before(str(newest["period"]), back) if back else None
    when = f" for {period_text(label)}" if label else ""
    held = period_text(newest["period"], months=False)
    draft.choices = [(f"{held} instead", f"{name} in {where} for {newest['period']}")]
    if asked is not None and pd.Timestamp(asked.start) > newest["period_end"]:
        return draft.say(f"{period_text(asked.label)} isn't in yet for *{name}* in {where}, so I have no figure "
                         f"for it. The newest I hold is {held}.")
    return draft.say(f"I have no value of *{name}* for {where}{when}. The newest I hold is {held}.")


def subject_for(ask: Ask, indicator: str, subject: str, draft: Draft) -> str | None:
    """The subject, or None (said why) when the indicator is not published at the subject's level:
    never another place's figure in its stead."""
    if ask.lookup.published_for(indicator, subject):
        return subject
    level = ask.lookup.place_level(subject).replace("_", " ").replace("local authority", "council") or "place"
    levels = ask.lookup.indicator(indicator)["geography_levels"] or ""
    held = ", ".join(LEVEL_WORDS.get(key, key) for key in levels.split(";") if key)
    draft.say(f"*{ask.indicator_name(indicator)}* is not published for a {level}"
              + (f" (only for {held})" if held else "") + f", so I have no figure for {ask.lookup.place_name(subject)}.")
    if ask.council and ask.lookup.published_for(indicator, ask.council) and subject != ask.council:
        draft.choices = [(f"{ask.lookup.place_name(ask.council)} instead", f"{ask.indicator_name(indicator)} in {ask.lookup.place_name(ask.council)}")]
    return None


LEVEL_WORDS = {"ward": "wards", "la": "councils", "region": "regions", "country": "England"}


def status_line(ask: Ask, indicator: str, row: pd.Series) -> str | None:
    """'Target 6.0% — 🔴 red.' for a value with a target that year, else None."""
    if not row.get("rag"):
        return None
    if _present(row.get("target_low")) and _present(row.get("target_high")):
        target = f"between {ask.show(indicator, row['target_low'])} and {ask.show(indicator, row['target_high'])}"
    else:
        target = ask.show(indicator, row["target"])
    return f"Target for {row['financial_year']}: {target} — {rag_text(row['rag'])}."


def travel_line(ask: Ask, indicator: str, row: pd.Series) -> str | None:
    """Direction of travel against the previous period and a year earlier."""
    parts = []
    if _present(row.get("previous_value")):
        parts.append(f"{direction_text(row['previous_direction'])} since {period_text(row['previous'], months=False)} "
                     f"({ask.show(indicator, row['previous_value'])})")
    if _present(row.get("year_earlier_value")) and row.get("year_earlier") != row.get("previous"):
        parts.append(f"{direction_text(row['year_earlier_direction'])} on a year earlier "
                     f"({ask.show(indicator, row['year_earlier_value'])} in {period_text(row['year_earlier'], months=False)})")
    return ("Trend: " + "; ".join(parts) + ".") if parts else None


def source_line(ask: Ask, indicator: str, row: pd.Series) -> str:
    """Where the figure comes from, and whether it is provisional."""
    source = row.get("source") or ask.lookup.indicator(indicator)["source"] or "the council's own records"
    if str(source).startswith(SUBMITTED) and pd.notna(row.get("recorded_at")):
        source = f"{source}, {pd.Timestamp(row['recorded_at']):%-d %b %Y}"
    provisional = " (provisional)" if row.get("status") == "provisional" else ""
    commentary = f"\nCommentary: {row['commentary']}" if row.get("commentary") else ""
    return f"_Source: {source}{provisional}._{commentary}"


def begin(ask: Ask) -> tuple[Draft, Places, str | None]:
    """A draft carrying any notes about the places, the places, and the subject answered for — None
    (with the reason said) when there is nothing to answer: no council set, a period still to come,
    an indicator not published for the place, or one held only by breakdowns when none was named."""
    draft = Draft()
    places = resolve_places(ask)
    for note in places.notes:
        draft.say(f"_{note}_")
    asked = ask.query.when.period
    if not places.subject:
        if not places.notes:
            draft.say("Which place do you mean? Name a ward, a council, the region or England "
                      "(and ask your performance team to set PERFBOT_COUNCIL for the council's own area).")
        return draft, places, None
    if asked is not None and asked.start > ask.today:
        draft.say(f"{period_text(asked.label)} is still to come, so there are no figures for it yet.")
        return draft, places, None
    indicator = ask.query.indicator
    subject = subject_for(ask, indicator, places.subject, draft)
    if subject and not ask.query.breakdown and not ask.lookup.has_values(indicator) and ask.lookup.breakdowns(indicator):
        held = ask.lookup.breakdowns(indicator)
        draft.say(f"I hold *{ask.indicator_name(indicator)}* only broken down — which do you mean?")
        draft.choices = [(label, f"{ask.indicator_name(indicator)} {label}") for label in held[:8]]
        draft.facts.update(choices=held[:8])
        return draft, places, None
    unit = ask.lookup.indicator(indicator)["unit"]
    if subject and ask.query.measure == "count" and unit != "count":
        draft.say(f"_You asked how many; I hold *{ask.indicator_name(indicator)}* only as a rate ({unit}), not a count._")
    if subject and ask.query.measure == "rate" and unit == "count":
        draft.say(f"_You asked for a rate; I hold *{ask.indicator_name(indicator)}* only as a count, not per head or as a percentage._")
    return draft, places, subject


def headline(ask: Ask, subject: str, others: list[str], period: str | None) -> str:
    """The question as understood, to check at a glance: "Claimant count rate · Park vs West Midlands · October 2026"."""
    name = ask.indicator_name(ask.query.indicator)
    if ask.query.breakdown:
        name += f" ({ask.query.breakdown})"
    where = ask.lookup.place_name(subject) + (" vs " + ", ".join(ask.lookup.place_name(c) for c in others) if others else "")
    return " · ".join(part for part in (f"*{name}*", where, period_text(period) if period else "") if part)


def answer_value(ask: Ask) -> Draft:
    """The value of an indicator for one place and period, with status, travel and source."""
    indicator = ask.query.indicator
    draft, _, subject = begin(ask)
    draft.facts.update(indicator=indicator, geographies=[subject] if subject else [], period=None, values=[])
    if subject is None:
        return draft
    context = [code for code in (ask.region, ask.country) if code and code != subject]
    values = ask.lookup.values(indicator, [subject, *context], ask.query.breakdown)
    period = _period_or_newest(ask, draft, values, subject)
    draft.facts.update(period=period, breakdown=ask.query.breakdown)
    if period is None:
        return _no_value(ask, draft, indicator, subject, values)
    row = values[(values["geography_code"] == subject) & (values["period"] == period)].iloc[0]
    draft.facts.update(values=[{"geography": subject, "period": period, "value": float(row["value"])}],
                       status=row["rag"], target=_target(row))
    draft.lines.insert(0, headline(ask, subject, [], period) + f": *{ask.show(indicator, row['value'])}*")
    for line in (status_line(ask, indicator, row), travel_line(ask, indicator, row), _versus_words(ask, row)):
        if line:
            draft.say(line)
    draft.say(source_line(ask, indicator, row))
    if ask.query.chart:
        at = values[(values["period"] == period) & values["value"].notna()]
        quoted = [{"geography": code, "period": period, "value": float(at.set_index("geography_code").loc[code, "value"])}
                  for code in [subject, *context] if code in set(at["geography_code"])]
        draft.chart = partial(charting.comparison_data, ask, indicator, period, quoted)
    return draft


def _target(row: pd.Series) -> float | None:
    return float(row["target"]) if _present(row.get("target")) else None


def _versus_words(ask: Ask, row: pd.Series) -> str | None:
    """'Worse than the West Midlands and England.' without numbers (ask to compare for those); not for
    counts, where a bigger place has more whatever it does."""
    if ask.lookup.indicator(row["indicator_code"])["unit"] == "count":
        return None
    parts = []
    places = ask.lookup.store.places
    own = row["geography_code"]
    for key, column in (("vs_region", "region_code"), ("vs_england", "country_code")):
        verdict = row.get(key)
        code = places[column].get(own) if own in places.index else None  # the place's own region, as the status engine
        if verdict and code and code != own:
            parts.append(f"{COMPARISON_WORDS.get(verdict, verdict)} than {ask.lookup.place_name(code)}"
                         if verdict != "similar" else f"similar to {ask.lookup.place_name(code)}")
    return ("Compared with the averages: " + "; ".join(parts) + ".") if parts else None


def answer_compare(ask: Ask) -> Draft:
    """An indicator for a place against its comparators, with the gap and better/worse by polarity."""
    indicator = ask.query.indicator
    draft, places, subject = begin(ask)
    draft.facts.update(indicator=indicator, geographies=[subject] if subject else [], period=None, values=[])
    if subject is None:
        return draft
    comparators = [c for c in places.comparators if c != subject] or _default_comparators(ask, subject)
    if ask.lookup.indicator(indicator)["unit"] == "count" and _sizes_differ(ask, subject, comparators):
        rate = ask.lookup.rate_for(indicator)
        if rate is None:
            return shares.answer_shares(ask, draft, subject, comparators)
        draft.say(f"_{ask.indicator_name(indicator)} is a count, so to compare places of different size "
                  f"here is {ask.indicator_name(rate)}._")
        ask = replace(ask, query=ask.query.but(indicator=rate))
        indicator = rate
    values = ask.lookup.values(indicator, [subject, *comparators], ask.query.breakdown)
    period = _period_or_newest(ask, draft, values, subject)
    draft.facts.update(indicator=indicator, geographies=[subject, *comparators], period=period, values=[],
                       breakdown=ask.query.breakdown)
    if period is None:
        return _no_value(ask, draft, indicator, subject, values)
    at = values[values["period"] == period].set_index("geography_code")
    own = at.loc[subject]
    polarity = ask.lookup.indicator(indicator)["polarity"]
    unit, decimals = ask.lookup.indicator(indicator)["unit"], int(ask.lookup.indicator(indicator)["decimals"])
    subject_name = ask.lookup.place_name(subject)
    draft.lines.insert(0, headline(ask, subject, comparators, period))
    draft.say(f"• {subject_name}: *{ask.show(indicator, own['value'])}*" +
              (f" ({rag_text(own['rag'])} against target)" if own.get("rag") else ""))
    quoted = [{"geography": subject, "period": period, "value": float(own["value"])}]
    for code in comparators:
        name = ask.lookup.place_name(code)
        if code not in at.index or not _present(at.loc[code, "value"]):
            draft.say(f"• {name}: no value for {period_text(period)}")
            continue
        other = float(at.loc[code, "value"])
        quoted.append({"geography": code, "period": period, "value": other})
        verdict = comparison_values([own["value"]], [other], [polarity])[0]
        judged = f" — {verdict}" if verdict in ("better", "worse") else (" — similar" if verdict == "similar" else "")
        draft.say(f"• {name}: {ask.show(indicator, other)} ({subject_name} is "
                  f"{difference_text(float(own['value']), other, unit, decimals)}{judged})")
    draft.facts.update(values=quoted, status=own.get("rag"))
    draft.say(source_line(ask, indicator, own))
    if ask.query.chart or len(quoted) > 4:
        draft.chart = partial(charting.comparison_data, ask, indicator, period, quoted)
    return draft


def _period_or_newest(ask: Ask, draft: Draft, values: pd.DataFrame, subject: str) -> str | None:
    """The period asked for, or the newest when none was asked; None when the asked period is not
    held — the answer then says so and offers the newest, never quoting it in the asked one's place."""
    return ask.lookup.choose_period(values, subject, ask.query.when, ask.today)


def _sizes_differ(ask: Ask, subject: str, comparators: list[str]) -> bool:
    """True when the places compared are of different kinds (a ward and its city, a council and England)."""
    levels = {ask.lookup.place_level(code) for code in [subject, *comparators]}
    return len(levels) > 1


def _default_comparators(ask: Ask, subject: str) -> list[str]:
    """With nothing named to compare with: a ward against its council, the region and England."""
    chain = [ask.lookup.store.places["la_code"].get(subject), ask.region, ask.country]
    return [code for code in dict.fromkeys(chain) if code and code != subject]
