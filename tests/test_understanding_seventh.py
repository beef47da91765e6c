"""Understanding, seventh round (issue 23): a passing sentence that happens to hold a cue word; a
measure's definition or owner answered though a word is left over; what a measure is "supposed to
achieve" or "targeting" as its target, "trended" as its trend, "who owns" before what the asker means
to do; everyday forms of a measure's words ("satisfied", "give birth", "main roads", "recyclers",
"safest"); "stats on X" naming a subject, not a place; "why is it so high" answered with who can say,
never a figure; and in conversation: a correction ending "I meant", the ward to compare with chosen
from a question back, "is that good?" of a ward, a place and a month after a ranking, "did we hit
it", the owner of the one of two measures talked of, and "how late are they" after the returns owed."""
from __future__ import annotations

from datetime import date

import pytest

from tests.talking import talk

WOLVERHAMPTON, SOLIHULL = "E08000031", "E08000029"
ETTINGSHALL_NORTH, ETTINGSHALL_SOUTH, HEATH_TOWN = "E05014844", "E05014845", "E05014848"
MERRY_HILL, PENN, TETTENHALL_REGIS, TETTENHALL_WIGHTWICK = "E05014849", "E05014852", "E05014854", "E05014855"
BEN = "ben.singh@demo-council.example"
BEN_PATEL = "cllr.ben.patel@demo-council.example"  # councillor for Heath Town
NIKHIL = "cllr.nikhil.quinn@demo-council.example"  # councillor for Tettenhall Regis
ZOE = "cllr.zoe.iqbal@demo-council.example"        # councillor for Ettingshall South & Spring Vale
JAS = "jas.bains@demo-council.example"             # owns sickness absence and contact centre satisfaction
NOVEMBER = date(2026, 11, 18)


def ask(store, question: str, who: str = BEN, today: date = NOVEMBER) -> dict:
    return talk(store, who, today, question)[0]


def test_a_passing_sentence_with_a_cue_word_does_not_stop_the_question(store):
    asked = ask(store, "Apologies, just comparing my old notes - what was child poverty in Ettingshall North in 2024/25?")
    assert asked["indicator"] == "CHILD_POVERTY" and asked["geographies"][0] == ETTINGSHALL_NORTH
    assert {"geography": ETTINGSHALL_NORTH, "period": "2024/25", "value": 42.5} in asked["values"]


def test_a_definition_is_given_though_a_word_is_left_over(store):
    asked = ask(store, "what exactly does the budget variation measure cover - revenue or capital?")
    assert (asked["intent"], asked["indicator"]) == ("definition", "BUDGET_VARIATION")
    assert "revenue budget" in asked["answer"]


@pytest.mark.parametrize("question", ["how many homeless preventions are we meant to achieve this year",
                                      "what number of homelessness preventions are we targeting for 2026/27"])
def test_what_a_measure_is_meant_to_achieve_is_its_target(store, question):
    asked = ask(store, question)
    assert (asked["intent"], asked["indicator"], asked["period"], asked["target"]) == \
        ("target", "HOMELESS_PREVENTIONS", "2026/27", 360)


def test_trended_is_a_trend(store):
    asked = ask(store, "how has fly tipping trended this year?")
    assert (asked["intent"], asked["indicator"]) == ("trend", "FLY_TIPPING")


def test_who_owns_it_is_asked_before_what_the_asker_means_to_do(store):
    asked = ask(store, "I need to chase the complaints figures - who owns complaints?")
    assert (asked["intent"], asked["owner"]) == ("owner", "sam.singh@demo-council.example")


@pytest.mark.parametrize(("question", "indicator", "status"), [
    ("is the number of mums smoking when they give birth on target", "SMOKING_DELIVERY", "amber"),
    ("are residents satisfied with the contact centre, on target?", "CONTACT_SATISFACTION", None),
    ("how are the main roads doing against target", "ROAD_CONDITION", "green"),
])
def test_everyday_forms_of_a_measures_words(store, question, indicator, status):
    asked = ask(store, question)
    assert (asked["intent"], asked["indicator"]) == ("status", indicator)
    assert status is None or asked["status"] == status


