"""Reads the data files the corpus is about — the demo council's CSVs and the published real
files — and answers what a careful analyst would look up: the newest value of an indicator for a
place, the wards in order, the red measures. Used only to write the corpus's expectations
(tests/corpus/build.py); never asks perfbot anything."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from data_access.periods import parse_period

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data_access" / "sample_data" / "demo-council"
REAL = ROOT / "tests" / "data" / "real"

COUNCIL = "E08000031"
REGION = "E12000005"
ENGLAND = "E92000001"
TRAFFORD = "E08000009"


def canonical(label: str) -> str:
    """The canonical label of a period as perfbot writes it."""
    return parse_period(label).label


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


class Series:
    """Values keyed by (indicator, place, breakdown), each a {period label: value} map."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)

    def add(self, indicator: str, place: str, period: str, value: float | None, breakdown: str = "") -> None:
        """Record one value (missing values are not recorded)."""
        if value is not None:
            self.values[(indicator, place, breakdown)][canonical(period)] = value

    def periods(self, indicator: str, place: str, breakdown: str = "") -> list[str]:
        """The periods with a value, oldest first."""
        return sorted(self.values.get((indicator, place, breakdown), {}), key=lambda p: parse_period(p).sort_key())

    def at(self, indicator: str, place: str, period: str, breakdown: str = "") -> float | None:
        """The value for one period, or None."""
        return self.values.get((indicator, place, breakdown), {}).get(canonical(period))

    def latest(self, indicator: str, places: list[str], breakdown: str = "") -> str | None:
        """The newest period that every one of `places` has a value for."""
        common = None
        for place in places:
            have = set(self.periods(indicator, place, breakdown))
            common = have if common is None else common & have
        if not common:
            return None
        return max(common, key=lambda p: parse_period(p).sort_key())


class DemoCouncil:
    """The demo council's data dictionary, places, values, targets and people."""

    def __init__(self) -> None:
        self.indicators = {row["code"]: row for row in _rows(DEMO / "indicators.csv")}
        self.places = {row["code"]: row for row in _rows(DEMO / "geographies.csv")}
        self.people = {row["email"]: row for row in _rows(DEMO / "people.csv")}
        self.targets = {(row["indicator_code"], row["period"]): row for row in _rows(DEMO / "targets.csv")}
        self.series = Series()
        for row in _rows(DEMO / "observations.csv"):
            self.series.add(row["indicator_code"], row["geography_code"], row["period"], _number(row["value"]))

    def wards(self) -> list[str]:
        """The council's wards."""
        return [code for code, row in self.places.items() if row["level"] == "ward"]

    def councils(self) -> list[str]:
        """The region's local authorities."""
        return [code for code, row in self.places.items() if row["level"] == "local_authority"]

    def code(self, name: str) -> str:
        """The code of a place by its exact name."""
        return next(code for code, row in self.places.items() if row["name"] == name)

    def ranked(self, indicator: str, places: list[str], highest_first: bool, period: str | None = None,
               top: int | None = None) -> tuple[str, list[str | list[str]]]:
        """(period, places in order) at the newest period all have; places tied on a value form a
        list of their own (any order within it is right); cut after the group holding place `top`."""
        having = [p for p in places if self.series.periods(indicator, p)]
        period = period or self.series.latest(indicator, having)
        values = sorted(((self.series.at(indicator, p, period), p) for p in having), reverse=highest_first)
        groups: list[list[str]] = []
        for number, (value, place) in enumerate(values):
            if number and values[number - 1][0] == value:
                groups[-1].append(place)
            else:
                groups.append([place])
        order: list[str | list[str]] = []
        covered = 0
        for group in groups:
            if top is not None and covered >= top:
                break
            order.append(group[0] if len(group) == 1 else sorted(group))
            covered += len(group)
        return period, order

    def target(self, indicator: str, year: str) -> float | list[float] | None:
        """The council's target for a financial year (a [low, high] range for in-range measures)."""
        row = self.targets.get((indicator, year))
        if row is None:
            return None
        if row["target"]:
            return float(row["target"])
        return [float(row["target_low"]), float(row["target_high"])]

    def rag(self, indicator: str) -> str | None:
        """The council's RAG status at the newest value, by the data README's rule."""
        period = self.series.latest(indicator, [COUNCIL])
        row = self.targets.get((indicator, parse_period(period).financial_year.label))
        polarity = self.indicators[indicator]["polarity"]
        if row is None or polarity == "neutral":
            return None
        value = self.series.at(indicator, COUNCIL, period)
        tolerance = float(row["amber_tolerance"])
        if polarity == "in_range":
            low, high = float(row["target_low"]), float(row["target_high"])
            if low <= value <= high:
                return "green"
            return "amber" if low - tolerance <= value <= high + tolerance else "red"
        target = float(row["target"])
        gap = value - target if polarity == "higher_is_better" else target - value
        if gap >= 0:
            return "green"
        return "amber" if gap >= -tolerance - 1e-9 else "red"

    def red(self, service: str | None = None) -> list[str]:
        """The red indicators, optionally of one service."""
        return sorted(code for code, row in self.indicators.items()
                      if self.rag(code) == "red" and (service is None or row["service"] == service))


