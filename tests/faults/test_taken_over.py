"""A delivery stalled on a hung post beyond its lease (its dispatcher lost the lock meanwhile) while
another dispatcher sends the same delivery in full: when the stalled one carries on, it finds the
other parts already in Slack and posts none of them twice (issue 16, row 3)."""
from __future__ import annotations

import threading

from bot.core.bot import Bot
from bot.core.messages import Choice, ChoicesReply, TextReply
from bot.slack.sender import SlackSender, delivery_client
from bot.slack.settings import SlackSettings
from data_access.store import Store

from .harness import MAYA
from .standin import POSTED_THEN_HANG, FaultySlack

KEY = "reminder|maya.rowe@demo-council.example|2026-11-27"
REMINDER = [TextReply("Good morning, Maya. Your NEET return for October 2026 is due today."),
            ChoicesReply("Submit now:", (Choice("Submit NEET for October 2026", "submit value for NEET 2026-10"),))]


def test_a_stalled_delivery_posts_no_part_the_run_that_took_over_already_sent(store: Store, slack: FaultySlack) -> None:
    settings = SlackSettings(bot_token="xoxb-faults", signing_secret="faults", api_url=slack.api_url, timeout=1)
    bot = Bot(store)
    stalled, took_over = (SlackSender(bot, delivery_client(settings)) for _ in range(2))
    slack.script("chat.postMessage", POSTED_THEN_HANG)
    carried_on = threading.Thread(target=stalled.deliver, args=(MAYA, REMINDER, KEY))
    carried_on.start()
    slack.wait_outcome(POSTED_THEN_HANG)
    took_over.deliver(MAYA, REMINDER, KEY)  # finds the text, posts the buttons
    carried_on.join(timeout=60)  # the hung post times out, is found in Slack, and the stalled run goes on
    assert not carried_on.is_alive()
    assert slack.posts_received() == {("D0001034", REMINDER[0].text): 1, ("D0001034", "Submit now:"): 1}
