"""A return's spreadsheet dropped into the chat (issue 28), through the core as any channel sends it:
the template asked for, filled in and dropped back; the preview that records nothing; Confirm that
records every value once, audited as the person's submission from the named file, stops the
reminders, raises the alert and asks commentary for a red value; refusals (not theirs, too big,
not a table, a period not ended, a reference file); corrections' reasons; expiry; undo of the file."""
from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import openpyxl
import pytest
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import ChoicesReply, FileReply, Message, Upload
from data_access.store import Store
from schedules.alerts import sweep_alerts

MAYA = "maya.rowe@demo-council.example"          # owns NEET and CLA_RATE
KATE = "kate.young@demo-council.example"         # Maya's delegate
IMRAN = "imran.jones@demo-council.example"       # director of Children's Services
DAY = date(2026, 12, 3)


class Clock:
    """A clock tests move."""

    def __init__(self) -> None:
        self.at = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(database_url: str, clock: Clock):
    store = Store.open(database_url, clock=clock)
    store.ensure_sample_data()
    sweep_alerts(store, clock())  # the running system's baseline: alerts are about changes after it
    yield Bot(store, today=lambda: clock().date())
    store.engine.dispose()


def say(bot: Bot, text: str, who: str = MAYA, conversation: str = "c", files: tuple = ()):
    return bot.answer(Message(text, bot.person_by_email(who), conversation, "web", files=files), render_charts=False)


def drop(bot: Bot, name: str, data: bytes, who: str = MAYA, conversation: str = "c"):
    return say(bot, "", who, conversation, (Upload(name, len(data), data),))


def buttons(answer) -> dict[str, str]:
    return {c.label: c.value for r in answer.replies if isinstance(r, ChoicesReply) for c in r.choices}


def current(bot: Bot, indicator: str, period: str) -> list[tuple]:
    with bot.store.engine.connect() as connection:
        return connection.execute(text(
            "SELECT value, recorded_by, source, reason, channel FROM observation WHERE indicator_code = :i AND "
            "geography_code = 'E08000031' AND period = :p AND superseded_at IS NULL"), {"i": indicator, "p": period}).all()


def template(bot: Bot, who: str = MAYA) -> openpyxl.Workbook:
    answer = say(bot, "send me my return template", who)
    file = next(r for r in answer.replies if isinstance(r, FileReply))
    assert file.filename.endswith(".xlsx")
    return openpyxl.load_workbook(io.BytesIO(file.content))


def filled(book: openpyxl.Workbook, values: dict[tuple[str, str], float], extra: list[list] = ()) -> bytes:
    sheet = book["Returns"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        key = (row[header.index("indicator_code")].value, row[header.index("period")].value)
        if key in values:
            row[header.index("value")].value = values[key]
    for row in extra:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_lists_the_returns_owed_and_reads_back_without_mapping(bot):
    book = template(bot)
    rows = list(book["Returns"].iter_rows(values_only=True))
    assert rows[0] == ("indicator_code", "indicator", "geography_code", "place", "period", "period_name",
                       "last_value", "last_period", "target", "value")
    owed = {(r[0], r[4]) for r in rows[1:]}
    assert ("NEET", "2026-11") in owed and ("CLA_RATE", "2026/27 Q2") in owed
    assert all(r[9] is None for r in rows[1:])                       # the value column is empty
    neet = next(r for r in rows[1:] if r[:1] == ("NEET",))
    assert neet[1].startswith("16-17 year olds") and neet[6] is not None and neet[8] == 5.4  # last value, target
    answer = drop(bot, "maya-return.xlsx", filled(book, {("NEET", "2026-11"): 5.2}))
    assert [t["indicator"] + " " + t["period"] for t in answer.facts["taken"]] == ["NEET 2026-11"]
    assert "November 2026: 5.2% — 🟢 green" in answer.facts["answer"]


def test_a_template_cell_a_spreadsheet_would_take_for_a_formula_is_text(bot):
    with bot.store.sessions.begin() as session:
        session.execute(text("UPDATE indicator SET name = '=HYPERLINK(\"http://x\",\"NEET\")' WHERE code = 'NEET'"))
    bot.store.reload()
    cells = [row[1] for row in template(bot)["Returns"].iter_rows(min_row=2) if row[0].value == "NEET"]
    assert cells and all(c.data_type == "s" and c.quotePrefix and c.value.startswith("=HYPERLINK") for c in cells)


def test_preview_records_nothing_then_confirm_records_all_once_and_stops_reminders(bot):
    before = {(r.indicator_code, r.period) for r in owed(bot)}
    assert {("NEET", "2026-11"), ("CLA_RATE", "2026/27 Q2")} <= before
    data = filled(template(bot), {("NEET", "2026-11"): 6.9, ("CLA_RATE", "2026/27 Q2"): 88})
    preview = drop(bot, "maya-return.xlsx", data)
    text_ = preview.facts["answer"]
    assert "Nothing is recorded until you confirm" in text_ and "30 minutes" in text_
    assert "November 2026: 6.9% — 🔴 red" in text_ and "Q2 2026/27: 88 per 10,000 — 🟢 green" in text_
    assert "1 value cell left empty" in text_                       # NEET October left blank
    assert current(bot, "NEET", "2026-11") == [] and current(bot, "CLA_RATE", "2026/27 Q2") == []
    confirm = buttons(preview)["Confirm"]
    done = say(bot, confirm)
    assert done.facts["recorded"] is True, done.facts["answer"]
    assert current(bot, "NEET", "2026-11")[0][:3] == (6.9, MAYA, "submitted by Maya Rowe from maya-return.xlsx")
    assert current(bot, "CLA_RATE", "2026/27 Q2")[0][0] == 88
    assert "Your reminders for these returns stop" in done.facts["answer"]
    after = {(r.indicator_code, r.period) for r in owed(bot)}
    assert ("NEET", "2026-11") not in after and ("CLA_RATE", "2026/27 Q2") not in after
    assert "please reply with a short commentary" in done.facts["answer"] and "🔴 red" in done.facts["answer"]
    again = say(bot, confirm)                                          # clicked twice
    assert again.facts["recorded"] is False and "already recorded" in again.facts["answer"]
    with bot.store.engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM observation WHERE indicator_code = 'NEET' "
                                       "AND period = '2026-11'")).scalar_one()
        audit = connection.execute(text("SELECT actor, action, entity_key FROM audit_log WHERE entity = 'return file'")).all()
        alerts = connection.execute(text("SELECT recipient FROM notification WHERE indicator_code = 'NEET' "
                                         "AND period = '2026-11'")).scalars().all()
    assert rows == 1
    assert [tuple(a) for a in audit] == [(MAYA, "submit file", "maya-return.xlsx")]
    assert any(IMRAN in recipient for recipient in alerts), alerts   # the red value reaches the director
    thanks = say(bot, "More young people left college in October; the re-engagement team is calling each one")
    assert "commentary is recorded" in thanks.facts["answer"]
    with bot.store.engine.connect() as connection:
        assert connection.execute(text("SELECT commentary FROM observation WHERE indicator_code = 'NEET' AND "
                                       "period = '2026-11' AND superseded_at IS NULL")).scalar_one().startswith("More young")


