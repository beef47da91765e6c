"""Understanding, sixth round (issue 23): ward names said shortened ("weds south", "tett wightwick",
"St Pete's", "bilston n") and never made of everyday words; the period talked about kept by "is that
on target?" and "same quarter"; "why's that red" after a clause naming the measure; the figure "we
sent in" and the "actual"; returns missed and a return asked about by name and period; what a measure
is based on, its unit and which way is good; status asked as hitting a target; and a month or quarter
not yet over never the newest figure."""
from __future__ import annotations

from datetime import date

import pytest

from tests.talking import talk

WOLVERHAMPTON = "E08000031"
BILSTON_NORTH, WEDNESFIELD_NORTH, WEDNESFIELD_SOUTH = "E05014838", "E05014856", "E05014857"
TETTENHALL_WIGHTWICK, ST_PETERS, HEATH_TOWN = "E05014855", "E05014853", "E05014848"
BEN = "cllr.ben.patel@demo-council.example"        # councillor for Heath Town
VICTOR = "cllr.victor.hughes@demo-council.example"  # councillor for Wednesfield North
ZOE = "zoe.gill@demo-council.example"
JAS = "jas.bains@demo-council.example"              # owns sickness absence
IMRAN = "imran.dhillon@demo-council.example"        # owns the revenue budget variation
SAM = "sam.singh@demo-council.example"


@pytest.mark.parametrize(("said", "ward"), [("weds south", WEDNESFIELD_SOUTH), ("tett wightwick", TETTENHALL_WIGHTWICK),
                                            ("St Pete's", ST_PETERS), ("bilston n", BILSTON_NORTH)])
def test_a_ward_said_shortened_is_that_ward(store, said, ward):
    _, there = talk(store, VICTOR, date(2026, 11, 11), "claimant rate wednesfield north", f"and {said}?")
    assert (there["intent"], there["indicator"], there["geographies"]) == ("value", "CLAIMANT_RATE", [ward])


def test_everyday_words_are_never_a_shortened_ward(store):
    asked = talk(store, VICTOR, date(2026, 11, 27), "are we not on target for yr6 obesity?")[0]
    assert (asked["intent"], asked["indicator"], asked["geographies"]) == ("status", "OBESITY_Y6", [WOLVERHAMPTON])


def test_that_on_target_is_the_quarter_talked_about_and_now_the_newest(store):
    first, same, on_target, now = talk(store, ZOE, date(2026, 10, 28), "recycling rate for Q1 pls",
                                       "residual waste for us, same qtr", "is that on target", "and now?")
    assert (same["indicator"], same["period"], same["values"][0]["value"]) == ("RESIDUAL_WASTE", "2026/27 Q1", 156)
    assert (on_target["intent"], on_target["period"], on_target["status"]) == ("status", "2026/27 Q1", "amber")
    assert (now["intent"], now["period"], now["status"]) == ("status", "2026/27 Q2", "red")


def test_why_that_colour_after_a_clause_naming_the_measure(store):
    *_, why = talk(store, "ben.singh@demo-council.example", date(2026, 11, 24), "staff retention - whats the latest",
                   "who's responsible for it", "ok and the budget one, why's that red")
    assert (why["intent"], why["indicator"], why["period"], why["status"]) == ("status", "BUDGET_VARIATION", "2026/27 Q1", "red")


def test_the_figure_we_sent_in_and_the_actual_are_its_value(store):
    _, sent = talk(store, JAS, date(2026, 11, 12), "whats the target for sickness", "n what was the last figure we sent in")
    assert (sent["intent"], sent["indicator"], sent["period"], sent["values"][0]["value"]) == ("value", "SICKNESS_DAYS", "2026/27 Q1", 9.3)
    _, actual = talk(store, "chloe.young@demo-council.example", date(2026, 11, 23),
                     "whats the target for bus journeys this year", "and q1 actual?")
    assert (actual["intent"], actual["period"], actual["values"][0]["value"]) == ("value", "2026/27 Q1", 282031)


