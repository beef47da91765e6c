"""The channel-neutral core as a person meets it: the wording of answers, follow-ups, clarification
buttons, unknown people, hostile input, and the rule that the core imports no chat SDK."""
from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text

from bot.core.bot import Bot, split_text
from bot.core.lookup import Lookup
from bot.core.messages import ChartReply, ChoicesReply, Message, TextReply
from data_access.audit import record_change
from data_access.models import ReminderPause
from data_access.periods import parse_period
from data_access.submissions import record_value
from schedules.pauses import snooze
from tests.conftest import on_postgresql

TODAY = date(2026, 11, 27)
BEN = "ben.singh@demo-council.example"
FARID = "cllr.farid.mistry@demo-council.example"


@pytest.fixture(scope="module")
def bot(demo_store) -> Bot:
    return Bot(demo_store, today=lambda: TODAY)


def ask(bot: Bot, question: str, who: str | None = BEN, conversation: str = "t", **action):
    person = bot.person_by_email(who) if who else None
    return bot.answer(Message(question, person, conversation, action=action or None), render_charts=True)


def words(answer) -> str:
    return "\n".join(r.text for r in answer.replies if isinstance(r, TextReply))


def test_value_answer_reads_like_a_report(bot):
    answer = ask(bot, "What's the latest NEET rate?")
    said = words(answer)
    assert said.splitlines()[0].endswith("· Wolverhampton · September 2026: *5.3%*")
    assert "Target for 2026/27: 5.4%" in said and "green" in said
    assert "improving since August 2026 (5.4%)" in said
    assert "Source: DfE NCCIS" in said
    assert answer.facts["status"] == "green" and answer.facts["target"] == 5.4


def test_comparison_states_the_gap_and_which_is_better(bot):
    said = words(ask(bot, "unemployment in my ward vs region", FARID))
    assert "Park: *6.2%*" in said
    assert "West Midlands: 5.7% (Park is 0.5 percentage points higher — worse)" in said


def test_a_month_not_in_yet_is_said_so_and_the_newest_offered_never_quoted_in_its_place(bot):
    answer = ask(bot, "NEET in October 2026")
    assert answer.facts["period"] is None and answer.facts["values"] == []
    assert "October 2026 isn't in yet" in words(answer) and "The newest I hold is September 2026" in words(answer)
    offered = [reply for reply in answer.replies if getattr(reply, "choices", None)]
    assert offered and "2026-09" in offered[0].choices[0].value


def test_a_month_between_values_held_is_said_to_be_missing(bot):
    answer = ask(bot, "NEET in December 2016")
    assert answer.facts["values"] == []
    assert "no value" in words(answer)


def test_a_period_still_to_come_is_refused(bot):
    answer = ask(bot, "NEET in March 2027")
    assert answer.facts["values"] == [] and "still to come" in words(answer)


def test_indicator_not_published_for_wards_says_so_and_quotes_no_other_place(bot):
    answer = ask(bot, "NEET in my ward", FARID)
    assert answer.facts["values"] == []
    assert "not published for a ward" in words(answer) and "no figure for Park" in words(answer)
    choices = [r for r in answer.replies if isinstance(r, ChoicesReply)]
    assert choices and "Wolverhampton" in choices[0].choices[0].label


def test_trend_always_carries_a_chart_with_alt_text(bot):
    answer = ask(bot, "is crime going up?")
    charts = [r for r in answer.replies if isinstance(r, ChartReply)]
    assert len(charts) == 1 and charts[0].png.startswith(b"\x89PNG")
    assert "crime" in charts[0].alt_text.lower()
    assert "getting worse" in words(answer)


def test_rank_points_out_the_askers_ward(bot):
    answer = ask(bot, "which wards have the highest child poverty", "cllr.eddie.singh@demo-council.example")
    assert answer.facts["ranked"][0] == "E05014843"
    assert "East Park: 43.7% ← you" in words(answer)


