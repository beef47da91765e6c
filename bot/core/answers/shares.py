"""Comparing a count between places of different size (a ward and its city, the city and England):
never side by side as if alike. A place that contains the subject gets the subject's share of its
total; a place of the same kind is shown beside it; any other is left out, saying why."""
from __future__ import annotations

from bot.core.answers.common import Ask, Draft
from bot.core.format import period_text


def _contains(ask: Ask, outer: str, inner: str) -> bool:
    places = ask.lookup.store.places
    if inner not in places.index:
        return False
    row = places.loc[inner]
    return outer in (row["la_code"], row["region_code"], row["country_code"], row["parent_code"])


def answer_shares(ask: Ask, draft: Draft, subject: str, comparators: list[str]) -> Draft:
    """A count for `subject`, with its share of each containing place's total."""
    from bot.core.answers.values import _no_value, _period_or_newest, headline, source_line

    indicator = ask.query.indicator
    values = ask.lookup.values(indicator, [subject, *comparators], ask.query.breakdown)
    period = _period_or_newest(ask, draft, values, subject)
    draft.facts.update(indicator=indicator, geographies=[subject, *comparators], period=period, values=[])
    if period is None:
        return _no_value(ask, draft, indicator, subject, values)
    at = values[(values["period"] == period) & values["value"].notna()].set_index("geography_code")
    own = float(at.loc[subject, "value"])
    name = ask.lookup.place_name(subject)
    level = ask.lookup.place_level(subject)
    draft.lines.insert(0, headline(ask, subject, comparators, period))
    draft.say(f"• {name}: *{ask.show(indicator, own)}*")
    quoted = [{"geography": subject, "period": period, "value": own}]
    for code in comparators:
        other_name = ask.lookup.place_name(code)
        if code not in at.index:
            draft.say(f"• {other_name}: no value for {period_text(period)}")
            continue
        other = float(at.loc[code, "value"])
        if ask.lookup.place_level(code) == level:
            draft.say(f"• {other_name}: {ask.show(indicator, other)}")
            quoted.append({"geography": code, "period": period, "value": other})
        elif _contains(ask, code, subject) and other:
            draft.say(f"• {name} is *{100 * own / other:.1f}%* of {other_name}'s total")
        else:
            draft.say(f"• {other_name}: not compared — this is a count, and {other_name} is a different size of place.")
    draft.say("_This is a count, so places of different size are compared by share, not side by side._")
    draft.facts.update(values=quoted)
    draft.say(source_line(ask, indicator, at.loc[subject]))
    return draft
