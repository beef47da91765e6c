"""Benchmark of importing the national formats as published: a generated Fingertips-format export
and a generated wide DfE explore-education-statistics file, each imported through
`Store.import_files` into a fresh SQLite file (with the ONS lookup for its places).

    python benchmarks/bench_import.py                         # 500,000 Fingertips rows, 200,000 EES rows
    python benchmarks/bench_import.py --fingertips 100000 --ees 50000

The Fingertips file: 50 indicators (quoted names with an embedded newline, CRLF line endings,
ragged 25-field rows under a 26-column header, CIs, counts and denominators, about 1% blank
values) for every England local authority, region and England, Sex Persons/Male/Female, over
enough years. The EES file: 10 indicator columns, `sex` and `phase` filters, `202425`-style academic years
(2000/01 to 2019/20: a value for a year not yet ended is refused)
and about 1% of cells `c`, `x`, `z` or `low`. Goal (issue 15): at least 50,000 values/s on SQLite.
The publication workbook (issue 25): a cover and contents, then one sheet per category with title
rows over a header of 100 quarter columns, every England council, region and England; goal: a
10 MB workbook in 10 s or less.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data_access.store import Store  # noqa: E402

LOOKUP = ROOT / "tests" / "data" / "real" / "ons" / "ward_lad_cty_rgn_ctry_may2024.csv"
FT_HEADER = ("Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,"
             "Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,"
             "Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,"
             "Compared to Region value or percentiles,Time period Sortable,New data,Compared to goal")


def places() -> pd.DataFrame:
    """England's local authorities, regions and England, from the ONS lookup."""
    lookup = pd.read_csv(LOOKUP, dtype=str, encoding="utf-8-sig")
    england = lookup[lookup["CTRY24CD"] == "E92000001"]
    las = england[["LAD24CD", "LAD24NM"]].drop_duplicates().set_axis(["code", "name"], axis=1)
    regions = england[["RGN24CD", "RGN24NM"]].drop_duplicates().set_axis(["code", "name"], axis=1)
    return pd.concat([las, regions, pd.DataFrame({"code": ["E92000001"], "name": ["England"]})], ignore_index=True)


