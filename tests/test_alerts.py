"""Red alerts with a fixed clock on the demo data: the first sweep is a silent baseline; a value that
turns an amber measure red reaches exactly the owner, the service director, the portfolio holder,
the leadership channels and the subscribers, once; a re-import sends nothing; a recovery rewrites
the alert (in the inbox and in Slack with chat.update); an import of six reds makes one message per
recipient; commentary is asked for and recorded through the core; subscriptions by chat; ward and
"worse than England" rules; and sweeps that race never double an alert."""
from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import text

from bot.cli import main
from bot.core.bot import Bot
from bot.core.messages import Message
from bot.slack.app import web_client
from bot.slack.sender import SlackSender
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack
from bot.teams.delivery import TeamsDelivery
from bot.teams.settings import TeamsSettings
from bot.teams.testing import MockConnector
from data_access.store import SAMPLE_DATA, Store
from schedules.alerts import alerts_since, sweep_alerts
from schedules.channels import InboxSender, Senders
from schedules.dispatch import dispatch
from schedules.working_time import WorkingTime
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW                                        # Friday 27 November 2026, 09:00 in London
TODAY = NOW.date()
COUNCIL = "E08000031"
LEADERSHIP = "slack:C0LEAD"
BOARD = "teams:19:board@thread.tacv2"
MAYA = "maya.rowe@demo-council.example"               # owns CLA_RATE
KATE = "kate.young@demo-council.example"              # Maya's delegate
IMRAN = "imran.jones@demo-council.example"            # director of Children's Services
PRIYA = "cllr.priya.evans@demo-council.example"       # cabinet member for Children and Young People; Bilston North
BEN = "ben.singh@demo-council.example"                # the council's leader (roles leadership;leader)
ZOE = "zoe.gill@demo-council.example"                 # performance team
FARID = "cllr.farid.mistry@demo-council.example"      # a backbench councillor
ELLEN = "ellen.jones@demo-council.example"            # owns CARE_LEAVERS_NEET
BILSTON_NORTH = "E05014838"
WORKING = WorkingTime()


@pytest.fixture(autouse=True)
def leadership_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFBOT_LEADERSHIP_CHANNELS", f"{LEADERSHIP},{BOARD}")


@pytest.fixture
def bot(store: Store) -> Bot:
    """The core on the demo data, after the first sweep has recorded the baseline."""
    assert sweep_alerts(store, NOW).baseline
    return Bot(store, today=lambda: TODAY)


def say(bot: Bot, text_: str, who: str, conversation: str = "c", **action):
    return bot.answer(Message(text_, bot.person_by_email(who), conversation, action=action or None), render_charts=False)


def inbox(store: Store) -> dict[str, list[dict]]:
    """Recipient → the replies of each message in their inbox, oldest first."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT recipient, body FROM inbox_message ORDER BY id")).all()
    found: dict[str, list[dict]] = {}
    for recipient, body in rows:
        found.setdefault(recipient, []).append(json.loads(body))
    return found


def cards(messages: list[list[dict]]) -> list[dict]:
    return [reply for message in messages for reply in message if reply["kind"] == "card"]


def send(store: Store, senders: Senders | None = None, at: datetime = NOW):
    return dispatch(store, at, senders or Senders(store), WORKING)


def count(store: Store, sql: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def references(store: Store) -> dict[str, str]:
    """Slack channel → ts of each alert message sent (the references deliveries recorded)."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT reference FROM delivery WHERE updates_delivery_id IS NULL "
                                       "AND channel = 'slack'")).scalars().all()
    return dict(reference.split(":", 1) for reference in rows)


def write_csv(folder: Path, rows: list[str]) -> Path:
    path = folder / "values.csv"
    path.write_text("indicator_code,geography_code,period,value,status,source\n"
                    + "".join(f"{row},final,test\n" for row in rows))
    return path


# --- baseline ------------------------------------------------------------------------------------

def test_the_first_sweep_records_a_silent_baseline_and_repeats_do_nothing(store):
    first = sweep_alerts(store, NOW)
    assert first.baseline and first.queued == 0 and first.changes == 0
    assert count(store, "SELECT count(*) FROM alert_status WHERE rule = 'rag' AND status = 'red'") == 6
    assert sweep_alerts(store, NOW).skipped
    assert count(store, "SELECT count(*) FROM notification") == 0


