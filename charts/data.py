"""The plain data each chart is drawn from, and the rendered chart.

These are small frozen dataclasses with no link to the store: the core (or the gallery, from the
demo CSVs) fills them in, and the renderers only read them. Units are the indicator units of the
data dictionary (`%`, `count`, `per 1,000`, `per 10,000`, `per 100,000`, `years`, `days`, `kg`);
polarity is `higher_is_better`, `lower_is_better`, `in_range` or `neutral`; a RAG status is
`'red'`, `'amber'`, `'green'` or None (no target). Period labels are the store's (`2026-10`,
`2026/27 Q2`, `2025/26`); month labels are shown as `Oct 2026`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Point:
    """One value of a series: its period, when the period starts (and ends, when known), its RAG."""

    period_label: str
    start: date
    value: float | None
    rag: str | None = None
    end: date | None = None


@dataclass(frozen=True)
class Series:
    """A named series of points, oldest first (a comparator such as the region or England)."""

    name: str
    points: tuple[Point, ...] | list[Point]


@dataclass(frozen=True)
class TargetSpan:
    """The target for one financial year: a single `target`, or a `low`–`high` band (in_range)."""

    label: str
    start: date
    end: date
    target: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Bar:
    """One place and its value in a comparison or ranking (`code` is the ONS code, if any)."""

    name: str
    value: float | None
    code: str | None = None


@dataclass(frozen=True)
class TrendData:
    """An indicator over time for one place (points oldest first), with the targets of its
    financial years and comparator series. `period_label` describes the whole span (e.g.
    '2021-04 to 2026-10'); when empty it is made from the first and last points."""

    indicator_name: str
    unit: str
    decimals: int
    polarity: str
    place_name: str
    points: tuple[Point, ...] | list[Point]
    targets: tuple[TargetSpan, ...] | list[TargetSpan] = ()
    comparators: tuple[Series, ...] | list[Series] = ()
    source: str = ""
    period_label: str = ""


@dataclass(frozen=True)
class ComparisonData:
    """One place's value for a period next to its comparators (city, region, England, councils)."""

    indicator_name: str
    unit: str
    decimals: int
    polarity: str
    period_label: str
    subject: Bar
    comparators: tuple[Bar, ...] | list[Bar]
    source: str = ""


@dataclass(frozen=True)
class RankingData:
    """Places ranked on an indicator (bars already in rank order), one of them highlighted.

    `reference` holds (name, value) lines such as the city and England values; `scope_name`
    names the set ranked, e.g. "Wolverhampton wards".
    """

    indicator_name: str
    unit: str
    decimals: int
    polarity: str
    period_label: str
    bars: tuple[Bar, ...] | list[Bar]
    highlight_code: str | None = None
    reference: tuple[tuple[str, float], ...] | list[tuple[str, float]] = ()
    source: str = ""
    scope_name: str = ""


@dataclass(frozen=True)
class ScorecardData:
    """How many measures of a service, portfolio or the council are red, amber, green or untargeted.

    `counts` maps 'red', 'amber', 'green' and 'none' to a number of measures (a missing key is 0);
    `red_names` names the red measures.
    """

    scope_name: str
    period_note: str
    counts: dict[str, int] = field(default_factory=dict)
    red_names: tuple[str, ...] | list[str] = ()
    source: str = ""


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes, alt text saying in words what it shows, and its title."""

    png: bytes
    alt_text: str
    title: str
