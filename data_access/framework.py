"""The council's framework and its status, kept in memory and updated from what changed.

RAG status matters for the framework — the indicators with targets, owners or an England alert
margin, at the council, its region and England, its wards and its comparators — not for every
published series of every council the store may hold. `FrameworkStatus` reads the framework's
current observations once (an indexed read by place) and evaluates them and, when the store
changes, reads only the new rows (KeptObservations) and re-evaluates only the indicators they
belong to: a sweep after one submission costs milliseconds, not a pass over the
store. Status depends only on rows of the same indicator (its targets, previous periods, region
and England), so re-evaluating one indicator's rows gives them the status evaluating everything
again would, and evaluating more places than asked for leaves each place's status as it was.
"""
from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING, Any, Iterable

import pandas as pd
from sqlalchemy import select

from data_access.current import KeptObservations, stack
from data_access.models import AlertRule, ComparatorMember

if TYPE_CHECKING:
    from data_access.store import Store


def framework_indicators(store: Store) -> list[str]:
    """Indicators with a target, an owner or an England alert margin."""
    indicators = store.indicators
    owned = indicators.index[indicators["owner_email"].fillna("").astype(str).str.strip() != ""] \
        if "owner_email" in indicators.columns else []
    with store.engine.connect() as connection:
        margins = set(connection.execute(select(AlertRule.indicator_code)).scalars())
    known = set(indicators.index)
    return sorted(({*store.targets["indicator_code"], *owned, *margins}) & known)


def framework_places(store: Store, council: str | None) -> list[str]:
    """The council, its region and country, its wards and its comparators' members."""
    if council is None:
        return []
    places = store.places
    chain = [places[column].get(council) for column in ("region_code", "country_code")]
    wards = places.index[(places["level"] == "ward") & (places["la_code"] == council)].tolist()
    with store.engine.connect() as connection:
        members = list(connection.execute(select(ComparatorMember.geography_code)).scalars())
    return sorted({council, *(c for c in chain if isinstance(c, str)), *wards, *members})


CHANGES_KEPT = 64  # evaluations whose changed indicators are remembered (for the sweep after them)


class FrameworkStatus:
    """The framework's current observations with their status, kept up to date."""

    def __init__(self, store: Store):
        self.store = store
        self.lock = threading.RLock()
        self.kept: KeptObservations | None = None
        self.signature: tuple | None = None
        self.evaluated: pd.DataFrame | None = None
        self.serial = 0  # moves each time some of the status is evaluated again
        self._changes: deque[tuple[int, frozenset[str] | None]] = deque(maxlen=CHANGES_KEPT)
        self.swept: tuple[int, Any] | None = None  # the serial and inputs of the last alert sweep's statuses

    def _signature(self, indicators: list[str], places: list[str]) -> tuple:
        """What the kept status depends on besides the observations: the scope, polarities and targets."""
        store = self.store
        targets = store.targets[store.targets["indicator_code"].isin(indicators)]
        polarity = store.indicators["polarity"].reindex(indicators)
        return (tuple(indicators), tuple(places), tuple(polarity.fillna("").tolist()),
                int(pd.util.hash_pandas_object(targets, index=False).sum()) if len(targets) else 0)

    def status(self, places: Iterable[str], indicators: Iterable[str] = ()) -> pd.DataFrame:
        """Current observations (missing values included) of the framework's indicators and
        `indicators` at `places`, with their status (data_access.status.evaluate's columns)."""
        places, extra = list(places), list(indicators)
        with self.lock:
            wanted_indicators = sorted({*framework_indicators(self.store), *extra} & set(self.store.indicators.index))
            wanted_places = sorted({*framework_places(self.store, self.store.council_code()), *places})
            if self.kept is not None:  # keep a wider scope rather than narrowing it to be read again
                held_indicators, held_places = self.signature[0], self.signature[1]
                if set(wanted_indicators) <= set(held_indicators) and set(wanted_places) <= set(held_places):
                    wanted_indicators, wanted_places = list(held_indicators), list(held_places)
            signature = self._signature(wanted_indicators, wanted_places)
            if signature != self.signature:
                self.kept = KeptObservations(self.store.engine, wanted_indicators, wanted_places)
                self.signature, self.evaluated = signature, None
            frame, changed = self.kept.refreshed()
            if changed is None or changed or self.evaluated is None:
                self.serial += 1
                self._changes.append((self.serial, frozenset(changed) if changed and self.evaluated is not None
                                      else None))
            evaluated = self.evaluated = self._evaluate(frame, changed)
        return evaluated[evaluated["geography_code"].isin(places).to_numpy()].reset_index(drop=True)

    def changed_since(self, serial: int) -> set[str] | None:
        """The indicators evaluated again since `serial` (empty: none; None: possibly all of them —
        the whole status was evaluated afresh, or too long ago to tell)."""
        with self.lock:
            if serial == self.serial:
                return set()
            since = [changed for number, changed in self._changes if number > serial]
            if serial > self.serial or len(since) != self.serial - serial or any(c is None for c in since):
                return None
            return set().union(*since)

    def _evaluate(self, frame: pd.DataFrame, changed: set[str] | None) -> pd.DataFrame:
        """The status of `frame`: evaluated afresh when `changed` is None, else the kept status
        with the rows of the indicators in `changed` evaluated again."""
        if changed is None or self.evaluated is None:
            return self.store.evaluate(frame)
        if not changed:
            return self.evaluated
        kept = self.evaluated[~self.evaluated["indicator_code"].isin(list(changed)).to_numpy()]
        rows = frame[frame["indicator_code"].isin(list(changed)).to_numpy()].reset_index(drop=True)
        return stack(kept, self.store.evaluate(rows))
