"""England's councils and regions by name (`england_places.csv`: the ONS ward-to-region lookup's
council, county and region names, with everyday names such as "Hull" and "Bristol"), so that a
place perfbot holds no figures for is named back as such — never read as framing, never answered
for the council instead."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from intents.text import normalise


def _key(name: str) -> str:
    key = normalise(name.replace(",", " "))
    return key[4:] if key.startswith("the ") else key


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Normalised name → the name as published ("bristol city of" and "bristol" → "Bristol, City of")."""
    found: dict[str, str] = {}
    with open(Path(__file__).parent / "england_places.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    published: dict[str, str] = {}
    for row in rows:  # "Bristol, City of" as people say it: "City of Bristol"
        head, _, tail = row["name"].partition(", ")
        published.setdefault(row["code"], f"{tail} {head}" if tail else head)
    for row in rows:
        found[_key(row["name"])] = published[row["code"]]
    return found


def english_place(phrase: str) -> str | None:
    """The published name of the English council or region `phrase` names, or None."""
    return _places().get(_key(phrase))
