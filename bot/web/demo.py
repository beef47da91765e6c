"""`perfbot demo`: the whole bot on this machine in one command — the store (SQLite `perfbot.db` here
unless PERFBOT_DATABASE_URL or --database says otherwise) with the bundled sample data imported when
empty, the scheduler running in-process and delivering only to the perfbot inbox (never through
Slack or Teams, whatever the environment says), and the web chat on localhost. It runs only on a
store it made (bot/web/fresh.py) and refuses any other, saying why. The store, the bot and the scheduler share one demo clock that the page can move forward.
With --fresh (or the page's "Start again") the demo starts again from the sample data."""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from datetime import date
from typing import IO

from aiohttp import web

from bot.core.bot import Bot
from bot.workers import app_runner
from bot.web.app import create_app
from bot.web.clock import DemoClock, label
from bot.web.demo_arguments import add_arguments
from bot.web.fresh import NotTheDemo, start_again, the_demos_own
from bot.web.scheduling import DemoScheduler
from bot.web.settings import WebSettings
from bot.workers import listening_socket, listening_url
from data_access.store import Store
from schedules.channels import Senders
from schedules.leader import AlreadyRunning

REAL_CHANNELS = ("SLACK_BOT_TOKEN", "MICROSOFT_APP_ID")  # what would make another process deliver to Slack or Teams


async def _serve(app: web.Application, sock: socket.socket, out: IO[str]) -> None:
    """Serve on `sock` until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    runner = app_runner(app)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
        print(f"Open {listening_url(sock)} in your browser (Ctrl+C stops the demo).", file=out, flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


def _start_day(today: date | None) -> date | None:
    """The demo clock's start date: --today, else PERFBOT_DEMO_TODAY, else None (real time)."""
    given = os.environ.get("PERFBOT_DEMO_TODAY", "").strip()
    if today is not None or not given:
        return today
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise ValueError(f"PERFBOT_DEMO_TODAY must be a date as YYYY-MM-DD, not {given!r}.") from None


def run(database_url: str | None = None, host: str | None = None, port: int | None = None,
        today: date | None = None, fresh: bool = False, out: IO[str] = sys.stdout) -> int:
    """Run the demo (with `fresh`, from the sample data afresh) until interrupted; returns the exit
    status (2: refused settings or a store that is not the demo's, 3: a scheduler already runs on
    this database)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        settings = WebSettings.from_env(host=host, port=port)
        clock = DemoClock.starting_on(_start_day(today))
    except ValueError as refused:  # RefusedHost included
        print(refused, file=sys.stderr)
        return 2
    store = Store.open(database_url, clock=clock.now)
    try:
        return _run_on(store, settings, clock, fresh, out)
    finally:
        store.engine.dispose()


def _run_on(store: Store, settings: WebSettings, clock: DemoClock, fresh: bool, out: IO[str]) -> int:
    """Fill the store if empty (or afresh), start the scheduler and serve the web chat."""
    where = store.engine.url.render_as_string(hide_password=True)
    try:
        imported = the_demos_own(store, fresh)
    except NotTheDemo as refused:
        print(refused, file=sys.stderr)
        return 2
    print(f"perfbot demo on {where}" + (" (the bundled sample data was imported)" if imported else ""), file=out)
    try:
        sock = listening_socket(settings.host, settings.port)
    except OSError as error:
        print(f"Cannot listen on {settings.host}:{settings.port} ({error.strerror}); choose another --port "
              "(0 picks a free one).", file=sys.stderr)
        return 2
    bot = Bot(store, today=clock.today)
    ignored = [name for name in REAL_CHANNELS if os.environ.get(name)]
    if ignored:
        print(f"{' and '.join(ignored)} {'is' if len(ignored) == 1 else 'are'} set and ignored: the demo delivers only "
              "to its own inbox, never through Slack or Teams.", file=sys.stderr)
    scheduler = DemoScheduler(store, clock, senders=Senders(store))
    try:
        first = scheduler.start()  # before starting again: refuses while another demo runs on this store
    except AlreadyRunning as error:
        sock.close()
        print(f"{error}. Stop it, or give the demo another database with --database.", file=sys.stderr)
        return 3
    try:
        if fresh:
            first = scheduler.start_again(start_again)
            print("Started again: every earlier change forgotten, the bundled sample data imported afresh.", file=out)
        delivered = sum(who["count"] for who in first.delivered)
        print(f"Demo clock: {label(clock.now())} (London). Scheduler running: notifications arrive in each "
              f"person's window in the web chat ({delivered} delivered at start-up).", file=out)
        if settings.authenticated:
            print("Visitors sign in at /login with PERFBOT_WEB_AUTH_TOKEN.", file=out)
        app = create_app(settings, store, bot, scheduler, bot.metrics)
        asyncio.run(_serve(app, sock, out))
    finally:
        scheduler.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.web [--database URL] [--host H] [--port P] [--today D]`."""
    parser = argparse.ArgumentParser(prog="python -m bot.web", description="The whole bot on this machine: the "
                                     "sample data, the scheduler and the web chat on localhost (as `perfbot demo`).")
    parser.add_argument("--database", help="database URL (default: PERFBOT_DATABASE_URL or sqlite:///perfbot.db)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args.database, args.host, args.port, args.today, args.fresh)
