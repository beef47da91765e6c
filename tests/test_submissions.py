"""Submitting values by message: each accepted form, each refusal, the "are you sure?" flow, a
correction with its reason, undo, the commentary prompt on red, and 50 people submitting at once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import ChoicesReply, FormReply, Message
from data_access import submissions
from data_access.periods import parse_period

TODAY = date(2026, 11, 27)
MAYA = "maya.rowe@demo-council.example"          # owns NEET and CLA_RATE
KATE = "kate.young@demo-council.example"         # Maya's delegate
ZOE = "zoe.gill@demo-council.example"            # performance team
AMIRA = "amira.ahmed@demo-council.example"       # owns TEMP_ACCOMMODATION, HOMELESS_PREVENTIONS, NEW_HOMES
EDDIE = "eddie.jones@demo-council.example"       # delegate for someone else


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def say(bot: Bot, text: str, who: str, conversation: str = "s", **action):
    return bot.answer(Message(text, bot.person_by_email(who), conversation, action=action or None), render_charts=False)


def current(store, indicator: str, period: str, place: str = "E08000031") -> list[tuple]:
    with store.engine.connect() as connection:
        return connection.execute(text(
            "SELECT value, recorded_by, reason, commentary FROM observation WHERE indicator_code = :i AND "
            "geography_code = :g AND period = :p AND superseded_at IS NULL"), {"i": indicator, "g": place, "p": period}).all()


def audit(store, action: str | None = None) -> list[tuple]:
    sql = "SELECT actor, action, entity_key, old_value, new_value, reason FROM audit_log WHERE entity = 'observation'"
    with store.engine.connect() as connection:
        rows = connection.execute(text(sql + " ORDER BY id")).all()
    return [r for r in rows if action is None or r.action == action]


@pytest.mark.parametrize("message,who,value", [
    ("submit 5.4% for NEET October 2026", MAYA, 5.4),
    ("NEET for October is 5.4%", MAYA, 5.4),
    ("NEET Oct = 5.4", KATE, 5.4),
    ("NEET for October 2026 is 22 of 410", ZOE, pytest.approx(5.3658536)),
])
def test_accepted_forms_record_the_value(bot, store, message, who, value):
    answer = say(bot, message, who)
    assert answer.facts["recorded"] is True, answer.facts["answer"]
    assert current(store, "NEET", "2026-10")[0].value == value
    assert current(store, "NEET", "2026-10")[0].recorded_by == who
    assert "Recorded" in answer.facts["answer"] and "green" in answer.facts["answer"]
    assert audit(store, "submit")[-1][:3] == (who, "submit", "NEET|E08000031|2026-10")


def test_record_a_count_for_a_quarter_correcting_the_value_held(bot, store):
    answer = say(bot, "record 312 homelessness preventions for Q2", AMIRA)
    assert answer.facts["value"] == 312 and "already has 337" in answer.facts["answer"]
    done = say(bot, "late cases closed after the return", AMIRA)
    assert done.facts["recorded"] is True, done.facts["answer"]
    assert current(store, "HOMELESS_PREVENTIONS", "2026/27 Q2")[0].value == 312


def test_a_bare_number_answers_the_only_return_owed(bot, store):
    answer = say(bot, "541", AMIRA)
    assert answer.facts["recorded"] is True, answer.facts["answer"]
    assert current(store, "TEMP_ACCOMMODATION", "2026/27 Q2")[0].value == 541


def test_a_bare_number_with_several_returns_owed_asks_which(bot, store):
    answer = say(bot, "5.4", MAYA)
    assert answer.facts["recorded"] is False
    buttons = [r for r in answer.replies if isinstance(r, ChoicesReply)][0]
    assert "submit 5.4 for NEET 2026-10" in [c.value for c in buttons.choices]
    clicked = say(bot, "", MAYA, choice="submit 5.4 for NEET 2026-10")
    assert clicked.facts["recorded"] is True and current(store, "NEET", "2026-10")[0].value == 5.4


def test_the_form_records_too(bot, store):
    answer = say(bot, "submit a value", MAYA, conversation="form")
    form = [r for r in answer.replies if isinstance(r, FormReply)][0]
    assert [f.name for f in form.fields] == ["return", "indicator", "period", "value"]
    sent = say(bot, "", MAYA, conversation="form", form=form.form_id,
               values={"return": "NEET@2026-10", "indicator": "", "period": "October 2026", "value": "5.4%"})
    assert sent.facts["recorded"] is True and current(store, "NEET", "2026-10")[0].value == 5.4


@pytest.mark.parametrize("message,who,why", [
    ("submit 80 for FOI October 2026", EDDIE, "can't submit values"),
    ("NEET for October is 5.4", "cllr.farid.mistry@demo-council.example", "can't submit values"),
    ("NEET for December 2026 is 5.4", MAYA, "has not ended yet"),
    ("NEET for November 2026 is 5.4", MAYA, "has not ended yet"),
    ("NEET for 2026/27 Q2 is 5.4", MAYA, "reported monthly"),
    ("NEET for October is 120%", MAYA, "not a percentage"),
    ("record 12.5 homelessness preventions for 2026/27 Q2", AMIRA, "not a count"),
    ("record -3 homelessness preventions for 2026/27 Q2", AMIRA, "not a count"),
])
def test_refusals_say_why_and_write_nothing(bot, store, message, who, why):
    before = audit(store)
    answer = say(bot, message, who)
    assert answer.facts["refused"] is True and answer.facts["recorded"] is False
    assert why in answer.facts["answer"] and "Nothing was recorded" in answer.facts["answer"]
    assert audit(store) == before and current(store, "NEET", "2026-10") == []


def test_unknown_person_cannot_submit(bot, store):
    answer = bot.answer(Message("NEET for October is 5.4", None, "x"), render_charts=False)
    assert answer.facts["recorded"] in (None, False) and current(store, "NEET", "2026-10") == []


def test_implausible_value_asks_are_you_sure(bot, store):
    doubt = say(bot, "NEET for October is 0.054", MAYA)
    assert doubt.facts["recorded"] is False and "units slip" in doubt.facts["answer"] and "5.4%" in doubt.facts["answer"]
    assert [c.value for r in doubt.replies if isinstance(r, ChoicesReply) for c in r.choices] == ["confirm", "change"]
    changed = say(bot, "", MAYA, choice="change")
    assert "nothing recorded" in changed.facts["answer"] and current(store, "NEET", "2026-10") == []
    say(bot, "NEET for October is 0.054", MAYA)
    confirmed = say(bot, "", MAYA, choice="confirm")
    assert confirmed.facts["recorded"] is True and current(store, "NEET", "2026-10")[0].value == 0.054


def test_correction_asks_for_a_reason_and_keeps_both(bot, store):
    say(bot, "NEET for October is 5.4%", MAYA)
    asked = say(bot, "NEET for October is 5.2%", KATE, conversation="k")
    assert asked.facts["recorded"] is False and "Why change it" in asked.facts["answer"]
    done = say(bot, "careers service revised the cohort", KATE, conversation="k")
    assert done.facts["recorded"] is True and "was 5.4%" in done.facts["answer"]
    rows = current(store, "NEET", "2026-10")
    assert rows[0].value == 5.2 and rows[0].reason == "careers service revised the cohort"
    with store.engine.connect() as connection:
        history = connection.execute(text("SELECT value FROM observation WHERE indicator_code = 'NEET' AND "
                                          "geography_code = 'E08000031' AND period = '2026-10' ORDER BY id")).scalars().all()
    assert history == [5.4, 5.2]
    assert (KATE, "submit", "NEET|E08000031|2026-10", "5.4", "5.2", "careers service revised the cohort") in audit(store)


def test_undo_reverts_the_last_submission(bot, store):
    say(bot, "NEET for October is 5.4%", MAYA)
    undone = say(bot, "undo", MAYA)
    assert "no value again" in undone.facts["answer"] and current(store, "NEET", "2026-10") == []
    assert audit(store, "undo")[-1][:2] == (MAYA, "undo")
    assert "nothing of yours to undo" in say(bot, "undo", MAYA, conversation="other").facts["answer"]


def test_red_value_asks_for_commentary_and_stores_it(bot, store):
    red = say(bot, "CLA rate for 2026/27 Q2 is 95", MAYA)
    assert red.facts["recorded"] is True and red.facts["status"] == "red", red.facts["answer"]
    assert "commentary" in red.facts["answer"]
    thanks = say(bot, "More children entering care after two large sibling groups; panel review in December.", MAYA)
    assert thanks.facts["intent"] == "commentary"
    assert current(store, "CLA_RATE", "2026/27 Q2")[0].commentary.startswith("More children entering care")
    status = say(bot, "which measures are red?", "ben.singh@demo-council.example", conversation="b")
    assert "More children entering care" in status.facts["answer"]


def test_fifty_people_submitting_at_once_lose_nothing(store):
    period = parse_period("2026-10")
    values = [round(5.0 + i / 100, 2) for i in range(50)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda v: submissions.record_value(
            store, "NEET", "E08000031", period, v, ZOE, "test", f"value {v}"), values))
    assert len({r.observation_id for r in results}) == 50
    with store.engine.connect() as connection:
        kept = connection.execute(text("SELECT value, superseded_at IS NULL AS live FROM observation WHERE "
                                       "indicator_code = 'NEET' AND geography_code = 'E08000031' AND period = '2026-10'")).all()
    assert sorted(v for v, _ in kept) == sorted(values)
    assert sum(1 for _, live in kept if live) == 1
    submits = audit(store, "submit")
    assert len(submits) == 50 and sorted(float(r.new_value) for r in submits) == sorted(values)
    winner = current(store, "NEET", "2026-10")[0].value
    assert float(submits[-1].new_value) == winner


def test_what_is_due_no_longer_lists_a_return_once_its_value_is_in(bot, store):
    before = say(bot, "what's due from me", MAYA)
    assert {"indicator": "NEET", "period": "2026-10"} in [{k: d[k] for k in ("indicator", "period")} for d in before.facts["due"]]
    assert say(bot, "NEET for October is 5.4%", MAYA).facts["recorded"] is True
    after = say(bot, "what's due from me", MAYA)
    assert [d for d in after.facts["due"] if d["indicator"] == "NEET" and d["period"] == "2026-10"] == []
    assert len(after.facts["due"]) == len(before.facts["due"]) - 1


def test_a_number_in_the_indicators_own_name_is_not_the_value(bot, store):
    answer = say(bot, "submit 93 for Children looked after per 10,000 children for Q2 2026/27", MAYA)
    assert answer.facts["value"] == 93 and "per 10,000" in answer.facts["answer"]
