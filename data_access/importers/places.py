"""Places named by published files: what a GSS code's prefix says about its level, and registering
a place the store lacks when a file names it with a well-formed code of a level perfbot holds (a
district abolished since the ONS lookup's year, a combined authority, a former metropolitan
county), each audited."""
from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.models import Geography

GSS_CODE = re.compile(r"^([ENSWK]\d{2})\d{6}$")
GSS_LEVELS = {"E05": "ward", "E06": "local_authority", "E07": "local_authority", "E08": "local_authority",
              "E09": "local_authority", "E10": "county", "E11": "county", "E47": "county", "E12": "region",
              "E13": "region", "E92": "country", "W05": "ward", "W06": "local_authority", "W92": "country",
              "S13": "ward", "S12": "local_authority", "S92": "country", "N08": "ward", "N09": "local_authority",
              "N92": "country", "K02": "country", "K03": "country", "K04": "country"}
LEVEL_NAMES = {"ward": "ward", "local_authority": "la", "county": "la", "region": "region", "country": "country"}


def place_name(code: str, name: str) -> str:
    """How a registered place is named: Fingertips' 'North West region' is 'North West'; a combined
    authority says so, not to be mistaken for the region 'West Midlands' or 'North East'."""
    name = re.sub(r" region$", "", " ".join(str(name or "").split()))
    if code.startswith("E47") and name and "authority" not in name.lower():
        name += " Combined Authority"
    return name


def register_places(session: Session, codes: pd.Series, names: pd.Series, source: str, actor: str,
                    now: datetime, parents: pd.Series | None = None) -> None:
    """Register the places of `codes` the store lacks, named by `names` (row for row), when the
    code is a well-formed GSS code of a level perfbot holds, under the parent the file gives
    (`parents`, row for row: a ward of older boundaries under its council) when the store holds
    it; audited."""
    distinct = codes.unique().tolist()
    known = set(session.scalars(select(Geography.code).where(Geography.code.in_(distinct))))
    if len(known) == len(distinct):
        return
    fresh = pd.DataFrame({"code": codes, "name": names,
                          "parent": parents.to_numpy() if parents is not None else None})
    fresh = fresh[~fresh["code"].isin(known)].drop_duplicates("code").sort_values("code")
    candidates = {p for p in fresh["parent"].dropna().unique() if p}
    held = set(session.scalars(select(Geography.code).where(Geography.code.in_(candidates)))) if candidates else set()
    for code, raw_name, parent in zip(fresh["code"], fresh["name"], fresh["parent"]):
        found = GSS_CODE.match(code)
        level = GSS_LEVELS.get(found.group(1)) if found else None
        name = place_name(code, raw_name)
        parent = parent if isinstance(parent, str) and parent in held and parent != code else None
        if level and name:
            session.add(Geography(code=code, name=name, level=level, parent_code=parent))
            record_change(session, now, actor, "create", "geography", code, None,
                          {"name": name, "level": level, "parent": parent,
                           "note": "not in the ONS lookup; from " + source})
    session.flush()
