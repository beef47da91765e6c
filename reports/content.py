"""What a quarter's corporate performance report says, read from the store as at a date: each
indicator at its newest council value within the quarter (annual measures at their newest year),
with its target, RAG, direction of travel, comparison with the region and England, commentary, the
improvement actions recorded for it and how many quarterly reports in a row it has been red —
grouped by service — and the quarter's returns still outstanding. A measure whose value for the
quarter is not in is shown at its previous value, marked as carried; a quarter not over by the
date is a partial report, and one not begun is refused."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import select

from data_access.models import ImprovementAction, ReportComment
from data_access.periods import QUARTER, Period, parse_period
from data_access.store import Store
from schedules.returns import Return, outstanding_returns

PERSISTENT_QUARTERS = 2  # red for this many periods in successive reports: escalated
LOOK_BACK = 8


@dataclass(frozen=True)
class Action:
    """An improvement action: what, who leads it, by when."""

    indicator_code: str
    action: str
    lead: str
    due: date | None
    recorded_by: str


@dataclass
class Measure:
    """One indicator as the report shows it."""

    code: str
    name: str
    service: str
    unit: str
    decimals: int
    polarity: str
    frequency: str
    oba_category: str
    owner_email: str
    owner_name: str
    period: str | None = None
    value: float | None = None
    target: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    rag: str | None = None
    previous: str | None = None
    previous_value: float | None = None
    direction: str | None = None
    region_value: float | None = None
    vs_region: str | None = None
    england_value: float | None = None
    vs_england: str | None = None
    commentary: str | None = None
    in_quarter: bool = False
    red_quarters: int = 0
    actions: list[Action] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)

    @property
    def carried(self) -> bool:
        """True when the value shown is from before the quarter (its return for the quarter is not in)."""
        return self.value is not None and not self.in_quarter

    @property
    def persistent(self) -> bool:
        """Red for PERSISTENT_QUARTERS periods or more in successive reports: for escalation."""
        return self.red_quarters >= PERSISTENT_QUARTERS


@dataclass
class ServiceReport:
    """One service's measures, its director and its cabinet member's comment."""

    name: str
    portfolio: str
    director: str
    measures: list[Measure]
    cabinet_comment: str | None = None

    def count(self, rag: str | None) -> int:
        """How many of its measures have this RAG (None: no target)."""
        return sum(1 for m in self.measures if m.value is not None and m.rag == rag)

    @property
    def reds(self) -> list[Measure]:
        """Its red measures."""
        return [m for m in self.measures if m.rag == "red"]


@dataclass
class Report:
    """A quarter's report for the whole council or some services."""

    council_name: str
    council_code: str
    region_name: str
    quarter: Period
    services: list[ServiceReport]
    as_at: date
    history: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)  # evaluated values of the council, region, England

    @property
    def measures(self) -> list[Measure]:
        """Every measure, service by service."""
        return [m for s in self.services for m in s.measures]

    @property
    def partial(self) -> bool:
        """True when the quarter is not over by the date the report is as at."""
        return self.as_at <= self.quarter.end

    @property
    def returns(self) -> list[Return]:
        """The quarter's returns still outstanding, service by service."""
        return [r for m in self.measures for r in m.returns]


class UnknownService(ValueError):
    """A service asked for is not in the data dictionary."""


class QuarterNotBegun(ValueError):
    """The quarter asked for starts after the date the report would be as at; `newest` is the
    newest quarter that has begun."""

    def __init__(self, quarter: Period, newest: Period) -> None:
        super().__init__(f"{quarter.label} has not begun: it starts on {quarter.start:%-d %B %Y}. The newest quarter "
                         f"to report on is {newest.label}.")
        self.newest = newest


def quarter_label(text: str) -> Period:
    """The quarter named by a label such as '2026/27 Q2' (ValueError when it is not a quarter)."""
    period = parse_period(text)
    if period.kind != QUARTER:
        raise ValueError(f"“{text}” is not a financial-year quarter: write it as “2026/27 Q2”.")
    return period


def quarter_words(quarter: Period) -> str:
    """'2026/27 Q2 (July to September 2026)'."""
    return f"{quarter.label} ({quarter.start:%B} to {quarter.end:%B %Y})"


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def as_of(evaluated: pd.DataFrame, end: date) -> pd.DataFrame:
    """Each indicator's newest row with a value whose period ends by `end`."""
    rows = evaluated[evaluated["period_end"] <= pd.Timestamp(end)]
    return rows.sort_values("period_end", kind="stable").groupby("indicator_code").tail(1).set_index("indicator_code")