# --- a value turns an amber measure red ---------------------------------------------------------

def test_a_red_submission_alerts_exactly_the_accountable_people_and_subscribers_once(bot, store, database_url, capsys):
    assert say(bot, "subscribe me to Children's Services", BEN).facts["subscribed"] is True
    assert say(bot, "alert me when CLA rate goes red", ZOE).facts["subscription"] == {
        "kind": "indicator", "target": "CLA_RATE"}
    say(bot, "alert me when NEET goes red", FARID)

    red = say(bot, "CLA rate for 2026/27 Q2 is 95", KATE)
    assert red.facts["recorded"] is True and red.facts["status"] == "red"
    report = send(store)

    delivered = inbox(store)
    assert sorted(delivered) == sorted([MAYA, IMRAN, PRIYA, LEADERSHIP, BOARD, BEN, ZOE])
    assert all(len(messages) == 1 for messages in delivered.values())
    assert len(report.sent) == 7
    [owner] = cards(delivered[MAYA])
    assert owner["title"] == "🔴 Red: Children looked after per 10,000 children"
    assert owner["lines"][0] == ("*Wolverhampton*, Q2 2026/27: *95 per 10,000* against the 2026/27 target of "
                                 "89 per 10,000 — was 🟠 amber (91 per 10,000, Q1 2026/27).")
    assert "Direction: getting worse since Q1 2026/27 (91 per 10,000)." in owner["lines"]
    assert "Owner: Maya Rowe · Children's Services · Children and Young People." in owner["lines"]
    assert owner["lines"][-1] == "You get this because you own this measure."
    assert owner["actions"] == [{"label": "Add commentary", "value": "commentary for CLA_RATE 2026/27 Q2"},
                                {"label": "Show trend", "value": "CLA_RATE trend"}]
    assert [a["label"] for a in cards(delivered[IMRAN])[0]["actions"]] == ["Add commentary", "Show trend"]
    assert [a["label"] for a in cards(delivered[PRIYA])[0]["actions"]] == ["Show trend"]
    assert cards(delivered[LEADERSHIP])[0]["lines"][-1] == "You get this because leadership hears of every red."

    # nothing more, however often the scheduler sweeps and dispatches
    assert sweep_alerts(store, NOW).skipped
    assert send(store).sent == []
    assert sum(len(m) for m in inbox(store).values()) == 7

    assert main(["--database", database_url, "alerts", "--since", "2026-11-27", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(a["indicator"], a["geography"], a["period"], a["status"], a["delivery"]) for a in listed} == {
        ("CLA_RATE", COUNCIL, "2026/27 Q2", "red", "sent")}
    assert sorted(a["recipient"] for a in listed) == sorted([MAYA, IMRAN, PRIYA, LEADERSHIP, BOARD, BEN, ZOE])
    assert main(["--database", database_url, "alerts", "--since", "2026-11-28", "--json"]) == 0
    assert capsys.readouterr().out == ""


def test_reimporting_the_same_data_alerts_nobody(bot, store, database_url, capsys):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE)
    send(store)
    before = count(store, "SELECT count(*) FROM notification")
    assert main(["--database", database_url, "import", str(SAMPLE_DATA)]) == 0
    assert "alerts queued" not in capsys.readouterr().out
    assert count(store, "SELECT count(*) FROM notification") == before
    assert not sweep_alerts(store, NOW).queued


def test_an_alert_that_recovers_before_it_is_sent_is_not_sent(bot, store):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
    assert "no value again" in say(bot, "undo", KATE, conversation="k").facts["answer"]
    assert send(store).sent == []
    assert count(store, "SELECT count(*) FROM notification WHERE status = 'cancelled'") == 12
    assert inbox(store) == {}


# --- recovery -----------------------------------------------------------------------------------

