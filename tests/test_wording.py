"""Words a council user reads (issue 19): names not codes on buttons, tolerances in the unit,
a submitted value's source as a person and a date, and counts that agree with their nouns."""
from __future__ import annotations

from datetime import date

from bot.core.bot import Bot
from bot.core.format import shorten, tolerance_text
from bot.core.messages import ChoicesReply, Message, TextReply

MAYA = "maya.rowe@demo-council.example"
BEN = "ben.singh@demo-council.example"


def _ask(bot: Bot, text: str, email: str, conversation: str = "wording"):
    return bot.answer(Message(text, bot.person_by_email(email), conversation, channel="console"), render_charts=False)


def test_submit_buttons_name_the_return_in_words(demo_store):
    bot = Bot(demo_store, today=lambda: date(2026, 11, 27))
    answer = _ask(bot, "what returns do I owe?", MAYA)
    labels = [choice.label for reply in answer.replies if isinstance(reply, ChoicesReply) for choice in reply.choices]
    assert labels and all(label.startswith("Submit ") and "_" not in label and len(label) <= 60 for label in labels)
    assert any("October 2026" in label for label in labels)


def test_an_amber_tolerance_reads_in_the_unit(demo_store):
    bot = Bot(demo_store, today=lambda: date(2026, 11, 27))
    answer = _ask(bot, "what is the target for council tax collection this year?", BEN)
    assert "amber within 0.7 percentage points" in answer.facts["answer"]
    assert tolerance_text(1.0, "%", 1) == "1.0 percentage points" and tolerance_text(2, "per 1,000", 0) == "2 per 1,000"


def test_a_submitted_value_is_sourced_to_its_person_and_day(store):
    bot = Bot(store, today=lambda: date(2026, 11, 27))
    _ask(bot, "NEET for October is 5.4%", MAYA, "maya")
    answer = _ask(bot, "NEET in October 2026", BEN, "ben")
    said = "\n".join(r.text for r in answer.replies if isinstance(r, TextReply))
    assert "Source: submitted by Maya Rowe, 27 Nov 2026" in said and "NEET for October" not in said


def test_labels_are_shortened_at_a_word():
    assert shorten("Submit Journeys on supported bus services for Q2 2026/27", 40) == "Submit Journeys on supported bus…"
    assert shorten("short", 40) == "short"


def test_help_is_for_the_persons_role_and_its_examples_are_buttons(demo_store):
    bot = Bot(demo_store, today=lambda: date(2026, 11, 27))
    owner = _ask(bot, "help", MAYA)
    councillor = _ask(bot, "help", "cllr.farid.mistry@demo-council.example")
    owner_buttons = [c.value for r in owner.replies if isinstance(r, ChoicesReply) for c in r.choices]
    councillor_buttons = [c.value for r in councillor.replies if isinstance(r, ChoicesReply) for c in r.choices]
    assert "what returns do I owe?" in owner_buttons and "tell me about my ward" not in owner_buttons
    assert "tell me about my ward" in councillor_buttons and "what returns do I owe?" not in councillor_buttons
    clicked = bot.answer(Message("", bot.person_by_email(MAYA), "wording", channel="console",
                                 action={"choice": owner_buttons[0]}), render_charts=False)
    assert clicked.facts["intent"] == "due"
