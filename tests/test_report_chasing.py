"""Collecting the quarter's report with a fixed clock through the 2026/27 Q2 collation date (Fri
30 Oct 2026): who is asked for what on each rung of the ladder, one message a day each, nothing
asked twice, and chasing stops once the commentary or action is given."""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import Message
from bot.core.people import from_row
from schedules.channels import Senders
from schedules.dispatch import dispatch
from schedules.report_chasing import requests_on, sweep_report_requests
from schedules.working_time import LONDON, WorkingTime

WORKING = WorkingTime()
IMRAN_CLARKE = "imran.clarke@demo-council.example"   # director, City Environment: CRIME_RATE, RESIDUAL_WASTE red
CHLOE = "chloe.young@demo-council.example"           # owner of CRIME_RATE
CABINET = {f"cllr.{name}@demo-council.example" for name in (
    "priya.evans", "yusuf.walsh", "bea.ahmed", "ben.obrien", "deepa.quinn", "eddie.singh", "wendy.rowe", "zoe.iqbal")}
PRIYA = "cllr.priya.evans@demo-council.example"      # cabinet member for Children and Young People
DIRECTORS_WITH_REDS = {IMRAN_CLARKE, "bea.foster@demo-council.example", "owen.bains@demo-council.example",
                       "fiona.foster@demo-council.example"}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def inbox(store, day: date | None = None) -> list[tuple[str, str]]:
    """(recipient, text) of each message in the inbox, optionally only those delivered for `day`."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT recipient, key, body FROM inbox_message ORDER BY id")).all()
    return [(r.recipient, "\n".join(part.get("text", "") + part.get("prompt", "") + " ".join(
        c["value"] for c in part.get("choices", [])) for part in json.loads(r.body)))
            for r in rows if r.key.startswith("report|") and (day is None or r.key.endswith(day.isoformat()))]


def run(store, day: date, senders: Senders) -> int:
    """The scheduler's morning: a sweep before opening and the dispatcher at nine."""
    queued = sweep_report_requests(store, at(day, 7, 0), WORKING)
    dispatch(store, at(day, 9, 0), senders, WORKING)
    return queued


def say(bot: Bot, store, email: str, words: str) -> str:
    replies = bot.handle(Message(words, from_row(store.person(email)), f"chat-{email}"))
    return "\n".join(getattr(r, "text", "") for r in replies)


def test_nothing_is_asked_before_the_notice_or_after_the_last_milestone(demo_store):
    assert requests_on(demo_store, date(2026, 10, 22), WORKING) == []
    assert requests_on(demo_store, date(2026, 10, 26), WORKING) == []  # between the notice and the reminder
    assert requests_on(demo_store, date(2026, 12, 2), WORKING) == []   # after scrutiny on 1 December


