"""The figures of issue 16's table, every row, measured on the code before its fixes and on this
checkout, on SQLite and on PostgreSQL; prints a markdown table to paste.

    python benchmarks/bench_faults.py --before /work/before-6bfd33a \
        --database sqlite --database postgresql://postgres@127.0.0.1:5432/perfbot_measure

DIR for --before: `git -C /work/main archive 6bfd33a | tar -x -C DIR` (the branch point of issue 16;
it runs on this checkout's virtualenv: the dependencies are the same). Each checkout runs in
processes of its own, importing only its own code; `--rows 2,8` measures some rows only.

Rows 2, 3, 4 and 10 use the fault harness of tests/faults: the misbehaving Slack stand-in, and
the real dispatching process (tests/faults/dispatcher.py) killed with SIGKILL, on the demo
council's 22 reminders of Tuesday 17 November 2026 (text, then the Submit buttons), counting what
the recipients received. Row 1 runs `perfbot scheduler` itself, on the real clock (so only in
working hours). Every row gives each checkout a database of its own, migrated and filled with
the demo data by that checkout's code. Row 7 is here too (alerts); rows 5, 6, 8, 9 and 11 are in
benchmarks/faults_inputs.py. Rows 12–14 are issue 24's: Slack events acknowledged by workers then
SIGKILLed (tests/faults/burst.py), `perfbot demo` on a store it did not make with SLACK_BOT_TOKEN
set, and `perfbot ask --jsonl` over many dates (for --before: the branch point of issue 24, 2d93b80).
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import faults_inputs  # noqa: E402
from benchmarks.faults_checkout import Checkout, Running, scalar  # noqa: E402
from bot.slack.testing import MockSlack  # noqa: E402
from data_access.database import make_engine  # noqa: E402
from data_access.models import Delivery  # noqa: E402
from data_access.store import Store  # noqa: E402
from schedules.leader import LOCK_KEY  # noqa: E402
from schedules.runner import DISPATCH_SECONDS  # noqa: E402
from tests.faults.burst import burst  # noqa: E402
from tests.faults.harness import Harness  # noqa: E402
from tests.faults.standin import HANG, OK, POSTED_THEN_500, UNAVAILABLE, FaultySlack  # noqa: E402
from tests.test_importers import OBSERVATIONS_HEADER  # noqa: E402

SLACK = {"SLACK_BOT_TOKEN": "xoxb-faults", "SLACK_SIGNING_SECRET": "faults"}
BACKFILL = OBSERVATIONS_HEADER + "".join(f"{code},E08000031,2027-01,{value},final,backfill\n" for code, value in
                                         (("NEET", 30), ("CLAIMANT_RATE", 30), ("EMPLOYMENT_RATE", 1)))


# -- rows 2, 4 and 10: faults played on the harness's dispatcher -----------------------------------

def between_parts(harness: Harness) -> None:
    harness.kill_at(HANG, 10)


def random_kills(harness: Harness) -> None:
    chosen = random.Random(16)
    for _ in range(10):
        harness.kill_after_posts(harness.start(), chosen.randint(1, 6))
        harness.later()


def four_503s(harness: Harness) -> None:
    harness.slack.script("chat.postMessage", OK, *[UNAVAILABLE] * 4)


def ambiguous_500s(harness: Harness) -> None:
    harness.slack.script("chat.postMessage", *[POSTED_THEN_500, OK] * 8, *[POSTED_THEN_500] * 8)


def outage(harness: Harness) -> None:
    """Every call failing from 09:00 until 17:00 (or until nothing is left to try), the dispatcher
    run once a minute at most; then Slack is back."""
    harness.slack.always("conversations.open", UNAVAILABLE)
    while harness.now.hour < 17 and harness.outstanding():  # none outstanding: all failed for good
        harness.finish(harness.start())
        tick = harness.now + timedelta(seconds=DISPATCH_SECONDS)  # as `perfbot scheduler` runs it
        harness.later()
        harness.now = max(harness.now, tick)
    harness.slack.always("conversations.open", None)


def played(faults: Callable[[Harness], None], checkout: Checkout, database: str | None, folder: Path,
           timeout_seconds: int = 2) -> tuple[Harness, dict[str, int]]:
    """`faults` played on the 22 reminders, then run until delivered; the harness and its counts."""
    url = checkout.database(database, folder)
    checkout.step("queue", url)
    store = Store(make_engine(url))  # the schema as the checkout migrated it, read without migrating
    with FaultySlack() as slack:
        harness = Harness(store, slack, code=checkout.code, timeout_seconds=timeout_seconds)
        faults(harness)
        harness.run_until_delivered(most=60)  # a delivery failed for good is not outstanding
        tally = harness.tally()
        with store.sessions() as session:
            failed = len(session.scalars(select(Delivery.id).where(Delivery.status == "failed")).all())
    store.engine.dispose()
    keys = {entry.split("#")[0] for entry in tally.doubled}
    return harness, {"deliveries": tally.deliveries, "lost": len(tally.lost), "doubled": len(tally.doubled),
                     "keys twice": len(keys), "failed": failed,
                     "second lost": sum(1 for part in tally.lost if part.endswith("#1")),
                     "deliveries lost a part": len({part.split("#")[0] for part in tally.lost})}


def lost_parts(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 2: kills timed between parts, random kills, four 503s on part 2."""
    figures = []
    for name, faults in (("kills between parts", between_parts), ("random kills", random_kills),
                         ("four 503s on part 2", four_503s)):
        harness, counts = played(faults, checkout, database, folder)
        figures.append(f"{name}: {counts['second lost']} second messages lost, {counts['doubled']} doubled"
                       + (f" ({harness.kills} kills)" if harness.kills else ""))
    return "; ".join(figures)


