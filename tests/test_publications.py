"""Government publications as published (issue 25), and the import traps of issue 24 (periods that
aren't, encodings, workbook bombs): small workbooks made here in each layout, then the sixteen real
publications when ../shared is beside the project. Every test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import text

from data_access.importers import ImportRefused, Options, preview
from data_access.importers import workbooks
from data_access.store import Store

from tests.conftest import FIXED_NOW, REAL, _fresh_url

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PUBLICATIONS = SHARED / "real" / "publications"
OBSERVATIONS = "indicator_code,geography_code,period,value,status\n"


def rows(store: Store, sql: str, **params) -> list[tuple]:
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def refusal(store: Store, path: Path, options: Options = Options()) -> str:
    with pytest.raises(ImportRefused) as refused:
        store.import_files([path], options=options)
    return str(refused.value)


def values(store: Store, indicator_like: str) -> dict[tuple[str, str, str], tuple[float | None, str]]:
    found = rows(store, "SELECT o.geography_code, o.period, o.breakdown, o.value, o.status FROM observation o "
                        "JOIN indicator i ON i.code = o.indicator_code WHERE i.name LIKE :n AND o.superseded_at IS NULL",
                 n=indicator_like)
    return {(g, p, b): (v, s) for g, p, b, v, s in found}


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, lines in sheets.items():
        sheet = book.create_sheet(name)
        for line in lines:
            sheet.append(line)
    book.save(path)
    return path


COVER = [["Widgets statistics"], ["Published by the Department for Widgets"], [], ["Contact: widgets@example.gov.uk"]]


# --- layouts -------------------------------------------------------------------------------------
def test_a_workbook_opening_on_a_cover_with_years_merged_over_categories_and_a_provisional_flag(store, tmp_path):
    path = workbook(tmp_path / "widgets.xlsx", {
        "Cover": COVER, "Contents": [["Contents"], ["Table 3", "Number of widgets by type"]],
        "Notes": [["Note 1", "Widgets are counted once."]],
        "Table_3": [["Table 3: Number of widgets by type, by local authority, England, 2021-22 to 2022-23 1,2"], [],
                    ["", "", "2021-22", "", "2022-23 [p]", ""],
                    ["Area code", "Area name", "Small", "Total", "Small", "Total"],
                    ["E92000001", "England", 100, 400, 120, 450],
                    ["E12000005", "West Midlands", 10, 40, 12, 45],
                    ["", "Unitary authorities", 5, 20, 6, 22],
                    ["E08000031", "Wolverhampton", 1, 4, "..", 5],
                    [], ["Source: Widget returns"], ["[p] provisional"]]})
    report = store.import_files([path])
    held = values(store, "Number of widgets by type")
    assert held[("E08000031", "2021/22", "Small")] == (1.0, "final")
    assert held[("E08000031", "2021/22", "")] == (4.0, "final")
    assert held[("E08000031", "2022/23", "")] == (5.0, "provisional")  # a '[p]' column is kept, flagged
    assert held[("E08000031", "2022/23", "Small")] == (None, "provisional")
    assert held[("E12000005", "2022/23", "")] == (45.0, "provisional")
    assert len(held) == 12
    assert rows(store, "SELECT unit FROM indicator WHERE name = 'Number of widgets by type'") == [("count",)]
    line = report.lines()[0]
    assert "Cover, Contents, Notes" in line and "'Unitary authorities'" in line  # nothing left out in silence


def test_a_period_column_names_without_codes_and_a_percentage_published_as_a_fraction_in_an_ods(store, tmp_path):
    frame = pd.DataFrame([["Table 3: Selected waste indicators", None, None], [None, None, None],
                          ["Financial Year", "Authority", "Percentage of household waste recycled"],
                          ["2016-17", "Wolverhampton City Council", 0.367], ["2016-17", "Walsall5", 0.4],
                          ["FY 2017/18", "Birmingham", 0.25], ["2017-18", "Narnia District Council", 0.5]])
    path = tmp_path / "waste.ods"
    frame.to_excel(path, engine="odf", header=False, index=False, sheet_name="Table_3")
    report = store.import_files([path])
    held = values(store, "Percentage of household waste recycled")
    assert held == {("E08000031", "2016/17", ""): (36.7, "final"), ("E08000030", "2016/17", ""): (40.0, "final"),
                    ("E08000025", "2017/18", ""): (25.0, "final")}
    assert "'Narnia District Council'" in report.lines()[0]


def test_the_period_only_in_sheet_names_or_nowhere(store, tmp_path):
    sheet = lambda value: [["Table 253 Housebuilding: dwellings started and completed, by tenure and district"], [],  # noqa: E731
                           ["", "", "", "Dwellings started", "", "", "Dwellings completed"],  # merged, written off-centre
                           ["Current ONS code", "Authority", "Private", "All", "", "Private", "All"],
                           ["E08000031", "Wolverhampton", value, value * 2, "", value * 3, value * 4]]
    store.import_files([workbook(tmp_path / "lt253.xlsx", {"2019-20": sheet(10), "2020-21": sheet(20)})])
    held = values(store, "Dwellings started")
    assert held[("E08000031", "2019/20", "Private")] == (10.0, "final")
    assert held[("E08000031", "2020/21", "")] == (40.0, "final")
    assert values(store, "Dwellings completed")[("E08000031", "2019/20", "Private")] == (30.0, "final")
    nowhere = workbook(tmp_path / "nowhere.xlsx", {"Data": [["Grant allocations by local authority"], [],
                                                            ["ONS code", "Authority", "Allocation (£s)"],
                                                            ["E08000031", "Wolverhampton", 1500]]})
    assert "--period" in refusal(store, nowhere)
    store.import_files([nowhere], options=Options(period="2023/24"))
    assert values(store, "Grant allocations%")[("E08000031", "2023/24", "")] == (1500.0, "final")


def test_dfe_three_digit_codes_and_a_year_in_the_title(store, tmp_path):
    path = workbook(tmp_path / "dsg.xlsx", {"Allocations_summary": [
        ["Dedicated schools grant: 2023 to 2024 allocations", "", ""], ["LA code", "LA name", "Schools block (£s)"],
        [336, "Wolverhampton", 250000.5], [330, "Birmingham", 1250000]]})
    store.import_files([path])
    held = values(store, "%Schools block%")
    assert held == {("E08000031", "2023/24", ""): (250000.5, "final"), ("E08000025", "2023/24", ""): (1250000.0, "final")}


def test_everyday_names_and_a_ward_never_taken_for_a_council(store, tmp_path):
    places = tmp_path / "places.csv"
    places.write_text('code,name,level,parent_code\nE06000023,"Bristol, City of",local_authority,E92000001\n'
                      'E06000010,"Kingston upon Hull, City of",local_authority,E92000001\n'
                      'E07000110,Maidstone,local_authority,E92000001\nE05009999,Leeds,ward,E07000110\n')
    store.import_files([places])
    uc = tmp_path / "uc.csv"
    uc.write_text('"Month","August 2015","August 2015 - Annotations",\n"National - Regional - LA - OAs",\n'
                  '"Bristol","1,200",,\n"Hull","800",,\n"Leeds","5,000",,\n"Total","9,000",,')
    report = store.import_files([uc])
    assert {g: v for (g, _, _), (v, _) in values(store, "%").items() if _ == "2015-08"} == {}
    held = rows(store, "SELECT geography_code, period, value FROM observation WHERE source = 'uc.csv' ORDER BY 1")
    assert held == [("E06000010", "2015-08", 800.0), ("E06000023", "2015-08", 1200.0)]
    assert "'Leeds'" in report.lines()[0]  # the Maidstone ward 'Leeds' is never the answer for Leeds


def test_the_places_frame_exposes_everyday_names(empty_store):
    empty_store.import_files([REAL / "ons" / "ward_lad_cty_rgn_ctry_may2024.csv"])
    places = empty_store.places
    assert "Bristol" in places.loc["E06000023", "aliases"].split(";")
    assert "Hull" in places.loc["E06000010", "aliases"].split(";")
    assert places[places["level"] == "ward"]["aliases"].eq("").all()


def test_wards_of_older_boundaries_are_registered_under_their_council(store, tmp_path):
    path = tmp_path / "wards2011.csv"
    path.write_text("Ward code (2011),Ward name,Local authority code,Year,Households\n"
                    "E05001234,Old Park,E08000031,2015,1200\nE05001235,Old Heath,E08000031,2015,900\n"
                    "E05001236,Old Vale,E08000025,2015,700\n")
    store.import_files([path])
    assert rows(store, "SELECT code, name, level, parent_code FROM geography WHERE code LIKE 'E050012%' ORDER BY 1") == [
        ("E05001234", "Old Park", "ward", "E08000031"), ("E05001235", "Old Heath", "ward", "E08000031"),
        ("E05001236", "Old Vale", "ward", "E08000025")]


# --- periods that aren't, and encodings (issue 24, items 4 and 5) ----------------------------------
def test_a_date_for_a_monthly_indicator_is_its_month_and_a_future_value_is_refused_or_a_forecast(store, tmp_path):
    dated = tmp_path / "dated.csv"
    dated.write_text(OBSERVATIONS + "NEET,E08000031,2019-09-01,5.4,\n")
    store.import_files([dated])
    assert rows(store, "SELECT period, period_kind FROM observation WHERE source IS NULL AND period LIKE '2019-09%'") \
        == [("2019-09", "month")]
    day = tmp_path / "day.csv"
    day.write_text(OBSERVATIONS + "NEET,E08000031,2019-09-15,5.4,\n")
    assert refusal(store, day).startswith("day.csv, line 2, column 'period': '2019-09-15' is a day, but NEET is "
                                          "returned monthly")
    future = tmp_path / "future.csv"
    future.write_text(OBSERVATIONS + "NEET,E08000031,2026-08,5.1,\nNEET,E08000031,2027-03,5.6,\n")
    assert refusal(store, future).startswith("future.csv, line 3, column 'period': 2027-03 has not ended yet")
    future.write_text(OBSERVATIONS + "NEET,E08000031,2027-03,5.6,forecast\n")
    store.import_files([future])
    assert rows(store, "SELECT period, value FROM forecast") == [("2027-03", 5.6)]
    newest = store.observations(["NEET"], ["E08000031"]).sort_values("period_end").iloc[-1]
    assert newest["period"] == "2026-09"  # a forecast is never the newest value
    assert store.import_files([future]).changed_anything is False


def test_each_file_is_read_in_its_own_encoding_and_a_mixed_file_is_refused(store, tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes((OBSERVATIONS + "NEET,E08000031,2019-05,5.0,\n").encode("utf-16"))
    assert store.import_files([utf16]).files[0].added == 1
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes("code,name,level,parent_code\nE06000099,Café Town,local_authority,E92000001\n".encode()
                      + "E06000098,Children’s Town,local_authority,E92000001\n".encode("cp1252"))
    message = refusal(store, mixed)
    assert "mixes two encodings: line 2 is UTF-8 but line 3 is not" in message
    assert rows(store, "SELECT count(*) FROM geography WHERE code IN ('E06000099', 'E06000098')") == [(0,)]


# --- hostile workbooks (issue 24, item 11) ---------------------------------------------------------
def test_a_workbook_bomb_and_an_entity_expansion_are_refused_without_reading_them(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_EXPANDED", 4 * 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(6):
                part.write(b"<c>0</c>" * (1 << 17))
    assert bomb.stat().st_size < 100_000
    message = refusal(store, bomb)
    assert "expands to more than 4 MB" in message and "zip bomb" in message
    laughs = tmp_path / "laughs.xlsx"
    book = io.BytesIO()
    workbook(tmp_path / "plain.xlsx", {"Data": [["ONS code", "Year", "Value"], ["E08000031", 2019, 1]]})
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source, zipfile.ZipFile(book, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                data = data.replace(b"?>", b"?>" + doctype, 1) if data.startswith(b"<?xml") else doctype + data
            target.writestr(item, data)
    laughs.write_bytes(book.getvalue())
    assert "declares XML entities" in refusal(store, laughs)


# --- the entry point a chat upload will use (issue 28) ---------------------------------------------
def test_a_file_given_as_bytes_is_previewed_without_writing(store):
    data = (OBSERVATIONS + "NEET,E08000031,2026-09,7.5,\n").encode()
    with store.sessions() as session:
        report = preview(session, data, "returns.csv", "maya", FIXED_NOW)
    assert report.files[0].changed == 1
    assert "would correct NEET E08000031 2026-09: " in "\n".join(report.files[0].summary())
    assert rows(store, "SELECT count(*) FROM observation WHERE indicator_code = 'NEET' AND value = 7.5") == [(0,)]


# --- the shared data: every file, shuffled or cut short, never a traceback -------------------------
def _variants(path: Path, rng: random.Random) -> list[tuple[str, bytes]]:
    data = path.read_bytes()[:300_000]
    if path.suffix.lower() == ".csv":
        lines = data.split(b"\n")
        head, body = lines[:3], lines[3:]
        rng.shuffle(body)
        return [("shuffled", b"\n".join(head + body)), ("cut", data[:rng.randrange(1, max(2, len(data)))])]
    return [("cut", data[:rng.randrange(1, max(2, len(data)))]), ("whole", path.read_bytes())]


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")
def test_no_file_in_the_shared_data_shuffled_or_cut_gives_a_traceback(empty_store, tmp_path):
    rng = random.Random(25)
    files = sorted(p for p in SHARED.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".xls", ".ods"))
    assert len(files) >= 30
    outcomes = []
    for path in files:
        for kind, data in _variants(path, rng):
            target = tmp_path / f"{kind}-{path.name}"
            target.write_bytes(data)
            try:
                empty_store.import_files([target], dry_run=True)
                outcomes.append("read")
            except ImportRefused as refused:
                assert "fault in perfbot" not in str(refused), str(refused)
                assert str(refused).startswith(target.name)
                outcomes.append("refused")
            target.unlink()
    assert "read" in outcomes and "refused" in outcomes


# --- the sixteen real publications -----------------------------------------------------------------
CHECKED = {  # hand-checked against the files: (file, indicator name LIKE, place, period, breakdown) → value
    ("ons_hpssa_dataset9_median_price_paid.xls", "Median price paid", "E06000001", "Jan 1995-Dec 1995", ""): 36500,
    ("ons_hpssa_dataset9_median_price_paid.xls", "Median price paid", "E06000002", "Jan 1995-Dec 1995",
     "Detached houses"): 72000,
    ("moj_send_tribunal_appeal_rate_2014-2022.ods", "%Appeals registered", "E06000047", "2014", ""): 34,
    ("dluhc_lt691_right_to_buy_sales_quarterly.ods", "%Right to Buy%", "E92000001", "2006/07 Q1", ""): 4655.4,
    ("dluhc_lt1006-1009_affordable_housing_supply.ods", "%social rent dwellings provided - Completions", "E92000001",
     "1991/92", ""): 25705,
    ("dluhc_lt253_housebuilding_starts_completions.xlsx", "Dwellings started", "E92000001", "1980/81",
     "Private Enterprise"): 86510,
    ("ons_dwelling_stock_by_tenure_2021.xlsx", "Counts of dwelling stock by tenure", "E06000001", "2012",
     "Owned Outright"): 11892,
}


@pytest.fixture(scope="module")
def publications(tmp_path_factory):
    if not PUBLICATIONS.exists():
        pytest.skip("../shared/data/real/publications is not beside the project")

    urls = _fresh_url(tmp_path_factory.mktemp("publications"))
    store = Store.open(next(urls), clock=lambda: datetime(2026, 12, 6, tzinfo=timezone.utc))
    store.import_files([REAL / "ons" / "ward_lad_cty_rgn_ctry_may2024.csv"])
    first = store.import_files([PUBLICATIONS])
    again = store.import_files([PUBLICATIONS])
    yield store, first, again
    store.engine.dispose()
    urls.close()


def test_every_shared_publication_imports_in_one_command_and_again_changes_nothing(publications):
    store, first, again = publications
    assert len(first.files) == 16 and all(f.added > 1000 for f in first.files), first.lines()
    assert not again.changed_anything
    for (name, indicator, place, period, breakdown), expected in CHECKED.items():
        found = rows(store, "SELECT o.value FROM observation o JOIN indicator i ON i.code = o.indicator_code "
                            "WHERE i.name LIKE :i AND o.geography_code = :g AND o.period = :p AND o.breakdown = :b "
                            "AND o.source = :s AND o.superseded_at IS NULL",
                     i=indicator, g=place, p=period, b=breakdown, s=name)
        assert found == [(pytest.approx(expected),)], (name, indicator, place, period, breakdown, found)


def test_a_title_of_numbers_and_percentages_names_counts_and_a_fraction_is_stored_exactly(store, tmp_path):
    # DLUHC's homelessness tables: 'Number and % of households' over columns of counts — 810
    # households, not 810%; Defra's 0.417 recycling rate is 41.7, not 41.699999999999996.
    workbook(tmp_path / "a1.xlsx", {"A1": [["Table A1: Number and % of households owed a duty, England, 2022-23"], [],
                                            ["Area code", "Area name", "Total owed a duty"],
                                            ["E08000031", "Wolverhampton", 810], ["E08000030", "Walsall", 512]]})
    workbook(tmp_path / "waste.xlsx", {"Table_3": [["Table 3: Selected waste indicators 2016-17"], [],
                                                   ["Area code", "Area name", "Recycling rate (%)"],
                                                   ["E08000031", "Wolverhampton", 0.417], ["E08000030", "Walsall", 0.4]]})
    store.import_files([tmp_path / "a1.xlsx", tmp_path / "waste.xlsx"])
    (unit,) = rows(store, "SELECT DISTINCT i.unit FROM indicator i JOIN observation o ON o.indicator_code = i.code "
                          "WHERE o.source = 'a1.xlsx'")
    assert unit == ("count",)
    assert rows(store, "SELECT value FROM observation WHERE source = 'waste.xlsx' AND geography_code = 'E08000031'") \
        == [(41.7,)]


def test_a_series_given_again_on_a_later_sheet_is_read_from_the_first_and_other_series_are_all_read(store, tmp_path):
    table = lambda title, first: [[title], [], ["Area code", "Area name", "2021-22", "2022-23"],  # noqa: E731
                                  ["E08000031", "Wolverhampton", first, 20.5], ["E08000025", "Birmingham", 7.5, 8.5]]
    path = workbook(tmp_path / "summary.xlsx", {
        "Table_1": table("Table 1: Widgets repaired per 1,000 households by local authority", 10.4),
        "Table_2": table("Table 2: Widget repairs waiting per 1,000 households by local authority", 3.5),
        "Summary": table("Table 3: Widgets repaired per 1,000 households by local authority", 10)})  # rounded
    report = store.import_files([path])
    assert values(store, "Widgets repaired%")[("E08000031", "2021/22", "")] == (10.4, "final")
    assert values(store, "Widget repairs waiting%")[("E08000031", "2021/22", "")] == (3.5, "final")
    assert report.files[0].added == 8
    assert "left out 4 values given again on a later sheet (Summary)" in report.lines()[0]
    apart = workbook(tmp_path / "apart.xlsx", {"Table_1": table("Table 1: Widgets mended per 1,000 households", 1.5),
                                               "Table_2": table("Table 2: Widgets lost per 1,000 households", 2.5)})
    report = store.import_files([apart])
    assert report.files[0].added == 8 and "later sheet" not in report.lines()[0]


def test_a_sheets_cells_read_as_text_each_number_as_written_however_often_it_repeats(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in (["Area code", 2022, 2023.0, True], ["E08000031", 0.1, 1.0, False], ["E92000001", 0.1, 1, 1.0],
                ["E06000001", -0.0, 1e15, 12.5], ["E06000002", 12.5, 2.675, None]):
        sheet.append(row)
    book.save(tmp_path / "cells.xlsx")
    rows = workbooks.read_sheets(tmp_path / "cells.xlsx")[0].rows
    assert rows == [["Area code", "2022", "2023", "TRUE"], ["E08000031", "0.1", "1", "FALSE"],
                    ["E92000001", "0.1", "1", "1"], ["E06000001", "0", "1000000000000000.0", "12.5"],
                    ["E06000002", "12.5", "2.675", ""]]