def test_a_recovery_rewrites_the_alert_in_the_inbox(bot, store):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
    send(store)
    corrected = say(bot, "CLA rate for 2026/27 Q2 is 90", MAYA, conversation="m")
    assert "Why change it" in corrected.facts["answer"]
    say(bot, "the return double counted two sibling groups", MAYA, conversation="m")
    report = send(store)
    assert sorted(key.split("|")[1] for key in report.sent) == sorted([MAYA, IMRAN, PRIYA, LEADERSHIP, BOARD, BEN])
    delivered = inbox(store)
    assert all(len(messages) == 1 for messages in delivered.values())      # rewritten, not a second post
    [card] = cards(delivered[PRIYA])
    assert card["title"] == "✅ Recovered: Children looked after per 10,000 children"
    assert card["lines"][:3] == [
        "✅ Recovered on 27 Nov: now 🟠 amber at 90 per 10,000 (Q2 2026/27).", "The alert was:",
        "*Wolverhampton*, Q2 2026/27: *95 per 10,000* against the 2026/27 target of 89 per 10,000 — was 🟠 amber "
        "(91 per 10,000, Q1 2026/27)."]
    assert [a["label"] for a in cards(delivered[MAYA])[0]["actions"]] == ["Show trend"]
    with store.engine.connect() as connection:
        updates = connection.execute(text("SELECT u.recipient FROM delivery u JOIN delivery o ON "
                                          "o.id = u.updates_delivery_id WHERE o.recipient = u.recipient")).scalars().all()
    assert sorted(updates) == sorted([MAYA, IMRAN, PRIYA, LEADERSHIP, BOARD, BEN])
    assert [(a["kind"], a["status"]) for a in alerts_since(store) if a["recipient"] == MAYA] == [
        ("alert", "red"), ("recovery", "amber")]


def test_in_slack_the_alert_is_posted_with_its_chart_and_the_recovery_updates_it(bot, store):
    with MockSlack() as slack:
        settings = SlackSettings(bot_token="xoxb-test", signing_secret="secret", api_url=slack.api_url)
        senders = Senders(store, [SlackSender(bot, web_client(settings)), InboxSender(store)])
        say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
        send(store, senders)
        posts = {call.args["channel"]: call for call in slack.calls("chat.postMessage")}
        # people by their DM (U0001034 → D0001034; the leader U0001001), the leadership channel by its id;
        # Teams is not set up here
        assert sorted(posts) == ["C0LEAD", "D0001001", "D0001002", "D0001012", "D0001034"]
        assert posts["D0001034"].args["blocks"][0]["text"]["text"] == "🔴 Red: Children looked after per 10,000 children"
        uploads = slack.calls("files.completeUploadExternal")
        assert len(uploads) == 5 and json.loads(uploads[0].args["files"])[0]["title"].startswith("Children looked after")
        assert list(inbox(store)) == [BOARD]

        say(bot, "CLA rate for 2026/27 Q2 is 90", MAYA, conversation="m")
        say(bot, "the return double counted two sibling groups", MAYA, conversation="m")
        send(store, senders)
        assert len(slack.calls("chat.postMessage")) == 5                   # no new posts
        updates = {(call.args["channel"], call.args["ts"]): call for call in slack.calls("chat.update")}
        assert set(updates) == set(references(store).items())
        for call in updates.values():
            blocks = call.args["blocks"]
            blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
            assert blocks[0]["text"]["text"] == "✅ Recovered: Children looked after per 10,000 children"
        assert len(cards(inbox(store)[BOARD])) == 1                       # the inbox copy rewritten too


def test_when_slack_cannot_update_the_recovery_answers_in_the_thread(bot, store):
    with MockSlack() as slack:
        settings = SlackSettings(bot_token="xoxb-test", signing_secret="secret", api_url=slack.api_url)
        senders = Senders(store, [SlackSender(bot, web_client(settings))])
        say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
        send(store, senders)
        slack.fail("chat.update", 200, times=10, error="cant_update_message")
        say(bot, "undo", KATE, conversation="k")
        send(store, senders)
        replies = {(c.args["channel"], c.args["thread_ts"]) for c in slack.calls("chat.postMessage")
                   if c.args.get("thread_ts")}
        assert replies == set(references(store).items()) and len(replies) == 5


