"""A message of several sentences, read for what it asks: the measure or the kind of answer may sit
in the sentence beside the question ("so complaints responded to in timescale... on track?", "asb
hotspots? which wards have the most incidents"), while an aside stays an aside ("got DMT at 10",
"I've got a residents meeting tonight"); and a few everyday forms of the same kinds: "topped the
list", "the West Midlands region", "how many houses did we build", "when's Q2 going to scrutiny"."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message

TODAY = date(2026, 11, 20)
BEN = "ben.singh@demo-council.example"
WEST_MIDLANDS, MERRY_HILL = "E12000005", "E05014849"


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def ask(bot: Bot, question: str) -> dict:
    return bot.answer(Message(question, bot.person_by_email(BEN), question), render_charts=False).facts


def test_the_measure_in_the_sentence_before_the_question(bot):
    facts = ask(bot, "so complaints responded to in timescale... on track or off track?")
    assert (facts["intent"], facts["indicator"]) == ("status", "COMPLAINTS_ON_TIME")


def test_the_kind_of_answer_in_the_sentence_after_the_question(bot):
    facts = ask(bot, "asb hotspots? which wards have the most incidents")
    assert (facts["intent"], facts["indicator"]) == ("rank", "ASB_INCIDENTS")


@pytest.mark.parametrize("question, intent", [
    ("morning - anything gone red on my patch? got DMT at 10", "status"),
    ("What do we know about Merry Hill ward? I've got a residents meeting tonight", "profile"),
])
def test_an_aside_beside_the_question_stays_an_aside(bot, question, intent):
    facts = ask(bot, question)
    assert facts["intent"] == intent and facts["indicator"] is None


def test_topped_the_list_ranks_highest_first(bot):
    facts = ask(bot, "flytipping - which ward topped the list in september?")
    values = {v["geography"]: v["value"] for v in facts["values"]}
    assert facts["intent"] == "rank" and values[facts["ranked"][0]] == max(values.values())


def test_the_region_named_with_the_word_region_is_one_place(bot):
    facts = ask(bot, "employment rate for the west midlands region")
    assert (facts["intent"], facts["geographies"]) == ("value", [WEST_MIDLANDS])


def test_houses_we_built_are_new_homes(bot):
    facts = ask(bot, "how many houses did we build last year")
    assert (facts["intent"], facts["indicator"], facts["period"]) == ("value", "NEW_HOMES", "2025/26")


@pytest.mark.parametrize("question", ["when's Q2 going to scrutiny", "which returns am I responsible for right now"])
def test_the_reporting_calendar_and_ones_returns(bot, question):
    assert ask(bot, question)["intent"] == "due"


def test_a_status_for_the_period_under_way_is_the_newest_said_so(bot):
    facts = ask(bot, "FOIs within 20 days, are we green this month")
    assert (facts["intent"], facts["indicator"], facts["period"]) == ("status", "FOI_ON_TIME", "2026-10")
    assert facts["answer"].startswith("November 2026 isn't over yet, so here is the newest:")
    assert ask(bot, "library visits this month")["values"] == []  # a figure for it is still refused


def test_wards_ranked_by_how_much_they_changed(bot):
    rose = ask(bot, "which ward's crime rate went up the most between Q1 and Q2?")
    assert (rose["intent"], rose["from_period"], rose["period"], rose["ranked"][:2]) == \
        ("rank", "2026/27 Q1", "2026/27 Q2", ["E05014852", "E05014856"])  # Penn +4.2, Wednesfield North +4.0
    assert "Penn: 4.2 per 1,000 higher (19.0 per 1,000 → 23.2 per 1,000)" in rose["answer"]
    fell = ask(bot, "which wards saw the biggest drop in claimant rate from sept to oct")
    assert (fell["from_period"], fell["ranked"][0]) == ("2026-09", "E05014853")  # St Peters 8.4% → 7.7%


def test_most_improved_when_none_improved_says_so(bot):
    facts = ask(bot, "which councils in the west midlands improved the most on recycling")
    assert "None of the councils in West Midlands improved" in facts["answer"]


@pytest.mark.parametrize("question, indicator", [
    ("does our NEET figure include the not knowns?", "NEET"),
    ("what's included in the crime rate", "CRIME_RATE"),
])
def test_what_a_measure_includes_is_its_definition(bot, question, indicator):
    facts = ask(bot, question)
    assert (facts["intent"], facts["indicator"]) == ("definition", indicator)


@pytest.mark.parametrize("question, period", [
    ("what was the claimant rate in october twenty twenty five, for the borough", "2025-10"),
    ("claimant rate october two thousand and twenty four", "2024-10"),
])
def test_a_year_said_in_words(bot, question, period):
    assert ask(bot, question)["period"] == period


def test_both_wards_of_a_shared_name(bot):
    facts = ask(bot, "the two tettenhalls - which did better at KS2 and by how much")
    assert (facts["intent"], facts["geographies"][:2]) == ("compare", ["E05014854", "E05014855"])


def test_the_mets_of_a_named_region_are_its_metropolitan_councils(bot):
    facts = ask(bot, "reablement vs the other WM mets, latest")
    assert facts["intent"] == "compare" and facts["geographies"][0] == "E08000031" and "E12000005" not in facts["geographies"]


def test_how_far_off_the_national_average_are_we(bot):
    facts = ask(bot, "how far off the national average are we on obese year 6 kids")
    assert (facts["intent"], facts["geographies"]) == ("compare", ["E08000031", "E92000001"])


@pytest.mark.parametrize("question", ["how did wolves get on saturday", "how was park last night"])
def test_a_days_events_are_no_places_figures(bot, question):
    facts = ask(bot, question)
    assert facts["intent"] == "unknown" and not facts["values"]


def test_ta_after_who_owns_is_temporary_accommodation(bot):
    assert ask(bot, "who owns TA")["indicator"] == "TEMP_ACCOMMODATION"


@pytest.mark.parametrize("question, indicator, period", [
    ("got a residents meeting at the community centre tonight and someone WILL ask - how many people are out of "
     "work in heath town at the moment?", "CLAIMANT_RATE", "2026-10"),
    ("whats life expectancy like for the fellas in my ward", "LIFE_EXP_MALE", None),
    ("recylcing rate for teh city last qtr??", "RECYCLING_RATE", "2026/27 Q2"),
    ("need the complaints responded to within timescale % for october before the 2pm call", "COMPLAINTS_ON_TIME", "2026-10"),
    ("how many folk came through the library doors in october? comms want it by 3", "LIBRARY_VISITS", "2026-10"),
    ("Can you give me the employment rate for WCC for Q2 2026/27? Writing the strategy refresh.", "EMPLOYMENT_RATE",
     "2026/27 Q2"),
])
def test_everyday_words_around_a_figure(bot, question, indicator, period):
    facts = ask(bot, question)
    assert facts["indicator"] == indicator and facts["intent"] in ("value", "clarify")
    assert period is None or facts["period"] == period


@pytest.mark.parametrize("question, intent", [
    ("am I in trouble on any of mine? be honest", "status"),
    ("the reablement 91 days thing - what does it mean in plain english", "definition"),
    ("when's the october monthly return due in by", "due"),
])
def test_idioms_around_a_question(bot, question, intent):
    assert ask(bot, question)["intent"] == intent