def test_a_place_and_a_period_after_a_figure_keep_its_measure(store):
    _, before = talk(store, BEN, date(2026, 11, 9), "Child poverty in Bilston North please?", "and bilston n the yr before?")
    assert (before["intent"], before["indicator"], before["period"]) == ("value", "CHILD_POVERTY", "2024/25")
    _, versus = talk(store, BEN, date(2026, 11, 18), "hows my ward doing on crime atm?", "is that much worse than the city overall?")
    assert (versus["intent"], versus["geographies"]) == ("compare", [HEATH_TOWN, WOLVERHAMPTON])


def test_returns_missed_and_one_return_asked_by_name_and_period(store):
    missed = talk(store, IMRAN, date(2026, 10, 26), "have I missed any returns?")[0]
    assert missed["intent"] == "due" and "Net variation to revenue budget" in missed["answer"]
    asked = talk(store, SAM, date(2026, 11, 13), "Is the complaints return for October in?")[0]
    assert (asked["intent"], asked["indicator"], asked["period"]) == ("due", "COMPLAINTS_ON_TIME", "2026-10")


@pytest.mark.parametrize("question", ["what's the unit for residual waste - is it tonnes?",
                                      "residual waste - what is it based on?",
                                      "residual waste indicator - is higher good or bad"])
def test_what_a_measure_is_based_on_its_unit_and_its_good_direction_are_its_definition(store, question):
    defined = talk(store, ZOE, date(2026, 12, 1), question)[0]
    assert (defined["intent"], defined["indicator"]) == ("definition", "RESIDUAL_WASTE")
    assert "kg" in defined["answer"]


@pytest.mark.parametrize("question", ["are we not hitting the homelessness prevention target again??",
                                      "employment rate - how're we doing against what we set ourselves for this yr"])
def test_hitting_a_target_is_its_status(store, question):
    asked = talk(store, "eddie.kaur@demo-council.example", date(2026, 11, 30), question)[0]
    assert asked["intent"] == "status" and asked["status"] in ("red", "amber")


def test_a_month_not_yet_over_is_never_the_newest_figure(store):
    asked = talk(store, ZOE, date(2026, 10, 27), "FOI compliance - is it green currently?")[0]
    assert (asked["intent"], asked["period"], asked["status"]) == ("status", "2026-09", "green")
    ranked = talk(store, ZOE, date(2026, 10, 27), "which wards have the most fly tipping")[0]
    assert ranked["intent"] == "rank" and ranked["period"] == "2026-09"


def test_a_colleague_named_by_first_name_is_the_one_the_asker_or_the_return_points_to(store):
    covered = talk(store, "ellen.rowe@demo-council.example", date(2026, 11, 18), "What does Imran still owe the perf team?")[0]
    assert (covered["intent"], covered["person"]) == ("due", IMRAN)
    assert "Imran Dhillon still owes 1 return" in covered["answer"]
    by_return = talk(store, "maya.hughes@demo-council.example", date(2026, 11, 18), "has imran sent the budget return")[0]
    assert by_return["person"] == IMRAN
    several = talk(store, "maya.hughes@demo-council.example", date(2026, 11, 18), "what does chloe owe")[0]
    assert several["intent"] == "clarify" and "Chloe Mistry, Chloe Young" in several["answer"]
    asking = talk(store, IMRAN, date(2026, 10, 26), "what do I owe? Fiona's asked me to check")[0]
    assert asking["intent"] == "due" and "You owe 1 return" in asking["answer"]


def test_returns_not_in_for_a_month_and_when_the_report_goes_to_the_board(store):
    missing = talk(store, "zoe.underwood@demo-council.example", date(2026, 11, 16), "Which KPIs haven't had their October return yet?")[0]
    assert (missing["intent"], missing["period"]) == ("due", "2026-10")
    assert "Anti-social behaviour incidents" in missing["answer"]
    board = talk(store, "sam.patel@demo-council.example", date(2026, 10, 22), "When does the Q2 report go to management board?")[0]
    assert board["intent"] == "due" and "present to management board Tue 10 Nov 2026" in board["answer"]
    nxt = talk(store, "nikhil.walsh@demo-council.example", date(2026, 11, 19), "whens the next claimant count return due")[0]
    assert (nxt["intent"], nxt["indicator"], nxt["period"]) == ("due", "CLAIMANT_RATE", "2026-11")


