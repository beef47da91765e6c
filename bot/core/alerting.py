"""Alerts straight after the core changes data (a submission, an undo, a new ward subscription):
the alert sweep runs at once rather than waiting for the scheduler's next tick."""
from __future__ import annotations

import logging

from data_access.store import Store
from schedules.alerts import AlertSweep, sweep_alerts

log = logging.getLogger(__name__)


def sweep_now(store: Store) -> AlertSweep | None:
    """Run the alert sweep now. The change that called it is already committed, so a failing sweep
    must not turn the person's answer into an error: it is logged with its traceback, and the
    scheduler's own sweep (every few minutes) derives the same alerts from the data."""
    try:
        return sweep_alerts(store, store.clock())
    except Exception:  # see the docstring: recorded, and redone by the scheduler's sweep
        log.exception("the alert sweep after a change failed; the scheduler's sweep will catch up")
        return None