@pytest.mark.parametrize("teams_updates", [True, False])
def test_in_teams_the_recovery_updates_the_post_in_the_leadership_channel(bot, store, teams_updates):
    delivery = TeamsDelivery(TeamsSettings(), bot)
    connector = MockConnector()
    rewritten: list[tuple[str, str, dict]] = []

    async def update_activity(request: web.Request) -> web.Response:
        rewritten.append((request.match_info["conversation"], request.match_info["activity"], await request.json()))
        if not teams_updates:
            return web.json_response({"error": {"code": "NotFound", "message": "not a known activity id"}}, status=404)
        return web.json_response({"id": request.match_info["activity"]})

    connector._server.app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", update_activity)
    asyncio.run_coroutine_threadsafe(connector.__aenter__(), delivery._loop).result(10)
    try:
        bot.save_conversation_reference("teams", "19:board@thread.tacv2", {
            "channelId": "msteams", "serviceUrl": connector.url, "bot": {"id": "28:perfbot", "name": "perfbot"},
            "conversation": {"id": "19:board@thread.tacv2", "conversationType": "channel", "tenantId": "t"}})
        senders = Senders(store, [delivery])
        say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
        send(store, senders)
        alert, chart = connector.in_conversation("19:board@thread.tacv2")
        assert alert.attachments[0]["content"]["body"][0]["text"] == "🔴 Red: Children looked after per 10,000 children"
        assert chart.attachments[0]["contentType"] == "image/png"
        say(bot, "undo", KATE, conversation="k")
        assert send(store, senders).sent
        [(conversation, activity_id, activity)] = rewritten
        assert (conversation, activity_id) == ("19:board@thread.tacv2;messageid=posted-1", "posted-1")
        recovered = "✅ Recovered: Children looked after per 10,000 children"
        assert activity["attachments"][0]["content"]["body"][0]["text"] == recovered
        in_thread = connector.in_conversation("19:board@thread.tacv2;messageid=posted-1")
        if teams_updates:
            assert len(connector.posted) == 2 and in_thread == []          # rewritten, nothing new posted
        else:
            [answer] = in_thread                                            # answered in the post's thread
            assert answer.attachments[0]["content"]["body"][0]["text"] == recovered
    finally:
        asyncio.run_coroutine_threadsafe(connector.__aexit__(None, None, None), delivery._loop).result(10)
        delivery.close()


# --- a whole quarter at once --------------------------------------------------------------------

def test_an_import_that_turns_six_measures_red_sends_one_message_per_recipient(bot, store, tmp_path):
    say(bot, "subscribe me to Children's Services", ZOE)
    say(bot, "subscribe me to Adult Services", ZOE)
    store.import_files([write_csv(tmp_path, [
        "CLA_RATE,E08000031,2026/27 Q2,95", "CARE_LEAVERS_NEET,E08000031,2026/27 Q2,45.0",
        "SMOKING_DELIVERY,E08000031,2026/27 Q2,15.0", "RES_ADMISSIONS_65,E08000031,2026/27 Q2,600",
        "EMPLOYMENT_RATE,E08000031,2026/27 Q2,60.0", "PLANNING_MAJOR,E08000031,2026/27 Q2,70"])])
    swept = sweep_alerts(store, NOW)
    assert swept.changes == 6
    send(store)
    delivered = inbox(store)
    assert all(len(messages) == 1 for messages in delivered.values())
    [lead] = cards(delivered[LEADERSHIP])
    assert lead["title"] == "🔴 6 measures went red"
    assert [line.split("*")[1] for line in lead["lines"] if line.startswith("• ")] == [
        "Care leavers aged 19-21 not in education, employment or training",
        "Children looked after per 10,000 children", "Employment rate (16-64)", "Major planning applications decided within 13 weeks or agreed time",
        "Permanent admissions to residential and nursing care (65+) per 100,000",
        "Women smoking at time of delivery"]
    assert [a["value"] for a in lead["actions"]] == [  # no commentary asked of a channel; a trend button each
        "CARE_LEAVERS_NEET trend", "CLA_RATE trend", "EMPLOYMENT_RATE trend", "PLANNING_MAJOR trend",
        "RES_ADMISSIONS_65 trend"]
    [zoe] = cards(delivered[ZOE])
    assert zoe["title"] == "🔴 3 measures went red"
    [director] = cards(delivered[IMRAN])
    assert [a["value"] for a in director["actions"]] == ["commentary for CARE_LEAVERS_NEET 2026/27 Q2",
                                                          "commentary for CLA_RATE 2026/27 Q2",
                                                          "CARE_LEAVERS_NEET trend", "CLA_RATE trend"]
    assert {MAYA, ELLEN, "rachel.dhillon@demo-council.example", "amira.kaur@demo-council.example",
            "eddie.foster@demo-council.example"} <= set(delivered)


