"""Slack answering errors without any crash: ambiguous 500s after a post, 503s on a delivery's
second part, a hung request, and an outage of a working day (rows 2, 4 and 10 of issue 16)."""
from __future__ import annotations

from sqlalchemy import select

from data_access.models import Delivery

from .harness import Harness
from .standin import OK, POSTED_THEN_500, POSTED_THEN_HANG, UNAVAILABLE


def delivered_once(harness: Harness, script: list[str], outcome: str, played: int) -> None:
    """With `script` played on chat.postMessage, every part reaches every recipient once."""
    harness.slack.script("chat.postMessage", *script)
    harness.run_until_delivered()
    tally = harness.tally()
    assert harness.slack.outcomes()[outcome] == played
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally


def statuses(harness: Harness) -> dict[str, int]:
    with harness.store.sessions() as session:
        found = session.scalars(select(Delivery.status)).all()
    return {status: found.count(status) for status in set(found)}


def test_a_500_after_the_post_is_checked_in_slack_not_re_posted(harness: Harness) -> None:
    delivered_once(harness, [*[POSTED_THEN_500, OK] * 8, *[POSTED_THEN_500] * 8], POSTED_THEN_500, 16)


def test_four_503s_on_the_second_part_send_only_the_second_part_again(harness: Harness) -> None:
    delivered_once(harness, [OK, *[UNAVAILABLE] * 4], UNAVAILABLE, 4)


def test_a_post_whose_answer_never_comes_is_found_in_slack_after_the_timeout(harness: Harness) -> None:
    delivered_once(harness, [OK, POSTED_THEN_HANG, OK, OK, POSTED_THEN_HANG], POSTED_THEN_HANG, 2)


def test_an_outage_of_a_working_day_is_waited_out_and_nothing_fails_for_good(harness: Harness) -> None:
    harness.slack.always("conversations.open", UNAVAILABLE)
    runs = 0
    while harness.now.hour < 17:  # every run of the day fails: the deliveries back off, capped at an hour
        harness.finish(harness.start())
        harness.later()
        runs += 1
    assert statuses(harness) == {"retry": 24}  # the 22 reminders and the outage reports to the performance team
    with harness.store.sessions() as session:
        attempts = session.scalars(select(Delivery.attempts)).all()
    assert min(attempts) >= 9 and runs >= 9
    assert "its channel keeps failing" in "".join(harness.log)
    harness.slack.always("conversations.open", None)  # Slack is back the next morning
    harness.run_until_delivered()
    tally = harness.tally()
    assert (tally.lost, tally.doubled, tally.unsent) == ([], [], 0), tally
    assert statuses(harness) == {"sent": 24}
