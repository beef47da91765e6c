"""Conversation state and delivered-once claims in the store: every kind of turn the bot keeps
survives the trip to JSON and back, a restarted bot carries a submission on, old turns are
forgotten, rows the bot can no longer read count as no memory, and each delivery is claimed once."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.bot import Bot
from bot.core.codec import Codec, Undecodable
from bot.core.context import TURNS, Memory, Turn
from bot.core.messages import Message
from bot.core.submitting import LastSubmission, Pending
from data_access.conversations import DeliveryClaims, conversation_lifetime, purge_expired
from data_access.store import Store
from intents import query as q

TODAY = date(2026, 11, 27)
MAYA = "maya.rowe@demo-council.example"  # owns NEET and CLA_RATE
KATE = "kate.young@demo-council.example"  # Maya's delegate
BEN = "ben.singh@demo-council.example"


class MovingClock:
    """A clock a test moves forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def say(bot: Bot, text: str, who: str | None, conversation: str, **action: str):
    person = bot.person_by_email(who) if who else None
    return bot.answer(Message(text, person, conversation, action=action or None), render_charts=False)


DIALOGUES = [  # (who, conversation, text or a clicked choice)
    (BEN, "values", "What's the latest NEET rate?"),
    (BEN, "values", "and for Penn?"),
    (BEN, "values", "as a chart"),
    (BEN, "values", "what about last year?"),
    (BEN, "clarify", "life expectancy in Heath Town"),
    (BEN, "clarify", {"choice": "LIFE_EXP_FEMALE"}),
    (None, "visitor", "compare NEET in Wolverhampton and Walsall since 2024"),
    (BEN, "status", "which measures are red?"),
    (MAYA, "submit", "NEET for October is 55%"),  # are you sure? -> a confirm step waits
    (MAYA, "submit", "yes"),  # recorded: a commentary step waits, the submission is kept for undo
    (MAYA, "submit", "Careers advice moved online; checking the October cohort."),
    (KATE, "correct", "NEET for October is 5.2%"),  # a correction: a reason step waits
    (KATE, "correct", "the careers service revised the cohort"),
    (MAYA, "form", "submit a value"),
    (MAYA, "form", {"form": "submit-value", "values": {"indicator": "NEET", "period": "September 2026", "value": "5.3"}}),
    (MAYA, "undo", "NEET for August is 5.4%"),
    (MAYA, "undo", "undo"),
]


@pytest.fixture
def kept(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[Turn]:
    """Every turn the bot keeps while it goes through DIALOGUES."""
    turns: list[Turn] = []
    remember = Memory.remember
    monkeypatch.setattr(Memory, "remember", lambda self, key, turn: (turns.append(turn), remember(self, key, turn)))
    bot = Bot(store, today=lambda: TODAY)
    for who, conversation, said in DIALOGUES:
        if isinstance(said, dict):
            say(bot, "", who, conversation, **said)
        else:
            say(bot, said, who, conversation)
    return turns


def test_every_kind_of_turn_the_bot_keeps_round_trips_through_json(kept: list[Turn]) -> None:
    for turn in kept:
        assert TURNS.loads(TURNS.dumps(turn)) == turn
    steps = {turn.pending.step for turn in kept if isinstance(turn.pending, Pending)}
    assert steps == {"confirm", "commentary", "reason"}
    assert any(isinstance(turn.submitted, LastSubmission) for turn in kept)
    assert any(turn.query.intent == q.CLARIFY and turn.query.choices for turn in kept)
    assert any(turn.query.places and turn.query.when.period is not None for turn in kept)
    assert any(turn.query.when.since is not None for turn in kept)
    assert any(turn.query.chart for turn in kept)
    assert any(turn.query.submission is not None for turn in kept)


def test_a_restarted_bot_carries_on_the_submission_it_asked_about(store: Store) -> None:
    asked = say(Bot(store, today=lambda: TODAY), "NEET for October is 55%", MAYA, "restart")
    assert "Record *55%*" in asked.facts["answer"]
    confirmed = say(Bot(store, today=lambda: TODAY), "yes", MAYA, "restart")  # a new process, same store
    assert confirmed.facts["recorded"] is True
    with store.engine.connect() as connection:
        audited = connection.execute(text("SELECT actor, new_value FROM audit_log WHERE action = 'submit' "
                                          "AND entity_key = 'NEET|E08000031|2026-10'")).all()
    assert [(actor, float(value)) for actor, value in audited] == [(MAYA, 55.0)]


def test_a_turn_older_than_the_conversation_minutes_is_forgotten(store: Store) -> None:
    clock = MovingClock(datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc))
    moving = Store(store.engine, clock)
    bot = Bot(moving, today=lambda: TODAY)
    say(bot, "What's the latest NEET rate?", BEN, "old")
    clock.now += timedelta(minutes=29)
    assert "NEET" in say(bot, "and for Penn?", BEN, "old").facts["answer"]
    clock.now += timedelta(minutes=31)
    assert say(bot, "and for Penn?", BEN, "old").facts["indicator"] is None
    assert purge_expired(store.engine, clock.now + timedelta(minutes=31), conversation_lifetime({})) == (1, 0)


