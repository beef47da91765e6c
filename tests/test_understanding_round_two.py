"""Understanding, second round, as a person meets it: a measure's RAG asked, typing slips, English
wards and groups of councils by name, periods as month ranges and pairs, returns by week, and
conversations that keep their subject through a refusal and after a ranking."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message

TODAY = date(2026, 11, 20)
BEN = "ben.singh@demo-council.example"          # the leader
ZOE = "zoe.gill@demo-council.example"           # the performance team
MAYA = "maya.rowe@demo-council.example"         # owns NEET and CLA
BEA = "cllr.bea.ahmed@demo-council.example"     # councillor for Blakenhall
WOLVERHAMPTON, WEST_MIDLANDS, ENGLAND = "E08000031", "E12000005", "E92000001"
BLACK_COUNTRY = {"E08000027", "E08000028", "E08000030", "E08000031"}


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def ask(bot: Bot, question: str, who: str = BEN, conversation: str | None = None) -> dict:
    return bot.answer(Message(question, bot.person_by_email(who), conversation or question), render_charts=False).facts


def quoted(facts: dict) -> list:
    return [v for v in facts.get("values") or [] if v.get("value") is not None]


@pytest.mark.parametrize("question,indicator,rag", [
    ("are we on target for claimant rate", "CLAIMANT_RATE", "amber"),
    ("RAG for crime rate Q2", "CRIME_RATE", "red"),
    ("is ctax collection green?", "COUNCIL_TAX_COLLECTION", "green"),
    ("homeless preventions - on track?", "HOMELESS_PREVENTIONS", "red"),
])
def test_a_measures_rag_asked_is_its_status(bot, question, indicator, rag):
    facts = ask(bot, question)
    assert (facts["intent"], facts["indicator"], facts["status"]) == ("status", indicator, rag)
    assert quoted(facts)[0]["geography"] == WOLVERHAMPTON


def test_a_comparison_stays_a_comparison_when_it_says_how_we_are_doing(bot):
    facts = ask(bot, "how r we doing on recycling compared to Dudley and Walsall")
    assert facts["intent"] == "compare" and facts["geographies"] == [WOLVERHAMPTON, "E08000027", "E08000030"]


@pytest.mark.parametrize("question,indicator", [
    ("which 3 wards have the highest yr6 obseity", "OBESITY_Y6"),
    ("sicknes absense trend - is it improving or not", "SICKNESS_DAYS"),
    ("whats the crme rate", "CRIME_RATE"),
])
def test_typing_slips_are_mended_to_perfbots_own_words(bot, question, indicator):
    assert ask(bot, question)["indicator"] == indicator


@pytest.mark.parametrize("question,named", [
    ("fly tipping darlaston south oct", "darlaston south"),
    ("claimant rate leeds", "leeds"),
    ("NEET in Quxbridge", "quxbridge"),
])
def test_places_it_holds_nothing_for_are_refused_never_answered_for_the_council(bot, question, named):
    facts = ask(bot, question)
    assert facts["intent"] == "unknown" and not quoted(facts)
    assert named in facts["answer"].lower()


def test_groups_of_councils_named_without_an_import(bot):
    black_country = ask(bot, "reablement - how do we stack up against the rest of the Black Country?")
    assert black_country["intent"] == "compare" and set(black_country["geographies"]) == BLACK_COUNTRY
    mets = ask(bot, "how r we doing on NEET compared to the mets")
    assert mets["geographies"][0] == WOLVERHAMPTON and len(mets["geographies"]) == 7
    assert ask(bot, "NEET vs stat neighbours")["intent"] == "unknown"  # no comparator group imported


@pytest.mark.parametrize("question,period", [
    ("no. of hhs we prevnted from going homless Jul-Sep 25?", "2025/26 Q2"),
    ("recyling rate Q2 same time last yr?", "2025/26 Q2"),
    ("the NEET % from Sept 25 specifically. whats the figure?", "2025-09"),
    ("bus patronage on the supported services 24-25 Q4?", "2024/25 Q4"),
])
def test_periods_written_every_way(bot, question, period):
    assert ask(bot, question)["period"] == period


def test_two_periods_side_by_side_are_a_span(bot):
    facts = ask(bot, "res care admissions 65+ Q1 vs Q2")
    assert facts["intent"] == "trend" and "Q1 2026/27 (Apr–Jun) to Q2 2026/27" in facts["answer"]


def test_a_ward_named_by_its_first_word_and_an_initial(bot):
    facts = ask(bot, "ks2 in tettenhall r vs tettenhall w?")
    assert facts["geographies"] == ["E05014854", "E05014855"]


def test_returns_due_next_week_and_the_calendar_of_a_named_period(bot):
    later = Bot(bot.store, today=lambda: date(2026, 12, 2))
    facts = ask(later, "what returns are due next week", ZOE)
    assert facts["intent"] == "due" and "due Thu 10 Dec 2026" in facts["answer"]  # and those overdue already
    assert "Jan 2027" not in facts["answer"]  # nothing due later
    deadline = ask(later, "when's the Q3 data return deadline", ZOE)
    assert "data return Wed 20 Jan 2027" in deadline["answer"]


def test_a_conversation_keeps_its_subject_through_a_refusal_and_after_a_ranking(bot):
    turns = ["ks2 rwm 2024/25 for wolves", "how about in Shropshire", "what about the year before", "rag for 25/26?"]
    got = [ask(bot, turn, ZOE, conversation="c1") for turn in turns]
    assert [f["intent"] for f in got] == ["value", "unknown", "value", "status"]
    assert [f["period"] for f in got[2:]] == ["2023/24", "2025/26"] and got[3]["indicator"] == "KS2_RWM"
    ranked = [ask(bot, turn, ZOE, conversation="c2") for turn in ["which ward has the most asb", "trend for the worst one?"]]
    assert ranked[1]["intent"] == "trend" and ranked[1]["geographies"] == [ranked[0]["ranked"][0]]


def test_a_variant_of_the_measure_just_answered(bot):
    turns = ["male life expectancy in blakenhall?", "female?"]
    got = [ask(bot, turn, BEA, conversation="c3") for turn in turns]
    assert (got[1]["indicator"], got[1]["geographies"]) == ("LIFE_EXP_FEMALE", ["E05014840"])


def test_why_is_it_red_is_its_figure_against_its_target_and_the_cause_is_not_guessed_at(bot):
    turns = ["budget variance latest", "why is it red", "why did it go up so much"]
    got = [ask(bot, turn, ZOE, conversation="c4") for turn in turns]
    assert (got[1]["intent"], got[1]["indicator"], got[1]["status"]) == ("status", "BUDGET_VARIATION", "red")
    assert "What lies behind the figure is for its owner" in got[1]["answer"]
    assert got[2]["intent"] == "unknown" and not quoted(got[2])
