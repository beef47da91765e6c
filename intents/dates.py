"""Dates in chat about reminders: "tomorrow", "Monday", "next week", "3 December", "3rd Dec 2026",
"2026-12-03", "03/12" — read against an injectable today; always a day after today."""
from __future__ import annotations

import re
from datetime import date, timedelta

from data_access.periods import MONTH_NAMES

DAYS = {name: number for number, names in enumerate((("monday", "mon"), ("tuesday", "tue", "tues"),
        ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
        ("sunday", "sun"))) for name in names}
_MONTHS = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))


def _future(candidate: date, today: date) -> date:
    return candidate if candidate > today else candidate.replace(year=candidate.year + 1)


def read_date(text: str, today: date) -> date | None:
    """The first future date named in normalised `text`, or None."""
    if re.search(r"\btomorrow\b", text):
        return today + timedelta(days=1)
    if re.search(r"\bnext\s+week\b", text):
        return today + timedelta(days=7 - today.weekday())
    found = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if found:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTHS})\.?(?:\s+(\d{{4}}))?\b", text)
    if found is None:
        found = re.search(rf"\b({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(\d{{4}}))?\b", text)
        if found:
            day, month_word, year = found.group(2), found.group(1), found.group(3)
        else:
            day = month_word = year = None
    else:
        day, month_word, year = found.group(1), found.group(2), found.group(3)
    if day:
        try:
            candidate = date(int(year) if year else today.year, MONTH_NAMES[month_word], int(day))
        except ValueError:
            return None
        return candidate if year else _future(candidate, today)
    found = re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", text)
    if found:
        year = int(found.group(3)) if found.group(3) else today.year
        try:
            candidate = date(year + 2000 if year < 100 else year, int(found.group(2)), int(found.group(1)))
        except ValueError:
            return None
        return candidate if found.group(3) else _future(candidate, today)
    found = re.search(r"\b(?:on|until|till|til|next)?\s*(" + "|".join(DAYS) + r")\b", text)
    if found:
        ahead = (DAYS[found.group(1)] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    return None