def test_confirm_sent_by_two_processes_at_once_records_once(bot):
    data = filled(template(bot), {("NEET", "2026-11"): 5.2})
    confirm = buttons(drop(bot, "r.xlsx", data))["Confirm"]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda n: say(bot, confirm, conversation=f"c{n}"), range(4)))
    assert sum(a.facts["recorded"] is True for a in answers) == 1
    with bot.store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM observation WHERE indicator_code = 'NEET' "
                                       "AND period = '2026-11'")).scalar_one() == 1


def test_a_measure_she_does_not_own_is_refused_by_name_and_the_rest_can_be_confirmed(bot):
    data = filled(template(bot), {("NEET", "2026-11"): 5.2},
                  extra=[["TEMP_ACCOMMODATION", "", "E08000031", "", "2026-10", "", None, None, None, 300]])
    preview = drop(bot, "second.xlsx", data)
    assert preview.facts["refused_indicators"] == ["Households in temporary accommodation"]
    assert "Refused — not yours to submit" in preview.facts["answer"]
    assert "(owner Amira Ahmed)" in preview.facts["answer"]
    assert "the others are not recorded" in preview.facts["answer"]
    say(bot, buttons(preview)["Confirm"])
    assert current(bot, "NEET", "2026-11")[0][0] == 5.2
    assert current(bot, "TEMP_ACCOMMODATION", "2026-10") == [] or current(bot, "TEMP_ACCOMMODATION", "2026-10")[0][0] != 300


def test_a_delegate_may_send_the_owners_return(bot):
    data = filled(template(bot), {("NEET", "2026-11"): 5.2})
    preview = drop(bot, "kate.xlsx", data, who=KATE, conversation="k")
    assert preview.facts["refused_indicators"] == [] and len(preview.facts["taken"]) == 1
    say(bot, buttons(preview)["Confirm"], who=KATE, conversation="k")
    assert current(bot, "NEET", "2026-11")[0][1] == KATE


def test_a_correction_needs_a_reason_before_anything_is_recorded(bot):
    say(bot, buttons(drop(bot, "a.csv", CSV.format(value=5.2).encode()))["Confirm"])
    preview = drop(bot, "b.csv", CSV.format(value=5.0).encode())
    assert "To correct (old → new):" in preview.facts["answer"] and "5.2% → 5.0%" in preview.facts["answer"]
    asked = say(bot, buttons(preview)["Confirm"])
    assert asked.facts.get("needs_reason") and current(bot, "NEET", "2026-11")[0][0] == 5.2
    done = say(bot, "The September leavers were counted twice")
    assert done.facts["recorded"] is True
    value, _, _, reason, _ = current(bot, "NEET", "2026-11")[0]
    assert value == 5.0 and reason == "The September leavers were counted twice (from b.csv)"


