"""kill -9 of the real dispatching process at chosen moments and at random: afterwards every
recipient has every part of every delivery exactly once (row 2 of issue 16)."""
from __future__ import annotations

import random

import pytest

from .harness import Harness
from .standin import HANG, POSTED_THEN_HANG, RATE_LIMITED


def test_no_faults_every_part_once(harness: Harness) -> None:
    harness.run_until_delivered()
    tally = harness.tally()
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally
    assert tally.deliveries == 22 and tally.parts == 36  # text, then the Submit buttons where the person owns the return


@pytest.mark.parametrize("moment", [HANG, POSTED_THEN_HANG, RATE_LIMITED],
                         ids=["between the parts", "between the send and marking it sent", "during a rate-limit wait"])
def test_killed_at_a_chosen_moment(harness: Harness, moment: str) -> None:
    harness.kill_at(moment, 3)  # HANG: part 2 never reaches Slack; POSTED_THEN_HANG: it does, unheard; 429: Retry-After 30
    harness.run_until_delivered()
    tally = harness.tally()
    assert harness.kills == 3
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
