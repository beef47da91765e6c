"""Answers that steer the conversation: `help`, a clarifying question when two indicators fit
(`clarify`), what was not understood (`unknown`), and the returns a person owes (`due`)."""
from __future__ import annotations

import re
from datetime import timedelta

from bot.core.answers.common import Ask, Draft
from bot.core.format import period_text, shorten
from data_access.periods import PeriodError, parse_period
from intents.gazetteer import english_place
from schedules.returns import Return, milestones, owners_for, upcoming_returns

EXAMPLES = {  # by role, the questions each kind of user asks most; everyone gets the first list's first three
    "councillor": ["unemployment in my ward vs region", "tell me about my ward", "which wards have the highest child poverty?",
                   "is crime going up?", "alert me when anything in my ward goes red"],
    "kpi_owner": ["what returns do I owe?", "NEET for October is 5.4%", "who owns temporary accommodation?",
                  "what is the target for staff retention this year?"],
    "leadership": ["which measures are red?", "how is Children's Services doing?", "who hasn't submitted?",
                   "what's outstanding for the Q2 report?", "send me the Q2 report"],
    "cabinet_member": ["how is my portfolio doing?", "which measures are red?", "is crime going up?"],
    "performance_team": ["who hasn't submitted?", "which measures are red?", "what's outstanding for the Q2 report?",
                         "which indicators do we have about housing?"],
    "officer": ["what does KSI mean?", "who owns temporary accommodation?", "which indicators do we have about housing?"],
}
GENERAL = ["is crime going up?", "which measures are red?", "what does KSI mean?",
           "which indicators do we have about housing?"]
HELP_EXAMPLES = 6


def examples_for(person) -> list[str]:
    """The example questions for a person's roles (most specific first), without repeats."""
    roles = [role for role in ("councillor", "kpi_owner", "cabinet_member", "leadership", "performance_team", "officer")
             if person is not None and person.has_role(role)]
    found = [example for role in roles for example in EXAMPLES[role]] + GENERAL
    return list(dict.fromkeys(found))[:HELP_EXAMPLES]


def answer_finer(ask: Ask) -> Draft:
    """A question about last week or yesterday: the store holds months, quarters and years."""
    info = ask.lookup.indicator(ask.query.indicator)
    every = {"monthly": "each month", "quarterly": "each quarter", "annual": "each year"}.get(info["frequency"] or "", "by period")
    return Draft(lines=[f"I don't hold figures by {ask.query.when.finer}: *{ask.indicator_name(ask.query.indicator)}* "
                        f"comes {every}, so I haven't answered for “{ask.query.when.phrase}”. Ask for the latest, "
                        "or a month, quarter or year."], facts={"indicator": ask.query.indicator, "refused": True})


def answer_thanks(ask: Ask) -> Draft:
    """A thank-you or an OK, answered as a person would."""
    return Draft(lines=["You're welcome. Ask me anything else about the council's indicators, or type “help”."])


def answer_help(ask: Ask) -> Draft:
    """What the bot can do, with examples for the asker's roles, each a button to ask it."""
    draft = Draft()
    name = f", {ask.person.name.split()[0] if not ask.person.name.startswith('Cllr') else ask.person.name}" if ask.person else ""
    draft.say(f"Hello{name}. Ask me about the council's performance indicators in plain English — values, "
              "comparisons with the region and England, trends, rankings of wards or councils, what is red, "
              "owners, targets and definitions." +
              (" You can also submit your returns by message (“NEET for October is 5.4%”)."
               if ask.person and ask.person.has_role("kpi_owner") else ""))
    examples = examples_for(ask.person)
    draft.say("Try:")
    for example in examples:
        draft.say(f"• {example}")
    draft.say("Follow-ups work too: “and for Penn?”, “as a chart”, “what about last year?”.")
    draft.choices = [(example, example) for example in examples]
    return draft


