"""Several answering processes on one port: `perfbot serve … --workers N`.

The parent binds the listening socket, then forks N workers that accept on it (the kernel hands
each connection to one of them) and watches them: a worker that dies, even by SIGKILL, is
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
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: a free one), IPv6 when the host is an IPv6 address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host.strip("[]"), port), family=family, backlog=BACKLOG)


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
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.SockSite(runner, sock, backlog=BACKLOG).start()
        await stop.wait()
    finally:
        await runner.cleanup()


def run_workers(count: int, work: Callable[[], int], out: IO[str] = sys.stdout) -> int:
    """Run `work` in `count` forked processes, replacing any that dies, until SIGINT or SIGTERM
    (one worker: `work` runs here, unforked). Returns the exit status."""
    if count <= 1:
        return work()
    children: set[int] = set()
    stopping = False

    def start_one() -> None:
        pid = os.fork()
        if pid == 0:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
            status = 1
            try:
                status = work()
            finally:
                os._exit(status)
        children.add(pid)
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
        for _ in range(count):
            start_one()
        while children:
            pid, status = os.wait()
            children.discard(pid)
            if not stopping:
                log.warning("worker %d stopped (wait status %d); starting another", pid, status)
                start_one()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
