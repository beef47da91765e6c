"""A database that is frozen rather than down — it accepts the connection and never answers, as a
SIGSTOPped PostgreSQL does — gets /readyz and /metrics a 503 within 2 s (issue 24, item 11), and
the probes stuck on it do not stop the next ones answering in time."""
from __future__ import annotations

import socket
import threading
import time
from typing import Iterator

import pytest
from sqlalchemy import create_engine

from bot.metrics import AnswerMetrics
from bot.operations import Operations
from data_access.store import Store
from tests.test_operations import get


@pytest.fixture
def frozen_url() -> Iterator[str]:
    """A PostgreSQL address whose server takes connections and then says nothing."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgresql+psycopg://postgres@127.0.0.1:{listener.getsockname()[1]}/perfbot"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_readyz_and_metrics_answer_503_within_2_s_when_the_database_freezes(store: Store, frozen_url: str) -> None:
    operations = Operations(store, AnswerMetrics())
    assert [status for status, _ in get(operations, "/readyz", "/metrics")] == [200, 200]
    store.engine = create_engine(frozen_url, pool_pre_ping=True)  # the same store, its server now frozen
    for _ in range(3):  # more probes than probe threads: the later ones must not wait behind the stuck
        started = time.perf_counter()
        (ready, why), (scraped, metrics) = get(operations, "/readyz", "/metrics")
        assert time.perf_counter() - started < 4.0  # two requests, each within 2 s
        assert (ready, scraped) == (503, 503)
        assert why == "the database did not answer within 1.5 s\n"
        assert "perfbot_database_up 0" in metrics.splitlines()
