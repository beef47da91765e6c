"""Benchmark of understanding and answering (issue 3): parse and answer latency (p50/p99) on the
demo store and on a 1,000,000-observation store, and the ratio of answer time to the bare SQL query
that fetches the same values. Charts are not rendered (see bench_charts.py for that).

    python benchmarks/bench_answers.py                 # demo store, then the 1,000,000-row store
    python benchmarks/bench_answers.py --skip-large    # demo store only
    python benchmarks/bench_answers.py --rounds 50

Each round asks every question once, each in a fresh conversation. The first round meets cold
caches (an indicator's values are read and evaluated on first use); later rounds are warm.
Goals: p99 answer <= 50 ms on the demo store and <= 150 ms on the large one.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import ONS_LOOKUP, generate  # noqa: E402

from bot.core.bot import Bot  # noqa: E402
from bot.core.messages import Message  # noqa: E402
from data_access.store import Store  # noqa: E402
from intents.parser import parse  # noqa: E402

TODAY = date(2026, 11, 27)
QUESTIONS = ROOT / "tests" / "data" / "questions.md"
GOALS_MS = {"demo": 50.0, "large": 150.0}


def development_set() -> list[tuple[str, str]]:
    """(asker, question) from the development set, without the submissions (they write)."""
    rows = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and '"submit"' not in cells[2]:
            rows.append((cells[0].strip("`"), cells[1]))
    return rows


def large_questions(store: Store) -> list[tuple[str, str]]:
    """Questions about the benchmark indicators for named councils, regions and England."""
    places = store.places
    councils = places[places["level"] == "local_authority"]["name"].tolist()
    regions = places[(places["level"] == "region") & places["code"].str.startswith("E")]["name"].tolist()
    rng = np.random.default_rng(7)
    questions = []
    for n in range(25):
        indicator = f"benchmark indicator {int(rng.integers(0, len(store.indicators)))}"
        council = councils[int(rng.integers(0, len(councils)))]
        region = regions[int(rng.integers(0, len(regions)))]
        questions += [(None, f"{indicator} in {council}"),
                      (None, f"{indicator} in {council} vs England"),
                      (None, f"is {indicator} going up in {council}?"),
                      (None, f"rank the councils in {region} on {indicator}")]
    return questions


def bare_sql_ms(store: Store, facts: dict) -> float | None:
    """Time of the plain query for the values an answer quoted."""
    places = [v["geography"] for v in facts.get("values") or []]
    if not facts.get("indicator") or not places:
        return None
    marks = ", ".join(f":g{i}" for i in range(len(places)))
    sql = (f"SELECT geography_code, value FROM observation WHERE indicator_code = :i AND period = :p "
           f"AND breakdown = '' AND superseded_at IS NULL AND geography_code IN ({marks})")
    params = {"i": facts["indicator"], "p": facts["values"][0]["period"], **{f"g{i}": g for i, g in enumerate(places)}}
    with store.engine.connect() as connection:
        started = time.perf_counter()
        connection.execute(text(sql), params).all()
        return (time.perf_counter() - started) * 1000


def measure(label: str, store: Store, questions: list[tuple[str | None, str]], rounds: int) -> dict:
    """Parse and answer every question `rounds` times; print and return the figures."""
    bot = Bot(store, today=lambda: TODAY)
    people = {who: bot.person_by_email(who) for who, _ in questions if who}
    parse_ms, cold_ms, warm_ms, sql_ms, answer_for_sql = [], [], [], [], []
    for round_number in range(rounds):
        for n, (who, question) in enumerate(questions):
            started = time.perf_counter()
            parse(question, bot.lexicon, TODAY)
            parse_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            answer = bot.answer(Message(question, people.get(who), f"bench-{round_number}-{n}"), render_charts=False)
            elapsed = (time.perf_counter() - started) * 1000
            (cold_ms if round_number == 0 else warm_ms).append(elapsed)
            if round_number == rounds - 1:
                plain = bare_sql_ms(store, answer.facts)
                if plain is not None:
                    sql_ms.append(plain)
                    answer_for_sql.append(elapsed)
    every = cold_ms + warm_ms
    figures = {
        "questions": len(questions), "rounds": rounds,
        "parse_p50": statistics.median(parse_ms), "parse_p99": float(np.percentile(parse_ms, 99)),
        "answer_p50": statistics.median(every), "answer_p99": float(np.percentile(every, 99)),
        "cold_p50": statistics.median(cold_ms), "cold_p99": float(np.percentile(cold_ms, 99)),
        "warm_p50": statistics.median(warm_ms) if warm_ms else None,
        "warm_p99": float(np.percentile(warm_ms, 99)) if warm_ms else None,
        "sql_p50": statistics.median(sql_ms) if sql_ms else None,
        "ratio": statistics.median(answer_for_sql) / statistics.median(sql_ms) if sql_ms else None,
    }
    goal = GOALS_MS[label]
    print(f"[{label}] {len(questions)} questions x {rounds} rounds ({store.engine.dialect.name})")
    print(f"  parse:  p50 {figures['parse_p50']:.2f} ms, p99 {figures['parse_p99']:.2f} ms")
    print(f"  answer: p50 {figures['answer_p50']:.1f} ms, p99 {figures['answer_p99']:.1f} ms (goal p99 <= {goal:g} ms: "
          f"{'met' if figures['answer_p99'] <= goal else 'MISSED'})")
    print(f"          first round (cold) p50 {figures['cold_p50']:.1f} ms, p99 {figures['cold_p99']:.1f} ms; "
          f"later rounds p50 {figures['warm_p50'] or 0:.1f} ms, p99 {figures['warm_p99'] or 0:.1f} ms")
    if figures["ratio"] is not None:
        print(f"  bare SQL for the quoted values: p50 {figures['sql_p50']:.2f} ms; answer/SQL = {figures['ratio']:.0f}x")
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the demo-store benchmark, then the large one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="perfbot-answers-") as temp:
        folder = Path(temp)
        demo = Store.open(f"sqlite:///{folder / 'demo.db'}")
        demo.ensure_sample_data()
        results["demo"] = measure("demo", demo, development_set(), args.rounds)
        if not args.skip_large:
            generate(folder / "large", args.rows, 100)
            large = Store.open(f"sqlite:///{folder / 'large.db'}")
            large.import_files([ONS_LOOKUP, folder / "large" / "setup"])
            large.import_files([folder / "large" / "values"])
            results["large"] = measure("large", large, large_questions(large), max(3, args.rounds // 4))
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
