"""Groups of councils people name without a comparator group having been imported ("the Black
Country", "the mets"), read from `intents/areas.json`: a sub-region by its members, or the
metropolitan districts of the council's own region. Only places the store holds are members."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

AREAS_FILE = Path(__file__).resolve().parent.parent / "intents" / "areas.json"


@lru_cache(maxsize=1)
def _areas() -> dict[str, dict]:
    return json.loads(AREAS_FILE.read_text(encoding="utf-8"))["areas"]


def area_aliases(region_name: str = "") -> dict[str, str]:
    """Every way of naming an area (lower case) → the area's name; longest first."""
    found = {alias.replace("{region}", region_name.lower()): name for name, area in _areas().items()
             for alias in area["aliases"] if region_name or "{region}" not in alias}
    return dict(sorted(found.items(), key=lambda pair: -len(pair[0])))


def area_members(places: pd.DataFrame, council: str | None) -> dict[str, list[str]]:
    """Each area's member councils held in `places`, the council's own first; areas with fewer than two left out."""
    held = places[places["level"].isin(["local_authority", "county"])]
    region = held.loc[held["code"] == council, "region_code"]
    found: dict[str, list[str]] = {}
    for name, area in _areas().items():
        if "members" in area:
            codes = [code for code in area["members"] if code in set(held["code"])]
        elif region.empty:
            codes = []
        else:
            codes = held[(held["region_code"] == region.iloc[0]) & held["code"].str.startswith(area["prefix"])]["code"].tolist()
        codes = sorted(codes, key=lambda code: code != council)
        if len(codes) >= 2:
            found[name] = codes
    return found
