"""Load check of several answering processes on one PostgreSQL database (issue 17; a script, not a
timed test).

A fresh schema on the given PostgreSQL database gets the demo-council data; a local Slack Web API
mock runs in a process of its own; `perfbot serve slack --workers N` runs the bot, N processes
sharing one port. After a warm-up, 400 signed `message.im` events (each from its own person in its
own DM) are written at once on connections opened beforehand, and each acknowledgement is timed
from the write to the end of its response. Every event must be acknowledged with 200 and answered
exactly once: the posts in each DM are counted once the mock has seen every answer and then two
quiet seconds. With --redeliver each event is also delivered a second time in the same burst, as
Slack does when it thinks an acknowledgement was lost. The answers per second (from the first write
to the last answer) are measured for each process count given, and for scale the same burst is sent
to as many empty aiohttp endpoints sharing a port. Exits 1 when a check fails.

    python benchmarks/load_processes.py --database postgresql://postgres@127.0.0.1:5432/perfbot
    python benchmarks/load_processes.py --database … --processes 1 2 4 --events 400 --redeliver
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_slack import SIGNING_SECRET, deliver_at_once, event, percentile, signed_request  # noqa: E402

from bot.launch import Served  # noqa: E402
from data_access.store import Store  # noqa: E402

QUIET_SECONDS = 2.0
FIRST_PERSON = 2_000_000  # the events come from U2000000 on: nobody in the demo people table


def run_mock_slack(pipe: Connection) -> None:
    """Child process: the Slack Web API. On ("wait", count) it answers, once `count` messages were
    posted and then nothing more for QUIET_SECONDS, with the channel of every post; None stops it."""
    from bot.slack.testing import MockSlack

    with MockSlack() as mock:
        pipe.send(mock.api_url)
        while (request := pipe.recv()) is not None:
            _, count = request
            try:
                mock.wait_for("chat.postMessage", count=count, timeout=120)
            except AssertionError:
                pass  # some were not answered: the counts below show which
            seen = -1
            while seen != len(mock.calls("chat.postMessage")):
                seen = len(mock.calls("chat.postMessage"))
                time.sleep(QUIET_SECONDS)  # a benchmark, not a test: wait out any late duplicate
            pipe.send([call.args["channel"] for call in mock.calls("chat.postMessage")])


def run_empty_endpoints(pipe: Connection, processes: int) -> None:
    """Child process: `processes` empty aiohttp endpoints sharing one port, as `perfbot serve` runs
    its workers (the floor: what acknowledging alone costs on this machine now)."""
    import asyncio

    from aiohttp import web

    from bot.workers import listening_sockets, run_workers, serve_until_stopped

    async def acknowledge(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/slack/events", acknowledge)
    sockets = listening_sockets("127.0.0.1", 0, processes)
    pipe.send(sockets[0].getsockname()[1])
    run_workers(processes, lambda number: asyncio.run(serve_until_stopped(app, sockets[number])) or 0,
                out=open(os.devnull, "w"))


def floor_p99(processes: int, events: int) -> float:
    """The p99 acknowledgement of the same burst by empty endpoints in `processes` processes."""
    spawn = multiprocessing.get_context("spawn")
    here, there = spawn.Pipe()
    floor = spawn.Process(target=run_empty_endpoints, args=(there, processes), daemon=True)
    floor.start()
    port = here.recv()
    deliver_at_once(port, [signed_request(port, json.dumps(event(i))) for i in range(10 * processes)])
    results, _ = deliver_at_once(port, [signed_request(port, json.dumps(event(i))) for i in range(events)])
    floor.terminate()
    floor.join(timeout=30)
    return percentile([seconds * 1000 for _, seconds in results], 0.99)


def fresh_schema(database: str) -> tuple[str, str]:
    """A new schema on `database` and the URL that uses it."""
    schema = "load_" + uuid.uuid4().hex[:10]
    admin = create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    separator = "&" if "?" in database else "?"
    return schema, f"{database}{separator}options=-csearch_path%3D{schema}"


def drop_schema(database: str, schema: str) -> None:
    """Remove the schema made for the run."""
    admin = create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def one_run(url: str, processes: int, events: int, redeliver: bool, threads: int, mock: Connection,
            api_url: str, log: Path, first_index: int) -> dict:
    """Serve with `processes` processes, warm up, send the burst; the figures of the run."""
    environment = {"SLACK_BOT_TOKEN": "xoxb-load-check", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                   "SLACK_API_URL": api_url, "SLACK_HOST": "127.0.0.1", "SLACK_PORT": "0",
                   "SLACK_WORKERS": str(threads), "SLACK_APP_TOKEN": ""}
    served = Served("slack", url, environment, processes, log)
    try:
        port = int(served.url.split(":")[2].split("/")[0])
        if processes > 1:
            served.wait_for_line("started", count=processes)
        warm = range(first_index, first_index + 10 * processes)
        deliver_at_once(port, [signed_request(port, json.dumps(event(i))) for i in warm])
        mock.send(("wait", 1))
        before = Counter(mock.recv())
        per_answer = max(before[f"D{i:07d}"] for i in warm)
        burst = range(warm.stop, warm.stop + events)
        bodies = [json.dumps(event(i)) for i in burst]
        requests = [signed_request(port, body) for body in (bodies * 2 if redeliver else bodies)]
        started = time.perf_counter()
        results, _ = deliver_at_once(port, requests)
        mock.send(("wait", sum(before.values()) + per_answer * events))
        posts = Counter(mock.recv())
        answered_in = time.perf_counter() - started - QUIET_SECONDS
    finally:
        served.stop()
    latencies = [seconds * 1000 for _, seconds in results]
    return {"processes": processes, "requests": len(requests), "acknowledged": sum(1 for s, _ in results if s == 200),
            "p50": statistics.median(latencies), "p99": percentile(latencies, 0.99), "max": max(latencies),
            "once": per_answer > 0 and all(posts[f"D{i:07d}"] == per_answer for i in burst),
            "answers_per_second": events / answered_in, "next_index": burst.stop,
            "floor_p99": floor_p99(processes, len(requests))}


def main(argv: list[str] | None = None) -> int:
    """Run the load check for each process count and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("PERFBOT_TEST_DATABASE_URL", ""),
                        help="a PostgreSQL URL (a schema is made and dropped in it)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4, help="answering threads per process (SLACK_WORKERS)")
    parser.add_argument("--redeliver", action="store_true", help="deliver every event twice in the burst")
    parser.add_argument("--logs", help="folder for the servers' logs (default: a new temporary folder)")
    parser.add_argument("--p99-budget-ms", type=float, default=100.0)
    args = parser.parse_args(argv)
    if not args.database.startswith("postgresql://"):
        print("Give a PostgreSQL URL with --database (or PERFBOT_TEST_DATABASE_URL).", file=sys.stderr)
        return 2
    schema, url = fresh_schema(args.database)
    spawn = multiprocessing.get_context("spawn")
    to_mock, mock_end = spawn.Pipe()
    mock = spawn.Process(target=run_mock_slack, args=(mock_end,), daemon=True)
    mock.start()
    api_url = to_mock.recv()
    runs, index = [], FIRST_PERSON
    try:
        Store.open(url).ensure_sample_data()
        logs = Path(args.logs or tempfile.mkdtemp(prefix="perfbot-load-"))
        for processes in args.processes:
            run = one_run(url, processes, args.events, args.redeliver, args.threads, to_mock, api_url,
                          logs / f"serve-{processes}.log", index)
            index = run["next_index"]
            runs.append(run)
    finally:
        to_mock.send(None)
        mock.join(timeout=30)
        drop_schema(args.database, schema)
    print(f"PostgreSQL; {args.threads} answering threads per process; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; {args.events} events" + (" each delivered twice" if args.redeliver else ""))
    print("processes  acknowledged  ack p50 ms  ack p99 ms  ack max ms  empty endpoint p99 ms  answered once  answers/s")
    for run in runs:
        print(f"{run['processes']:>9}  {run['acknowledged']:>5}/{run['requests']:<6}  {run['p50']:>10.1f}  "
              f"{run['p99']:>10.1f}  {run['max']:>10.1f}  {run['floor_p99']:>21.1f}  {str(run['once']):>13}  "
              f"{run['answers_per_second']:>9.1f}")
    passed = all(run["acknowledged"] == run["requests"] and run["once"] for run in runs) and all(
        run["p99"] <= args.p99_budget_ms for run in runs if run["processes"] == max(args.processes))
    print(f"servers' logs: {logs}")
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
