"""UK public-sector reporting periods: months, financial-year quarters, financial years,
calendar and academic years, rolling month ranges, pooled years and single dates.

Every period has a kind, an inclusive start and end date and one canonical label; periods sort by
(end, start). `parse_period` reads every format found in council and ONS/OHID/DfE files:
`2026-10`, `March 2026`, `2026/27 Q2`, `2025/26`, `2019`, `Oct 2021-Sep 2022`, `2015 - 17`,
`2020/21 - 24/25`, `2022-06-30`. The financial year starts on 1 April (Q1 = Apr–Jun); the academic
year on 1 September.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

MONTH = "month"
QUARTER = "quarter"
FINANCIAL_YEAR = "financial_year"
CALENDAR_YEAR = "calendar_year"
ACADEMIC_YEAR = "academic_year"
ROLLING = "rolling"
POOLED_YEARS = "pooled_years"
POOLED_FINANCIAL_YEARS = "pooled_financial_years"
DATE = "date"

MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTH_NAMES["sept"] = 9


class PeriodError(ValueError):
    """A period label that cannot be read; the message says which forms are understood."""


@dataclass(frozen=True, order=False)
class Period:
    """A reporting period: its kind, inclusive start and end dates and canonical label."""

    kind: str
    start: date
    end: date
    label: str

    def sort_key(self) -> tuple[date, date]:
        """Periods sort by when they end, then by when they start."""
        return (self.end, self.start)

    def __lt__(self, other: Period) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: Period) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: Period) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: Period) -> bool:
        return self.sort_key() >= other.sort_key()

    def __str__(self) -> str:
        return self.label

    @property
    def financial_year(self) -> Period:
        """The financial year this period ends in (the year whose target applies)."""
        return financial_year_containing(self.end)

    def contains(self, day: date) -> bool:
        """True when `day` falls inside the period."""
        return self.start <= day <= self.end

    def shift(self, steps: int) -> Period:
        """The period `steps` periods of the same kind later (negative: earlier)."""
        if self.kind == MONTH:
            return month(*_add_months(self.start.year, self.start.month, steps))
        if self.kind == QUARTER:
            fy_start, q = _fy_start_year(self.start), (self.start.month - 4) % 12 // 3 + 1
            index = fy_start * 4 + (q - 1) + steps
            return quarter(index // 4, index % 4 + 1)
        if self.kind == FINANCIAL_YEAR:
            return financial_year(self.start.year + steps)
        if self.kind == CALENDAR_YEAR:
            return calendar_year(self.start.year + steps)
        if self.kind == ACADEMIC_YEAR:
            return academic_year(self.start.year + steps)
        if self.kind == DATE:
            return point(_shift_date_years(self.start, steps))
        if self.kind == ROLLING:
            months = _months_between(self.start, self.end)
            first = _add_months(self.start.year, self.start.month, steps * months)
            last = _add_months(self.end.year, self.end.month, steps * months)
            return rolling(first, last)
        if self.kind == POOLED_YEARS:
            width = self.end.year - self.start.year + 1
            return pooled_years(self.start.year + steps * width, self.end.year + steps * width)
        width = self.end.year - self.start.year
        return pooled_financial_years(self.start.year + steps * width, self.end.year - 1 + steps * width)

    def previous(self) -> Period:
        """The period just before this one, of the same kind."""
        return self.shift(-1)

    def year_earlier(self) -> Period:
        """The same period a year earlier (month − 12, quarter − 4, year − 1)."""
        steps = {MONTH: 12, QUARTER: 4}.get(self.kind, 1)
        if self.kind in (ROLLING, POOLED_YEARS, POOLED_FINANCIAL_YEARS):
            return Period(self.kind, _shift_date_years(self.start, -1), _shift_date_years(self.end, -1),
                          _relabel(self.kind, _shift_date_years(self.start, -1), _shift_date_years(self.end, -1)))
        return self.shift(-steps)


def _relabel(kind: str, start: date, end: date) -> str:
    if kind == ROLLING:
        return rolling((start.year, start.month), (end.year, end.month)).label
    if kind == POOLED_YEARS:
        return pooled_years(start.year, end.year).label
    return pooled_financial_years(start.year, end.year - 1).label


def _add_months(year: int, month_number: int, steps: int) -> tuple[int, int]:
    index = year * 12 + (month_number - 1) + steps
    return index // 12, index % 12 + 1


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _shift_date_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _fy_start_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _month_end(year: int, month_number: int) -> date:
    return date(year, month_number, calendar.monthrange(year, month_number)[1])


def _two_digits(year: int) -> str:
    return f"{year % 100:02d}"


def month(year: int, month_number: int) -> Period:
    """A calendar month, labelled `2026-10`."""
    return Period(MONTH, date(year, month_number, 1), _month_end(year, month_number), f"{year}-{month_number:02d}")


def quarter(fy_start_year: int, number: int) -> Period:
    """Quarter `number` (1–4) of the financial year starting in April of `fy_start_year`."""
    if number not in (1, 2, 3, 4):
        raise PeriodError(f"quarter must be 1 to 4, not {number}")
    first_month = (3 + 3 * (number - 1)) % 12 + 1
    year = fy_start_year if number < 4 else fy_start_year + 1
    return Period(QUARTER, date(year, first_month, 1), _month_end(year, first_month + 2),
                  f"{fy_start_year}/{_two_digits(fy_start_year + 1)} Q{number}")


def financial_year(start_year: int) -> Period:
    """The financial year 1 April `start_year` – 31 March next year, labelled `2025/26`."""
    return Period(FINANCIAL_YEAR, date(start_year, 4, 1), date(start_year + 1, 3, 31),
                  f"{start_year}/{_two_digits(start_year + 1)}")


def calendar_year(year: int) -> Period:
    """A calendar year, labelled `2019`."""
    return Period(CALENDAR_YEAR, date(year, 1, 1), date(year, 12, 31), str(year))


def academic_year(start_year: int) -> Period:
    """The academic year 1 September – 31 August, labelled `AY 2023/24`."""
    return Period(ACADEMIC_YEAR, date(start_year, 9, 1), date(start_year + 1, 8, 31),
                  f"AY {start_year}/{_two_digits(start_year + 1)}")


def rolling(first: tuple[int, int], last: tuple[int, int]) -> Period:
    """A range of whole months (e.g. a rolling 12 months), labelled `Oct 2021-Sep 2022`."""
    start, end = date(first[0], first[1], 1), _month_end(*last)
    if end < start:
        raise PeriodError("a month range must end after it starts")
    label = f"{calendar.month_abbr[first[1]]} {first[0]}-{calendar.month_abbr[last[1]]} {last[0]}"
    return Period(ROLLING, start, end, label)


def pooled_years(first: int, last: int) -> Period:
    """Calendar years pooled together (e.g. 3-year life expectancy), labelled `2015 - 17` (the
    spaces keep the label apart from the month `2015-12`)."""
    if last <= first:
        raise PeriodError("pooled years must end after they start")
    return Period(POOLED_YEARS, date(first, 1, 1), date(last, 12, 31), f"{first} - {_two_digits(last)}")


def pooled_financial_years(first_start: int, last_start: int) -> Period:
    """Financial years pooled together, labelled `2020/21 - 24/25`."""
    if last_start <= first_start:
        raise PeriodError("pooled financial years must end after they start")
    return Period(POOLED_FINANCIAL_YEARS, date(first_start, 4, 1), date(last_start + 1, 3, 31),
                  f"{first_start}/{_two_digits(first_start + 1)} - {_two_digits(last_start)}/{_two_digits(last_start + 1)}")


def point(day: date) -> Period:
    """A single date (a snapshot such as a mid-year population estimate), labelled `2022-06-30`."""
    return Period(DATE, day, day, day.isoformat())


def financial_year_containing(day: date) -> Period:
    """The financial year that `day` falls in."""
    return financial_year(_fy_start_year(day))


def containing(day: date, kind: str) -> Period:
    """The month, quarter, financial, calendar or academic year containing `day`."""
    if kind == MONTH:
        return month(day.year, day.month)
    if kind == QUARTER:
        return quarter(_fy_start_year(day), (day.month - 4) % 12 // 3 + 1)
    if kind == FINANCIAL_YEAR:
        return financial_year_containing(day)
    if kind == CALENDAR_YEAR:
        return calendar_year(day.year)
    if kind == ACADEMIC_YEAR:
        return academic_year(day.year if day.month >= 9 else day.year - 1)
    raise PeriodError(f"no period of kind {kind!r} contains a date")


def _century(two_digit: int, near: int) -> int:
    """Expand a two-digit year to the four-digit year nearest after `near`'s century."""
    year = near - near % 100 + two_digit
    year = year + 100 if year < near else year
    if year - near >= 50:  # '2017 - 15' ends before it starts; it is not 2017 to 2115
        raise PeriodError(f"'{two_digit:02d}' ends before {near}: a range must end after it starts")
    return year