def answer_clarify(ask: Ask) -> Draft:
    """Ask back: which ward a partial name means, which of the close indicators was meant, or whether
    the one indicator found is meant when some words were not understood — with a button for each."""
    draft = Draft()
    query = ask.query
    if query.place_choices:
        phrase = next((p for role, p in reversed(query.understood) if role == "place"), "that name")
        names = [ask.lookup.place_name(code) for code in query.place_choices]
        draft.facts.update(choices=list(query.place_choices))
        draft.say(f"“{phrase.title()}” is part of {_count_words(len(names))} ward names — which do you mean?"
                  if len(names) > 1 else f"Do you mean {names[0]}?")
        draft.choices = [(name, name) for name in names]
        return draft
    codes = list(query.choices)
    draft.facts.update(choices=codes)
    if not codes:  # "what's the figure for Penn"
        where = next((m.phrase for m in query.places if m.kind in ("named", "my_ward") and m.phrase), "")
        return draft.say(f"Which measure do you mean{' for ' + where.title() if where else ''}? Name it, e.g. "
                         f"“unemployment{' in ' + where.title() if where else ''}”.")
    if query.unmatched and len(codes) == 1:
        draft.say(f"I'm not sure what “{' '.join(query.unmatched[:6])}” means here, so I haven't answered. "
                  f"Did you mean *{ask.indicator_name(codes[0])}*?")
    elif len(codes) == 1:
        draft.say(f"Did you mean *{ask.indicator_name(codes[0])}*?")
    else:
        draft.say("Which one do you mean?")
    draft.choices = [(ask.indicator_name(code), code) for code in codes]
    return draft


