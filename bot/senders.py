"""One sender configuration for every process that dispatches through real channels (`perfbot
scheduler`, `perfbot serve …`; `perfbot demo` delivers only to its inbox): Slack when SLACK_BOT_TOKEN is set, Teams when MICROSOFT_APP_ID is set, and
the perfbot inbox always, last. A process that can reach no chat channel says so when it starts,
and the dispatcher logs each person it can reach only through the inbox."""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from bot.core.ports import Core
from data_access.store import Store
from schedules.channels import Sender, Senders

log = logging.getLogger(__name__)


def channel_senders(store: Store, core: Core, environ: Mapping[str, str] | None = None) -> Senders:
    """Slack first (when SLACK_BOT_TOKEN is set), then Teams (when MICROSOFT_APP_ID is set), then the inbox."""
    env = os.environ if environ is None else environ
    channels: list[Sender] = []
    if env.get("SLACK_BOT_TOKEN"):
        from bot.slack import SlackSender, SlackSettings, delivery_client
        channels.append(SlackSender(core, delivery_client(SlackSettings.from_env(env))))
    if env.get("MICROSOFT_APP_ID"):
        from bot.teams.delivery import TeamsDelivery
        from bot.teams.settings import TeamsSettings
        channels.append(TeamsDelivery(TeamsSettings.from_env(env), core))
    if channels:
        log.info("notifications are delivered through %s, inbox", ", ".join(c.name for c in channels))
    else:
        log.warning("neither SLACK_BOT_TOKEN nor MICROSOFT_APP_ID is set: notifications go only to the perfbot "
                    "inbox (read in `perfbot chat` and the web demo)")
    return Senders(store, channels)
