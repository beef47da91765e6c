"""Load check of the Slack channel's HTTP endpoint (a script, not a timed test).

Three processes, as in production where Slack is elsewhere: this one plays Slack's event sender,
one runs a local mock of the Slack Web API (`bot.slack.testing.MockSlack`), and one runs the bot
(`create_app` + `HttpServer`). After a warm-up, N signed `message.im` events from N different
users are written at once on N connections opened beforehand; the acknowledgement time of each is
measured from the moment its request was written to the moment its whole response was read. Once
the bot is idle, every event must have been answered exactly once (as many messages in its DM as
one warm-up answer took). For scale, the same burst is then sent to an empty aiohttp endpoint.
Exits 1 when a check fails.

    python benchmarks/bench_slack.py                 # 200 events, an echo core (the channel's own cost)
    python benchmarks/bench_slack.py --demo-core     # the real core over the demo-council data
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from bot.core.messages import Message, Person, Reply, TextReply
from bot.core.ports import Core
from bot.slack.testing import APP_ID, BOT_USER_ID, TEAM_ID, signed_headers

SIGNING_SECRET = "bench-signing-secret"
QUESTION = "What's the latest NEET rate?"


class EchoCore:
    """A core that knows everyone and answers at once, so the figures are the channel's own."""

    def handle(self, message: Message) -> list[Reply]:
        """Answer with the conversation id, so each answer can be traced to its event."""
        return [TextReply(f"answer for {message.conversation}")]

    def person_by_channel_id(self, channel: str, user_id: str) -> Person | None:
        """Everyone is a known officer."""
        return Person(email=f"{user_id.lower()}@council.example", name=user_id, slack_user_id=user_id)

    def person_by_email(self, email: str) -> Person | None:
        """Never reached: everyone is known by id."""
        return None

    def link_channel_id(self, channel: str, email: str, user_id: str) -> None:
        """Never reached."""

    def save_conversation_reference(self, channel: str, key: str, reference: dict[str, Any]) -> None:
        """Not used by the Slack channel."""

    def conversation_reference(self, channel: str, key: str) -> dict[str, Any] | None:
        """Not used by the Slack channel."""
        return None


def demo_core(workdir: str) -> Core:
    """The real core over a fresh SQLite copy of the demo-council data."""
    from datetime import date

    from bot.core.bot import Bot
    from data_access.store import Store

    store = Store.open(f"sqlite:///{Path(workdir) / 'bench.db'}")
    store.ensure_sample_data()
    return Bot(store, today=lambda: date(2026, 11, 27))


def run_mock_slack(pipe: Connection) -> None:
    """Child process: the Slack Web API. Sends back the channel of every chat.postMessage so far
    on each request, until told None."""
    from bot.slack.testing import MockSlack

    with MockSlack() as mock:
        pipe.send(mock.api_url)
        while pipe.recv() is not None:
            pipe.send([call.args["channel"] for call in mock.calls("chat.postMessage")])


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that can tell when everything handed to it has finished."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="bench-slack")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Submit, counting the work until it is done."""
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self) -> None:
        """Block until no work is pending."""
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0)


def run_bot(pipe: Connection, api_url: str, workers: int, use_demo_core: bool) -> None:
    """Child process: the Slack channel over HTTP. Answers each request on the pipe once all work
    handed to its pool has finished, until told None."""
    from bot.slack.app import create_app
    from bot.slack.server import HttpServer
    from bot.slack.settings import SlackSettings

    with tempfile.TemporaryDirectory() as workdir:
        core = demo_core(workdir) if use_demo_core else EchoCore()
        settings = SlackSettings(bot_token="xoxb-bench", signing_secret=SIGNING_SECRET, api_url=api_url,
                                 workers=workers)
        executor = CountingExecutor(settings.workers)
        server = HttpServer(create_app(settings, core, executor=executor), executor, SIGNING_SECRET).start()
        pipe.send(server.port)
        while pipe.recv() is not None:
            server.handed_over()
            executor.wait_idle()
            pipe.send("idle")
        server.stop()
        executor.shutdown(wait=True)


def run_empty_endpoint(pipe: Connection) -> None:
    """Child process: an aiohttp endpoint that answers 200 and does nothing else, the floor of what
    any Python HTTP endpoint can do on this machine at this moment."""
    from aiohttp import web

    async def acknowledge(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=200)

    application = web.Application()
    application.router.add_post("/slack/events", acknowledge)
    listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
    pipe.send(listener.getsockname()[1])
    web.run_app(application, sock=listener, print=None, access_log=None)


def event(index: int) -> dict[str, Any]:
    """A message.im event from user number `index` in their own DM."""
    ts = f"1718200000.{index:06d}"
    return {
        "token": "legacy-verification-token", "team_id": TEAM_ID, "api_app_id": APP_ID, "type": "event_callback",
        "event_id": f"EvBENCH{index:06d}", "event_time": 1718200000,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        "event": {"type": "message", "channel_type": "im", "channel": f"D{index:07d}", "user": f"U{index:07d}",
                  "text": QUESTION, "ts": ts, "event_ts": ts, "team": TEAM_ID},
    }


def signed_request(port: int, body: str) -> bytes:
    """The bytes of a signed POST /slack/events, as Slack sends it."""
    headers = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json", "Connection": "close",
               "Content-Length": str(len(body.encode())), **signed_headers(SIGNING_SECRET, body)}
    head = "POST /slack/events HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + body.encode()


