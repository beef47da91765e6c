"""Numbers and words as people expect to read them: values with the indicator's unit and decimals,
differences, RAG and direction of travel in plain English."""
from __future__ import annotations

import math

RAG_WORDS = {"red": "🔴 red", "amber": "🟠 amber", "green": "🟢 green"}
DIRECTION_WORDS = {"better": "improving", "worse": "getting worse", "no change": "no change",
                   "higher": "up", "lower": "down"}


def number(value: float, decimals: int) -> str:
    """A number with thousands separators and the given decimals."""
    return f"{value:,.{max(decimals, 0)}f}"


def value_text(value: float | None, unit: str, decimals: int) -> str:
    """A value with its unit: '6.2%', '27.9 per 1,000', '10,487', '79.4 years'; 'missing' when absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    shown = number(value, decimals)
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
    size = number(abs(gap), decimals)
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
