"""Builders of corpus lines: each takes a question as someone would type it and what it is about,
looks the facts up in the data files (tests/corpus/data.py) and returns the JSON line with the
facts a right answer carries."""
from __future__ import annotations

from typing import Any

from tests.corpus.data import COUNCIL, DemoCouncil, Series

FARID = "cllr.farid.mistry@demo-council.example"   # councillor for Park
PATEL = "cllr.ben.patel@demo-council.example"      # councillor for Heath Town
PRIYA = "cllr.priya.evans@demo-council.example"    # Bilston North, cabinet member for Children and Young People
NIKHIL = "cllr.nikhil.quinn@demo-council.example"  # Tettenhall Regis
BEN = "ben.singh@demo-council.example"             # the leader
IMRAN = "imran.jones@demo-council.example"         # director of Children's Services
ZOE = "zoe.gill@demo-council.example"              # performance team
MAYA = "maya.rowe@demo-council.example"            # owns NEET
RACHEL = "rachel.dhillon@demo-council.example"     # owns the claimant rate
NIKHIL_W = "nikhil.walsh@demo-council.example"     # an officer

WARD_OF = {FARID: "E05014851", PATEL: "E05014848", PRIYA: "E05014838", NIKHIL: "E05014854"}


class Lines:
    """Collects corpus lines of one store ('demo' or 'real'); ids are given when the files are written."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.items: list[dict[str, Any]] = []

    def add(self, category: str, who: str | None, question: str, expect: dict[str, Any]) -> dict[str, Any]:
        """Append one question with its expected facts."""
        item = {"id": "", "category": category, "store": self.store, "as": who, "q": question, "expect": expect}
        self.items.append(item)
        return item


def number(value: float) -> float | int:
    """A value as JSON writes it: whole numbers without a decimal point; raw published values with
    many decimals (Fingertips) to the one decimal an answer shows."""
    if float(value).is_integer():
        return int(value)
    return round(value, 2) if round(value, 2) == value else round(value, 1)


def value_facts(series: Series, indicator: str, places: list[str], period: str | None = None,
                breakdown: str = "", intent: str = "value") -> dict[str, Any]:
    """The facts of a value or comparison: the places, the newest common period, each value."""
    period = period or series.latest(indicator, places, breakdown)
    values = {place: series.at(indicator, place, period, breakdown) for place in places}
    missing = [place for place, value in values.items() if value is None]
    if missing:
        raise ValueError(f"no {indicator} {breakdown} for {missing} in {period}")
    return {"intent": intent, "geographies": places, "period": period,
            "values": {place: number(value) for place, value in values.items()}}


class DemoFacts:
    """Expected facts on the demo council."""

    def __init__(self, demo: DemoCouncil) -> None:
        self.demo = demo

    def value(self, indicator: str, place: str = COUNCIL, period: str | None = None) -> dict[str, Any]:
        """A value question."""
        return {**value_facts(self.demo.series, indicator, [place], period), "indicator": indicator}

    def compare(self, indicator: str, places: list[str], period: str | None = None) -> dict[str, Any]:
        """A comparison, subject first."""
        return {**value_facts(self.demo.series, indicator, places, period, intent="compare"), "indicator": indicator}

    def trend(self, indicator: str, place: str = COUNCIL) -> dict[str, Any]:
        """A trend: the newest value, with a chart."""
        facts = value_facts(self.demo.series, indicator, [place], intent="trend")
        return {**facts, "indicator": indicator, "chart": True}

    def rank(self, indicator: str, highest_first: bool, places: list[str] | None = None, top: int | None = None,
             period: str | None = None, count: int | None = None) -> dict[str, Any]:
        """A ranking of the wards (or of `places`); tied places grouped."""
        period, order = self.demo.ranked(indicator, places or self.demo.wards(), highest_first, period, top)
        facts: dict[str, Any] = {"intent": "rank", "indicator": indicator, "period": period, "ranked": order}
        if count:
            facts["ranked_count"] = count
        return facts

    def best_first(self, indicator: str) -> bool:
        """Whether the best place has the highest value."""
        return self.demo.indicators[indicator]["polarity"] == "higher_is_better"

    def red(self, service: str | None = None) -> dict[str, Any]:
        """A status question: the red measures (of one service)."""
        facts: dict[str, Any] = {"intent": "status", "red": self.demo.red(service)}
        if service:
            facts["service"] = service
        return facts

    def owner(self, indicator: str) -> dict[str, Any]:
        """Who owns an indicator."""
        return {"intent": "owner", "indicator": indicator, "owner": self.demo.indicators[indicator]["owner_email"]}

    def target(self, indicator: str, year: str = "2026/27") -> dict[str, Any]:
        """The council's target for a year."""
        return {"intent": "target", "indicator": indicator, "target": self.demo.target(indicator, year), "period": year}

    def definition(self, indicator: str) -> dict[str, Any]:
        """What an indicator means."""
        return {"intent": "definition", "indicator": indicator}

    def search(self, *codes: str) -> dict[str, Any]:
        """Which indicators there are about a subject."""
        return {"intent": "search", "includes": list(codes)}


def refuse(mentions: str | None = None) -> dict[str, Any]:
    """No numbers at all: the answer says what it could not place (or asks back)."""
    return {"refuse": True, **({"mentions": mentions} if mentions else {})}


def ask(*choices: str) -> dict[str, Any]:
    """A question back offering these choices (place or indicator codes)."""
    return {"ask": True, **({"choices": list(choices)} if choices else {})}


def only(mentions: str, *places: str) -> dict[str, Any]:
    """Names what it could not place; any value quoted is for `places` only (never a substitute)."""
    return {"mentions": mentions, "values_within": list(places)}