def test_recyclers_and_the_safest_ward_are_ranked(store):
    recyclers = ask(store, "best recyclers among the west midlands councils?")
    assert (recyclers["intent"], recyclers["indicator"], recyclers["ranked"][0]) == ("rank", "RECYCLING_RATE", SOLIHULL)
    safest = ask(store, "what's the safest ward in wolves")
    assert (safest["intent"], safest["indicator"], safest["ranked"][0]) == ("rank", "CRIME_RATE", TETTENHALL_WIGHTWICK)


def test_stats_on_a_subject_is_no_place(store):
    asked = ask(store, "any figures on dog mess complaints in Penn?")  # refused, or asked back: never a place "Dog Mess"
    assert asked["intent"] in ("unknown", "clarify") and "place called" not in asked["answer"] and not asked.get("values")


def test_a_cause_is_not_answered_with_a_figure(store):
    asked = ask(store, "why has fly tipping gone up so much in Heath Town?")
    assert asked["intent"] == "unknown" and not asked.get("values")
    assert "chloe.young@demo-council.example" in asked["answer"]


def test_a_discourse_word_after_a_place_is_no_part_of_its_name(store):
    asked = ask(store, "what's the population of Penn anyway?")
    assert (asked["intent"], asked["indicator"], asked["geographies"]) == ("value", "POPULATION", [PENN])


def test_a_correction_ending_i_meant(store):
    *_, corrected = talk(store, BEN, NOVEMBER, "claimant rate in st peters", "oops - Heath Town is what I meant")
    assert (corrected["indicator"], corrected["geographies"]) == ("CLAIMANT_RATE", [HEATH_TOWN])


def test_the_ward_to_compare_with_is_chosen_after_a_question_back(store):
    mine, which, chosen = talk(store, ZOE, date(2026, 11, 14), "KS2 results in my ward",
                               "how do we compare with tettenhall?", "the Wightwick one")
    assert which["intent"] == "clarify"
    assert (chosen["intent"], chosen["geographies"]) == ("compare", [ETTINGSHALL_SOUTH, TETTENHALL_WIGHTWICK])
    assert mine["geographies"] == [ETTINGSHALL_SOUTH]


def test_is_that_good_of_a_ward_compares_it_with_the_city(store):
    _, good = talk(store, BEN, date(2026, 11, 30), "crime in Merry Hill", "is that any good?")
    assert good["intent"] == "compare" and good["geographies"][:2] == [MERRY_HILL, WOLVERHAMPTON]


def test_a_place_and_a_month_after_a_ranking_keep_its_measure(store):
    *_, september = talk(store, NIKHIL, date(2026, 11, 7), "claimant rate tettenhall regis",
                         "which ward is lowest?", "hmm, and mine in september?")
    assert (september["intent"], september["indicator"], september["geographies"], september["period"]) == \
        ("value", "CLAIMANT_RATE", [TETTENHALL_REGIS], "2026-09")


def test_did_we_hit_it_after_a_target_is_its_status_then(store):
    _, hit = talk(store, ZOE, date(2026, 11, 14), "ks2 target for the city this year", "did we hit it last year?")
    assert (hit["intent"], hit["indicator"], hit["period"], hit["status"]) == ("status", "KS2_RWM", "2025/26", "green")


def test_the_owner_of_the_measure_talked_of(store):
    _, owner = talk(store, "owen.bains@demo-council.example", date(2026, 11, 2),
                    "budget variation for Q1", "who's supposed to be submitting the budget figure for Q2?")
    assert (owner["intent"], owner["indicator"], owner["owner"]) == \
        ("owner", "BUDGET_VARIATION", "imran.dhillon@demo-council.example")


def test_how_late_after_the_returns_owed(store):
    owed, late = talk(store, JAS, date(2026, 11, 23), "what returns do I owe?", "how late are those?")
    assert owed["intent"] == late["intent"] == "due"
    assert "overdue" in late["answer"] and "sickness" in late["answer"].lower()


