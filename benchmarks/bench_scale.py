"""Benchmark of a store the size of the national statistics (issue 26): the demo council's framework
plus published indicators for every England local authority, region and England, ten financial
years, the whole population and two breakdowns — 1, 5 and 20 million observations, on SQLite and
PostgreSQL — and one table of what a council would notice as the store grows.

    python benchmarks/bench_scale.py                               # 1M and 5M, SQLite and PostgreSQL
    python benchmarks/bench_scale.py --sizes 1 5 20 --backends sqlite postgresql
    python benchmarks/bench_scale.py --cache /tmp/perfbot-scale --postgres postgresql://postgres@127.0.0.1:5432

Stores are built once and kept (SQLite files under --cache; PostgreSQL databases perfbot_scale_<N>m,
which are DROPPED and rebuilt when they are not marked as built): a run after the first measures only.
The published rows are written in bulk (executemany into SQLite, COPY into PostgreSQL, indexes
built after the load), as a one-off load of a national extract would be; `perfbot import` of new
files is measured separately ("import"), inside a transaction rolled back so the store stays as built.

Figures (each store opened afresh, so the first answer meets cold caches and is counted):
- answer p50/p99: four kinds of question (value, vs England, trend, rank the region's councils)
  about random published indicators and councils, plus the framework's questions, three rounds;
- ask from start: `perfbot ask` as a new process, wall time (median of three);
- RSS: the peak resident memory of `perfbot ask --jsonl` answering every question above;
- sweep after one submission: the alert sweep after one value is submitted through the bot's path
  (median of five submissions);
- CPU: the same answers, `perfbot ask` and sweeps in CPU time (the measuring process's own, or the
  child's by rusage; PostgreSQL's own work not included) — what the wall clock gives on a quiet
  machine, and what it does not when the cores are shared;
- framework status: the framework's status read and evaluated by a process that had none;
- import: a file of 20 new indicators (about 180,000 values) through `Store.import_files`, and the
  same import again (a no-op), both rolled back.
Goals: p50 <= 10 ms and p99 <= 100 ms at 20M; ask <= 2.5 s; RSS <= 400 MB; sweep <= 100 ms; status
<= 1 s; import >= 50,000 values/s on SQLite; each figure growing < 2x from the smallest store to the largest.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.bot import Bot  # noqa: E402
from bot.core.messages import Message  # noqa: E402
from data_access.database import make_engine  # noqa: E402
from data_access.framework import framework_places  # noqa: E402
from data_access.models import Observation  # noqa: E402
from data_access.periods import parse_period  # noqa: E402
from data_access.store import SAMPLE_DATA, Store  # noqa: E402
from data_access.submissions import record_value  # noqa: E402
from schedules.alerts import sweep_alerts  # noqa: E402

ONS_LOOKUP = ROOT / "tests" / "data" / "real" / "ons" / "ward_lad_cty_rgn_ctry_may2024.csv"
TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2015, 2025)]
BREAKDOWNS = ["", "Female", "Male"]
POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
PERFBOT = Path(sys.executable).parent / "perfbot"
GOALS = {"p50": 10.0, "p99": 100.0, "ask": 2.5, "rss": 400.0, "sweep": 100.0, "status": 1.0, "import": 50_000}


# Published indicators are named as national statistics name them, by subject and measure
# ("asthma prevalence", "stroke mortality"), each name its own pair of words: 50 subjects x 45
# measures name 2,250 indicators, enough for 20 million observations. (Names differing only by a
# number, "National indicator 102", are ones no publisher uses, and the understanding, which
# counts a number for little, hears them all as near the same indicator.)
SUBJECTS = ("asthma", "diabetes", "dementia", "hypertension", "stroke", "epilepsy", "tuberculosis", "chlamydia",
            "measles", "influenza", "hip fracture", "dental decay", "breastfeeding", "low birthweight", "stillbirth",
            "teenage conception", "alcohol", "opiate", "cannabis", "gambling", "loneliness", "physical activity",
            "cycling", "walking", "air pollution", "noise", "fuel poverty", "overcrowding", "rough sleeping",
            "apprenticeship", "numeracy", "literacy", "truancy", "exclusion", "graduate", "vacancy", "pension",
            "self harm", "suicide", "bowel cancer", "cervical cancer", "skin cancer", "heart disease", "kidney disease",
            "liver disease", "lung disease", "arthritis", "osteoporosis", "glaucoma", "hearing loss")
MEASURES = ("prevalence", "incidence", "uptake", "coverage", "referrals", "mortality", "hospitalisations",
            "attendances", "diagnoses", "prescriptions", "registrations", "completions", "enrolments",
            "notifications", "screening", "treatment", "recovery", "relapse", "awareness", "outcomes", "spending",
            "caseload", "appointments", "assessments", "reviews", "inspections", "grants", "loans", "vouchers",
            "helpline calls", "outreach", "prevention", "monitoring", "testing", "counselling", "therapy",
            "rehabilitation", "surveillance", "vaccination", "discharges", "transfers", "readmissions",
            "consultations", "surveys", "audits")


def national_name(n: int) -> str:
    """The name of the n-th published indicator: a subject and a measure no other indicator has."""
    subject, measure = SUBJECTS[n % len(SUBJECTS)], MEASURES[n // len(SUBJECTS) % len(MEASURES)]
    return f"{subject} {measure}".capitalize()


def clock() -> datetime:
    return NOW


# --- building -------------------------------------------------------------------------------
def national_places(store: Store) -> list[str]:
    """England, its regions and its local authorities (codes from the ONS lookup)."""
    places = store.places
    chosen = places[places["level"].isin(["country", "region", "local_authority"]) & places["code"].str.startswith("E")]
    return sorted(chosen["code"])


def build(url: str, rows: int) -> dict:
    """Import the ONS places and the demo council, then load the published rows in bulk."""
    store = Store.open(url, clock=clock)
    store.import_files([ONS_LOOKUP, SAMPLE_DATA], actor="bench_scale")
    places = national_places(store)
    per_indicator = len(places) * len(YEARS) * len(BREAKDOWNS)
    indicators = math.ceil(rows / per_indicator)
    codes = [f"NAT_{n:04d}" for n in range(indicators)]
    engine = store.engine
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO indicator (code, name, aliases, unit, polarity, frequency, service, decimals, source, "
            "geography_levels) VALUES (:code, :name, '', '%', :polarity, 'annual', NULL, 1, 'bench_scale', "
            "'la;region;country')"),
            [{"code": c, "name": national_name(n), "polarity": POLARITIES[n % 3]} for n, c in enumerate(codes)])
    periods = [parse_period(y) for y in YEARS]
    started = time.perf_counter()
    indexes = [i for i in Observation.__table__.indexes]
    with engine.begin() as connection:
        for index in indexes:
            index.drop(connection)
    rng = np.random.default_rng(26)
    key_places = np.repeat(np.asarray(places, dtype=object), len(YEARS) * len(BREAKDOWNS))
    key_periods = np.tile(np.repeat(np.arange(len(YEARS)), len(BREAKDOWNS)), len(places))
    key_breakdowns = np.tile(np.asarray(BREAKDOWNS, dtype=object), len(places) * len(YEARS))
    labels = np.asarray([p.label for p in periods], dtype=object)[key_periods]
    starts = np.asarray([p.start.isoformat() for p in periods], dtype=object)[key_periods]
    ends = np.asarray([p.end.isoformat() for p in periods], dtype=object)[key_periods]
    stamp = NOW.isoformat(sep=" ")
    raw = engine.raw_connection()
    try:
        postgres = engine.dialect.name == "postgresql"
        cursor = raw.cursor()
        if not postgres:
            cursor.execute("PRAGMA synchronous = OFF")
        columns = ("indicator_code, geography_code, period, period_kind, period_start, period_end, breakdown, "
                   "value, status, source, recorded_by, recorded_at, channel")
        for code in codes:
            level = rng.uniform(20, 80, size=len(places))
            values = np.round(np.repeat(level, len(YEARS) * len(BREAKDOWNS))
                              + rng.normal(0, 5, size=per_indicator), 1)
            if postgres:
                text_values = np.char.mod("%.1f", values).astype(object)
                lines = (code + "\t" + key_places + "\t" + labels + "\tfinancial_year\t" + starts + "\t" + ends + "\t"
                         + key_breakdowns + "\t" + text_values + f"\tfinal\tbench_scale\tbench_scale\t{stamp}\timport\n")
                with cursor.copy(f"COPY observation ({columns}) FROM STDIN") as copy:
                    copy.write("".join(lines.tolist()).encode())
            else:
                cursor.executemany(
                    f"INSERT INTO observation ({columns}) VALUES (?, ?, ?, 'financial_year', ?, ?, ?, ?, 'final', "
                    f"'bench_scale', 'bench_scale', '{stamp}', 'import')",
                    zip([code] * per_indicator, key_places, labels, starts, ends, key_breakdowns, values.tolist()))
        raw.commit()
    finally:
        raw.close()
    loaded = time.perf_counter() - started
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET maintenance_work_mem = '1GB'")
        for index in indexes:
            index.create(connection)
        connection.exec_driver_sql("ANALYZE")
    vacuumed(engine)
    engine.dispose()
    return {"indicators": indicators, "rows": indicators * per_indicator, "load_seconds": loaded,
            "build_seconds": time.perf_counter() - started}


def vacuumed(engine) -> None:
    """On PostgreSQL, the observations vacuumed as autovacuum would after a bulk load (index-only
    scans need it) — and after this benchmark's import measures, whose rolled-back rows would
    otherwise be dead tuples that every later run's index scans step over (measured: answer p50 at
    20M 8.4 ms on a fresh store, 12.3 ms after three runs)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) observation")


