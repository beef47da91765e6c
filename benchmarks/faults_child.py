"""The in-process steps of the fault benchmark, run in a process of their own under the checkout
named by PERFBOT_CODE (this one, or the code before issue 16's fixes), so each checkout builds
its own schema and runs its own code. Each step prints one JSON line.

    PERFBOT_CODE=/work/before-6bfd33a python benchmarks/faults_child.py prepare sqlite:///x.db

Steps: `prepare URL` (migrate, demo-council data), `queue URL` (the reminders of Tuesday 17
November 2026), `import URL CSV KILL` (`perfbot import --no-alerts`, SIGKILLed between the import
and its status record when KILL is 1), `alerts URL` (an alert sweep: how many queued), `snooze URL`
("snooze until Monday" sent by Maya Rowe on Tuesday 1 December, answered as of Friday 27 November:
the snooze stored)."""
from __future__ import annotations

import json
import os
import signal
import sys
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, os.environ.get("PERFBOT_CODE") or str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from data_access.store import Store  # noqa: E402

REMINDER_MORNING = datetime(2026, 11, 17, 6, 0, tzinfo=timezone.utc)
ALERT_SWEEP = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
MAYA = "maya.rowe@demo-council.example"


def prepare(url: str) -> dict:
    Store.open(url).ensure_sample_data()
    return {}


def queue(url: str) -> dict:
    from schedules.reminders import sweep_reminders
    from schedules.working_time import WorkingTime
    return {"queued": sweep_reminders(Store.open(url), REMINDER_MORNING, WorkingTime())}


def import_no_alerts(url: str, csv: str, kill: str) -> dict:
    """The alert baseline, then `perfbot import CSV --no-alerts`, killed where it compares statuses."""
    from bot.cli import main
    from schedules import alerts
    alerts.sweep_alerts(Store.open(url), ALERT_SWEEP)
    if kill == "1":
        alerts._compare = lambda *_args, **_kwargs: os.kill(os.getpid(), signal.SIGKILL)
    return {"exit": main(["--database", url, "import", csv, "--no-alerts"])}


def sweep(url: str) -> dict:
    from schedules.alerts import sweep_alerts
    store = Store.open(url)
    queued = sweep_alerts(store, ALERT_SWEEP).queued
    with store.engine.connect() as connection:
        alerts = connection.execute(text("SELECT count(*) FROM notification WHERE kind = 'alert'")).scalar_one()
    return {"queued": queued, "alerts": alerts}


def snooze(url: str) -> dict:
    from bot.core.bot import Bot
    from bot.core.messages import Message
    store = Store.open(url, clock=lambda: TUESDAY)
    bot = Bot(store, today=lambda: date(2026, 11, 27))
    answer = bot.answer(Message("snooze until Monday", bot.person_by_email(MAYA), "bench-snooze"), render_charts=False)
    with store.engine.connect() as connection:
        until = connection.execute(text("SELECT max(until) FROM reminder_pause WHERE email = :email"),
                                   {"email": MAYA}).scalar_one()
    stored = until if isinstance(until, datetime) else datetime.fromisoformat(str(until))
    stored = stored if stored.tzinfo else stored.replace(tzinfo=timezone.utc)
    return {"answered": answer.facts.get("snoozed_until"), "until": stored.isoformat(),
            "in_the_past": stored <= TUESDAY}


STEPS = {"prepare": prepare, "queue": queue, "import": import_no_alerts, "alerts": sweep, "snooze": snooze}

if __name__ == "__main__":
    print(json.dumps(STEPS[sys.argv[1]](*sys.argv[2:])), flush=True)
