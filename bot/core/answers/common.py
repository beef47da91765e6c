"""What every answer shares: the question in context (`Ask`), the draft reply being built
(`Draft`), and resolving the places a query mentions into ONS codes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.format import value_text
from bot.core.lookup import Lookup
from bot.core.messages import Person
from intents.places import COUNCIL, ENGLAND, MY_WARD, REGION, THE_WARD
from intents.query import Query


@dataclass
class Ask:
    """One question in context: the query, who asked, the store and today's date."""

    query: Query
    person: Person | None
    lookup: Lookup
    council: str
    today: date

    @property
    def region(self) -> str | None:
        """The council's region."""
        return self.lookup.store.places["region_code"].get(self.council)

    @property
    def country(self) -> str | None:
        """The council's country (England)."""
        return self.lookup.store.places["country_code"].get(self.council)

    def indicator_name(self, code: str) -> str:
        """The indicator's name."""
        return str(self.lookup.indicator(code)["name"])

    def show(self, code: str, value: float | None) -> str:
        """A value of indicator `code` with its unit and decimals."""
        row = self.lookup.indicator(code)
        return value_text(value, row["unit"], int(row["decimals"]))


@dataclass
class Draft:
    """An answer being built: lines of text, buttons, the facts behind it, and `chart`, a function
    that builds the chart's data (called only when the chart is drawn)."""

    lines: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    choices: list[tuple[str, str]] = field(default_factory=list)
    chart: Any = None
    form: Any = None
    submitted: Any = None
    files: list[Any] = field(default_factory=list)

    def say(self, line: str) -> Draft:
        """Add a line of text."""
        self.lines.append(line)
        return self


@dataclass
class Places:
    """The places a query is about: the subject first, then what it is compared with."""

    subject: str
    comparators: list[str]
    notes: list[str] = field(default_factory=list)


def resolve_places(ask: Ask) -> Places:
    """Turn the query's place mentions into codes: "my ward" is the asker's ward, "us" the council,
    "the region" and "England" the council's region and country; a comparator group adds its members."""
    codes: list[str] = []
    notes: list[str] = []
    for mention in ask.query.places:
        code: str | None
        if mention.kind in (MY_WARD, THE_WARD):  # "in the ward" not said just before: a councillor's own
            code = ask.person.ward_code if ask.person and ask.person.ward_code else None
            if code is None and mention.phrase in ("here", "where i live"):
                code = ask.council
            if code is None:
                notes.append("You have no ward on record, so I can't tell which ward is yours — name it, "
                             "e.g. “unemployment in Penn”." if mention.kind == MY_WARD else
                             f"Which ward do you mean by “{mention.phrase}”? Name it, e.g. “fly-tipping in Penn”.")
                return Places("", [], notes)
        elif mention.kind == COUNCIL:
            code = ask.council
        elif mention.kind == REGION:
            code = ask.region
        elif mention.kind == ENGLAND:
            code = ask.country
        else:
            code = mention.code
        if code and code not in codes:
            codes.append(code)
    if ask.query.group == "":
        notes.append("No comparator group (such as CIPFA nearest neighbours) has been imported yet, so I've "
                     "compared with the region and England. Import one with `perfbot import`.")
    if ask.query.group:
        members = ask.lookup.store.named_groups(ask.council).get(ask.query.group, [])
        if not codes:
            codes.append(ask.council)
        codes.extend(code for code in members if code not in codes)
    if not codes or not ask.query.subject_named:
        codes.insert(0, ask.council)
    return Places(codes[0], [c for c in codes[1:] if c != codes[0]], notes)
