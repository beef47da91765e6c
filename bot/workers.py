"""Several answering processes on one port: `perfbot serve … --workers N`.

The parent binds one listening socket per worker on the same port (SO_REUSEPORT: the kernel
spreads connections evenly), then forks N workers, each accepting on its own, and watches them: a worker that dies, even by SIGKILL, is
replaced at once; SIGTERM or SIGINT stops them all. Workers share nothing but the socket and the
database, where conversation turns and delivery claims live, so any worker can answer any message.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import IO

from aiohttp import web

log = logging.getLogger(__name__)
BACKLOG = 1024
HEADER_SECONDS = 15.0  # a connection must send a whole request within this (half-sent ones are closed)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: a free one), IPv6 when the host is an IPv6 address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host.strip("[]"), port), family=family, backlog=BACKLOG)


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` sockets on one host:port (port 0: a free one) for `count` workers: with more than
    one, each is bound with SO_REUSEPORT, so the kernel spreads new connections evenly between
    them instead of one worker accepting a whole burst."""
    if count <= 1:
        return [listening_socket(host, port)]
    if port == 0:  # a port nobody holds: the kernel may give a port-0 SO_REUSEPORT bind a shared one
        with listening_socket(host, 0) as probe:
            port = probe.getsockname()[1]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return [socket.create_server((host.strip("[]"), port), family=family, backlog=BACKLOG, reuse_port=True)
            for _ in range(count)]


def app_runner(app: web.Application, header_seconds: float | None = None) -> web.AppRunner:
    """The runner every perfbot server uses: no access log, and a connection that has not sent a
    whole request within `header_seconds` of opening (or of its last answer) is closed — aiohttp's
    keep-alive timer runs from the connection's start, so it bounds half-sent requests too."""
    return web.AppRunner(app, access_log=None, keepalive_timeout=header_seconds or HEADER_SECONDS)


def listening_url(sock: socket.socket, path: str = "/") -> str:
    """The URL the socket is reached at."""
    address, port = sock.getsockname()[:2]
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}{path}"


async def serve_until_stopped(app: web.Application, sock: socket.socket) -> None:
    """Serve `app` on `sock` until SIGINT or SIGTERM, then let requests in progress finish."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    runner = app_runner(app)
    await runner.setup()
    try:
        await web.SockSite(runner, sock, backlog=BACKLOG).start()
        await stop.wait()
    finally:
        await runner.cleanup()


def run_workers(count: int, work: Callable[[int], int], out: IO[str] = sys.stdout) -> int:
    """Run `work(number)` in `count` forked processes (numbered from 0), replacing any that dies
    with one of the same number, until SIGINT or SIGTERM (one worker: `work(0)` runs here,
    unforked). Returns the exit status."""
    if count <= 1:
        return work(0)
    children: dict[int, int] = {}
    stopping = False

    def start_one(number: int) -> None:
        pid = os.fork()
        if pid == 0:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
            status = 1
            try:
                status = work(number)
            finally:
                os._exit(status)
        children[pid] = number
        print(f"worker {pid} started", file=out, flush=True)

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass  # already gone; os.wait collects it

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        for number in range(count):
            start_one(number)
        while children:
            pid, status = os.wait()
            number = children.pop(pid)
            if not stopping:
                log.warning("worker %d stopped (wait status %d); starting another", pid, status)
                start_one(number)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
