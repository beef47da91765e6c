"""Socket Mode: real envelope shapes through bolt's SocketModeHandler, connected over a WebSocket
to the local mock (apps.connections.open → ws://), acknowledged, and answered."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_fakes import APP_TOKEN, BOT_TOKEN, FakeCore
from slack_payloads import app_mention, block_actions, direct_message, slash_command, socket_envelope

from bot.slack.app import create_app
from bot.slack.events import translate
from bot.slack.server import socket_mode_handler
from bot.slack.settings import SlackSettings
from bot.slack.testing import BOT_USER_ID, MockSlack


@pytest.fixture
def socket_mode(settings: SlackSettings, core: FakeCore,
                mock_slack: MockSlack) -> Iterator[tuple[SocketModeHandler, ThreadPoolExecutor]]:
    """The app connected to the mock over Socket Mode (no signing secret needed)."""
    executor = ThreadPoolExecutor(max_workers=4)
    socket_settings = replace(settings, app_token=APP_TOKEN, signing_secret=None)
    handler = socket_mode_handler(create_app(socket_settings, core, executor=executor), socket_settings)
    handler.connect()
    try:
        yield handler, executor
    finally:
        executor.shutdown(wait=True)
        # The builtin client's receive loop takes up to 3 s to notice; nothing depends on waiting.
        threading.Thread(target=handler.close, daemon=True).start()


def test_the_connection_is_opened_with_the_app_token(socket_mode: tuple, mock_slack: MockSlack) -> None:
    [opened] = mock_slack.calls("apps.connections.open")
    assert opened.token == APP_TOKEN


def test_an_events_api_envelope_is_acknowledged_and_answered(socket_mode: tuple, mock_slack: MockSlack,
                                                             core: FakeCore) -> None:
    envelope = socket_envelope("events_api", direct_message("What's the NEET rate?"))
    mock_slack.socket_send(envelope)
    assert mock_slack.wait_for_socket_ack(envelope["envelope_id"]) == {"envelope_id": envelope["envelope_id"]}
    [post] = mock_slack.wait_for("chat.postMessage")
    assert (post.args["channel"], post.args["text"]) == ("D0001001", "[Cllr Jones] What's the NEET rate?")
    assert core.messages[0].conversation == "D0001001"


def test_a_retried_envelope_is_acknowledged_but_answered_once(socket_mode: tuple, mock_slack: MockSlack,
                                                              core: FakeCore) -> None:
    _, executor = socket_mode
    event = app_mention("recycling")
    first, retry = socket_envelope("events_api", event), socket_envelope("events_api", event, retry_attempt=1)
    for envelope in (first, retry):
        mock_slack.socket_send(envelope)
        mock_slack.wait_for_socket_ack(envelope["envelope_id"])
    executor.shutdown(wait=True)
    assert len(mock_slack.calls("chat.postMessage")) == 1
    assert len(core.messages) == 1


def test_a_slash_command_envelope_gets_its_ack_text_in_the_response_payload(socket_mode: tuple,
                                                                           mock_slack: MockSlack) -> None:
    envelope = socket_envelope("slash_commands", slash_command("recycling rate"))
    mock_slack.socket_send(envelope)
    ack = mock_slack.wait_for_socket_ack(envelope["envelope_id"])
    assert ack["payload"] == {"text": "I'll answer in our direct messages."}
    [post] = mock_slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0001001"


def test_an_interactive_envelope_continues_the_thread(socket_mode: tuple, mock_slack: MockSlack,
                                                     core: FakeCore) -> None:
    question = app_mention("ambiguous")
    mock_slack.socket_send(socket_envelope("events_api", question))
    [asked] = mock_slack.wait_for("chat.postMessage")
    click = socket_envelope("interactive", block_actions({**asked.args, "ts": "1718000000.999999"}, "perf_choice:0"))
    mock_slack.socket_send(click)
    mock_slack.wait_for_socket_ack(click["envelope_id"])
    answer = mock_slack.wait_for("chat.postMessage", count=2)[1]
    assert answer.args["thread_ts"] == question["event"]["ts"]
    assert core.messages[1].action == {"choice": "claimant count in my ward vs region"}


@pytest.mark.parametrize(
    ("envelope", "expected"),
    [
        (socket_envelope("events_api", direct_message("hi", user="U0002002", channel="D0002002")),
         ("U0002002", "hi", "D0002002", None, None)),
        (socket_envelope("events_api", app_mention("hi", ts="1718000000.000001")),
         ("U0001001", "hi", "C0PERFORM", "1718000000.000001", None)),
        (socket_envelope("slash_commands", slash_command("  hi  ")), ("U0001001", "hi", None, None, None)),
    ],
    ids=["message.im", "app_mention", "slash command"],
)
def test_envelope_payloads_translate_to_incoming(envelope: dict, expected: tuple) -> None:
    incoming = translate(envelope["payload"], BOT_USER_ID)
    assert incoming is not None
    assert (incoming.user_id, incoming.text, incoming.channel_id, incoming.thread_ts, incoming.action) == expected
    assert incoming.raw is envelope["payload"]


def test_socket_mode_logs_no_token_or_message_text_at_info(settings: SlackSettings, core: FakeCore,
                                                           mock_slack: MockSlack,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    question = "Is ward E05000829 going to miss its NEET target?"
    with caplog.at_level(logging.INFO):
        executor = ThreadPoolExecutor(max_workers=2)
        socket_settings = replace(settings, app_token=APP_TOKEN, signing_secret=None)
        handler = socket_mode_handler(create_app(socket_settings, core, executor=executor), socket_settings)
        handler.connect()
        envelope = socket_envelope("events_api", direct_message(question))
        mock_slack.socket_send(envelope)
        mock_slack.wait_for_socket_ack(envelope["envelope_id"])
        executor.shutdown(wait=True)
        threading.Thread(target=handler.close, daemon=True).start()
    assert mock_slack.calls("chat.postMessage")
    for secret in (question, APP_TOKEN, BOT_TOKEN):
        assert secret not in caplog.text
