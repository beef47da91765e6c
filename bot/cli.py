"""The `perfbot` command: set up and fill the store, ask the bot, chat with it, and run it.

Every subcommand works on the store named by PERFBOT_DATABASE_URL (default: SQLite `perfbot.db`
in the current folder) or `--database URL`.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import sys
from datetime import date, datetime, timezone
from importlib import metadata
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from bot import console
from bot.logs import configure_logging
from bot.spreadsheet import safe_row
from bot.web.demo_arguments import add_arguments as add_demo_arguments
from data_access.importers import ImportRefused, Options
from data_access.importers.generic import parse_mapping
from data_access.store import Store
from data_access.submissions import audit_trail
from schedules.alerts import alerts_since, record_baseline, sweep_alerts
from schedules.leader import AlreadyRunning
from schedules.outages import waiting_reminders
from schedules.reminders import reminders_on
from schedules.runner import Scheduler


def _store(args: argparse.Namespace) -> Store:
    return Store.open(args.database)


def _logging_configured() -> bool:
    """Set up logging from PERFBOT_LOG_FORMAT; False (with the reason printed) when it is wrong."""
    try:
        configure_logging()
    except ValueError as error:
        print(error, file=sys.stderr)
        return False
    return True


def cmd_db(args: argparse.Namespace) -> int:
    """`perfbot db upgrade`: apply the migrations."""
    _store(args)
    print("Database is up to date.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """`perfbot import PATH... [--dry-run] [--map COLUMN=ROLE] [--sheet NAME] [--period P] [--allow-withdrawals]
    [--no-alerts]`:
    import files and folders, all or nothing, then queue the alerts the new values raise (none for
    the first import; with --no-alerts a baseline, recorded in the import's own transaction)."""
    store = _store(args)
    try:
        options = Options(allow_withdrawals=args.allow_withdrawals, mapping=parse_mapping(args.map or []),
                          sheet=args.sheet, period=args.period)
        baseline = (lambda session: record_baseline(session, store, store.clock())) if args.no_alerts else None
        report = store.import_files([Path(p) for p in args.paths], actor=args.actor, options=options,
                                    dry_run=args.dry_run, before_commit=baseline)
    except ImportRefused as refusal:
        print(f"Import refused, nothing was written: {refusal}", file=sys.stderr)
        return 2
    if args.dry_run:
        print("\n".join(line for result in report.files for line in result.summary()))
        print("Dry run: nothing was written.")
        return 0
    print("\n".join(report.lines()))
    if args.no_alerts:
        print("Statuses recorded as the baseline for alerts: only later changes will alert.")
        return 0
    if not report.changed_anything:
        print("Nothing changed: everything in these files was already in the store.")
    try:
        swept = sweep_alerts(store, store.clock())
    except ValueError as error:  # a misconfigured PERFBOT_LEADERSHIP_CHANNELS: the import itself stands
        print(f"Imported, but no alerts were derived: {error}", file=sys.stderr)
        return 1
    if swept.baseline:
        print("Statuses recorded as the baseline for alerts: only later changes will alert.")
    elif swept.queued:
        print(f"{swept.changes} status change{'s' if swept.changes != 1 else ''}: {swept.queued} alert"
              f"{'s' if swept.queued != 1 else ''} queued (see `perfbot alerts`).")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """`perfbot alerts [--since DATE] [--json]`: alerts and recovery notices raised, pending or sent."""
    store = _store(args)
    since = datetime.fromisoformat(args.since).replace(tzinfo=timezone.utc) if args.since else None
    raised = alerts_since(store, since)
    if args.json:
        for alert in raised:
            print(json.dumps(alert, ensure_ascii=False))
        return 0
    if not raised:
        print("No alerts raised" + (f" since {args.since}" if args.since else "") + ".")
    for alert in raised:
        where = store.places["name"].get(alert["geography"], alert["geography"])
        channel = f" via {alert['channel']}" if alert["channel"] else ""
        print(f"{alert['raised_at'][:16].replace('T', ' ')} {alert['kind']} {alert['indicator']} {where} "
              f"{alert['period']} {alert['status']} → {alert['recipient']} ({alert['why']}): {alert['delivery']}{channel}")
    return 0


def status_summary(store: Store) -> list[str]:
    """Lines summarising the RAG status of the council's newest value of each indicator."""
    council = store.council_code()
    if council is None:
        return ["No targets are set yet, so there is no RAG status to report."]
    evaluated = store.evaluate(store.observations(geography_codes=[council]))
    newest = evaluated[evaluated["value"].notna()].sort_values("period_end").groupby("indicator_code").tail(1)
    counts = newest["rag"].fillna("no target").value_counts()
    name = store.places.loc[council, "name"]
    lines = [f"{name}: {len(newest)} indicators at their newest value — "
             + ", ".join(f"{counts.get(key, 0)} {key}" for key in ("green", "amber", "red", "no target"))]
    for row in newest[newest["rag"] == "red"].sort_values("indicator_code").itertuples():
        lines.append(f"  red: {store.indicators.loc[row.indicator_code, 'name']} ({row.period})")
    return lines


def cmd_status(args: argparse.Namespace) -> int:
    """`perfbot status`: the council's RAG summary."""
    print("\n".join(status_summary(_store(args))))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """`perfbot demo [--fresh]`: the whole bot on this machine — sample data, scheduler, web chat."""
    from bot.web import demo  # imported here: keeps the web server out of the other commands
    return demo.run(args.database, args.host, args.port, args.today, args.fresh)


def cmd_ask(args: argparse.Namespace) -> int:
    """`perfbot ask "QUESTION" --as EMAIL` or `perfbot ask --jsonl < questions.jsonl`."""
    store = _store(args)
    charts = Path(args.save_charts) if args.save_charts else None
    if args.jsonl:
        return console.ask_lines(store, sys.stdin, args.today, charts, sys.stdout)
    if not args.question:
        print("Give a question, e.g. perfbot ask \"what is the latest NEET rate?\" --as you@council.gov.uk", file=sys.stderr)
        return 2
    return console.ask_one(store, args.question, args.as_email, args.today, args.json, charts, sys.stdout)


def cmd_chat(args: argparse.Namespace) -> int:
    """`perfbot chat --as EMAIL`: talk to the bot on the console."""
    store = _store(args)
    store.ensure_sample_data()
    return console.chat(store, args.as_email, args.today, console.chart_folder(args.save_charts), sys.stdin, sys.stdout)


def cmd_audit(args: argparse.Namespace) -> int:
    """`perfbot audit`: every change with who, when, old and new value and reason."""
    store = _store(args)
    since = datetime.fromisoformat(args.since).replace(tzinfo=timezone.utc) if args.since else None
    rows = audit_trail(store, args.indicator, since)
    columns = ["at", "actor", "action", "entity", "key", "old", "new", "reason"]
    if args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(safe_row(row) for row in rows)  # text typed in chat is never a formula in Excel
        return 0
    if not rows:
        print("No changes recorded" + (f" for {args.indicator}" if args.indicator else "") + ".")
    for row in rows:
        change = f"{row['old'] or '—'} → {row['new'] or '—'}"
        reason = f" ({row['reason']})" if row["reason"] else ""
        print(f"{row['at']:%Y-%m-%d %H:%M} {row['actor']}: {row['action']} {row['entity']} {row['key']}: {change}{reason}")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    """`perfbot reminders --today D`: what the ladder would send that day, to whom and why (sends nothing)."""
    store = _store(args)
    day = date.fromisoformat(args.today) if args.today else date.today()
    planned = reminders_on(store, day)
    if args.json:
        for reminder in planned:
            print(json.dumps(reminder.as_dict()))
        return 0
    if not planned:
        print(f"No reminders would be sent on {day:%A %d %B %Y}.")
    for reminder in planned:
        print(f"{reminder.recipient}: {reminder.indicator} {reminder.period} — {reminder.stage} "
              f"(deadline {reminder.deadline:%d %b}; as {reminder.why})")
    waiting = waiting_reminders(store, store.clock())
    if waiting:
        print(f"\nNot yet delivered ({len(waiting)}):")
    for entry in waiting:
        print(f"{entry.recipient}: {'; '.join(entry.returns)} — {entry.state}")
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    """`perfbot scheduler`: run the reminder sweep and the dispatcher until interrupted."""
    if not _logging_configured():
        return 2
    from bot.core.bot import Bot
    from bot.senders import channel_senders
    store = _store(args)
    try:
        senders = channel_senders(store, Bot(store))
    except ValueError as error:
        print(f"Cannot deliver notifications: {error}", file=sys.stderr)
        return 2
    scheduler = Scheduler(store, senders, clock=store.clock)
    # systemd's and podman's stop, as Ctrl+C: raised in the main thread. (An Event set from the handler
    # could deadlock: a signal arriving while Event.wait holds the Event's own lock.) The scheduler's
    # threads start with the stop signals blocked, so a stop always reaches this thread and wakes
    # signal.pause below; one taken by another thread would leave it paused for good.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    stops = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        scheduler.start()
    except AlreadyRunning as error:
        print(error, file=sys.stderr)
        return 3
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
    try:  # from here on a stop stops the scheduler, even one arriving while the line below is written
        print("perfbot scheduler running (Ctrl+C to stop).", flush=True)  # after the handler: a stop may follow at once
        while True:
            signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.stop()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`perfbot serve slack|teams [--workers N]`: run a chat channel (and the scheduler) until interrupted."""
    from bot.serve import serve
    if args.workers < 1:
        print("--workers must be at least 1.", file=sys.stderr)
        return 2
    if not _logging_configured():
        return 2
    return serve(_store(args), args.channel, with_scheduler=not args.no_scheduler, workers=args.workers)


def cmd_report(args: argparse.Namespace) -> int:
    """`perfbot report --quarter Q [--service NAME …] [--out FILE]`: write the corporate performance report deck."""
    from reports.cli import write_from_command_line
    return write_from_command_line(_store(args), args.quarter, args.service, args.out, args.today)


def cmd_teams_package(args: argparse.Namespace) -> int:
    """`perfbot teams-package`: write the Teams app package."""
    from bot.serve import teams_package
    return teams_package(args.out, args.version)


def a_date(text: str) -> str:
    """An argument that must be a date written YYYY-MM-DD (kept as written)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27") from None
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand (`--database` before or after the subcommand)."""
    parser = argparse.ArgumentParser(prog="perfbot", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"perfbot {_version()}")
    parser.add_argument("--database", help=DATABASE_HELP)
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--database", default=argparse.SUPPRESS, help=DATABASE_HELP)
    commands = parser.add_subparsers(dest="command", required=True)
    add_parser = commands.add_parser
    commands.add_parser = lambda *names, **options: add_parser(*names, parents=[shared], **options)
    db = commands.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    db.set_defaults(run=cmd_db)
    imp = commands.add_parser("import", help="import CSV/Excel files or folders (all or nothing)")
    imp.add_argument("paths", nargs="+")
    imp.add_argument("--actor", default="import", help="who is importing (recorded in the audit log)")
    imp.add_argument("--no-alerts", action="store_true",
                     help="record the statuses as a baseline without alerting anyone (for backfills)")
    imp.add_argument("--dry-run", action="store_true",
                     help="say what each file holds and what importing it would do, and write nothing")
    imp.add_argument("--map", action="append", metavar="COLUMN=ROLE",
                     help="name a column perfbot cannot recognise (roles: place, period, value, measure, unit, "
                          "breakdown, ignore); may be repeated")
    imp.add_argument("--sheet", metavar="NAME", help="read only this sheet of a workbook (by default every sheet "
                                                   "holding a table about places; cover, contents and notes skipped)")
    imp.add_argument("--period", metavar="PERIOD", help="the period of a table that names it nowhere (not in a "
                                                        "column, its headers, the sheet's name or the title): 2023/24")
    imp.add_argument("--allow-withdrawals", action="store_true",
                     help="let a missing value in a file replace a recorded value (audited with the reason)")
    imp.set_defaults(run=cmd_import)
    alerts = commands.add_parser("alerts", help="list the alerts and recovery notices raised, pending or sent")
    alerts.add_argument("--since", type=a_date, help="only those raised on or after this date (YYYY-MM-DD)")
    alerts.add_argument("--json", action="store_true", help="one JSON object per alert and recipient")
    alerts.set_defaults(run=cmd_alerts)
    commands.add_parser("status", help="the council's RAG summary").set_defaults(run=cmd_status)
    demo_command = commands.add_parser("demo", help="the whole bot in a browser: sample data, scheduler, web chat")
    add_demo_arguments(demo_command)
    demo_command.set_defaults(run=cmd_demo)
    ask = commands.add_parser("ask", help="answer one question (or JSON lines from standard input)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--as", dest="as_email", help="the asker's e-mail (from the people table)")
    ask.add_argument("--today", type=a_date, help="the date to answer as of (YYYY-MM-DD)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--jsonl", action="store_true", help="read JSON lines from standard input, write JSON lines")
    ask.add_argument("--save-charts", metavar="DIR", help="write chart PNGs to DIR")
    ask.set_defaults(run=cmd_ask)
    audit = commands.add_parser("audit", help="list every change: who, when, old and new value, reason")
    audit.add_argument("--indicator", help="only changes to this indicator's values")
    audit.add_argument("--since", type=a_date, help="only changes on or after this date (YYYY-MM-DD)")
    audit.add_argument("--csv", action="store_true", help="write CSV")
    audit.set_defaults(run=cmd_audit)
    remind = commands.add_parser("reminders", help="preview the reminders the ladder sends on a day (sends nothing)")
    remind.add_argument("--today", type=a_date, help="the day to preview (YYYY-MM-DD; default today)")
    remind.add_argument("--json", action="store_true", help="one JSON object per recipient, indicator and period")
    remind.set_defaults(run=cmd_reminders)
    commands.add_parser("scheduler", help="run the reminder sweep and dispatcher").set_defaults(run=cmd_scheduler)
    serve = commands.add_parser("serve", help="run the bot in Slack or Teams (with the scheduler)")
    serve.add_argument("channel", choices=["slack", "teams"])
    serve.add_argument("--no-scheduler", action="store_true", help="do not run reminders and alerts in this process")
    serve.add_argument("--workers", type=int, default=1, help="answering processes sharing the port (default 1)")
    serve.set_defaults(run=cmd_serve)
    report = commands.add_parser("report", help="write the quarter's corporate performance report (PowerPoint)")
    report.add_argument("--quarter", required=True, help='the financial-year quarter, e.g. "2026/27 Q2"')
    report.add_argument("--service", nargs="+", help="only these services (default: every service)")
    report.add_argument("--out", help="the .pptx file to write (default: cpr-2026-27-Q2.pptx and the like)")
    report.add_argument("--today", type=a_date, help="the date the deck says it was built (YYYY-MM-DD; default today)")
    report.set_defaults(run=cmd_report)
    package = commands.add_parser("teams-package", help="write the Teams app package (manifest and icons) as a zip")
    package.add_argument("--out", default="perfbot-teams.zip")
    package.add_argument("--version", default="1.0.0")
    package.set_defaults(run=cmd_teams_package)
    talk = commands.add_parser("chat", help="talk to the bot on the console")
    talk.add_argument("--as", dest="as_email", help="who you are (an e-mail from the people table)")
    talk.add_argument("--today", type=a_date, help="the date to answer as of (YYYY-MM-DD)")
    talk.add_argument("--save-charts", metavar="DIR",
                      help="where charts are saved (default: the user's cache folder, ~/.cache/perfbot/charts)")
    talk.set_defaults(run=cmd_chat)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `perfbot` console command: every error is one line saying what to do."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`, which has gone
        sys.stderr.close()
        return 0
    except (OperationalError, NoSuchModuleError, ArgumentError) as error:
        url = make_url(args.database or os.environ.get("PERFBOT_DATABASE_URL") or "sqlite:///perfbot.db")
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"perfbot: cannot use the database {url.render_as_string(hide_password=True)} ({reason}). "
              "Check PERFBOT_DATABASE_URL or --database.", file=sys.stderr)
        return 2


def _version() -> str:
    try:
        return metadata.version("perfbot")
    except metadata.PackageNotFoundError:
        return "(not installed)"


DATABASE_HELP = "database URL (default: PERFBOT_DATABASE_URL or sqlite:///perfbot.db)"


if __name__ == "__main__":
    sys.exit(main())
