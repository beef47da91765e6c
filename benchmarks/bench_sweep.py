"""Benchmark of the reminder sweep (issue 8): 10,000 monthly indicators, each with 4 returns still
open (July to October 2026 have no council value), swept as the scheduler does: every working day
from 2 to 20 November 2026, through the five rungs of the October returns (notice 6 November,
reminder 12th, due 13th, overdue 1 on the 16th, overdue 3 on the 18th) and the weekly overdue rungs
of the older three, which reach five people each. Then a catch-up: the scheduler down for a week,
the sweep on its return queuing everything that fell meanwhile. Goal: each sweep in at most 1 s.

    python benchmarks/bench_sweep.py
    python benchmarks/bench_sweep.py --indicators 2000 --database postgresql://postgres@127.0.0.1:5432/bench

The store is a fresh SQLite file (or an empty PostgreSQL database given with --database).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access.store import Store  # noqa: E402
from schedules.reminders import sweep_reminders  # noqa: E402
from schedules.working_time import LONDON, WorkingTime  # noqa: E402

COUNCIL = "E08000031"
OWNERS = 200
GOAL_SECONDS = 1.0
FIRST, LAST = date(2026, 11, 2), date(2026, 11, 20)
CATCH_UP_FROM, CATCH_UP_TO = date(2026, 11, 12), date(2026, 11, 19)  # last sweep on the 12th, back on the 19th


def generate(folder: Path, indicators: int) -> None:
    """People, delegates, places, indicators, council targets and council values from September 2025 to June 2026."""
    owners = [f"owner{n}@council.example" for n in range(OWNERS)]
    people = pd.DataFrame({"email": owners + ["director@council.example", "team@council.example"],
                           "name": [f"Owner {n}" for n in range(OWNERS)] + ["A Director", "The Team"],
                           "roles": ["kpi_owner"] * OWNERS + ["director", "performance_team"],
                           "service": "Service", "manager_email": ["director@council.example"] * OWNERS + ["", ""]})
    people.to_csv(folder / "people.csv", index=False)
    pd.DataFrame({"owner_email": owners, "delegate_email": [f"delegate{n}@council.example" for n in range(OWNERS)]}) \
        .to_csv(folder / "delegates.csv", index=False)
    pd.DataFrame({"code": ["E92000001", "E12000005", COUNCIL], "name": ["England", "West Midlands", "Council"],
                  "level": ["country", "region", "local_authority"], "parent_code": ["", "E92000001", "E12000005"]}) \
        .to_csv(folder / "geographies.csv", index=False)
    codes = [f"KPI_{n:05d}" for n in range(indicators)]
    pd.DataFrame({"code": codes, "name": [f"Indicator {n}" for n in range(indicators)], "unit": "%",
                  "polarity": "higher_is_better", "frequency": "monthly", "service": "Service",
                  "owner_email": [owners[n % OWNERS] for n in range(indicators)], "decimals": 1}) \
        .to_csv(folder / "indicators.csv", index=False)
    pd.DataFrame({"indicator_code": codes, "geography_code": COUNCIL, "period": "2026/27", "target": 50.0,
                  "amber_tolerance": 1.0}).to_csv(folder / "targets.csv", index=False)
    months = [f"2025-{m:02d}" for m in range(9, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
    pd.DataFrame({"code": codes * len(months)}).assign(
        indicator_code=lambda f: f["code"], geography_code=COUNCIL,
        period=[m for m in months for _ in codes], value=50.0).drop(columns="code") \
        .to_csv(folder / "observations.csv", index=False)


def sweep_at_six(store: Store, day: date, working: WorkingTime) -> tuple[float, int]:
    """Seconds taken and reminders queued by the sweep at 06:00 on `day`."""
    started = time.perf_counter()
    queued = sweep_reminders(store, datetime(day.year, day.month, day.day, 6, 0, tzinfo=LONDON), working)
    return time.perf_counter() - started, queued


def catch_up(store: Store, working: WorkingTime) -> tuple[float, int]:
    """The sweep on CATCH_UP_TO of a store last swept on CATCH_UP_FROM, with an empty outbox."""
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM notification"))
        connection.execute(text("UPDATE sweep_state SET day = :day WHERE name = 'reminders'"), {"day": CATCH_UP_FROM})
    return sweep_at_six(store, CATCH_UP_TO, working)


def main(argv: list[str] | None = None) -> int:
    """Generate, import, sweep every working day, then catch up; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=10_000)
    parser.add_argument("--database", help="an empty database URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    working = WorkingTime()
    days = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    days = [day for day in days if working.is_working_day(day)]
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        generate(folder, args.indicators)
        store = Store.open(args.database or f"sqlite:///{folder / 'bench.db'}")
        store.import_files([folder])
        daily = [sweep_at_six(store, day, working) for day in days]
        again = time.perf_counter()
        sweep_reminders(store, datetime(LAST.year, LAST.month, LAST.day, 6, 5, tzinfo=LONDON), working)
        repeat = time.perf_counter() - again
        late, late_count = catch_up(store, working)
    print(f"{args.indicators:,} indicators x 4 open returns, swept every working day ({store.engine.dialect.name})")
    for day, (seconds, count) in zip(days, daily):
        print(f"  {day:%a %d %b}: {seconds:.3f} s, {count:,} reminders queued")
    print(f"  repeat sweep (nothing new): {repeat:.3f} s")
    print(f"  catch-up on {CATCH_UP_TO:%a %d %b} after a week down: {late:.3f} s, {late_count:,} reminders queued")
    timings = [seconds for seconds, _ in daily] + [late]
    worst = max(timings)
    print(f"worst sweep {worst:.3f} s, median {statistics.median(timings):.3f} s (goal <= {GOAL_SECONDS:.1f} s): "
          f"{'met' if worst <= GOAL_SECONDS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
