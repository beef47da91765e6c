"""The parts a recovery posts in its alert's thread (when Slack will not update the alert) carry
their own keys, are looked for in the thread before a resend, and a resend posts only those
missing: a 5xx after posting, or the real dispatching process killed between the update and its
thread part, still shows each part in each thread exactly once."""
from __future__ import annotations

import pytest

from data_access.store import Store
from tests.conftest import FIXED_NOW

from .harness import ALERTED_IN_SLACK, MAYA, Harness, red_alert, say
from .standin import HANG, POSTED_THEN_500, POSTED_THEN_HANG, FaultySlack


@pytest.fixture
def recovering(store: Store, slack: FaultySlack) -> Harness:
    """A red alert delivered in Slack, then corrected out of the red with Slack refusing chat.update,
    so each recovery answers in its alert's thread."""
    bot = red_alert(store)
    harness = Harness(store, slack, day=FIXED_NOW.date())
    harness.run_until_delivered()
    assert {channel for channel, _ in slack.posts_received()} == ALERTED_IN_SLACK
    slack.fail("chat.update", 200, times=100, error="cant_update_message")
    say(bot, "CLA rate for 2026/27 Q2 is 90", MAYA)
    say(bot, "the return double counted two sibling groups", MAYA)
    return harness


def each_thread_part_once(harness: Harness) -> None:
    posts = harness.slack.thread_posts()
    assert {channel for channel, _, _ in posts} == ALERTED_IN_SLACK, posts
    assert all(text.startswith("✅ Recovered") for _, _, text in posts), posts
    assert set(posts.values()) == {1}, posts
    assert set(harness.slack.posts_received().values()) == {1}


def test_a_5xx_after_a_thread_part_was_posted_does_not_post_it_again(recovering: Harness) -> None:
    recovering.slack.script("chat.postMessage", POSTED_THEN_500, POSTED_THEN_500)
    recovering.run_until_delivered()
    assert recovering.slack.outcomes()[POSTED_THEN_500] == 2
    each_thread_part_once(recovering)


@pytest.mark.parametrize("moment", [HANG, POSTED_THEN_HANG],
                         ids=["between the update and its thread part", "between the thread part and marking it sent"])
def test_killed_around_a_thread_part_each_part_once(recovering: Harness, moment: str) -> None:
    recovering.kill_at(moment, 1)
    recovering.run_until_delivered()
    assert recovering.kills == 1
    each_thread_part_once(recovering)
