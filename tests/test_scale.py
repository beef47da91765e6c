"""A store that holds more than the framework: the framework's status kept in memory is the status a
full evaluation gives, follows a submission and a withdrawal, and leaves published-only series out;
what the store covers (places, breakdowns) read by index is what a scan of every row gives; a sweep
after a submission keeps the dictionary it has, and an up-to-date store is opened without migrating."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from data_access.catalogue import breakdown_pairs, indicators_at, places_with_observations
from data_access.framework import framework_indicators, framework_places
from data_access.periods import parse_period
from data_access.store import Store
from data_access.submissions import record_value

COUNCIL = "E08000031"
ORDER = ["indicator_code", "geography_code", "period", "breakdown"]


def _full(store: Store, places: list[str]) -> pd.DataFrame:
    """The status a pass over the framework's rows gives, for `places`."""
    frame = store.observations(framework_indicators(store), framework_places(store, COUNCIL), breakdown=None)
    status = store.evaluate(frame)
    return _sorted(status[status["geography_code"].isin(places)])


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(ORDER).reset_index(drop=True)


def _published_only(store: Store, tmp_path: Path) -> None:
    """A published series no one owns and with no target, for the council and England."""
    (tmp_path / "setup").mkdir()
    (tmp_path / "setup" / "indicators.csv").write_text(
        "code,name,aliases,unit,polarity,frequency,service,decimals\n"
        "PUBLISHED_ONLY,Published only rate,,%,higher_is_better,annual,,1\n")
    (tmp_path / "values.csv").write_text(
        "indicator_code,geography_code,period,value,breakdown\n"
        f"PUBLISHED_ONLY,{COUNCIL},2024/25,40.0,\n"
        f"PUBLISHED_ONLY,{COUNCIL},2024/25,38.0,Female\n"
        "PUBLISHED_ONLY,E92000001,2024/25,50.0,\n")
    store.import_files([tmp_path / "setup", tmp_path / "values.csv"])


def test_the_framework_status_is_the_status_of_a_full_evaluation_and_follows_a_submission(store, tmp_path):
    _published_only(store, tmp_path)
    places = [COUNCIL, "E12000005", "E92000001"]
    kept = _sorted(store.framework_status(places))
    assert "PUBLISHED_ONLY" not in set(kept["indicator_code"]) and "NEET" in set(kept["indicator_code"])
    pd.testing.assert_frame_equal(kept, _full(store, places))

    newest = kept[(kept["indicator_code"] == "NEET") & (kept["geography_code"] == COUNCIL)].sort_values("period_end").iloc[-1]
    record_value(store, "NEET", COUNCIL, parse_period(newest["period"]), float(newest["value"]) + 9.0,
                 "test@demo-council.example", "slack", "a test")
    after = _sorted(store.framework_status(places))
    row = after[(after["indicator_code"] == "NEET") & (after["geography_code"] == COUNCIL)
                & (after["period"] == newest["period"])].iloc[0]
    assert row["value"] == newest["value"] + 9.0 and row["id"] != newest["id"]
    pd.testing.assert_frame_equal(after, _full(store, places))


def test_the_framework_status_follows_a_withdrawal_made_through_another_connection(store):
    places = [COUNCIL]
    before = store.framework_status(places)
    withdrawn = int(before[before["indicator_code"] == "NEET"].sort_values("period_end")["id"].iloc[-1])
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE observation SET superseded_at = :now WHERE id = :id"),
                           {"now": datetime(2026, 11, 27, tzinfo=timezone.utc), "id": withdrawn})
    after = store.framework_status(places)
    assert withdrawn not in set(after["id"]) and len(after) == len(before) - 1
    pd.testing.assert_frame_equal(_sorted(after), _full(store, places))