def test_follow_ups_change_place_time_and_form(bot):
    first = ask(bot, "unemployment in my ward", FARID, conversation="f")
    assert first.facts["geographies"] == ["E05014851"] and first.facts["period"] == "2026-10"
    penn = ask(bot, "and for Penn?", FARID, conversation="f")
    assert penn.facts["geographies"] == ["E05014852"] and penn.facts["indicator"] == "CLAIMANT_RATE"
    last_year = ask(bot, "what about last year?", FARID, conversation="f")
    assert last_year.facts["period"] == "2025-10" and last_year.facts["geographies"] == ["E05014852"]
    chart = ask(bot, "as a chart", FARID, conversation="f")
    assert chart.facts["chart"] is True and any(isinstance(r, ChartReply) for r in chart.replies)
    versus = ask(bot, "compared with the region", FARID, conversation="f")
    assert versus.facts["intent"] == "compare" and versus.facts["geographies"] == ["E05014852", "E12000005"]


def test_other_conversations_do_not_share_context(bot):
    ask(bot, "unemployment in my ward", FARID, conversation="a")
    other = ask(bot, "and for Penn?", FARID, conversation="b")
    assert other.facts["indicator"] is None


def test_clarification_offers_buttons_and_a_click_continues(bot):
    answer = ask(bot, "life expectancy in Heath Town", conversation="c")
    buttons = [r for r in answer.replies if isinstance(r, ChoicesReply)]
    assert answer.facts["intent"] == "clarify" and len(buttons) == 1
    values = {c.value for c in buttons[0].choices}
    assert values == {"LIFE_EXP_MALE", "LIFE_EXP_FEMALE"}
    chosen = ask(bot, "", conversation="c", choice="LIFE_EXP_FEMALE")
    assert chosen.facts["indicator"] == "LIFE_EXP_FEMALE" and chosen.facts["geographies"] == ["E05014848"]
    assert chosen.facts["values"][0]["value"] == 75.0


def test_unknown_person_gets_public_indicators_only(bot):
    public = ask(bot, "crime in Park", who=None)
    assert public.facts["values"] and public.facts["refused"] is None
    internal = ask(bot, "staff retention", who=None)
    assert internal.facts["refused"] is True and "don't recognise you" in words(internal)
    status = ask(bot, "which measures are red?", who=None)
    assert status.facts["refused"] is True and status.facts["red"] == []


def test_unknown_words_get_suggestions(bot):
    answer = ask(bot, "bus usage")
    assert answer.facts["intent"] == "unknown"
    assert "BUS_JOURNEYS" in answer.facts["choices"]
    assert "not sure which indicator you mean by “bus usage”" in words(answer) and answer.facts["values"] == []


@pytest.mark.parametrize("question", [
    "", "   ", "?!?!...", "🙂🙂🙂", "x" * 10_000, "crime " * 2_000,
    "'; DROP TABLE observation; --", "unemployment in Park' OR '1'='1", "<script>alert(1)</script>",
    "\x00\x01\x02", "ＮＥＥＴ", "NEET " + "🙂" * 500,
])
def test_hostile_input_gets_a_polite_reply_and_writes_nothing(store, question):
    bot = Bot(store, today=lambda: TODAY)
    with store.engine.connect() as connection:
        before = [connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                  for table in ("observation", "audit_log", "indicator", "person")]
    answer = ask(bot, question)
    said = words(answer)
    assert said.strip() and len(said) < 4000
    assert "<script>" not in said
    with store.engine.connect() as connection:
        after = [connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                 for table in ("observation", "audit_log", "indicator", "person")]
    assert after == before


