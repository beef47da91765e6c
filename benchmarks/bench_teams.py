"""Load check for the Teams channel: N concurrent Bot Framework activities posted to /api/messages
of the Teams app served by a real aiohttp server (port 0, in its own process, as in production),
every reply captured at a local mock connector, and the time from posting each activity to its
reply arriving at the connector reported as percentiles.

    python benchmarks/bench_teams.py                          # 200 activities, echo core
    python benchmarks/bench_teams.py --connector-delay 0.05   # connector 50 ms away, as Teams is
    python benchmarks/bench_teams.py --core demo              # the real core, demo data, SQLite
    python benchmarks/bench_teams.py --core demo --question "which measures are red?"

Activity n asks question n of the mix (a value, a comparison, the reds, an owner, what is due),
round the people of the demo council; --question (repeatable) replaces the mix.

Passes (exit 0) when every activity is answered and p99 is within the budget (1 s by default).
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import multiprocessing
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from typing import Any

from aiohttp import ClientSession, TCPConnector, web

from bot.core.messages import Message, Person, Reply, TextReply
from bot.core.ports import Core
from bot.teams.app import create_app
from bot.teams.settings import TeamsSettings
from bot.teams.testing import MockConnector
from data_access.store import SAMPLE_DATA

BOT_ID = "28:00000000-0000-0000-0000-000000000b07"
TENANT = "00000000-0000-0000-0000-0000000c0c11"


class EchoCore:
    """A core that knows everyone and echoes, so the figures measure the channel alone."""

    def __init__(self) -> None:
        self.references: dict[tuple[str, str], dict[str, Any]] = {}

    def handle(self, message: Message) -> list[Reply]:
        """Echo the question."""
        return [TextReply(f"You asked: {message.text}")]

    def person_by_channel_id(self, channel: str, user_id: str) -> Person | None:
        """Everyone is somebody."""
        return Person(email=f"{user_id.removeprefix('29:')}@demo-council.example", name=user_id)

    def person_by_email(self, email: str) -> Person | None:
        """Not needed: everyone is known by id."""
        return None

    def link_channel_id(self, channel: str, email: str, user_id: str) -> None:
        """Not needed: everyone is known by id."""

    def save_conversation_reference(self, channel: str, key: str, reference: dict[str, Any]) -> None:
        """Keep the reference in memory."""
        self.references[(channel, key)] = reference

    def conversation_reference(self, channel: str, key: str) -> dict[str, Any] | None:
        """The kept reference."""
        return self.references.get((channel, key))


def make_core(kind: str, folder: str) -> Core:
    """The echo core, or the real core over the demo council's data in a fresh SQLite file."""
    if kind == "echo":
        return EchoCore()
    from bot.core.bot import Bot
    from data_access.store import Store

    store = Store.open(f"sqlite:///{folder}/perfbot.db")
    store.ensure_sample_data()
    return Bot(store)


def demo_teams_ids() -> list[str]:
    """The Teams ids of the demo council's people."""
    with (SAMPLE_DATA / "people.csv").open(encoding="utf-8") as people:
        return [row["teams_user_id"] for row in csv.DictReader(people) if row["teams_user_id"]]


def serve(core_kind: str, folder: str, port_out: Connection) -> None:
    """Run the Teams app (unauthenticated) on a free port, report the port, serve until killed."""

    async def run_forever() -> None:
        runner = web.AppRunner(create_app(TeamsSettings(), make_core(core_kind, folder)))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port_out.send(runner.addresses[0][1])
        await asyncio.Event().wait()

    asyncio.run(run_forever())


def activity(number: int, service_url: str, user_id: str, question: str) -> dict[str, Any]:
    """A personal-chat message from a Teams user, as Teams posts it."""
    return {
        "type": "message",
        "id": f"bench-{number}",
        "timestamp": "2026-11-27T09:15:02.123Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": user_id, "name": f"User {user_id[-4:]}"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": f"a:chat-with-{user_id}"},
        "recipient": {"id": BOT_ID, "name": "perfbot"},
        "textFormat": "plain",
        "text": question,
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
    }


QUESTIONS = ("What's the latest NEET rate?", "unemployment in my ward vs region", "which measures are red?",
             "who owns NEET?", "what's due from me")


async def load(port: int, count: int, user_ids: list[str], questions: list[str], delay: float) -> dict[str, float]:
    """Post one warm-up activity per user (the bot has met them all), then `count` at once;
    return the latency figures in seconds."""
    async with MockConnector(delay=delay) as connector, ClientSession(connector=TCPConnector(limit=0)) as client:

        async def post(body: dict[str, Any]) -> tuple[str, float, int]:
            started = time.perf_counter()
            async with client.post(f"http://127.0.0.1:{port}/api/messages", json=body) as response:
                return body["id"], started, response.status

        for number, user_id in enumerate(user_ids[:count]):
            await post(activity(-1 - number, connector.url, user_id, questions[0]))
        began = time.perf_counter()
        results = await asyncio.gather(
            *(post(activity(n, connector.url, user_ids[n % len(user_ids)], questions[n % len(questions)]))
              for n in range(count))
        )
        wall = time.perf_counter() - began
        first_reply: dict[str | None, float] = {}
        for posted in connector.posted:
            first_reply.setdefault(posted.reply_to, posted.arrived)
    latencies = sorted(first_reply[id_] - started for id_, started, status in results if status == 201 and id_ in first_reply)
    return {
        "answered": len(latencies),
        "failed_posts": sum(status != 201 for _, _, status in results),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else float("nan"),
        "wall": wall,
    }


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of sorted `values`."""
    if not values:
        return float("nan")
    rank = -(-len(values) * pct // 100)
    return values[max(1, int(rank)) - 1]


def main() -> int:
    """Run the load check and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="concurrent activities (default 200)")
    parser.add_argument("--budget", type=float, default=1.0, help="p99 budget in seconds (default 1.0)")
    parser.add_argument("--core", choices=("echo", "demo"), default="echo", help="echo core or the real demo core")
    parser.add_argument("--question", action="append", help="a question to ask (repeatable; default: the mix)")
    parser.add_argument("--connector-delay", type=float, default=0.0, help="seconds each connector call takes")
    args = parser.parse_args()

    user_ids = demo_teams_ids() if args.core == "demo" else [f"29:bench-{n}" for n in range(args.count)]
    port_in, port_out = multiprocessing.Pipe(duplex=False)
    with tempfile.TemporaryDirectory() as folder:
        server = multiprocessing.Process(target=serve, args=(args.core, folder, port_out), daemon=True)
        server.start()
        try:
            port = port_in.recv()
            figures = asyncio.run(load(port, args.count, user_ids, args.question or list(QUESTIONS), args.connector_delay))
        finally:
            server.terminate()
            server.join()
    ok = figures["answered"] == args.count and figures["p99"] <= args.budget
    print(
        f"teams load check ({args.core} core, connector delay {args.connector_delay * 1000:.0f} ms): "
        f"{figures['answered']}/{args.count} answered, {figures['failed_posts']} failed posts; "
        f"end-to-end p50 {figures['p50'] * 1000:.0f} ms, p95 {figures['p95'] * 1000:.0f} ms, "
        f"p99 {figures['p99'] * 1000:.0f} ms, max {figures['max'] * 1000:.0f} ms; all in {figures['wall']:.2f} s "
        f"-> {'PASS' if ok else 'FAIL'} (p99 budget {args.budget:.1f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
