"""Messages that lean on the talk so far: a ward picked from perfbot's own question back by a word of
its name ("the south one", "and north?", "WS"), "mine" for the asker's ward, a place on its own after
a place perfbot does not hold, "above the borough average" as a comparison — and a word that was
not understood in the question back is never answered past."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message

TODAY = date(2026, 11, 15)
JAS = "cllr.jas.quinn@demo-council.example"       # councillor for Wednesfield South
BEN = "cllr.ben.patel@demo-council.example"       # councillor for Heath Town
IMRAN = "imran.jones@demo-council.example"        # director of Children's Services
WOLVERHAMPTON, PARK, HEATH_TOWN = "E08000031", "E05014851", "E05014848"
BILSTON_NORTH, BILSTON_SOUTH, WEDNESFIELD_NORTH, WEDNESFIELD_SOUTH = "E05014838", "E05014839", "E05014856", "E05014857"


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def talk(bot: Bot, who: str, *messages: str) -> list[dict]:
    person = bot.person_by_email(who)
    return [bot.answer(Message(text, person, "leaning"), render_charts=False).facts for text in messages]


def test_a_ward_picked_by_a_word_of_its_name_after_the_question_back(bot):
    asked, south, north, year_ago, initials = talk(
        bot, JAS, "Hello, I hope it's ok to ask here. A chap was adamant unemployment in Wednesfield has gone through "
                  "the roof. Can you tell me what the unemployment rate is in Wednesfield?",
        "south - mine", "and north", "what was the south one a year ago", "how does WS compare with the borough now")
    assert (asked["intent"], asked["indicator"], asked["choices"]) == ("clarify", "CLAIMANT_RATE", [WEDNESFIELD_NORTH, WEDNESFIELD_SOUTH])
    assert (south["intent"], south["geographies"], south["period"]) == ("value", [WEDNESFIELD_SOUTH], "2026-10")
    assert (north["indicator"], north["geographies"]) == ("CLAIMANT_RATE", [WEDNESFIELD_NORTH])
    assert (year_ago["geographies"], year_ago["period"]) == ([WEDNESFIELD_SOUTH], "2025-10")
    assert (initials["intent"], initials["geographies"]) == ("compare", [WEDNESFIELD_SOUTH, WOLVERHAMPTON])


def test_a_question_back_over_a_word_not_understood_is_not_answered_past_it(bot):
    asked, reply = talk(bot, BEN, "unemployment in park", "zorbly in bilston")
    assert reply["intent"] in ("unknown", "clarify") and not reply["values"]
    picked = talk(bot, BEN, "north")[0]
    assert not [v for v in picked["values"] if v.get("value") is not None]


def test_mine_after_a_place_figure_is_the_askers_ward(bot):
    ward, council, mine = talk(bot, BEN, "whats the unemployment rate in my ward atm", "and the borough?",
                               "what was mine this time last year")
    assert council["geographies"] == [WOLVERHAMPTON]
    assert (mine["geographies"], mine["period"], mine["values"][0]["value"]) == ([HEATH_TOWN], "2025-10", 8.7)


def test_a_place_on_its_own_after_one_not_held_asks_the_same_measure_there(bot):
    refused, which, north = talk(bot, JAS, "whats the crime rate in tipton", "ok bilston?", "north")
    assert refused["intent"] == "unknown" and not refused["values"]
    assert (which["intent"], which["indicator"]) == ("clarify", "CRIME_RATE")
    assert (north["intent"], north["indicator"], north["geographies"]) == ("value", "CRIME_RATE", [BILSTON_NORTH])


def test_a_place_after_who_owns_it_asks_its_figure_there(bot):
    owner, which, south = talk(bot, JAS, "who owns crime", "what's it like in bilston?", "the south one")
    assert owner["owner"] == "chloe.young@demo-council.example"
    assert (which["intent"], which["indicator"]) == ("clarify", "CRIME_RATE")
    assert (south["indicator"], south["geographies"]) == ("CRIME_RATE", [BILSTON_SOUTH])


def test_above_the_borough_average_compares_the_ward_with_it(bot):
    ward, above = talk(bot, JAS, "crime in park ward, latest", "is that above the borough average")
    assert (above["intent"], above["geographies"]) == ("compare", [PARK, WOLVERHAMPTON])


def test_no_red_in_a_service_says_how_its_measures_stand(bot):
    facts = talk(bot, IMRAN, "is anything in my team red")[0]
    assert (facts["intent"], facts["red"]) == ("status", [])
    assert facts["answer"].startswith("None of the 7 measures for Children's Services is red")
    assert "amber" in facts["answer"] and "green" in facts["answer"]


def test_a_measure_named_with_its_own_question_after_the_returns_is_that_question(bot):
    due, trend = talk(bot, "ben.singh@demo-council.example", "which returns are still outstanding",
                      "ok and staff retention, whats the trend")
    assert due["intent"] == "due"
    assert (trend["intent"], trend["indicator"]) == ("trend", "STAFF_RETENTION")


def test_why_a_figure_is_missing_is_answered_with_its_return(bot):
    value, missing, why = talk(bot, "sam.evans@demo-council.example", "reablement latest",
                               "why is there no Q2 figure yet", "why is it so high")
    assert (missing["intent"], missing["indicator"]) == ("due", "REABLEMENT_91")
    assert "Q2 2026/27 — *overdue* since Tue 20 Oct 2026" in missing["answer"]
    assert why["intent"] == "unknown" and why["answer"].startswith("I can't tell why from the figures alone")


def test_a_ranking_in_the_city_keeps_the_ward_talked_about(bot):
    ward, rank, gap = talk(bot, "cllr.nikhil.quinn@demo-council.example", "life expectancy for women in my ward",
                           "is that the best in the city", "gap to heath town?")
    assert rank["intent"] == "rank"
    assert (gap["intent"], gap["geographies"]) == ("compare", [ward["geographies"][0], HEATH_TOWN])


def test_ours_after_a_comparison_is_the_councils_figure(bot):
    value, region, ours = talk(bot, "cllr.ben.obrien@demo-council.example", "employment rate?", "what's the region on that",
                               "what was ours the quarter before")
    assert (ours["intent"], ours["geographies"], ours["period"]) == ("value", [WOLVERHAMPTON], "2026/27 Q1")


def test_where_that_puts_us_among_the_wards_is_a_ranking(bot):
    value, where = talk(bot, "cllr.bea.hughes@demo-council.example", "unemployment in merry hill?",
                        "where does that put us out of the 20 wards")
    assert (where["intent"], where["indicator"]) == ("rank", "CLAIMANT_RATE")


def test_why_only_the_older_period_is_answered_with_the_newer_ones_return(bot):
    value, why = talk(bot, "cllr.priya.walsh@demo-council.example", "asb in my ward",
                      "summat's up, that's september - why's there no october")
    assert value["period"] == "2026-09"
    assert (why["intent"], why["indicator"], why["due"][0]["period"]) == ("due", "ASB_INCIDENTS", "2026-10")
    assert why["due"][0]["owner"] is None and "overdue* since Tue 10 Nov 2026" in why["answer"]  # a councillor: not whose
    still = talk(bot, "ben.singh@demo-council.example", "sickness absence", "why is it still Q1")[1]
    assert (still["intent"], still["due"][0]["period"]) == ("due", "2026/27 Q2")
    red = talk(bot, "ben.singh@demo-council.example", "crime rate", "why is it still red")[1]
    assert (red["intent"], red["indicator"], red["status"], red["period"]) == ("status", "CRIME_RATE", "red", "2026/27 Q2")
    assert "27.9 per 1,000" in red["answer"] and "26.5 per 1,000" in red["answer"]  # its figure against its target
    assert "What lies behind the figure is for its owner, chloe.young@demo-council.example" in red["answer"]
    cause = talk(bot, "ben.singh@demo-council.example", "crime rate", "why is it red, is it the new estate?")[1]
    assert cause["intent"] == "unknown" and not cause["values"]  # a cause put forward: for its owner, not the figures