class RealData:
    """The published files in tests/data/real (and, when another helper adds them, Fingertips,
    Nomis and DfE extracts), read as an analyst reads them."""

    def __init__(self, folder: Path = REAL) -> None:
        self.folder = folder
        self.series = Series()
        self.names: dict[str, str] = {}
        for row in _rows(folder / "ons" / "ward_lad_cty_rgn_ctry_may2024.csv"):
            self.names[row["WD24CD"]] = row["WD24NM"]
            self.names[row["LAD24CD"]] = row["LAD24NM"]
        for path in sorted(folder.glob("trafford/**/*.csv")):
            if path.name in ("cipfa2021.csv", "cssn.csv"):
                continue
            for row in _rows(path):
                breakdown = row.get("inequality") or ""
                key = f"{path.stem}:{row['measure']}:{row['indicator']}"
                self.series.add(key, row["area_code"], row["period"], _number(row["value"]),
                                "" if breakdown == "NA" else breakdown)
                self.names.setdefault(row["area_code"], row["area_name"])
        self.cipfa = [row["area_code"] for row in _rows(folder / "trafford" / "cipfa2021.csv")]
        self.cssn = [row["area_code"] for row in _rows(folder / "trafford" / "cssn.csv")]

    def wards(self) -> list[str]:
        """Trafford's wards (those in the ward profiles)."""
        return sorted(code for (key, code, _) in self.series.values
                      if key.startswith("total_resident_population:") and code.startswith("E05"))

    def key(self, stem: str, measure: str, indicator: str | None = None) -> str:
        """The series key of a file's measure (and indicator, when a file has several)."""
        return next(k for k, _, _ in self.series.values
                    if k.startswith(f"{stem}:{measure}:") and indicator in (None, k.split(":", 2)[2]))

    def code(self, name: str) -> str:
        """A place's code by its exact name (Trafford's wards and the councils in the files)."""
        return next(code for code, known in self.names.items() if known == name and code.startswith(("E05015", "E0", "E1", "E9")))


def fingertips(folder: Path) -> Series:
    """The Fingertips export: (indicator id, area, breakdown) with the breakdown '', 'Age 0-9 yrs' or a decile."""
    series = Series()
    for row in _rows(folder / "fingertips" / "indicators-CountyUA.data.csv"):
        breakdown = row["Category"] or ("" if row["Age"] == "All ages" else row["Age"])
        if row["Category"] and row["Category Type"].startswith("District"):
            breakdown = "district " + breakdown
        series.add(row["Indicator ID"], row["Area Code"], row["Time period"], _number(row["Value"]), breakdown)
    return series


def nomis(folder: Path) -> Series:
    """The Nomis population file: one value per place (the district and county rows are the same place)."""
    series = Series()
    for row in _rows(folder / "nomis" / "population_estimates_lad_2021.csv"):
        series.add("population", row["GEOGRAPHY_CODE"], row["DATE_NAME"], _number(row["OBS_VALUE"]))
    return series


def dfe(folder: Path) -> tuple[Series, list[str]]:
    """The DfE workforce file: one series per measure column, keyed by place code (LA, region, England)."""
    rows = _rows(folder / "dfe" / "csww_indicators_2017_to_2025.csv")
    measures = list(rows[0])[10:]
    series = Series()
    for row in rows:
        place = {"National": row["country_code"], "Regional": row["region_code"]}.get(row["geographic_level"], row["new_la_code"])
        for measure in measures:
            series.add(measure, place, row["time_period"], _number(row[measure]))
    return series, measures
