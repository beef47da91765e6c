"""The thread of a conversation held (issue 23, fifth round): the ward just looked at stays the place
("crime rate?" after a ward's profile, "in the ward"), a comparison against England keeps the place
compared, a ward offered before is picked beside "the borough", "the quarter before" is counted from
the newest figure, and "why's it red" is answered with the figure against its target."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message

TODAY = date(2026, 11, 20)
BEA = "cllr.bea.hughes@demo-council.example"      # councillor for Merry Hill
VICTOR = "cllr.victor.hughes@demo-council.example"  # councillor for Wednesfield North
MAYA = "maya.hughes@demo-council.example"         # performance officer, no ward
IMRAN = "imran.clarke@demo-council.example"       # director of City Environment, no ward
WOLVERHAMPTON, ENGLAND = "E08000031", "E92000001"
MERRY_HILL, PENN, WEDNESFIELD_NORTH, BILSTON_SOUTH = "E05014849", "E05014852", "E05014856", "E05014839"


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def talk(bot: Bot, who: str, *messages: str) -> list[dict]:
    person = bot.person_by_email(who)
    channel = f"threads-{who}-{messages[0]}"  # a conversation of its own
    return [bot.answer(Message(text, person, channel), render_charts=False).facts for text in messages]


def test_a_measure_asked_after_a_wards_profile_is_asked_of_that_ward(bot):
    _, crime, versus, fly_tipping = talk(bot, BEA, "could you give me a quick overview of my ward please?", "crime rate?",
                                         "Is that higher than the Wolverhampton average?",
                                         "how many fly tipping reports did we get in the ward last month")
    assert (crime["intent"], crime["geographies"], crime["values"][0]["value"]) == ("value", [MERRY_HILL], 23.2)
    assert (versus["intent"], versus["geographies"]) == ("compare", [MERRY_HILL, WOLVERHAMPTON])
    assert (fly_tipping["intent"], fly_tipping["geographies"], fly_tipping["period"]) == ("value", [MERRY_HILL], "2026-10")
    assert fly_tipping["values"][0]["value"] == 23


def test_the_ward_is_the_one_talked_about_else_a_councillors_own_else_asked(bot):
    penn = talk(bot, MAYA, "crime in penn", "fly tipping in the ward last month")[1]
    assert (penn["geographies"], penn["values"][0]["value"]) == ([PENN], 19)
    own = talk(bot, BEA, "fly tipping in the ward last month")[0]
    assert own["geographies"] == [MERRY_HILL]
    asked = talk(bot, MAYA, "fly tipping in the ward last month")[0]
    assert not asked["values"] and "Which ward do you mean by “in the ward”?" in asked["answer"]
    named = talk(bot, MAYA, "fly tipping in the ward of penn last month")[0]
    assert named["geographies"] == [PENN]


def test_comparing_that_with_england_keeps_the_place_compared(bot):
    *_, compared = talk(bot, VICTOR, "what % of kids are living in low income families in heath town", "mine?",
                        "has mine been getting better or worse over the years", "compare that to england")
    assert (compared["intent"], compared["geographies"]) == ("compare", [WEDNESFIELD_NORTH, ENGLAND])
    assert [v["value"] for v in compared["values"]] == [31.8, 30.6]


def test_a_ward_offered_before_is_picked_beside_the_borough(bot):
    *_, against = talk(bot, MAYA, "claimant rate for bilston?", "south", "and north?", "is south above the borough rate")
    assert (against["intent"], against["geographies"]) == ("compare", [BILSTON_SOUTH, WOLVERHAMPTON])
    assert [v["value"] for v in against["values"]] == [7.7, 6.0]


def test_the_quarter_or_month_before_is_counted_from_the_newest_figure(bot):
    crime = talk(bot, IMRAN, "crime - what was it the quarter before")[0]
    assert (crime["period"], crime["values"][0]["value"]) == ("2026/27 Q1", 27.5)
    claimants = talk(bot, MAYA, "claimant rate the month before")[0]
    assert (claimants["period"], claimants["values"][0]["value"]) == ("2026-09", 6.2)
    worst = talk(bot, MAYA, "which ward had the most crime the quarter before")[0]
    assert (worst["intent"], worst["period"]) == ("rank", "2026/27 Q1")


def test_why_a_measure_is_red_after_a_list_is_that_measure_for_the_council(bot):
    _, why = talk(bot, IMRAN, "anything flashing red in city environment? my patch", "why's crime red")
    assert (why["intent"], why["indicator"], why["geographies"], why["status"]) == ("status", "CRIME_RATE", [WOLVERHAMPTON], "red")
    assert "27.9 per 1,000" in why["answer"] and "26.5 per 1,000" in why["answer"]