def ensure_built(backend: str, millions: float, cache: Path, postgres: str) -> str:
    """The URL of the store of `millions` million rows, built now unless it was built before."""
    name = f"{millions:g}m".replace(".", "_")
    marker = cache / f"{backend}-{name}.json"
    if backend == "sqlite":
        url = f"sqlite:///{cache / f'scale-{name}.db'}"
    else:
        url = f"{postgres.rstrip('/')}/perfbot_scale_{name}"
    if marker.exists():
        return url
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cache / f'scale-{name}.db'}{suffix}").unlink(missing_ok=True)
    else:
        admin = make_engine(f"{postgres.rstrip('/')}/postgres").execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS perfbot_scale_{name}")
            connection.exec_driver_sql(f"CREATE DATABASE perfbot_scale_{name}")
        admin.dispose()
    print(f"building the {millions:g}M store on {backend}…", flush=True)
    shape = build(url, int(millions * 1_000_000))
    print(f"  {shape['rows']:,} published observations ({shape['indicators']} indicators) loaded in "
          f"{shape['load_seconds']:.0f} s, indexed by {shape['build_seconds']:.0f} s", flush=True)
    marker.write_text(json.dumps(shape))
    return url


# --- measuring ------------------------------------------------------------------------------
def questions(store: Store, count: int = 25) -> list[str]:
    """Value, vs England, trend and ranking questions about random published indicators, and the
    framework's own questions."""
    places = store.places
    councils = places[(places["level"] == "local_authority") & places["code"].str.startswith("E")]["name"].tolist()
    regions = places[(places["level"] == "region") & places["code"].str.startswith("E")]["name"].tolist()
    indicators = store.indicators
    national = indicators.loc[indicators["code"].str.startswith("NAT_"), "name"].tolist()
    rng = np.random.default_rng(7)
    asked = []
    for _ in range(count):
        indicator = national[int(rng.integers(0, len(national)))].lower()
        council = councils[int(rng.integers(0, len(councils)))]
        region = regions[int(rng.integers(0, len(regions)))]
        asked += [f"{indicator} in {council}", f"{indicator} in {council} vs England",
                  f"is {indicator} going up in {council}?", f"rank the councils in {region} on {indicator}"]
    return asked + ["what is the latest NEET rate?", "how is the claimant rate doing?",
                    "recycling rate in Wolverhampton vs England", "which indicators are red?"]


