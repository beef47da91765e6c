"""Which entry of the council's data dictionary a published series belongs to. An entry names its
series with `source_indicator` (a Fingertips Indicator ID, a Nomis dataset, an EES column, a tidy
file's indicator name) and `source_measure`; one entry may name several series, `;`-separated, with
their measures `;`-separated in the same order (or one measure for all, or none for any) — the
population of local authorities from Nomis and of wards from a ward profile are one indicator. An
entry takes a series only when their units agree: a percentage never takes a count."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.models import Indicator


def same_unit(entry_unit: str, source_unit: str) -> bool:
    """True when a dictionary entry's unit and a published measure's unit agree (an unknown source
    unit agrees with anything but a count, and a count only with a count)."""
    a, b = entry_unit.strip().lower(), source_unit.strip().lower()
    return a == b or (b in ("", "value") and a != "count")


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
