"""A client that never finishes its request: the request line, then a header every 0.2 s."""
from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit


def seconds_until_closed(url: str, give_up: float = 10.0) -> float:
    """How long the server at `url` keeps a half-sent request open (`give_up` when it never closes)."""
    parts = urlsplit(url)
    started = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port), timeout=give_up) as connection:
        connection.sendall(b"POST /api/messages HTTP/1.1\r\nHost: perfbot\r\n")
        number = 0
        while time.perf_counter() - started < give_up:
            try:
                connection.sendall(b"X-Slow-%d: y\r\n" % number)
                connection.settimeout(0.2)
                if connection.recv(1024) == b"":
                    return time.perf_counter() - started
            except socket.timeout:
                number += 1
            except OSError:
                return time.perf_counter() - started
    return give_up
