"""The Slack channel over HTTP: signed Slack payloads in, and what the bot posted to (a local
mock of) the Slack Web API out."""
from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from slack_fakes import AMBIGUOUS, BOT_TOKEN, COUNCILLOR, OFFICER, SIGNING_SECRET, FakeCore, SlackDriver, tiny_png
from slack_payloads import app_mention, block_actions, direct_message, slash_command, url_verification

from bot.slack.conversation import APOLOGY
from bot.slack.people import UNKNOWN_PERSON_NOTE
from bot.slack.render import SECTION_LIMIT
from bot.slack.testing import BOT_ID, BOT_USER_ID


def texts(posts: list[dict]) -> list[str]:
    """The mrkdwn text of every section posted, in order."""
    return [block["text"]["text"] for post in posts for block in post.get("blocks") or [] if block["type"] == "section"]


# -- the handshake and the signature ----------------------------------------------------------------


def test_url_verification_echoes_the_challenge(slack: SlackDriver) -> None:
    response = slack.event(url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    assert response.status == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_a_request_signed_with_the_wrong_secret_is_rejected_and_not_answered(slack: SlackDriver,
                                                                             core: FakeCore) -> None:
    body = json.dumps(direct_message("What's the NEET rate?"))
    response = slack.send(body, "application/json", secret="not-the-signing-secret")
    slack.finish()
    assert response.status == 401
    assert core.messages == []
    assert slack.posts() == []


def test_a_stale_timestamp_is_rejected_even_with_a_valid_signature(slack: SlackDriver, core: FakeCore) -> None:
    body = json.dumps(direct_message("What's the NEET rate?"))
    response = slack.send(body, "application/json", timestamp=int(time.time()) - 10 * 60)
    slack.finish()
    assert response.status == 401
    assert core.messages == [] and slack.posts() == []


def test_an_unsigned_challenge_is_not_echoed(slack: SlackDriver) -> None:
    response = slack.send(json.dumps(url_verification("abc")), "application/json", secret="wrong")
    assert response.status == 401
    assert "abc" not in response.body


# -- conversations ----------------------------------------------------------------------------------


def test_a_direct_message_is_answered_in_the_direct_message(slack: SlackDriver, core: FakeCore) -> None:
    payload = direct_message("What's the latest NEET rate?")
    assert slack.event(payload).status == 200
    slack.mock.wait_for("chat.postMessage")
    slack.finish()

    [post] = slack.posts()
    assert post["channel"] == "D0001001"
    assert "thread_ts" not in post
    assert texts([post]) == ["[Cllr Jones] What's the latest NEET rate?"]
    [message] = core.messages
    assert (message.channel, message.conversation, message.person) == ("slack", "D0001001", COUNCILLOR)
    assert message.raw is not None and message.raw["event_id"] == payload["event_id"]


def test_a_mention_is_answered_in_a_thread_with_the_mention_stripped(slack: SlackDriver, core: FakeCore) -> None:
    payload = app_mention("unemployment   in my ward &amp; the region")
    slack.event(payload)
    slack.mock.wait_for("chat.postMessage")
    slack.finish()

    ts = payload["event"]["ts"]
    [post] = slack.posts()
    assert (post["channel"], post["thread_ts"]) == ("C0PERFORM", ts)
    [message] = core.messages
    assert message.text == "unemployment in my ward & the region"
    assert message.conversation == f"C0PERFORM:{ts}"
    assert texts([post]) == ["[Cllr Jones] unemployment in my ward &amp; the region"]


def test_a_mention_inside_a_thread_is_answered_in_that_thread(slack: SlackDriver, core: FakeCore) -> None:
    slack.event(app_mention("and last year?", thread_ts="1718000000.000100"))
    slack.mock.wait_for("chat.postMessage")
    slack.finish()
    assert slack.posts()[0]["thread_ts"] == "1718000000.000100"
    assert core.messages[0].conversation == "C0PERFORM:1718000000.000100"


def test_the_slash_command_is_acknowledged_at_once_and_answered_in_direct_messages(slack: SlackDriver,
                                                                                  core: FakeCore) -> None:
    response = slack.command(slash_command("recycling rate"))
    assert response.status == 200
    assert response.body == "I'll answer in our direct messages."  # shown only to the asker
    slack.mock.wait_for("chat.postMessage")
    slack.finish()

    [opened] = slack.mock.calls("conversations.open")
    assert opened.args["users"] == "U0001001"
    [post] = slack.posts()
    assert post["channel"] == "D0001001"
    assert texts([post]) == ["[Cllr Jones] recycling rate"]
    assert core.messages[0].conversation == "D0001001"


def test_the_slash_command_in_the_bots_direct_messages_gets_a_silent_ack(slack: SlackDriver) -> None:
    response = slack.command(slash_command("recycling rate", channel="D0001001"))
    assert (response.status, response.body) == (200, "")
    slack.mock.wait_for("chat.postMessage")


def test_clarification_buttons_and_a_click_continues_the_same_conversation(slack: SlackDriver,
                                                                          core: FakeCore) -> None:
    question = app_mention("ambiguous")
    slack.event(question)
    [asked] = slack.mock.wait_for("chat.postMessage")
    buttons = [e for b in asked.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Claimant count", "Unemployment rate (ONS)"]
    assert texts([asked.args]) == [AMBIGUOUS.prompt]

    posted = {**asked.args, "ts": "1718000000.777777"}
    assert slack.action(block_actions(posted, buttons[1]["action_id"])).status == 200
    slack.mock.wait_for("chat.postMessage", count=2)
    slack.finish()

    thread = question["event"]["ts"]
    click = core.messages[1]
    assert click.text == "unemployment rate in my ward vs region"
    assert click.action == {"choice": "unemployment rate in my ward vs region"}
    assert click.conversation == core.messages[0].conversation == f"C0PERFORM:{thread}"
    answer = slack.posts()[1]
    assert (answer["channel"], answer["thread_ts"]) == ("C0PERFORM", thread)
    assert texts([answer]) == ["[Cllr Jones] unemployment rate in my ward vs region"]
    [update] = slack.mock.calls("chat.update")
    assert update.args["ts"] == "1718000000.777777"
    assert [b["type"] for b in update.args["blocks"]] == ["section", "context"]
    assert update.args["blocks"][-1]["elements"][0]["text"] == "✓ <@U0001001> chose *Unemployment rate (ONS)*"


def test_a_chart_is_uploaded_into_the_thread_with_its_alt_text(slack: SlackDriver) -> None:
    question = app_mention("chart")
    slack.event(question)
    slack.mock.wait_for("files.completeUploadExternal")
    slack.finish()

    thread = question["event"]["ts"]
    methods = [c.method for c in slack.mock.calls() if c.method != "auth.test"]
    assert methods == ["chat.postMessage", "files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    [url_call] = slack.mock.calls("files.getUploadURLExternal")
    assert url_call.args["alt_txt"] == "Line chart: NEET rate fell from 6.1% to 5.3% over two years."
    assert url_call.args["filename"] == "neet-rate-16-17-year-olds.png"
    [upload] = slack.mock.calls("upload")
    assert upload.content == tiny_png()
    [complete] = slack.mock.calls("files.completeUploadExternal")
    assert (complete.args["channel_id"], complete.args["thread_ts"]) == ("C0PERFORM", thread)
    assert json.loads(complete.args["files"])[0]["title"] == "NEET rate (16-17 year olds)"


def test_a_long_answer_is_split_within_slacks_limits_in_order(slack: SlackDriver) -> None:
    slack.event(direct_message("long"))
    slack.mock.wait_for("chat.postMessage", count=2)
    slack.finish()

    posts = slack.posts()
    assert len(posts) >= 3
    assert all(len(p["text"]) <= SECTION_LIMIT and len(p["blocks"]) <= 50 for p in posts)
    assert all(len(t) <= SECTION_LIMIT for t in texts(posts))
    assert {p["channel"] for p in posts} == {"D0001001"}
    assert " ".join(" ".join(texts(posts)).split()).count("NEET 5.3%") == 8 * 40


def test_a_card_has_a_header_its_lines_and_its_buttons(slack: SlackDriver) -> None:
    slack.event(direct_message("card"))
    [card] = slack.mock.wait_for("chat.postMessage")
    assert [b["type"] for b in card.args["blocks"]] == ["header", "section", "actions"]
    assert card.args["blocks"][1]["text"]["text"] == "• NEET rate — due Friday\n• Recycling — due Monday"


# -- robustness ---------------------------------------------------------------------------------------


def test_the_ack_comes_before_the_work(slack: SlackDriver, core: FakeCore) -> None:
    core.gate.clear()
    assert slack.event(direct_message("slow")).status == 200
    assert slack.command(slash_command("slow")).status == 200
    assert slack.posts() == []  # both acknowledged while the core is still busy
    core.gate.set()
    slack.mock.wait_for("chat.postMessage", count=2)


def test_the_same_event_delivered_four_times_is_answered_once(slack: SlackDriver, core: FakeCore) -> None:
    payload = direct_message("What's the NEET rate?")
    statuses: list[int] = []

    def deliver(retry: int | None) -> None:
        statuses.append(slack.event(payload, retry=retry).status)

    threads = [threading.Thread(target=deliver, args=(retry,)) for retry in (None, 1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slack.finish()

    assert statuses == [200] * 4
    assert len(core.messages) == 1
    assert len(slack.posts()) == 1


def test_a_dm_delivered_as_both_message_and_mention_is_answered_once(slack: SlackDriver, core: FakeCore) -> None:
    dm = direct_message("hello", ts="1718000000.123456")
    mention = app_mention("hello", channel="D0001001", ts="1718000000.123456")
    slack.event(dm)
    slack.event(mention)
    slack.finish()
    assert len(slack.posts()) == 1


def test_a_429_is_retried_after_retry_after_and_the_message_still_delivered(slack: SlackDriver) -> None:
    slack.mock.fail("chat.postMessage", 429, headers={"Retry-After": "0"})
    slack.event(direct_message("What's the NEET rate?"))
    slack.mock.wait_for("chat.postMessage", count=2)
    slack.finish()
    first, second = slack.posts()
    assert first == second
    assert texts([second]) == ["[Cllr Jones] What's the NEET rate?"]


def test_a_server_error_is_retried_and_the_message_still_delivered(slack: SlackDriver) -> None:
    slack.mock.fail("chat.postMessage", 503)
    slack.event(direct_message("What's the NEET rate?"))
    slack.mock.wait_for("chat.postMessage", count=2)
    slack.finish()
    assert len(slack.posts()) == 2


@pytest.mark.parametrize(
    "payload",
    [
        direct_message("I am the bot", user=BOT_USER_ID, bot_id=BOT_ID),
        direct_message("beep", user="U0OTHERBOT", bot_id="B0OTHERBOT", subtype="bot_message"),
        direct_message("edited", subtype="message_changed"),
        direct_message("in a channel", channel="C0PERFORM", channel_type="channel"),
    ],
    ids=["own message", "another bot", "an edit", "a channel message"],
)
def test_messages_that_are_not_questions_are_ignored(slack: SlackDriver, core: FakeCore, payload: dict) -> None:
    assert slack.event(payload).status == 200
    slack.finish()
    assert core.messages == []
    assert slack.posts() == []


def test_a_failing_core_is_logged_and_the_person_told(slack: SlackDriver, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.slack"):
        slack.event(direct_message("broken"))
        slack.mock.wait_for("chat.postMessage")
        slack.finish()
    assert texts(slack.posts()) == [] and slack.posts()[0]["text"] == APOLOGY
    assert "the store is down" in caplog.text


def test_a_reply_kind_slack_cannot_show_raises_and_is_reported(slack: SlackDriver,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.slack"):
        slack.event(direct_message("unsupported"))
        slack.mock.wait_for("chat.postMessage")
        slack.finish()
    assert slack.posts()[0]["text"] == APOLOGY
    assert "UnsupportedReply" in caplog.text


def test_no_token_or_message_text_is_logged_at_info(slack: SlackDriver, caplog: pytest.LogCaptureFixture) -> None:
    secret_question = "Is ward E05000829 going to miss its NEET target?"
    with caplog.at_level(logging.INFO):
        slack.event(direct_message(secret_question))
        slack.event(app_mention(secret_question))
        slack.command(slash_command(secret_question))
        slack.send(json.dumps(direct_message(secret_question)), "application/json", secret="forged")
        slack.mock.wait_for("chat.postMessage", count=3)
        slack.finish()
    logged = caplog.text
    assert "answered a Slack" in logged and "bad or stale signature" in logged
    for secret in (secret_question, "NEET target", BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logged


# -- people -------------------------------------------------------------------------------------------


def test_a_person_is_matched_by_slack_profile_email_and_the_match_remembered(slack: SlackDriver,
                                                                            core: FakeCore) -> None:
    slack.event(direct_message("first", user="U0002002", channel="D0002002"))
    slack.mock.wait_for("chat.postMessage")
    slack.event(direct_message("second", user="U0002002", channel="D0002002"))
    slack.mock.wait_for("chat.postMessage", count=2)
    slack.finish()

    assert [m.person for m in core.messages] == [OFFICER, OFFICER]
    assert core.linked == {"U0002002": OFFICER.email}
    assert [c.args["user"] for c in slack.mock.calls("users.info")] == ["U0002002"]
    assert texts(slack.posts()) == ["[Asha Patel] first", "[Asha Patel] second"]


@pytest.mark.parametrize("user", ["U0009009", "U0404404"], ids=["e-mail not in people", "no Slack profile"])
def test_an_unknown_user_gets_public_answers_and_is_told_once(slack: SlackDriver, core: FakeCore, user: str) -> None:
    slack.event(direct_message("recycling rate", user=user, channel="D0009009"))
    slack.mock.wait_for("chat.postMessage", count=2)
    slack.event(direct_message("and NEET?", user=user, channel="D0009009"))
    slack.mock.wait_for("chat.postMessage", count=3)
    slack.finish()

    assert [m.person for m in core.messages] == [None, None]
    assert core.linked == {}
    assert texts(slack.posts()) == [UNKNOWN_PERSON_NOTE, "[public] recycling rate",
                                    "[public] and NEET?"]


def test_a_click_on_a_message_slack_will_not_update_is_still_answered(slack: SlackDriver, core: FakeCore) -> None:
    slack.event(app_mention("ambiguous"))
    [asked] = slack.mock.wait_for("chat.postMessage")
    slack.mock.fail("chat.update", 200, error="message_not_found")
    slack.action(block_actions({**asked.args, "ts": "1718000000.777777"}, "perf_choice:0"))
    slack.mock.wait_for("chat.postMessage", count=2)
    slack.finish()
    assert texts([slack.posts()[1]]) == ["[Cllr Jones] claimant count in my ward vs region"]