def build_report(store: Store, quarter: Period, services: list[str] | None = None, as_at: date | None = None) -> Report:
    """Everything the report for `quarter` says as at `as_at` (default: the store's today), for all
    services or the ones named; QuarterNotBegun for a quarter that starts later."""
    as_at = as_at or store.clock().date()
    if as_at < quarter.start:
        newest = quarter.shift(-1)
        while newest.start > as_at:
            newest = newest.shift(-1)
        raise QuarterNotBegun(quarter, newest)
    council = store.council_code() or ""
    indicators = store.indicators
    known = sorted(s for s in indicators["service"].dropna().unique())
    chosen = _chosen_services(known, services)
    places = store.places
    region, country = places["region_code"].get(council), places["country_code"].get(council)
    everything = store.evaluate(store.observations(geography_codes=[c for c in (council, region, country)
                                                                     if isinstance(c, str)]))
    own = everything[(everything["geography_code"] == council) & (everything["breakdown"] == "")
                     & everything["value"].notna()]
    newest = as_of(own, quarter.end)
    red_runs = _red_runs(own, quarter)
    actions = _actions(store, quarter)
    comments = _comments(store, quarter)
    owed = _returns_in(store, quarter, as_at)
    people = {p.email: p for p in store.people()}
    report_services = []
    for service in chosen:
        rows = indicators[indicators["service"] == service]
        measures = [_measure(info, newest, quarter, people, red_runs, actions, owed) for info in rows.itertuples()]
        directors = [p.name for p in people.values() if "director" in (p.roles or "") and p.service == service]
        portfolio = str(rows["portfolio"].dropna().iloc[0]) if rows["portfolio"].notna().any() else ""
        report_services.append(ServiceReport(service, portfolio, ", ".join(directors) or "no director recorded",
                                             measures, comments.get(service)))
    history = everything[everything["geography_code"].isin([council, region, country]) & (everything["breakdown"] == "")
                         & everything["value"].notna() & (everything["period_end"] <= pd.Timestamp(quarter.end))]
    return Report(str(places["name"].get(council, council)), council,
                  str(places["name"].get(region, "the region")) if region else "the region", quarter, report_services,
                  as_at, history)


def _chosen_services(known: list[str], wanted: list[str] | None) -> list[str]:
    if not wanted:
        return known
    by_word = {s.lower(): s for s in known}
    chosen = []
    for name in wanted:
        found = by_word.get(name.strip().lower())
        if found is None:
            raise UnknownService(f"There is no service called “{name}”: the services are {', '.join(known)}.")
        chosen.append(found)
    return chosen


def _measure(info, newest: pd.DataFrame, quarter: Period, people: dict, red_runs: dict[str, int],
             actions: dict[str, list[Action]], owed: dict[str, list[Return]]) -> Measure:
    owner = info.owner_email if isinstance(info.owner_email, str) else ""
    measure = Measure(info.code, info.name, info.service, info.unit, int(info.decimals), info.polarity,
                      _text(info.frequency) or "", (_text(info.oba_category) or "").replace("_", " "), owner,
                      people[owner].name if owner in people else (owner or "no owner recorded"),
                      red_quarters=red_runs.get(info.code, 0), actions=actions.get(info.code, []),
                      returns=owed.get(info.code, []))
    if info.code not in newest.index:
        return measure
    row = newest.loc[info.code]
    measure.period = str(row["period"])
    measure.value = _number(row["value"])
    measure.target, measure.target_low, measure.target_high = (_number(row[c]) for c in ("target", "target_low", "target_high"))
    measure.rag = _text(row["rag"])
    measure.previous, measure.previous_value = _text(row["previous"]), _number(row["previous_value"])
    measure.direction = _text(row["previous_direction"])
    measure.region_value, measure.vs_region = _number(row["region_value"]), _text(row["vs_region"])
    measure.england_value, measure.vs_england = _number(row["england_value"]), _text(row["vs_england"])
    measure.commentary = _text(row["commentary"])
    measure.in_quarter = info.frequency == "annual" or row["period_end"] >= pd.Timestamp(quarter.start)
    return measure


def _returns_in(store: Store, quarter: Period, as_at: date) -> dict[str, list[Return]]:
    """The returns for periods within the quarter (months or the quarter itself) still outstanding
    as at `as_at`, by indicator."""
    found: dict[str, list[Return]] = {}
    for owed in outstanding_returns(store, as_at):
        period = parse_period(owed.period)
        if quarter.start <= period.start and period.end <= quarter.end:
            found.setdefault(owed.indicator_code, []).append(owed)
    return found


def _red_runs(own: pd.DataFrame, quarter: Period) -> dict[str, int]:
    """For each indicator, how many distinct periods it was shown red in the quarterly reports in a
    row back from this one (a report repeating last quarter's value does not count it twice)."""
    red_periods: dict[str, set[str]] = {}
    still: set[str] | None = None
    for back in range(LOOK_BACK):
        shown = as_of(own, quarter.shift(-back).end)
        red = shown[shown["rag"] == "red"]
        still = set(red.index) if still is None else still & set(red.index)
        if not still:
            break
        for code in still:
            red_periods.setdefault(code, set()).add(str(red.at[code, "period"]))
    return {code: len(periods) for code, periods in red_periods.items()}


def _actions(store: Store, quarter: Period) -> dict[str, list[Action]]:
    """The improvement actions recorded for the quarter's report, by indicator, oldest first."""
    with store.sessions() as session:
        rows = session.scalars(select(ImprovementAction).where(ImprovementAction.quarter == quarter.label)
                               .order_by(ImprovementAction.id)).all()
    found: dict[str, list[Action]] = {}
    for row in rows:
        found.setdefault(row.indicator_code, []).append(Action(row.indicator_code, row.action, row.lead, row.due,
                                                               row.recorded_by))
    return found


def _comments(store: Store, quarter: Period) -> dict[str, str]:
    """The cabinet members' comments on the quarter's report, by service."""
    with store.sessions() as session:
        rows = session.scalars(select(ReportComment).where(ReportComment.quarter == quarter.label)).all()
    return {row.service: row.comment for row in rows}
