"""The Submit value form in the core: it offers the returns the person owes (labelled by name and
readable period, each filling in its period), checks every field and comes back with the error
beside the field and the values kept, records nothing until all is right; confirmations read
periods as people write them."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import FormReply, Message, reply_from_dict, reply_to_dict

TODAY = date(2026, 11, 27)
MAYA = "maya.rowe@demo-council.example"      # owes NEET for October 2026 and CLA_RATE for Q2 2026/27
AMIRA = "amira.ahmed@demo-council.example"   # owes TEMP_ACCOMMODATION for Q2 2026/27
NEET = "16-17 year olds not in education, employment or… — October 2026"


@pytest.fixture
def bot(store) -> Bot:
    return Bot(store, today=lambda: TODAY)


def ask(bot: Bot, who: str, text: str = "submit a value", **action):
    return bot.answer(Message(text, bot.person_by_email(who), "form", "web", action=action or None), render_charts=False)


def the_form(answer) -> FormReply:
    [form] = [r for r in answer.replies if isinstance(r, FormReply)]
    return form


def send(bot: Bot, who: str, **values: str):
    return ask(bot, who, "", form="submit-value", values=values)


def recorded(store, indicator: str, period: str) -> list[float]:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT value FROM observation WHERE indicator_code = :i AND period = :p AND "
                                       "geography_code = 'E08000031' AND superseded_at IS NULL"),
                                  {"i": indicator, "p": period}).scalars().all()


def audit_rows(store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one()


def test_the_form_offers_the_returns_owed_each_filling_in_its_period(bot):
    form = the_form(ask(bot, MAYA))
    fields = {f.name: f for f in form.fields}
    options = {o.label: o for o in fields["return"].options}
    assert NEET in options and "Children looked after per 10,000 children — Q2 2026/27" in options
    assert options[NEET].value == "NEET@2026-10" and options[NEET].fills == (("period", "October 2026"),)
    assert list(options)[-1] == "Another indicator"
    chosen = next(o for o in fields["return"].options if o.value == fields["return"].value)
    assert fields["period"].value == dict(chosen.fills)["period"]
    assert fields["value"].required and not fields["indicator"].required


def test_asking_for_one_return_chooses_it(bot):
    form = the_form(ask(bot, MAYA, "submit value for CLA_RATE 2026/27 Q2"))
    fields = {f.name: f for f in form.fields}
    assert (fields["return"].value, fields["period"].value) == ("CLA_RATE@2026/27 Q2", "Q2 2026/27")


@pytest.mark.parametrize("values,field,says", [
    ({"return": "NEET@2026-10", "period": "October 2026", "value": "five-ish"}, "value",
     "I can't read “five-ish” as a number: write it like 5.4, 5.4%, 1,234 or 23 of 410."),
    ({"return": "NEET@2026-10", "period": "October 2026", "value": ""}, "value", "Enter the value, e.g. 5.4."),
    ({"return": "NEET@2026-10", "period": "October 2026", "value": "120%"}, "value",
     "120 is not a percentage between 0 and 100."),
    ({"return": "NEET@2026-10", "period": "September 2026", "value": "5.4"}, "period",
     "The return you chose is for October 2026, not September 2026: put October 2026, or choose “Another "
     "indicator” to give a value for another period."),
    ({"return": "other", "indicator": "NEET", "period": "December 2026", "value": "5.4"}, "period",
     "December 2026 has not ended yet, so it can't have a value; submit once it has."),
    ({"return": "other", "indicator": "NEET", "period": "someday", "value": "5.4"}, "period",
     "I can't read “someday” as a period: write it like “October 2026”, “Q2 2026/27” or “2025/26”."),
    ({"return": "other", "indicator": "recycling", "period": "Q2 2026/27", "value": "45"}, "indicator",
     "You can't submit values for Household waste reused, recycled and composted: only its owner "
     "(wendy.ahmed@demo-council.example), their delegates or the performance team can."),
    ({"return": "other", "indicator": "", "period": "October 2026", "value": "5"}, "indicator",
     "Say which indicator the value is for, e.g. NEET, or choose one of your returns."),
    ({"return": "TEMP_ACCOMMODATION@2026/27 Q2", "period": "Q2 2026/27", "value": "5"}, "return",
     "That return is no longer one you owe (it may have been submitted meanwhile): choose another, or "
     "“Another indicator”."),
])
def test_a_wrong_field_comes_back_beside_the_field_with_the_values_kept(bot, store, values, field, says):
    before = audit_rows(store)
    answer = send(bot, MAYA, **values)
    form = the_form(answer)
    errors = {f.name: f.error for f in form.fields if f.error}
    assert errors == {field: says}
    assert {f.name: f.value for f in form.fields if f.name in values} == values
    assert answer.facts["recorded"] is False and "Nothing was recorded" in answer.facts["answer"]
    assert audit_rows(store) == before and recorded(store, "NEET", "2026-10") == []
    assert bot.check_form(Message("", bot.person_by_email(MAYA), "c", "slack",
                                  action={"form": "submit-value", "values": values})) == {field: says}


def test_checking_a_good_form_records_nothing_and_sending_it_records_it(bot, store):
    values = {"return": "NEET@2026-10", "indicator": "", "period": "October 2026", "value": "23 of 410"}
    assert bot.check_form(Message("", bot.person_by_email(MAYA), "c", "slack",
                                  action={"form": "submit-value", "values": values})) == {}
    assert recorded(store, "NEET", "2026-10") == []
    answer = send(bot, MAYA, **values)
    assert answer.facts["recorded"] is True and recorded(store, "NEET", "2026-10") == [5.609756]
    assert not [r for r in answer.replies if isinstance(r, FormReply)]


def test_another_indicator_named_in_words_is_taken(bot, store):
    answer = send(bot, AMIRA, **{"return": "other", "indicator": "homelessness preventions", "period": "Q1 2026/27",
                                 "value": "340"})
    assert not [r for r in answer.replies if isinstance(r, FormReply)]
    assert answer.facts["indicator"] == "HOMELESS_PREVENTIONS" and answer.facts["period"] == "2026/27 Q1"
    # Q1 has a value and is older than the latest quarter: the correction names the period and asks first
    assert "not the latest period (Q2 2026/27)" in answer.facts["answer"] and answer.facts["older_period"]


def test_confirmations_read_periods_as_people_write_them(bot, store):
    month = ask(bot, MAYA, "NEET for October is 5.4%")
    assert ", October 2026 = *5.4%*" in month.facts["answer"] and "2026-10" not in month.facts["answer"]
    quarter = ask(bot, AMIRA, "541")
    assert "Q2 2026/27 = *541*" in quarter.facts["answer"] and "2026/27 Q2" not in quarter.facts["answer"]
    undone = ask(bot, AMIRA, "undo")
    assert "Q2 2026/27" in undone.facts["answer"] and "2026/27 Q2" not in undone.facts["answer"]


def test_the_form_round_trips_through_the_outbox_with_its_options_and_errors(bot):
    form = the_form(send(bot, MAYA, **{"return": "NEET@2026-10", "period": "October 2026", "value": "x"}))
    assert reply_from_dict(reply_to_dict(form)) == form


def test_the_console_shows_the_form_as_a_sentence_and_the_returns_owed_in_words(bot):
    from bot.console import render_text

    shown = render_text([the_form(ask(bot, MAYA, "submit value for NEET October 2026"))], [])
    assert shown.splitlines()[:2] == ["Submit a value — type it as one line, e.g.: submit VALUE for INDICATOR October 2026",
                                      "  Yours to submit:"]
    assert f"  • {NEET}" in shown.splitlines() and "@" not in shown
