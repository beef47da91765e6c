"""Benchmark of the reminder sweep (issue 8): 10,000 monthly indicators, each with 4 returns still
open (the last four months have no council value), swept on five days that fall on five different
rungs of the ladder. Goal: each sweep in at most 1 s.

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
from datetime import date, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access.store import Store  # noqa: E402
from schedules.reminders import sweep_reminders  # noqa: E402
from schedules.working_time import LONDON, WorkingTime  # noqa: E402

COUNCIL = "E08000031"
OWNERS = 200
GOAL_SECONDS = 1.0
# Deadline of the newest open return (2026-10) is 10 November 2026: notice, reminder, due, overdue 1 and 3.
DAYS = (date(2026, 11, 3), date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 13))


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


def main(argv: list[str] | None = None) -> int:
    """Generate, import, sweep on five days; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=10_000)
    parser.add_argument("--database", help="an empty database URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        generate(folder, args.indicators)
        store = Store.open(args.database or f"sqlite:///{folder / 'bench.db'}")
        store.import_files([folder])
        working = WorkingTime()
        timings, queued = [], []
        for day in DAYS:
            started = time.perf_counter()
            queued.append(sweep_reminders(store, datetime(day.year, day.month, day.day, 6, 0, tzinfo=LONDON), working))
            timings.append(time.perf_counter() - started)
        again = time.perf_counter()
        sweep_reminders(store, datetime(2026, 11, 13, 6, 5, tzinfo=LONDON), working)
        repeat = time.perf_counter() - again
    print(f"{args.indicators:,} indicators x 4 open returns, swept on 5 rungs ({store.engine.dialect.name})")
    for day, seconds, count in zip(DAYS, timings, queued):
        print(f"  {day}: {seconds:.3f} s, {count:,} reminders queued")
    print(f"  repeat sweep (nothing new): {repeat:.3f} s")
    worst = max(timings)
    print(f"worst sweep {worst:.3f} s, median {statistics.median(timings):.3f} s (goal <= {GOAL_SECONDS:.1f} s): "
          f"{'met' if worst <= GOAL_SECONDS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
