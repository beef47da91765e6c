"""UK reporting periods: every label format found in council and ONS/OHID/DfE files, the canonical
label (which must read back as the same period), refusals, and moving between periods."""
from __future__ import annotations

from datetime import date

import pytest

from data_access.periods import (ACADEMIC_YEAR, CALENDAR_YEAR, DATE, FINANCIAL_YEAR, MONTH, POOLED_FINANCIAL_YEARS,
                                 POOLED_YEARS, QUARTER, ROLLING, Period, PeriodError, containing,
                                 financial_year_containing, parse_period)

FORMATS = [
    # text as found in a file, kind, first day, last day, canonical label
    ("2026-10", MONTH, date(2026, 10, 1), date(2026, 10, 31), "2026-10"),
    ("2024-02", MONTH, date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
    ("March 2026", MONTH, date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
    ("Mar 2026", MONTH, date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
    ("Sept 2022", MONTH, date(2022, 9, 1), date(2022, 9, 30), "2022-09"),
    ("2026/27 Q2", QUARTER, date(2026, 7, 1), date(2026, 9, 30), "2026/27 Q2"),
    ("2022/23 Q3", QUARTER, date(2022, 10, 1), date(2022, 12, 31), "2022/23 Q3"),
    ("Q2 2026/27", QUARTER, date(2026, 7, 1), date(2026, 9, 30), "2026/27 Q2"),
    ("2026/2027 Q4", QUARTER, date(2027, 1, 1), date(2027, 3, 31), "2026/27 Q4"),
    ("2026/27 q1", QUARTER, date(2026, 4, 1), date(2026, 6, 30), "2026/27 Q1"),
    ("2025/26", FINANCIAL_YEAR, date(2025, 4, 1), date(2026, 3, 31), "2025/26"),
    ("2017/18", FINANCIAL_YEAR, date(2017, 4, 1), date(2018, 3, 31), "2017/18"),
    ("FY 2025/26", FINANCIAL_YEAR, date(2025, 4, 1), date(2026, 3, 31), "2025/26"),
    ("1999/00", FINANCIAL_YEAR, date(1999, 4, 1), date(2000, 3, 31), "1999/00"),
    ("AY 2023/24", ACADEMIC_YEAR, date(2023, 9, 1), date(2024, 8, 31), "AY 2023/24"),
    ("2019", CALENDAR_YEAR, date(2019, 1, 1), date(2019, 12, 31), "2019"),
    ("Oct 2021-Sep 2022", ROLLING, date(2021, 10, 1), date(2022, 9, 30), "Oct 2021-Sep 2022"),
    ("Oct 2021 - Sep 2022", ROLLING, date(2021, 10, 1), date(2022, 9, 30), "Oct 2021-Sep 2022"),
    ("Jan 2024-Dec 2024", ROLLING, date(2024, 1, 1), date(2024, 12, 31), "Jan 2024-Dec 2024"),
    ("2015 - 17", POOLED_YEARS, date(2015, 1, 1), date(2017, 12, 31), "2015 - 17"),
    ("2015-2017", POOLED_YEARS, date(2015, 1, 1), date(2017, 12, 31), "2015 - 17"),
    ("2010 - 12", POOLED_YEARS, date(2010, 1, 1), date(2012, 12, 31), "2010 - 12"),
    ("2020/21 - 24/25", POOLED_FINANCIAL_YEARS, date(2020, 4, 1), date(2025, 3, 31), "2020/21 - 24/25"),
    ("2020/21-24/25", POOLED_FINANCIAL_YEARS, date(2020, 4, 1), date(2025, 3, 31), "2020/21 - 24/25"),
    ("2022-06-30", DATE, date(2022, 6, 30), date(2022, 6, 30), "2022-06-30"),
    ("  2026/27   Q2 ", QUARTER, date(2026, 7, 1), date(2026, 9, 30), "2026/27 Q2"),
]


@pytest.mark.parametrize("text, kind, start, end, label", FORMATS)
def test_every_format_reads_as_the_right_period(text, kind, start, end, label):
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)


@pytest.mark.parametrize("text", [row[0] for row in FORMATS])
def test_the_canonical_label_reads_back_as_the_same_period(text):
    period = parse_period(text)
    assert parse_period(period.label) == period
    assert str(period) == period.label


def test_pooled_years_are_not_mistaken_for_a_month():
    # "2010-12" is December 2010; pooled 2010 to 2012 is labelled "2010 - 12" so the two never collide.
    assert parse_period("2010-12").kind == MONTH
    assert parse_period("2010 - 12").kind == POOLED_YEARS
    assert parse_period("2010 - 12").label != parse_period("2010-12").label


@pytest.mark.parametrize("text, says", [
    ("2026-13", "13 is not between 01 and 12"),
    ("2015-17", "pooled years with spaces"),
    ("2026/28", "not a financial year"),
    ("2026/27 Q5", "is not a period"),
    ("Smarch 2026", "not a month name"),
    ("2017 - 15", "must end after it starts"),
    ("2016 - 16", "must end after they start"),
    ("2020/21 - 19/20", "must end after it starts"),
    ("Oct 2022-Sep 2021", "must end after it starts"),
    ("2026-02-30", "day is out of range"),
    ("next year", "expected one of"),
    ("", "expected one of"),
])
def test_unreadable_periods_are_refused_with_a_reason(text, says):
    with pytest.raises(PeriodError, match=says):
        parse_period(text)


def test_the_refusal_lists_the_forms_understood():
    with pytest.raises(PeriodError) as refused:
        parse_period("sometime")
    for form in ("2026-10", "March 2026", "2026/27 Q2", "2025/26", "Oct 2021-Sep 2022", "2015 - 17"):
        assert form in str(refused.value)


@pytest.mark.parametrize("text, previous, year_earlier", [
    ("2026-01", "2025-12", "2025-01"),
    ("2026-10", "2026-09", "2025-10"),
    ("2026/27 Q1", "2025/26 Q4", "2025/26 Q1"),
    ("2026/27 Q4", "2026/27 Q3", "2025/26 Q4"),
    ("2025/26", "2024/25", "2024/25"),
    ("2019", "2018", "2018"),
    ("AY 2023/24", "AY 2022/23", "AY 2022/23"),
    ("2022-06-30", "2021-06-30", "2021-06-30"),
    ("2024-02-29", "2023-02-28", "2023-02-28"),
    ("Oct 2021-Sep 2022", "Oct 2020-Sep 2021", "Oct 2020-Sep 2021"),
    ("Jan 2024-Mar 2024", "Oct 2023-Dec 2023", "Jan 2023-Mar 2023"),
    ("2015 - 17", "2012 - 14", "2014 - 16"),
    ("2020/21 - 24/25", "2015/16 - 19/20", "2019/20 - 23/24"),
])
def test_previous_and_year_earlier_keep_the_kind(text, previous, year_earlier):
    period = parse_period(text)
    assert period.previous().label == previous
    assert period.year_earlier().label == year_earlier
    assert period.previous().kind == period.kind == period.year_earlier().kind


def test_shift_moves_forward_and_back():
    assert parse_period("2026/27 Q3").shift(2).label == "2027/28 Q1"
    assert parse_period("2026-11").shift(14).label == "2028-01"
    assert parse_period("2026-11").shift(-23).label == "2024-12"
    assert parse_period("2025/26").shift(3).label == "2028/29"


@pytest.mark.parametrize("text, financial_year", [
    ("2026-03", "2025/26"),
    ("2026-04", "2026/27"),
    ("2026/27 Q4", "2026/27"),
    ("2026/27 Q1", "2026/27"),
    ("2025/26", "2025/26"),
    ("2019", "2019/20"),
    ("Oct 2021-Sep 2022", "2022/23"),
])
def test_the_financial_year_whose_target_applies(text, financial_year):
    assert parse_period(text).financial_year.label == financial_year


def test_uk_financial_year_quarters():
    quarters = [parse_period(f"2026/27 Q{n}") for n in (1, 2, 3, 4)]
    assert [(q.start, q.end) for q in quarters] == [
        (date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)), (date(2027, 1, 1), date(2027, 3, 31))]
    assert financial_year_containing(date(2027, 3, 31)).label == "2026/27"
    assert financial_year_containing(date(2027, 4, 1)).label == "2027/28"


def test_containing_a_day():
    day = date(2027, 2, 14)
    assert [containing(day, kind).label for kind in (MONTH, QUARTER, FINANCIAL_YEAR, CALENDAR_YEAR, ACADEMIC_YEAR)] \
        == ["2027-02", "2026/27 Q4", "2026/27", "2027", "AY 2026/27"]
    assert parse_period("2026/27 Q4").contains(day)
    assert not parse_period("2026/27 Q3").contains(day)


def test_periods_sort_by_when_they_end():
    labels = ["2026/27", "2026-05", "2026/27 Q1", "2026-04", "2026"]
    ordered = sorted(parse_period(label) for label in labels)
    assert [p.label for p in ordered] == ["2026-04", "2026-05", "2026/27 Q1", "2026", "2026/27"]
    assert isinstance(ordered[0], Period)