def duplicates(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 4: 16 ambiguous 500s after posting."""
    _, counts = played(ambiguous_500s, checkout, database, folder)
    return (f"16 ambiguous 500s → {counts['doubled']} duplicate messages, {counts['keys twice']} of "
            f"{counts['deliveries']} keys twice, {counts['lost']} parts lost")


def working_day_outage(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 10: every call failing from 09:00 to 17:00, then Slack back."""
    _, counts = played(outage, checkout, database, folder)
    return (f"{counts['failed']} of {counts['deliveries']} deliveries failed for good; "
            f"{counts['lost']} parts lost, {counts['doubled']} doubled once Slack was back")


# -- row 3: a PostgreSQL leader whose lock session is terminated mid-dispatch -----------------------

def terminated_leader(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 3: the leader's first post hangs (its client gives up after 30 s); meanwhile its lock
    session is terminated and a second dispatcher takes the lock and runs ten minutes on, past the
    hung delivery's lease, as a run longer than the lease would; then all is run until delivered."""
    if not database:
        return "PostgreSQL only (SQLite's lock is a file)"
    terminated: list[bool] = []

    def faults(harness: Harness) -> None:
        harness.slack.script("chat.postMessage", HANG)
        leader = harness.start()
        harness.slack.wait_outcome(HANG)
        with harness.store.engine.connect() as admin:
            terminated.extend(admin.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                "AND ((classid::bigint << 32) | objid::bigint) = :key"), {"key": LOCK_KEY}).scalars())
        harness.now += timedelta(minutes=10)
        harness.finish(harness.start())  # the new leader, while the old one waits for its hung post
        leader.communicate(timeout=180)  # the old one, left to end as it will
        harness.slack.release()
        harness.later()

    _, counts = played(faults, checkout, database, folder, timeout_seconds=30)
    messages = f"{counts['doubled']} message{'' if counts['doubled'] == 1 else 's'}"
    return (f"{counts['keys twice']} of {counts['deliveries']} keys posted twice ({messages} doubled, "
            f"{counts['lost']} lost; lock sessions terminated: {terminated.count(True)})")


# -- row 1: standalone `perfbot scheduler` ----------------------------------------------------------

