"""The national statistics formats as published: Fingertips exports (embedded newlines, mixed line
endings, ragged rows, Sex/Age/Category breakdowns), Nomis API CSVs (places listed twice, OBS_STATUS
reasons, dimensions), DfE EES files (each suppression marker, `202425`, filters), recognised long
and wide files and `--map`; metadata and footnote rows, BOMs; the refusal of a short row; missing
values that never overwrite (and raise no alert); `--dry-run`; and `--no-alerts` recording its
baseline in the import's own transaction."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from bot.cli import main
from data_access.importers import ImportRefused, Options
from data_access.store import Store
from schedules import alerts
from schedules.alerts import sweep_alerts
from tests.test_importers import FIXED_NOW, OBSERVATIONS_HEADER, REAL, TIDY_HEADER, refusal, rows, snapshot, write

FINGERTIPS = REAL / "fingertips" / "indicators-CountyUA.data.csv"
NOMIS = REAL / "nomis" / "population_estimates_lad_2021.csv"
EES = REAL / "dfe" / "csww_indicators_2017_to_2025.csv"
FT_HEADER = ("Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,"
             "Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Count,Denominator,"
             "Value note,Compared to England value or percentiles,Compared to goal")
NOMIS_HEADER = ("DATE,DATE_NAME,GEOGRAPHY,GEOGRAPHY_NAME,GEOGRAPHY_CODE,GENDER,GENDER_NAME,MEASURE,MEASURE_NAME,"
                "MEASURES,MEASURES_NAME,OBS_VALUE,OBS_STATUS,OBS_STATUS_NAME,URN")
EES_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
              "old_la_code,new_la_code,la_name,sex,pupils_number,pupils_percent")


def current(store: Store, indicator: str, **filters) -> dict:
    """(place, period, breakdown) → (value, missing reason) of the current observations of one indicator."""
    frame = store.observations([indicator], breakdown=filters.get("breakdown"))
    return {(r.geography_code, r.period, r.breakdown): (None if r.value != r.value else r.value, r.missing_reason)
            for r in frame.itertuples()}


def code_of(store: Store, source_indicator: str, measure: str = "Value") -> str:
    return rows(store, "SELECT code FROM indicator WHERE source_indicator = :s AND source_measure = :m",
                s=source_indicator, m=measure)[0][0]


# --- Fingertips -------------------------------------------------------------------------------
def test_the_fingertips_export_reads_as_published(store):
    report = store.import_files([FINGERTIPS])
    assert report.files[0].kind == "Fingertips export" and report.files[0].added == 852
    code = code_of(store, "93356")
    entry = store.indicators.loc[code]
    assert (entry["name"], entry["unit"], entry["polarity"]) == \
        ("Campylobacter incidence rate/100,000", "per 100,000", "lower_is_better")  # newline inside quotes gone
    values = current(store, code, breakdown=None)
    assert values[("E10000016", "2017", "")][0] == pytest.approx(123.873705892692)
    decile = "County & UA deprivation deciles in England (IMD2015); Most deprived decile (IMD2015)"
    assert values[("E92000001", "2015", decile)][0] == pytest.approx(69.6234924331395)
    breakdowns = {b for _, _, b in values}
    assert "0-9 yrs" in breakdowns and "Persons" not in " ".join(breakdowns) and "All ages" not in " ".join(breakdowns)
    assert "District & UA deprivation deciles in England (IMD2015); Most deprived decile (IMD2015)" in breakdowns
    kent = store.observations([code], ["E10000016"])
    row = kent[kent["period"] == "2015"].iloc[0]
    assert (row["lower_ci"], row["upper_ci"], row["count"], row["denominator"]) == \
        pytest.approx((102.673484322721, 113.164214493513, 1644, 1524719))
    # Blank is missing, with the note the export gives, not zero.
    notes = [v for v in values.values() if v[0] is None]
    assert notes.count((None, "not available: Value for Cornwall & Isles of Scilly combined")) == 5
    assert len(notes) == 10


def test_fingertips_sex_age_and_category_breakdowns(store, tmp_path):
    path = write(tmp_path, "le.csv", "\r\n".join([
        FT_HEADER,
        '90366,"Life expectancy at 65\n",,,E92000001,England,England,Persons,65,,,2021 - 23,19.9,,,,,,,',
        "90366,Life expectancy at 65,,,E92000001,England,England,Female,65,,,2021 - 23,21.1,,,,,,,",
        "90366,Life expectancy at 65,,,E92000001,England,England,Female,65,Deprivation,Most deprived decile (IMD2019),"
        "2021 - 23,18.4,,,,,,",
        "90366,Life expectancy at 65,,,E92000001,England,England,Male,75,NA,NA,2021 - 23,11.9,,,,,,",
    ]) + "\n")
    store.import_files([path])
    values = current(store, code_of(store, "90366"), breakdown=None)
    assert {b: v for (_, _, b), (v, _) in values.items()} == {
        "": 19.9, "Female": 21.1, "Female; Most deprived decile (IMD2019)": 18.4, "Male; 75": 11.9}


def test_a_fingertips_row_without_its_value_is_refused_naming_line_and_column(store, tmp_path):
    path = write(tmp_path, "ft.csv", FT_HEADER + "\n" + '93356,"Campylobacter\n",,,E92000001,England,Country,Persons,'
                 'All ages,,,2015,94.7,,,,,,,\n93356,Campylobacter,,,E92000001,England,Country,Persons,All ages,,,2016\n')
    assert refusal(store, path).startswith("ft.csv, line 4, column 'value': this row has 12 fields and stops before "
                                           "'value'")


# --- Nomis ------------------------------------------------------------------------------------
def test_nomis_places_listed_twice_are_one_value(store):
    report = store.import_files([NOMIS])
    assert report.files[0].added == 428  # 621 rows, 193 places listed as district and as county/unitary
    values = current(store, code_of(store, "NM_2002_1"))
    assert values[("E08000009", "2021", "")] == (235493.0, None) or values[("E08000009", "2021", "")][0] > 200_000
    assert store.indicators.loc[code_of(store, "NM_2002_1"), "unit"] == "count"


def test_nomis_dimensions_status_and_rolling_periods(store, tmp_path):
    lines = [NOMIS_HEADER,
             "2026-02,February 2026,1,Trafford,E08000009,0,Total,1,Claimant count,20100,Value,4465,A,Normal Value,Nm-162d1d1",
             "2026-02,February 2026,1,Trafford,E08000009,2,Female,1,Claimant count,20100,Value,1800,A,Normal Value,Nm-162d1d2",
             "2026-02,February 2026,1,Trafford,E08000009,1,Male,1,Claimant count,20100,Value,,Q,These figures are missing.,x",
             "2026-02,February 2026,1,Trafford,E08000009,0,Total,2,Claimants as a proportion of residents aged 16-64,"
             "20100,Value,3.0,A,Normal Value,x"]
    store.import_files([write(tmp_path, "cc.csv", "\n".join(lines) + "\n")])
    count = current(store, code_of(store, "NM_162_1", "Claimant count"), breakdown=None)
    assert count == {("E08000009", "2026-02", ""): (4465.0, None), ("E08000009", "2026-02", "Female"): (1800.0, None),
                     ("E08000009", "2026-02", "Male"): (None, "These figures are missing.")}
    rate = code_of(store, "NM_162_1", "Claimants as a proportion of residents aged 16-64")
    assert store.indicators.loc[rate, "unit"] == "%"


# --- EES --------------------------------------------------------------------------------------
def test_the_ees_file_reads_every_marker_and_period(store):
    store.import_files([EES])
    turnover = current(store, code_of(store, "turnover_rate_fte"))
    assert turnover[("E08000009", "2025", "")] == (15.6, None)
    assert store.indicators.loc[code_of(store, "turnover_rate_fte"), "name"] == "Turnover rate FTE"
    missing = rows(store, "SELECT missing_reason, count(*) FROM observation WHERE value IS NULL GROUP BY missing_reason")
    assert dict(missing) == {"low reliability (u)": 51, "not applicable (z)": 81, "not available (x)": 95,
                             "rounds to zero (low)": 12, "suppressed (c)": 8}


@pytest.mark.parametrize("marker,reason", [("x", "not available (x)"), ("z", "not applicable (z)"),
                                           ("c", "suppressed (c)"), ("u", "low reliability (u)"),
                                           ("low", "rounds to zero (low)"), ("k", "rounds to zero (k)"),
                                           ("..", "not available (..)"), (".", "not applicable (.)"),
                                           ("-", "nil or not available (-)"), ("*", "suppressed (*)"),
                                           ("!", "suppressed (!)"), ("~", "rounds to zero (~)"),
                                           (":", "not available (:)"), ("", "blank")])
def test_each_suppression_marker_is_missing_with_its_reason(store, tmp_path, marker, reason):
    path = write(tmp_path, "ees.csv", EES_HEADER + "\n"
                 f"202425,Academic year,Local authority,E92000001,England,E12000002,North West,358,E08000009,Trafford,"
                 f"Total,120,{marker}\n"
                 "202425,Financial year,National,E92000001,England,,,,,,Female,1000,49.5\n")
    store.import_files([path])
    percent = current(store, code_of(store, "pupils_percent"), breakdown=None)
    assert percent == {("E08000009", "AY 2024/25", ""): (None, reason), ("E92000001", "2024/25", "Female"): (49.5, None)}
    assert store.indicators.loc[code_of(store, "pupils_percent"), "unit"] == "%"


# --- layout traps: BOM, metadata and footnote rows, Excel ---------------------------------------
def test_metadata_rows_footnotes_and_a_bom(store, tmp_path):
    content = ("Title: Children's social work workforce\nSource: DfE\n\n" + EES_HEADER + "\n"
               "2025,Reporting year,Local authority,E92000001,England,E12000002,North West,358,E08000009,Trafford,"
               "Total,120,15.6\n\nNotes\n\"1. c = suppressed, x = not available\"\n")
    path = write(tmp_path, "meta.csv", content, encoding="utf-8-sig")
    report = store.import_files([path])
    assert report.files[0].added == 2
    assert current(store, code_of(store, "pupils_percent")) == {("E08000009", "2025", ""): (15.6, None)}


# --- recognised long and wide files, --map ----------------------------------------------------
def test_an_oflog_style_long_file_and_an_imd_style_wide_file(store, tmp_path):
    oflog = write(tmp_path, "oflog.csv", "Financial year,Local authority code,Local authority name,Measure,Code,Value\n"
                  "2023/24,E08000009,Trafford,Household waste recycling rate,WAS01,36.2\n"
                  "2023/24,E92000001,England,Household waste recycling rate,WAS01,41.7\n"
                  "2023/24,E08000009,Trafford,Council tax collection rate,CTX01,c\n")
    imd = write(tmp_path, "imd.csv", "Local Authority District code (2019),Local Authority District name (2019),"
                "IMD - Average score,IMD - Rank of average score\nE08000009,Trafford,15.2,242\n")
    report = store.import_files([oflog, imd])
    assert [f.kind for f in report.files] == ["recognised long or wide file"] * 2
    recycling = code_of(store, "Household waste recycling rate")
    assert current(store, recycling) == {("E08000009", "2023/24", ""): (36.2, None),
                                         ("E92000001", "2023/24", ""): (41.7, None)}
    assert current(store, code_of(store, "Council tax collection rate")) == \
        {("E08000009", "2023/24", ""): (None, "suppressed (c)")}
    assert current(store, code_of(store, "imd - average score")) == {("E08000009", "2019", ""): (15.2, None)}


def test_an_unrecognised_file_says_what_it_could_not_find_and_map_names_it(store, tmp_path):
    path = write(tmp_path, "odd.csv", "Where,When,Amount,What\nE08000031,2024/25,12,Fly-tipping incidents\n")
    message = refusal(store, path)
    assert "could not find a period column (2025/26, 2024, March 2026…): --map COLUMN=period" in message
    assert "a value column" not in message or "--map COLUMN=value" in message
    store.import_files([path], options=Options(mapping=(("When", "period"), ("Amount", "value"), ("What", "measure"))))
    assert current(store, code_of(store, "Fly-tipping incidents")) == {("E08000031", "2024/25", ""): (12.0, None)}


# --- missing never overwrites -----------------------------------------------------------------
def test_a_missing_value_never_overwrites_and_raises_no_alert(store, tmp_path):
    sweep_alerts(store, FIXED_NOW)  # the baseline
    write(tmp_path, "oct.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,6.3,final,Maya\n")
    store.import_files([tmp_path / "oct.csv"], actor="maya.rowe@demo-council.example")
    sweep_alerts(store, FIXED_NOW)
    queued = rows(store, "SELECT count(*) FROM notification")[0][0]
    short = write(tmp_path, "short.csv", "indicator_code,geography_code,period,status,value\nNEET,E08000031,2026-10,final\n")
    assert refusal(store, short) == ("short.csv, line 2, column 'value': this row has 4 fields and stops before "
                                     "'value' (the header has 5); give every row its value, or a marker such as NA "
                                     "when it is missing")
    blank = write(tmp_path, "blank.csv", OBSERVATIONS_HEADER + "NEET,E08000031,2026-10,c,final,DfE\n")
    result = store.import_files([blank]).files[0]
    assert (result.added, result.changed, result.withheld) == (0, 0, 1)
    assert current(store, "NEET")[("E08000031", "2026-10", "")] == (6.3, None)
    assert sweep_alerts(store, FIXED_NOW).queued == 0
    assert rows(store, "SELECT count(*) FROM notification")[0][0] == queued
    # Allowed explicitly, the withdrawal is audited with the reason, and still alerts nobody.
    store.import_files([blank], options=Options(allow_withdrawals=True))
    assert current(store, "NEET")[("E08000031", "2026-10", "")] == (None, "suppressed (c)")
    assert rows(store, "SELECT old_value, new_value, reason FROM audit_log WHERE action = 'supersede'") == \
        [("6.3", None, "withdrawn (--allow-withdrawals): the source gives no value, suppressed (c)")]
    assert sweep_alerts(store, FIXED_NOW).queued == 0
    assert rows(store, "SELECT count(*) FROM notification")[0][0] == queued


# --- dry run and --no-alerts ------------------------------------------------------------------
def test_dry_run_says_what_it_would_do_and_writes_nothing(database_url, capsys):
    assert main(["--database", database_url, "import", str(EES), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "csww_indicators_2017_to_2025.csv: DfE explore-education-statistics" in out
    assert "171 places, 9 periods, 31631 values, 247 missing (low reliability (u): 51" in out
    assert "would add 31878, correct 0" in out and "Dry run: nothing was written." in out
    store = Store.open(database_url)
    assert rows(store, "SELECT count(*) FROM observation") == [(0,)]
    store.engine.dispose()


def test_no_alerts_records_the_baseline_with_the_import_or_not_at_all(store, tmp_path, monkeypatch):
    url = store.engine.url.render_as_string(hide_password=False)
    sweep_alerts(store, FIXED_NOW)
    backfill = write(tmp_path, "backfill.csv", OBSERVATIONS_HEADER + "".join(
        f"{code},E08000031,2026-11,{value},final,backfill\n"
        for code, value in (("NEET", 30), ("CLAIMANT_RATE", 30), ("EMPLOYMENT_RATE", 1))))
    before = snapshot(store)

    def killed(*_args, **_kwargs):
        raise SystemExit("killed between the import and its baseline")

    monkeypatch.setattr(alerts, "_compare", killed)
    with pytest.raises(SystemExit):
        main(["--database", url, "import", str(backfill), "--no-alerts"])
    assert snapshot(store) == before  # the values went with the baseline: nothing for a sweep to alert on
    monkeypatch.undo()
    assert main(["--database", url, "import", str(backfill), "--no-alerts"]) == 0
    assert sweep_alerts(store, FIXED_NOW).queued == 0
    assert rows(store, "SELECT count(*) FROM notification WHERE kind = 'alert'") == [(0,)]
    recorded = rows(store, "SELECT period FROM alert_status WHERE rule = 'rag' AND indicator_code = 'NEET' "
                           "AND geography_code = 'E08000031'")
    assert recorded == [("2026-11",)]


def test_a_refused_map_names_the_roles(database_url, capsys):
    assert main(["--database", database_url, "import", str(EES), "--map", "odd=colour"]) == 2
    assert "roles are place, period, value, measure, unit, breakdown, ignore" in capsys.readouterr().err


def test_the_schema_keeps_reason_interval_count_and_denominator(store):
    with store.engine.connect() as connection:
        columns = set(connection.execute(text("SELECT * FROM observation WHERE 1 = 0")).keys())
    assert {"missing_reason", "lower_ci", "upper_ci", "count", "denominator"} <= columns


# --- more of each format --------------------------------------------------------------------
def test_a_dictionary_entry_takes_a_published_series_only_when_the_units_agree(store, tmp_path):
    dictionary = write(tmp_path, "dictionary/indicators.csv",
                       "code,name,aliases,unit,polarity,source_indicator,source_measure\n"
                       "CC_RATE,Claimant rate,claimant rate,%,lower_is_better,NM_162_1,\n")
    lines = [NOMIS_HEADER,
             "2026-02,February 2026,1,Wolverhampton,E08000031,0,Total,1,Claimant count,20100,Value,9000,A,Normal Value,"
             "Nm-162d1d1",
             "2026-02,February 2026,1,Wolverhampton,E08000031,0,Total,2,Claimants as a proportion of residents aged "
             "16-64,20100,Value,5.9,A,Normal Value,x"]
    store.import_files([dictionary, write(tmp_path, "cc.csv", "\n".join(lines) + "\n")])
    assert current(store, "CC_RATE") == {("E08000031", "2026-02", ""): (5.9, None)}  # not the count of 9,000
    count = code_of(store, "NM_162_1", "Claimant count")
    assert count != "CC_RATE" and store.indicators.loc[count, "unit"] == "count"


def test_a_workbook_with_a_title_above_the_header_and_notes_below(store, tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Children's social work workforce, 2025"])
    sheet.append([])
    sheet.append(EES_HEADER.split(","))
    sheet.append([202425, "Financial year", "Local authority", "E92000001", "England", "E12000005", "West Midlands",
                  "336", "E08000031", "Wolverhampton", "Total", 120, 15.5])
    sheet.append(["Source: DfE"])
    book.save(tmp_path / "workforce.xlsx")
    report = store.import_files([tmp_path / "workforce.xlsx"])
    assert report.files[0].kind == "DfE explore-education-statistics"
    assert current(store, code_of(store, "pupils_number")) == {("E08000031", "2024/25", ""): (120.0, None)}


def test_nomis_numerator_denominator_and_confidence_stay_with_the_value(store, tmp_path):
    header = "DATE_NAME,GEOGRAPHY_NAME,GEOGRAPHY_CODE,VARIABLE_NAME,MEASURES_NAME,OBS_VALUE,OBS_STATUS,URN"
    rows_ = [f"Oct 2024-Sep 2025,Wolverhampton,E08000031,Employment rate - aged 16-64,{measure},{value},A,Nm-17d5d1"
             for measure, value in (("Variable", 66.1), ("Numerator", 110300), ("Denominator", 166900),
                                    ("Confidence", 2.9))]
    store.import_files([write(tmp_path, "aps.csv", "\n".join([header, *rows_]) + "\n")])
    code = code_of(store, "NM_17_5", "Employment rate - aged 16-64")
    row = store.observations([code]).iloc[0]
    assert (row["period"], row["value"], row["count"], row["denominator"]) == ("Oct 2024-Sep 2025", 66.1, 110300, 166900)
    assert (row["lower_ci"], row["upper_ci"]) == pytest.approx((63.2, 69.0))
    assert store.indicators.loc[code, "unit"] == "%"
    assert len(store.observations([code])) == 1


def test_ees_terms_and_an_unknown_time_identifier(store, tmp_path):
    row = "Local authority,E92000001,England,E12000005,West Midlands,336,E08000031,Wolverhampton,Total,120,15.5"
    good = write(tmp_path, "terms.csv", EES_HEADER + f"\n202425,Autumn term,{row}\n202425,Spring term,{row}\n")
    store.import_files([good])
    assert sorted(p for _, p, _ in current(store, code_of(store, "pupils_number"))) == \
        ["Jan 2025-Apr 2025", "Sep 2024-Dec 2024"]
    bad = write(tmp_path, "weeks.csv", EES_HEADER + f"\n2025,Week 12,{row}\n")
    assert refusal(store, bad).startswith("weeks.csv, line 2, column 'time_identifier': time_period '2025' with "
                                          "time_identifier 'Week 12' is not a period perfbot reads")


def test_map_reads_only_the_files_with_its_columns(store, tmp_path):
    odd = write(tmp_path, "batch/odd.csv", "Where,When,Amount,What\nE08000031,2024/25,12,Fly-tipping incidents\n")
    ees = write(tmp_path, "batch/ees.csv", EES_HEADER + "\n2025,Calendar year,National,E92000001,England,,,,,,"
                "Total,1000,49.5\n")
    options = Options(mapping=(("When", "period"), ("Amount", "value"), ("What", "measure")))
    kinds = {f.path.name: f.kind for f in store.import_files([odd, ees], options=options).files}
    assert kinds == {"odd.csv": "recognised long or wide file", "ees.csv": "DfE explore-education-statistics"}
    with pytest.raises(ImportRefused) as refused:
        store.import_files([ees], options=Options(mapping=(("Whenever", "period"),)))
    assert str(refused.value) == "--map: no file has all the columns named (Whenever); give the names as in the header"


def test_headers_as_fingertipsr_and_nomisr_write_them(store, tmp_path):
    fingertips = FINGERTIPS.read_bytes().decode("utf-8")
    header, rest = fingertips.split("\n", 1)
    r_header = ",".join(name.replace(" ", "") for name in header.strip().split(","))  # IndicatorID, Timeperiod…
    nomis = NOMIS.read_text(encoding="utf-8")
    n_header, n_rest = nomis.split("\n", 1)
    camel = ",".join('"' + "".join([part.lower() if i == 0 else part.capitalize()
                                     for i, part in enumerate(name.strip('"').split("_"))]) + '"'
                     for name in n_header.split(","))  # dateName, geographyCode, obsValue…
    assert '"obsValue"' in camel and "Timeperiod" in r_header
    report = store.import_files([write(tmp_path, "ft.csv", r_header + "\n" + rest),
                                 write(tmp_path, "nomis.csv", camel + "\n" + n_rest)])
    assert {f.path.name: (f.kind, f.added) for f in report.files} == {
        "ft.csv": ("Fingertips export", 852), "nomis.csv": ("Nomis API extract", 428)}


def test_places_and_levels_perfbot_cannot_hold_are_left_out_and_said(store, tmp_path, capsys):
    gp = write(tmp_path, "gp.csv", FT_HEADER + "\n" + "\n".join([
        "91280,Smoking prevalence (%),,,E08000031,Wolverhampton,UA,Persons,18+ yrs,,,2019 Q1,15.1,,,,,,,",
        "91280,Smoking prevalence (%),,,M88001,A GP practice,GPs,Persons,18+ yrs,,,2019 Q1,17.3,,,,,,,",
        "91280,Smoking prevalence (%),,,E38000001,A sub-ICB,Sub-ICB,Persons,18+ yrs,,,2019-20,14.2,,,,,,,"]) + "\n")
    schools = write(tmp_path, "schools.csv", EES_HEADER + "\n"
                    "2025,Calendar year,School,E92000001,England,,,,,,Total,300,41.0\n"
                    "2025,Calendar year,National,E92000001,England,,,,,,Total,1000,49.5\n")
    assert main(["--database", store.engine.url.render_as_string(hide_password=False), "import", str(gp),
                 str(schools)]) == 0
    out = capsys.readouterr().out
    assert "left out values for 2 places perfbot holds no level for (E38000001, M88001)" in out
    assert "left out rows at levels perfbot holds no places for (School)" in out
    assert current(store, code_of(store, "91280")) == {("E08000031", "Jan 2019-Mar 2019", ""): (15.1, None)}


def test_a_file_with_a_column_per_period(store, tmp_path):
    path = write(tmp_path, "Household waste recycling rate.csv",
                 "Household waste recycling rate (%)\n\nArea code,Area name,2022/23,2023/24\n"
                 "E08000031,Wolverhampton,35.1,36.0\nE92000001,England,41.7,x\n\nSource: DEFRA\n")
    report = store.import_files([path])
    assert report.files[0].kind == "recognised long or wide file"
    code = code_of(store, "Household waste recycling rate")
    assert store.indicators.loc[code, "unit"] == "%"
    assert current(store, code) == {("E08000031", "2022/23", ""): (35.1, None), ("E08000031", "2023/24", ""): (36.0, None),
                                    ("E92000001", "2022/23", ""): (41.7, None),
                                    ("E92000001", "2023/24", ""): (None, "not available (x)")}


def test_the_migrations_build_what_the_models_say_and_0004_reverses(empty_store):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext

    from data_access.database import MIGRATIONS
    from data_access.models import Base
    with empty_store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with empty_store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
        assert "missing_reason" not in set(connection.execute(text("SELECT * FROM observation WHERE 1 = 0")).keys())
        command.upgrade(config, "head")
        assert "missing_reason" in set(connection.execute(text("SELECT * FROM observation WHERE 1 = 0")).keys())


def test_one_dictionary_entry_can_name_several_published_series(store, tmp_path):
    dictionary = write(tmp_path, "dictionary/indicators.csv",
                       "code,name,aliases,unit,polarity,source_indicator,source_measure\n"
                       "RESIDENTS,Residents,how many people live,count,neutral,NM_2002_1;Total resident population,Value;Count\n")
    nomis = write(tmp_path, "pop.csv", "DATE_NAME,GEOGRAPHY_NAME,GEOGRAPHY_CODE,MEASURES_NAME,OBS_VALUE,URN\n"
                  "2021,Wolverhampton,E08000031,Value,264407,Nm-2002d1d1\n")
    wards = write(tmp_path, "wards.csv", TIDY_HEADER.strip() + ",inequality\n"
                  "E05015338,Bilston North,2022-06-30,Total resident population,Count,Persons,12000,NA\n")
    store.import_files([dictionary, nomis, wards])
    assert current(store, "RESIDENTS") == {("E08000031", "2021", ""): (264407.0, None),
                                            ("E05015338", "2022-06-30", ""): (12000.0, None)}  # NA: no breakdown


def test_an_indicator_of_one_sex_and_everyone_values_in_nomis_and_ees(store, tmp_path):
    screening = write(tmp_path, "screening.csv", FT_HEADER + "\n"
                      "93560,Cervical screening coverage (%),,,E08000031,Wolverhampton,UA,Female,25-49 yrs,,,2023,66.2,,,,,,,\n")
    claimants = write(tmp_path, "cc.csv", "DATE_NAME,GEOGRAPHY_NAME,GEOGRAPHY_CODE,GENDER_NAME,AGE_NAME,MEASURE_NAME,"
                      "MEASURES_NAME,OBS_VALUE,URN\n"
                      "February 2026,Wolverhampton,E08000031,Total,All categories: Age 16+,Claimant count,Value,9000,"
                      "Nm-162d1d1\n"
                      "February 2026,Wolverhampton,E08000031,Total,Aged 16-24,Claimant count,Value,1500,Nm-162d1d1\n")
    store.import_files([screening, claimants])
    assert current(store, code_of(store, "93560"), breakdown=None) == {("E08000031", "2023", ""): (66.2, None)}
    assert current(store, code_of(store, "NM_162_1", "Claimant count"), breakdown=None) == {
        ("E08000031", "2026-02", ""): (9000.0, None), ("E08000031", "2026-02", "Aged 16-24"): (1500.0, None)}


@pytest.mark.parametrize("percentage_first", [True, False])
def test_a_councils_own_dictionary_binds_by_name_and_unit_never_a_duplicate(store, tmp_path, percentage_first):
    # The council's dictionary has only code, name, unit, polarity and aliases; the published file
    # holds a Percentage and a Frequency of that name, in either order.
    name = "Household waste sent for reuse, recycling or composting"
    dictionary = write(tmp_path, "dictionary/indicators.csv", "code,name,unit,polarity,aliases\n"
                       f'HWRC,"{name}",%,higher_is_better,recycling rate\n')
    rows_ = [f'E08000031,Wolverhampton,2022/23,"{name}",Percentage,Waste,38.3',
             f'E08000031,Wolverhampton,2022/23,"{name}",Frequency,Waste,41250',
             f'E08000031,Wolverhampton,2021/22,"{name}",Percentage,Waste,37.1',
             f'E08000031,Wolverhampton,2021/22,"{name}",Frequency,Waste,40112']
    published = write(tmp_path, "recycling.csv", TIDY_HEADER + "\n".join(rows_ if percentage_first else rows_[::-1]) + "\n")
    store.import_files([dictionary, published])
    assert current(store, "HWRC") == {("E08000031", "2022/23", ""): (38.3, None),
                                      ("E08000031", "2021/22", ""): (37.1, None)}
    named = store.indicators[store.indicators["name"] == name]
    assert sorted(named["unit"]) == ["%", "count"]  # the Frequency is its own count, HWRC is not repeated
    (count,) = named.index[named["unit"] == "count"]
    assert current(store, count)[("E08000031", "2022/23", "")] == (41250.0, None)
    before = snapshot(store)
    store.import_files([dictionary, published])  # re-import: a no-op, no new entry
    assert snapshot(store) == before


@pytest.mark.parametrize("council, kept, left_out", [("E07000222", "E07", "E10"),   # Warwick, a district
                                                      ("E10000031", "E10", "E07"),   # Warwickshire, a county
                                                      ("E08000031", "E07", "E10")])  # Wolverhampton, both tiers
def test_a_ranking_of_councils_compares_one_tier(empty_store, tmp_path, monkeypatch, capsys, council, kept, left_out):
    # A publication giving districts' and county councils' figures side by side (as Defra's
    # collected-waste tables do): a ranking never puts a county beside its own districts.
    empty_store.import_files([REAL / "ons"])
    places = empty_store.places
    councils = sorted(places.index[places["level"].isin(["local_authority", "county"])
                                   & (places["country_code"] == "E92000001")])
    lines = [f"{code},{places.loc[code, 'name']},2022/23,Widget recycling,Percentage,Waste,"
             f"{(30 + (i * 7) % 40) if not code.startswith('E10') else 80 + i % 10}" for i, code in enumerate(councils)]
    empty_store.import_files([write(tmp_path, "widgets.csv", TIDY_HEADER + "\n".join(
        line.replace(", ", " ") for line in lines) + "\n")])
    monkeypatch.setenv("PERFBOT_COUNCIL", council)
    url = empty_store.engine.url.render_as_string(hide_password=False)
    assert main(["--database", url, "ask", "--json", "Rank the councils in England on widget recycling"]) == 0
    got = json.loads(capsys.readouterr().out)
    ranked = got["ranked"]
    assert ranked and not any(code.startswith(left_out) for code in ranked), got["answer"]
    assert any(code.startswith(kept) for code in ranked), got["answer"]
    tier = "upper tier" if kept == "E10" else "lower tier"
    assert tier in got["answer"].splitlines()[0], got["answer"]
    assert ("County councils are left out" if left_out == "E10" else "Districts are left out") in got["answer"]


# --- EES: columns of markers only, one-total filters, the publication's names ---------------------
def test_an_ees_column_of_markers_only_is_no_breakdown_and_a_one_total_filter_is_everyone(store, tmp_path):
    # PRU absence as published: sess_auth_ext_holiday is 'z' (not applicable) on every row; phase is "Total" throughout.
    header = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
              "old_la_code,new_la_code,la_name,phase,sess_auth_illness,sess_auth_ext_holiday,ass_none_ehc_pc\n")
    path = write(tmp_path, "absence.csv", header +
                 "202223,Academic year,Local authority,E92000001,England,E12000002,North West,358,E08000009,Trafford,"
                 "Total,482,z,12.5\n"
                 "202223,Academic year,National,E92000001,England,,,,,,Total,90210,z,10.1\n")
    report = store.import_files([path])
    illness = code_of(store, "sess_auth_illness")
    assert current(store, illness, breakdown=None) == {("E08000009", "AY 2022/23", ""): (482.0, None),
                                                       ("E92000001", "AY 2022/23", ""): (90210.0, None)}
    assert rows(store, "SELECT count(*) FROM observation WHERE breakdown IN ('z', 'Total')") == [(0,)]
    assert rows(store, "SELECT count(*) FROM indicator WHERE source_indicator = 'sess_auth_ext_holiday'") == [(0,)]
    assert report.files[0].details["columns with no value"] == ["sess_auth_ext_holiday (only z)"]
    entry = store.indicators.loc[illness]
    assert (entry["name"], entry["unit"], entry["decimals"]) == ("Sessions authorised illness", "count", 0)
    share = store.indicators.loc[code_of(store, "ass_none_ehc_pc")]
    assert (share["name"], share["unit"]) == ("Assessments none EHC percent", "%")


def test_ees_indicators_are_named_as_the_publications_metadata_file_names_them(store, tmp_path):
    data = write(tmp_path, "pub/absence.csv", EES_HEADER + "\n"
                 "202425,Academic year,Local authority,E92000001,England,E12000002,North West,358,E08000009,Trafford,"
                 "Total,120,12.5\n")
    write(tmp_path, "pub/absence.meta.csv", "col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp\n"
          "sex,Filter,Sex,,,\npupils_number,Indicator,Number of pupils,,,0\n"
          "pupils_percent,Indicator,Percentage of pupils eligible for free school meals,,%,1\n")
    report = store.import_files([data.parent])  # the folder: the metadata file is read with its data, not as data
    assert [f.path.name for f in report.files] == ["absence.csv"]
    percent = store.indicators.loc[code_of(store, "pupils_percent")]
    assert (percent["name"], percent["unit"]) == ("Percentage of pupils eligible for free school meals", "%")
    assert store.indicators.loc[code_of(store, "pupils_number"), "name"] == "Number of pupils"
    before = snapshot(store)
    store.import_files([data.parent])  # re-import: a no-op
    assert snapshot(store) == before


def test_a_count_is_shown_as_a_whole_number(store, tmp_path):
    from bot.core.bot import Bot
    from bot.core.messages import Message
    dictionary = write(tmp_path, "dictionary/indicators.csv", "code,name,unit,polarity,aliases\n"
                       "TROLLEYS,Abandoned shopping trolleys reported,count,lower_is_better,\n")
    published = write(tmp_path, "ta.csv", TIDY_HEADER +
                      "E08000031,Wolverhampton,2022/23,Abandoned shopping trolleys reported,Number,count,41250\n")
    store.import_files([dictionary, published])
    assert store.indicators.loc["TROLLEYS", "decimals"] == 0
    question = "abandoned shopping trolleys reported in Wolverhampton in 2022/23"
    answer = Bot(store, today=lambda: FIXED_NOW.date()).answer(
        Message(question, None, question, channel="console"), render_charts=False).facts["answer"]
    assert "41,250" in answer and "41,250.0" not in answer
    store.import_files([write(tmp_path, "dictionary/indicators.csv", "code,name,unit,polarity,aliases,decimals\n"
                              "TROLLEYS,Abandoned shopping trolleys reported,count,lower_is_better,,1\n")])
    assert store.indicators.loc["TROLLEYS", "decimals"] == 1  # (a dictionary saying 1: a whole count still whole)
    answer = Bot(store, today=lambda: FIXED_NOW.date()).answer(
        Message(question, None, question, channel="console"), render_charts=False).facts["answer"]
    assert "41,250" in answer and "41,250.0" not in answer
