"""The person picker of the web demo: everyone in the people table grouped by what they do
(leadership, directors, cabinet members, ward councillors, KPI owners, performance team, other
officers), each with a line saying who they are and a few questions that suit them, plus a visitor
the bot does not know. The page opens as the first of the ward councillors: the sample council's
councillor for Park, as the README says, is listed first."""
from __future__ import annotations

from typing import Any

from bot.core.messages import Person
from bot.core.people import from_row
from data_access.store import Store
from schedules.notices import short_name, spoken_name

VISITOR = ""
OPENS_AS = "cllr.farid.mistry@demo-council.example"  # the README's "councillor for Park", first in their group
# (role, group heading, example questions), in the order the picker shows them.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("leadership", "Leadership", ("Which measures are red?", "Show me the trend in recycling since 2023",
                                  "rank the west midlands councils on council tax collection")),
    ("director", "Directors", ("How is {service} doing?", "Which measures are red?", "life expectancy")),
    ("cabinet_member", "Cabinet members", ("tell me about my ward", "unemployment in my ward vs region",
                                           "which wards have the highest child poverty?")),
    ("councillor", "Ward councillors", ("unemployment in my ward vs region", "tell me about my ward",
                                        "top 5 wards for fly tipping last month")),
    ("kpi_owner", "KPI owners", ("What returns do I owe?", "submit value", "help")),
    ("performance_team", "Performance team", ("Which measures are red?", "Who owns temporary accommodation?",
                                              "What does KSI mean?")),
    ("officer", "Officers and delegates", ("What returns do I owe?", "submit value", "help")),
)
# A person goes in the group of the first of these roles they hold (a director also has 'leadership').
PRIORITY = ("director", "leadership", "cabinet_member", "councillor", "kpi_owner", "performance_team", "officer")
VISITOR_GROUP = ("Anyone else", ("What's the latest NEET rate?", "unemployment in Park", "life expectancy"))


def _ward(person: Person, store: Store) -> str | None:
    """The name of a councillor's ward."""
    return str(store.places["name"].get(person.ward_code, person.ward_code)) if person.ward_code else None


OWNED_SHOWN, OWNED_NAME = 2, 36  # the indicators a KPI owner's line names, and how long each name may be


def _describe(person: Person, role: str, store: Store, names: dict[str, str]) -> str:
    """Who someone is, in a line: 'Councillor for Park', 'KPI owner, Children's Services: <two names> and 3 more'."""
    ward = _ward(person, store)
    if role == "director":
        return f"Director, {person.service}"
    if role == "leadership":
        return "Leader of the council" if person.has_role("leader") else f"Leadership team, {person.service}"
    if role == "cabinet_member":
        return f"Cabinet member for {person.portfolio}; councillor for {ward}"
    if role == "councillor":
        return f"Councillor for {ward}"
    if role == "kpi_owner":
        owned = sorted(store.indicators.index[store.indicators["owner_email"] == person.email])
        named = [short_name(spoken_name(store, code), OWNED_NAME) for code in owned[:OWNED_SHOWN]]
        more = f" and {len(owned) - OWNED_SHOWN} more" if len(owned) > OWNED_SHOWN else ""
        return f"KPI owner, {person.service}: {'; '.join(named)}{more}"
    if role == "performance_team":
        return f"Performance team, {person.service}"
    for_whom = [names.get(email, email) for email in store.delegators(person.email)]
    return f"Officer, {person.service}" + (f"; delegate for {', '.join(for_whom)}" if for_whom else "")


def picker(store: Store) -> list[dict[str, Any]]:
    """The groups of the person picker in order, each {"group", "people": [{email, name, role, short,
    examples}]}: `role` says who someone is, `short` is their ward or service for the picker's list."""
    people = sorted((from_row(row) for row in store.people()),
                    key=lambda p: (p.email != OPENS_AS, p.name.removeprefix("Cllr "), p.email))
    names = {p.email: p.name for p in people}
    groups: dict[str, list[dict[str, Any]]] = {heading: [] for _, heading, _ in GROUPS}
    others: list[dict[str, Any]] = []
    for person in people:
        role = next((r for r in PRIORITY if person.has_role(r)), None)
        _, heading, examples = next((g for g in GROUPS if g[0] == role), (None, None, ()))
        described = _describe(person, role, store, names) if role else ", ".join(sorted(person.roles)) or "No role"
        entry = {"email": person.email, "name": person.name, "role": described,
                 "short": _ward(person, store) or person.service or described,
                 "examples": [e.format(service=person.service or "the council") for e in examples]}
        (groups[heading] if heading else others).append(entry)
    visitor = {"email": VISITOR, "name": "A visitor", "role": "Not in the people list: published indicators only",
               "short": "published indicators only",
               "examples": list(VISITOR_GROUP[1])}
    listed = [{"group": heading, "people": members} for heading, members in groups.items() if members]
    if others:
        listed.append({"group": "Other people", "people": others})
    return listed + [{"group": VISITOR_GROUP[0], "people": [visitor]}]
