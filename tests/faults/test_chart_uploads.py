"""Chart uploads under faults: each step of Slack's external upload (files.getUploadURLExternal,
the upload of the bytes, files.completeUploadExternal) answering 5xx after it took effect, or
hanging, and the real dispatching process killed between sharing a chart and marking the alert
sent — each alert's text and its chart appear in each recipient's Slack exactly once."""
from __future__ import annotations

import pytest

from data_access.store import Store
from tests.conftest import FIXED_NOW

from .harness import ALERTED_IN_SLACK, Harness, red_alert
from .standin import HANG, POSTED_THEN_500, POSTED_THEN_HANG, FaultySlack

GET_URL, UPLOAD, COMPLETE = "files.getUploadURLExternal", "upload", "files.completeUploadExternal"


@pytest.fixture
def alerting(store: Store, slack: FaultySlack) -> Harness:
    """Red alerts queued, each drawn with its trend chart for the recipients in Slack."""
    red_alert(store)
    return Harness(store, slack, day=FIXED_NOW.date())


def each_chart_once(harness: Harness) -> None:
    charts = harness.slack.charts_received()
    assert {channel for channel, _ in charts} == ALERTED_IN_SLACK, charts
    assert all(title.startswith("Children looked after") for _, title in charts), charts
    assert set(charts.values()) == {1}, charts
    posts = harness.slack.posts_received()
    assert {channel for channel, _ in posts} == ALERTED_IN_SLACK and set(posts.values()) == {1}, posts


@pytest.mark.parametrize("method, behaviour", [(GET_URL, POSTED_THEN_500), (UPLOAD, POSTED_THEN_500),
                                               (COMPLETE, POSTED_THEN_500), (UPLOAD, HANG), (COMPLETE, HANG)])
def test_a_failing_upload_step_shares_each_chart_once(alerting: Harness, method: str, behaviour: str) -> None:
    alerting.slack.script(method, behaviour, behaviour)
    alerting.run_until_delivered()
    assert alerting.slack.outcomes()[behaviour] == 2
    each_chart_once(alerting)


def test_killed_between_sharing_a_chart_and_marking_it_sent_each_chart_once(alerting: Harness) -> None:
    alerting.slack.script(COMPLETE, POSTED_THEN_HANG)
    process = alerting.start()
    alerting.slack.wait_outcome(POSTED_THEN_HANG)
    alerting.kill(process)
    alerting.later()
    alerting.run_until_delivered()
    assert alerting.kills == 1
    each_chart_once(alerting)
