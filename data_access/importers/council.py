"""Importers for a council's own files (the demo-council format in data/README.md): places,
the indicator dictionary, targets, people, delegates, the reporting calendar and observations."""
from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.importers.observations import (WriteResult, canonical_periods, check_ended,
                                                check_places_and_indicators, drop_duplicates, write_observations)
from data_access.importers.dictionary import unit_key
from data_access.importers.markers import reasons
from data_access.importers.reading import Table
from data_access.importers.upsert import distinct_rows, upsert_rows
from data_access.models import (FREQUENCIES, LEVELS, POLARITIES, Delegate, Forecast, Geography, Indicator, Person,
                                ReportingDeadline, Target)
from data_access.periods import FINANCIAL_YEAR, MONTH, QUARTER, PeriodError, containing, parse_period


def _optional(value: str) -> str | None:
    return value.strip() or None


def _check_choice(table: Table, column: str, allowed: tuple[str, ...]) -> pd.Series:
    values = table.required_text(column)
    bad = np.flatnonzero((~values.isin(allowed) & (values != "")).to_numpy())
    if len(bad):
        table.flag(lambda row: f"'{values.iloc[row]}' is not allowed; expected one of {', '.join(allowed)}", bad, column)
    return values


def import_geographies(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """Places: code, name, level, parent_code (parents may come later in the same file)[, aliases:
    everyday names, `;`-separated]."""
    table.require("code", "name", "level", "parent_code")
    codes = table.required_text("code")
    names = table.required_text("name")
    levels = _check_choice(table, "level", LEVELS)
    parents = table.text("parent_code")
    aliases = table.text("aliases") if "aliases" in table.columns else None
    known = set(codes) | set(session.scalars(select(Geography.code).where(Geography.code.in_(set(parents) - {""}))))
    unknown = np.flatnonzero((~parents.isin(known) & (parents != "")).to_numpy())
    if len(unknown):
        table.flag(lambda row: f"unknown parent place '{parents.iloc[row]}'; it must be in this file or already "
                               "in the store", unknown, "parent_code")
    rows = distinct_rows(table, [{"code": c, "name": n, "level": lv, "parent_code": p or None,
                                  **({"aliases": aliases.iloc[i]} if aliases is not None else {})}
                                 for i, (c, n, lv, p) in enumerate(zip(codes, names, levels, parents))],
                         ("code",), "place code")
    rows.sort(key=lambda row: LEVELS.index(row["level"]), reverse=True)
    return upsert_rows(session, Geography, ("code",), rows, actor, now, "geography")


def import_indicators(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """The data dictionary: one indicator per row."""
    table.require("code", "name", "unit", "polarity")
    codes = table.required_text("code")
    polarity = _check_choice(table, "polarity", POLARITIES)
    frequency = table.text("frequency") if "frequency" in table.columns else pd.Series("", index=codes.index)
    bad = np.flatnonzero((~frequency.isin(("",) + FREQUENCIES)).to_numpy())
    if len(bad):
        table.flag(lambda row: f"'{frequency.iloc[row]}' is not a frequency; expected {', '.join(FREQUENCIES)}",
                   bad, "frequency")
    names, units = table.required_text("name"), table.required_text("unit")
    whole = units.map(lambda unit: 0.0 if unit_key(unit) == "count" else 1.0)  # a count is a whole number
    decimals = table.numbers("decimals").fillna(whole) if "decimals" in table.columns else whole

    def column(name: str) -> list[str | None]:
        return [_optional(v) for v in table.text(name)] if name in table.columns else [None] * len(codes)

    optional = {name: column(name) for name in ("aliases", "service", "portfolio", "oba_category", "owner_email",
                                                  "source", "geography_levels", "description",
                                                  "source_indicator", "source_measure", "measure")}
    rows = []
    for i, code in enumerate(codes):
        rows.append({
            "code": code, "name": names.iloc[i], "aliases": optional["aliases"][i] or "",
            "unit": units.iloc[i], "polarity": polarity.iloc[i], "frequency": frequency.iloc[i] or None,
            "service": optional["service"][i], "portfolio": optional["portfolio"][i],
            "oba_category": optional["oba_category"][i], "owner_email": (optional["owner_email"][i] or "").lower() or None,
            "decimals": int(decimals.iloc[i]), "source": optional["source"][i],
            "geography_levels": optional["geography_levels"][i] or "", "description": optional["description"][i],
            **{name: optional[name][i] for name in ("source_indicator", "source_measure", "measure")
               if name in table.columns},
        })
    return upsert_rows(session, Indicator, ("code",), distinct_rows(table, rows, ("code",), "indicator code"),
                       actor, now, "indicator")


def import_targets(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """Targets per indicator, place and financial year, with amber tolerance or a low/high band."""
    table.require("indicator_code", "geography_code", "period", "amber_tolerance")
    frame = pd.DataFrame({"indicator_code": table.required_text("indicator_code"),
                          "geography_code": table.required_text("geography_code")})
    check_places_and_indicators(session, table, frame, "geography_code", "indicator_code")
    target = table.numbers("target") if "target" in table.columns else pd.Series(np.nan, index=frame.index)
    low = table.numbers("target_low") if "target_low" in table.columns else pd.Series(np.nan, index=frame.index)
    high = table.numbers("target_high") if "target_high" in table.columns else pd.Series(np.nan, index=frame.index)
    tolerance = table.numbers("amber_tolerance").fillna(0.0)
    periods = table.required_text("period")
    rows = []
    for i in range(len(frame)):
        try:
            period = parse_period(periods.iloc[i])
        except PeriodError as error:
            table.flag(str(error), [i], "period")
            continue
        if period.kind != FINANCIAL_YEAR:
            table.flag(f"'{periods.iloc[i]}' is not a financial year; targets are set per financial year, e.g. "
                       "2026/27", [i], "period")
        has_band = not (np.isnan(low.iloc[i]) or np.isnan(high.iloc[i]))
        if np.isnan(target.iloc[i]) and not has_band:
            table.flag("a target, or target_low and target_high, is required", [i], "target")
        if has_band and low.iloc[i] > high.iloc[i]:
            table.flag("target_low is above target_high; swap them", [i], "target_low")
        rows.append({"indicator_code": frame.indicator_code.iloc[i], "geography_code": frame.geography_code.iloc[i],
                     "financial_year": period.label,
                     "target": None if np.isnan(target.iloc[i]) else float(target.iloc[i]),
                     "target_low": float(low.iloc[i]) if has_band else None,
                     "target_high": float(high.iloc[i]) if has_band else None,
                     "amber_tolerance": float(tolerance.iloc[i])})
    rows = distinct_rows(table, rows, ("indicator_code", "geography_code", "financial_year"),
                         "indicator, place and financial year")
    return upsert_rows(session, Target, ("indicator_code", "geography_code", "financial_year"), rows, actor, now, "target")


def import_people(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """People with roles, ward, portfolio, service, manager and chat ids."""
    table.require("email", "name", "roles")
    emails = table.required_text("email").str.lower()
    bad = np.flatnonzero((~emails.str.contains("@", regex=False)).to_numpy())
    if len(bad):
        table.flag(lambda row: f"'{emails.iloc[row]}' is not an e-mail address; write it as name@council.gov.uk",
                   bad, "email")

    def column(name: str) -> list[str | None]:
        return [_optional(v) for v in table.text(name)] if name in table.columns else [None] * len(emails)

    managers = [m.lower() if m else None for m in column("manager_email")]
    rows = [{"email": e, "name": n, "roles": r, "ward_code": w, "portfolio": p, "service": s,
             "manager_email": m, "slack_user_id": su, "teams_user_id": tu}
            for e, n, r, w, p, s, m, su, tu in zip(emails, table.required_text("name"), table.text("roles"),
                                                   column("ward_code"), column("portfolio"), column("service"),
                                                   managers, column("slack_user_id"), column("teams_user_id"))]
    return upsert_rows(session, Person, ("email",), distinct_rows(table, rows, ("email",), "e-mail address"),
                       actor, now, "person")


def import_delegates(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """Officers allowed to submit for a KPI owner."""
    table.require("owner_email", "delegate_email")
    rows = [{"owner_email": o.lower(), "delegate_email": d.lower()}
            for o, d in zip(table.required_text("owner_email"), table.required_text("delegate_email"))]
    rows = distinct_rows(table, rows, ("owner_email", "delegate_email"), "owner and delegate")
    return upsert_rows(session, Delegate, ("owner_email", "delegate_email"), rows, actor, now, "delegate")


def import_calendar(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """Reporting deadlines: frequency, period, milestone, deadline (ISO date)."""
    table.require("frequency", "period", "milestone", "deadline")
    frequency = _check_choice(table, "frequency", FREQUENCIES)
    periods = canonical_periods(table)
    milestones = table.text("milestone")
    rows = []
    for i, text in enumerate(table.required_text("deadline")):
        try:
            deadline = date.fromisoformat(text)
        except ValueError:
            table.flag(f"'{text}' is not a date; expected YYYY-MM-DD", [i], "deadline")
            continue
        rows.append({"frequency": frequency.iloc[i], "period": periods.period.iloc[i],
                     "milestone": milestones.iloc[i], "deadline": deadline})
    rows = distinct_rows(table, rows, ("frequency", "period", "milestone"), "frequency, period and milestone")
    return upsert_rows(session, ReportingDeadline, ("frequency", "period", "milestone"), rows, actor, now, "calendar")


def import_observations(session: Session, table: Table, actor: str, now: datetime,
                        allow_withdrawals: bool = False) -> WriteResult:
    """Values: indicator_code, geography_code, period, value[, status, source, breakdown]; a missing
    value is recorded with the reason its marker gives, and withdraws a recorded one only when allowed."""
    table.require("indicator_code", "geography_code", "period", "value")
    frame = pd.DataFrame({"indicator_code": table.required_text("indicator_code"),
                          "geography_code": table.required_text("geography_code")})
    frame = frame.join(canonical_periods(table))
    frame = _dates_to_frequency(session, table, frame)
    frame["breakdown"] = table.text("breakdown") if "breakdown" in table.columns else ""
    frame["value"] = table.numbers("value")
    frame["missing_reason"] = reasons(table.text("value")).where(frame["value"].isna(), None)
    status = table.text("status") if "status" in table.columns else pd.Series("", index=frame.index)
    bad = np.flatnonzero((~status.isin(("", "final", "provisional", "forecast"))).to_numpy())
    if len(bad):
        table.flag(lambda row: f"'{status.iloc[row]}' is not a status; expected final, provisional or forecast",
                   bad, "status")
    frame["status"] = status.replace("", "final")
    frame["source"] = table.text("source").replace("", None) if "source" in table.columns else None
    check_places_and_indicators(session, table, frame, "geography_code", "indicator_code")
    frame = drop_duplicates(table, frame, "value")
    forecasts = frame[frame["status"] == "forecast"]
    frame = frame[frame["status"] != "forecast"]
    check_ended(table, frame, now)
    table.check()
    result = write_observations(session, frame, actor, "import", now, allow_withdrawals=allow_withdrawals)
    if len(forecasts):
        kept = upsert_rows(session, Forecast, ("indicator_code", "geography_code", "period", "breakdown"), [
            {"indicator_code": r.indicator_code, "geography_code": r.geography_code, "period": r.period,
             "period_start": r.period_start, "period_end": r.period_end, "breakdown": r.breakdown,
             "value": None if pd.isna(r.value) else float(r.value), "source": r.source if isinstance(r.source, str)
             else None, "recorded_by": actor, "recorded_at": now} for r in forecasts.itertuples()],
            actor, now, "forecast", compare=("value", "source"))
        result.added += kept.added
        result.changed += kept.changed
        result.unchanged += kept.unchanged
        result.details.setdefault("notes", []).append(f"{len(forecasts)} forecasts kept apart from the observations "
                                                      "(never the newest value, a status or an alert)")
    return result


FREQUENCY_KINDS = {"monthly": MONTH, "quarterly": QUARTER, "annual": FINANCIAL_YEAR}
EXAMPLES = {"monthly": "2026-10", "quarterly": "2026/27 Q2", "annual": "2026/27"}


def _dates_to_frequency(session: Session, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """A date given for an indicator returned monthly, quarterly or annually ('2026-10-01', an Excel
    date cell) read as the month, quarter or financial year it starts or ends; any other date for
    such an indicator is refused with line and column — never stored as a one-day period."""
    dated = np.flatnonzero((frame["period_kind"] == "date").to_numpy())
    if not len(dated):
        return frame
    frequency = dict(session.execute(select(Indicator.code, Indicator.frequency)
                                     .where(Indicator.code.in_(frame["indicator_code"].iloc[dated].unique().tolist())))
                     .all())
    frame = frame.copy()
    for row in dated:
        often = frequency.get(frame["indicator_code"].iloc[row])
        if often not in FREQUENCY_KINDS:
            continue
        day = frame["period_start"].iloc[row]
        period = containing(day, FREQUENCY_KINDS[often])
        if day not in (period.start, period.end):
            table.flag(f"'{frame['period'].iloc[row]}' is a day, but {frame['indicator_code'].iloc[row]} is "
                       f"returned {often}: write the period it is for, e.g. {EXAMPLES[often]}", [row], "period")
            continue
        for column, value in (("period", period.label), ("period_kind", period.kind),
                              ("period_start", period.start), ("period_end", period.end)):
            frame.iloc[row, frame.columns.get_loc(column)] = value
    return frame
