"""`perfbot serve slack|teams [--workers N]`: run a chat channel on the core in N processes on one
port, with the reminder scheduler in whichever process leads (or none, with `--no-scheduler`). Notifications go to each
person's Slack or Teams when configured, else to their perfbot inbox."""
from __future__ import annotations

import gc
import logging
import socket
import sys
from typing import TYPE_CHECKING

from bot.core.bot import Bot
from bot.operations import Operations
from bot.workers import listening_sockets, listening_url, run_workers
from data_access.conversations import DeliveryClaims
from data_access.inbox import Inbox, lease_length
from bot.senders import channel_senders
from data_access.store import Store
from schedules.leader import AlreadyRunning
from schedules.runner import Scheduler

if TYPE_CHECKING:
    from bot.slack.settings import SlackSettings
    from bot.teams.links import HostedLinks
    from bot.teams.settings import TeamsSettings

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


def teams_links(store: Store, settings: TeamsSettings) -> HostedLinks | None:
    """The signed links Teams fetches charts and files from, when TEAMS_PUBLIC_URL is set."""
    from bot.teams.links import HostedLinks
    return HostedLinks(store.engine, settings.public_url, settings.link_key(), store.clock) if settings.public_url else None


def channel_settings(channel: str) -> SlackSettings | TeamsSettings:
    """The channel's settings from the environment (raises ValueError saying what is missing)."""
    if channel == "slack":
        from bot.slack import SlackSettings
        return SlackSettings.from_env()
    from bot.teams.settings import TeamsSettings
    return TeamsSettings.from_env()


def _listen(channel: str, settings: SlackSettings | TeamsSettings, workers: int) -> list[socket.socket | None]:
    """The channel's listening socket for each worker (None in Slack Socket Mode, which connects out)."""
    if channel == "slack":
        if settings.socket_mode:
            return [None] * workers
        return list(listening_sockets(settings.host, settings.port, workers))
    return list(listening_sockets(settings.bind_host, settings.port, workers))


def answer_until_stopped(store: Store, channel: str, settings: SlackSettings | TeamsSettings,
                         sock: socket.socket | None, with_scheduler: bool) -> int:
    """One answering process: the bot on `store`, its channel on `sock`, the scheduler if it leads."""
    bot = Bot(store)
    claims = DeliveryClaims(store.engine, store.clock)
    operations = Operations(store, bot.metrics)
    scheduler = start_scheduler(store, bot) if with_scheduler else None
    # The store's tables, the lexicon and the libraries make a heap of millions of objects that live
    # as long as the process: kept out of garbage collection, a collection no longer stalls every
    # request in flight for a tenth of a second.
    gc.freeze()
    try:
        if channel == "slack":
            from bot.slack import serve as run
            run(settings, bot, claims=claims, operations=operations, sock=sock,
                inbox=Inbox(store.engine, store.clock, lease_length()) if sock is not None else None)
        else:
            from bot.teams.app import serve as run
            run(settings, bot, claims=claims, operations=operations, sock=sock, links=teams_links(store, settings))
    finally:
        if scheduler is not None:
            scheduler.stop()
        store.engine.dispose()
    return 0


def serve(store: Store, channel: str, with_scheduler: bool = True, workers: int = 1) -> int:
    """Run the channel in `workers` processes on one port until interrupted."""
    try:
        settings = channel_settings(channel)
        lease_length()  # refused here, before any worker starts, when PERFBOT_INBOX_LEASE_SECONDS is wrong
        sockets = _listen(channel, settings, workers)
    except ValueError as error:
        print(f"Cannot start the {channel} channel: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Cannot listen for {channel} ({error.strerror}): choose another port (0 picks a free one).",
              file=sys.stderr)
        return 2
    if sockets[0] is not None:
        path = "/slack/events" if channel == "slack" else "/api/messages"
        print(f"perfbot {channel} listening on {listening_url(sockets[0], path)} ({workers} process"
              f"{'es' if workers != 1 else ''})", flush=True)
    store.engine.dispose()  # each worker opens its own connections
    return run_workers(workers, lambda number: answer_until_stopped(
        store, channel, settings, sockets[number], with_scheduler))


def teams_package(out: str, version: str) -> int:
    """Write the Teams app package zip."""
    from pathlib import Path

    from bot.teams.package import PackageSettings, write_package
    try:
        path = write_package(Path(out), PackageSettings.from_env(), version=version)
    except ValueError as error:
        print(f"Cannot build the Teams app package: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app).")
    return 0
