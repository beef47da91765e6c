"""Someone perfbot does not know (issue 24, item 7) — `perfbot ask --as nobody@…`, the web chat's
visitor — sees published values only: never a value submitted by message, commentary, targets,
RAG statuses or owners' names; per value and per field. A known person still sees them all."""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.core.bot import Bot
from bot.core.charting import trend_data
from bot.core.messages import Message

TODAY = date(2026, 11, 27)
MAYA = "maya.rowe@demo-council.example"  # owns NEET
SUBMITTED, COMMENTARY = 7.9, "Numbers up after the college intake changed"


@pytest.fixture
def bot(store) -> Bot:
    bot = Bot(store, today=lambda: TODAY)
    maya = bot.person_by_email(MAYA)
    for words in ("NEET for October is 7.9%", "yes", COMMENTARY):
        bot.answer(Message(words, maya, "m"), render_charts=False)
    return bot


def ask(bot: Bot, question: str, who: str | None = None) -> dict:
    person = bot.person_by_email(who) if who else None
    return bot.answer(Message(question, person, "q"), render_charts=False).facts


QUESTIONS = ["what's the latest NEET rate?", "NEET trend", "compare NEET with the region",
             "NEET in October 2026", "how is Wolverhampton doing?"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_an_unknown_person_sees_no_submission_commentary_target_or_owner(bot, question):
    facts = ask(bot, question)
    answer = facts["answer"]
    assert all(value["value"] != SUBMITTED for value in facts["values"]), answer
    for internal in ("7.9%", COMMENTARY, "Commentary", "Target", "target", "Maya Rowe", "🔴", "🟠", "🟢"):
        assert internal not in answer, (internal, answer)
    assert not re.search(r"\b(?:red|amber|green)\b", answer), answer
    assert facts["target"] is None and facts["status"] is None


def test_the_published_value_is_still_answered_and_a_known_person_sees_the_submission(bot):
    public = ask(bot, "what's the latest NEET rate?")
    assert public["period"] == "2026-09" and public["values"][0]["value"] == 5.3 and "DfE NCCIS" in public["answer"]
    known = ask(bot, "what's the latest NEET rate?", "zoe.gill@demo-council.example")
    assert known["period"] == "2026-10" and known["values"][0]["value"] == SUBMITTED
    assert COMMENTARY in known["answer"] and "Target for 2026/27" in known["answer"]


def test_an_unknown_persons_trend_chart_has_no_targets(bot):
    from bot.core.answers.common import Ask
    from intents.parser import parse
    query = parse("NEET trend", bot.lexicon, TODAY)
    lookup = bot.public_lookup
    lookup.refresh()
    series = lookup.values("NEET", [bot.council])
    data = trend_data(Ask(query, None, lookup, bot.council, TODAY), "NEET", bot.council, series, series.iloc[0:0])
    assert data.targets == [] and all(point.rag is None for point in data.points)
    assert SUBMITTED not in [point.value for point in data.points]


def test_an_unpublished_indicator_is_refused_to_an_unknown_person(bot):
    facts = ask(bot, "who owns NEET?")
    assert facts["refused"] is True and "Maya" not in facts["answer"]


def test_perfbot_ask_as_nobody(store, bot, tmp_path):
    """The command the issue was found with, against the same store."""
    url = str(store.engine.url.render_as_string(hide_password=False))
    done = subprocess.run([str(Path(sys.executable).parent / "perfbot"), "ask", "what's the latest NEET rate?", "--as",
                           "nobody@example.com", "--today", "2026-11-27", "--database", url],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5.3%" in done.stdout and "7.9%" not in done.stdout and COMMENTARY not in done.stdout
    assert "Target" not in done.stdout
