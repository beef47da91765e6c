"""Importer for the ONS Ward to Local Authority District to County/UA to Region to Country lookup
(`WDyyCD, WDyyNM, …, LADyyCD, …, RGNyyCD, …, CTRYyyCD, …`, any year): every place and its parent."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from data_access.importers.observations import WriteResult
from data_access.importers.place_names import shipped_aliases
from data_access.importers.reading import Table
from data_access.importers.upsert import upsert_rows
from data_access.models import Geography

LOOKUP_COLUMN = re.compile(r"^(wd|lad|ctyua|cty|rgn|ctry)(\d{2})(cd|nm)$")


def is_ons_lookup(columns: list[str]) -> bool:
    """True when the header has ward and local authority code columns of the ONS lookup."""
    found = {m.group(1) + m.group(3) for m in map(LOOKUP_COLUMN.match, columns) if m}
    return {"wdcd", "ladcd"} <= found


def _column(table: Table, prefix: str, suffix: str) -> str | None:
    for name in table.columns:
        found = LOOKUP_COLUMN.match(name)
        if found and found.group(1) == prefix and found.group(3) == suffix:
            return name
    return None


def import_ons_lookup(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """Wards, local authorities, counties, regions and countries with their parent chain, and the
    everyday names perfbot ships for them ('Bristol' for 'Bristol, City of')."""
    places: dict[str, dict] = {}

    def add(code: str, name: str, level: str, parent: str | None) -> None:
        if code and code not in places:
            places[code] = {"code": code, "name": name, "level": level, "parent_code": parent or None,
                            "aliases": ";".join(shipped_aliases().get(code, []))}

    columns = {key: _column(table, *key.split(":")) for key in
               ("wd:cd", "wd:nm", "lad:cd", "lad:nm", "ctyua:cd", "ctyua:nm", "cty:cd", "cty:nm",
                "rgn:cd", "rgn:nm", "ctry:cd", "ctry:nm")}
    for key in ("wd:cd", "wd:nm", "lad:cd", "lad:nm"):
        if columns[key] is None:
            raise table.refuse(f"the ONS lookup header lacks a {key.replace(':', '').upper()} column")

    def values(key: str) -> list[str]:
        name = columns[key] or columns.get(key.replace("ctyua", "cty"))
        return list(table.text(name)) if name else [""] * len(table.frame)

    ward_codes = table.required_text(columns["wd:cd"])
    rows = zip(ward_codes, values("wd:nm"), values("lad:cd"), values("lad:nm"), values("ctyua:cd"),
               values("ctyua:nm"), values("rgn:cd"), values("rgn:nm"), values("ctry:cd"), values("ctry:nm"))
    for ward, ward_name, lad, lad_name, county, county_name, region, region_name, country, country_name in rows:
        add(country, country_name, "country", None)
        add(region, region_name, "region", country)
        above_lad = region or country
        if county and county != lad:
            add(county, county_name, "county", above_lad)
            above_lad = county
        add(lad, lad_name, "local_authority", above_lad)
        add(ward, ward_name, "ward", lad)
    order = ("country", "region", "county", "local_authority", "ward")
    ordered = sorted(places.values(), key=lambda row: order.index(row["level"]))
    return upsert_rows(session, Geography, ("code",), ordered, actor, now, "geography")