def test_an_import_with_no_alerts_records_a_baseline_silently(bot, store, database_url, tmp_path, capsys):
    path = write_csv(tmp_path, ["CLA_RATE,E08000031,2026/27 Q2,95"])
    assert main(["--database", database_url, "import", "--no-alerts", str(path)]) == 0
    assert "baseline" in capsys.readouterr().out
    assert count(store, "SELECT count(*) FROM notification") == 0
    assert count(store, "SELECT count(*) FROM alert_status WHERE indicator_code = 'CLA_RATE' "
                        "AND geography_code = 'E08000031' AND rule = 'rag' AND status = 'red'") == 1
    assert sweep_alerts(store, NOW).queued == 0


# --- commentary through the core ----------------------------------------------------------------

def test_the_director_adds_commentary_from_the_alert_and_it_is_recorded_with_the_value(bot, store):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE, conversation="k")
    send(store)
    button = cards(inbox(store)[IMRAN])[0]["actions"][0]["value"]
    asked = say(bot, "", IMRAN, conversation="D-imran", choice=button)
    assert asked.facts["commentary_requested"] is True
    assert "Please reply with your commentary on *Children looked after per 10,000 children*, Q2 2026/27" \
        in asked.facts["answer"]
    done = say(bot, "Two large sibling groups came into care in August; a panel reviews every placement in December.",
               IMRAN, conversation="D-imran")
    assert done.facts["intent"] == "commentary" and "recorded" in done.facts["answer"]
    with store.engine.connect() as connection:
        noted = connection.execute(text(
            "SELECT value, commentary, reason FROM observation WHERE indicator_code = 'CLA_RATE' AND "
            "geography_code = 'E08000031' AND period = '2026/27 Q2' AND superseded_at IS NULL")).one()
    assert noted == (95.0, "Two large sibling groups came into care in August; a panel reviews every placement "
                     "in December.", "commentary added")
    assert "sibling groups" in say(bot, "which measures are red?", BEN, conversation="b").facts["answer"]
    assert sweep_alerts(store, NOW).queued == 0                       # commentary is not a change of status


def test_only_people_accountable_may_add_commentary(bot, store):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE)
    refused = say(bot, "", PRIYA, conversation="p", choice="commentary for CLA_RATE 2026/27 Q2")
    assert refused.facts["commentary_requested"] is False and "Only the owner" in refused.facts["answer"]
    by_hand = say(bot, "add commentary for CLA_RATE 2026/27 Q2", ZOE, conversation="z")
    assert by_hand.facts["commentary_requested"] is True


# --- subscriptions by chat -----------------------------------------------------------------------

def test_subscriptions_are_managed_by_chat_and_persist(bot, store):
    assert "I'll tell you when *16-17 year olds" in say(bot, "alert me when NEET goes red", FARID).facts["answer"]
    say(bot, "subscribe me to Children's Services", FARID)
    again = say(bot, "alert me when NEET goes red", FARID)
    assert again.facts["subscribed"] is False and "already subscribed" in again.facts["answer"]
    fresh = Bot(store, today=lambda: TODAY)                            # a restart: they are in the store
    listed = say(fresh, "what am I subscribed to?", FARID)
    assert listed.facts["subscriptions"] == [{"kind": "indicator", "target": "NEET"},
                                             {"kind": "service", "target": "Children's Services"}]
    gone = say(fresh, "unsubscribe from NEET", FARID)
    assert gone.facts["unsubscribed"] == [{"kind": "indicator", "target": "NEET"}]
    assert say(fresh, "my subscriptions", FARID).facts["subscriptions"] == [
        {"kind": "service", "target": "Children's Services"}]
    say(fresh, "unsubscribe from everything", FARID)
    assert say(fresh, "what am I subscribed to", FARID).facts["subscriptions"] == []
    mine = say(fresh, "what am I subscribed to", IMRAN)
    assert "Children's Services (your service)" in mine.facts["answer"]
    assert "any measure at the council goes red" in say(fresh, "what am I subscribed to", BEN).facts["answer"]