def response_complete(data: bytes) -> int | None:
    """The status of a complete HTTP response in `data`, or None while it is still arriving."""
    head, separator, rest = data.partition(b"\r\n\r\n")
    if not separator:
        return None
    lines = head.split(b"\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in lines if line.lower().startswith(b"content-length:")), 0)
    return int(lines[0].split()[1]) if len(rest) >= length else None


def deliver_at_once(port: int, requests: list[bytes]) -> tuple[list[tuple[int, float]], float]:
    """Open one connection per request, write them all, and time each until its response is read:
    (status, seconds) per request, and seconds from the first write to the last response."""
    connections = [socket.create_connection(("127.0.0.1", port)) for _ in requests]
    selector = selectors.DefaultSelector()
    sent_at: dict[socket.socket, float] = {}
    for connection, request in zip(connections, requests, strict=True):
        connection.sendall(request)
        sent_at[connection] = time.perf_counter()
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ, bytearray())
    results: list[tuple[int, float]] = []
    while len(results) < len(requests):
        ready = selector.select(timeout=30)
        if not ready:
            raise TimeoutError(f"only {len(results)} of {len(requests)} acknowledged within 30 s")
        for key, _ in ready:
            connection = cast(socket.socket, key.fileobj)
            chunk = connection.recv(65536)
            key.data.extend(chunk)
            status = response_complete(bytes(key.data))
            if status is None and chunk:
                continue
            results.append((status or 0, time.perf_counter() - sent_at[connection]))
            selector.unregister(connection)
            connection.close()
    return results, time.perf_counter() - min(sent_at.values())


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    """Run the load check and print the figures."""
    parser = argparse.ArgumentParser(description="Load check of the Slack channel's HTTP endpoint.")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--p99-budget-ms", type=float, default=100.0)
    parser.add_argument("--workers", type=int, default=8, help="answering threads (SLACK_WORKERS)")
    parser.add_argument("--warm-up", type=int, default=20, help="events sent (and answered) before the burst")
    parser.add_argument("--demo-core", action="store_true", help="answer with the real core over the demo data")
    args = parser.parse_args(argv)

    spawn = multiprocessing.get_context("spawn")
    to_mock, mock_end = spawn.Pipe()
    to_bot, bot_end = spawn.Pipe()
    mock = spawn.Process(target=run_mock_slack, args=(mock_end,), daemon=True)
    mock.start()
    bot = spawn.Process(target=run_bot, args=(bot_end, to_mock.recv(), args.workers, args.demo_core), daemon=True)
    bot.start()
    port = to_bot.recv()

    def answered() -> Counter[str]:
        """Posts per DM channel once the bot has finished all its work."""
        to_bot.send("wait")
        to_bot.recv()
        to_mock.send("report")
        return Counter(to_mock.recv())

    # Warm up (first-request imports and allocations) as a running server would be, and learn how
    # many messages one answer takes.
    deliver_at_once(port, [signed_request(port, json.dumps(event(i))) for i in range(args.warm_up)])
    per_answer = set(answered().values())

    burst = range(args.warm_up, args.warm_up + args.events)
    requests = [signed_request(port, json.dumps(event(i))) for i in burst]
    started = time.perf_counter()
    results, acked = deliver_at_once(port, requests)
    posts = answered()
    all_answered = time.perf_counter() - started
    to_bot.send(None)
    to_mock.send(None)
    bot.join()
    mock.join()

    floor = spawn.Process(target=run_empty_endpoint, args=(bot_end,), daemon=True)
    floor.start()
    floor_port = to_bot.recv()
    deliver_at_once(floor_port, [signed_request(floor_port, json.dumps(event(i))) for i in range(args.warm_up)])
    floor_results, _ = deliver_at_once(floor_port, [signed_request(floor_port, json.dumps(event(i))) for i in burst])
    floor.terminate()

    latencies = [seconds * 1000 for _, seconds in results]
    floor_p99 = percentile([seconds * 1000 for _, seconds in floor_results], 0.99)
    ok = sum(1 for status, _ in results if status == 200)
    p99 = percentile(latencies, 0.99)
    [messages] = per_answer if len(per_answer) == 1 else [0]
    once = bool(messages) and all(posts[f"D{i:07d}"] == messages for i in burst)
    print(f"core: {'the real core over the demo-council data' if args.demo_core else 'echo'}; "
          f"answering threads: {args.workers}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{args.events} signed events written at once: {ok} acknowledged with 200, "
          f"the last {acked * 1000:.0f} ms after the first was written")
    print(f"ack ms: p50 {statistics.median(latencies):.1f}  p90 {percentile(latencies, 0.9):.1f}  "
          f"p99 {p99:.1f}  max {max(latencies):.1f}  (budget: p99 <= {args.p99_budget_ms:.0f})")
    print(f"floor: an empty aiohttp endpoint on this machine now has p99 {floor_p99:.1f} ms for the same burst")
    print(f"answers: {sum(posts[f'D{i:07d}'] for i in burst)} messages for the {args.events} events "
          f"({messages} per answer); each answered exactly once: {once}; all done {all_answered:.2f} s after the burst")
    passed = ok == args.events and p99 <= args.p99_budget_ms and once
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
