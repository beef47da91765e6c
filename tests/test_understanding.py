"""Understanding that generalises, as a person meets it: ordinary words around a question never block
it and are never taken for places or subjects; words perfbot knows, left unused, are asked about;
scope narrows or is said to be unknown; what changed; returns in everyday words; follow-ups about the
indicator just answered; commentary typed with its measure."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message

TODAY = date(2026, 12, 1)
BEN = "ben.singh@demo-council.example"          # the leader
PRIYA = "cllr.priya.evans@demo-council.example"  # a councillor (Bilston North), no staff role
MAYA = "maya.rowe@demo-council.example"          # owns NEET and CLA
FIONA = "fiona.foster@demo-council.example"      # Governance director, no portfolio
AMIRA = "amira.ahmed@demo-council.example"       # City Housing officer


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def ask(bot: Bot, question: str, who: str = BEN, conversation: str | None = None) -> dict:
    person = bot.person_by_email(who)
    return bot.answer(Message(question, person, conversation or question), render_charts=False).facts


def quoted(facts: dict) -> list:
    return [v for v in facts.get("values") or [] if v.get("value") is not None]


@pytest.mark.parametrize("question,indicator,place", [
    ("whats unemployment like at the mo", "CLAIMANT_RATE", "E08000031"),
    ("NEET for the Cabinet slide pls", "NEET", "E08000031"),
    ("how many ppl out of work round our way lol", "CLAIMANT_RATE", "E05014838"),
    ("temp accom figs tbh", "TEMP_ACCOMMODATION", "E08000031"),
    ("yr6 obesity atm", "OBESITY_Y6", "E08000031"),
])
def test_framing_and_shorthand_never_block_the_answer(bot, question, indicator, place):
    facts = ask(bot, question, PRIYA)
    assert facts["indicator"] == indicator and facts["geographies"][0] == place and quoted(facts)


@pytest.mark.parametrize("question,said", [
    ("unemployment in Leeds", "I hold no figures for Leeds"),
    ("crime in hull vs england", "I hold no figures for"),
    ("obesity in Middle Earth", "Middle Earth"),
    ("whats the crime rate on mars", "Mars"),
    ("knife crime in Penn", "knife"),
    ("population of pandas in Oxley", "pandas"),
    ("sickness absence for childrens services only", "Children's Services"),
    ("staff sickness by department", "department"),
    ("A&E waiting times at new cross?", ""),
])
def test_places_subjects_and_splits_it_does_not_hold_get_no_figures(bot, question, said):
    facts = ask(bot, question)
    assert not quoted(facts) and said in facts["answer"]


def test_a_period_not_in_yet_is_said_and_offered_never_quoted(bot):
    facts = ask(bot, "what's recycling looking like this qtr")
    assert not quoted(facts) and "Q3 2026/27 (Oct–Dec) isn't in yet" in facts["answer"]
    assert "The newest I hold is Q2 2026/27" in facts["answer"]


def test_scope_narrows_or_is_said_to_be_unknown(bot):
    housing = ask(bot, "red measures in housing")
    assert housing["intent"] == "status" and housing["red"] == ["HOMELESS_PREVENTIONS"]
    directorate = ask(bot, "any reds in my directorate?", FIONA)
    assert directorate["red"] == ["CONTACT_SATISFACTION", "STAFF_RETENTION"]
    nobody = ask(bot, "what's red in my portfolio", FIONA)
    assert nobody.get("refused") and "You don't hold a cabinet portfolio" in nobody["answer"] and not nobody["red"]


def test_what_changed_names_new_reds_and_the_direction(bot):
    worse = ask(bot, "what got worse this quarter")
    assert worse["intent"] == "changes" and "BUDGET_VARIATION" in worse["new_red"]
    assert "Improved" not in worse["answer"] and "Got worse" in worse["answer"]
    better = ask(bot, "what's improved since last quarter?")
    assert better["intent"] == "changes" and better["better"] and "New to red" not in better["answer"]
    assert ask(bot, "has NEET gone red?")["intent"] == "status"


def test_returns_in_everyday_words(bot):
    for question in ("which of my returns are late", "what am I behind on", "anything outstanding from me?"):
        facts = ask(bot, question, MAYA)
        assert facts["intent"] == "due" and {r["indicator"] for r in facts["due"]} >= {"NEET"}, question
    other = ask(bot, "has maya rowe done the LAC Q2 return yet", AMIRA)
    assert other["person"] == MAYA and [r["indicator"] for r in other["due"]] == ["CLA_RATE"]
    assert "Maya Rowe still owes 1 return" in other["answer"]
    councillor = ask(bot, "has maya rowe done the LAC Q2 return yet", PRIYA)
    assert "can't tell you what Maya Rowe owes" in councillor["answer"] and "due" not in councillor


def test_follow_ups_about_the_indicator_just_answered(bot):
    turns = ["recycling rate?", "how's that compare to england", "and the target?", "is it going the right way",
             "who owns that one", "is it red?"]
    got = [ask(bot, turn, PRIYA, conversation="c") for turn in turns]
    assert [f["intent"] for f in got] == ["value", "compare", "target", "trend", "owner", "status"]
    assert all(f["indicator"] == "RECYCLING_RATE" for f in got)
    assert got[1]["geographies"] == ["E08000031", "E92000001"]
    by_age = ask(bot, "can I get that by age band", PRIYA, conversation="c")
    assert by_age["intent"] == "unknown" and not quoted(by_age)


def test_commentary_typed_with_its_measure_is_recorded_at_once(bot):
    facts = ask(bot, "comment on staff retention: turnover rose after the August Placement Panel restructure", FIONA)
    assert facts["intent"] == "commentary" and facts["commentary"].startswith("turnover rose after the August")
    assert "recorded" in facts["answer"]
    refused = ask(bot, "comment on staff retention: no idea", PRIYA)
    assert "Only the owner" in refused["answer"]


def test_a_comparison_with_places_is_no_trend_and_a_group_not_held_is_said(bot):
    more = ask(bot, "is there more crime in Heath Town than in the city")
    assert more["intent"] == "compare" and more["geographies"] == ["E05014848", "E08000031"]
    england = ask(bot, "is recycling better or worse than england")
    assert england["intent"] == "compare" and england["geographies"] == ["E08000031", "E92000001"]
    assert ask(bot, "NEET now vs a year ago")["intent"] == "trend"
    neighbours = ask(bot, "NEET: us vs statistical neighbours")
    assert not quoted(neighbours) and "I hold no comparator group" in neighbours["answer"]
