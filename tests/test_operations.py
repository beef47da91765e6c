"""What a council's IT sees: /healthz, /readyz (the database reachable, its migrations current) and
/metrics in the Prometheus text format, and JSON logs that carry neither message text nor secrets."""
from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import create_engine, text

from bot.core.bot import Bot
from bot.core.messages import Message
from bot.logs import JsonLines, RedactingText, configure_logging
from bot.operations import Operations
from data_access.models import Notification
from data_access.store import Store


def get(operations: Operations, *paths: str) -> list[tuple[int, str]]:
    """GET each path from an aiohttp app serving `operations`: (status, body) each."""

    async def fetch() -> list[tuple[int, str]]:
        app = web.Application()
        operations.add_routes(app)
        async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
            found = []
            for path in paths:
                response = await client.get(path)
                found.append((response.status, await response.text()))
            return found

    return asyncio.run(fetch())


def test_health_readiness_and_metrics_report_what_the_process_did(store: Store) -> None:
    bot = Bot(store)
    bot.answer(Message("What's the latest NEET rate?", None, "ops", channel="web"), render_charts=False)
    with store.sessions.begin() as session:
        session.add(Notification(key="k1", kind="reminder", recipient="maya.rowe@demo-council.example",
                                 indicator_code="NEET", period="2026-10", stage="due", payload="{}",
                                 due_at=store.clock() - timedelta(minutes=90), status="pending",
                                 created_at=store.clock()))
    (alive, _), (ready, why), (scraped, metrics) = get(Operations(store, bot.metrics), "/healthz", "/readyz", "/metrics")
    assert (alive, ready, why.strip(), scraped) == (200, 200, "ready", 200)
    assert 'perfbot_answers_total{channel="web",intent="value"} 1' in metrics.splitlines()
    assert 'perfbot_answer_seconds_count{channel="web",intent="value"} 1' in metrics.splitlines()
    assert "perfbot_outbox_backlog 1" in metrics.splitlines()
    assert "perfbot_outbox_oldest_pending_seconds 5400" in metrics.splitlines()
    assert "perfbot_deliveries_failed 0" in metrics.splitlines()


def test_readiness_fails_with_the_fix_when_migrations_are_behind_or_the_database_is_gone(store: Store) -> None:
    operations = Operations(store, Bot(store).metrics)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    [(status, why)] = get(operations, "/readyz")
    assert status == 503 and "run `perfbot db upgrade`" in why
    with store.engine.begin() as connection:  # migrated by a newer version, mid rolling upgrade
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    assert get(operations, "/readyz") == [(200, "ready\n")]
    operations.store = Store.__new__(Store)
    operations.store.engine = create_engine("sqlite:////nonexistent-folder/perfbot.db")
    operations.store.clock = store.clock
    assert get(operations, "/healthz", "/readyz") == [(200, "alive\n"), (503, "the database is unreachable\n")]


def _record(message: str, *args: object, error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error else None
    return logging.LogRecord("bot.slack.conversation", logging.ERROR, __file__, 1, message, args, exc_info)


def _raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 (a test building a traceback)
        return caught


def test_json_logs_carry_no_message_text_and_no_secrets() -> None:
    failure = _raised(ValueError("could not read 'NEET for October is 55%, my password is hunter2'"))
    line = JsonLines().format(_record("could not answer %s with token %s at %s", "U0001034",
                                      "xoxb-1234-5678-abcdef", "postgresql://perfbot:s3cret@db/perfbot",
                                      error=failure))
    entry = json.loads(line)
    assert entry["level"] == "error" and entry["logger"] == "bot.slack.conversation" and entry["error"] == "ValueError"
    assert "U0001034" in entry["event"] and "[redacted]" in entry["event"]
    for leaked in ("NEET for October", "hunter2", "xoxb-1234", "s3cret"):
        assert leaked not in line
    text_line = RedactingText("%(message)s").format(_record("token %s", "xapp-1-A0-xyz", error=failure))
    assert "xapp-1" not in text_line and "hunter2" not in text_line and text_line.endswith("ValueError")


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """Put the logging set-up back as the test found it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, kept in levels.items():
        logging.getLogger(name).setLevel(kept)


def test_a_wrong_log_format_is_refused_with_the_choices(logging_restored: None) -> None:
    with pytest.raises(ValueError, match="PERFBOT_LOG_FORMAT must be text or json, not 'xml'"):
        configure_logging({"PERFBOT_LOG_FORMAT": "xml"})
    configure_logging({"PERFBOT_LOG_FORMAT": "json"})
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)
    logging.getLogger("bot.test").info("hello %s", "there")
    assert json.loads(stream.getvalue())["event"] == "hello there"
