"""Benchmark of the quarterly corporate performance report (issue 18): the whole-council deck for
2026/27 Q2 on the demo store (in-process, and `perfbot report` end to end as a command), and on a
synthetic council of 1,000 quarterly indicators across 20 services (three years of values for the
council, its region and England; about one in seven red).

    python benchmarks/bench_report.py                # both
    python benchmarks/bench_report.py --skip-large   # the demo store only

Goals: the demo deck in <= 10 s, the 1,000-indicator deck in <= 60 s.
"""
from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from pptx import Presentation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access.store import Store  # noqa: E402
from reports.content import quarter_label  # noqa: E402
from reports.deck import write_report  # noqa: E402

QUARTER = "2026/27 Q2"
BUILT = date(2026, 11, 27)
GOALS_S = {"demo": 10.0, "large": 60.0}
COUNCIL, REGION, ENGLAND = "E08000031", "E12000005", "E92000001"
QUARTERS = [f"{fy}/{(fy + 1) % 100:02d} Q{q}" for fy in (2023, 2024, 2025) for q in (1, 2, 3, 4)] + \
           ["2026/27 Q1", "2026/27 Q2"]


def timed(label: str, work) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s")
    return seconds


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def synthetic_council(folder: Path, indicators: int = 1000, services: int = 20) -> None:
    """CSV files of a council with `indicators` quarterly measures across `services` services."""
    rng = np.random.default_rng(18)
    write_csv(folder / "geographies.csv", ["code", "name", "level", "parent_code"],
              [[ENGLAND, "England", "country", ""], [REGION, "West Midlands", "region", ENGLAND],
               [COUNCIL, "Wolverhampton", "local_authority", REGION]])
    names = [f"Service {n:02d}" for n in range(1, services + 1)]
    people = [[f"director{n}@example.org", f"Director {n}", "director", "", "", name, "", "", ""]
              for n, name in enumerate(names, start=1)]
    people += [[f"owner{n}@example.org", f"Owner {n}", "kpi_owner", "", "", name, "", "", ""]
               for n, name in enumerate(names, start=1)]
    write_csv(folder / "people.csv", ["email", "name", "roles", "ward_code", "portfolio", "service", "manager_email",
                                      "slack_user_id", "teams_user_id"], people)
    dictionary, observations, targets = [], [], []
    for i in range(indicators):
        code, service = f"KPI_{i:04d}", names[i % services]
        polarity = "higher_is_better" if i % 2 else "lower_is_better"
        dictionary.append([code, f"Synthetic measure {i:04d}", "", "%", polarity, "quarterly", service, service,
                           "how_well", f"owner{i % services + 1}@example.org", 1, "synthetic", "la;region;country", ""])
        level = rng.uniform(20, 80)
        walk = level + np.cumsum(rng.normal(0, 1.5, len(QUARTERS)))
        for period, value in zip(QUARTERS, walk):
            observations.append([code, COUNCIL, period, round(float(value), 1)])
            observations.append([code, REGION, period, round(float(value + rng.normal(0, 2)), 1)])
            observations.append([code, ENGLAND, period, round(float(value + rng.normal(0, 2)), 1)])
        for fy in ("2023/24", "2024/25", "2025/26", "2026/27"):
            shift = rng.normal(0.3, 1.2) * (1 if polarity == "higher_is_better" else -1)
            targets.append([code, COUNCIL, fy, round(float(walk[-1] - shift), 1), "", "", 1.0])
    write_csv(folder / "indicators.csv", ["code", "name", "aliases", "unit", "polarity", "frequency", "service",
                                          "portfolio", "oba_category", "owner_email", "decimals", "source",
                                          "geography_levels", "description"], dictionary)
    write_csv(folder / "observations.csv", ["indicator_code", "geography_code", "period", "value"], observations)
    write_csv(folder / "targets.csv", ["indicator_code", "geography_code", "period", "target", "target_low",
                                       "target_high", "amber_tolerance"], targets)


def bench(store: Store, out: Path, label: str) -> float:
    quarter = quarter_label(QUARTER)
    found = {}
    seconds = timed(f"{label}: whole-council deck for {QUARTER}",
                    lambda: found.setdefault("report", write_report(store, quarter, out, None, BUILT)))
    report = found["report"]
    reds = sum(1 for m in report.measures if m.rag == "red")
    slides = len(Presentation(str(out)).slides)
    print(f"  {len(report.services)} services, {len(report.measures)} measures, {reds} red, {slides} slides, "
          f"{out.stat().st_size / 1e6:.1f} MB; goal <= {GOALS_S[label]:.0f} s: "
          f"{'met' if seconds <= GOALS_S[label] else 'NOT met'}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'demo.db'}"
        store = Store.open(url)
        store.ensure_sample_data()
        bench(store, work / "demo.pptx", "demo")
        command = [sys.executable, "-m", "bot.cli", "--database", url, "report", "--quarter", QUARTER,
                   "--out", str(work / "cli.pptx"), "--today", BUILT.isoformat()]
        timed("demo: `perfbot report --quarter \"2026/27 Q2\"` as a command (process start to exit)",
              lambda: subprocess.run(command, check=True, cwd=ROOT, env=dict(os.environ), capture_output=True))
        if not args.skip_large:
            data = work / "large"
            data.mkdir()
            synthetic_council(data)
            large = Store.open(f"sqlite:///{work / 'large.db'}")
            timed("large: importing the synthetic council", lambda: large.import_files([data]))
            bench(large, work / "large.pptx", "large")
    return 0


if __name__ == "__main__":
    sys.exit(main())