def test_a_councillor_hears_when_anything_in_their_ward_goes_red(bot, store, tmp_path):
    answer = say(bot, "tell me when anything in my ward goes red", PRIYA)
    assert answer.facts["subscription"] == {"kind": "ward", "target": BILSTON_NORTH}
    assert "Ward alerts are for councillors" in say(bot, "tell me when anything in Penn goes red", MAYA).facts["answer"]
    send(store)
    assert inbox(store) == {}                                          # the ward's reds today are its baseline
    # KS2 in Bilston North is amber against the council's 52% (51%); a corrected 45% is red
    store.import_files([write_csv(tmp_path, ["KS2_RWM,E05014838,2025/26,45"])])
    sweep_alerts(store, NOW)
    send(store)
    delivered = inbox(store)
    assert list(delivered) == [PRIYA]
    [card] = cards(delivered[PRIYA])
    assert card["title"] == "🔴 Red: Pupils meeting the expected standard in reading, writing and maths at KS2"
    assert card["lines"][0].startswith("*Bilston North*, 2025/26: *45%* against the 2025/26 target of 52% — was 🟠 amber")
    assert card["actions"][-1]["value"] == "KS2_RWM trend in Bilston North"
    assert say(bot, "unsubscribe from my ward", PRIYA).facts["unsubscribed"] == [{"kind": "ward", "target": BILSTON_NORTH}]
    assert count(store, f"SELECT count(*) FROM alert_status WHERE geography_code = '{BILSTON_NORTH}'") == 0


def test_the_performance_team_sets_a_worse_than_england_rule(bot, store):
    refused = say(bot, "alert when claimant rate is worse than England by more than 0.8", MAYA)
    assert "Only the performance team" in refused.facts["answer"]
    rule = say(bot, "alert when claimant rate is worse than England by more than 0.8", ZOE)
    assert rule.facts["margin"] == 0.8 and "0.8 percentage points" in rule.facts["answer"]
    assert "Now: 6.0% against England's 5.4% (October 2026)" in rule.facts["answer"]
    assert sweep_alerts(store, NOW).queued == 0                        # 6.0% vs England's 5.4%: within 0.8
    rachel = "rachel.dhillon@demo-council.example"
    say(bot, "claimant rate for October 2026 is 6.3%", rachel)                 # amber still
    say(bot, "late DWP revision of the October count", rachel)
    send(store)
    delivered = inbox(store)
    [card] = cards(delivered[LEADERSHIP])
    assert card["title"] == "⚠️ Worse than England: Claimant count rate"
    assert card["lines"][0] == ("*Wolverhampton*, October 2026: *6.3%* against England's 5.4% — worse than England "
                                "by more than 0.8 percentage points — was within the margin (6.0% before the correction).")
    assert [a["status"] for a in alerts_since(store)] == ["england:worse"] * len(delivered)


# --- reliability --------------------------------------------------------------------------------

def test_sweeps_racing_from_two_processes_queue_each_alert_once(bot, store):
    other = Store.open(store.engine.url.render_as_string(hide_password=False), clock=store.clock)
    from data_access.periods import parse_period
    from data_access.submissions import record_value
    record_value(store, "CLA_RATE", COUNCIL, parse_period("2026/27 Q2"), 95.0, KATE, "test", "race")
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def sweep(s: Store) -> None:
        try:
            start.wait()
            sweep_alerts(s, NOW)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=sweep, args=(s,)) for s in (store, other, store, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert count(store, "SELECT count(*) FROM notification WHERE kind = 'alert'") == 6
    assert count(store, "SELECT count(*) FROM status_change") == 1
    other.engine.dispose()


def test_alerts_wait_for_working_hours(bot, store):
    say(bot, "CLA rate for 2026/27 Q2 is 95", KATE)
    evening = datetime(2026, 11, 27, 19, 0, tzinfo=timezone.utc)
    assert send(store, at=evening).sent == []
    monday = datetime(2026, 11, 30, 8, 30, tzinfo=timezone.utc)
    assert len(send(store, at=monday).sent) == 6
