"""England's places by name (`england_places.csv`, from the ONS ward-to-region lookup of May 2024:
council, county and region names with everyday names such as "Hull", "Bristol" and "Telford", and
every English ward whose name has a word rare in English — "Darlaston South", "Tipton Green"), so
that a place perfbot holds no figures for is named back as such — never read as framing, never
answered for the council instead."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from intents.english import zipf

from intents.text import normalise

DISTINCTIVE = 3.5  # a word of a place name rarer than this in English (Zipf) names that place, not a thing


def _key(name: str) -> str:
    key = normalise(name.replace(",", " "))
    return key[4:] if key.startswith("the ") else key


def _distinctive(word: str) -> bool:
    return len(word) >= 4 and word.isalpha() and zipf(word) < DISTINCTIVE


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Normalised name → the name as published ("bristol city of" and "bristol" → "Bristol, City of");
    a ward only when a word of its name is distinctive ("Park" or "Town Centre" could be anything)."""
    found: dict[str, str] = {}
    with open(Path(__file__).parent / "england_places.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    published: dict[str, str] = {}
    for row in rows:  # "Bristol, City of" as people say it: "City of Bristol"
        head, _, tail = row["name"].partition(", ")
        published.setdefault(row["code"], f"{tail} {head}" if tail else head)
    for row in rows:
        key = _key(row["name"])
        if row["kind"] != "ward" or any(_distinctive(word) for word in key.split()):
            found.setdefault(key, published[row["code"]])
    return found


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    return frozenset(word for name in _places() for word in name.split() if _distinctive(word))


def english_place(phrase: str) -> str | None:
    """The published name of the English council, region or ward `phrase` names, or None."""
    return _places().get(_key(phrase))


def names_a_place(word: str) -> bool:
    """True for a word rare in English that is part of an English place's name ("darlaston",
    "tipton"): standing on its own in a question, it names a place."""
    return word in _place_words()
