"""A correction is taken only on a reply that reads as a reason (issue 24, item 2): a new request, a
retraction or a question cancels it, saying so, and a bare word asks again; a correction of an
older period names the period plainly and asks to confirm first."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import Message

TODAY = date(2026, 11, 27)
MAYA = "maya.rowe@demo-council.example"  # owns NEET


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def say(bot: Bot, words: str) -> dict:
    return bot.answer(Message(words, bot.person_by_email(MAYA), "c"), render_charts=False).facts


def neet(store, period: str) -> float:
    with store.engine.connect() as connection:
        return connection.execute(text(
            "SELECT value FROM observation WHERE indicator_code = 'NEET' AND geography_code = 'E08000031' "
            "AND period = :p AND superseded_at IS NULL"), {"p": period}).scalar_one()


def corrections(store) -> list[tuple]:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT old_value, new_value, reason FROM audit_log "
                                       "WHERE action = 'supersede' AND entity = 'observation'")).all()


def asking_why(bot: Bot) -> None:
    assert say(bot, "NEET for October is 5.4%")["recorded"] is True
    assert "Why change it to 5.1%?" in say(bot, "NEET for October is 5.1%")["answer"]


@pytest.mark.parametrize("reply, said", [
    ("submit a value", "That correction was not made"),
    ("sorry wrong month", "cancelled that correction"),
    ("oops I meant September", "cancelled that correction"),
    ("what is the target for NEET?", "That correction was not made"),
    ("show me NEET for Trafford", "That correction was not made"),
])
def test_a_request_retraction_or_question_is_never_the_reason(bot, store, reply, said):
    asking_why(bot)
    facts = say(bot, reply)
    assert said in facts["answer"] and "stays at 5.4%" in facts["answer"]
    assert neet(store, "2026-10") == 5.4 and corrections(store) == []


@pytest.mark.parametrize("reply", ["ok", "5.1", "because"])
def test_a_bare_word_asks_again_and_a_reason_then_corrects(bot, store, reply):
    asking_why(bot)
    again = say(bot, reply)
    assert "I need a short reason" in again["answer"] and neet(store, "2026-10") == 5.4
    done = say(bot, "the careers service revised the cohort")
    assert done["recorded"] is True and neet(store, "2026-10") == 5.1
    assert corrections(store) == [("5.4", "5.1", "the careers service revised the cohort")]


def test_an_older_period_is_named_and_confirmed_before_the_reason(bot, store):
    first = say(bot, "NEET for December is 5.1%")
    assert "That would change *December 2025*, not the latest period (October 2026)" in first["answer"]
    assert first["older_period"] is True and neet(store, "2025-12") == 5.2
    assert "Why change it to 5.1%?" in say(bot, "yes")["answer"]
    assert say(bot, "provider resubmitted December")["recorded"] is True
    assert neet(store, "2025-12") == 5.1 and corrections(store) == [("5.2", "5.1", "provider resubmitted December")]


def test_an_older_period_retracted_at_the_confirmation_changes_nothing(bot, store):
    say(bot, "NEET for December is 5.1%")
    facts = say(bot, "oops I meant October")
    assert "cancelled that correction" in facts["answer"] and "December 2025 stays at 5.2%" in facts["answer"]
    assert neet(store, "2025-12") == 5.2 and corrections(store) == []
