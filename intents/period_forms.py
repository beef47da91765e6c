"""The first stage of reading a period: every way UK public-sector staff write a financial year,
a quarter of one or a month with a two-digit year is rewritten into one plain form that
`intents.when` reads — "FY22/23", "2022-23", "22/23", "2022-2023" → "2022/23"; "Q1 24/25",
"2024-25 Q3", "Q3 of FY24-25" → "q1 2024/25"; "Q2 2025", "Q2 25" → "q2 2025/26" (the financial
year it begins); "Sept 25", "Sep-25", "Oct '25" → "sept 2025";
"Jul-Sep 25" → "q2 2025/26"; "last FY" → "last financial year"; "YTD" → "year to date"; "2026-10-01" → "2026-10";
a day names its month: "31 March", "31st March 2026", "31/03/2026" → "march 2026" (a day without a
year is the last one on or before today); a month and year in figures, "09/25", "9/2025" → "september 2025".
A year is never guessed here: a form that could be two things ("FY25", "10/11") is left as it is, and
`unread_period` finds it so that the question is asked back rather than answered for the newest period."""
from __future__ import annotations

import calendar
import re
from datetime import date

from data_access.periods import MONTH_NAMES

_MONTHS = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
_NEXT = re.compile("|".join([r"\b(?:fy\s*)?((?:19|20)?\d{2})\s*(?:/|-)\s*((?:19|20)?\d{2})\b(?![/-]\d)",
                             r"\b((?:19|20)\d{2})\s+(\d{2})\b(?![/-]?\d)"]))
_AGES = re.compile(r"\bage[sd]?\s*$|^\s*(?:year|yr|y)[\s-]*olds?\b|^\s*yo\b|^s\b")
_QUARTER_FIRST = re.compile(r"\bq([1-4])\s+(?:of\s+|in\s+|for\s+)?(?:the\s+)?(?:fy\s*)?(\d{4}/\d{2})\b")
_QUARTER_LAST = re.compile(r"\b(?:fy\s*)?(\d{4}/\d{2})\s+(?:q|quarter\s+)([1-4])\b")
_QUARTER_YEAR = re.compile(r"\bq([1-4])\s*(?:of\s+|in\s+)?'?((?:20)?\d{2})\b(?![/\d.%-])|\b(20\d{2})\s*q([1-4])\b")
_QUARTER_WORD = re.compile(r"\b(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b")
_QUARTER_OF_YEAR = re.compile(r"\bq([1-4])\s+(?:of\s+)?(this|last|previous|current|next)\s+(?:financial\s+|fy\s+)?year\b")
_MONTH_SHORT_YEAR = re.compile(rf"\b({_MONTHS})\.?\s*(?:-|\s|')\s*'?(\d{{2}})\b(?![\d/:.%])")
_FY_WORD = re.compile(r"\bfy\b|\bf/y\b|\bfin\.?\s+(?:yr|year)\b")
_DAY_DATE = re.compile(r"\b(20\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_TO_DATE = re.compile(r"\b(?:ytd|y\.t\.d|year\s+to\s+date|so\s+far\s+this\s+(?:financial\s+)?year)\b")
_SOME_MONTHS = rf"(?:{_MONTHS})\.?(?:\s*(?:-|to)\s*(?:{_MONTHS})\.?)?"  # "october", "jan-mar"
_MONTHS_OF_A_YEAR = re.compile(rf"\b({_SOME_MONTHS})\s+(?:of\s+)?(this|last)\s+year\b")
_QUARTER_MONTHS = re.compile(rf"\b({_MONTHS})\.?\s*(?:-|–|to|until)\s*({_MONTHS})\.?(?:\s*'?((?:20)?\d{{2}}))?\b(?![/\d])")
_DAY_IN_FIGURES = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:20)?\d{2})\b(?![/.-]?\d)")
_DAY_OF_MONTH = re.compile("".join([rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTHS})\.?",
                                     r"(?:\s+'?((?:20)?\d{2}))?\b(?![/\d:.%])"]))
_MONTH_IN_FIGURES = re.compile(r"(?<![\d/.£])\b(0?[1-9]|1[0-2])\s*/\s*((?:20)?\d{2})\b(?![/\d.%])")
_UNREAD = re.compile("|".join([r"(?<![\d.£])\b\d{1,2}\s*/\s*\d{2,4}\b(?![/\d])", r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b",
                               r"\b(?:fy|financial\s+year)\s*'?(?:20)?\d{2}\b(?!\s*[/-]\s*\d)"]))
_QUARTER_STARTS = {4: 1, 7: 2, 10: 3, 1: 4}
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _financial_year(found: re.Match) -> str:
    """"22/23", "2022-23", "2022-2023" as "2022/23" when the second year follows the first;
    anything else (a date, a range of years, a fraction) is left as written."""
    first, second = found.group(1) or found.group(3), found.group(2) or found.group(4)
    start, end = _full_year(first), _full_year(second)
    before, after = found.string[:found.start()], found.string[found.end():]
    short = len(first) == 2 and not found.group(0).startswith("fy")
    if end != start + 1 or (short and start < 2013) or _AGES.search(before) or _AGES.search(after):
        return found.group(0)  # "11/12" may be a day and month; "aged 16-17" is an age band
    return f"{start}/{str(end)[2:]}"