def test_a_stored_turn_the_bot_cannot_read_counts_as_no_memory(store: Store) -> None:
    bot = Bot(store, today=lambda: TODAY)
    say(bot, "What's the latest NEET rate?", BEN, "broken")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE conversation_turn SET turn = :turn WHERE conversation = 'broken'"),
                           {"turn": '{"query": {"intent": "value"}, "pending": {"__class__": "os.system"}}'})
    assert say(bot, "and for Penn?", BEN, "broken").facts["indicator"] is None


@dataclass(frozen=True)
class Inner:
    label: str
    day: date | None = None


@dataclass(frozen=True)
class Outer:
    name: str
    inners: tuple[Inner, ...] = ()
    added_later: int = 7
    extra: dict[str, float] = field(default_factory=dict)


def test_the_codec_ignores_unknown_fields_defaults_missing_ones_and_refuses_misfits() -> None:
    codec = Codec(Outer)
    assert codec.loads('{"name": "a", "inners": [{"label": "x", "day": "2026-10-01", "gone": 1}], "dropped": true}') \
        == Outer("a", (Inner("x", date(2026, 10, 1)),))
    assert codec.loads(codec.dumps(Outer("b", extra={"x": 1.5}))) == Outer("b", extra={"x": 1.5})
    for misfit in ('{"inners": []}', '{"name": 3}', '{"name": "a", "inners": [{"label": null}]}', "not json"):
        with pytest.raises(Undecodable):
            codec.loads(misfit)


def test_each_delivery_is_claimed_once_even_by_many_at_once(store: Store) -> None:
    claims = DeliveryClaims(store.engine, store.clock)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        results.append(claims.claim(("slack:event:Ev1", "slack:client_msg:m1")))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert claims.claim(("slack:event:Ev2", "slack:client_msg:m1")) is False  # the app_mention twin
    assert claims.claim(("teams:1700000000001",)) is True


def test_claims_older_than_a_day_are_purged(store: Store) -> None:
    claims = DeliveryClaims(store.engine, lambda: datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc))
    claims.claim(("slack:event:old",))
    DeliveryClaims(store.engine, store.clock).claim(("slack:event:new",))
    assert purge_expired(store.engine, store.clock(), timedelta(minutes=30)) == (0, 1)
    assert DeliveryClaims(store.engine, store.clock).claim(("slack:event:old",)) is True


def test_a_wrong_conversation_lifetime_is_refused_with_the_fix() -> None:
    assert conversation_lifetime({"PERFBOT_CONVERSATION_MINUTES": "45"}) == timedelta(minutes=45)
    for wrong in ("0", "soon", "-5"):
        with pytest.raises(ValueError, match="PERFBOT_CONVERSATION_MINUTES must be a number of minutes above 0"):
            conversation_lifetime({"PERFBOT_CONVERSATION_MINUTES": wrong})


def test_without_its_database_the_bot_answers_afresh_and_answers_deliveries(store: Store) -> None:
    lost = Store.__new__(Store)
    lost.engine = create_engine("sqlite:////nonexistent-folder/perfbot.db")
    lost.clock = store.clock
    memory = Memory(lost)
    memory.remember(("slack", "D1", BEN), Turn(q.Query(q.VALUE, "NEET"), None))  # logged, not raised
    assert memory.last(("slack", "D1", BEN)) is None
    claims = DeliveryClaims(lost.engine, store.clock)
    assert claims.should_answer(("slack:event:Ev9",)) is True
    with pytest.raises(SQLAlchemyError):
        claims.claim(("slack:event:Ev9",))
