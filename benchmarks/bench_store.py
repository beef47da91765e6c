"""Benchmark of the indicator store: generate a large synthetic store, import it through
`Store.import_files` and time the status of everything.

    python benchmarks/bench_store.py                      # 1,000,000 observations into a fresh SQLite file
    python benchmarks/bench_store.py --rows 200000
    python benchmarks/bench_store.py --database postgresql://postgres@127.0.0.1:5432/bench

The data: 100 indicators (a mix of higher-is-better, lower-is-better, in-range and neutral) for
every England local authority and region and England itself (places from the ONS May 2024 lookup
in tests/data/real/ons), monthly from April 2024, in the demo-council observations format, with
council targets for every local authority and financial year and about 1% of values missing (NA).
Goals (issue 2): import at least 50,000 rows/s into SQLite; status of the whole store in under 2 s.

A PostgreSQL database given with --database is EMPTIED first (TRUNCATE … CASCADE of the store's
tables): give it a database or schema of its own, e.g.
postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dperfbot_bench. A SQLite file
is created afresh.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access.periods import financial_year_containing, month  # noqa: E402
from data_access.store import Store  # noqa: E402

ONS_LOOKUP = ROOT / "tests" / "data" / "real" / "ons" / "ward_lad_cty_rgn_ctry_may2024.csv"
POLARITIES = ("higher_is_better", "lower_is_better", "in_range", "neutral")
GOAL_ROWS_PER_SECOND = 50_000
GOAL_STATUS_SECONDS = 2.0


def england_places() -> pd.DataFrame:
    """Code and name of England, its regions and its local authorities (from the ONS lookup)."""
    lookup = pd.read_csv(ONS_LOOKUP, dtype=str, encoding="utf-8-sig")
    england = lookup[lookup["CTRY24CD"] == "E92000001"]
    frames = [pd.DataFrame({"code": ["E92000001"], "level": ["country"]}),
              pd.DataFrame({"code": sorted(england["RGN24CD"].unique()), "level": "region"}),
              pd.DataFrame({"code": sorted(england["LAD24CD"].unique()), "level": "local_authority"})]
    return pd.concat(frames, ignore_index=True)


def generate(folder: Path, rows: int, indicators: int, seed: int = 2) -> dict[str, int]:
    """Write indicators.csv, targets.csv (setup/) and observations.csv (values/) under `folder`."""
    rng = np.random.default_rng(seed)
    places = england_places()
    per_period = indicators * len(places)
    months = max(1, math.ceil(rows / per_period))
    periods = [_month_label(2024, 4, i) for i in range(months)]
    (folder / "setup").mkdir(parents=True)
    (folder / "values").mkdir()

    codes = [f"BENCH_{n:03d}" for n in range(indicators)]
    polarity = [POLARITIES[n % len(POLARITIES)] for n in range(indicators)]
    pd.DataFrame({"code": codes, "name": [f"Benchmark indicator {n}" for n in range(indicators)],
                  "aliases": "", "unit": "%", "polarity": polarity, "frequency": "monthly",
                  "service": "Benchmarks", "decimals": 1}).to_csv(folder / "setup" / "indicators.csv", index=False)

    # Values: indicator-major, then period, then place; a level per indicator and place plus noise.
    n_places = len(places)
    level = rng.uniform(20, 80, size=(indicators, n_places))
    values = (level[:, None, :] + rng.normal(0, 5, size=(indicators, months, n_places))).round(1).ravel()[:rows]
    missing = rng.random(rows) < 0.01
    indicator_index = np.repeat(np.arange(indicators), months * n_places)[:rows]
    period_index = np.tile(np.repeat(np.arange(months), n_places), indicators)[:rows]
    place_index = np.tile(np.arange(n_places), indicators * months)[:rows]
    text_values = np.char.mod("%.1f", values).astype(object)
    text_values[missing] = "NA"
    pd.DataFrame({
        "indicator_code": np.asarray(codes, dtype=object)[indicator_index],
        "geography_code": places["code"].to_numpy(dtype=object)[place_index],
        "period": np.asarray(periods, dtype=object)[period_index],
        "value": text_values, "status": "final", "source": "perfbot benchmark",
    }).to_csv(folder / "values" / "observations.csv", index=False)

    # Targets: every local authority, every financial year the months touch, for indicators with RAG.
    years = sorted({financial_year_containing(_month_start(2024, 4, i)).label for i in range(months)})
    las = places.index[places["level"] == "local_authority"].to_numpy()
    target_rows = []
    for n, code in enumerate(codes):
        if polarity[n] == "neutral":
            continue
        for year in years:
            for p in las:
                base = level[n, p]
                if polarity[n] == "in_range":
                    target_rows.append((code, places.at[p, "code"], year, "", f"{base - 4:.1f}", f"{base + 4:.1f}", "2"))
                else:
                    target_rows.append((code, places.at[p, "code"], year, f"{base:.1f}", "", "", "3"))
    columns = ["indicator_code", "geography_code", "period", "target", "target_low", "target_high", "amber_tolerance"]
    pd.DataFrame(target_rows, columns=columns).to_csv(folder / "setup" / "targets.csv", index=False)
    return {"rows": rows, "indicators": indicators, "places": n_places, "months": months, "targets": len(target_rows)}


def _month_start(year: int, first_month: int, offset: int):
    index = year * 12 + first_month - 1 + offset
    return month(index // 12, index % 12 + 1).start


def _month_label(year: int, first_month: int, offset: int) -> str:
    index = year * 12 + first_month - 1 + offset
    return month(index // 12, index % 12 + 1).label


def _open(database: str | None, folder: Path) -> Store:
    now = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
    if database and not database.startswith("sqlite"):
        store = Store.open(database, clock=lambda: now)
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "TRUNCATE observation, target, comparator_member, comparator_group, indicator, audit_log, "
                "delegate, person, reporting_deadline, geography RESTART IDENTITY CASCADE")
        store.reload()
        return store
    path = Path(database.removeprefix("sqlite:///")) if database else folder / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Store.open(f"sqlite:///{path}", clock=lambda: now)


CPU = {"last": 0.0}


def timed(action):
    """`action()`, its wall-clock seconds; its CPU seconds in this process go to CPU["last"] (on a
    busy machine wall time grows while CPU time does not; PostgreSQL's own work is not counted)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    CPU["last"] = time.process_time() - cpu
    return result, time.perf_counter() - start


def cpu() -> str:
    return f"(CPU {CPU['last']:.2f} s)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="observations to generate (default 1,000,000)")
    parser.add_argument("--indicators", type=int, default=100, help="indicators (default 100)")
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file in a temporary folder)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="perfbot-bench-") as temp:
        folder = Path(temp)
        shape, seconds = timed(lambda: generate(folder, args.rows, args.indicators))
        print(f"generated {shape['rows']:,} observations ({shape['indicators']} indicators × {shape['places']} places "
              f"× {shape['months']} months) and {shape['targets']:,} targets in {seconds:.1f} s")
        store = _open(args.database, folder)
        backend = store.engine.dialect.name
        _, seconds = timed(lambda: store.import_files([ONS_LOOKUP, folder / "setup"], actor="benchmark"))
        print(f"[{backend}] setup: ONS lookup, indicators and targets imported in {seconds:.1f} s")

        report, import_seconds = timed(lambda: store.import_files([folder / "values"], actor="benchmark"))
        added = report.files[0].added
        rate = added / import_seconds
        print(f"[{backend}] import: {added:,} observations in {import_seconds:.2f} s {cpu()} = {rate:,.0f} rows/s "
              f"(goal ≥ {GOAL_ROWS_PER_SECOND:,})")

        report, seconds = timed(lambda: store.import_files([folder / "values"], actor="benchmark"))
        print(f"[{backend}] re-import: {report.files[0].unchanged:,} unchanged, {report.files[0].added} added "
              f"in {seconds:.2f} s {cpu()}")

        status, cold_seconds = timed(store.status_of_everything)
        print(f"[{backend}] status of everything, first call (reads {len(status):,} observations from the "
              f"database): {cold_seconds:.2f} s {cpu()}")
        del status
        calls = []
        for _ in range(3):
            status, seconds = timed(store.status_of_everything)
            calls.append((seconds, CPU["last"]))
            del status
        status_seconds, CPU["last"] = sorted(calls)[1]
        status = store.status_of_everything()
        counts = status["rag"].fillna("none").value_counts()
        print(f"[{backend}] status of everything, kept in memory (median of 3 calls: "
              f"{', '.join(f'{s:.2f}' for s, _ in calls)} s): {len(status):,} observations in "
              f"{status_seconds:.2f} s {cpu()} (goal < {GOAL_STATUS_SECONDS:g} s); "
              + ", ".join(f"{counts.get(k, 0):,} {k}" for k in ("green", "amber", "red", "none")))
        store.engine.dispose()
    met = rate >= GOAL_ROWS_PER_SECOND and status_seconds < GOAL_STATUS_SECONDS
    print(f"goals {'met' if met else 'NOT met'}: import {rate:,.0f} rows/s, status {status_seconds:.2f} s once the "
          f"store's observations are in memory (the first call, reading them from the database, took {cold_seconds:.2f} s)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
