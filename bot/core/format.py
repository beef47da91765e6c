"""Numbers and words as people expect to read them: values with the indicator's unit and decimals,
differences, RAG and direction of travel in plain English."""
from __future__ import annotations

import math

from data_access.periods import DATE, MONTH, QUARTER, PeriodError, parse_period

RAG_WORDS = {"red": "🔴 red", "amber": "🟠 amber", "green": "🟢 green"}
DIRECTION_WORDS = {"better": "improving", "worse": "getting worse", "no change": "no change",
                   "higher": "up", "lower": "down"}


def number(value: float, decimals: int) -> str:
    """A number with thousands separators and the given decimals."""
    return f"{value:,.{max(decimals, 0)}f}"


def whole_decimals(value: float, unit: str, decimals: int) -> int:
    """The decimals to show: none for a count that is a whole number (10,487 people, never 10,487.0)."""
    return 0 if unit == "count" and float(value).is_integer() else decimals


def value_text(value: float | None, unit: str, decimals: int) -> str:
    """A value with its unit: '6.2%', '27.9 per 1,000', '10,487', '79.4 years'; 'missing' when absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    shown = number(value, whole_decimals(value, unit, decimals))
    if unit == "%":
        return f"{shown}%"
    if unit in ("count", "", None):
        return shown
    if unit == "kg":
        return f"{shown} kg"
    return f"{shown} {unit}"


def difference_text(value: float, other: float, unit: str, decimals: int) -> str:
    """The gap between two values in the unit's terms: '0.5 percentage points higher', '1,203 lower'."""
    gap = value - other
    if round(abs(gap), max(decimals, 0)) == 0:
        return "the same"
    size = number(abs(gap), whole_decimals(gap, unit, decimals))
    word = "higher" if gap > 0 else "lower"
    if unit == "%":
        return f"{size} percentage points {word}"
    return f"{size}{'' if unit in ('count', '') else ' ' + unit} {word}"


def rag_text(rag: str | None) -> str:
    """'🔴 red' etc., or '' when there is no RAG."""
    return RAG_WORDS.get(rag or "", "")


def direction_text(direction: str | None) -> str:
    """'improving' / 'getting worse' / 'no change' / 'up' / 'down', or '' when unknown."""
    return DIRECTION_WORDS.get(direction or "", "")


QUARTER_MONTHS = {1: "Apr–Jun", 2: "Jul–Sep", 3: "Oct–Dec", 4: "Jan–Mar"}


def period_text(label: str | None, months: bool = True) -> str:
    """A period as people write it: '2026-10' → 'October 2026', '2026/27 Q2' → 'Q2 2026/27 (Jul–Sep)'
    (without the months when `months` is False); other labels ('2025/26', '2015 - 17') as they are."""
    if not label:
        return ""
    try:
        period = parse_period(label)
    except PeriodError:
        return label
    if period.kind == MONTH:
        return f"{period.start:%B %Y}"
    if period.kind == DATE:
        return f"{period.start.day} {period.start:%B %Y}"
    if period.kind == QUARTER:
        number = int(label.rsplit("Q", 1)[1])
        return f"Q{number} {label.split()[0]}" + (f" ({QUARTER_MONTHS[number]})" if months else "")
    return label


def tolerance_text(tolerance: float, unit: str, decimals: int) -> str:
    """An amber tolerance in the unit's terms: '1.5 percentage points', '2 per 1,000', '30'."""
    size = number(tolerance, decimals)
    if unit == "%":
        return f"{size} percentage point{'s' if size != '1' else ''}"
    return value_text(tolerance, unit, decimals)


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–-(")
    return cut + "…"