def test_directors_are_chased_for_commentary_and_owners_for_actions_until_given(store, tmp_path):
    senders, bot = Senders(store), Bot(store, today=lambda: date(2026, 10, 23))
    notice = date(2026, 10, 23)  # 5 working days before collation
    assert run(store, notice, senders) == 6
    assert sweep_report_requests(store, at(notice, 11, 0), WORKING) == 0  # a repeat sweep queues nothing
    sent = inbox(store, notice)
    assert {who for who, _ in sent} == DIRECTORS_WITH_REDS and len(sent) == 4
    imran = next(body for who, body in sent if who == IMRAN_CLARKE)
    assert "The Q2 2026/27 corporate performance report is collated on Fri 30 Oct" in imran
    assert "a commentary on *Total recorded crime per 1,000 population* (Q2 2026/27, red)" in imran
    assert "a commentary on *Residual household waste per household*" in imran
    assert "commentary for CRIME_RATE 2026/27 Q2" in imran  # the button

    say(bot, store, IMRAN_CLARKE, "commentary for CRIME_RATE 2026/27 Q2")
    say(bot, store, IMRAN_CLARKE, "Burglary is up in Heath Town; patrols are being targeted.")
    q1 = tmp_path / "crime_q1.csv"  # red in Q1 too: its owner is now asked for an action
    q1.write_text("indicator_code,geography_code,period,value\nCRIME_RATE,E08000031,2026/27 Q1,28.6\n")
    store.import_files([q1])

    reminder = date(2026, 10, 29)  # 1 working day before
    run(store, reminder, senders)
    sent = dict(inbox(store, reminder))
    assert "Total recorded crime" not in sent[IMRAN_CLARKE] and "Residual household waste" in sent[IMRAN_CLARKE]
    assert "an improvement action for *Total recorded crime per 1,000 population* (red for a second period)" in sent[CHLOE]
    assert "“add an action for CRIME_RATE: what, who, by when”" in sent[CHLOE]

    overdue = date(2026, 11, 2)  # 1 working day after: queued before opening, then given before nine
    sweep_report_requests(store, at(overdue, 7, 0), WORKING)
    say(bot, store, CHLOE, "add an action for CRIME_RATE: targeted patrols in Heath Town, Inspector Khan, by 31 January")
    say(bot, store, IMRAN_CLARKE, "commentary for RESIDUAL_WASTE 2026/27 Q2")
    say(bot, store, IMRAN_CLARKE, "Garden waste was collected fortnightly over the summer.")
    dispatch(store, at(overdue, 9, 0), senders, WORKING)
    sent = dict(inbox(store, overdue))
    assert IMRAN_CLARKE not in sent and CHLOE not in sent
    assert set(sent) == (DIRECTORS_WITH_REDS - {IMRAN_CLARKE}) | CABINET  # after collation, the cabinet too
    assert "your comment on *Children's Services* for its summary page" in sent[PRIYA]
    assert "send me the 2026/27 Q2 Children's Services report" in sent[PRIYA]  # the button to her pages
    with store.engine.connect() as connection:
        cancelled = connection.execute(text("SELECT recipient, note FROM notification WHERE kind = 'report' "
                                            "AND status = 'cancelled'")).all()
    assert {(r.recipient, r.note) for r in cancelled} == {(IMRAN_CLARKE, "given"), (CHLOE, "given")}
    assert requests_on(store, date(2026, 10, 30), WORKING) and not any(
        r.item.recipient in CABINET for r in requests_on(store, date(2026, 10, 30), WORKING))  # not before collation

    say(bot, store, PRIYA, "comment on the Q2 report: schools are improving")
    assert run(store, date(2026, 11, 3), senders) == 0  # no rung today, and yesterday's is queued already
    assert run(store, date(2026, 11, 4), senders) == 4 + 7  # four reds of three directors, seven cabinet members
    assert set(dict(inbox(store, date(2026, 11, 4)))) == (DIRECTORS_WITH_REDS - {IMRAN_CLARKE}) | (CABINET - {PRIYA})


def test_a_rung_missed_while_no_scheduler_ran_is_caught_up_and_a_new_red_asked_for_at_once(store, tmp_path):
    senders = Senders(store)
    assert run(store, date(2026, 10, 26), senders) == 6  # the scheduler was down on Fri 23 Oct: the notice now
    sent = dict(inbox(store, date(2026, 10, 26)))
    assert set(sent) == DIRECTORS_WITH_REDS and "collated on Fri 30 Oct" in sent[IMRAN_CLARKE]
    assert run(store, date(2026, 10, 27), senders) == 0 and inbox(store, date(2026, 10, 27)) == []
    smoking = tmp_path / "smoking.csv"  # a correction turns a Public Health measure red
    smoking.write_text("indicator_code,geography_code,period,value\nSMOKING_DELIVERY,E08000031,2026/27 Q2,15.0\n")
    store.import_files([smoking])
    assert run(store, date(2026, 10, 28), senders) == 1
    [(who, body)] = inbox(store, date(2026, 10, 28))
    assert who == "farid.jones@demo-council.example" and "*Women smoking at time of delivery* (Q2 2026/27, red)" in body