def _end_year(first: int, text: str) -> int:
    value = int(text)
    return value if len(text) == 4 else _century(value, first)


def _fy(first: str, second: str) -> int:
    start = int(first)
    if _end_year(start, second) != start + 1:
        raise PeriodError(f"{first}/{second} is not a financial year (the second year must follow the first)")
    return start


_MONTH_WORD = r"([A-Za-z]{3,9})\.?"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "date"),
    (re.compile(r"^(\d{4})/(\d{2}|\d{4})\s*Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^Q([1-4])\s*(\d{4})/(\d{2}|\d{4})$", re.I), "quarter_first"),
    (re.compile(r"^(?:FY\s*)?(\d{4})/(\d{2}|\d{4})$", re.I), "financial_year"),
    (re.compile(r"^(?:AY|academic year)\s*(\d{4})/(\d{2}|\d{4})$", re.I), "academic_year"),
    (re.compile(r"^(\d{4})$"), "calendar_year"),
    (re.compile(rf"^{_MONTH_WORD}\s+(\d{{4}})$"), "month_name"),
    (re.compile(rf"^{_MONTH_WORD}\s+(\d{{4}})\s*(?:-|–|to)\s*{_MONTH_WORD}\s+(\d{{4}})$"), "rolling"),
    (re.compile(r"^(\d{4})\s*(?:-|–|to)\s*(\d{2}|\d{4})$"), "pooled_years"),
    (re.compile(r"^(\d{4})/(\d{2}|\d{4})\s*(?:-|–|to)\s*(\d{2}|\d{4})/(\d{2}|\d{4})$"), "pooled_fy"),
]

