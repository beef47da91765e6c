"""kill -9 of the real dispatching process at chosen moments and at random: afterwards every
recipient has every part of every delivery exactly once (row 2 of issue 16)."""
from __future__ import annotations

import random

from .harness import Harness
from .standin import HANG, OK, POSTED_THEN_HANG, RATE_LIMITED


def test_no_faults_every_part_once(harness: Harness) -> None:
    harness.run_until_delivered()
    tally = harness.tally()
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally
    assert tally.deliveries == 22 and tally.parts == 36  # text, then the Submit buttons where the person owns the return


def test_killed_between_the_parts_of_a_delivery(harness: Harness) -> None:
    for round_ in range(3):  # three deliveries, each killed before its second part reaches Slack
        harness.slack.script("chat.postMessage", OK, HANG)
        process = harness.start()
        harness.slack.wait_outcome(HANG, round_ + 1)
        harness.kill(process)
        harness.later()
    harness.run_until_delivered()
    tally = harness.tally()
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally


def test_killed_between_the_send_and_marking_it_sent(harness: Harness) -> None:
    for round_ in range(3):  # the second part is in Slack; the dispatcher dies before it hears so
        harness.slack.script("chat.postMessage", OK, POSTED_THEN_HANG)
        process = harness.start()
        harness.slack.wait_outcome(POSTED_THEN_HANG, round_ + 1)
        harness.kill(process)
        harness.later()
    harness.run_until_delivered()
    tally = harness.tally()
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally


def test_killed_while_waiting_out_a_rate_limit(harness: Harness) -> None:
    for round_ in range(3):  # 429 with Retry-After 30 on the second part: killed during the wait
        harness.slack.script("chat.postMessage", OK, RATE_LIMITED)
        process = harness.start()
        harness.slack.wait_outcome(RATE_LIMITED, round_ + 1)
        harness.kill(process)
        harness.later()
    harness.run_until_delivered()
    tally = harness.tally()
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally


def test_killed_at_random_moments(harness: Harness) -> None:
    chosen = random.Random(16)
    for _ in range(10):
        harness.kill_after_posts(harness.start(), chosen.randint(1, 6))
        harness.later()
    harness.run_until_delivered()
    tally = harness.tally()
    assert harness.kills >= 5
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally
