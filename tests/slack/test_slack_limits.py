"""The Slack endpoint closes a half-sent request and refuses a signed JSON body nested 100,000 deep
with 400 (issue 24, item 11; the other servers in tests/test_http_limits.py)."""
from __future__ import annotations

import pytest
from slack_fakes import FakeCore, SlackDriver

from bot import workers
from tests.half_sent import seconds_until_closed
from tests.test_http_limits import DEEP


@pytest.fixture(autouse=True)
def short_header_timeout(monkeypatch) -> None:
    monkeypatch.setattr(workers, "HEADER_SECONDS", 1.0)  # read when the server starts


def test_a_half_sent_request_is_closed(slack: SlackDriver) -> None:
    assert seconds_until_closed(slack.url) < 3.0


def test_json_nested_100000_deep_is_a_bad_request(slack: SlackDriver, core: FakeCore) -> None:
    response = slack.send(DEEP, "application/json")
    assert response.status == 400 and "not a Slack payload" in response.body
    assert core.messages == []
