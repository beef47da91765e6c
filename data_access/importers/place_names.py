"""Places named without a GSS code: names as publications write them ('Bristol, City of',
'Durham', 'Bournemouth5' with a footnote glued on, 'Isle of Anglesey / Ynys Môn', Nomis'
'ladu:Leeds', Defra's '*Total England'), everyday names of councils ('Bristol', 'Hull') and DfE's
three-digit LA codes (202 … 943), matched to the places the store holds.

Everyday names are data: `reference/place_aliases.csv` (code, alias) is shipped with perfbot and
stored with each place of the ONS lookup (`geography.aliases`, `;`-separated, exposed in the
places frame as `aliases`); DfE codes come from `reference/dfe_la_codes.csv` (built from the DfE
files that publish both codes). Only councils, counties, regions and countries are matched by
name — never wards, whose names ('Leeds' in Maidstone, 'North East' in Barnsley) would shadow them,
nor places registered from a file's codes (so a name means the same place whatever was imported
before: re-importing a file changes nothing)."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import AuditEntry, Geography

REFERENCE = Path(__file__).parent / "reference"
NAMED_LEVELS = ("country", "region", "county", "local_authority")
_SUFFIXES = re.compile(r"(\b(metropolitan borough|london borough|royal borough|borough|district|city|county|"
                       r"metropolitan district)?\s*council|\b(mbc|lb|mdc|bc|dc|cc|ua))$")
_PREFIX = re.compile(r"^(?:[a-z]{2,8}:|\*+\s*|london borough of |royal borough of |city and county of |"
                     r"the )")


@lru_cache(maxsize=1)
def shipped_aliases() -> dict[str, list[str]]:
    """GSS code → the everyday names shipped with perfbot."""
    found: dict[str, list[str]] = {}
    with open(REFERENCE / "place_aliases.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["code"], []).append(row["alias"])
    return found


@lru_cache(maxsize=1)
def dfe_codes() -> dict[str, list[str]]:
    """DfE three-digit LA code → GSS codes it has stood for, oldest first."""
    found: dict[str, list[str]] = {}
    with open(REFERENCE / "dfe_la_codes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["dfe_code"], []).append(row["code"])
    return found


def normalise(name: str) -> str:
    """A place name compared without case, punctuation, glued footnote digits, 'Council' and such:
    'Bournemouth5' → 'bournemouth', 'Bristol, City of' → 'bristol city of', 'St. Helens' → 'st helens'."""
    text = str(name).replace("\u00a0", " ").split(" / ")[0].strip().lower()
    text = re.sub(r"(?<=[a-z)])\d+(,\d+)*$", "", text)  # footnote digits glued to the name
    text = _PREFIX.sub("", text)
    text = text.replace("&", " and ").replace("saint ", "st ").replace("st.", "st ")
    text = re.sub(r"[^a-z0-9 ]", " ", text)
    text = " ".join(text.split())
    text = _SUFFIXES.sub("", text).strip()
    return re.sub(r"^total ", "", re.sub(r" total$", "", text))


class PlaceNames:
    """The councils, counties, regions and countries of the store, found by name or DfE code."""

    def __init__(self, session: Session):
        registered = select(AuditEntry.entity_key).where(AuditEntry.entity == "geography",
                                                          AuditEntry.action == "create")
        rows = session.execute(select(Geography.code, Geography.name, Geography.level, Geography.aliases)
                               .where(Geography.level.in_(NAMED_LEVELS), Geography.code.not_in(registered))).all()
        self.known = {code for code, *_ in rows}
        self.by_name: dict[str, set[str]] = {}
        for code, name, _level, aliases in rows:
            names = [name, *(a for a in (aliases or "").split(";") if a), *shipped_aliases().get(code, [])]
            for each in names:
                key = normalise(each)
                if key:
                    self.by_name.setdefault(key, set()).add(code)
            if "," in name:  # 'Bristol, City of' is also 'City of Bristol'
                head, _, tail = name.partition(",")
                self.by_name.setdefault(normalise(f"{tail} {head}"), set()).add(code)

    def code_of(self, name: str) -> str | None:
        """The one place a name means, or None when it means none or several."""
        codes = self.by_name.get(normalise(name), set())
        return next(iter(codes)) if len(codes) == 1 else None

    def dfe(self, code: str) -> str | None:
        """The place a DfE three-digit LA code stands for in this store (the newest it holds)."""
        held = [gss for gss in dfe_codes().get(code.strip(), []) if gss in self.known]
        return held[-1] if held else None