FORMS = ("2026-10", "March 2026", "2026/27 Q2", "2025/26", "2019", "Oct 2021-Sep 2022",
         "2015 - 17", "2020/21 - 24/25", "2022-06-30")


def _month_number(word: str) -> int:
    number = MONTH_NAMES.get(word.lower())
    if number is None:
        raise PeriodError(f"{word!r} is not a month name")
    return number


def _build(form: str, groups: tuple[str, ...]) -> Period:
    if form == "month":
        if not 1 <= int(groups[1]) <= 12:
            raise PeriodError(f"'{groups[0]}-{groups[1]}' is not a month ({groups[1]} is not between 01 and 12); "
                              f"write pooled years with spaces, e.g. '2015 - 17', and financial years as '2025/26'")
        return month(int(groups[0]), int(groups[1]))
    if form == "date":
        try:
            return point(date(int(groups[0]), int(groups[1]), int(groups[2])))
        except ValueError as error:
            raise PeriodError(str(error)) from error
    if form == "quarter":
        return quarter(_fy(groups[0], groups[1]), int(groups[2]))
    if form == "quarter_first":
        return quarter(_fy(groups[1], groups[2]), int(groups[0]))
    if form == "financial_year":
        return financial_year(_fy(groups[0], groups[1]))
    if form == "academic_year":
        return academic_year(_fy(groups[0], groups[1]))
    if form == "calendar_year":
        return calendar_year(int(groups[0]))
    if form == "month_name":
        return month(int(groups[1]), _month_number(groups[0]))
    if form == "rolling":
        return rolling((int(groups[1]), _month_number(groups[0])), (int(groups[3]), _month_number(groups[2])))
    if form == "pooled_years":
        first = int(groups[0])
        return pooled_years(first, _end_year(first, groups[1]))
    first = _fy(groups[0], groups[1])
    last = _fy(str(_end_year(first, groups[2])), groups[3])
    return pooled_financial_years(first, last)


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period:
    """Read a period label in any supported form; raises PeriodError saying what is expected."""
    cleaned = " ".join(str(text).split())
    for pattern, form in _PATTERNS:
        found = pattern.match(cleaned)
        if found:
            return _build(form, found.groups())
    raise PeriodError(f"{text!r} is not a period; expected one of: {', '.join(FORMS)}")


# --- periods written in the words of a publication's titles, headers and sheet names ----------

_M = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_YEAR = r"((?:19[5-9]\d|20[0-4]\d))"
_FLAG = re.compile(r"\s*(?:\[\s*([prPR])\s*\]|\(\s*([prPR])\s*\)|\(\s*(provisional|revised|final)\s*\)"
                   r"|\b(provisional|revised)\b|\s([PR])(?=\s*$))", re.I)
_SUPERSCRIPTS = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰")
_IN_TEXT: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?<!\d){_YEAR}\s*(?:-|–|to)\s*{_YEAR}(?!\d)", re.I), "year_to_year"),
    (re.compile(rf"\byear\s+ending\s+{_M}\s+{_YEAR}", re.I), "year_ending"),
    (re.compile(rf"\b{_M}\s*(?:-|–|to)\s*{_M}\s+{_YEAR}", re.I), "month_span"),
    (re.compile(rf"\b{_M}\s+{_YEAR}\s*(?:-|–|to)\s*{_M}\s+{_YEAR}", re.I), "month_range"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_M}\s+{_YEAR}", re.I), "day"),
    (re.compile(rf"\b{_YEAR}\s*[-/]\s*(\d{{2}})\s*,?\s*Q([1-4])\b", re.I), "fy_quarter"),
    (re.compile(rf"\bQ([1-4])\s+{_YEAR}\s*[-/]\s*(\d{{2}})\b", re.I), "quarter_fy"),
    (re.compile(rf"\bQ([1-4])\s*[-\s]\s*{_YEAR}\b|\b{_YEAR}\s*[-\s]?\s*Q([1-4])\b", re.I), "calendar_quarter"),
    (re.compile(rf"\b{_M}\s+{_YEAR}", re.I), "month"),
    (re.compile(rf"\bmid[-\s]?{_YEAR}", re.I), "mid_year"),
    (re.compile(rf"\b(?:FY\s*)?{_YEAR}\s*[-/–]\s*(\d{{2}})(?:\d(?!\d))?(?!\d)", re.I), "financial_year"),
    (re.compile(r"^(\d{2})(\d{2})$"), "compact_financial_year"),
    (re.compile(rf"(?<![\d.]){_YEAR}(?![\d.])"), "calendar_year"),
]


