"""Which entry of the council's data dictionary a published series belongs to. An entry names its
series with `source_indicator` (a Fingertips Indicator ID, a Nomis dataset, an EES column, a tidy
file's indicator name) and `source_measure`; one entry may name several series, `;`-separated, with
their measures `;`-separated in the same order (or one measure for all, or none for any) — the
population of local authorities from Nomis and of wards from a ward profile are one indicator. An
entry takes a series only when their units agree: a percentage never takes a count."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.models import Indicator


def unit_key(unit: str) -> str:
    """A unit as written in a dictionary or a publication, in one spelling: 'Percentage', 'percent',
    '%' → '%'; 'Frequency', 'Number', 'count' → 'count'; 'Rate per 1,000' → 'per 1000'."""
    text = (unit or "").strip().lower()
    rate = re.search(r"per\s+([\d,]+)", text)
    if rate:
        return f"per {rate.group(1).replace(',', '')}"
    if "percent" in text or text in ("%", "per cent", "proportion"):
        return "%"
    if text in ("count", "counts", "frequency", "number", "no.", "total"):
        return "count"
    return text


def same_unit(entry_unit: str, source_unit: str) -> bool:
    """True when a dictionary entry's unit and a published measure's unit agree (an unknown source
    unit agrees with anything but a count, and a count only with a count)."""
    a, b = unit_key(entry_unit), unit_key(source_unit)
    return a == b or (b in ("", "value") and a != "count")


def entry_by_name(session: Session, name: str, measure: str, unit: str, bound: set[str]) -> Indicator | None:
    """The entry a published series of this name belongs to when no entry names the series: one
    of this name and measure whose unit agrees, else the one entry of this name that names no
    measure (a council's own dictionary: code, name, unit, polarity) whose unit is the series' unit.
    An entry already `bound` to another series of the same file is never taken again — a file
    holding a Percentage and a Frequency of one name binds the entry to the one its unit says."""
    candidates = [entry for entry in session.scalars(select(Indicator).where(
        func.lower(Indicator.name) == name.strip().lower())).all() if entry.code not in bound]
    for entry in candidates:
        if (entry.measure or "").strip().lower() == measure.strip().lower() and same_unit(entry.unit, unit):
            return entry
    unmeasured = [entry for entry in candidates if not (entry.measure or "").strip() and same_unit(entry.unit, unit)]
    exact = [entry for entry in unmeasured if unit_key(entry.unit) == unit_key(unit)]
    chosen = exact or unmeasured
    return chosen[0] if len(chosen) == 1 else None


def names_series(entry: Indicator, source_indicator: str, source_measure: str) -> bool:
    """True when `entry` names the series `source_indicator` measured as `source_measure`."""
    indicators = [part.strip().lower() for part in (entry.source_indicator or "").split(";")]
    measures = [part.strip().lower() for part in (entry.source_measure or "").split(";")]
    for position, indicator in enumerate(indicators):
        if indicator != source_indicator.strip().lower():
            continue
        measure = measures[position] if len(measures) == len(indicators) else measures[0]
        if measure in ("", source_measure.strip().lower()):
            return True
    return False


def entry_naming(session: Session, source_indicator: str, source_measure: str, unit: str) -> Indicator | None:
    """The dictionary entry that names this published series with a unit that agrees (one naming
    the measure too before one naming any measure), or None."""
    candidates = session.scalars(select(Indicator).where(
        func.lower(Indicator.source_indicator).contains(source_indicator.strip().lower(), autoescape=True))).all()
    named = [entry for entry in candidates if names_series(entry, source_indicator, source_measure)
             and same_unit(entry.unit, unit)]
    return sorted(named, key=lambda entry: not (entry.source_measure or "").strip())[0] if named else None
