"""Answers from the data dictionary: who owns an indicator (`owner`), its target (`target`), what
it means and where it comes from (`definition`), and which indicators cover a subject (`search`)."""
from __future__ import annotations

import math

from rapidfuzz import fuzz

from bot.core.answers.common import Ask, Draft
from bot.core.format import period_text, rag_text, tolerance_text
from data_access.periods import FINANCIAL_YEAR, containing
from intents.indicators import stem
from intents.text import content_words, normalise

POLARITY_WORDS = {"higher_is_better": "higher is better", "lower_is_better": "lower is better",
                  "in_range": "best within a range", "neutral": "neither higher nor lower is better"}
SEARCH_SHOWN = 12


def answer_owner(ask: Ask) -> Draft:
    """Who owns the indicator, their service, and their delegates."""
    draft = Draft()
    code = ask.query.indicator
    info = ask.lookup.indicator(code)
    owner = info["owner_email"]
    draft.facts.update(indicator=code, owner=owner)
    if not owner:
        return draft.say(f"*{info['name']}* has no owner recorded. The performance team can set one.")
    person = ask.lookup.store.person(owner)
    who = f"{person.name} ({owner})" if person else owner
    draft.say(f"*{info['name']}* is owned by {who}" + (f", {info['service']}." if info["service"] else "."))
    delegates = ask.lookup.store.delegates_of(owner)
    if delegates:
        draft.say("Delegate" + ("s" if len(delegates) > 1 else "") + " who may submit values: " + ", ".join(delegates) + ".")
    return draft


def answer_target(ask: Ask) -> Draft:
    """The target for the financial year asked (default this one), and whether the newest value meets it."""
    draft = Draft()
    code = ask.query.indicator
    info = ask.lookup.indicator(code)
    asked = ask.query.when.period
    year = (asked.financial_year if asked is not None and asked.kind != FINANCIAL_YEAR else asked) \
        if asked is not None else containing(ask.today, FINANCIAL_YEAR)
    row = ask.lookup.target(code, ask.council, year.label)
    draft.facts.update(indicator=code, period=year.label, target=None, geographies=[ask.council])
    if row is None:
        others = ask.lookup.store.targets
        others = others[(others["indicator_code"] == code) & (others["geography_code"] == ask.council)]
        if info["polarity"] == "neutral":
            return draft.say(f"*{info['name']}* has no target: it is monitored, not targeted.")
        if others.empty:
            return draft.say(f"*{info['name']}* has no target set.")
        return draft.say(f"*{info['name']}* has no target for {year.label}. Targets are set for "
                         + ", ".join(sorted(others["financial_year"])) + ".")
    if row["target_low"] is not None and not math.isnan(row["target_low"]):
        text = f"between {ask.show(code, row['target_low'])} and {ask.show(code, row['target_high'])}"
        draft.facts["target"] = [float(row["target_low"]), float(row["target_high"])]
    else:
        text = ask.show(code, row["target"])
        draft.facts["target"] = float(row["target"])
    draft.say(f"The {year.label} target for *{info['name']}* in {ask.lookup.place_name(ask.council)} is *{text}* "
              f"({POLARITY_WORDS[info['polarity']]}; amber within {tolerance_text(float(row['amber_tolerance']), info['unit'], int(info['decimals']))}).")
    latest = ask.lookup.values(code, [ask.council])
    latest = latest[(latest["value"].notna()) & (latest["financial_year"] == year.label)]
    if not latest.empty:
        newest = latest.iloc[-1]
        draft.say(f"Newest value: {ask.show(code, newest['value'])} ({period_text(newest['period'], months=False)}) — {rag_text(newest['rag'])}.")
        draft.facts["status"] = newest["rag"]
    return draft


def answer_definition(ask: Ask) -> Draft:
    """What the indicator measures, which way is better, how often, at what levels, and its source."""
    draft = Draft()
    code = ask.query.indicator
    info = ask.lookup.indicator(code)
    draft.facts.update(indicator=code)
    draft.say(f"*{info['name']}* ({code})")
    if info["description"]:
        draft.say(str(info["description"]))
    facts = [f"unit: {info['unit']}", POLARITY_WORDS.get(info["polarity"], info["polarity"])]
    if info["frequency"]:
        facts.append(f"reported {info['frequency']}")
    if info["geography_levels"]:
        facts.append("available for " + ", ".join(
            {"la": "the council", "ward": "wards", "region": "the region", "country": "England"}.get(level, level)
            for level in info["geography_levels"].split(";")))
    draft.say("; ".join(facts).capitalize() + ".")
    if info["source"]:
        draft.say(f"Source: {info['source']}.")
    if info["service"]:
        draft.say(f"Service: {info['service']}" + (f"; portfolio: {info['portfolio']}" if info["portfolio"] else "") + ".")
    if info["aliases"]:
        draft.say("Also called: " + ", ".join(a.strip() for a in info["aliases"].split(";") if a.strip()) + ".")
    return draft


