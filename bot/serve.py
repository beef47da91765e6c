"""`perfbot serve slack|teams`: run a chat channel on the core, with the reminder scheduler in the
same process unless another scheduler already leads (or `--no-scheduler`). Notifications go to each
person's Slack or Teams when configured, else to their perfbot inbox."""
from __future__ import annotations

import logging
import sys

from bot.core.bot import Bot
from bot.senders import channel_senders
from data_access.store import Store
from schedules.leader import AlreadyRunning
from schedules.runner import Scheduler

log = logging.getLogger(__name__)


def start_scheduler(store: Store, bot: Bot) -> Scheduler | None:
    """Start the in-process scheduler; None (with a note) when another process already leads."""
    scheduler = Scheduler(store, channel_senders(store, bot), clock=store.clock)
    try:
        scheduler.start()
    except AlreadyRunning as error:
        print(f"Not starting a scheduler here: {error}", file=sys.stderr)
        return None
    return scheduler


def serve(store: Store, channel: str, with_scheduler: bool = True) -> int:
    """Run the channel until interrupted."""
    bot = Bot(store)
    try:
        if channel == "slack":
            from bot.slack import SlackSettings
            from bot.slack import serve as run
            settings = SlackSettings.from_env()
        else:
            from bot.teams.app import serve as run
            from bot.teams.settings import TeamsSettings
            settings = TeamsSettings.from_env()
    except ValueError as error:
        print(f"Cannot start the {channel} channel: {error}", file=sys.stderr)
        return 2
    scheduler = start_scheduler(store, bot) if with_scheduler else None
    try:
        run(settings, bot)
    finally:
        if scheduler is not None:
            scheduler.stop()
    return 0


def teams_package(out: str, version: str) -> int:
    """Write the Teams app package zip."""
    from pathlib import Path

    from bot.teams.package import write_package
    from bot.teams.settings import TeamsSettings
    try:
        path = write_package(Path(out), TeamsSettings.from_env(), version=version)
    except ValueError as error:
        print(f"Cannot build the Teams app package: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app).")
    return 0