@dataclass(frozen=True)
class FoundPeriod:
    """A period found in a publication's text: the period, whether the text flags it provisional
    ('[p]', '(p)', 'P') and the text left once the period and its flag are taken out."""

    period: Period
    provisional: bool
    rest: str


class _Range(Exception):
    """Text naming a span of several years ('2014-2022'): no single period."""


def _found(form: str, g: tuple[str, ...]) -> Period | None:
    if form == "year_to_year":
        if int(g[1]) == int(g[0]) + 1:  # 'Dedicated schools grant: 2023 to 2024' is the financial year
            return financial_year(int(g[0]))
        raise _Range()
    if form == "year_ending":
        last = (int(g[1]), _month_number(g[0][:3]))
        return rolling(_add_months(last[0], last[1], -11), last)
    if form == "month_span":
        first, last = _month_number(g[0][:3]), _month_number(g[1][:3])
        return rolling((int(g[2]) - (1 if first > last else 0), first), (int(g[2]), last))
    if form == "month_range":
        return rolling((int(g[1]), _month_number(g[0][:3])), (int(g[3]), _month_number(g[2][:3])))
    if form == "day":
        try:
            return point(date(int(g[2]), _month_number(g[1][:3]), int(g[0])))
        except ValueError:
            return None
    if form == "fy_quarter":
        return quarter(_fy(g[0], g[1]), int(g[2]))
    if form == "quarter_fy":
        return quarter(_fy(g[1], g[2]), int(g[0]))
    if form == "calendar_quarter":
        number, year = (int(g[0]), int(g[1])) if g[0] else (int(g[3]), int(g[2]))
        return rolling((year, 3 * number - 2), (year, 3 * number))
    if form == "month":
        return month(int(g[1]), _month_number(g[0][:3]))
    if form == "mid_year":
        return point(date(int(g[0]), 6, 30))
    if form == "financial_year":
        return financial_year(_fy(g[0], g[1]))
    if form == "compact_financial_year":
        first, second = int(g[0]), int(g[1])
        if (first + 1) % 100 != second or 19 <= first <= 20:  # '2021' is a calendar year
            return None
        return financial_year(1900 + first if first >= 50 else 2000 + first)
    return calendar_year(int(g[0]))


@lru_cache(maxsize=8192)
def find_period(text: str) -> FoundPeriod | None:
    """The period a publication's header, title or sheet name gives ('Year ending Dec 1995',
    '2022 [p]', '2020-21 Q1 P', 'Apr-Jun 2023', 'October to December 2022', 'As at 31 December
    2022 (Q3)', '2012 Owned Outright', 'Mid-2020', sheet '8081'), or None when it names none.
    Remembered for the texts met last (a publication's sheets repeat their headers)."""
    cleaned = " ".join(str(text).translate(_SUPERSCRIPTS).replace("\u00a0", " ").replace("_", " ").split())
    try:
        written = parse_period(cleaned)  # written as perfbot writes it: '2026-10'
        if 1950 <= written.start.year < 2050:
            return FoundPeriod(written, False, "")
    except PeriodError:
        pass
    for pattern, form in _IN_TEXT:
        found = pattern.search(cleaned)
        if not found:
            continue
        try:
            period = _found(form, found.groups())
        except PeriodError:
            period = None
        except _Range:
            return None
        if period is None:
            continue
        rest = cleaned[:found.start()] + " " + cleaned[found.end():]
        flag = _FLAG.search(rest)
        provisional = bool(flag and (flag.group(1) or flag.group(2) or flag.group(3) or flag.group(4)
                                     or flag.group(5) or "").lower().startswith("p"))
        if flag:
            rest = rest[:flag.start()] + " " + rest[flag.end():]
        rest = re.sub(r"^(as\s+at|at|as\s+of|year\s+ending|in)\b|\(\s*Q[1-4]\s*\)", " ", rest.strip(), flags=re.I)
        return FoundPeriod(period, provisional, " ".join(rest.split()).strip(" -–:,;"))
    return None