def test_what_the_store_covers_is_read_by_index_as_a_scan_would_read_it(store, tmp_path):
    _published_only(store, tmp_path)
    with store.engine.connect() as connection:
        places = set(connection.execute(text(
            "SELECT DISTINCT geography_code FROM observation WHERE superseded_at IS NULL")).scalars())
        pairs = set(map(tuple, connection.execute(text(
            "SELECT DISTINCT indicator_code, breakdown FROM observation WHERE superseded_at IS NULL "
            "AND breakdown <> ''")).all()))
        at_england = set(connection.execute(text(
            "SELECT DISTINCT indicator_code FROM observation WHERE superseded_at IS NULL "
            "AND geography_code = 'E92000001'")).scalars())
    assert ("PUBLISHED_ONLY", "Female") in pairs
    assert set(breakdown_pairs(store.engine)) == pairs
    assert set(places_with_observations(store.engine)) == places and COUNCIL in places
    assert indicators_at(store.engine, ["E92000001"], store.indicators.index) == at_england and "PUBLISHED_ONLY" in at_england


def test_a_sweep_after_a_submission_keeps_the_dictionary_and_rereads_targets_another_process_imported(
        store, database_url, tmp_path):
    from schedules.alerts import sweep_alerts
    now = datetime(2026, 11, 27, 9, tzinfo=timezone.utc)
    sweep_alerts(store, now)
    generation = store.generation
    newest = store.observations(["NEET"], [COUNCIL]).iloc[-1]
    period = parse_period(newest["period"])
    record_value(store, "NEET", COUNCIL, period, newest["value"] + 0.1, "bench@demo-council.example", "slack", "t")
    sweep_alerts(store, now)
    assert store.generation == generation
    (tmp_path / "targets.csv").write_text(
        "indicator_code,geography_code,period,target,target_low,target_high,amber_tolerance\n"
        f"NEET,{COUNCIL},2014/15,1.5,,,0.5\n")
    other = Store.open(database_url, clock=store.clock)
    other.import_files([tmp_path / "targets.csv"])
    other.engine.dispose()
    record_value(store, "NEET", COUNCIL, period, newest["value"] + 0.2, "bench@demo-council.example", "slack", "t")
    sweep_alerts(store, now)
    assert store.generation > generation
    assert "2014/15" in set(store.targets["financial_year"])


def test_a_store_already_at_the_newest_migration_is_opened_as_it_is(store):
    from data_access.database import head_revision, is_current
    with store.engine.connect() as connection:
        stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert stamped == head_revision() and is_current(store.engine)


def test_a_sweep_after_one_submission_judges_that_indicator_and_records_what_a_full_sweep_would(
        store, database_url, monkeypatch):
    import schedules.alerts as alerts
    from schedules.statuses import current_statuses, statuses_of
    from schedules.subscriptions import england_margins, watched_wards
    now = datetime(2026, 11, 27, 9, tzinfo=timezone.utc)
    alerts.sweep_alerts(store, now)
    newest = store.observations(["NEET"], [COUNCIL]).iloc[-1]
    record_value(store, "NEET", COUNCIL, parse_period(newest["period"]), newest["value"] + 4.0,
                 "bench@demo-council.example", "slack", "t")
    judged = []
    monkeypatch.setattr(alerts, "statuses_of", lambda store, evaluated, *rest: judged.append(
        set(evaluated["indicator_code"])) or statuses_of(store, evaluated, *rest))
    alerts.sweep_alerts(store, now)
    assert judged == [{"NEET"}]
    fresh = Store.open(database_url, clock=store.clock)
    full = current_statuses(fresh, COUNCIL, watched_wards(fresh), england_margins(fresh))
    with store.engine.connect() as connection:
        recorded = pd.DataFrame(connection.execute(text(
            "SELECT rule, indicator_code, geography_code, period, status, observation_id FROM alert_status")).all())
    fresh.engine.dispose()
    key = ["rule", "indicator_code", "geography_code"]
    merged = full.merge(recorded, on=key, suffixes=("", "_recorded"))
    assert len(merged) == len(full)
    assert (merged["period"] == merged["period_recorded"]).all()
    assert (merged["status"].fillna("") == merged["status_recorded"].fillna("")).all()
    assert (merged["observation_id"] == merged["observation_id_recorded"]).all()