def answer_search(ask: Ask) -> Draft:
    """Indicators whose name, aliases, service, portfolio or description cover the words asked about."""
    draft = Draft()
    words = [stem(w) for w in ask.query.search_words]
    draft.facts.update(includes=[])
    indicators = ask.lookup.store.indicators
    if ask.query.service:
        listed = indicators[(indicators["service"] == ask.query.service) | (indicators["portfolio"] == ask.query.service)]
        return _listing(draft, listed, f"in {ask.query.service}")
    if "own" in words or (ask.query.scope == "own" and not words):  # "which do I own", "list my measures"
        return _owned(ask, draft, [w for w in ask.query.search_words if stem(w) != "own"])
    if not words:
        return draft.say("Which subject? For example: “which indicators do we have about housing?”")
    scored = []
    for row in ask.lookup.store.indicators.itertuples():
        fields = " ".join(str(v) for v in (row.name, row.aliases, row.service, row.portfolio, row.description) if v)
        tokens = {stem(w) for w in content_words(normalise(fields))}
        hits = sum(1 for w in words if w in tokens or any(len(w) >= 5 and fuzz.ratio(w, t) >= 88 for t in tokens))
        if hits:
            in_service = any(w in {stem(t) for t in content_words(normalise(f"{row.service} {row.portfolio}"))} for w in words)
            scored.append((hits + (0.5 if in_service else 0), row.code, row.name))
    scored.sort(key=lambda item: (-item[0], item[2]))
    draft.facts["includes"] = [code for _, code, _ in scored]
    subject = " ".join(ask.query.search_words)
    if not scored:
        return draft.say(f"I found no indicators about “{subject}”. Try another word, or ask “help”.")
    draft.say(f"{len(scored)} indicator{'s' if len(scored) != 1 else ''} about “{subject}”:")
    for _, code, name in scored[:SEARCH_SHOWN]:
        draft.say(f"• {name} ({code})")
    if len(scored) > SEARCH_SHOWN:
        draft.say(f"…and {len(scored) - SEARCH_SHOWN} more.")
    return draft


def _owned(ask: Ask, draft: Draft, named: list[str]) -> Draft:
    """The indicators a person owns: the asker's ("which measures do I own?"), or those of the person
    named ("what indicators does Maya own?"), asked back when the name fits several people and
    refused when it fits nobody — never the asker's list for somebody else's question."""
    indicators = ask.lookup.store.indicators
    if ask.query.person:  # named in full ("which measures does Wendy Ahmed own?")
        person = ask.lookup.store.person(ask.query.person)
        return _listing(draft, indicators[indicators["owner_email"] == ask.query.person], f"that {person.name if person else ask.query.person} owns")
    if ask.query.person_choices:  # "what indicators does Maya own": the Mayas
        chosen = [p for p in (ask.lookup.store.person(email) for email in ask.query.person_choices) if p is not None]
        return _one_owner(ask, draft, chosen, chosen[0].name.split()[0] if chosen else "")
    if not named:
        if ask.person is None:
            return draft.say("I don't know who you are, so I can't list what you own. Name the owner, "
                             "e.g. “which indicators does Maya Rowe own?”")
        return _listing(draft, indicators[indicators["owner_email"] == ask.person.email], "that you own")
    fitting = [p for p in ask.lookup.store.people() if set(named) <= set(content_words(normalise(p.name)))]
    return _one_owner(ask, draft, fitting, " ".join(named).title())


def _one_owner(ask: Ask, draft: Draft, fitting: list, who: str) -> Draft:
    """The indicators of the one person a name fits (of several, those who own indicators), asked
    back when it still fits several and refused when it fits nobody."""
    indicators = ask.lookup.store.indicators
    owners = [p for p in fitting if p.email in set(indicators["owner_email"])]
    fitting = owners or fitting  # "Maya": the Mayas who own indicators
    if not fitting:
        return draft.say(f"I don't know anyone called “{who}”, so I haven't answered. "
                         "Give their full name as the people list has it, e.g. “which indicators does Maya Rowe own?”")
    if len(fitting) > 1:
        draft.choices = [(p.name, f"which indicators does {p.name} own") for p in fitting[:MAX_PEOPLE]]
        return draft.say(f"Which {who} do you mean?")
    person = fitting[0]
    return _listing(draft, indicators[indicators["owner_email"] == person.email], f"that {person.name} owns")


MAX_PEOPLE = 5


def _listing(draft: Draft, rows, scope: str) -> Draft:
    """A list of indicators with their codes ("7 indicators in Children's Services: …")."""
    draft.facts["includes"] = list(rows["code"])
    if rows.empty:
        return draft.say(f"I have no indicators {scope}.")
    draft.say(f"{len(rows)} indicator{'s' if len(rows) != 1 else ''} {scope}:")
    for row in rows.itertuples():
        draft.say(f"• {row.name} ({row.code})")
    return draft
