"""Nobody acts for someone else by message, and nothing set by the performance team's files is
changed by message (issue 24, item 8): each request is refused saying what can't be done and why,
nothing is written, and no other question is answered in its place."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import Message
from intents.acting_for import cannot_do

TODAY = date(2026, 11, 27)
ZOE = "zoe.gill@demo-council.example"    # performance team
MAYA = "maya.rowe@demo-council.example"  # owns NEET
KATE = "kate.young@demo-council.example"  # Maya's delegate
TABLES = ("subscription", "reminder_pause", "target", "indicator", "delegate", "alert_rule", "audit_log")


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def counts(store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in TABLES}


def ask(bot: Bot, words: str, who: str = ZOE) -> dict:
    return bot.answer(Message(words, bot.person_by_email(who), "c"), render_charts=False).facts


@pytest.mark.parametrize("words, said, never", [
    ("subscribe maya.rowe@… to NEET", "subscribe or unsubscribe only you, not act for Maya Rowe", "Done"),
    ("subscribe maya.rowe@demo-council.example to NEET", "not act for Maya Rowe", "Done"),
    ("unsubscribe Maya Rowe from NEET", "not act for Maya Rowe", "is owned by"),
    ("snooze Maya Rowe's reminder until Friday", "only your own reminders, not act for Maya Rowe", "no reminders until"),
    ("change the NEET target to 3%", "I can't change targets by message — nothing was changed", "5.4%"),
    ("set the target for NEET to 3%", "I can't change targets by message", "not sure what"),
    ("make Kate Young the owner of NEET", "who owns an indicator", "is owned by"),
])
def test_a_request_for_another_or_for_a_file_setting_is_refused_and_changes_nothing(bot, store, words, said, never):
    before = counts(store)
    facts = ask(bot, words)
    assert said in facts["answer"] and never not in facts["answer"], facts["answer"]
    assert facts["refused"] is True and facts["intent"] == "cannot"
    assert counts(store) == before


def test_ones_own_requests_still_work(bot, store):
    assert "Done" in ask(bot, "subscribe me to NEET")["answer"]
    assert "*5.4%*" in ask(bot, "what is the NEET target?")["answer"]
    assert "Maya Rowe" in ask(bot, "who owns NEET?")["answer"]
    owed = ask(bot, "what returns do I owe?", MAYA)
    assert "You owe" in owed["answer"] and owed["intent"] == "due"


def test_what_someone_else_owes_is_theirs_never_the_askers(bot):
    owed = ask(bot, "what returns does Maya Rowe owe?")
    assert owed["intent"] == "due" and owed["person"] == MAYA and "You owe" not in owed["answer"]
    assert {r["owner"] for r in owed["due"]} <= {MAYA} and "Maya Rowe still owes" in owed["answer"]


def test_naming_oneself_is_not_acting_for_another():
    people = [(MAYA, "Maya Rowe"), (KATE, "Kate Young")]
    assert cannot_do("snooze Maya Rowe's reminder until Friday", people, MAYA) is None
    assert cannot_do("snooze Maya Rowe's reminder until Friday", people, KATE).who == MAYA
    assert cannot_do("give me the NEET target", people, KATE) is None
    assert cannot_do("NEET value for Maya Rowe's service", people, KATE) is None  # a question, not an act for her
