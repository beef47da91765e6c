"""The store as the rest of perfbot reads it: the data dictionary, places and their chain (ward →
local authority → region → country), targets, current observations and their status, people and
delegations. Small reference tables are cached in memory and reloaded after an import; observations
are read by index as a question needs them, and only the council framework's status is kept."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session

from data_access import status
from data_access.areas import area_members
from data_access.audit import RECENT
from data_access.current import COLUMNS as OBSERVATION_COLUMNS  # noqa: F401 (re-exported)
from data_access.current import query
from data_access.database import importing_cache, make_engine, session_factory, upgrade
from data_access.framework import FrameworkStatus
from data_access.importers import ImportReport, Options, import_paths
from data_access.models import ComparatorGroup, ComparatorMember, Delegate, Person

SAMPLE_DATA = Path(__file__).parent / "sample_data" / "demo-council"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(timezone.utc)


@dataclass
class Store:
    """A migrated database and cached views of its reference tables."""

    engine: Engine
    clock: Clock = utc_now

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)
        self.framework = FrameworkStatus(self)
        self.reload()

    @classmethod
    def open(cls, url: str | None = None, clock: Clock = utc_now) -> Store:
        """Connect to `url` (default PERFBOT_DATABASE_URL or ./perfbot.db), migrating it first."""
        engine = make_engine(url)
        upgrade(engine)
        return cls(engine, clock)

    def reload(self) -> None:
        """Re-read the dictionary, places and targets (after an import or a dictionary change); the
        generation moves once they are all in place, so nothing new is kept under the old ones."""
        with self.engine.connect() as connection:
            self.audit_seen = _recent_audit(connection)
            self.indicators = _read(connection, "SELECT * FROM indicator").set_index("code", drop=False)
            geographies = _read(connection, "SELECT code, name, level, parent_code, aliases FROM geography")
            self.targets = _read(connection, "SELECT indicator_code, geography_code, financial_year, target, "
                                             "target_low, target_high, amber_tolerance FROM target")
        self.places = _with_ancestors(geographies.set_index("code", drop=False))
        self.generation = getattr(self, "generation", 0) + 1

    def reload_if_changed(self) -> bool:
        """Reload unless every change audited since the last reload is one that leaves the
        dictionary, places and targets as they were (a value submitted, a subscription…): another
        process may have imported targets or indicators. True when it reloaded."""
        with self.engine.connect() as connection:
            recent = _recent_audit(connection)
        new = {number: entity for number, entity in recent.items() if number not in self.audit_seen}
        if any(entity not in REFERENCE_UNCHANGED for entity in new.values()):
            self.reload()
            return True
        self.audit_seen = recent
        return False

    # --- importing -------------------------------------------------------------------------
    def import_files(self, paths: list[Path], actor: str = "import", options: Options = Options(),
                     dry_run: bool = False, before_commit: Callable[[Session], None] | None = None) -> ImportReport:
        """Import files or folders in one transaction (all or nothing), then refresh the caches.
        `dry_run` does everything but commit; `before_commit` runs in the import's transaction
        (recording the alert baseline of `perfbot import --no-alerts` with the values it is about)."""
        with self.sessions() as session:
            with session.begin():
                with importing_cache(session.connection()):
                    report = import_paths(session, paths, actor, self.clock(), options)
                if dry_run:
                    session.rollback()
                    return report
                if before_commit is not None:
                    before_commit(session)
        self.reload()
        return report

    def bound_to(self, connection: Connection) -> Store:
        """A view of this store that reads through `connection`, seeing its uncommitted writes."""
        return Store(_Bound(connection), self.clock)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        """True when the store has no indicators yet."""
        return self.indicators.empty

    def ensure_sample_data(self) -> ImportReport | None:
        """Import the bundled demo-council data when the store is empty."""
        return self.import_files([SAMPLE_DATA], actor="sample data") if self.is_empty() else None

    # --- observations and status -----------------------------------------------------------
    def observations(self, indicator_codes: list[str] | None = None, geography_codes: list[str] | None = None,
                     breakdown: str | None = "") -> pd.DataFrame:
        """Current (not superseded) observations, optionally for some indicators, places and one breakdown
        (None: every breakdown), oldest row first. Columns: OBSERVATION_COLUMNS; period_start and
        period_end are datetime64, recorded_at datetime64 in UTC, value float (NaN where missing).
        Read from the database through the indexes of current rows by indicator and by place."""
        return query(self.engine, indicator_codes, geography_codes, breakdown)

    def evaluate(self, observations: pd.DataFrame) -> pd.DataFrame:
        """Status (RAG, direction of travel, region/England comparison) of the given observations."""
        return status.evaluate(observations, self.indicators, self.targets, self.places)

    def status_of_everything(self) -> pd.DataFrame:
        """Status of every current observation in the store, read afresh (a pass over the whole
        store: for checks and small stores; answers, sweeps and reports read what they need)."""
        return self.evaluate(self.observations(breakdown=None))

    def framework_status(self, places: list[str], indicators: list[str] | None = None) -> pd.DataFrame:
        """Status of the council framework's current observations (and of `indicators`) at `places`,
        kept in memory and updated from what changed (data_access.framework)."""
        return self.framework.status(places, indicators or ())

    # --- places ----------------------------------------------------------------------------
    def council_code(self) -> str | None:
        """The local authority the store's targets are set for (the council's own area)."""
        counts = self.targets["geography_code"].value_counts()
        return None if counts.empty else str(counts.index[0])

    def named_groups(self, council: str | None) -> dict[str, list[str]]:
        """The comparator groups imported, and the groups of councils people name without one ("the
        Black Country", "the mets": data_access/areas.py)."""
        return {**area_members(self.places, council), **self.comparator_groups()}

    def comparator_groups(self) -> dict[str, list[str]]:
        """Comparator group name → member place codes."""
        with self.sessions() as session:
            rows = session.execute(select(ComparatorGroup.name, ComparatorMember.geography_code)
                                   .join(ComparatorMember, ComparatorMember.group_id == ComparatorGroup.id)).all()
        groups: dict[str, list[str]] = {}
        for name, code in rows:
            groups.setdefault(name, []).append(code)
        return groups

    # --- people ----------------------------------------------------------------------------
    def person(self, email: str) -> Person | None:
        """The person with this e-mail (case-insensitive)."""
        with self.sessions() as session:
            return session.get(Person, email.strip().lower())

    def people(self) -> list[Person]:
        """Everyone the bot knows."""
        with self.sessions() as session:
            return list(session.scalars(select(Person)))

    def delegates_of(self, owner_email: str) -> list[str]:
        """The officers a KPI owner has named as delegates."""
        with self.sessions() as session:
            return list(session.scalars(select(Delegate.delegate_email).where(Delegate.owner_email == owner_email.lower())))

    def delegators(self, email: str) -> list[str]:
        """The KPI owners who have named `email` as their delegate."""
        with self.sessions() as session:
            return list(session.scalars(select(Delegate.owner_email).where(Delegate.delegate_email == email.lower())))


class _Bound:
    """Stands in for an engine whose every connection is one open connection (left open after use)."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.dialect = connection.dialect
        self.url = connection.engine.url

    def connect(self) -> contextlib.AbstractContextManager[Connection]:
        """The one connection, as a context that does not close it."""
        return contextlib.nullcontext(self.connection)


REFERENCE_UNCHANGED = frozenset({"observation", "subscription", "reminders", "return", "return file"})


def _recent_audit(connection: Connection) -> dict[int, str]:
    """The last RECENT audit entries' ids and entities (a change committing out of id order still
    shows among them as one not seen before)."""
    rows = connection.execute(text(f"SELECT id, entity FROM audit_log WHERE id > (SELECT coalesce(max(id), 0) "
                                   f"FROM audit_log) - {RECENT}")).all()
    return {int(number): str(entity) for number, entity in rows}


def _read(connection: Connection, sql: str) -> pd.DataFrame:
    """A small table as pandas.read_sql reads it, from the driver's rows (no SQLAlchemy row objects)."""
    result = connection.execute(text(sql))
    columns = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


LEVELS = {"local_authority": "la_code", "region": "region_code", "country": "country_code"}


def _with_ancestors(places: pd.DataFrame) -> pd.DataFrame:
    """Add la_code, region_code and country_code to each place: the first place of that level met
    walking up the parent chain from the place itself (at most ten steps), else None."""
    codes = places.index.to_numpy(dtype=object)
    level = places["level"].to_numpy(dtype=object)
    parent = places.index.get_indexer(places["parent_code"].to_numpy(dtype=object))
    found = {column: np.full(len(codes), None, dtype=object) for column in LEVELS.values()}
    current = np.arange(len(codes))
    for _ in range(10):
        live = current >= 0
        if not live.any():
            break
        at = np.where(live, current, 0)
        for name, column in LEVELS.items():
            meets = live & (level[at] == name) & pd.isna(found[column])
            found[column][meets] = codes[at[meets]]
        current = np.where(live, parent[at], -1)
    places = places.copy()
    for column, values in found.items():
        places[column] = values
    return places