def fingertips_file(path: Path, rows: int, where: pd.DataFrame, rng: np.random.Generator) -> None:
    """A Fingertips export of about `rows` rows."""
    sexes = ["Persons", "Male", "Female"]
    per_year = 50 * len(where) * len(sexes)
    years = max(1, -(-rows // per_year))
    n = per_year * years
    indicator = np.repeat(np.arange(50), n // 50)
    place = np.tile(np.repeat(np.arange(len(where)), len(sexes) * years), 50)
    sex = np.tile(np.repeat(np.arange(3), years), 50 * len(where))
    year = np.tile(np.arange(years), 50 * len(where) * 3) + 2000
    value = rng.normal(100, 15, n).round(6)
    cells = pd.DataFrame({
        "id": indicator + 90000, "name": [f'"Indicator {i} rate per 100,000\n"' for i in indicator],
        "code": where["code"].to_numpy()[place], "area": where["name"].str.replace(",", " ").to_numpy()[place],
        "sex": np.asarray(sexes)[sex], "year": year,
        "value": np.where(rng.random(n) < 0.01, "", value.astype(str)),
        "low": (value - 5).round(6), "high": (value + 5).round(6), "count": rng.integers(10, 5000, n),
        "denominator": rng.integers(10_000, 900_000, n)}).head(rows)
    lines = (cells["id"].astype(str) + "," + cells["name"] + ",,," + cells["code"] + "," + cells["area"] + ",LA,"
             + cells["sex"] + ",All ages,,," + cells["year"].astype(str) + "," + cells["value"] + ","
             + cells["low"].astype(str) + "," + cells["high"].astype(str) + ",,," + cells["count"].astype(str) + ","
             + cells["denominator"].astype(str) + ",,,Similar,Similar," + cells["year"].astype(str) + "0000,")
    path.write_bytes((FT_HEADER + "\r\n" + "\r\n".join(lines) + "\r\n").encode())


def ees_file(path: Path, rows: int, where: pd.DataFrame, rng: np.random.Generator) -> None:
    """A wide EES file of `rows` rows and ten indicator columns."""
    las = where[where["code"].str[:3].isin(["E06", "E07", "E08", "E09"])].reset_index(drop=True)
    sexes = ["Total", "Boys", "Girls"]
    per_year = len(las) * len(sexes)
    place = np.tile(np.repeat(np.arange(len(las)), 3), -(-rows // per_year))[:rows]
    sex = np.tile(np.arange(3), -(-rows // 3))[:rows]
    block = np.arange(rows) // per_year
    year = block % 20 + 2000  # twenty past academic years, then the next school phase (a filter)
    frame = pd.DataFrame({
        "time_period": [f"{y}{(y + 1) % 100:02d}" for y in year], "time_identifier": "Academic year",
        "geographic_level": "Local authority", "country_code": "E92000001", "country_name": "England",
        "region_code": "", "region_name": "", "old_la_code": "", "new_la_code": las["code"].to_numpy()[place],
        "la_name": las["name"].to_numpy()[place], "sex": np.asarray(sexes)[sex],
        "phase": [f"Phase {p + 1}" for p in block // 20]})
    for k in range(10):
        values = rng.normal(50, 10, rows).round(1).astype(str)
        markers = rng.choice(["c", "x", "z", "low"], rows)
        frame[f"measure_{k}_percent"] = np.where(rng.random(rows) < 0.01, markers, values)
    frame.to_csv(path, index=False)


def workbook_file(path: Path, sheets: int, where: pd.DataFrame, rng: np.random.Generator) -> None:
    """A publication-style .xlsx: a cover and a contents sheet, then `sheets` data sheets (one per
    category, named in each title), each with title rows, a header of quarter columns ('1996 Q1' …
    with a '[p]' flag on the last) over every England council, region and England, and notes below."""
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    book.create_sheet("Cover").append(["Widget statistics: benchmark workbook"])
    book.create_sheet("Contents").append(["Contents"])
    quarters = [f"{year} Q{q}" for year in range(1996, 2021) for q in range(1, 5)]
    header = ["Area code", "Area name"] + quarters[:-1] + [quarters[-1] + " [p]"]
    codes, names = where["code"].tolist(), where["name"].tolist()
    for number in range(sheets):
        sheet = book.create_sheet(f"T{number + 1}")
        sheet.append([f"Table {number + 1}: Widgets of kind K{number + 1} by local authority, England"])
        sheet.append([])
        sheet.append(header)
        values = rng.normal(1000, 200, (len(codes), len(quarters))).round(1)
        for code, name, line in zip(codes, names, values.tolist()):
            sheet.append([code, name] + line)
        sheet.append([])
        sheet.append(["Source: benchmark"])
    book.save(path)


def timed_import(store: Store, path: Path) -> tuple[float, int]:
    """Seconds to import `path` and the number of values (observations) it wrote; prints the CPU
    seconds the import took as well (on a shared machine the wall clock counts other work too)."""
    started, cpu = time.perf_counter(), time.process_time()
    report = store.import_files([path])
    seconds = time.perf_counter() - started
    print(f"  ({path.name}: {seconds:.1f} s wall clock, {time.process_time() - cpu:.1f} s CPU)")
    return seconds, report.files[0].added


def main() -> None:
    """Generate both files, import each and print the speeds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fingertips", type=int, default=500_000, help="rows of the Fingertips export")
    parser.add_argument("--ees", type=int, default=200_000, help="rows of the wide EES file")
    parser.add_argument("--workbook-sheets", type=int, default=60,
                        help="data sheets of the publication-style workbook (60: about 10 MB)")
    args = parser.parse_args()
    rng = np.random.default_rng(15)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        where = places()
        fingertips_file(root / "fingertips.csv", args.fingertips, where, rng)
        ees_file(root / "ees.csv", args.ees, where, rng)
        workbook_file(root / "publication.xlsx", args.workbook_sheets, where, rng)
        store = Store.open(f"sqlite:///{root / 'bench.db'}")
        store.import_files([LOOKUP])
        for name, path in (("Fingertips export", root / "fingertips.csv"), ("wide EES file", root / "ees.csv")):
            seconds, values = timed_import(store, path)
            print(f"{name}: {values:,} values in {seconds:.1f} s = {values / seconds:,.0f} values/s")
        seconds, _ = timed_import(store, root / "fingertips.csv")
        print(f"re-import of the Fingertips export (a no-op): {seconds:.1f} s")
        size = (root / "publication.xlsx").stat().st_size / 2 ** 20
        seconds, values = timed_import(store, root / "publication.xlsx")
        print(f"publication workbook ({size:.1f} MB, {args.workbook_sheets} data sheets): {values:,} values in "
              f"{seconds:.1f} s = {values / seconds:,.0f} values/s")
        store.engine.dispose()


if __name__ == "__main__":
    main()
