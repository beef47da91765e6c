"""Acknowledged means answered once (row 1 of issue 24): 400 Slack events at the real
`perfbot serve slack --workers 4`, a worker SIGKILLed four times just after acknowledging a batch;
every acknowledged event is answered, none twice."""
from __future__ import annotations

from pathlib import Path

from data_access.store import Store

from .burst import burst
from .standin import FaultySlack

ROOT = Path(__file__).resolve().parents[2]


def test_every_acknowledged_event_is_answered_once_though_workers_are_killed(store: Store,
                                                                             slack: FaultySlack) -> None:
    outcome = burst(ROOT, store.engine.url.render_as_string(hide_password=False), slack)
    assert outcome.kills == 4, outcome
    assert (outcome.acknowledged, outcome.lost, outcome.doubled) == (400, [], []), outcome
