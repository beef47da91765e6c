"""The store's reads: current observations with the same columns and types on every database, the
same answer from SQL and from memory, and the in-memory copy kept right after imports, corrections
and withdrawals made through any connection."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import text

from data_access.periods import parse_period
from data_access.store import OBSERVATION_COLUMNS, Store

HEADER = "indicator_code,geography_code,period,value,status,source\n"


def test_observations_columns_and_types(demo_store):
    frame = demo_store.observations(["NEET"], ["E08000031"])
    assert list(frame.columns) == OBSERVATION_COLUMNS
    assert len(frame) == frame["period"].nunique() > 10
    assert str(frame["period_start"].dtype) == str(frame["period_end"].dtype) == "datetime64[ns]"
    assert str(frame["recorded_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["value"].dtype == float and frame["id"].dtype == np.int64
    first = frame.sort_values("period_end").iloc[0]
    assert (first["period_kind"], first["breakdown"], first["status"]) == (parse_period(first["period"]).kind, "", "final")
    assert first["period_end"] == pd.Timestamp(parse_period(first["period"]).end)
    assert first["recorded_at"] == pd.Timestamp(demo_store.clock())
    assert frame["id"].is_monotonic_increasing


def test_filtered_reads_agree_with_reading_everything(store):
    from_sql = store.observations(["NEET", "CLAIMANT_RATE"], ["E08000031", "E12000005"])
    everything = store.observations()
    from_memory = everything[everything["indicator_code"].isin(["NEET", "CLAIMANT_RATE"])
                             & everything["geography_code"].isin(["E08000031", "E12000005"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(from_sql, from_memory)
    assert len(store.observations(breakdown=None)) == len(store.observations()) == 10_848
    assert store.observations([], None).empty and store.observations(None, []).empty


def test_the_frames_handed_out_are_copies(store):
    everything = store.observations()
    everything.loc[:, "value"] = -1.0
    everything.loc[everything.index[0], "indicator_code"] = "CHANGED"
    status = store.status_of_everything()
    status["value"] = 0.0
    again = store.status_of_everything()
    assert (again["value"] != -1.0).all() and (again["value"] != 0.0).any()
    assert "CHANGED" not in set(store.observations()["indicator_code"])


def _value(store: Store, indicator: str, place: str, period: str) -> list[float]:
    frame = store.status_of_everything()
    chosen = frame[(frame["indicator_code"] == indicator) & (frame["geography_code"] == place) & (frame["period"] == period)]
    return chosen["value"].tolist()


def test_memory_follows_imports_and_corrections(store, tmp_path: Path):
    assert _value(store, "CLAIMANT_RATE", "E08000031", "2026-10") == [6.0]
    (tmp_path / "fix.csv").write_text(HEADER + "CLAIMANT_RATE,E08000031,2026-10,6.5,final,t\n"
                                               "CLAIMANT_RATE,E08000031,2026-11,5.9,provisional,t\n")
    store.clock = lambda: datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)  # November has ended
    store.import_files([tmp_path / "fix.csv"])
    assert _value(store, "CLAIMANT_RATE", "E08000031", "2026-10") == [6.5]
    newest = store.status_of_everything().query("indicator_code == 'CLAIMANT_RATE' and geography_code == 'E08000031'")
    assert newest.sort_values("period_end").iloc[-1][["period", "value", "status", "previous_value"]].tolist() == \
        ["2026-11", 5.9, "provisional", 6.5]
    assert len(store.status_of_everything()) == 10_849


def test_memory_follows_writes_from_another_connection(store):
    store.status_of_everything()
    now = store.clock()
    other = Store.open(store.engine.url.render_as_string(hide_password=False), clock=store.clock)
    try:
        # A value withdrawn without a replacement (no new row): the count of current rows drops.
        with other.engine.begin() as connection:
            withdrawn = connection.execute(text(
                "SELECT id FROM observation WHERE indicator_code = 'NEET' AND geography_code = 'E08000031' "
                "AND superseded_at IS NULL ORDER BY period_end DESC")).scalars().first()
            connection.execute(text("UPDATE observation SET superseded_at = :now WHERE id = :id"),
                               {"now": now, "id": withdrawn})
        assert withdrawn not in set(store.status_of_everything()["id"])
        assert len(store.status_of_everything()) == 10_847
        # In one transaction the withdrawn row comes back and an older one is withdrawn: the count and
    # the highest id stay the same.
        with other.engine.begin() as connection:
            row = connection.execute(text("SELECT * FROM observation WHERE id = :id"), {"id": withdrawn}).mappings().one()
            connection.execute(text("UPDATE observation SET superseded_at = NULL WHERE id = :id"), {"id": withdrawn})
            another = connection.execute(text(
                "SELECT id FROM observation WHERE superseded_at IS NULL AND id < :id ORDER BY id LIMIT 1"),
                {"id": withdrawn}).scalar_one()
            connection.execute(text("UPDATE observation SET superseded_at = :now WHERE id = :id"),
                               {"now": now, "id": another})
        ids = set(store.status_of_everything()["id"])
        assert withdrawn in ids and another not in ids and row["indicator_code"] == "NEET"
        assert len(ids) == 10_847
    finally:
        other.engine.dispose()
