"""The data an answer needs, read through the store: an indicator's values for some places, the
period to answer for, targets, the returns outstanding, and the names of things."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from threading import Lock, local

import numpy as np
import pandas as pd
from sqlalchemy import text

from data_access.audit import audit_version
from data_access.database import reading
from intents.indicators import subject_words
from data_access.periods import MONTH, QUARTER, Period, parse_period
from data_access.store import Store
from intents.when import When
from schedules.returns import Return, outstanding_returns
from schedules.working_time import WorkingTime

LEVEL_KEYS = {"ward": "ward", "local_authority": "la", "county": "la", "region": "region", "country": "country"}


@dataclass
class Lookup:
    """Read helpers over a Store, shared by every answer. Evaluated values are cached per question
    and dropped whenever anything changes: every change is audited, so the audit log (with the
    store's reload count) gives the data's version."""

    store: Store
    cache_size: int = 256
    _cache: OrderedDict = field(default_factory=OrderedDict)
    _lock: Lock = field(default_factory=Lock)
    _answering: local = field(default_factory=local)  # each thread's version for the answer it is making
    _indicators: dict[str, pd.Series] = field(default_factory=dict)
    _indicators_generation: int = -1
    _working: WorkingTime = field(default_factory=WorkingTime)
    internal = True  # the council's own view: targets, statuses, commentary (see bot/core/public.py)

    def version(self) -> tuple[int, int, int]:
        """Changes whenever anything in the store changes (see data_access.audit.audit_version)."""
        return (*audit_version(self.store.engine), self.store.generation)

    def refresh(self) -> None:
        """Read the data version once, at the start of an answer: this thread's cached reads use it
        until its next answer (another thread's refresh never moves it mid-answer)."""
        self._answering.version = self.version()

    def _cached(self, key: str, build):
        """`build()` once per data version for `key`. The version is read before the data, so a
        cached value is never older than the version it is kept under."""
        version = getattr(self._answering, "version", None) or self.version()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(key)
                return hit[1]
        frame = build()
        with self._lock:
            self._cache[key] = (version, frame)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return frame

    def indicator(self, code: str) -> pd.Series:
        """The dictionary entry of an indicator (kept until the dictionary is next reloaded)."""
        if self._indicators_generation != self.store.generation:
            self._indicators, self._indicators_generation = {}, self.store.generation
        entry = self._indicators.get(code)
        if entry is None:
            entry = self._indicators[code] = self.store.indicators.loc[code]
        return entry

    def place_name(self, code: str) -> str:
        """A place's name (the code itself when unknown)."""
        return str(self.store.places["name"].get(code, code))

    def place_level(self, code: str) -> str:
        """A place's level (ward, local_authority, region, country…)."""
        return str(self.store.places["level"].get(code, ""))

    def published_for(self, indicator: str, place: str) -> bool:
        """True when the indicator is published at the place's level (per its geography_levels)."""
        levels = self.indicator(indicator)["geography_levels"] or ""
        return not levels or LEVEL_KEYS.get(self.place_level(place), "") in levels.split(";")

    def has_values(self, indicator: str, breakdown: str = "") -> bool:
        """True when the store holds a current value of the indicator for the breakdown ('' = the
        whole population): one seek in the index of current rows."""
        def build() -> bool:
            with reading(self.store.engine) as connection:
                return connection.execute(text(
                    "SELECT 1 FROM observation WHERE indicator_code = :code AND breakdown = :breakdown "
                    "AND superseded_at IS NULL LIMIT 1"), {"code": indicator, "breakdown": breakdown}).first() is not None
        return self._cached(f"held:{indicator}:{breakdown}", build)

    def values(self, indicator: str, places: list[str], breakdown: str = "") -> pd.DataFrame:
        """Current values (with status) of one indicator for some places and a breakdown, oldest
        first (by period end, then place). Read with the places' regions and England, which their
        status compares them with — the status of a place's value depends on nothing else."""
        def build() -> pd.DataFrame:
            frame = self.store.observations([indicator], with_their_regions(self.store, places), breakdown=breakdown)
            frame = self.store.evaluate(frame).sort_values(["period_end", "geography_code"])
            return frame[frame["geography_code"].isin(places)].reset_index(drop=True)
        return self._cached(f"values:{indicator}:{breakdown}:{'|'.join(places)}", build)

    def observations(self, indicators: list[str], places: list[str]) -> pd.DataFrame:
        """Current values of some indicators for some places (not evaluated)."""
        return self.store.observations(indicators, places)

    def missing_reason(self, indicator: str, place: str, breakdown: str = "") -> str:
        """Why the newest value held for a place is missing ("suppressed", "not available"…), or ''."""
        frame = self.values(indicator, [place], breakdown)
        if frame.empty or "missing_reason" not in frame.columns:
            return ""
        own = frame[frame["value"].isna()]
        reasons = own["missing_reason"].dropna()
        return str(reasons.iloc[-1]) if not reasons.empty else ("not available" if not own.empty else "")

    def rate_for(self, indicator: str) -> str | None:
        """The rate (a % or "per …" unit) the store holds of the same subject as a count: the rate
        whose name has every subject word of the count's name ("Claimant count" → "Claimants as a
        proportion of residents aged 16-64"; the same name measured as a percentage)."""
        indicators = self.store.indicators
        wanted = subject_words(str(indicators.loc[indicator, "name"]))
        rates = indicators[indicators["unit"].fillna("").str.match(r"%|per ")]
        found = [code for code, name in zip(rates["code"], rates["name"]) if wanted and wanted <= subject_words(str(name))]
        return found[0] if len(found) == 1 else None

    def breakdowns(self, indicator: str) -> list[str]:
        """The breakdowns (other than the whole population) the indicator has values for."""
        def build() -> list[str]:
            with reading(self.store.engine) as connection:
                return list(connection.execute(text(
                    "SELECT DISTINCT breakdown FROM observation WHERE indicator_code = :code AND breakdown <> '' "
                    "AND superseded_at IS NULL ORDER BY breakdown"), {"code": indicator}).scalars())
        return self._cached(f"breakdowns:{indicator}", build)

    def choose_period(self, values: pd.DataFrame, subject: str, when: When, today: date | None = None) -> str | None:
        """The period label to answer for: the asked period (or the one of the indicator's kind that
        covers it), else the newest with a value for the subject whose period has ended by `today` (a
        month not yet over has no figure of its own yet, whatever the store holds)."""
        held = (values["geography_code"].to_numpy() == subject) & values["value"].notna().to_numpy()
        if today is not None and when.period is None:
            ended = held & (values["period_end"] <= pd.Timestamp(today)).to_numpy()
            held = ended if ended.any() else held  # (a year still running, reported to date, is all there may be)
        own = np.flatnonzero(held)
        if not len(own):
            return None
        if when.months_back:  # "this time last year", "the quarter before": the newest period, so much earlier
            earlier = periods_before(str(values["period"].iat[own[-1]]), when.months_back)
            return earlier if earlier in set(values["period"].iloc[own]) else None
        if when.period is None:  # values come oldest first
            return str(values["period"].iat[own[-1]])
        return period_covering(values.iloc[own].drop_duplicates("period").sort_values("period_end"), when.period)

    def target(self, indicator: str, place: str, financial_year: str) -> pd.Series | None:
        """The target row for an indicator, place and financial year, or None."""
        targets = self.store.targets
        rows = targets[(targets["indicator_code"] == indicator) & (targets["geography_code"] == place)
                       & (targets["financial_year"] == financial_year)]
        return None if rows.empty else rows.iloc[0]

    def latest_council_status(self, council: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The council's newest value of each indicator, with status (only `columns`, when given:
        an answer reading a few columns of a wide frame pays for all of them at every filter)."""
        def build() -> pd.DataFrame:
            frame = self.store.observations(geography_codes=[council])
            frame = frame[frame["value"].notna()]
            if frame.empty:
                return frame
            evaluated = self.store.evaluate(frame)
            return evaluated.sort_values("period_end").groupby("indicator_code").tail(1)
        latest = self._cached(f"council:{council}", build)
        if columns is None:
            return latest
        return self._cached(f"council:{council}:{','.join(columns)}", lambda: latest.reindex(columns=list(columns)))

    def outstanding(self, council: str, today: date) -> list[Return]:
        """The returns outstanding on `today`, soonest deadline first (see schedules/returns.py)."""
        return self._cached(f"outstanding:{council}:{today}",
                            lambda: outstanding_returns(self.store, today, council, self._working))


def with_their_regions(store: Store, places: list[str]) -> list[str]:
    """The places with their regions and England: all the status of their values depends on."""
    chain = store.places[["region_code", "country_code"]].reindex(places)
    return list(dict.fromkeys([*places, *(c for c in chain.to_numpy().ravel() if isinstance(c, str))]))


def periods_before(label: str, months: int) -> str | None:
    """The label of the period `months` months before the one labelled, counted in its own kind
    (a year earlier is the same month, quarter or year); None when its kind does not step that far
    evenly ("the month before" a quarter)."""
    period = parse_period(label)
    if months % 12 == 0:
        for _ in range(months // 12):
            period = period.year_earlier()
        return period.label
    step = {MONTH: 1, QUARTER: 3}.get(period.kind)
    return period.shift(-(months // step)).label if step and months % step == 0 else None


def period_covering(labels: pd.DataFrame, asked: Period) -> str | None:
    """Among the periods held (period, period_start, period_end), the one asked for: the same label,
    else one of the held kind that contains the asked period's end, else the newest inside it."""
    if asked.label in set(labels["period"]):
        return asked.label
    ends, starts = labels["period_end"], labels["period_start"]
    asked_start, asked_end = pd.Timestamp(asked.start), pd.Timestamp(asked.end)
    covering = labels[(starts <= asked_end) & (ends >= asked_end)]
    if not covering.empty:
        return str(covering["period"].iloc[-1])
    inside = labels[(starts >= asked_start) & (ends <= asked_end)]
    if not inside.empty:
        return str(inside["period"].iloc[-1])
    return None


def label_period(label: str) -> Period:
    """The Period of a stored label."""
    return parse_period(label)


def since_filter(values: pd.DataFrame, start: date | None) -> pd.DataFrame:
    """Rows whose period starts on or after `start` (all rows when None)."""
    if start is None:
        return values
    return values[values["period_start"] >= pd.Timestamp(start)]
