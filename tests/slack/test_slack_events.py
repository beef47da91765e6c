"""Slack payloads translated into who said what and where the answer goes."""
from __future__ import annotations

import pytest
from slack_payloads import app_mention, block_actions, direct_message, event_callback, slash_command

from bot.slack.events import conversation_id, payload_kind, plain_text, translate
from bot.slack.testing import BOT_USER_ID


@pytest.mark.parametrize(
    ("raw", "meant"),
    [
        (f"<@{BOT_USER_ID}> NEET rate", "NEET rate"),
        (f"<@{BOT_USER_ID}|perfbot>   NEET\nrate", "NEET rate"),
        ("rate &lt; 5% &amp; &gt; 3%", "rate < 5% & > 3%"),
        ("owner of <mailto:a.patel@trafford.gov.uk|a.patel@trafford.gov.uk>?", "owner of a.patel@trafford.gov.uk?"),
        ("see <https://example.org/kpi>", "see https://example.org/kpi"),
        ("ask <@U0002002> and <#C0PERFORM|performance>", "ask <@U0002002> and <#C0PERFORM|performance>"),
    ],
)
def test_plain_text_is_what_the_person_meant(raw: str, meant: str) -> None:
    assert plain_text(raw, BOT_USER_ID) == meant


def test_conversation_ids_are_the_dm_or_the_channel_thread() -> None:
    assert conversation_id("D0001001", None) == "D0001001"
    assert conversation_id("D0001001", "1.2") == "D0001001"
    assert conversation_id("C0PERFORM", "1.2") == "C0PERFORM:1.2"


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (app_mention("x"), "app_mention"),
        (direct_message("x"), "message"),
        (slash_command("x"), "slash_command"),
        ({"type": "block_actions", "actions": []}, "block_actions"),
        (event_callback({"type": "reaction_added", "user": "U1"}), "reaction_added"),
    ],
)
def test_payload_kinds(payload: dict, kind: str) -> None:
    assert payload_kind(payload) == kind


def test_kinds_without_a_translator_and_foreign_buttons_are_not_answered() -> None:
    assert translate(event_callback({"type": "reaction_added", "user": "U1"}), BOT_USER_ID) is None
    posted = {"channel": "C1", "ts": "1.1", "text": "x",
              "blocks": [{"type": "actions", "elements": [
                  {"type": "button", "action_id": "someone_elses", "text": {"type": "plain_text", "text": "Go"},
                   "value": "go"}]}]}
    assert translate(block_actions(posted, "someone_elses"), BOT_USER_ID) is None


def test_a_mention_in_a_dm_is_answered_in_the_dm_not_a_thread() -> None:
    incoming = translate(app_mention("hi", channel="D0001001"), BOT_USER_ID)
    assert incoming is not None and incoming.thread_ts is None


def test_a_button_in_a_direct_message_continues_the_dm_conversation() -> None:
    posted = {"channel": "D0001001", "ts": "1.5", "text": "Which?",
              "blocks": [{"type": "actions", "elements": [
                  {"type": "button", "action_id": "perf_choice:0", "text": {"type": "plain_text", "text": "A"},
                   "value": "a"}]}]}
    incoming = translate(block_actions(posted, "perf_choice:0"), BOT_USER_ID)
    assert incoming is not None
    assert (incoming.channel_id, incoming.thread_ts, incoming.text) == ("D0001001", None, "a")
    assert incoming.click_note == "✓ <@U0001001> chose *A*"