def answer_times(store: Store, asked: list[str], rounds: int = 3) -> tuple[list[float], list[float]]:
    """Milliseconds per answer, wall clock and this process's CPU, every round counted (the first
    meets cold caches). Each question is the first of a conversation of its own, in this run and any
    other (a channel an earlier run used would make it a follow-up of that run's question)."""
    bot = Bot(store, today=lambda: TODAY)
    times, cpu = [], []
    run = uuid.uuid4().hex[:8]
    for round_number in range(rounds):
        for n, question in enumerate(asked):
            started, used = time.perf_counter(), time.process_time()
            bot.answer(Message(question, None, f"scale-{run}-{round_number}-{n}"), render_charts=False)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    return times, cpu


# Linux counts a process's peak resident size from before its exec: a child forked from this
# benchmark (hundreds of MB by then) would report this process's size. So a small launcher forks
# perfbot and reports its rusage, with the wall time from fork to exit.
LAUNCHER = """import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - started} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


# perfbot as installed: its modules' bytecode compiled once and kept (pip compiles it at install),
# even where the shell says not to write bytecode.
INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def child(arguments: list[str], url: str, stdin: str | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak resident MB and CPU seconds of one perfbot process (its own rusage, by wait4
    in a small launcher)."""
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as usage:
        process = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, usage.name, str(PERFBOT), "--database", url,
                                    *arguments], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                   env=INSTALLED)
        process.communicate(stdin.encode() if stdin else None)
        if process.returncode:
            errors.seek(0)
            raise RuntimeError(f"perfbot {' '.join(arguments)} failed: {errors.read().decode()[-500:]}")
        seconds, peak, cpu = map(float, usage.read().split())
    return seconds, peak / 1024, cpu


