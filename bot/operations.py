"""What a council's IT watches on every perfbot HTTP server: `/healthz` (the process is alive),
`/readyz` (the database answers and its migrations are current; 503 otherwise, so a load balancer
stops sending traffic) and `/metrics` (answers and latency by channel and intent, the outbox
backlog and its oldest pending age, failed deliveries) in the Prometheus text format.

A database that is frozen rather than down (a stopped process, a hung network) would hold a probe
for minutes: each check has PROBE_SECONDS, after which it answers 503 saying so. Checks run on
their own two threads, so probes stuck on a frozen database never take threads the answers need."""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

from aiohttp import web
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from bot.metrics import AnswerMetrics
from data_access.database import MIGRATIONS
from data_access.models import Delivery, Notification
from data_access.store import Store

log = logging.getLogger(__name__)
TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8"
PROBE_SECONDS = 1.5  # how long /readyz and /metrics wait for the database before answering 503


def known_revisions() -> tuple[str, set[str]]:
    """The newest migration this code knows, and all of them."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    return str(scripts.get_current_head()), {script.revision for script in scripts.walk_revisions()}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class Operations:
    """The health, readiness and metrics endpoints of one process on `store`."""

    store: Store
    metrics: AnswerMetrics
    probe_seconds: float = PROBE_SECONDS
    _probes: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="perfbot-probe"))

    def __post_init__(self) -> None:
        self.head, self.known = known_revisions()

    async def _within(self, check):
        """`check()` on a probe thread, or None when the database has not answered in time."""
        try:
            return await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(self._probes, check),
                                          self.probe_seconds)
        except asyncio.TimeoutError:
            log.warning("the database did not answer a health check within %.1f s", self.probe_seconds)
            return None

    def readiness(self) -> tuple[bool, str]:
        """Whether this process can answer, and why not (a line for people, no secrets)."""
        try:
            with self.store.engine.connect() as connection:
                current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError as error:
            log.warning("readiness: the database is unreachable (%s)", type(error).__name__)
            return False, "the database is unreachable"
        if current != self.head and current in self.known:
            return False, f"the database is at migration {current}, this code needs {self.head}: run `perfbot db upgrade`"
        return True, "ready"  # a revision this code does not know is a newer one, mid rolling upgrade

    def metric_lines(self) -> list[str]:
        """Every metric, the outbox's read from the store (shared by all processes)."""
        lines = self.metrics.lines()
        now = self.store.clock()
        try:
            with self.store.engine.connect() as connection:
                backlog, oldest = connection.execute(select(func.count(), func.min(Notification.due_at)).where(
                    Notification.status == "pending", Notification.due_at <= now)).one()
                failed = connection.execute(select(func.count()).where(Delivery.status == "failed")).scalar_one()
        except SQLAlchemyError:
            return [*lines, "# TYPE perfbot_database_up gauge", "perfbot_database_up 0"]
        age = (now - _aware(oldest)).total_seconds() if oldest is not None else 0.0
        return [*lines,
                "# HELP perfbot_database_up 1 when the store answered this scrape.", "# TYPE perfbot_database_up gauge",
                "perfbot_database_up 1",
                "# HELP perfbot_outbox_backlog Notifications due and not yet delivered.",
                "# TYPE perfbot_outbox_backlog gauge", f"perfbot_outbox_backlog {backlog}",
                "# HELP perfbot_outbox_oldest_pending_seconds How long the oldest due notification has waited.",
                "# TYPE perfbot_outbox_oldest_pending_seconds gauge", f"perfbot_outbox_oldest_pending_seconds {age:.0f}",
                "# HELP perfbot_deliveries_failed Deliveries given up after their retries.",
                "# TYPE perfbot_deliveries_failed gauge", f"perfbot_deliveries_failed {failed}"]

    def add_routes(self, app: web.Application) -> None:
        """Serve GET /healthz, /readyz and /metrics on `app`."""

        async def healthz(_request: web.Request) -> web.Response:
            return web.Response(text="alive\n")

        async def readyz(_request: web.Request) -> web.Response:
            ready, why = await self._within(self.readiness) or (
                False, f"the database did not answer within {self.probe_seconds:g} s")
            return web.Response(text=why + "\n", status=200 if ready else 503)

        async def metrics(_request: web.Request) -> web.Response:
            lines = await self._within(self.metric_lines)
            status = 200 if lines is not None else 503
            if lines is None:  # what this process knows, and that the store did not answer in time
                lines = [*self.metrics.lines(), "# TYPE perfbot_database_up gauge", "perfbot_database_up 0"]
            return web.Response(body=("\n".join(lines) + "\n").encode(), status=status,
                                headers={"Content-Type": TEXT_FORMAT})

        app.router.add_get("/healthz", healthz)
        app.router.add_get("/readyz", readyz)
        app.router.add_get("/metrics", metrics)