def _count_words(count: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(count, str(count))


def answer_unknown(ask: Ask) -> Draft:
    """Say plainly what was not understood — a place it does not know, a breakdown the indicator does
    not have, a subject no indicator covers — and suggest what it does know."""
    draft = Draft()
    query = ask.query
    if query.future:
        when = f" for {query.when.phrase}" if query.when.phrase else ""
        draft.say(f"I only hold figures that have been published or submitted, so I can't say what "
                  f"{'*' + ask.indicator_name(query.indicator) + '*' if query.indicator else 'it'} will be{when}.")
        if query.indicator:
            draft.choices = [("The latest figure", ask.indicator_name(query.indicator))]
        return draft
    if query.unread_period:
        return draft.say(f"I can't tell which period “{query.unread_period}” means, so I haven't answered. Write it as "
                         "a month (“September 2025”), a quarter (“Q2 2025/26”) or a financial year (“2025/26”).")
    if query.why == "asks why" and query.indicator:
        owner = ask.lookup.indicator(query.indicator).get("owner_email") if ask.person else None
        return draft.say(f"I can't tell why from the figures alone. Its owner{' ' + str(owner) if isinstance(owner, str) else ''} "
                         f"knows what lies behind *{ask.indicator_name(query.indicator)}*: ask them, or read the "
                         "commentary in the performance report.")
    if query.why == "no comparator group held":
        return draft.say(f"I hold no comparator group (“{query.unknown_places[0]}”) for "
                         f"{ask.lookup.place_name(ask.council) if ask.council else 'the council'}, so I haven't answered. "
                         "Ask against the region or England, or ask the performance team to import the group.")
    held_nowhere = [english_place(phrase) for phrase in query.unknown_places]
    if query.unknown_places and all(held_nowhere):
        draft.say(f"I hold no figures for {' or '.join(held_nowhere)}, so I haven't answered.")
        draft.say(f"I hold {ask.lookup.place_name(ask.council) if ask.council else 'the council'}'s wards, "
                  "its comparators, the regions and England.")
        return draft
    if query.unknown_places:
        names = " or ".join(f"“{phrase.title()}”" for phrase in query.unknown_places)
        draft.say(f"I don't know a place called {names}, so I haven't answered.")
        if query.place_choices:
            draft.say("Did you mean one of these?")
            draft.choices = [(ask.lookup.place_name(code), ask.lookup.place_name(code)) for code in query.place_choices]
            draft.facts.update(choices=list(query.place_choices))
        else:
            draft.say(f"I know {ask.lookup.place_name(ask.council) if ask.council else 'the council'}'s wards, "
                      "councils, regions and England.")
        return draft
    if query.missing_breakdown and query.indicator:
        held = ask.lookup.breakdowns(query.indicator)
        draft.say(f"I don't hold *{ask.indicator_name(query.indicator)}* broken down by "
                  f"“{' '.join(query.missing_breakdown)}”, so I haven't answered." +
                  (f" I have it for: {', '.join(held)}." if held else " I only have it for the whole population."))
        return draft
    unmatched = " ".join((query.unmatched or query.unused)[:8])
    suggestions = list(query.suggestions)
    if unmatched and suggestions:
        draft.say(f"I'm not sure which indicator you mean by “{unmatched}”, so I haven't answered.")
    elif unmatched:
        draft.say(f"I have no indicator about “{unmatched}”.")
    else:
        draft.say("Sorry, I didn't understand that.")
    draft.facts.update(choices=suggestions)
    if suggestions:
        draft.say("Did you mean one of these?")
        draft.choices = [(ask.indicator_name(code), code) for code in suggestions]
    else:
        draft.say("Ask about an indicator (unemployment, NEET, recycling, crime…) and a place, or type “help” for examples.")
    return draft


def answer_needs_indicator(ask: Ask) -> Draft:
    """An owner/target/definition question without a recognisable indicator."""
    draft = Draft()
    draft.say("Which indicator do you mean? Name it as you would in a report, e.g. “who owns NEET?”.")
    if ask.query.suggestions:
        draft.choices = [(ask.indicator_name(code), code) for code in ask.query.suggestions]
        draft.facts.update(choices=list(ask.query.suggestions))
    return draft


def answer_due(ask: Ask) -> Draft:
    """The returns the asker owes (as owner or delegate) — or, asked "who hasn't submitted" (or by the
    performance team or leadership without saying whose), those outstanding across the council or the
    asker's service; or those of a person named — overdue first, narrowed to the indicator and
    period named."""
    draft = Draft()
    if ask.person is None:
        return draft.say("I don't know who you are, so I can't tell which returns you owe.")
    _calendar(ask, draft)
    everything = _narrowed(ask, ask.lookup.outstanding(ask.council, ask.today))
    named = ask.query.person or _one_of(ask, draft, ask.query.person_choices)
    if named is None and ask.query.person_choices:
        return draft  # which of them: asked back
    if named and named != ask.person.email:
        return _owed_by(ask, draft, named, everything)
    overseer = ask.person.has_role("performance_team") or ask.person.has_role("leadership")
    if ask.query.service or ask.query.scope == "service" or ask.query.everyone or (ask.query.everyone is None and overseer):
        return _outstanding_for_others(ask, draft, everything)
    owners = owners_for(ask.lookup.store, ask.person.email)
    owed = [r for r in everything if r.owner_email in owners]
    _due_facts(ask, draft, owed)
    if not owed:
        owners_column = ask.lookup.store.indicators["owner_email"].fillna("").str.lower()
        if not owners_column.isin(owners).any():
            return draft.say("You don't own or cover any measures, so no returns are due from you. Ask "
                             "“who owns NEET?” to find a measure's owner.")
        draft.say(f"Nothing outstanding: all the {_which(ask)}returns due from you have been submitted — thank you!")
        return _next_due(ask, draft, owners)
    late = [r for r in owed if r.overdue(ask.today)]
    draft.say(f"You owe {len(owed)} return{'s' if len(owed) != 1 else ''}" +
              (f", {len(late)} overdue:" if late else ":"))
    for r in owed:
        behalf = "" if r.owner_email == ask.person.email else f" (for {r.owner_email})"
        draft.say(_due_line(ask, r) + behalf)
    _next_due(ask, draft, owners)
    draft.say("Reply with the value, e.g. “NEET for October is 5.4%”, or use a button.")
    draft.choices = [(f"Submit {shorten(ask.indicator_name(r.indicator_code), 36)} for {period_text(r.period, months=False)}",
                      f"submit value for {r.indicator_code} {r.period}") for r in owed[:5]]
    return draft


NEXT_SHOWN = 3


def _next_due(ask: Ask, draft: Draft, owners: set[str]) -> Draft:
    """The next deadlines of the returns the asker answers for (periods running now)."""
    upcoming = [r for r in upcoming_returns(ask.lookup.store, ask.today, owners)
                if not ask.query.indicator or r.indicator_code == ask.query.indicator]
    if upcoming:
        if ask.query.indicator and not draft.facts.get("period"):  # "when's the next NEET return due": that one
            draft.facts.update(indicator=upcoming[0].indicator_code, period=upcoming[0].period)
        draft.say("Next due:")
        for r in upcoming[:NEXT_SHOWN]:
            draft.say(f"• {ask.indicator_name(r.indicator_code)}, {period_text(r.period, months=False)} — due {r.deadline:%a %d %b %Y}")
    return draft


def _calendar(ask: Ask, draft: Draft) -> None:
    """The reporting calendar's dates for the period the question names ("when's the Q3 return
    deadline?"), before the returns themselves."""
    period = ask.query.when.period
    dates = milestones(ask.lookup.store, period.label) if period is not None else []
    if dates:
        said = "; ".join(f"{milestone} {day:%a %-d %b %Y}" for milestone, day in dates)
        draft.say(f"Reporting calendar for {period_text(period.label, months=False)}: {said}.")


def _narrowed(ask: Ask, owed: list[Return]) -> list[Return]:
    """The returns of the indicator and period the question names, if it names them: a return of that
    period, or one due in it ("what do I need to submit this month")."""
    period, when = ask.query.when.period, ask.query.when
    week = _week_asked(ask)
    if week:  # "due this week", "what's due next week": by deadline, with what is overdue already
        start = ask.today - timedelta(days=ask.today.weekday()) + timedelta(days=7 if week == "next week" else 0)
        owed = [r for r in owed if r.overdue(ask.today) or start <= r.deadline <= start + timedelta(days=6)]
    return [r for r in owed if (not ask.query.indicator or r.indicator_code == ask.query.indicator)
            and (period is None or _within(r.period, period) or period.start <= r.deadline <= period.end)]


def _within(label: str, period) -> bool:
    try:
        owed = parse_period(label)
    except PeriodError:
        return False
    return period.start <= owed.end and owed.start <= period.end


def _week_asked(ask: Ask) -> str:
    """"this week" or "next week" when the question asks the returns due then, else ""."""
    when = ask.query.when
    if re.search(r"\b(?:next|coming)\s+(?:week|fortnight)\b", when.phrase):
        return "next week"
    return "this week" if when.finer == "week" and "this" in when.phrase else ""


def _which(ask: Ask) -> str:
    """"NEET " or "Q2 2026/27 " when the question narrowed the returns, for the sentences about them."""
    parts = [ask.indicator_name(ask.query.indicator)] if ask.query.indicator else []
    if ask.query.when.period is not None:
        parts.append(period_text(ask.query.when.period.label, months=False))
    return " ".join(parts) + " " if parts else ""


STAFF_ROLES = ("performance_team", "leadership", "director", "kpi_owner", "officer")


def _one_of(ask: Ask, draft: Draft, emails: tuple[str, ...]) -> str | None:
    """Of the people a first name may be, the one whose returns the asker covers ("what does Imran
    still owe", asked by Imran Dhillon's delegate), else the one who answers for the return named (or
    for any return); when none or several, the asker is asked which (None)."""
    if not emails:
        return None
    store = ask.lookup.store
    owning = store.indicators["owner_email"].fillna("").str.lower()
    if ask.query.indicator:
        owning = owning[store.indicators["code"] == ask.query.indicator]
    narrowings = ([email for email in emails if email in owners_for(store, ask.person.email)],  # whom the asker covers
                  [email for email in emails if owners_for(store, email) & set(owning)])  # who owes that return (any)
    for fitting in narrowings:
        if len(fitting) == 1:
            return fitting[0]
    names = [ask.lookup.store.person(email) for email in emails]
    listed = ", ".join(person.name for person in names if person is not None)
    draft.say(f"I know {len(emails)} people of that name ({listed}). Which one do you mean? Say their full name, "
              f"e.g. “what does {names[0].name if names[0] else emails[0]} owe?”.")
    draft.facts.update(intent="clarify")
    return None


def _owed_by(ask: Ask, draft: Draft, email: str, everything: list[Return]) -> Draft:
    """What a named person owes, for the council's staff (who chase and cover each other's returns);
    a councillor is told that returns are the officers' business."""
    other = ask.lookup.store.person(email)
    name = other.name if other else email
    if not any(ask.person.has_role(role) for role in STAFF_ROLES):
        return draft.say(f"Returns are chased by the council's officers, so I can't tell you what {name} owes. "
                         "The performance team can.")
    owners = owners_for(ask.lookup.store, email) | {email}
    owed = [r for r in everything if r.owner_email in owners]
    _due_facts(ask, draft, owed)
    draft.facts.update(person=email)
    if not owed:
        draft.say(f"{name} has no {_which(ask)}returns outstanding — everything is in.")
        return _next_due(ask, draft, owners)
    late = sum(1 for r in owed if r.overdue(ask.today))
    draft.say(f"{name} still owes {len(owed)} return{'s' if len(owed) != 1 else ''}" + (f", {late} overdue:" if late else ":"))
    for r in owed:
        draft.say(_due_line(ask, r))
    return _next_due(ask, draft, owners)


def _due_line(ask: Ask, owed: Return) -> str:
    state = "*overdue* since" if owed.overdue(ask.today) else "due"
    return f"• {ask.indicator_name(owed.indicator_code)}, {period_text(owed.period, months=False)} — {state} {owed.deadline:%a %d %b %Y}"


def _due_facts(ask: Ask, draft: Draft, owed: list[Return]) -> None:
    """The returns listed, and the measure and period they are of: those asked, else those of the one
    return listed ("when was it due?" after it asks about that one)."""
    draft.facts.update(due=[{"indicator": r.indicator_code, "period": r.period, "deadline": r.deadline.isoformat(),
                             "owner": r.owner_email, "overdue": r.overdue(ask.today)} for r in owed])
    asked, one = ask.query.when.period, owed[0] if len(owed) == 1 else None
    draft.facts.update(indicator=ask.query.indicator or (one.indicator_code if one else None),
                       period=asked.label if asked is not None else one.period if one else None)


def _outstanding_for_others(ask: Ask, draft: Draft, everything: list[Return]) -> Draft:
    """Outstanding returns in the service or portfolio named, for the whole council (performance team,
    leadership) or in the asker's service; to anyone else, one measure's returns without whose they are
    ("why's there no October figure?" from a councillor)."""
    person, named, whose = ask.person, ask.query.service, True
    indicators = ask.lookup.store.indicators
    services = indicators["service"]
    if named and any(person.has_role(role) for role in STAFF_ROLES):  # "what's overdue in adults"
        homes = indicators.index[(services == named) | (indicators["portfolio"] == named)]
        owed, scope = [r for r in everything if r.indicator_code in homes], f"in {named}"
    elif ask.query.indicator and any(person.has_role(role) for role in STAFF_ROLES):  # "is the sickness data in yet"
        owed, scope = everything, "across the council"
    elif person.has_role("performance_team") or (person.has_role("leadership") and not person.has_role("director")):
        owed, scope = everything, "across the council"
    elif person.service and (person.has_role("director") or person.has_role("kpi_owner") or person.has_role("officer")):
        owed = [r for r in everything if services.get(r.indicator_code) == person.service]
        scope = f"in {person.service}"
    elif ask.query.indicator:
        owed, scope, whose = everything, "across the council", False
    else:
        return draft.say("Only the performance team, directors and officers can see who owes returns.")
    _due_facts(ask, draft, owed)
    if not whose:
        for fact in draft.facts["due"]:
            fact["owner"] = None
    if not owed:
        week = _week_asked(ask)
        return draft.say(f"No return {scope} is overdue or falls due {week}." if week else
                         f"Every {_which(ask)}return {scope} is in — nothing outstanding.")
    late = sum(1 for r in owed if r.overdue(ask.today))
    draft.say(f"{len(owed)} return{'s' if len(owed) != 1 else ''} outstanding {scope}, {late} overdue:")
    for r in owed:
        owner = ask.lookup.store.person(r.owner_email) if whose else None
        draft.say(_due_line(ask, r) + (f" — {owner.name if owner else r.owner_email}" if whose else ""))
    return draft
