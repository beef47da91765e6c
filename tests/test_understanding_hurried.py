"""Understanding the hurried chat of busy staff: periods written as days and in figures (read as
their month, or asked back when they could be two periods — never answered for the newest), a
ratio or a time in a question that is no submission, a place's name in shorthand, a ward's rundown,
"fewest" as a ranking and "what does X actually count" as a definition."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message

TODAY = date(2026, 11, 20)
BEN = "ben.singh@demo-council.example"          # the leader
WOLVERHAMPTON = "E08000031"
GRAISELEY, FALLINGS_PARK, HEATH_TOWN, BILSTON_NORTH = "E05014847", "E05014846", "E05014848", "E05014838"


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def ask(bot: Bot, question: str, who: str = BEN) -> dict:
    return bot.answer(Message(question, bot.person_by_email(who), question), render_charts=False).facts


def quoted(facts: dict) -> list:
    return [v for v in facts.get("values") or [] if v.get("value") is not None]


@pytest.mark.parametrize("question,period", [
    ("can u remind me wat the dole rate was in graiseley in 09/25", "2025-09"),
    ("unemployment in graiseley in 9/2025", "2025-09"),
    ("graiseley claimant rate as at 30/09/2025", "2025-09"),
])
def test_a_month_written_in_figures_is_that_month(bot, question, period):
    facts = ask(bot, question)
    assert (facts["indicator"], facts["geographies"][0], facts["period"]) == ("CLAIMANT_RATE", GRAISELEY, period)
    assert {v["period"] for v in quoted(facts)} == {period}


def test_as_at_a_day_is_the_period_ending_then(bot):
    facts = ask(bot, "do we know how many households were in temp accom as at 31 march?")
    assert (facts["indicator"], facts["period"]) == ("TEMP_ACCOMMODATION", "2025/26 Q4")
    assert {v["period"] for v in quoted(facts)} == {"2025/26 Q4"}


@pytest.mark.parametrize("question", ["neet FY25", "NEET for financial year 2026", "neet 10/11"])
def test_a_period_that_could_be_two_is_asked_back_with_no_figure(bot, question):
    facts = ask(bot, question)
    assert facts["intent"] == "unknown" and not quoted(facts)
    assert "which period" in facts["answer"] and "2025/26" in facts["answer"]


def test_a_ratio_in_a_question_is_no_submission(bot):
    facts = ask(bot, "anything gone red? prepping for the leader's 1:1")
    assert facts["intent"] != "submit" and facts["recorded"] is None


@pytest.mark.parametrize("question,ward", [
    ("give me a rundown of heath town - got a residents meeting tonight", HEATH_TOWN),
    ("overview of bilston north, all the key stats", BILSTON_NORTH),
])
def test_a_rundown_or_the_key_stats_of_a_ward_is_its_profile(bot, question, ward):
    facts = ask(bot, question)
    assert (facts["intent"], facts["geographies"][0]) == ("profile", ward) and len(quoted(facts)) > 3


def test_a_places_name_in_shorthand_is_that_place(bot):
    facts = ask(bot, "ASB in fallings pk in sept pls")
    assert (facts["indicator"], facts["geographies"][0], facts["period"]) == ("ASB_INCIDENTS", FALLINGS_PARK, "2026-09")


def test_fewest_ranks_from_the_lowest(bot):
    facts = ask(bot, "which wards delivered the fewest new homes last FY")
    values = [v["value"] for v in quoted(facts)]
    assert facts["intent"] == "rank" and facts["period"] == "2025/26" and values == sorted(values)


def test_what_a_measure_actually_counts_is_its_definition(bot):
    facts = ask(bot, "wat does the care leavers neet measure actually count")
    assert (facts["intent"], facts["indicator"]) == ("definition", "CARE_LEAVERS_NEET") and not quoted(facts)


def test_a_conversation_in_everyday_words_keeps_its_measure(bot):
    """Who to moan at, what it's meant to be, over the last couple of years, the year before, and
    a new topic said as such — each about the measure and place of the question before."""
    def turn(question: str) -> dict:
        return bot.answer(Message(question, bot.person_by_email(BEN), "everyday"), render_charts=False).facts

    assert turn("unemployment in graiseley")["period"] == "2026-10"
    owner = turn("who do i moan at about that lol")
    assert (owner["intent"], owner["indicator"], owner["owner"]) == ("owner", "CLAIMANT_RATE", "rachel.dhillon@demo-council.example")
    target = turn("whats it meant to be this yr")
    assert (target["intent"], target["indicator"], target["period"]) == ("target", "CLAIMANT_RATE", "2026/27")
    trend = turn("and has it been getting better or worse over the last couple of yrs")
    assert (trend["intent"], trend["indicator"], trend["from_period"]) == ("trend", "CLAIMANT_RATE", "2024-10")  # two years to the newest
    earlier = turn("what was the wolves figure the yr before?")
    assert (earlier["indicator"], earlier["geographies"][0], earlier["period"]) == ("CLAIMANT_RATE", WOLVERHAMPTON, "2025-10")
    switched = turn("switching topic - recycling, are we hitting target?")
    assert (switched["intent"], switched["indicator"], switched["status"]) == ("status", "RECYCLING_RATE", "green")


def test_a_ward_chosen_after_a_ranking_gets_its_own_figure(bot):
    def turn(question: str) -> dict:
        return bot.answer(Message(question, bot.person_by_email(BEN), "after a ranking"), render_charts=False).facts

    assert turn("which wards have the highest crime")["intent"] == "rank"
    assert turn("and bilston?")["intent"] == "clarify"
    chosen = turn("Bilston South")
    assert (chosen["intent"], chosen["indicator"], chosen["geographies"]) == ("value", "CRIME_RATE", ["E05014839"])


def test_a_ward_chosen_while_the_measure_is_open_asks_for_the_measure(bot):
    def turn(question: str) -> dict:
        return bot.answer(Message(question, bot.person_by_email(BEN), "two questions back"), render_charts=False).facts

    assert turn("life expectancy in bilston")["intent"] == "clarify"
    asked = turn("Bilston North")
    assert asked["intent"] == "clarify" and not quoted(asked) and set(asked["choices"]) == {"LIFE_EXP_MALE", "LIFE_EXP_FEMALE"}
    answered = turn("female")
    assert (answered["indicator"], answered["geographies"][0]) == ("LIFE_EXP_FEMALE", BILSTON_NORTH)


def test_vs_a_place_overall_compares_the_measure_asked_before(bot):
    councillor = "cllr.ben.patel@demo-council.example"  # councillor for Heath Town

    def turn(question: str) -> dict:
        return bot.answer(Message(question, bot.person_by_email(councillor), "vs overall"), render_charts=False).facts

    assert turn("hiya, hw's unemployment looking in my ward at the mo?")["geographies"] == [HEATH_TOWN]
    compared = turn("and vs wolves overall?")
    assert (compared["intent"], compared["indicator"], compared["geographies"]) == ("compare", "CLAIMANT_RATE", [HEATH_TOWN, WOLVERHAMPTON])


def test_another_measure_for_the_same_month_keeps_the_month(bot):
    def turn(question: str) -> dict:
        return bot.answer(Message(question, bot.person_by_email(BEN), "same month"), render_charts=False).facts

    assert turn("which wards were worst for fly tipping back in dec")["period"] == "2025-12"
    again = turn("and asb, same month?")
    assert (again["intent"], again["indicator"], again["period"]) == ("rank", "ASB_INCIDENTS", "2025-12")
    assert {v["period"] for v in quoted(again)} == {"2025-12"}


@pytest.mark.parametrize("question,indicator", [
    ("which officer leads on NEET", "NEET"),
    ("who's got the sickness absence kpi", "SICKNESS_DAYS"),
    ("name of the lead for business rates collection", "BUSINESS_RATES_COLLECTION"),
    ("who's on the hook for homelessness preventions", "HOMELESS_PREVENTIONS"),
    ("who sorts the council tax collection numbers", "COUNCIL_TAX_COLLECTION"),
])
def test_who_is_behind_a_measure_is_its_owner(bot, question, indicator):
    facts = ask(bot, question)
    assert (facts["intent"], facts["indicator"]) == ("owner", indicator) and facts["owner"] and not quoted(facts)


@pytest.mark.parametrize("question", ["who has the highest unemployment", "who is worst for crime",
                                      "who has the most fly tipping"])
def test_who_is_highest_is_still_a_ranking_of_places(bot, question):
    assert ask(bot, question)["intent"] == "rank"


@pytest.mark.parametrize("question,indicator", [
    ("is neet getting any better", "NEET"),
    ("has crime been creeping up", "CRIME_RATE"),
    ("crime trajectory", "CRIME_RATE"),
    ("is recycling better or worse than it was", "RECYCLING_RATE"),
    ("are more people claiming unemployment than before", "CLAIMANT_RATE"),
    ("obesity then and now", "OBESITY_Y6"),
])
def test_everyday_words_for_a_direction_ask_the_trend(bot, question, indicator):
    facts = ask(bot, question)
    assert (facts["intent"], facts["indicator"]) == ("trend", indicator)


def test_on_the_rise_in_a_ward_is_its_trend_not_a_place_called_rise(bot):
    facts = ask(bot, "is unemployment on the rise in park")
    assert (facts["intent"], facts["indicator"], facts["geographies"][0]) == ("trend", "CLAIMANT_RATE", "E05014851")


def test_since_last_year_runs_to_the_newest_value(bot):
    facts = ask(bot, "has asb come down since last year")
    assert (facts["intent"], facts["period"], facts["from_period"]) == ("trend", "2026-09", "2025-04")


def test_below_target_lists_what_is_not_green(bot):
    facts = ask(bot, "which kpis are below target")
    assert facts["intent"] == "status" and "CRIME_RATE" in facts["red"]


@pytest.mark.parametrize("question,indicator,ward", [
    ("asb in graiseley - asking for a resident", "ASB_INCIDENTS", GRAISELEY),
    ("fly tipping in blakenhall - residents up in arms", "FLY_TIPPING", "E05014840"),
])
def test_who_a_question_is_for_is_no_part_of_what_it_asks(bot, question, indicator, ward):
    facts = ask(bot, question)
    assert (facts["intent"], facts["indicator"], facts["geographies"][0]) == ("value", indicator, ward)


def test_a_figure_wanted_for_the_report_is_the_figure_not_the_report_deck(bot):
    facts = ask(bot, "can i get recycling for q2 for the report")
    assert (facts["intent"], facts["indicator"], facts["period"]) == ("value", "RECYCLING_RATE", "2026/27 Q2")


def test_a_conversation_moves_between_places_as_people_say_it(bot):
    def turn(question: str) -> dict:
        return bot.answer(Message(question, bot.person_by_email(BEN), "moving"), render_charts=False).facts

    turn("unemployment in park")
    assert turn("how does that compare to england")["geographies"] == ["E05014851", "E92000001"]
    assert turn("and the region?")["geographies"] == ["E05014851", "E12000005"]  # Park against the region
    assert turn("show me penn instead")["geographies"][0] == "E05014852"