def test_the_asking_sentence_decides_what_is_asked(store):
    trend = ask(store, "Before the Joint Targeted Inspection I want to be sure of our narrative. How has the rate of "
                       "children looked after changed over time", "imran.jones@demo-council.example")
    assert (trend["intent"], trend["indicator"]) == ("trend", "CLA_RATE")  # the inspection is no place; "want to be" no target
    owner = ask(store, "need to chase the temporary accommodation numbers - who owns that one?")
    assert (owner["intent"], owner["owner"]) == ("owner", "amira.ahmed@demo-council.example")
    target = ask(store, "what was the recycling target in 2024/25 - I reckon it was higher than now?")
    assert (target["intent"], target["indicator"]) == ("target", "RECYCLING_RATE")  # a remark after it compares nothing


def test_the_period_is_the_asking_sentences_own(store):
    target = ask(store, "what was the recycling target in 2024/25 - I reckon it was higher than this year's?")
    assert (target["intent"], target["period"], target["target"]) == ("target", "2024/25", 37.7)
    trend = ask(store, "Before the Joint Targeted Inspection next month I want to be sure of our narrative. How has the rate "
                       "of children looked after changed over time", "imran.jones@demo-council.example")
    assert (trend["intent"], trend["indicator"]) == ("trend", "CLA_RATE") and trend["values"]  # next month named in passing


def test_a_diary_day_or_week_in_a_clause_of_its_own_is_no_period(store):
    asked = ask(store, "writing my newsletter this week, need the claimant rate for my ward", BEN_PATEL)
    assert (asked["intent"], asked["indicator"], asked["geographies"], asked["period"]) == \
        ("value", "CLAIMANT_RATE", [HEATH_TOWN], "2026-10")


def test_residents_going_on_about_a_measure_ask_that_measure_of_mine(store):
    asked = ask(store, "residents are on at me about fly tipping round mine. what's the latest?", BEN_PATEL)
    assert (asked["indicator"], asked["geographies"]) == ("FLY_TIPPING", [HEATH_TOWN])


def test_leaning_on_the_talk_before_that_instead_of_those_and_women(store):
    _, before = talk(store, BEN, NOVEMBER, "crime rate in Penn", "and before that?")
    assert (before["indicator"], before["geographies"], before["period"]) == ("CRIME_RATE", [PENN], "2026/27 Q1")
    _, instead = talk(store, BEN, NOVEMBER, "claimant rate for the city", "actually the region instead")
    assert (instead["intent"], instead["geographies"]) == ("value", ["E12000005"])
    _, those = talk(store, BEN, NOVEMBER, "new homes built last year", "how many of those were in Heath Town")
    assert (those["intent"], those["indicator"], those["geographies"]) == ("value", "NEW_HOMES", [HEATH_TOWN])
    _, women = talk(store, BEN, NOVEMBER, "male life expectancy in Penn", "women?")
    assert (women["indicator"], women["geographies"]) == ("LIFE_EXP_FEMALE", [PENN])


@pytest.mark.parametrize(("question", "indicator"), [
    ("how concerned should I be about year 6 obesity", "OBESITY_Y6"),
    ("any issues with FOI response times?", "FOI_ON_TIME"),
    ("is capital spend running to plan", "CAPITAL_SPEND"),
    ("have we hit the new homes number this year", "NEW_HOMES"),
    ("recycling - where does it need to be and are we there?", "RECYCLING_RATE"),
    ("is the budget variance within range?", "BUDGET_VARIATION"),
    ("are we answering complaints on time? what's the RAG", "COMPLAINTS_ON_TIME"),
])
def test_a_measures_status_asked_as_worry_plan_range_or_rag(store, question, indicator):
    asked = ask(store, question)
    assert (asked["intent"], asked["indicator"]) == ("status", indicator) and asked["status"] in ("red", "amber", "green")


def test_a_figure_of_an_unknown_subject_is_never_the_measure_just_answered(store):
    for first in ("crime rate in Gotham ward", "crime rate in Penn"):
        *_, asked = talk(store, BEN_PATEL, NOVEMBER, first, "number of dog walkers in Penn")
        assert asked["intent"] in ("unknown", "clarify") and not asked.get("values")
    _, dudley = talk(store, BEN_PATEL, NOVEMBER, "crime rate in Penn", "what's Dudley's figure?")
    assert (dudley["indicator"], dudley["geographies"]) == ("CRIME_RATE", ["E08000027"])