def sweep_after_submission(store: Store) -> tuple[float, float]:
    """Milliseconds of the alert sweep after one value is submitted (a correction of the council's
    newest NEET value, alternately up and down a little), wall clock and this process's CPU."""
    council = store.council_code()
    sweep_alerts(store, NOW)  # the state before the submission, as the scheduler would have it
    newest = store.observations(["NEET"], [council])
    newest = newest[newest["value"].notna()].iloc[-1]
    bump = 0.1 if int(newest["id"]) % 2 else -0.1
    record_value(store, "NEET", council, parse_period(newest["period"]), float(newest["value"]) + bump,
                 "bench@demo-council.example", "slack", "bench_scale")
    started, used = time.perf_counter(), time.process_time()
    sweep_alerts(store, NOW)
    return (time.perf_counter() - started) * 1000, (time.process_time() - used) * 1000


def import_rates(store: Store, folder: Path) -> tuple[float, float, int]:
    """Values/s of importing 20 new indicators, then of importing the same values again (a
    no-op), each in a transaction rolled back; and how many rows the no-op would have added."""
    places = national_places(store)
    codes = [f"IMPORT_{n:02d}" for n in range(20)]
    (folder / "setup").mkdir(parents=True, exist_ok=True)
    (folder / "values").mkdir(exist_ok=True)
    pd.DataFrame({"code": codes, "name": [f"Imported indicator {n}" for n in range(20)], "aliases": "", "unit": "%",
                  "polarity": "higher_is_better", "frequency": "annual", "service": "", "decimals": 1}
                 ).to_csv(folder / "setup" / "indicators.csv", index=False)
    rng = np.random.default_rng(5)
    grid = pd.MultiIndex.from_product([codes, places, YEARS, BREAKDOWNS],
                                      names=["indicator_code", "geography_code", "period", "breakdown"]).to_frame(index=False)
    grid["value"] = np.round(rng.uniform(0, 100, len(grid)), 1)
    grid.to_csv(folder / "values" / "observations.csv", index=False)
    started = time.perf_counter()
    store.import_files([folder / "setup", folder / "values"], actor="bench_scale", dry_run=True)
    fresh = len(grid) / (time.perf_counter() - started)
    existing = store.observations([f"NAT_{n:04d}" for n in range(20)], breakdown=None)
    existing[["indicator_code", "geography_code", "period", "breakdown", "value"]].to_csv(
        folder / "values" / "observations.csv", index=False)
    started = time.perf_counter()
    report = store.import_files([folder / "values"], actor="bench_scale", dry_run=True)
    again = len(existing) / (time.perf_counter() - started)
    return fresh, again, sum(f.added + f.changed for f in report.files)


