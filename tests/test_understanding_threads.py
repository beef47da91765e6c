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


def test_the_one_return_listed_is_the_one_talked_about(bot):
    listed, due, sent, most = talk(bot, "wendy.ahmed@demo-council.example", "have I got any returns outstanding?",
                                   "when was it due", "what did we put in for sept", "which ward had the most")
    assert (listed["indicator"], listed["period"]) == ("ASB_INCIDENTS", "2026-10")
    assert due["indicator"] == "ASB_INCIDENTS" and "Tue 10 Nov 2026" in due["answer"]
    assert (sent["intent"], sent["indicator"], sent["period"], sent["values"][0]["value"]) == ("value", "ASB_INCIDENTS", "2026-09", 801)
    assert (most["intent"], most["ranked"][0]) == ("rank", "E05014844")


def test_a_figure_sent_and_a_missing_quarter_of_the_measure_talked_about(bot):
    sent = talk(bot, "rachel.dhillon@demo-council.example", "what figure did we submit for major planning apps in Q2")[0]
    assert (sent["intent"], sent["period"], sent["values"][0]["value"]) == ("value", "2026/27 Q2", 80)
    _, missing, chase = talk(bot, "zoe.gill@demo-council.example", "whats the latest rate of kids in care per 10k",
                             "why is there no Q2 figure yet? the board pack goes next week", "who do I chase for it")
    assert (missing["intent"], missing["indicator"], missing["period"]) == ("due", "CLA_RATE", "2026/27 Q2")
    assert (chase["intent"], chase["indicator"]) == ("owner", "CLA_RATE") and "Maya Rowe" in chase["answer"]


def test_after_did_you_mean_a_reply_leaning_on_a_measure_is_about_the_one_offered(bot):
    offered, good, region = talk(bot, "cllr.deepa.quinn@demo-council.example", "how's our kerbside recycling rate?",
                                 "is that good?", "and the west mids figure?")
    assert offered["intent"] == "clarify" and not offered["values"]
    assert (good["intent"], good["indicator"], good["status"]) == ("status", "RECYCLING_RATE", "green")
    assert (region["intent"], region["geographies"], region["values"][0]["value"]) == ("value", ["E12000005"], 37.3)
    alone = talk(bot, MAYA, "and the west mids figure?")[0]
    assert alone["intent"] == "clarify" and not alone["values"]  # which measure's figure: asked, no profile
    versus = talk(bot, MAYA, "vs england")[0]
    assert versus["intent"] == "clarify" and not versus["values"]
    # the words not understood name another measure ("anti social"): the one offered is not assumed
    _, before = talk(bot, "cllr.ben.patel@demo-council.example",
                     "latest anti social figures for heath town pls, residents are on at me about the bike lads again",
                     "what was it the month before")
    assert before["indicator"] != "POPULATION" and not before["values"]


def test_i_meant_corrects_the_last_question(bot):
    _, meant, women = talk(bot, "cllr.ellen.obrien@demo-council.example", "male life expectancy in tettenhall regis?",
                           "sorry no, I meant wightwick", "and for women")
    assert (meant["indicator"], meant["geographies"], meant["values"][0]["value"]) == ("LIFE_EXP_MALE", ["E05014855"], 83.5)
    assert (women["indicator"], women["geographies"]) == ("LIFE_EXP_FEMALE", ["E05014855"])
    target = talk(bot, MAYA, "what % of FOIs are we meant to answer in time? the target I mean")[0]
    assert (target["intent"], target["target"]) == ("target", 82)


def test_mine_against_the_ward_ranked_first(bot):
    _, versus = talk(bot, "cllr.ellen.obrien@demo-council.example", "which ward's lowest for female life expectancy",
                     "how does mine compare to that")
    assert (versus["intent"], versus["geographies"]) == ("compare", ["E05014855", "E05014844"])


def test_status_asked_as_tolerance_promises_and_where_it_should_be(bot):
    for question, indicator in [("budget position - are we within tolerance or not", "BUDGET_VARIATION"),
                                ("where are we on the claimant count target", "CLAIMANT_RATE"),
                                ("is residual waste where it should be or not?", "RESIDUAL_WASTE"),
                                ("neet, are we meeting what we promised?", "NEET")]:
        got = talk(bot, MAYA, question)[0]
        assert (got["intent"], got["indicator"]) == ("status", indicator), question
        assert got["status"] in ("red", "amber", "green"), question


def test_longest_and_shortest_rank_and_tolerance_bands_are_targets(bot):
    ranked = talk(bot, MAYA, "male life expectancy across the WM mets, shortest to longest")[0]
    assert ranked["intent"] == "rank" and ranked["ranked"][0] == "E08000025"  # Birmingham, shortest
    band = talk(bot, MAYA, "budget variance tolerance band for this financial year?")[0]
    assert (band["intent"], band["indicator"]) == ("target", "BUDGET_VARIATION")


def test_returns_for_someone_who_owns_nothing_or_has_sent_everything(bot):
    nothing = talk(bot, "farid.underwood@demo-council.example", "what returns have I got due this month?")[0]
    assert "You don't own or cover any measures" in nothing["answer"]
    done = talk(bot, "maya.iqbal@demo-council.example", "have I done my Q2 return?")[0]
    assert "all the Q2 2026/27 returns due from you have been submitted" in done["answer"]


def test_an_aside_naming_the_council_and_everyday_words_for_a_measures_own(bot):
    killed = talk(bot, VICTOR, "Had a resident on at me about speeding on the Wolverhampton Rd. How many folk were "
                               "killed or seriously hurt on the roads in my ward in 2025-26?")[0]
    assert (killed["indicator"], killed["geographies"], killed["period"], killed["values"][0]["value"]) == \
        ("KSI", [WEDNESFIELD_NORTH], "2025/26", 4)
    homes = talk(bot, MAYA, "which ward delivered the most net additional dwellings last year")[0]
    assert (homes["intent"], homes["indicator"], homes["ranked"][0]) == ("rank", "NEW_HOMES", "E05014848")


def test_a_year_said_in_words_after_a_month_ta_before_a_verb_stats_wise_and_slipping(bot):
    asb = talk(bot, MAYA, "ASB - total incidents across the city for Sept twenty-six?")[0]
    assert (asb["period"], asb["values"][0]["value"]) == ("2026-09", 801)
    ta = talk(bot, MAYA, "is TA on target")[0]
    assert (ta["intent"], ta["indicator"]) == ("status", "TEMP_ACCOMMODATION")
    profile = talk(bot, MAYA, "what's St Peters like, stats wise")[0]
    assert (profile["intent"], profile["geographies"]) == ("profile", ["E05014853"])
    slipping = talk(bot, MAYA, "any measures slipping?")[0]
    assert slipping["intent"] == "changes"
