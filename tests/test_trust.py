"""Never a confident wrong answer: what a careful analyst says to the questions the bot once
answered with another place's, another indicator's or another period's numbers (issue 14), on the
demo council and on published data, through the core as every channel uses it."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.bot import Bot, council_of
from bot.core.messages import Message
from tests.conftest import REAL

FARID = "cllr.farid.mistry@demo-council.example"
BEN = "ben.singh@demo-council.example"
MAYA = "maya.rowe@demo-council.example"
TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def bot(demo_store) -> Bot:
    return Bot(demo_store, today=lambda: TODAY)


def ask(bot: Bot, question: str, email: str | None = BEN, conversation: str = "trust") -> dict:
    person = bot.person_by_email(email) if email else None
    return bot.answer(Message(question, person, conversation, channel="console"), render_charts=False).facts


def numbers(facts: dict) -> list:
    return (facts["values"] or []) + (facts["ranked"] or []) + (facts["red"] or [])


@pytest.mark.parametrize("question, named", [
    ("unemployment in Narnia", "Narnia"),
    ("recycling in Wolverhampton vs Atlantis", "Atlantis"),
    ("crime in Birmingham vs Gotham", "Gotham"),
    ("Could you tell me the crime rate in Little Whinging please?", "Little Whinging"),
])
def test_a_place_it_does_not_know_is_named_back_with_no_numbers(bot, question, named):
    facts = ask(bot, question)
    assert numbers(facts) == [] and f"I don't know a place called “{named}”" in facts["answer"]
    assert named.lower() in " ".join(facts["not_understood"])


@pytest.mark.parametrize("question, subject", [
    ("what's the weather in Penn", "weather"),
    ("price of a pint in Wolverhampton", "price pint"),
])
def test_a_subject_no_indicator_covers_is_said_so(bot, question, subject):
    facts = ask(bot, question, FARID)
    assert numbers(facts) == [] and facts["intent"] == "unknown"
    assert f"“{subject}”" in facts["answer"]


def test_a_known_place_without_that_data_is_named(bot):
    facts = ask(bot, "which ward has the highest unemployment in Birmingham")
    assert numbers(facts) == [] and "for the Birmingham wards" in facts["answer"]
    capital = ask(bot, "what is the capital of england")
    assert numbers(capital) == [] and "no figure for England" in capital["answer"]


@pytest.mark.parametrize("question, wards", [
    ("unemployment in Bilston", ["E05014838", "E05014839"]),
    ("unemployment in Tettenhall", ["E05014854", "E05014855"]),
    ("unemployment for Wednesfield", ["E05014856", "E05014857"]),
])
def test_a_name_that_is_part_of_several_wards_asks_which(bot, question, wards):
    facts = ask(bot, question, conversation=question)
    assert facts["intent"] == "clarify" and facts["choices"] == wards and numbers(facts) == []
    chosen = ask(bot, bot.lookup.place_name(wards[1]), conversation=question)
    assert chosen["indicator"] == "CLAIMANT_RATE" and chosen["geographies"] == [wards[1]]


def test_questions_the_bot_once_missed_are_understood(bot):
    owner = ask(bot, "who do I talk to about NEET figures")
    assert owner["intent"] == "owner" and owner["owner"] == MAYA
    roads = ask(bot, "are more people getting killed on the roads")
    assert roads["intent"] == "trend" and roads["indicator"] == "KSI"
    bins = ask(bot, "how are the bins doing")
    assert numbers(bins) == [] and set(bins["choices"]) == {"RECYCLING_RATE", "RESIDUAL_WASTE"}


def test_each_whole_question_in_one_conversation_starts_afresh(bot):
    first = ask(bot, "NEET in Sandwell vs Dudley", conversation="dm")
    homes = ask(bot, "how many homes were built last year", conversation="dm")
    foi = ask(bot, "what did we score on FOIs in October", conversation="dm")
    assert first["indicator"] == "NEET"
    assert (homes["indicator"], homes["period"], homes["values"][0]["value"]) == ("NEW_HOMES", "2025/26", 1124.0)
    assert (foi["indicator"], foi["period"], foi["values"][0]["value"]) == ("FOI_ON_TIME", "2026-10", 80.0)


def test_a_whole_question_after_a_question_back_is_its_own(bot):
    asked_back = ask(bot, "how are the bins doing", conversation="back")
    assert asked_back["intent"] == "clarify" and numbers(asked_back) == []
    later = ask(bot, "recycling rate two quarters ago", conversation="back")
    assert (later["indicator"], later["period"], later["values"][0]["value"]) == ("RECYCLING_RATE", "2026/27 Q1", 36.3)


@pytest.mark.parametrize("question, intent, places, period", [
    ("how does jobless rate in Park stack up against the west mids?", "compare", ["E05014851", "E12000005"], "2026-10"),
    ("childhood obesity at year 6 compared to region and country", "compare",
     ["E08000031", "E12000005", "E92000001"], "2025/26"),
    ("how do we fare against Walsall on employment", "compare", ["E08000031", "E08000030"], "2026/27 Q2"),
    ("recycling rate two quarters ago", "value", ["E08000031"], "2026/27 Q1"),
    ("Park's claimant rate", "value", ["E05014851"], "2026-10"),
    ("my ward's child poverty compared to the city average", "compare", ["E05014851", "E08000031"], "2025/26"),
    ("unemployment in Park vs the regional average", "compare", ["E05014851", "E12000005"], "2026-10"),
    ("what was unemployment in Park a year ago", "value", ["E05014851"], "2025-10"),
    ("NEET this time last year", "value", ["E08000031"], "2025-09"),
    ("recycling rate 2 years ago", "value", ["E08000031"], "2024/25 Q2"),
    ("unemployment in Penn last March", "value", ["E05014852"], "2026-03"),
    ("kids living in poverty in my ward", "value", ["E05014851"], "2025/26"),
    ("is my ward worse than average for crime", "compare",
     ["E05014851", "E08000031", "E12000005", "E92000001"], "2026/27 Q2"),
])
def test_everyday_phrasings_of_places_and_times(bot, question, intent, places, period):
    facts = ask(bot, question, FARID, conversation=question)
    assert (facts["intent"], facts["geographies"], facts["period"]) == (intent, places, period)


def test_what_somebody_else_owns_is_theirs_never_the_askers(bot):
    wendy = ask(bot, "which measures does Wendy Ahmed own")
    assert wendy["includes"] == ["ASB_INCIDENTS", "RECYCLING_RATE", "RESIDUAL_WASTE"]
    assert "that Wendy Ahmed owns" in wendy["answer"]
    mayas = ask(bot, "what indicators does Maya own")
    assert mayas["includes"] == [] and "Which Maya" in mayas["answer"]
    nobody = ask(bot, "which indicators does Zebedee own")
    assert nobody["includes"] == [] and "I don't know anyone called “Zebedee”" in nobody["answer"]
    mine = ask(bot, "which indicators do I own", MAYA)
    assert "NEET" in mine["includes"] and "that you own" in mine["answer"]


@pytest.mark.parametrize("question, said", [
    ("top 3 councils nationally for council tax collection", "only for the councils of West Midlands, not for every council in England"),
    ("which is the best council in England for recycling", "not for every council in England"),
    ("which region has the highest unemployment", "for only 1 of England's 9 regions (West Midlands)"),
])
def test_a_ranking_of_the_few_places_held_never_passes_for_all(bot, question, said):
    facts = ask(bot, question)
    assert numbers(facts) == [] and said in facts["answer"]


@pytest.mark.parametrize("question, said", [
    ("how many crimes were there in Park last week", "I don't hold figures by week"),
    ("fly tipping yesterday", "I don't hold figures by day"),
    ("what was NEET in 1850", "for 1850"),
])
def test_a_time_the_store_cannot_hold_is_said(bot, question, said):
    facts = ask(bot, question)
    assert numbers(facts) == [] and said in facts["answer"]


def test_a_rate_asked_of_a_count_is_said(bot):
    facts = ask(bot, "fly tipping per 1000 people in Park", FARID)
    assert "only as a count" in facts["answer"]


def test_number_words_and_measures_in_passing(bot):
    five = ask(bot, "which five wards had the most fly-tipping last month", FARID)
    assert len(five["ranked"]) == 5 and five["ranked"][0] == "E05014843"
    region = ask(bot, "council tax collection rates across the west midlands, ranked")
    assert region["ranked"][0] == "E08000029" and len(region["ranked"]) == 7
    chart = ask(bot, "sickness over 2 years chart")
    assert chart["intent"] == "trend" and chart["chart"]
    due = ask(bot, "what am I due to submit", MAYA)
    assert due["intent"] == "due"
    rate = ask(bot, "how many people are claiming benefits in Park", FARID)
    assert "only as a rate" in rate["answer"]
    housing = ask(bot, "any housing measures?")
    assert housing["intent"] == "search" and numbers(housing) == []


def test_another_indicator_named_on_its_own_keeps_the_places(bot):
    ask(bot, "claimant rate in Bilston North vs England", FARID, conversation="another")
    crime = ask(bot, "and crime?", FARID, conversation="another")
    assert (crime["intent"], crime["indicator"], crime["geographies"]) == ("compare", "CRIME_RATE", ["E05014838", "E92000001"])
    graph = ask(bot, "show me that as a graph", FARID, conversation="another")
    assert graph["chart"] and graph["indicator"] == "CRIME_RATE"
    fresh = ask(bot, "what is the claimant rate in Penn", FARID, conversation="another")
    assert fresh["geographies"] == ["E05014852"]


def test_a_question_about_places_is_not_taken_for_a_bare_place(bot):
    ask(bot, "unemployment in Park between January and June 2026", FARID, conversation="bare")
    everything = ask(bot, "is Park worse than Penn on everything", FARID, conversation="bare")
    assert everything["intent"] == "profile" and everything["geographies"] == ["E05014851", "E05014852"]
    assert "against Penn" in everything["answer"]
    penn = ask(bot, "ok Penn then", FARID, conversation="bare")
    assert penn["intent"] == "profile" and penn["geographies"][0] == "E05014852"


def test_a_span_of_months_is_a_trend_over_them(bot):
    facts = ask(bot, "unemployment in Park between January and June 2026", FARID)
    assert (facts["intent"], facts["from_period"], facts["period"]) == ("trend", "2026-01", "2026-06")


def test_another_question_about_the_same_indicator(bot):
    ask(bot, "who owns crime", conversation="it")
    recycling = ask(bot, "and recycling?", conversation="it")
    assert (recycling["intent"], recycling["indicator"]) == ("owner", "RECYCLING_RATE")
    target = ask(bot, "what's the target?", conversation="it")
    assert (target["intent"], target["indicator"], target["target"]) == ("target", "RECYCLING_RATE", 35.4)
    assert "(Q2 2026/27)" in target["answer"]
    ask(bot, "top 5 wards for crime", conversation="it")
    bottom = ask(bot, "and the bottom 5?", conversation="it")
    assert bottom["ranked"][0] == "E05014855" and len(bottom["ranked"]) == 5 and "lowest first" in bottom["answer"]
    ask(bot, "unemployment in Park", FARID, conversation="it")
    rising = ask(bot, "is it going up?", FARID, conversation="it")
    assert (rising["intent"], rising["geographies"]) == ("trend", ["E05014851"])


def test_thanks_is_answered_as_a_person_would(bot):
    facts = ask(bot, "thanks very much", FARID)
    assert facts["intent"] == "thanks" and "welcome" in facts["answer"] and numbers(facts) == []


def test_an_elliptical_message_follows_on(bot):
    ask(bot, "unemployment in Park", FARID, conversation="follow")
    penn = ask(bot, "and for Penn?", FARID, conversation="follow")
    earlier = ask(bot, "what about last year?", FARID, conversation="follow")
    assert penn["geographies"] == ["E05014852"] and penn["period"] == "2026-10"
    assert earlier["geographies"] == ["E05014852"] and earlier["period"] == "2025-10"


def test_a_wards_count_is_never_set_beside_the_citys_total(bot):
    profile = ask(bot, "tell me about my ward", FARID)
    assert "Net additional homes" not in profile["answer"]
    homes = ask(bot, "new homes in Park vs Wolverhampton", FARID)
    assert [v["geography"] for v in homes["values"]] == ["E05014851"] and "of Wolverhampton's total" in homes["answer"]


def test_the_answer_starts_with_what_was_understood(bot):
    facts = ask(bot, "unemployment in my ward vs region", FARID)
    assert facts["answer"].splitlines()[0] == "*Claimant count rate* · Park vs West Midlands · October 2026"
    assert facts["understood"]["indicator"] == ["unemployment"] and facts["not_understood"] == []
    quarter = ask(bot, "recycling rate")
    assert "Q2 2026/27 (Jul–Sep)" in quarter["answer"].splitlines()[0]


def test_periods_not_in_yet_and_still_to_come(bot):
    november = ask(bot, "unemployment in November")
    assert november["period"] is None and "November 2026 isn't in yet" in november["answer"] \
        and "The newest I hold is October 2026" in november["answer"]
    future = ask(bot, "unemployment in December 2027")
    assert numbers(future) == [] and "still to come" in future["answer"]
    forecast = ask(bot, "what will NEET be next year")
    assert numbers(forecast) == [] and "can't say" in forecast["answer"]


def test_a_breakdown_the_indicator_does_not_have_is_refused(bot):
    facts = ask(bot, "female recycling rate")
    assert numbers(facts) == [] and "broken down by “female”" in facts["answer"]


def test_which_three_wards_lists_three(bot):
    facts = ask(bot, "which 3 wards have the most fly tipping")
    assert len(facts["ranked"]) == 3


def test_a_refused_submission_does_not_colour_the_next_question(bot):
    refused = ask(bot, "submit 80 for FOI October 2026", "eddie.jones@demo-council.example", conversation="eddie")
    assert refused["refused"]
    after = ask(bot, "and for Penn?", "eddie.jones@demo-council.example", conversation="eddie")
    assert after["intent"] == "profile" and after["recorded"] is None and after["geographies"] == ["E05014852"]


@pytest.fixture(scope="module")
def trafford(real_store) -> Bot:
    return Bot(real_store, today=lambda: TODAY, council="E08000009")


def test_published_data_rate_breakdowns_and_the_longest_name(trafford):
    rate = ask(trafford, "claimant count rate in Trafford", None)
    assert rate["values"] == [{"geography": "E08000009", "period": "2026-03", "value": 3.0}]
    count = ask(trafford, "how many people are claiming in Stretford & Humphrey Park", None)
    assert count["geographies"] == ["E05015256"] and count["values"][0]["value"] == 335.0
    deprivation = ask(trafford, "deprivation score for Old Trafford", None)
    assert deprivation["geographies"] == ["E05015253"] and deprivation["values"][0]["value"] == 34.0
    female = ask(trafford, "female life expectancy in Trafford", None)
    assert female["breakdown"] == "Female" and female["values"][0]["value"] == 84.1
    whole = ask(trafford, "life expectancy in Trafford", None)
    assert numbers(whole) == [] and set(whole["choices"]) == {"Female", "Male"}


def test_the_council_is_a_setting(real_store, monkeypatch):
    monkeypatch.setenv("PERFBOT_COUNCIL", "Trafford")
    assert council_of(real_store) == "E08000009"
    monkeypatch.setenv("PERFBOT_COUNCIL", "Narnia")
    with pytest.raises(ValueError, match="Narnia"):
        council_of(real_store)
    monkeypatch.delenv("PERFBOT_COUNCIL")
    nobody = Bot(real_store, today=lambda: TODAY)
    assert nobody.council == ""
    facts = ask(nobody, "claimant count rate", None)
    assert numbers(facts) == [] and "Which place do you mean?" in facts["answer"]


assert REAL.exists()



@pytest.mark.parametrize("question, said", [
    ("NEET in West Park", "West Park"),  # one word off a ward's name is another place, not a typo of East Park
    ("unemployment among young people in park", "broken down by “young”"),
    ("crime against women", "broken down by “female”"),
    ("knife crime in park", "“knife crime”"),
])
def test_near_misses_are_said_not_answered(bot, question, said):
    facts = ask(bot, question, FARID)
    assert numbers(facts) == [] and said in facts["answer"]


def test_how_many_keeps_to_the_subject(bot):
    facts = ask(bot, "how many children are in care in Penn", FARID)
    assert facts["indicator"] == "CLA_RATE" and numbers(facts) == []  # not published for wards: said, not swapped
    assert ask(bot, "help me")["intent"] == "help"


def test_a_place_is_compared_with_its_own_region(trafford, bot):
    facts = ask(bot, "unemployment in Coventry")
    assert "West Midlands" in facts["answer"]
    manchester = ask(trafford, "claimant count rate in Manchester", None)
    assert "None" not in manchester["answer"] and "West Midlands" not in manchester["answer"]
