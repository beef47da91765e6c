"""What the store's current observations cover — which places, which breakdowns of which
indicators, which indicators a place has — read by skipping through the indexes of current rows
(a "loose index scan": one seek per distinct value) rather than a pass over every observation.
The same recursive SQL runs on SQLite and PostgreSQL; it costs the number of distinct values,
so it stays in milliseconds whether the store holds ten thousand observations or twenty million."""
from __future__ import annotations

from sqlalchemy import Engine, text

CURRENT = "FROM observation WHERE superseded_at IS NULL"

PLACES = f"""
WITH RECURSIVE place(code) AS (
    SELECT min(geography_code) {CURRENT}
    UNION ALL
    SELECT (SELECT min(geography_code) {CURRENT} AND geography_code > place.code) FROM place WHERE code IS NOT NULL
) SELECT code FROM place WHERE code IS NOT NULL"""

LATER = f"(SELECT min(breakdown) {CURRENT} AND indicator_code = pair.indicator AND breakdown > pair.breakdown)"
NEXT = f"(SELECT min(indicator_code) {CURRENT} AND indicator_code > pair.indicator)"
BREAKDOWNS = f"""
WITH RECURSIVE pair(indicator, breakdown) AS (
    SELECT first.code, (SELECT min(breakdown) {CURRENT} AND indicator_code = first.code)
    FROM (SELECT min(indicator_code) AS code {CURRENT}) AS first WHERE first.code IS NOT NULL
    UNION ALL
    SELECT CASE WHEN {LATER} IS NULL THEN {NEXT} ELSE pair.indicator END,
           CASE WHEN {LATER} IS NULL THEN (SELECT min(breakdown) {CURRENT} AND indicator_code = {NEXT})
                ELSE {LATER} END
    FROM pair WHERE pair.indicator IS NOT NULL
) SELECT indicator, breakdown FROM pair WHERE breakdown <> ''"""

INDICATORS_AT = f"""
WITH RECURSIVE held(code) AS (
    SELECT min(indicator_code) {CURRENT} AND geography_code = :place
    UNION ALL
    SELECT (SELECT min(indicator_code) {CURRENT} AND geography_code = :place AND indicator_code > held.code)
    FROM held WHERE code IS NOT NULL
) SELECT code FROM held WHERE code IS NOT NULL"""


def places_with_observations(engine: Engine) -> list[str]:
    """Every place that has a current observation (one seek per place)."""
    with engine.connect() as connection:
        return list(connection.execute(text(PLACES)).scalars())


def breakdown_pairs(engine: Engine) -> list[tuple[str, str]]:
    """(indicator, breakdown) for every breakdown other than the whole population with a current
    observation (a few seeks per pair)."""
    with engine.connect() as connection:
        return [(str(i), str(b)) for i, b in connection.execute(text(BREAKDOWNS))]


def indicators_at(engine: Engine, places: list[str]) -> set[str]:
    """The indicators with a current observation for any of `places` (one seek per indicator and place)."""
    held: set[str] = set()
    with engine.connect() as connection:
        for place in places:
            held.update(connection.execute(text(INDICATORS_AT), {"place": place}).scalars())
    return held
