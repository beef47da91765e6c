"""What someone perfbot does not know may see (an e-mail not in the people list, the web chat's
visitor): published values only. The rule is per value and per field — a value someone submitted by
message is left out (the published figure it may have replaced is not current, so that period has
no value for them), and of the values shown, the council's targets, RAG status, commentary and who
recorded them are blanked; indicators no national statistics publish are left out altogether."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from bot.core.lookup import Lookup, with_their_regions
from data_access.submissions import SUBMITTED

HIDDEN = ("target", "target_low", "target_high", "amber_tolerance", "rag", "commentary", "recorded_by")


def published_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The observations that were published (imported), not submitted by someone by message."""
    if frame.empty:
        return frame
    submitted = frame["source"].fillna("").astype(str).str.startswith(SUBMITTED)
    return frame[~submitted].reset_index(drop=True)


def without_internal_fields(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the council's own fields (targets, RAG, commentary, recorder) blanked."""
    present = [name for name in HIDDEN if name in frame.columns]
    return frame.assign(**{name: None for name in present}) if present else frame


@dataclass
class PublicLookup(Lookup):
    """A Lookup showing only published values, without the council's own fields. It shares the
    internal Lookup's cache (under its own keys) and its per-thread data version."""

    public: frozenset[str] = field(default_factory=frozenset)
    internal = False

    @classmethod
    def beside(cls, lookup: Lookup, public: set[str]) -> PublicLookup:
        """The public view over the same store, cache and data version as `lookup`."""
        return cls(lookup.store, lookup.cache_size, lookup._cache, lookup._lock, lookup._answering,
                   public=frozenset(public))

    def _cached(self, key: str, build):
        return super()._cached(f"public:{key}", build)

    def values(self, indicator: str, places: list[str], breakdown: str = "") -> pd.DataFrame:
        """The published current values of one indicator for some places (none for an unpublished
        indicator), evaluated against the published values of their regions and England, statuses blanked."""
        def build() -> pd.DataFrame:
            if indicator not in self.public:
                return pd.DataFrame()
            frame = published_rows(self.store.observations([indicator], with_their_regions(self.store, places),
                                                           breakdown=breakdown))
            if frame.empty:
                return frame
            evaluated = self.store.evaluate(frame).sort_values(["period_end", "geography_code"])
            return without_internal_fields(evaluated[evaluated["geography_code"].isin(places)].reset_index(drop=True))
        return self._cached(f"values:{indicator}:{breakdown}:{'|'.join(places)}", build)

    def observations(self, indicators: list[str], places: list[str]) -> pd.DataFrame:
        """Published current values of published indicators for some places."""
        wanted = [code for code in indicators if code in self.public]
        return without_internal_fields(published_rows(self.store.observations(wanted, places)))

    def latest_council_status(self, council: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Nothing: the council's statuses against its targets are internal."""
        return pd.DataFrame(columns=list(columns or ()))
