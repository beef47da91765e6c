"""What alerts are judged on: each framework indicator's newest value for the council (and for the
wards someone subscribed to), its RAG — a ward judged against the council's target for the year —
and, where an admin set one, whether it is worse than England by more than a margin. Read from the
framework's status the store keeps up to date (`Store.framework_status`), so a sweep stays cheap
however often it runs and however much else the store holds."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.status import rag_values
from data_access.store import Store

RAG, ENGLAND = "rag", "england"
RED, AMBER, GREEN = "red", "amber", "green"
WORSE, OK = "worse", "ok"
ALARMS = {RAG: RED, ENGLAND: WORSE}
DETAIL = ["financial_year", "target", "target_low", "target_high", "amber_tolerance", "previous", "previous_value",
          "previous_direction", "region_value", "vs_region", "england_value", "vs_england", "commentary"]
COLUMNS = ["rule", "indicator_code", "geography_code", "period", "status", "value", "observation_id", "margin", *DETAIL]


def is_alarm(rule: str, status: str | None) -> bool:
    """True for the status that raises an alert under `rule` (red; worse than England)."""
    return status is not None and ALARMS.get(rule) == status


def judged_places(store: Store, council: str, wards: list[str]) -> list[str]:
    """The places whose values the statuses are judged on: the council, its region and country, `wards`."""
    places = store.places
    region = places["region_code"].get(council)
    country = places["country_code"].get(council)
    return list(dict.fromkeys(c for c in (council, region, country, *wards) if isinstance(c, str)))


def current_statuses(store: Store, council: str, wards: list[str], margins: dict[str, float]) -> pd.DataFrame:
    """One row per rule, indicator and watched place (the council and `wards`): the newest value,
    its status and what an alert says about it (COLUMNS)."""
    evaluated = store.framework_status(judged_places(store, council, wards), list(margins))
    return statuses_of(store, evaluated, council, wards, margins)


def statuses_of(store: Store, evaluated: pd.DataFrame, council: str, wards: list[str],
                margins: dict[str, float]) -> pd.DataFrame:
    """current_statuses of the framework status `evaluated` (of some of its indicators or all: each
    indicator's statuses depend on its own values alone)."""
    unjudged = _newest_missing(evaluated)
    evaluated = evaluated[evaluated["value"].notna()]
    if evaluated.empty:
        return pd.DataFrame(columns=COLUMNS)
    watched = evaluated[evaluated["geography_code"].isin([council, *wards])]
    newest = watched.sort_values(["period_end", "id"], kind="stable") \
        .groupby(["indicator_code", "geography_code"], sort=False).tail(1).reset_index(drop=True)
    newest = newest[~pd.MultiIndex.from_frame(newest[["indicator_code", "geography_code"]]).isin(unjudged)]
    newest = _wards_against_council_targets(store, newest, council)
    rag = newest.assign(rule=RAG, status=newest["rag"], margin=np.nan)
    rows = [rag]
    if margins:
        rows.append(_england(newest, margins))
    result = pd.concat(rows, ignore_index=True).rename(columns={"id": "observation_id"})
    result["status"] = result["status"].astype(object).where(result["status"].notna(), None)
    return result[COLUMNS].sort_values(["rule", "indicator_code", "geography_code"]).reset_index(drop=True)


def _newest_missing(frame: pd.DataFrame) -> pd.MultiIndex:
    """(indicator, place) pairs whose newest period has no value (suppressed, withdrawn): their
    status stays as recorded, so a missing value raises neither an alert nor a recovery."""
    newest = frame.sort_values(["period_end", "id"], kind="stable") \
        .groupby(["indicator_code", "geography_code"], sort=False).tail(1)
    return pd.MultiIndex.from_frame(newest.loc[newest["value"].isna(), ["indicator_code", "geography_code"]])


def _wards_against_council_targets(store: Store, newest: pd.DataFrame, council: str) -> pd.DataFrame:
    """Give ward rows the council's target for their financial year, and the RAG against it. Only
    rates compare like this: a ward's count (homes built, incidents) is a share of the council's
    total, so it has no RAG against the council's target."""
    wards = newest["geography_code"] != council
    if not wards.any():
        return newest
    newest = newest.copy()
    counts = newest["indicator_code"].map(store.indicators["unit"]).isin(["count", ""]).to_numpy()
    newest.loc[wards & counts, "rag"] = None
    wards = wards & ~counts
    targets = store.targets[store.targets["geography_code"] == council].drop(columns="geography_code")
    columns = ["target", "target_low", "target_high", "amber_tolerance"]
    matched = newest.loc[wards, ["indicator_code", "financial_year"]].merge(
        targets, on=["indicator_code", "financial_year"], how="left")
    for column in columns:
        newest.loc[wards, column] = matched[column].to_numpy(dtype=float)
    ward_rows = newest.loc[wards]
    newest.loc[wards, "rag"] = rag_values(ward_rows["value"], ward_rows["polarity"], ward_rows["target"],
                                          ward_rows["target_low"], ward_rows["target_high"],
                                          ward_rows["amber_tolerance"])
    return newest


def _england(newest: pd.DataFrame, margins: dict[str, float]) -> pd.DataFrame:
    """Rows of the England rule: 'worse' when further than the margin on the worse side of England."""
    ruled = newest[newest["indicator_code"].isin(list(margins))
                   & newest["polarity"].isin(["higher_is_better", "lower_is_better"])].copy()
    margin = ruled["indicator_code"].map(margins).astype(float)
    sign = np.where(ruled["polarity"] == "lower_is_better", 1.0, -1.0)
    gap = (ruled["value"] - ruled["england_value"]) * sign
    with np.errstate(invalid="ignore"):
        worse = gap.to_numpy(dtype=float) > margin.to_numpy(dtype=float) + 1e-9
    status = np.where(ruled["england_value"].isna(), None, np.where(worse, WORSE, OK))
    return ruled.assign(rule=ENGLAND, status=status, margin=margin)
