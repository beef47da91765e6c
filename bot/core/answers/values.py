"""Answers about an indicator's value for a place (`value`) and how places compare (`compare`)."""
from __future__ import annotations

import math
from functools import partial

import pandas as pd

from bot.core import charting
from bot.core.answers.common import Ask, Draft, Places, resolve_places
from bot.core.format import difference_text, direction_text, rag_text
from data_access.status import comparison_values

COMPARISON_WORDS = {"better": "better", "worse": "worse", "similar": "similar", "higher": "higher", "lower": "lower"}


def _present(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _no_value(ask: Ask, draft: Draft, indicator: str, place: str, values: pd.DataFrame) -> Draft:
    """Say plainly that there is no value, and what the newest one is if there is one."""
    name, where = ask.indicator_name(indicator), ask.lookup.place_name(place)
    own = values[(values["geography_code"] == place) & values["value"].notna()]
    asked = ask.query.when.period
    if own.empty:
        return draft.say(f"I have no values of *{name}* for {where}.")
    newest = own.iloc[-1]
    when = f" for {asked.label}" if asked is not None else ""
    return draft.say(f"I have no value of *{name}* for {where}{when}. The newest is "
                     f"*{ask.show(indicator, newest['value'])}* ({newest['period']}).")


def subject_for(ask: Ask, indicator: str, subject: str, draft: Draft) -> str:
    """The subject, or the council when the indicator is not published at the subject's level."""
    if ask.lookup.published_for(indicator, subject):
        return subject
    level = ask.lookup.place_level(subject).replace("_", " ")
    draft.say(f"_{ask.indicator_name(indicator)} is not published for a {level}; "
              f"here is {ask.lookup.place_name(ask.council)} instead._")
    return ask.council


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
        parts.append(f"{direction_text(row['previous_direction'])} since {row['previous']} "
                     f"({ask.show(indicator, row['previous_value'])})")
    if _present(row.get("year_earlier_value")) and row.get("year_earlier") != row.get("previous"):
        parts.append(f"{direction_text(row['year_earlier_direction'])} on a year earlier "
                     f"({ask.show(indicator, row['year_earlier_value'])} in {row['year_earlier']})")
    return ("Trend: " + "; ".join(parts) + ".") if parts else None


def source_line(ask: Ask, indicator: str, row: pd.Series) -> str:
    """Where the figure comes from, and whether it is provisional."""
    source = row.get("source") or ask.lookup.indicator(indicator)["source"] or "the council's own records"
    provisional = " (provisional)" if row.get("status") == "provisional" else ""
    commentary = f"\nCommentary: {row['commentary']}" if row.get("commentary") else ""
    return f"_Source: {source}{provisional}._{commentary}"


def begin(ask: Ask) -> tuple[Draft, Places, str]:
    """A draft carrying any notes about the places, the places, and the subject answered for."""
    draft = Draft()
    places = resolve_places(ask)
    for note in places.notes:
        draft.say(f"_{note}_")
    return draft, places, subject_for(ask, ask.query.indicator, places.subject, draft)


def answer_value(ask: Ask) -> Draft:
    """The value of an indicator for one place and period, with status, travel and source."""
    indicator = ask.query.indicator
    draft, _, subject = begin(ask)
    context = [code for code in (ask.region, ask.country) if code and code != subject]
    values = ask.lookup.values(indicator, [subject, *context])
    period = ask.lookup.choose_period(values, subject, ask.query.when)
    draft.facts.update(indicator=indicator, geographies=[subject], period=period, values=[])
    if period is None:
        return _no_value(ask, draft, indicator, subject, values)
    row = values[(values["geography_code"] == subject) & (values["period"] == period)].iloc[0]
    draft.facts.update(values=[{"geography": subject, "period": period, "value": float(row["value"])}],
                       status=row["rag"], target=_target(row))
    draft.say(f"*{ask.indicator_name(indicator)}* in {ask.lookup.place_name(subject)}, {period}: "
              f"*{ask.show(indicator, row['value'])}*.")
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
    """'Worse than the West Midlands and England.' without numbers (ask to compare for those)."""
    parts = []
    for key, code in (("vs_region", ask.region), ("vs_england", ask.country)):
        verdict = row.get(key)
        if verdict and code != row["geography_code"]:
            parts.append(f"{COMPARISON_WORDS.get(verdict, verdict)} than {ask.lookup.place_name(code)}"
                         if verdict != "similar" else f"similar to {ask.lookup.place_name(code)}")
    return ("Compared with the averages: " + "; ".join(parts) + ".") if parts else None


def answer_compare(ask: Ask) -> Draft:
    """An indicator for a place against its comparators, with the gap and better/worse by polarity."""
    indicator = ask.query.indicator
    draft, places, subject = begin(ask)
    comparators = [c for c in places.comparators if c != subject] or _default_comparators(ask, subject)
    values = ask.lookup.values(indicator, [subject, *comparators])
    period = ask.lookup.choose_period(values, subject, ask.query.when)
    draft.facts.update(indicator=indicator, geographies=[subject, *comparators], period=period, values=[])
    if period is None:
        return _no_value(ask, draft, indicator, subject, values)
    at = values[values["period"] == period].set_index("geography_code")
    own = at.loc[subject]
    polarity = ask.lookup.indicator(indicator)["polarity"]
    unit, decimals = ask.lookup.indicator(indicator)["unit"], int(ask.lookup.indicator(indicator)["decimals"])
    subject_name = ask.lookup.place_name(subject)
    draft.say(f"*{ask.indicator_name(indicator)}*, {period}:")
    draft.say(f"• {subject_name}: *{ask.show(indicator, own['value'])}*" +
              (f" ({rag_text(own['rag'])} against target)" if own.get("rag") else ""))
    quoted = [{"geography": subject, "period": period, "value": float(own["value"])}]
    for code in comparators:
        name = ask.lookup.place_name(code)
        if code not in at.index or not _present(at.loc[code, "value"]):
            draft.say(f"• {name}: no value for {period}")
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


def _default_comparators(ask: Ask, subject: str) -> list[str]:
    """With nothing named to compare with: a ward against its council, the region and England."""
    chain = [ask.lookup.store.places["la_code"].get(subject), ask.region, ask.country]
    return [code for code in dict.fromkeys(chain) if code and code != subject]