def standalone_scheduler(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 1: `perfbot scheduler` with SLACK_BOT_TOKEN set, on the demo council's reminders of
    17 November (all due now), run until nothing due is outstanding: where deliveries went."""
    url = checkout.database(database, folder)
    checkout.step("queue", url)
    with FaultySlack() as slack:
        running = checkout.start(url, "scheduler", env={**SLACK, "SLACK_API_URL": slack.api_url})
        try:
            settled = _settled(url, running)
        finally:
            running.stop()
    sent = {channel: scalar(url, "SELECT count(*) FROM delivery WHERE status = 'sent' AND channel = :channel",
                            channel=channel) for channel in ("slack", "inbox")}
    total = scalar(url, "SELECT count(*) FROM delivery WHERE status = 'sent'")
    note = "" if settled else " (still outstanding after 180 s: outside working hours?)"
    return f"{sent['inbox']} of {total} deliveries went to the inbox table, {sent['slack']} to Slack{note}"


def _settled(url: str, running: Running) -> bool:
    """Wait until the 17 November reminders are delivered (True), or 180 s pass; what the
    scheduler's own sweep queues for today may go on being sent meanwhile."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and running.process.poll() is None:
        outstanding = scalar(url, "SELECT count(*) FROM delivery WHERE status IN ('sending', 'retry')") + scalar(
            url, "SELECT count(*) FROM notification WHERE status = 'pending' AND due_at < '2026-11-18'")
        if outstanding == 0 and scalar(url, "SELECT count(*) FROM delivery"):
            return True
        try:
            running.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:  # still running: look again
            continue
    return False


# -- row 7: `perfbot import --no-alerts` killed between the import and its status record -----------

def killed_import(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 7: the backfill imported with --no-alerts, SIGKILLed where the statuses are recorded,
    then an alert sweep; the control is the same import left to finish."""
    csv = folder / "backfill.csv"
    csv.write_text(BACKFILL)
    counts = []
    for kill in ("1", "0"):
        url = checkout.database(database, folder)
        ended = checkout.step("import", url, str(csv), kill)
        swept = checkout.step("alerts", url)
        counts.append((ended.get("returncode", ended.get("exit")), swept.get("alerts")))
    (killed_exit, killed_alerts), (_, control_alerts) = counts
    return f"{killed_alerts} alerts queued after the kill (exit {killed_exit}); control {control_alerts}"


# -- issue 24, rows 12–14: acknowledged events, the demo on a council's store, many dates -----------

def killed_workers(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 12: 400 Slack events in 8 batches at `perfbot serve slack --workers 4`, a worker
    SIGKILLed just after 4 of the batches were acknowledged (tests/faults/burst.py)."""
    url = checkout.database(database, folder)
    with MockSlack() as slack:
        outcome = burst(Path(checkout.code), url, slack)
    return (f"{len(outcome.lost)} of {outcome.acknowledged} acknowledged never answered, {len(outcome.doubled)} "
            f"doubled ({outcome.kills} kills; ack p99 {outcome.p99_ms:.0f} ms)")


def demo_on_a_council_store(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 13: `perfbot demo --today 2026-12-17` on a store of the council's data (imported the
    ordinary way, not made by the demo) with SLACK_BOT_TOKEN set: did it start, and what Slack got."""
    url = checkout.database(database, folder)
    with MockSlack() as slack:
        running = checkout.start(url, "demo", "--port", "0", "--today", "2026-12-17",
                                 env={**SLACK, "SLACK_API_URL": slack.api_url})
        try:
            started = _demo_started(running)
        finally:
            running.stop()
        posts = len(slack.calls("chat.postMessage"))
    return (f"started; {posts} Slack posts" if started else
            f"refused (exit {running.process.returncode}); {posts} Slack posts")


def _demo_started(running: Running) -> bool:
    """Wait until the demo says where to open it (True) or ends (False), at most 120 s."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(line.startswith("Open http") for line in running.lines):
            return True
        try:
            running.process.wait(timeout=0.5)
            return False
        except subprocess.TimeoutExpired:
            continue
    return False


DATES = 300
PEAK = ("import resource, sys; from bot.cli import main; status = main(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(status)")


def many_dates(checkout: Checkout, database: str | None, folder: Path) -> str:
    """Row 14: `perfbot ask --jsonl`, two questions a date over 300 dates, against the same 600 on
    one date: peak resident size of each."""
    url = checkout.database(database, folder)
    peaks = []
    for spread in (False, True):
        lines = "".join(json.dumps({"question": question, "as": "maya.rowe@demo-council.example",
                                    "today": (date(2026, 6, 1) + timedelta(days=n if spread else 0)).isoformat()}) + "\n"
                        for n in range(DATES) for question in ("which returns do I owe?", "latest NEET rate?"))
        done = subprocess.run([sys.executable, "-c", PEAK, "--database", url, "ask", "--jsonl"], input=lines,
                              env=checkout.environment(), cwd=checkout.code, capture_output=True, text=True, timeout=1200)
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return f"{2 * DATES} questions: one date {peaks[0]:.0f} MB, {DATES} dates {peaks[1]:.0f} MB"


def inputs(row: Callable[[Checkout, str], str]) -> Callable[[Checkout, str | None, Path], str]:
    """A row of benchmarks/faults_inputs.py on a new database of the checkout's own."""
    return lambda checkout, database, folder: row(checkout, checkout.database(database, folder))


ROWS: dict[int, tuple[str, str, Callable[[Checkout, str | None, Path], str]]] = {
    1: ("standalone `perfbot scheduler` with SLACK_BOT_TOKEN",
        "600 of 600 deliveries went to the inbox table, 0 to Slack", standalone_scheduler),
    2: ("kills between parts / random kills / 503s on part 2", "10 of 10 second messages lost; 2 of 10; 1 of 22",
        lost_parts),
    3: ("PostgreSQL leader, lock session terminated mid-dispatch", "2 of 600 keys posted twice", terminated_leader),
    4: ("ambiguous 500s after posting", "16 ambiguous 500s → 16 duplicate messages, 4 of 22 keys twice", duplicates),
    5: ("Slack user of another workspace, matching e-mail", "outsider recorded NEET 2026-10 = 6.1 as Maya Rowe",
        inputs(faults_inputs.outsider)),
    6: ("Teams without app id on 0.0.0.0", "an unsigned activity was answered as Maya",
        inputs(faults_inputs.teams_beyond_loopback)),
    7: ("`perfbot import --no-alerts` killed before its status record", "6 alerts queued; control 0", killed_import),
    8: ("`perfbot ask --jsonl` with bad lines", "39/50 lines killed the process",
        inputs(faults_inputs.jsonl_bad_lines)),
    9: ("malformed / unsigned Slack bodies", "6 tracebacks", inputs(faults_inputs.hostile_slack_bodies)),
    10: ("Slack failing a whole working day", "21 of 22 deliveries failed for good", working_day_outage),
    11: ('"snooze until Monday" on a Tuesday', "snooze until 2026-11-30 08:30 written on 1 Dec",
         inputs(faults_inputs.snooze_on_a_tuesday)),
    12: ("issue 24: 400 Slack events, `serve slack --workers 4`, 4 workers SIGKILLed",
         "71–72 of 400 never answered at 40/s", killed_workers),
    13: ("issue 24: `perfbot demo` on a council's store, SLACK_BOT_TOKEN set, clock 17 Dec",
         "started; 45 real Slack reminders", demo_on_a_council_store),
    14: ("issue 24: `ask --jsonl` over many dates", "3,000 questions, 1,500 dates: 168 → 737 MB", many_dates),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a checkout of the code before the fixes (e.g. 6bfd33a unpacked)")
    parser.add_argument("--database", action="append",
                        help="'sqlite' (the default) or an empty PostgreSQL database URL; give it twice for both")
    parser.add_argument("--rows", help="only these rows, e.g. 2,8 (default: all fourteen)")
    args = parser.parse_args()
    checkouts = ([Checkout("before", args.before)] if args.before else []) + [Checkout("after", str(ROOT))]
    databases = [None if d == "sqlite" else d for d in (args.database or ["sqlite"])]
    numbers = [int(n) for n in args.rows.split(",")] if args.rows else list(ROWS)
    columns = [f"{c.label}, {'SQLite' if d is None else 'PostgreSQL'}" for d in databases for c in checkouts]
    print("| # | case | issue's figure | " + " | ".join(columns) + " |")
    print("|---|---|---|" + "---|" * len(columns), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for number in numbers:
            case, figure, measure = ROWS[number]
            cells = [_measured(measure, checkout, database, Path(folder))
                     for database in databases for checkout in checkouts]
            print(f"| {number} | {case} | {figure} | " + " | ".join(cells) + " |", flush=True)
    return 0


def _measured(measure: Callable[[Checkout, str | None, Path], str], checkout: Checkout, database: str | None,
              folder: Path) -> str:
    """The figure, or why it could not be measured (the row then says so rather than stopping the table)."""
    started = time.monotonic()
    try:
        return measure(checkout, database, folder).replace("|", "\\|")
    except Exception as error:  # a checkout that cannot run a case: say so in its cell
        return f"could not run: {type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}"
    finally:
        print(f"({checkout.label}: {time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
