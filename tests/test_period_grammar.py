"""The period grammar, tested by generated combinations: every way UK public-sector staff write a
financial year, a quarter of one, a month with a two-digit year, and the relative forms — each read
as exactly the period written, so a wrong-year reading cannot pass unnoticed."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from intents.parser import Lexicon, parse
from intents.text import normalise
from intents.when import read_when

TODAY = date(2026, 12, 1)
YEARS = range(2016, 2027)
MONTHS = {1: ("jan", "january", "Jan"), 2: ("feb", "february", "Feb"), 3: ("mar", "march", "Mar"),
          4: ("apr", "april", "Apr"), 5: ("may", "May"), 6: ("jun", "june", "Jun"), 7: ("jul", "july", "Jul"),
          8: ("aug", "august", "Aug"), 9: ("sep", "sept", "september", "Sept"), 10: ("oct", "october", "Oct"),
          11: ("nov", "november", "Nov"), 12: ("dec", "december", "Dec")}


def fy_forms(start: int) -> list[str]:
    """A financial year written every way: 2024/25, 2024-25, 24/25, FY24/25, FY 2024-2025…"""
    short, end, short_end = str(start)[2:], start + 1, str(start + 1)[2:]
    bare = [f"{start}/{short_end}", f"{start}-{short_end}", f"{short}/{short_end}", f"{short}-{short_end}",
            f"{start}/{end}", f"{start}-{end}", f"{start}–{short_end}"]
    return bare + [f"FY{form}" for form in bare[:4]] + [f"FY {form}" for form in bare[:2]] + [f"fy{short}-{short_end}"]


def read(text: str):
    when, _ = read_when(normalise(text), TODAY)
    return when.period.label if when.period else None


@pytest.mark.parametrize("start", YEARS)
def test_every_financial_year_form_reads_as_that_year(start):
    expected = f"{start}/{str(start + 1)[2:]}"
    wrong = {form: read(f"NEET for {form}") for form in fy_forms(start)}
    assert {form: label for form, label in wrong.items() if label != expected} == {}


@pytest.mark.parametrize("start", YEARS)
def test_every_quarter_of_a_written_year_reads_in_that_year(start):
    expected_year = f"{start}/{str(start + 1)[2:]}"
    misread = {}
    for number, form in itertools.product(range(1, 5), fy_forms(start)):
        for text in (f"Q{number} {form}", f"{form} Q{number}", f"q{number} of {form}", f"Q{number} in {form}"):
            label = read(f"recycling {text}")
            if label != f"{expected_year} Q{number}":
                misread[text] = label
    assert misread == {}


@pytest.mark.parametrize("start", YEARS)
def test_a_quarter_with_one_year_is_the_financial_year_it_begins(start):
    for number in range(1, 5):
        for text in (f"Q{number} {start}", f"Q{number} {str(start)[2:]}", f"{start} Q{number}"):
            assert read(f"crime {text}") == f"{start}/{str(start + 1)[2:]} Q{number}", text


@pytest.mark.parametrize("number,names", MONTHS.items())
def test_months_with_two_digit_and_full_years(number, names):
    misread = {}
    for name, year in itertools.product(names, range(2019, 2027)):
        for text in (f"{name} {str(year)[2:]}", f"{name}-{str(year)[2:]}", f"{name} '{str(year)[2:]}", f"{name} {year}"):
            label = read(f"unemployment {text}")
            if label != f"{year}-{number:02d}":
                misread[text] = label
    assert misread == {}


@pytest.mark.parametrize("text,expected", [
    ("last FY", "2025/26"), ("previous financial year", "2025/26"), ("this FY", "2026/27"),
    ("end of Q1", "2026/27 Q1"), ("as at March", "2026-03"), ("as of end of Q2", "2026/27 Q2"),
    ("Q4 this year", "2026/27 Q4"), ("Q4 last year", "2025/26 Q4"), ("the second quarter of 2025/26", "2025/26 Q2"),
])
def test_relative_forms(text, expected):
    assert read(f"NEET {text}") == expected


def test_to_date_and_a_year_earlier_are_read_not_dropped():
    for text in ("YTD", "year to date", "so far this year"):
        when, rest = read_when(normalise(f"NEET {text}"), TODAY)
        assert when.phrase == "year to date" and when.period is None and rest == "neet"
    for text in ("same time last year", "this time last year", "the same point a year ago"):
        when, _ = read_when(normalise(f"NEET {text}"), TODAY)
        assert when.months_back == 12, text


def test_an_age_band_is_never_a_financial_year():
    for text in ("NEET aged 16-17", "claimants 18-24s", "16-17 year olds", "ages 19-20"):
        assert read(text) is None, text


def test_a_day_date_names_its_month_and_leaves_no_number_behind():
    when, rest = read_when(normalise("submit 5.1 for NEET 2026-10-01"), TODAY)
    assert when.period.label == "2026-10" and rest == "submit 5.1 for neet"


@pytest.mark.parametrize("number", range(1, 13))
def test_a_day_and_a_month_in_figures_name_their_month(number):
    """"31 March", "the 30th of June 2025", "31/03/2026", "30.09.25": the month of the day written, UK
    order, a day without a year the last one on or before today; "09/25", "9/2025": that month."""
    misread = {}
    for year in range(2019, 2027):
        expected = f"{year}-{number:02d}"
        forms = [f"1/{number}/{year}", f"01/{number:02d}/{str(year)[2:]}", f"1.{number:02d}.{year}",
                 f"1st {MONTHS[number][0]} {year}", f"the 1st of {MONTHS[number][-1]} {year}", f"{number:02d}/{year}"]
        if year % 100 != number + 1:  # "10/11" could be a financial year: asked back, below
            forms.append(f"{number:02d}/{str(year)[2:]}")
        for text in forms:
            label = read(f"unemployment as at {text}")
            if label != expected:
                misread[text] = label
    last = 2026 if (number, 28) <= (TODAY.month, TODAY.day) else 2025
    if number != 5:  # "5 may" alone may be a verb
        for text in (f"28 {MONTHS[number][0]}", f"28th {MONTHS[number][-1]}"):
            if read(f"unemployment as at {text}") != f"{last}-{number:02d}":
                misread[text] = read(f"unemployment as at {text}")
    assert misread == {}


@pytest.mark.parametrize("text", ["fy25", "FY 26", "financial year 2025", "10/11", "12/13", "25/24", "31/02/2026"])
def test_a_period_that_could_be_two_is_asked_back_never_answered_for_the_newest(text, demo_store):
    lexicon = Lexicon.build(demo_store.indicators, demo_store.places, demo_store.council_code(),
                            demo_store.comparator_groups())
    query = parse(f"NEET in {text}", lexicon, TODAY)
    assert query.intent == "unknown" and query.unread_period, (text, query.intent, query.when)
