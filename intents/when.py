"""Periods in questions: "latest", "last month", "last quarter", "this year", "Q1 2025/26",
"March 2025", "since 2023", "over the last 2 years", "in 2025", "3 months ago"… read against an injectable today.
Returns what was asked (`When`) and the text with the phrase taken out."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from data_access.periods import (
    FINANCIAL_YEAR,
    MONTH,
    MONTH_NAMES,
    QUARTER,
    Period,
    PeriodError,
    calendar_year,
    containing,
    financial_year,
    month,
    parse_period,
    quarter,
)
from intents.period_forms import plain_periods

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twelve": 12, "a": 1, "couple": 2, "a couple": 2}
_MONTHS = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"
BARE_MONTHS = "|".join(sorted((name for name in MONTH_NAMES if name not in ("may", "march", "mar")), key=len, reverse=True))
_FY = rf"({_YEAR})\s*/\s*(\d{{2}}|{_YEAR})"
_FROM_MONTH = rf"\b(?:between|from)\s+({_MONTHS})\.?(?:\s+({_YEAR}))?\s+"
_A_YEAR_AGO = r"(?:last\s+year|a\s+year\s+(?:ago|earlier|before))"
_SAME_TIME = r"\b(?:at\s+)?(?:this|the\s+same|same)\s+(?:time|point|period|month|quarter)\s+"
_SOME = rf"(\d+|{'|'.join(NUMBER_WORDS)})"
_SPAN = r"\s+(?:of\s+)?(years?|months?|quarters?)\b"
_SOME_NOT_A = rf"(\d+|{'|'.join(word for word in NUMBER_WORDS if word != 'a')})"
_LAST_WEEK = r"(?:in\s+|for\s+|over\s+)?(?:the\s+)?(?:last|this|past|previous)\s+(week|fortnight)"
_LAST_ONE = r"(?:last|previous)\s+(?:financial\s+)?(year|quarter|month)"
_AS_AT = r"\bas\s+(?:at|of)\s+(?:the\s+end\s+of\s+)?"
_END_OF = r"\b(?:(?:at|by)\s+the\s+)?(?:end|close|start|beginning)\s+of\s+"


@dataclass(frozen=True)
class When:
    """What the question said about time: an exact period, a start ("since"), or nothing (latest)."""

    period: Period | None = None
    since: date | None = None
    phrase: str = ""
    since_year: bool = False
    months_back: int = 0  # "a year ago", "the quarter before": the newest period, this many months earlier
    finer: str = ""  # "last week", "yesterday": a time finer than any period the store holds
    span_months: int = 0  # "over the last 3 years": a span this long, ending at the newest value

    def start_for(self, kind: str) -> date | None:
        """The first day asked for; "since 2023" means since April 2023 for financial-year quarters and years."""
        if self.since is not None and self.since_year and kind in (QUARTER, FINANCIAL_YEAR):
            return date(self.since.year, 4, 1)
        return self.since

    @property
    def latest(self) -> bool:
        """True when no time was named: answer with the newest value."""
        return self.period is None and self.since is None and not self.months_back and not self.finer


def _months_back(today: date, count: int) -> date:
    index = today.year * 12 + today.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _recent_quarter(today: date, number: int) -> Period:
    """Quarter `number` of this financial year if it has begun, else of the year before."""
    this_year = containing(today, FINANCIAL_YEAR)
    candidate = quarter(this_year.start.year, number)
    return candidate if candidate.start <= today else quarter(this_year.start.year - 1, number)


def _fy_label(first: str, second: str) -> Period:
    return parse_period(f"{first}/{second}")


def _rules(today: date):
    this_month = containing(today, MONTH)
    this_quarter = containing(today, QUARTER)
    this_year = containing(today, FINANCIAL_YEAR)

    def last_n(found: re.Match) -> When:
        count = int(found.group(1)) if found.group(1).isdigit() else NUMBER_WORDS[found.group(1)]
        unit = found.group(2)
        months = count * {"year": 12, "month": 1, "quarter": 3}[unit.rstrip("s")]
        return When(since=_months_back(date(today.year, today.month, 1), months), span_months=months)

    def ago(found: re.Match) -> When:
        count = int(found.group(1)) if found.group(1).isdigit() else NUMBER_WORDS[found.group(1)]
        unit = found.group(2).rstrip("s")
        if unit == "year":
            return When(months_back=12 * count)
        return When({"month": this_month, "quarter": this_quarter}[unit].shift(-count))

    def named_month(found: re.Match) -> When:
        number = MONTH_NAMES[found.group(1)]
        year = int(found.group(2)) if found.group(2) else (today.year if number <= today.month else today.year - 1)
        return When(month(year, number))

    def last_named_month(found: re.Match) -> When:  # "last March": the most recent March before this month
        number = MONTH_NAMES[found.group(1)]
        return When(month(today.year if number < today.month else today.year - 1, number))

    def since(found: re.Match) -> When:
        month_word, year = found.group(1), int(found.group(2))
        if month_word:
            return When(since=date(year, MONTH_NAMES[month_word], 1))
        return When(since=date(year, 1, 1), since_year=True)

    def next_one(found: re.Match) -> When:
        unit = found.group(1)
        current = {"month": this_month, "quarter": this_quarter}.get(unit, this_year)
        return When(current.shift(1))

    def between(found: re.Match) -> When:  # "between January and June 2026": the months from one to the other
        first, last, year = MONTH_NAMES[found.group(1)], MONTH_NAMES[found.group(3)], int(found.group(4))
        start_year = int(found.group(2)) if found.group(2) else (year if first <= last else year - 1)
        span = parse_period(f"{MONTH_ABBREVIATIONS[first - 1]} {start_year}-{MONTH_ABBREVIATIONS[last - 1]} {year}")
        return When(span, since=span.start)

    def pooled(found: re.Match) -> When:  # "2019 - 21", as Fingertips writes three years pooled
        first, last = int(found.group(1)), int(found.group(1)[:2] + found.group(2))
        if not 2 <= last - first <= 9:
            raise ValueError("a financial year, not years pooled")
        return When(parse_period(f"{found.group(1)} - {found.group(2)}"))

    return [
        (rf"\b(?:in\s+|for\s+)?({_YEAR})\s+-\s+(\d{{2}})\b(?!\s*/)", pooled),
        (_FROM_MONTH + rf"(?:and|to|until)\s+({_MONTHS})\.?\s+({_YEAR})\b", between),
        (rf"\b((?:{_MONTHS})\.?\s+{_YEAR})\s*(?:-|to|until)\s*((?:{_MONTHS})\.?\s+{_YEAR})\b",
         lambda f: When(parse_period(f"{f.group(1).replace('.', '')}-{f.group(2).replace('.', '')}"))),
        (r"\b(?:in\s+|for\s+)?(?:the\s+)?(?:next|coming|following)\s+(?:financial\s+)?(month|quarter|year)\b", next_one),
        (rf"\b(?:q([1-4])\s*{_FY}|{_FY}\s*q([1-4]))\b",
         lambda f: When(quarter(_fy_label(f.group(2), f.group(3)).start.year, int(f.group(1)))) if f.group(1)
         else When(quarter(_fy_label(f.group(4), f.group(5)).start.year, int(f.group(6))))),
        (r"\b(?:in\s+|for\s+)?q([1-4])\b(?!\s*/)", lambda f: When(_recent_quarter(today, int(f.group(1))))),
        (rf"\b(?:since|from)\s+(?:(?:the\s+)?start\s+of\s+)?(?:({_MONTHS})\s+)?({_YEAR})\b", since),
        (rf"\b(?:since|from)\s+{_FY}\b", lambda f: When(since=_fy_label(f.group(1), f.group(2)).start)),
        (rf"\b(?:since|from)\s+(?:the\s+)?(?:start\s+of\s+)?{_LAST_ONE}\b",
         lambda f: When(since={"year": this_year, "quarter": this_quarter, "month": this_month}[f.group(1)].previous().start)),
        (rf"\b(\d+|{'|'.join(NUMBER_WORDS)})\s+(years?|months?|quarters?)\s+(?:ago|back|earlier)\b", ago),
        (r"\b(?:in\s+)?(?:the\s+)?(year|quarter|month)\s+(?:before|earlier|previously)\b",
         lambda f: When(months_back={"year": 12, "quarter": 3, "month": 1}[f.group(1)])),
        (rf"{_SAME_TIME}{_A_YEAR_AGO}\b",
         lambda f: When(months_back=12)),
        (rf"\b(?:(?:over|in|for|during)\s+)?(?:the\s+)?(?:last|past|previous)\s+{_SOME}{_SPAN}", last_n),
        (rf"\bover\s+(?:the\s+)?{_SOME_NOT_A}\s+(years?|months?|quarters?)\b", last_n),
        (r"\b(?:over|in|during|within)\s+the\s+(?:last|past)\s+(?:year|twelve\s+months)\b",
         lambda f: When(since=_months_back(date(today.year, today.month, 1), 12))),
        (r"\b(?:in\s+|for\s+)?(?:the\s+)?(?:last|previous|past)\s+month\b", lambda f: When(this_month.previous())),
        (r"\b(?:in\s+|for\s+)?this\s+month\b", lambda f: When(this_month)),
        (r"\b(?:in\s+|for\s+)?(?:the\s+)?(?:last|previous|past)\s+quarter\b", lambda f: When(this_quarter.previous())),
        (r"\b(?:in\s+|for\s+)?(?:this|the\s+current)\s+quarter\b", lambda f: When(this_quarter)),
        (r"\b(?:in\s+|for\s+)?(?:the\s+)?(?:last|previous|past)\s+(?:financial\s+)?year\b", lambda f: When(this_year.previous())),
        (r"\b(?:in\s+|for\s+)?(?:this|the\s+current)\s+(?:financial\s+)?year\b", lambda f: When(this_year)),
        (rf"\b(?:in\s+|for\s+)?{_FY}\b", lambda f: When(_fy_label(f.group(1), f.group(2)))),
        (rf"\b({_YEAR})-(0[1-9]|1[0-2])\b", lambda f: When(month(int(f.group(1)), int(f.group(2))))),
        (rf"\b(?:in\s+|for\s+|during\s+)?({_MONTHS})\.?\s+({_YEAR})\b", named_month),
        (rf"\b(?:in|for|during)\s+({_MONTHS})()\b", named_month),
        (rf"\b(?:(?:in|for|during)\s+)?(?:last|this\s+past|this\s+last)\s+({_MONTHS})()\b", last_named_month),
        (rf"\b({_MONTHS})()\s*(?==|:|\bis\b|\bwas\b)", named_month),
        (rf"\b(?:in\s+|for\s+|during\s+)({_YEAR})\b", lambda f: When(calendar_year(int(f.group(1))))),
        (rf"(?<![\d.,£])\b({_YEAR})\b(?![\d.,%])", lambda f: When(calendar_year(int(f.group(1))))),
        (rf"\b({BARE_MONTHS})()\b(?!\s*\d)", named_month),
        (rf"\b(?:{_LAST_WEEK}|(yesterday|last\s+night))\b",
         lambda f: When(finer="week" if f.group(1) else "day")),
        (r"\b(?:(?:in|for)\s+)?(?:the\s+)?(?:next|coming)\s+(?:week|fortnight)\b", lambda f: When()),  # "due next week"
        (r"\b(?:in|for|during|back\s+in)\s+(1[0-8]\d{2})\b", lambda f: When(calendar_year(int(f.group(1))))),
        (r"\b(?:the\s+)?(?:latest|most\s+recent|current|currently|right\s+now|year\s+to\s+date)\b", lambda f: When()),
    ]


YEAR_EARLIER = re.compile(r"\b(?:(?:at\s+)?(?:the\s+)?same\s+(?:time|point|period)|this\s+time)\s+last\s+year\b")
PAIRED = re.compile(r"^(?:vs|v|versus|compared\s+(?:to|with)|against|and|to|or|then)$")


SPAN_SAID = re.compile(r"\b(?:onwards|trends?|trending|over\s+time|changed?|direction|progress|history|since)\b")


def read_when(text: str, today: date) -> tuple[When, str]:
    """The time asked about in normalised `text`, and the text with that phrase removed. Two periods
    set side by side ("Q1 vs Q2", "Sept v Oct") are the span from the earlier to the later."""
    when, rest, start = _one_when(text, today)
    if when.since is not None and when.phrase.startswith("from ") and not SPAN_SAID.search(text) \
            and not re.search(r"\b(?:to|until|till)\b", rest[start or 0:]):
        plain = plain_periods(text, today).replace(when.phrase, "in " + when.phrase[5:], 1)  # "the % from Sept 25"
        when, rest, start = _one_when(plain, today)
    if when.period is None or start is None:
        return when, rest
    if YEAR_EARLIER.search(rest):  # "Q2 same time last year": that quarter a year before
        earlier = when.period.year_earlier()
        return When(earlier, phrase=f"{when.phrase} a year earlier"), " ".join(YEAR_EARLIER.sub(" ", rest).split())
    tail = rest[start:].strip()
    later, after, second = _one_when(tail, today)
    joiner = tail[:second] if second is not None else ""
    if later.period is None or not PAIRED.match(joiner) or later.period.kind != when.period.kind:
        return when, rest
    first, last = sorted((when.period, later.period), key=lambda period: period.start)
    both = f"{when.phrase} {joiner} {later.phrase}"
    return When(last, since=first.start, phrase=both), " ".join((rest[:start] + " " + after).split())


def _one_when(text: str, today: date) -> tuple[When, str, int | None]:
    """The first time phrase of `text`, the text without it, and where it stood in that text."""
    text = plain_periods(text, today)
    text = re.sub(rf"{_END_OF}(?=q[1-4]\b|{_MONTHS}\b|the\s+(?:last|previous)\b)|{_AS_AT}(?=q[1-4]\b|{_MONTHS}\b|\d)",
                  "in ", text)
    for pattern, build in _rules(today):
        found = re.search(pattern, text)
        if found is None:
            continue
        try:
            when = build(found)
        except (PeriodError, KeyError, ValueError):
            continue
        before = " ".join(text[: found.start()].split())
        rest = " ".join((before + " " + text[found.end():]).split())
        return replace(when, phrase=found.group(0).strip()), rest, len(before)
    return When(), text, None


__all__ = ["When", "read_when", "financial_year", "FINANCIAL_YEAR"]