def test_long_answers_are_split_at_line_breaks():
    lines = [f"line {i} " + "x" * 90 for i in range(100)]
    parts = split_text("\n".join(lines), limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert "\n".join(parts) == "\n".join(lines)


def test_the_core_imports_no_chat_sdk():
    code = ("import sys, bot.core.bot, bot.console; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'botbuilder', 'aiohttp')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_teams_id_linked_to_a_person_is_recognised_at_once(store):
    with store.sessions.begin() as session:  # a person whose Teams id is not known yet (a stored one is never replaced)
        session.execute(text("UPDATE person SET teams_user_id = NULL WHERE email = :e"), {"e": BEN})
    bot = Bot(store, today=lambda: TODAY)
    assert bot.person_by_channel_id("teams", "29:ben-new-laptop") is None
    assert bot.link_channel_id("teams", BEN, "29:ben-new-laptop")
    assert bot.person_by_channel_id("teams", "29:ben-new-laptop").email == BEN


def test_a_changed_conversation_reference_replaces_the_stored_one_at_once(store):
    bot = Bot(store, today=lambda: TODAY)
    first = {"serviceUrl": "https://smba.trafficmanager.net/uk/", "conversation": {"id": "a:1"}}
    moved = {"serviceUrl": "https://smba.trafficmanager.net/emea/", "conversation": {"id": "a:1"}}
    bot.save_conversation_reference("teams", BEN, first)
    bot.save_conversation_reference("teams", BEN, first)
    assert bot.conversation_reference("teams", BEN) == first
    bot.save_conversation_reference("teams", BEN, moved)
    assert bot.conversation_reference("teams", BEN) == moved


def test_a_change_while_an_answer_is_in_flight_is_in_the_next_answer(store, monkeypatch):
    """Answer A has read the council's statuses when NEET goes red and answer B starts in another
    thread: A must not keep what it read under B's newer data version."""
    bot = Bot(store, today=lambda: TODAY)
    zoe = bot.person_by_email("zoe.gill@demo-council.example")
    reds = lambda: bot.answer(Message("which measures are red?", zoe, "z"), render_charts=False).facts["red"]
    assert "NEET" not in reds()
    original, armed = Lookup._cached, [True]

    def change_meanwhile(lookup, key, build):
        value = original(lookup, key, build)
        if key.startswith("council:") and armed:
            armed.clear()
            record_value(store, "NEET", "E08000031", parse_period("2026-10"), 6.1, "zoe.gill@demo-council.example",
                         "test", "a late value")
            other = threading.Thread(target=bot.lookup.refresh)
            other.start()
            other.join()
        return value

    monkeypatch.setattr(Lookup, "_cached", change_meanwhile)
    assert "NEET" not in reds()  # answer A: as it was when it began
    monkeypatch.undo()
    assert "NEET" in reds()


@pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL takes audit ids at insert; SQLite writers never overlap")
def test_a_change_committing_after_a_later_one_is_still_seen(store):
    lookup = Lookup(store)
    until = datetime(2026, 12, 3, 9, tzinfo=timezone.utc)
    held = lambda: [r.paused_until for r in lookup.outstanding("E08000031", TODAY)
                    if (r.indicator_code, r.period) == ("NEET", "2026-10")]
    with store.sessions.begin() as slow:  # "not available" takes the lower audit id and commits last
        slow.add(ReminderPause(kind="unavailable", indicator_code="NEET", period="2026-10", until=until,
                               reason="NHS data late", created_by="test", created_at=store.clock()))
        record_change(slow, store.clock(), "test", "unavailable", "return", "NEET|2026-10", None, until.isoformat())
        slow.flush()
        snooze(store, "kate.young@demo-council.example", until, "test")
        lookup.refresh()
        assert held() == [None]
    lookup.refresh()
    assert held() == [until]


def test_an_empty_store_says_how_to_fill_it_rather_than_knowing_nothing(tmp_path):
    from tests.conftest import _filled
    for store in _filled(tmp_path, lambda store: None):
        bot = Bot(store, today=lambda: date(2026, 11, 27))
        [reply] = bot.handle(Message("what's the latest NEET rate?", None, "empty"))
        assert "holds no indicators yet" in reply.text and "perfbot import" in reply.text
        assert "Ask me about" in bot.handle(Message("help", None, "empty"))[0].text
