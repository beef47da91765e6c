"""Every process that dispatches builds the same senders from the environment (row 1 of issue 16):
`perfbot scheduler` delivers to Slack when SLACK_BOT_TOKEN is set, and says so; with no chat
channel configured it warns that notifications go only to the perfbot inbox."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

from bot.core.bot import Bot
from bot.senders import channel_senders
from data_access.store import Store

from .standin import FaultySlack

SLACK = {"SLACK_BOT_TOKEN": "xoxb-faults", "SLACK_SIGNING_SECRET": "faults"}


def test_slack_comes_first_then_the_inbox(store: Store, slack: FaultySlack) -> None:
    senders = channel_senders(store, Bot(store), {**SLACK, "SLACK_API_URL": slack.api_url})
    assert [c.name for c in senders.channels] == ["slack", "inbox"]
    assert [c.name for c in channel_senders(store, Bot(store), {}).channels] == ["inbox"]


def scheduler_says(store: Store, env: dict[str, str], wanted: str) -> str:
    """Start `perfbot scheduler`, read its log until `wanted` appears, stop it; the log so far."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_APP"))} | env
    url = store.engine.url.render_as_string(hide_password=False)
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "--database", url, "scheduler"], env=environ,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = ""
    guard = threading.Timer(120, process.kill)  # a scheduler that never says it ends the test, not CI
    guard.start()
    try:
        for line in process.stderr:
            seen += line
            if wanted in line:
                break
    finally:
        process.kill()  # only its log is wanted here; an interrupted first sweep would hold a clean stop up
        process.communicate(timeout=60)
        guard.cancel()
    return seen


def test_perfbot_scheduler_delivers_through_slack_when_configured(store: Store, slack: FaultySlack) -> None:
    log = scheduler_says(store, {**SLACK, "SLACK_API_URL": slack.api_url}, "notifications are delivered through")
    assert "notifications are delivered through slack, inbox" in log


def test_perfbot_scheduler_without_a_chat_channel_says_where_notifications_go(store: Store) -> None:
    log = scheduler_says(store, {}, "neither SLACK_BOT_TOKEN nor MICROSOFT_APP_ID")
    assert "notifications go only to the perfbot inbox" in log
