"""Hostile and broken requests at /slack/events: the signature is checked before anything is
parsed, so unsigned junk gets 401 and signed junk 400 — never a 500 — and nothing is answered."""
from __future__ import annotations

import json
import time
import urllib.parse

import pytest
from slack_fakes import FakeCore, SlackDriver
from slack_payloads import direct_message

from bot.slack.testing import signed_headers

JUNK = [
    ("application/json", "{not json"),
    ("application/json", "[1, 2, 3]"),
    ("application/json", '"a string"'),
    ("application/x-www-form-urlencoded", "payload=%7Bnot+json"),
    ("application/x-www-form-urlencoded", "payload=%5B1%5D"),
    ("application/x-www-form-urlencoded", ""),
]


@pytest.mark.parametrize(("content_type", "body"), JUNK)
def test_an_unsigned_malformed_body_is_refused_with_401(slack: SlackDriver, core: FakeCore,
                                                       content_type: str, body: str) -> None:
    response = slack.send(body, content_type, secret="not-the-signing-secret")
    slack.finish()
    assert response.status == 401
    assert core.messages == [] and slack.posts() == []


@pytest.mark.parametrize(("content_type", "body"), JUNK)
def test_a_signed_malformed_body_is_refused_with_400_saying_why(slack: SlackDriver, core: FakeCore,
                                                               content_type: str, body: str) -> None:
    response = slack.send(body, content_type)
    slack.finish()
    assert response.status == 400
    assert response.json() == {"error": "the body is not a Slack payload (a JSON object or a form)"}
    assert core.messages == [] and slack.posts() == []


@pytest.mark.parametrize("timestamp", ["abc", "", "-5", "1e9", str(int(time.time()) + 3600)])
def test_a_timestamp_that_is_not_a_fresh_number_is_refused_with_401(slack: SlackDriver, core: FakeCore,
                                                                   timestamp: str) -> None:
    body = json.dumps(direct_message("What's the NEET rate?"))
    headers = {**signed_headers("irrelevant", body), "X-Slack-Request-Timestamp": timestamp}
    response = slack.send(body, "application/json", headers=headers)
    slack.finish()
    assert response.status == 401
    assert core.messages == [] and slack.posts() == []


def test_a_request_with_no_signature_headers_is_refused_with_401(slack: SlackDriver, core: FakeCore) -> None:
    body = json.dumps(direct_message("What's the NEET rate?"))
    headers = {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""}
    assert slack.send(body, "application/json", headers=headers).status == 401
    slack.finish()
    assert core.messages == []


def test_a_signed_view_submission_is_acknowledged_without_an_error(slack: SlackDriver, core: FakeCore) -> None:
    payload = {"type": "view_submission", "team": {"id": "T0COUNCIL"}, "user": {"id": "U0OFFICER"},
               "view": {"id": "V0001", "type": "modal", "callback_id": "anything", "state": {"values": {}}}}
    response = slack.send(urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    slack.finish()
    assert response.status == 200
    assert core.messages == [] and slack.posts() == []
