"""What the store's current observations cover — which places, which breakdowns of which
indicators, which indicators a place has — read by skipping through the indexes of current rows
(a "loose index scan": one seek per distinct value) rather than a pass over every observation.
The same recursive SQL runs on SQLite and PostgreSQL; it costs the number of distinct values,
so it stays in milliseconds whether the store holds ten thousand observations or twenty million.

Each seek is written `ORDER BY column LIMIT 1`, not `min(column)`: SQLite turns min() with a
range condition into a walk of the range (ten times slower per seek), and reaches the partial
indexes of current rows only through the ordered form."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import Engine, text

from data_access.database import reading

CURRENT = "FROM observation WHERE superseded_at IS NULL"


def _first(column: str, condition: str) -> str:
    """The first value of `column`, in index order, among the current rows meeting `condition`."""
    return f"(SELECT {column} {CURRENT} AND {condition} ORDER BY {column} LIMIT 1)"


PLACES = f"""
WITH RECURSIVE place(code) AS (
    SELECT {_first('geography_code', "geography_code > ''")}
    UNION ALL
    SELECT {_first('geography_code', 'geography_code > place.code')} FROM place WHERE code IS NOT NULL
) SELECT code FROM place WHERE code IS NOT NULL"""

BREAKDOWNS = f"""
WITH RECURSIVE held(code) AS (
    SELECT {_first('indicator_code', "indicator_code > ''")}
    UNION ALL
    SELECT {_first('indicator_code', 'indicator_code > held.code')} FROM held WHERE code IS NOT NULL
), pair(indicator, breakdown) AS (
    SELECT code, {_first('breakdown', "indicator_code = held.code AND breakdown > ''")} FROM held WHERE code IS NOT NULL
    UNION ALL
    SELECT indicator, {_first('breakdown', 'indicator_code = pair.indicator AND breakdown > pair.breakdown')}
    FROM pair WHERE breakdown IS NOT NULL
) SELECT indicator, breakdown FROM pair WHERE breakdown IS NOT NULL"""


def _held_at(indicators: int, places: int) -> str:
    """Which of `indicators` listed indicators (:indicator_0…) have a current observation for any
    of `places` places (:place_0…): per indicator, one seek per place in the index by place,
    stopping at the first found."""
    wanted = ", ".join(f"(:indicator_{i})" for i in range(indicators))
    at = ", ".join(f":place_{p}" for p in range(places))
    return (f"WITH wanted(code) AS (VALUES {wanted}) SELECT code FROM wanted WHERE EXISTS "
            f"(SELECT 1 {CURRENT} AND geography_code IN ({at}) AND indicator_code = wanted.code)")


def places_with_observations(engine: Engine) -> list[str]:
    """Every place that has a current observation (one seek per place)."""
    with reading(engine) as connection:
        return list(connection.execute(text(PLACES)).scalars())


def breakdown_pairs(engine: Engine) -> list[tuple[str, str]]:
    """(indicator, breakdown) for every breakdown other than the whole population with a current
    observation (one seek per indicator and one per pair)."""
    with reading(engine) as connection:
        return [(str(i), str(b)) for i, b in connection.execute(text(BREAKDOWNS))]


def indicators_at(engine: Engine, places: list[str], among: Iterable[str]) -> set[str]:
    """Those of the indicators `among` with a current observation for any of `places`, in one
    statement (a statement per indicator and place cost a round trip each on PostgreSQL)."""
    among = list(among)
    if not among or not places:
        return set()
    params = {**{f"indicator_{i}": code for i, code in enumerate(among)},
              **{f"place_{p}": code for p, code in enumerate(places)}}
    with reading(engine) as connection:
        return set(connection.execute(text(_held_at(len(among), len(places))), params).scalars())
