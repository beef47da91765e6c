"""The parser's parts: indicators by name, alias and typo; places; periods as people say them;
comparators; ambiguity; and the intent each phrasing gets."""
from __future__ import annotations

from datetime import date

import pytest

from intents import query as q
from intents.parser import Lexicon, parse
from intents.text import normalise
from intents.when import read_when

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def lexicon(demo_store) -> Lexicon:
    return Lexicon.build(demo_store.indicators, demo_store.places, demo_store.council_code(), demo_store.comparator_groups())


@pytest.mark.parametrize("text,code", [
    ("unemployment", "CLAIMANT_RATE"),
    ("unemplyment", "CLAIMANT_RATE"),
    ("people out of work", "CLAIMANT_RATE"),
    ("claimant rate", "CLAIMANT_RATE"),
    ("NEETs", "NEET"),
    ("kids in poverty", "CHILD_POVERTY"),
    ("recyling", "RECYCLING_RATE"),
    ("sickness absense", "SICKNESS_DAYS"),
    ("potholes", "ROAD_CONDITION"),
    ("ksi", "KSI"),
    ("life expectancy for women", "LIFE_EXP_FEMALE"),
    ("men's life expectancy", "LIFE_EXP_MALE"),
    ("care leavers neet", "CARE_LEAVERS_NEET"),
    ("council tax collection", "COUNCIL_TAX_COLLECTION"),
    ("COUNCIL_TAX_COLLECTION", "COUNCIL_TAX_COLLECTION"),
    ("fly-tipping", "FLY_TIPPING"),
])
def test_indicator_found_by_name_alias_code_and_typo(lexicon, text, code):
    assert parse(text, lexicon, TODAY).indicator == code


def test_close_readings_ask_back_instead_of_guessing(lexicon):
    query = parse("life expectancy in Park", lexicon, TODAY)
    assert query.intent == q.CLARIFY
    assert set(query.choices) == {"LIFE_EXP_MALE", "LIFE_EXP_FEMALE"}
    assert query.wanted == q.VALUE


def test_nothing_fits_is_unknown_with_the_words_not_understood(lexicon):
    query = parse("what's the weather like in Penn tomorrow", lexicon, TODAY)
    assert query.intent in (q.UNKNOWN, q.PROFILE)
    query = parse("quantum flux capacitors", lexicon, TODAY)
    assert query.intent == q.UNKNOWN and "quantum" in query.unmatched


@pytest.mark.parametrize("text,kinds,codes", [
    ("unemployment in my ward", ["my_ward"], [None]),
    ("crime here", ["my_ward"], [None]),
    ("crime in the city", ["council"], [None]),
    ("our recycling rate", ["council"], [None]),
    ("crime vs the region", ["region"], [None]),
    ("obesity nationally", ["england"], [None]),
    ("neet in england", ["named"], ["E92000001"]),
    ("crime in Tettenhal Regis", ["named"], ["E05014854"]),
    ("crime in bushbury south and low hill", ["named"], ["E05014842"]),
    ("employment in Birmingham and Walsall", ["named", "named"], ["E08000025", "E08000030"]),
    ("obesity in the west midlands", ["named"], ["E12000005"]),
    ("crime in E05014851", ["named"], ["E05014851"]),
])
def test_places(lexicon, text, kinds, codes):
    query = parse(text, lexicon, TODAY)
    assert [m.kind for m in query.places] == kinds
    assert [m.code for m in query.places] == codes


def test_council_tax_is_not_a_place_and_wards_are_a_collection(lexicon):
    assert parse("council tax collection", lexicon, TODAY).places == ()
    query = parse("which wards have the most fly tipping", lexicon, TODAY)
    assert query.collection == "wards" and query.intent == q.RANK and query.order == "highest"


