"""The dispatching process the fault harness kills: one dispatcher run at a fixed moment, on the
database given, through the channels the environment configures (bot/senders.py — the same
wiring as `perfbot scheduler`), holding the scheduler lock as the scheduler does.

    python tests/faults/dispatcher.py DATABASE_URL 2026-11-11T09:00:00+00:00

PERFBOT_CODE names the checkout to run (default this one; the benchmark also runs main's, which
has no leadership check in dispatch). Prints one JSON line of what the run did. Exit 3: another
process leads."""
from __future__ import annotations

import inspect
import json
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, os.environ.get("PERFBOT_CODE") or str(Path(__file__).resolve().parents[2]))

from bot.core.bot import Bot  # noqa: E402
from data_access.store import Store  # noqa: E402
from schedules.dispatch import dispatch  # noqa: E402
from schedules.leader import AlreadyRunning, Leadership  # noqa: E402


def main(url: str, at: str) -> int:
    """Lead, dispatch once at `at`, report."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    now = datetime.fromisoformat(at)
    store = Store.open(url, clock=lambda: now)
    leadership = Leadership(store.engine)
    try:
        if not leadership.acquire():
            return 3
    except AlreadyRunning:
        return 3
    checks = {"leading": leadership.holds} if "leading" in inspect.signature(dispatch).parameters else {}
    report = dispatch(store, now, _senders(store), **checks)
    print(json.dumps({"sent": len(report.sent), "retrying": report.retrying, "cancelled": report.cancelled}), flush=True)
    leadership.release()
    return 0


def _senders(store: Store):
    """The senders `perfbot scheduler` builds from the environment (before issue 16 only
    `perfbot serve` built channel senders: the benchmark measures main's with those)."""
    import bot
    if (Path(bot.__file__).parent / "senders.py").exists():
        from bot.senders import channel_senders
    else:
        from bot.serve import channel_senders
    return channel_senders(store, Bot(store))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