def test_after_a_refusal_the_measure_refused_or_talked_of_goes_on(store):
    *_, park = talk(store, "maya.hughes@demo-council.example", date(2026, 11, 18), "crime in Penn", "unemployment in Sedgley",
                    "ok Park then")
    assert (park["intent"], park["indicator"], park["geographies"]) == ("value", "CLAIMANT_RATE", ["E05014851"])
    *_, meant = talk(store, "cllr.deepa.quinn@demo-council.example", date(2026, 11, 30), "ASB in Penn in august?",
                     "what about whitmore reans", "sorry I meant Park ward")
    assert (meant["indicator"], meant["geographies"], meant["period"]) == ("ASB_INCIDENTS", ["E05014851"], "2026-08")


def test_my_ward_alone_after_comparing_it_is_its_own_figure(store):
    *_, mine = talk(store, BEN, date(2026, 11, 18), "hows my ward doing on crime atm?", "is that worse than the city?",
                    "wot was my ward the qtr before")
    assert (mine["intent"], mine["geographies"], mine["period"]) == ("value", [HEATH_TOWN], "2026/27 Q1")
    *_, whole = talk(store, BEN, date(2026, 11, 28), "child poverty in Park?", "and for wolves as a whole")
    assert (whole["intent"], whole["indicator"], whole["geographies"]) == ("value", "CHILD_POVERTY", [WOLVERHAMPTON])


@pytest.mark.parametrize(("question", "indicator", "said"), [
    ("For sickness absence, is a higher number good or bad?", "SICKNESS_DAYS", "lower is better"),
    ("do we report FOI performance monthly or quarterly?", "FOI_ON_TIME", "monthly"),
    ("employment rate is for what age range?", "EMPLOYMENT_RATE", "16-64"),
    ("where do we get the smoking at time of delivery data from", "SMOKING_DELIVERY", "Source"),
    ("Is the sickness days figure a rolling year or just the quarter?", "SICKNESS_DAYS", "rolling"),
    ("children in care rate - is that per 1,000 kids or what", "CLA_RATE", "10,000")])
def test_a_property_of_a_measure_asked_is_its_definition(store, question, indicator, said):
    defined = talk(store, ZOE, date(2026, 11, 20), question)[0]
    assert (defined["intent"], defined["indicator"]) == ("definition", indicator)
    assert said in defined["answer"]


@pytest.mark.parametrize(("question", "indicator", "status"), [
    ("Is staff retention OK? The Q2 figure.", "STAFF_RETENTION", "red"),
    ("Any concerns on the good or outstanding schools measure for Q2?", "GOOD_SCHOOLS", "green"),
    ("is the revenue budget variance a problem? the Q1 position", "BUDGET_VARIATION", "red"),
    ("contact centre satisfaction q1, is it where it shud be", "CONTACT_SATISFACTION", "red")])
def test_whether_a_measure_is_ok_or_a_concern_is_its_status(store, question, indicator, status):
    asked = talk(store, ZOE, date(2026, 11, 25), question)[0]
    assert (asked["intent"], asked["indicator"], asked["status"]) == ("status", indicator, status)


def test_a_month_said_beside_its_period_is_no_place_and_one_not_read_is_not_guessed(store):
    jan = talk(store, ZOE, date(2026, 12, 2), "library visits dipped in january didnt they, what was the RAG for jan 26")[0]
    assert (jan["intent"], jan["period"], jan["status"]) == ("status", "2026-01", "red")
    held = talk(store, ZOE, date(2026, 11, 20), "complaints were green in September, did October hold up?")[0]
    assert not held["values"] and "October Hold" not in held["answer"]


def test_everyday_names_of_measures(store):
    poverty = talk(store, ZOE, date(2026, 12, 1), "child pov bushbury nth 25/26?")[0]
    assert (poverty["indicator"], poverty["geographies"], poverty["values"][0]["value"]) == ("CHILD_POVERTY", ["E05014841"], 32.8)
    homes = talk(store, ZOE, date(2026, 12, 3), "did we hit the house building target last year? (25/26 I mean)")[0]
    assert (homes["intent"], homes["indicator"], homes["status"]) == ("status", "NEW_HOMES", "green")