@pytest.mark.parametrize("text,label", [
    ("last month", "2026-10"),
    ("this month", "2026-11"),
    ("last quarter", "2026/27 Q2"),
    ("this quarter", "2026/27 Q3"),
    ("this year", "2026/27"),
    ("last year", "2025/26"),
    ("Q1 2025/26", "2025/26 Q1"),
    ("2025/26 Q1", "2025/26 Q1"),
    ("in Q2", "2026/27 Q2"),
    ("March 2025", "2025-03"),
    ("mar 2025", "2025-03"),
    ("in october", "2026-10"),
    ("2025/26", "2025/26"),
    ("2026-10", "2026-10"),
    ("in 2025", "2025"),
])
def test_periods_as_people_say_them(text, label):
    when, _ = read_when(normalise(f"crime {text}"), TODAY)
    assert when.period is not None and when.period.label == label


@pytest.mark.parametrize("text,since", [
    ("since 2023", date(2023, 1, 1)),
    ("since April 2024", date(2024, 4, 1)),
    ("over the last 2 years", date(2024, 11, 1)),
    ("in the past three months", date(2026, 8, 1)),
    ("over the past year", date(2025, 11, 1)),
])
def test_ranges_as_people_say_them(text, since):
    when, _ = read_when(normalise(f"crime {text}"), TODAY)
    assert when.since == since


def test_since_a_year_means_its_financial_year_for_quarterly_data():
    when, _ = read_when(normalise("recycling since 2023"), TODAY)
    assert when.start_for("quarter") == date(2023, 4, 1)
    assert when.start_for("month") == date(2023, 1, 1)


def test_no_time_named_means_latest_and_may_is_not_a_month():
    assert read_when(normalise("what is the latest neet rate"), TODAY)[0].latest
    assert read_when(normalise("may i see crime"), TODAY)[0].latest


@pytest.mark.parametrize("text,intent", [
    ("help", q.HELP),
    ("what can you do?", q.HELP),
    ("NEET", q.VALUE),
    ("crime vs england", q.COMPARE),
    ("how does Park compare on child poverty", q.COMPARE),
    ("is unemployment going down", q.TREND),
    ("recycling since 2024", q.TREND),
    ("top 3 councils for recycling", q.RANK),
    ("which ward has the lowest employment", q.RANK),
    ("what's red", q.STATUS),
    ("how is City Housing doing", q.STATUS),
    ("scorecard", q.STATUS),
    ("tell me about Penn", q.PROFILE),
    ("Penn", q.PROFILE),
    ("whose is fly tipping", q.OWNER),
    ("are we on target for recycling", q.STATUS),
    ("how is NEET measured", q.DEFINITION),
    ("what indicators are there on waste", q.SEARCH),
    ("what do I owe", q.DUE),
    ("who hasn't submitted for Q2", q.DUE),
    ("NEET for October is 5.4%", q.SUBMIT),
    ("submit 312 homelessness preventions for Q2", q.SUBMIT),
])
def test_intents(lexicon, text, intent):
    assert parse(text, lexicon, TODAY).intent == intent


def test_every_query_says_why(lexicon):
    query = parse("unemployment in my ward vs region", lexicon, TODAY)
    assert "vs" in query.why and "unemployment" in query.why


def test_comparator_named_first_makes_the_council_the_subject(lexicon):
    query = parse("year 6 obesity vs the west midlands", lexicon, TODAY)
    assert query.subject_named is False
    assert parse("Park vs England on crime", lexicon, TODAY).subject_named is True


@pytest.mark.parametrize("text,value", [
    ("submit 5.4% for NEET October 2026", 5.4),
    ("NEET Oct = 5.4", 5.4),
    ("record 1,234 library visits for October", 1234.0),
    ("record £12k capital spend for q2", 12000.0),
    ("NEET for October is 23 of 410", pytest.approx(5.609756)),
])
def test_submission_numbers(lexicon, text, value):
    query = parse(text, lexicon, TODAY)
    assert query.intent == q.SUBMIT and query.submission.value == value