def measure(url: str) -> dict:
    """Every figure of one store."""
    store = Store.open(url, clock=clock)
    started = time.perf_counter()
    council = store.council_code()
    store.framework_status(framework_places(store, council))
    status_seconds = time.perf_counter() - started
    asked = questions(store)
    times, cpu = answer_times(store, asked)
    child(["ask", asked[0], "--today", TODAY.isoformat()], url)  # not counted: it may compile the bytecode
    asks = [child(["ask", asked[n], "--today", TODAY.isoformat()], url) for n in (0, 5, 10)]
    lines = "".join(json.dumps({"question": q, "today": TODAY.isoformat()}) + "\n" for q in asked)
    _, rss, _ = child(["ask", "--jsonl"], url, lines)
    sweeps = [sweep_after_submission(store) for _ in range(5)]
    with tempfile.TemporaryDirectory(prefix="perfbot-scale-import-") as folder:
        fresh, again, changed = import_rates(store, Path(folder))
    vacuumed(store.engine)  # the store as the next run will find it, as it was built
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM observation WHERE superseded_at IS NULL")).scalar()
    store.engine.dispose()
    return {"rows": rows, "p50": statistics.median(times), "p99": float(np.percentile(times, 99)),
            "first": times[0], "ask": statistics.median(a[0] for a in asks), "rss": rss,
            "sweep": statistics.median(s[0] for s in sweeps), "status": status_seconds,
            "import": fresh, "reimport": again, "reimport_changed": changed,
            "cpu_p50": statistics.median(cpu), "cpu_p99": float(np.percentile(cpu, 99)),
            "cpu_ask": statistics.median(a[2] for a in asks), "cpu_sweep": statistics.median(s[1] for s in sweeps)}


ROWS = [("answer p50 (ms)", "p50", "{:.1f}"), ("answer p99 (ms)", "p99", "{:.1f}"),
        ("first answer (ms)", "first", "{:.0f}"), ("`perfbot ask` from start (s)", "ask", "{:.2f}"),
        ("RSS of an answering process (MB)", "rss", "{:.0f}"), ("sweep after one submission (ms)", "sweep", "{:.0f}"),
        ("framework status, cold (s)", "status", "{:.2f}"), ("import (values/s)", "import", "{:,.0f}"),
        ("re-import, a no-op (values/s)", "reimport", "{:,.0f}"),
        ("CPU of an answer, p50 / p99 (ms)", ("cpu_p50", "cpu_p99"), "{:.1f}"),
        ("CPU of `perfbot ask` from start (s)", "cpu_ask", "{:.2f}"),
        ("CPU of the sweep (ms)", "cpu_sweep", "{:.0f}")]


def table(results: dict[tuple[str, int], dict]) -> str:
    """One markdown table: a column per store, and the ratio from the smallest to the largest of each backend."""
    keys = sorted(results, key=lambda k: (k[0] != "sqlite", k[1]))
    header = ["figure"] + [f"{b} {m:g}M" for b, m in keys]
    backends = sorted({b for b, _ in keys}, key=lambda b: b != "sqlite")
    spans = {b: (min(m for bb, m in keys if bb == b), max(m for bb, m in keys if bb == b)) for b in backends}
    header += [f"{b} {lo:g}M→{hi:g}M" for b, (lo, hi) in spans.items() if hi > lo]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.append("| observations | " + " | ".join(f"{results[k]['rows']:,}" for k in keys) + " |"
                 + "".join(" |" for b, (lo, hi) in spans.items() if hi > lo))
    for label, names, shape in ROWS:
        names = names if isinstance(names, tuple) else (names,)
        if any(name not in results[k] for k in keys for name in names):
            continue  # figures kept from a run before this row was measured
        cells = [" / ".join(shape.format(results[k][name]) for name in names) for k in keys]
        for b, (lo, hi) in spans.items():
            if hi > lo:
                cells.append(" / ".join(f"{results[(b, hi)][name] / results[(b, lo)][name]:.2f}×" for name in names))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build what is missing, measure every store, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5], help="millions of observations (default 1 5)")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "perfbot-scale",
                        help="where built SQLite stores and build markers are kept between runs")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (databases perfbot_scale_<N>m are created there)")
    parser.add_argument("--build-only", action="store_true", help="build the missing stores and stop")
    parser.add_argument("--table-only", action="store_true",
                        help="print the table of the figures last measured (kept in --cache) without measuring")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    kept = args.cache / "figures.json"
    measured = json.loads(kept.read_text()) if kept.exists() else {}
    results = {}
    for backend in args.backends:
        for millions in args.sizes:
            name = f"{backend} {millions:g}"
            if args.table_only:
                if name in measured:
                    results[(backend, millions)] = measured[name]
                continue
            url = ensure_built(backend, millions, args.cache, args.postgres)
            if args.build_only:
                continue
            results[(backend, millions)] = measured[name] = measure(url)
            kept.write_text(json.dumps(measured, indent=1))
            print(f"[{name}M] " + json.dumps({k: round(v, 3) for k, v in measured[name].items()}), flush=True)
    if results:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