def _quarter_year(found: re.Match) -> str:
    """"Q2 2025", "Q2 25", "2025 Q2": quarter 2 of the financial year beginning in 2025, as councils
    number their quarters (the answer's heading says the months, so the reading can be checked)."""
    number, year = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    start = _full_year(year)
    return f"q{number} {start}/{str(start + 1)[2:]}"


def _month_short_year(today: date):
    def rewrite(found: re.Match) -> str:
        year = 2000 + int(found.group(2))
        if not 2000 < year <= today.year + 1:
            return found.group(0)  # "Oct 31" is a day, not the year 2031
        return f"{found.group(1)} {year}"
    return rewrite


def _day_month(today: date, day: str, month_number: int, year: str | None) -> str | None:
    """The month of a day ("31 March" → "march 2026"), or None when it is no day; without a year, the
    last such day on or before today."""
    try:
        named = date(_full_year(year) if year else today.year, month_number, int(day))
    except ValueError:
        return None
    if not year and named > today:
        named = named.replace(year=named.year - 1) if not (named.month == 2 and named.day == 29) else None
    return f"{calendar.month_name[named.month].lower()} {named.year}" if named else None


def _day_in_figures(today: date):
    def rewrite(found: re.Match) -> str:  # "31/03/2026", "30.09.25": the UK order, day first
        return _day_month(today, found.group(1), int(found.group(2)), found.group(3)) or found.group(0)
    return rewrite


def _day_of_month(today: date):
    def rewrite(found: re.Match) -> str:  # "31 march", "the 30th of June 2025"; "5 may" alone may be a verb
        if found.group(2) == "may" and not found.group(3):
            return found.group(0)
        return _day_month(today, found.group(1), MONTH_NAMES[found.group(2)], found.group(3)) or found.group(0)
    return rewrite


def _month_in_figures(today: date):
    def rewrite(found: re.Match) -> str:  # "09/25", "9/2025"; "10/11" could be a financial year: left
        number, year = int(found.group(1)), _full_year(found.group(2))
        if not 2010 <= year <= today.year + 1 or (len(found.group(2)) == 2 and year % 100 == number + 1):
            return found.group(0)
        return f"{calendar.month_name[number].lower()} {year}"
    return rewrite


def unread_period(text: str) -> str | None:
    """A period-like phrase left in normalised `text` after its periods were read ("10/11", "fy25"): it
    could be two periods, so the question must be asked back, never answered for the newest."""
    found = _UNREAD.search(text)
    return found.group(0) if found else None


def _quarter_months(found: re.Match) -> str:
    """"Jul-Sep 25", "Oct to Dec 2026", "Apr-Jun": the financial-year quarter those three months make."""
    first, last = MONTH_NAMES[found.group(1)], MONTH_NAMES[found.group(2)]
    number = _QUARTER_STARTS.get(first)
    if number is None or (last - first) % 12 != 2:
        return found.group(0)  # "Jan-Jun" is no quarter: left for the reader
    if not found.group(3):
        return f"q{number}"
    start = _full_year(found.group(3)) - (number == 4)
    return f"q{number} {start}/{str(start + 1)[2:]}"


def _quarter_of_year(today: date):
    def rewrite(found: re.Match) -> str:
        start = today.year if today.month >= 4 else today.year - 1
        shift = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1}[found.group(2)]
        start += shift
        return f"q{found.group(1)} {start}/{str(start + 1)[2:]}"
    return rewrite


def plain_periods(text: str, today: date) -> str:
    """Normalised `text` with its periods rewritten into the forms `intents.when` reads."""
    text = _DAY_DATE.sub(lambda found: f"{found.group(1)}-{found.group(2)}", text)  # a day names its month
    text = _DAY_IN_FIGURES.sub(_day_in_figures(today), text)
    text = _DAY_OF_MONTH.sub(_day_of_month(today), text)
    text = _TO_DATE.sub("year to date", text)
    text = _NEXT.sub(_financial_year, text)
    text = _MONTH_IN_FIGURES.sub(_month_in_figures(today), text)
    text = _MONTHS_OF_A_YEAR.sub(  # "october last year", "jan-mar this year": months of that calendar year
        lambda found: f"{found.group(1)} {today.year - (found.group(2) == 'last')}", text)
    text = _QUARTER_MONTHS.sub(_quarter_months, text)
    text = _QUARTER_WORD.sub(lambda found: f"q{_ORDINAL[found.group(1)]}", text)
    text = _QUARTER_LAST.sub(lambda found: f"q{found.group(2)} {found.group(1)}", text)
    text = _QUARTER_FIRST.sub(lambda found: f"q{found.group(1)} {found.group(2)}", text)
    text = _QUARTER_OF_YEAR.sub(_quarter_of_year(today), text)
    text = _QUARTER_YEAR.sub(_quarter_year, text)
    text = _FY_WORD.sub("financial year", text)
    text = _MONTH_SHORT_YEAR.sub(_month_short_year(today), text)
    return " ".join(text.split())
