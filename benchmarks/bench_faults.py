"""The figures of issue 16's table for delivery under faults, measured with the fault harness of
tests/faults (the misbehaving Slack stand-in and the real dispatching process, killed with SIGKILL)
on the demo council's 22 reminders of Tuesday 17 November 2026 (text, then the Submit buttons).
Each row is run against the dispatcher of this checkout and, with --before, of another checkout
(e.g. main) on the same schema, and counts what the recipients received:

    python benchmarks/bench_faults.py --before /work/main
    python benchmarks/bench_faults.py --database postgresql://postgres@127.0.0.1:5432/bench

Rows: kills timed between the parts of a delivery (10), random kills (10), four 503s on part 2,
16 ambiguous 500s after a post, and every call failing for the working day, then Slack back.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access.models import Delivery  # noqa: E402
from data_access.store import Store  # noqa: E402
from tests.faults.harness import Harness  # noqa: E402
from tests.faults.standin import HANG, OK, POSTED_THEN_500, UNAVAILABLE, FaultySlack  # noqa: E402


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
    harness.slack.always("conversations.open", UNAVAILABLE)
    while harness.now.hour < 17:
        harness.finish(harness.start())
        harness.later()
    harness.slack.always("conversations.open", None)


ROWS: list[tuple[str, Callable[[Harness], None]]] = [
    ("kills timed between parts", between_parts), ("random kills", random_kills),
    ("four 503s on part 2, no crash", four_503s), ("16 ambiguous 500s", ambiguous_500s),
    ("every call failing for the working day", outage)]


def fresh_store(database: str | None, folder: Path) -> Store:
    """A migrated store with the demo data: a new SQLite file, or a new schema in `database`."""
    if not database:
        url = f"sqlite:///{folder / (uuid.uuid4().hex + '.db')}"
    else:
        schema = "bench_" + uuid.uuid4().hex[:10]
        with create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1),
                           isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{database}{'&' if '?' in database else '?'}options=-csearch_path%3D{schema}"
    store = Store.open(url)
    store.ensure_sample_data()
    return store


def measure(code: str, row: Callable[[Harness], None], database: str | None, folder: Path) -> str:
    """One row against the dispatcher in `code`: what the 22 recipients received."""
    store = fresh_store(database, folder)
    with FaultySlack() as slack:
        harness = Harness(store, slack, code=code)
        harness.queue_reminders()
        row(harness)
        harness.run_until_delivered(most=60)  # a delivery failed for good is not outstanding
        tally = harness.tally()
        with store.sessions() as session:
            failed = len(session.scalars(select(Delivery.id).where(Delivery.status == "failed")).all())
    store.engine.dispose()
    second = [d for d in tally.lost if d.endswith("#1")]
    return (f"{tally.deliveries} deliveries, {len(tally.lost)} parts lost ({len(second)} second messages), "
            f"{len(tally.doubled)} doubled, {failed} failed for good")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="another checkout whose dispatcher to measure too (e.g. /work/main)")
    parser.add_argument("--database", help="an empty PostgreSQL database URL (default: SQLite files)")
    args = parser.parse_args()
    codes = [("before", args.before)] if args.before else []
    codes.append(("after", str(ROOT)))
    with tempfile.TemporaryDirectory() as folder:
        for name, row in ROWS:
            for label, code in codes:
                print(f"{name:42} {label:6} {measure(code, row, args.database, Path(folder))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
