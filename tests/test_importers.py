"""Importing files: all of the shared data (demo council and the published real files) and again
as a no-op; every importer; refusals naming file, line and column that leave the store untouched;
missing values; Excel, BOM'd and Windows-1252 CSV; comparator groups; tidy breakdowns; places
registered from tidy files; corrections superseding with an audit trail; and the CLI."""
from __future__ import annotations

import csv
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, text

from bot.cli import main
from data_access.importers import ImportRefused, Options
from data_access.store import SAMPLE_DATA, Store

REAL = Path(__file__).parent / "data" / "real"
FIXED_NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)

TABLES = ("geography", "indicator", "target", "observation", "person", "delegate", "reporting_deadline",
          "comparator_group", "comparator_member", "audit_log")
OBSERVATIONS_HEADER = "indicator_code,geography_code,period,value,status,source\n"
TIDY_HEADER = "area_code,area_name,period,indicator,measure,unit,value\n"
HEADER_WITH_BREAKDOWN = "indicator_code,geography_code,period,value,status,source,breakdown\n"


def write(folder: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding=encoding)
    return path


def rows(store: Store, sql: str, **params) -> list[tuple]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def snapshot(store: Store) -> dict[str, object]:
    """Counts of every table, and the current observations' total, to prove nothing changed."""
    state: dict[str, object] = {table: rows(store, f"SELECT count(*) FROM {table}")[0][0] for table in TABLES}
    state["current"] = rows(store, "SELECT count(*), sum(value) FROM observation WHERE superseded_at IS NULL")[0]
    return state


def refusal(store: Store, *paths: Path) -> str:
    """The message of the refusal of importing `paths`, checking that nothing was written."""
    before = snapshot(store)
    with pytest.raises(ImportRefused) as refused:
        store.import_files(list(paths))
    assert snapshot(store) == before
    return str(refused.value)