def test_a_question_while_a_reason_is_awaited_is_answered_not_taken_for_the_reason(bot):
    say(bot, buttons(drop(bot, "a.csv", CSV.format(value=5.2).encode()))["Confirm"])
    confirm = buttons(drop(bot, "b.csv", CSV.format(value=5.0).encode()))["Confirm"]
    assert say(bot, confirm).facts.get("needs_reason")
    assert say(bot, "what is the NEET target?").facts["recorded"] is None
    assert current(bot, "NEET", "2026-11")[0][0] == 5.2                # still waiting for Confirm
    assert say(bot, confirm).facts.get("needs_reason")


def test_a_value_by_breakdown_is_not_taken_by_chat_and_says_so(bot):
    data = b"indicator_code,geography_code,period,breakdown,value\nNEET,E08000031,2026-11,,5.2\nNEET,E08000031,2026-11,Male,6.0\n"
    preview = drop(bot, "by-sex.csv", data)
    assert "1 value for a breakdown" in preview.facts["answer"] and len(preview.facts["taken"]) == 1


def test_a_preview_confirmed_after_30_minutes_has_expired_and_records_nothing(bot, clock):
    preview = drop(bot, "late.csv", CSV.format(value=5.2).encode())
    clock.at += timedelta(minutes=31)
    late = say(bot, buttons(preview)["Confirm"])
    assert "expired at 09:30" in late.facts["answer"] and "nothing was recorded" in late.facts["answer"]
    assert current(bot, "NEET", "2026-11") == []


def test_cancel_records_nothing(bot):
    preview = drop(bot, "c.csv", CSV.format(value=5.2).encode())
    assert "Cancelled" in say(bot, buttons(preview)["Cancel"]).facts["answer"]
    assert "cancelled" in say(bot, buttons(preview)["Confirm"]).facts["answer"]
    assert current(bot, "NEET", "2026-11") == []


def test_undo_undoes_the_whole_file(bot):
    say(bot, "NEET for October 2026 is 5.6%")                           # a value the file will correct
    data = (CSV.format(value=5.2) + "CLA_RATE,E08000031,2026/27 Q2,88\nNEET,E08000031,2026-10,5.5\n").encode()
    asked = say(bot, buttons(drop(bot, "u.csv", data))["Confirm"])
    say(bot, "typo in October")
    assert current(bot, "NEET", "2026-10")[0][0] == 5.5
    undone = say(bot, "undo")
    assert "Undone: the 3 values from that file" in undone.facts["answer"], undone.facts["answer"]
    assert current(bot, "NEET", "2026-11") == [] and current(bot, "CLA_RATE", "2026/27 Q2") == []
    assert current(bot, "NEET", "2026-10")[0][0] == 5.6
    assert asked.facts.get("needs_reason")


@pytest.mark.parametrize("name,data,expected", [
    ("huge.xlsx", None, "is 100.0 MB; a return sent by chat can be at most 5 MB"),
    ("notes.pdf", b"%PDF-1.4", "is not a spreadsheet perfbot reads: send the return as CSV, .xlsx, .xls or .ods"),
    ("broken.xlsx", b"this is not a workbook at all", "is not a readable workbook"),
    ("prose.csv", b"Dear performance team,\nplease find the figures attached.\n", "expected one of"),
    ("people.csv", b"email,name,roles\nx@y.example,X,officer\n", "is a people file, not a return of values"),
    ("future.csv", b"indicator_code,geography_code,period,value\nNEET,E08000031,2026-12,5.1\n", "2026-12 has not ended yet"),
    ("blank.csv", b"indicator_code,geography_code,period,value\nNEET,E08000031,2026-11,\n", "holds no values to record"),
])
def test_a_file_that_cannot_be_taken_is_refused_saying_why_and_nothing_is_recorded(bot, name, data, expected):
    upload = Upload(name, 100 * 2 ** 20) if data is None else Upload(name, len(data), data)
    answer = say(bot, "", files=(upload,))
    assert expected in answer.facts["answer"] and answer.facts["refused"] is True, answer.facts["answer"]
    assert "Nothing was recorded" in answer.facts["answer"] and not buttons(answer)
    assert current(bot, "NEET", "2026-11") == [] and current(bot, "NEET", "2026-12") == []


def test_a_workbook_bomb_is_refused_once_it_expands_past_100_mb(bot):
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(110):
                part.write(b"\0" * (1 << 20))
    assert len(book.getvalue()) < 200_000
    answer = drop(bot, "bomb.xlsx", book.getvalue())
    assert "expands to more than 100 MB when unzipped" in answer.facts["answer"]
    assert "Nothing was recorded" in answer.facts["answer"] and not buttons(answer)


def test_someone_perfbot_does_not_know_cannot_send_a_return(bot):
    answer = bot.answer(Message("", None, "v", "web", files=(Upload("a.csv", 10, b"x"),)), render_charts=False)
    assert "I don't know who you are" in answer.facts["answer"]


def owed(bot: Bot):
    """The returns Maya owes on the day, as her reminders are worked out."""
    bot.lookup.refresh()
    return [r for r in bot.lookup.outstanding(bot.council, DAY) if r.owner_email == MAYA]


CSV = "indicator_code,geography_code,period,value\nNEET,E08000031,2026-11,{value}\n"