def data_lines(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


# --- all of the shared data, once, for read-only tests -----------------------------------------
@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A store with the demo council and every real file, imported twice; with both reports.
    (Module-scoped, so it makes its own database like conftest's fixtures do.)"""
    url = os.environ.get("PERFBOT_TEST_DATABASE_URL", "")
    schema = None
    if url.startswith("postgresql"):
        schema = "t_" + uuid.uuid4().hex[:12]
        admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'perfbot.db'}"
    store = Store.open(url, clock=lambda: FIXED_NOW)
    first = store.import_files([SAMPLE_DATA, REAL])
    before = snapshot(store)
    second = store.import_files([SAMPLE_DATA, REAL])
    yield store, first, second, before
    store.engine.dispose()
    if schema:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_all_shared_data_imports(shared):
    store, first, _, _ = shared
    files = {result.path.name: result for result in first.files}
    assert len(files) == 29
    assert files["indicators-CountyUA.data.csv"].kind == "Fingertips export"
    assert files["population_estimates_lad_2021.csv"].kind == "Nomis API extract"
    assert files["csww_indicators_2017_to_2025.csv"].kind == "DfE explore-education-statistics"
    for path in sorted(REAL.glob("trafford/**/*.csv")):  # noqa: B007
        if path.name in ("cipfa2021.csv", "cssn.csv"):
            continue
        assert files[path.name].kind == "tidy indicator data"
        assert files[path.name].added == data_lines(path), path.name
    assert files["observations.csv"].added == 10_848
    lookup = files["ward_lad_cty_rgn_ctry_may2024.csv"]
    # the demo council's 29 places were already there; 4 gain the everyday names perfbot ships (England, Birmingham…)
    assert (lookup.added, lookup.changed, lookup.unchanged) == (8_762, 4, 25)
    assert rows(store, "SELECT count(*) FROM observation")[0][0] == 22_932 + 31_878 + 852 + 428  # demo, Trafford, EES, Fingertips, Nomis
    assert rows(store, "SELECT count(*) FROM geography WHERE level = 'ward'")[0][0] == 8_396
    # 42 districts abolished before May 2024 (Allerdale, Bournemouth, …) come from the tidy files, 26 more from Nomis.
    assert rows(store, "SELECT count(*) FROM audit_log WHERE entity = 'geography' AND action = 'create'") == [(42 + 26,)]
    assert rows(store, "SELECT count(*) FROM geography")[0][0] == 8_791 + 42 + 26  # and 26 combined authorities, counties and the like from Nomis


def test_reimporting_everything_is_a_no_op(shared):
    store, _, second, before = shared
    assert not second.changed_anything
    assert all(result.added == result.changed == 0 for result in second.files)
    assert sum(result.unchanged for result in second.files if result.kind == "tidy indicator data") == 22_932 - 10_848
    assert sum(result.unchanged for result in second.files) >= 22_932 + 31_878 + 852 + 428
    assert snapshot(store) == before


def test_the_ons_lookup_gives_every_ward_its_chain(shared):
    store = shared[0]
    # Burn Valley (Hartlepool, a unitary authority) and a Scottish ward, which has no region.
    assert store.places.loc["E05013038", ["la_code", "region_code", "country_code"]].tolist() == \
        ["E06000001", "E12000001", "E92000001"]
    scottish = store.places[store.places["code"].str.startswith("S13")].iloc[0]
    assert scottish["region_code"] is None and scottish["country_code"] == "S92000003"
    assert rows(store, "SELECT name, level FROM geography WHERE code = 'E12000005'") == [("West Midlands", "region")]


def test_missing_values_are_null_not_zero(shared):
    store = shared[0]
    assert rows(store, "SELECT value FROM observation o JOIN indicator i ON i.code = o.indicator_code "
                       "WHERE o.geography_code = 'E06000060' AND o.period = '2017/18' AND i.name LIKE 'Pupils reaching%'") \
        == [(None,)]
    nulls = rows(store, "SELECT count(*) FROM observation WHERE source = 'expected_standard_ks2.csv' AND value IS NULL")
    assert nulls == [(26,)]
    assert rows(store, "SELECT count(*) FROM observation WHERE source = 'expected_standard_ks2.csv' AND value = 0") == [(0,)]


def test_tidy_periods_are_stored_canonically(shared):
    store = shared[0]
    by_file = dict(rows(store, "SELECT source, min(period) FROM observation GROUP BY source"))
    assert by_file["life_expectancy.csv"] == "2015 - 17"
    assert ("Oct 2021-Sep 2022",) in rows(store, "SELECT DISTINCT period FROM observation WHERE source = 'employment_rate.csv'")
    assert ("2020/21 - 24/25", "pooled_financial_years") in \
        rows(store, "SELECT DISTINCT period, period_kind FROM observation WHERE source = 'obese_year6.csv'")
    assert rows(store, "SELECT DISTINCT period_kind FROM observation WHERE source = 'planning_applications_major.csv'") \
        == [("quarter",)]
    assert rows(store, "SELECT DISTINCT period FROM observation WHERE source = 'total_resident_population.csv'") \
        == [("2022-06-30",)]
    assert ("2026-03",) in rows(store, "SELECT DISTINCT period FROM observation WHERE source = 'claimant_count.csv'")


def test_inequality_breakdowns_and_two_measures_of_one_indicator(shared):
    store = shared[0]
    sexes = rows(store, "SELECT DISTINCT breakdown FROM observation WHERE source = 'life_expectancy.csv' ORDER BY 1")
    assert sexes == [("Female",), ("Male",)]
    quintiles = {b for (b,) in rows(store, "SELECT DISTINCT breakdown FROM observation WHERE source = 'obese_year6.csv'")}
    assert "Most deprived quintile" in quintiles
    claimants = rows(store, "SELECT measure, unit FROM indicator WHERE name = 'Claimant count'")
    assert claimants == [("Count", "count")]
    share = rows(store, "SELECT unit FROM indicator WHERE name = 'Claimants as a proportion of residents aged 16-64'")
    assert share == [("%",)]
    trafford_wards = rows(store, "SELECT count(DISTINCT o.geography_code) FROM observation o JOIN geography g "
                                 "ON g.code = o.geography_code WHERE o.source = 'claimant_count.csv' AND g.level = 'ward'")
    assert trafford_wards == [(21,)]


def test_an_unknown_place_with_a_gss_code_and_a_name_is_registered_and_audited(shared):
    store = shared[0]
    assert rows(store, "SELECT name, level, parent_code FROM geography WHERE code = 'E07000026'") == \
        [("Allerdale", "local_authority", None)]
    entries = rows(store, "SELECT action, new_value FROM audit_log WHERE entity = 'geography' AND entity_key = 'E07000026'")
    assert len(entries) == 1 and entries[0][0] == "create" and "life_expectancy.csv" in entries[0][1]


def test_comparator_groups_are_named_after_their_files(shared):
    groups = shared[0].comparator_groups()
    assert len(groups["CIPFA 2021"]) == 15 and "E06000030" in groups["CIPFA 2021"]
    assert len(groups["CSSN"]) == 10 and "E10000015" in groups["CSSN"]


# --- the council's own files -------------------------------------------------------------------
def test_places_update_is_audited_and_an_unknown_parent_refused(empty_store, tmp_path):
    places = write(tmp_path, "places.csv", "code,name,level,parent_code\nE92000001,England,country,\n"
                                            "E12000005,West Midlands,region,E92000001\n")
    assert empty_store.import_files([places]).files[0].added == 2
    write(tmp_path, "places.csv", "code,name,level,parent_code\nE92000001,England,country,\n"
                                  "E12000005,The West Midlands,region,E92000001\n")
    result = empty_store.import_files([places]).files[0]
    assert (result.added, result.changed, result.unchanged) == (0, 1, 1)
    assert rows(empty_store, "SELECT old_value, new_value FROM audit_log WHERE entity = 'geography'") == \
        [('{"name": "West Midlands"}', '{"name": "The West Midlands"}')]
    bad = write(tmp_path, "bad/places.csv", "code,name,level,parent_code\nE08000031,Wolverhampton,local_authority,E12000099\n")
    assert refusal(empty_store, bad) == \
        "places.csv, line 2, column 'parent_code': unknown parent place 'E12000099'; it must be in this file or already in the store"
    bad = write(tmp_path, "bad/places.csv", "code,name,level,parent_code\nE08000031,Wolverhampton,city,E12000005\n")
    assert "line 2, column 'level': 'city' is not allowed" in refusal(empty_store, bad)


@pytest.mark.parametrize("name, content, says", [
    ("indicators.csv", "code,name,unit,polarity\nX,Thing,%,up_is_good\n", "line 2, column 'polarity': 'up_is_good' is not allowed"),
    ("indicators.csv", "code,name,unit,polarity,frequency\nX,Thing,%,neutral,weekly\n", "line 2, column 'frequency'"),
    ("targets.csv", "indicator_code,geography_code,period,target,amber_tolerance\nNEET,E08000031,2026-04,5,1\n",
     "line 2, column 'period': '2026-04' is not a financial year"),
    ("targets.csv", "indicator_code,geography_code,period,target,amber_tolerance\nNEET,E08000031,2026/27,,1\n",
     "line 2, column 'target': a target, or target_low and target_high, is required"),
    ("targets.csv", "indicator_code,geography_code,period,target_low,target_high,amber_tolerance\n"
                    "BUDGET_VARIATION,E08000031,2026/27,1,-1,0.5\n", "line 2, column 'target_low': target_low is above target_high"),
    ("targets.csv", "indicator_code,geography_code,period,target,amber_tolerance\nNO_SUCH,E08000031,2026/27,5,1\n",
     "line 2, column 'indicator_code': unknown indicator code 'NO_SUCH'"),
    ("targets.csv", "indicator_code,geography_code,period,target,amber_tolerance\nNEET,E08000031,2026/27,5,1\n"
                    "NEET,E08000031,2026/27,6,1\n", "line 3, column 'indicator_code': this row repeats line 2"),
    ("people.csv", "email,name,roles\nnot-an-address,Someone,officer\n", "line 2, column 'email': 'not-an-address' is not an e-mail"),
    ("people.csv", "email,name,roles\na@x.example,A,officer\nA@x.example,B,officer\n", "line 3, column 'email': this row repeats line 2"),
    ("delegates.csv", "owner_email,delegate_email\nmaya.rowe@demo-council.example,\n",
     "line 2, column 'delegate_email': a value is required here"),
    ("calendar.csv", "frequency,period,milestone,deadline\nquarterly,2026/27 Q2,data return,20/10/2026\n",
     "line 2, column 'deadline': '20/10/2026' is not a date; expected YYYY-MM-DD"),
    ("calendar.csv", "frequency,period,milestone,deadline\nquarterly,2026/27 Q9,data return,2026-10-20\n",
     "line 2, column 'period'"),
])
def test_council_files_are_refused_where_they_are_wrong(demo_store, tmp_path, name, content, says):
    # A refused import writes nothing, so the shared read-only store serves (refusal() checks it).
    assert says in refusal(demo_store, write(tmp_path, name, content))


def test_targets_people_delegates_and_calendar_update_in_place(store, tmp_path):
    target = write(tmp_path, "targets.csv", "indicator_code,geography_code,period,target,amber_tolerance\n"
                                            "NEET,E08000031,2026/27,3.9,0.4\n")
    result = store.import_files([target]).files[0]
    assert (result.added, result.changed) == (0, 1)
    assert rows(store, "SELECT target, amber_tolerance FROM target WHERE indicator_code = 'NEET' "
                       "AND financial_year = '2026/27'") == [(3.9, 0.4)]
    assert store.targets.query("indicator_code == 'NEET' and financial_year == '2026/27'")["target"].tolist() == [3.9]
    calendar = write(tmp_path, "calendar.csv", "frequency,period,milestone,deadline\n"
                                               "quarterly,Q3 2026/27,data return,2027-01-20\n")
    assert store.import_files([calendar]).files[0].kind == "reporting calendar"
    assert rows(store, "SELECT period FROM reporting_deadline WHERE deadline = '2027-01-20'") == [("2026/27 Q3",)]


# --- the ONS lookup and comparator groups -------------------------------------------------------
def test_ons_lookup_builds_two_tier_and_devolved_chains(empty_store, tmp_path):
    lookup = write(tmp_path, "lookup.csv",
                   "WD23CD,WD23NM,LAD23CD,LAD23NM,CTYUA23CD,CTYUA23NM,RGN23CD,RGN23NM,CTRY23CD,CTRY23NM\n"
                   "E05009999,Banbury Grimsbury,E07000177,Cherwell,E10000025,Oxfordshire,E12000008,South East,E92000001,England\n"
                   "E05099999,Town,E06000001,Hartlepool,E06000001,Hartlepool,E12000001,North East,E92000001,England\n"
                   "S13002516,Leith,S12000036,City of Edinburgh,S12000036,City of Edinburgh,,,S92000003,Scotland\n",
                   encoding="utf-8-sig")
    report = empty_store.import_files([lookup])
    assert report.files[0].kind == "ONS ward lookup" and report.files[0].added == 11
    chain = dict(rows(empty_store, "SELECT code, parent_code FROM geography"))
    assert chain["E05009999"] == "E07000177" and chain["E07000177"] == "E10000025"
    assert chain["E10000025"] == "E12000008" and chain["E12000008"] == "E92000001"
    assert chain["E06000001"] == "E12000001"
    assert chain["S12000036"] == "S92000003" and chain["S92000003"] is None
    assert empty_store.places.loc["E05009999", "region_code"] == "E12000008"


def test_a_comparator_group_is_named_after_its_file_and_kept_in_step(store, tmp_path):
    group = write(tmp_path, "nearest_neighbours.csv", "area_code,area_name\nE08000025,Birmingham\nE08000026,Coventry\n")
    assert store.import_files([group]).files[0].kind == "comparator group"
    assert sorted(store.comparator_groups()["Nearest neighbours"]) == ["E08000025", "E08000026"]
    write(tmp_path, "nearest_neighbours.csv", "area_code,area_name\nE08000025,Birmingham\n")
    result = store.import_files([group]).files[0]
    assert (result.added, result.changed, result.unchanged) == (0, 1, 1)
    assert store.comparator_groups()["Nearest neighbours"] == ["E08000025"]
    assert rows(store, "SELECT old_value, new_value FROM audit_log WHERE entity = 'comparator_group'")[-1] == \
        ('["E08000025", "E08000026"]', '["E08000025"]')
    named = write(tmp_path, "groups.csv", "area_code,area_name,group\nE08000025,Birmingham,Core cities\n"
                                          "E08000031,Wolverhampton,Black Country\n")
    store.import_files([named])
    assert store.comparator_groups()["Core cities"] == ["E08000025"]
    unknown = write(tmp_path, "bad/neighbours.csv", "area_code,area_name\nE08000025,Birmingham\nE06099999,Nowhere\n")
    assert refusal(store, unknown) == \
        "neighbours.csv, line 3, column 'area_code': unknown place code 'E06099999'; import the place codes first or correct the code"


# --- observations: the demo format and tidy files -----------------------------------------------
def test_na_and_blank_are_recorded_as_missing(store, tmp_path):
    values = write(tmp_path, "values.csv", OBSERVATIONS_HEADER + "NEET,E05014838,2020-01,NA,final,t\n"
                   "NEET,E05014839,2020-01,,final,t\nNEET,E05014840,2020-01,..,final,t\nNEET,E05014841,2020-01,x,,t\n"
                   "NEET,E05014842,2020-01,0,provisional,t\nNEET,E05014843,2020-01,\"1,234.5\",final,t\n")
    assert store.import_files([values]).files[0].added == 6
    stored = rows(store, "SELECT geography_code, value, status FROM observation WHERE period = '2020-01' ORDER BY 1")
    assert stored == [("E05014838", None, "final"), ("E05014839", None, "final"), ("E05014840", None, "final"),
                      ("E05014841", None, "final"), ("E05014842", 0.0, "provisional"), ("E05014843", 1234.5, "final")]


@pytest.mark.parametrize("content, says", [
    ("indicator_code,geography_code,period,amount\nNEET,E08000031,2026-10,5\n",
     "bad.csv, line 1: the header (indicator_code, geography_code, period, amount) is not one perfbot knows"),
    (OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,5,final,t\nNEET,E08000031,2026-09,twelve,final,t\n",
     "bad.csv, line 3, column 'value': 'twelve' is not a number; expected a number, or NA/blank when missing"),
    (OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,inf,final,t\n", "line 2, column 'value': 'inf' is not a number"),
    (OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,5,final,t\nNEET,E07000026,2026-10,5,final,t\n",
     "bad.csv, line 3, column 'geography_code': unknown place code 'E07000026'"),
    (OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,5,final,t\nNO_SUCH,E08000031,2026-10,5,final,t\n",
     "bad.csv, line 3, column 'indicator_code': unknown indicator code 'NO_SUCH'"),
    (OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,5,final,t\nNEET,E08000031,2026-09,5,final,t\n"
                           "NEET,E08000031,Oct 2026,6,final,t\n",
     "bad.csv, line 4, column 'value': this row repeats line 2 (same indicator, place and period) with a different value"),
    (OBSERVATIONS_HEADER + "NEET,E08000031,2026/27 Q5,5,final,t\n", "bad.csv, line 2, column 'period': '2026/27 Q5' is not a period"),
    (OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,5,draft,t\n", "line 2, column 'status': 'draft' is not a status"),
    (OBSERVATIONS_HEADER + "NEET,,2026-10,5,final,t\n", "line 2, column 'geography_code': a value is required here"),
    ("", "bad.csv: cannot be read as a table"),
])
def test_malformed_observation_files_are_refused_naming_file_line_and_column(demo_store, tmp_path, content, says):
    assert says in refusal(demo_store, write(tmp_path, "bad.csv", content))


def test_repeated_rows_with_the_same_value_are_kept_once(store, tmp_path):
    values = write(tmp_path, "values.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2020-01,5,final,t\n"
                                                                 "NEET,E08000031,January 2020,5.0,final,t\n")
    assert store.import_files([values]).files[0].added == 1


def test_a_bad_file_after_good_ones_rolls_the_whole_import_back(store, tmp_path):
    write(tmp_path, "batch/a_places.csv", "code,name,level,parent_code\nE08000099,Newtown,local_authority,E12000005\n")
    write(tmp_path, "batch/b_values.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2020-01,5,final,t\n")
    write(tmp_path, "batch/c_neighbours.csv", "area_code,area_name\nE08000025,Birmingham\n")
    write(tmp_path, "batch/z_values.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2020-02,6,final,t\n"
                                                                "NEET,E08000031,2020-03,lots,final,t\n")
    message = refusal(store, tmp_path / "batch")
    assert message.startswith("z_values.csv, line 3, column 'value'")
    assert rows(store, "SELECT count(*) FROM geography WHERE code = 'E08000099'") == [(0,)]
    assert "C" not in store.comparator_groups()


def test_a_file_with_an_unknown_header_refuses_the_import_before_anything_is_read(store, tmp_path):
    write(tmp_path, "batch/good.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2020-01,5,final,t\n")
    write(tmp_path, "batch/notes.csv", "note\nremember to chase Maya\n")
    assert refusal(store, tmp_path / "batch").startswith("notes.csv, line 1: the header (note)")
    assert refusal(store, tmp_path / "missing.csv") == "missing.csv: no such file or folder"


def test_a_correction_supersedes_and_is_audited(store, tmp_path):
    key = dict(indicator="CLAIMANT_RATE", place="E08000031", period="2026-10")
    before = rows(store, "SELECT id, value FROM observation WHERE indicator_code = :indicator AND "
                         "geography_code = :place AND period = :period", **key)
    assert before == [(before[0][0], 6.0)]
    correction = write(tmp_path, "correction.csv", OBSERVATIONS_HEADER + "CLAIMANT_RATE,E08000031,October 2026,6.4,final,DWP\n"
                                                                         "CLAIMANT_RATE,E08000031,2026-09,6.2,final,DWP\n")
    result = store.import_files([correction], actor="zoe.gill@demo-council.example").files[0]
    assert (result.added, result.changed, result.unchanged) == (0, 1, 1)
    history = rows(store, "SELECT id, value, superseded_at IS NOT NULL, superseded_by, recorded_by FROM observation "
                          "WHERE indicator_code = :indicator AND geography_code = :place AND period = :period ORDER BY id", **key)
    (old_id, old_value, old_superseded, points_to, _), (new_id, new_value, new_superseded, _, by) = history
    assert (old_id, old_value, old_superseded, points_to) == (before[0][0], 6.0, True, new_id)
    assert (new_value, new_superseded, by) == (6.4, False, "zoe.gill@demo-council.example")
    assert rows(store, "SELECT actor, action, entity_key, old_value, new_value FROM audit_log WHERE action = 'supersede'") == \
        [("zoe.gill@demo-council.example", "supersede", "CLAIMANT_RATE E08000031 2026-10", "6.0", "6.4")]
    current = store.observations(["CLAIMANT_RATE"], ["E08000031"])
    assert current.loc[current["period"] == "2026-10", "value"].tolist() == [6.4]
    # Importing the same correction again changes nothing; NA does not withdraw it unless allowed.
    assert not store.import_files([correction]).changed_anything
    write(tmp_path, "correction.csv", OBSERVATIONS_HEADER + "CLAIMANT_RATE,E08000031,2026-10,NA,final,DWP\n")
    kept = store.import_files([correction]).files[0]
    assert (kept.changed, kept.withheld) == (0, 1)
    assert current.loc[current["period"] == "2026-10", "value"].tolist() == [6.4]
    assert store.import_files([correction], options=Options(allow_withdrawals=True)).files[0].changed == 1
    assert rows(store, "SELECT new_value, reason FROM audit_log WHERE action = 'supersede' ORDER BY id DESC LIMIT 1") == \
        [(None, "withdrawn (--allow-withdrawals): the source gives no value, not available (NA)")]
    assert rows(store, "SELECT value FROM observation WHERE indicator_code = :indicator AND geography_code = :place "
                       "AND period = :period AND superseded_at IS NULL", **key) == [(None,)]
    assert rows(store, "SELECT count(*) FROM observation WHERE indicator_code = :indicator AND geography_code = :place "
                       "AND period = :period", **key) == [(3,)]


def test_many_corrections_in_one_file(store, tmp_path):
    original = (SAMPLE_DATA / "observations.csv").read_text(encoding="utf-8").splitlines()
    header, body = original[0], original[1:]
    changed = [line.rsplit(",", 3) for line in body if line.startswith("CLAIMANT_RATE,")]
    lines = [f"{head},{float(value) + 1:.1f},{status},{source}" for head, value, status, source in changed]
    write(tmp_path, "claimants.csv", "\n".join([header, *lines]) + "\n")
    result = store.import_files([tmp_path / "claimants.csv"]).files[0]
    assert result.changed == len(lines) > 500
    assert rows(store, "SELECT count(*) FROM audit_log WHERE action = 'supersede'") == [(len(lines),)]
    assert rows(store, "SELECT count(*) FROM observation o JOIN observation n ON n.id = o.superseded_by "
                       "WHERE o.indicator_code = 'CLAIMANT_RATE' AND abs(n.value - o.value - 1) < 1e-9") == [(len(lines),)]


def test_tidy_file_with_an_inequality_breakdown(store, tmp_path):
    tidy = write(tmp_path, "healthy_life.csv",
                 "area_code,area_name,area_type,period,indicator,measure,unit,value,compared_to_England,inequality\n"
                 "E08000031,Wolverhampton,District,2020 - 22,Healthy life expectancy,Life expectancy,Years,57.1,Worse,Male\n"
                 "E08000031,Wolverhampton,District,2020 - 22,Healthy life expectancy,Life expectancy,Years,58.4,Worse,Female\n"
                 "E92000001,England,Country,2020 - 22,Healthy life expectancy,Life expectancy,Years,,Not compared,Male\n")
    assert store.import_files([tidy]).files[0].added == 3
    code, unit, polarity = rows(store, "SELECT code, unit, polarity FROM indicator WHERE name = 'Healthy life expectancy'")[0]
    assert (unit, polarity) == ("years", "neutral")
    values = store.observations([code], breakdown=None)
    assert sorted(zip(values["geography_code"], values["breakdown"], values["value"].fillna(-1))) == [
        ("E08000031", "Female", 58.4), ("E08000031", "Male", 57.1), ("E92000001", "Male", -1)]
    assert store.observations([code]).empty  # the default is the headline (no breakdown)
    assert store.observations([code], breakdown="Male")["period"].tolist() == ["2020 - 22"] * 2


def test_tidy_matches_an_existing_indicator_by_name_without_wildcards(store, tmp_path):
    first = write(tmp_path, "a.csv", TIDY_HEADER + "E08000031,Wolverhampton,2024,Share of pupils_absent,Percentage,P,5\n")
    second = write(tmp_path, "b.csv", TIDY_HEADER + "E08000031,Wolverhampton,2024,% of pupils absent,Percentage,P,6\n")
    store.import_files([first])
    store.import_files([second])
    names = {name for (name,) in rows(store, "SELECT name FROM indicator")}
    assert {"% of pupils absent", "Share of pupils_absent"} <= names
    again = write(tmp_path, "c.csv", TIDY_HEADER + "E08000031,Wolverhampton,2025,% OF PUPILS ABSENT,Percentage,P,7\n")
    store.import_files([again])
    assert rows(store, "SELECT count(*) FROM indicator WHERE lower(name) = '% of pupils absent'") == [(1,)]


def test_tidy_registers_a_named_gss_place_but_refuses_other_unknown_codes(store, tmp_path):
    named = write(tmp_path, "named.csv", TIDY_HEADER + "E07000026,Allerdale,2019,Jobs,Count,Persons,100\n"
                                                       "W06000015,Cardiff,2019,Jobs,Count,Persons,200\n")
    assert store.import_files([named]).files[0].added == 2
    assert rows(store, "SELECT code, name, level FROM geography WHERE code IN ('E07000026', 'W06000015') ORDER BY 1") == \
        [("E07000026", "Allerdale", "local_authority"), ("W06000015", "Cardiff", "local_authority")]
    not_gss = write(tmp_path, "bad/not_gss.csv", TIDY_HEADER + "E08000031,Wolverhampton,2019,Jobs,Count,Persons,1\n"
                                                               "TRAFFORD,Trafford,2019,Jobs,Count,Persons,2\n")
    assert refusal(store, not_gss) == \
        "not_gss.csv, line 3, column 'area_code': unknown place code 'TRAFFORD'; import the place codes first or correct the code"
    nameless = write(tmp_path, "bad/nameless.csv", TIDY_HEADER + "E07000027,,2019,Jobs,Count,Persons,1\n")
    assert "line 2, column 'area_code': unknown place code 'E07000027'" in refusal(store, nameless)
    without_names = write(tmp_path, "bad/values.csv", OBSERVATIONS_HEADER + "NEET,E07000028,2026-10,5,final,t\n")
    assert "line 2, column 'geography_code': unknown place code 'E07000028'" in refusal(store, without_names)


# --- file formats --------------------------------------------------------------------------------
def test_excel_imports_like_csv(store, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Indicator_Code", "Geography_Code", "Period", "Value", "Status", "Source"])
    sheet.append(["NEET", "E05014838", "2020-01", 7.3, "final", "excel"])
    sheet.append(["NEET", "E05014839", "2020-01", 12, "final", "excel"])
    sheet.append(["NEET", "E05014840", "2020-01", None, "final", "excel"])
    sheet.append(["NEET", "E05014841", datetime(2020, 1, 31), 4.25, None, "excel"])
    book.save(tmp_path / "returns.xlsx")
    (tmp_path / "~$returns.xlsx").write_bytes(b"Excel's lock file is not a workbook")
    report = store.import_files([tmp_path])
    assert [(f.path.name, f.kind, f.added) for f in report.files] == [("returns.xlsx", "observations", 4)]
    assert rows(store, "SELECT geography_code, period, value, status FROM observation WHERE source = 'excel' ORDER BY 1") == [
        ("E05014838", "2020-01", 7.3, "final"), ("E05014839", "2020-01", 12.0, "final"),
        ("E05014840", "2020-01", None, "final"), ("E05014841", "2020-01", 4.25, "final")]


def test_unreadable_workbooks_are_refused(store, tmp_path):
    write(tmp_path, "old.xls", "not really")
    assert refusal(store, tmp_path / "old.xls").startswith("old.xls: cannot be read as a workbook")
    write(tmp_path, "broken.xlsx", "not a zip file")
    assert refusal(store, tmp_path / "broken.xlsx").startswith("broken.xlsx: is not a readable workbook")


def test_a_bom_csv_and_a_windows_csv(store, tmp_path):
    bom = write(tmp_path, "bom.csv", OBSERVATIONS_HEADER + "NEET,E05014838,2020-01,7.3,final,bom\n", encoding="utf-8-sig")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert store.import_files([bom]).files[0].added == 1
    windows = write(tmp_path, "windows.csv", TIDY_HEADER + "E08000031,Wolverhampton,2025,Spend per pupil (£),Count,£,5\n",
                    encoding="cp1252")
    assert store.import_files([windows]).files[0].added == 1
    assert rows(store, "SELECT name FROM indicator WHERE name LIKE 'Spend per pupil%'") == [("Spend per pupil (£)",)]


# --- the command line ----------------------------------------------------------------------------
def test_cli_import_refusal_exits_2_and_names_file_line_and_column(database_url, tmp_path, capsys):
    bad = write(tmp_path, "returns.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,5,final,t\n")
    assert main(["--database", database_url, "import", str(SAMPLE_DATA)]) == 0
    before = capsys.readouterr().out
    assert "observations.csv (observations): 10848 added, 0 changed, 0 unchanged" in before
    write(tmp_path, "returns.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,5,final,t\nNEET,E08000031,2026-11,n/k,final,t\n")
    assert main(["--database", database_url, "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("Import refused, nothing was written: returns.csv, line 3, column 'value': 'n/k' is not a "
                           "number; expected a number, or NA/blank when missing")
    assert main(["--database", database_url, "import", str(SAMPLE_DATA)]) == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert main(["--database", database_url, "status"]) == 0
    assert "12 green, 15 amber, 6 red, 7 no target" in capsys.readouterr().out


def test_awkward_text_and_precise_numbers_survive_the_bulk_writer(store, tmp_path):
    # Backslashes, tabs, newlines and quotes in text; every digit of a value (COPY on PostgreSQL).
    values = write(tmp_path, "values.csv", HEADER_WITH_BREAKDOWN
                   + 'NEET,E08000031,2020-01,0.30000000000000004,final,"C:\\\\exports\\\\neet\tv2 ""final""\nsecond line",\n'
                   + "NEET,E08000031,2020-01,12345678.123456789,final,plain,Girls\\\\boys\n")
    assert store.import_files([values]).files[0].added == 2
    stored = rows(store, "SELECT breakdown, value, source FROM observation WHERE period = '2020-01' ORDER BY breakdown")
    assert stored == [("", 0.30000000000000004, 'C:\\\\exports\\\\neet\tv2 "final"\nsecond line'),
                      ("Girls\\\\boys", 12345678.123456789, "plain")]


def test_a_provisional_value_confirmed_as_final_is_recorded(store, tmp_path):
    provisional = write(tmp_path, "values.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2020-01,5.5,provisional,t\n")
    store.import_files([provisional])
    write(tmp_path, "values.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2020-01,5.5,final,t\n")
    assert store.import_files([provisional]).files[0].changed == 1
    assert rows(store, "SELECT value, status FROM observation WHERE period = '2020-01' AND superseded_at IS NULL") == \
        [(5.5, "final")]
    assert rows(store, "SELECT old_value, new_value, reason FROM audit_log WHERE action = 'supersede'") == \
        [("5.5", "5.5", "status provisional → final")]
    assert not store.import_files([provisional]).changed_anything


def test_every_bad_row_is_named_in_one_run_and_nothing_is_written(demo_store, tmp_path):
    # Four mistakes of four kinds, between good rows: one run names them all, each where it is.
    says = refusal(demo_store, write(tmp_path, "several.csv", OBSERVATIONS_HEADER +
                                     "NEET,E08000031,2026-04,5,final,t\n"
                                     "NEET,E08000031,2026-05,five,final,t\n"
                                     "NEET,E08000031,2026-06,5,final,t\n"
                                     "NEET,E07000026,2026-07,5,final,t\n"
                                     "NEET,E08000031,2026/27 Q5,5,final,t\n"
                                     "NO_SUCH,E08000031,2026-08,5,final,t\n"
                                     "NEET,E08000031,2026-09,5,drafted,t\n"))
    assert says.startswith("several.csv: 5 problems, each to correct before anything is imported:")
    listed = says.splitlines()[1:]
    assert listed == [
        "  line 3, column 'value': 'five' is not a number; expected a number, or NA/blank when missing",
        "  line 5, column 'geography_code': unknown place code 'E07000026'; import the place codes first or correct "
        "the code",
        f"  line 6, column 'period': {listed[2].split(': ', 1)[1]}",
        "  line 7, column 'indicator_code': unknown indicator code 'NO_SUCH'; import the indicator codes first or "
        "correct the code",
        "  line 8, column 'status': 'drafted' is not a status; expected final, provisional or forecast"]
    assert "'2026/27 Q5' is not a period" in listed[2]


def test_a_file_wrong_everywhere_lists_the_first_fifty_rows_and_counts_the_rest(demo_store, tmp_path):
    # 72 rows, each with a wrong value, each for its own month
    body = "".join(f"NEET,E08000031,{2010 + row // 12}-{row % 12 + 1:02d},n/a{row},final,t\n" for row in range(72))
    says = refusal(demo_store, write(tmp_path, "all_wrong.csv", OBSERVATIONS_HEADER + body))
    lines = says.splitlines()
    assert lines[0] == "all_wrong.csv: 72 problems, each to correct before anything is imported:"
    assert lines[1].startswith("  line 2, column 'value': 'n/a0' is not a number")
    assert lines[50].startswith("  line 51, column 'value': 'n/a49' is not a number")
    assert lines[51:] == ["  and 22 more"]


def test_a_dictionary_with_several_mistakes_names_each(demo_store, tmp_path):
    says = refusal(demo_store, write(tmp_path, "indicators.csv", "code,name,unit,polarity,frequency\n"
                                     "A1,First,%,higher_is_better,monthly\n"
                                     "A2,Second,%,upwards,monthly\n"
                                     "A3,,count,neutral,weekly\n"))
    assert "line 3, column 'polarity': 'upwards' is not allowed" in says
    assert "line 4, column 'name': a value is required here" in says
    assert "line 4, column 'frequency': 'weekly' is not a frequency" in says
