"""`perfbot import PATH...`: recognise each CSV or Excel file by its header — the council's own
files, the ONS lookup, tidy files, Fingertips, Nomis and EES extracts, and any other long or wide
file whose columns can be recognised — load them in dependency order (places before the values
about them) in one transaction, and audit each file. A refused file rolls the whole import back:
nothing is half-written."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers import council
from data_access.importers.comparators import import_comparators, is_comparator_list
from data_access.importers.ees import import_ees, is_ees
from data_access.importers.fingertips import import_fingertips, is_fingertips
from data_access.importers.generic import import_generic, recognise
from data_access.importers.nomis import import_nomis, is_nomis
from data_access.importers.ons import import_ons_lookup, is_ons_lookup
from data_access.importers.reading import ImportRefused, Table, read_table
from data_access.importers.series import Options
from data_access.importers.tidy import import_tidy, is_tidy

__all__ = ["ImportRefused", "ImportReport", "Options", "import_paths", "find_files"]

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class FileKind:
    """A kind of file: how to recognise its header, its load order and its importer."""

    name: str
    order: int
    matches: Callable[[list[str]], bool]
    load: Callable


def _has(*names: str) -> Callable[[list[str]], bool]:
    return lambda columns: set(names) <= set(columns)


def _plain(load: Callable) -> Callable:
    """A reference-table loader, which no import option changes."""
    return lambda session, table, actor, now, options: load(session, table, actor, now)


def _values(load: Callable) -> Callable:
    """A loader of values, told whether missing values may withdraw recorded ones."""
    return lambda session, table, actor, now, options: load(session, table, actor, now, options.allow_withdrawals)


KINDS = (
    FileKind("places", 0, _has("code", "name", "level", "parent_code"), _plain(council.import_geographies)),
    FileKind("ONS ward lookup", 1, is_ons_lookup, _plain(import_ons_lookup)),
    FileKind("comparator group", 2, is_comparator_list, _plain(import_comparators)),
    FileKind("people", 3, _has("email", "name", "roles"), _plain(council.import_people)),
    FileKind("delegates", 4, _has("owner_email", "delegate_email"), _plain(council.import_delegates)),
    FileKind("indicators", 5, _has("code", "name", "unit", "polarity"), _plain(council.import_indicators)),
    FileKind("targets", 6, _has("indicator_code", "geography_code", "period", "amber_tolerance"),
             _plain(council.import_targets)),
    FileKind("reporting calendar", 7, _has("frequency", "period", "milestone", "deadline"),
             _plain(council.import_calendar)),
    FileKind("observations", 8, _has("indicator_code", "geography_code", "period", "value"),
             _values(council.import_observations)),
    FileKind("tidy indicator data", 9, is_tidy, _values(import_tidy)),
    FileKind("Fingertips export", 10, is_fingertips, import_fingertips),
    FileKind("Nomis API extract", 10, is_nomis, import_nomis),
    FileKind("DfE explore-education-statistics", 10, is_ees, import_ees),
)
GENERIC = FileKind("recognised long or wide file", 11, lambda columns: True, import_generic)
EXPECTED = ("places (code, name, level, parent_code); ONS ward lookup (WDyyCD, LADyyCD, …); comparator group "
            "(area_code, area_name); people (email, name, roles); delegates (owner_email, delegate_email); indicators "
            "(code, name, unit, polarity, …); targets (indicator_code, geography_code, period, target, amber_tolerance); "
            "reporting calendar (frequency, period, milestone, deadline); observations (indicator_code, geography_code, "
            "period, value); tidy data (area_code, area_name, period, indicator, measure, unit, value); Fingertips "
            "(Indicator ID, Area Code, Time period, Value…); Nomis (DATE_NAME, GEOGRAPHY_CODE, OBS_VALUE…); EES "
            "(time_period, time_identifier, geographic_level…)")


@dataclass
class FileResult:
    """What one file did: its kind and counts of rows added, changed and left as they were."""

    path: Path
    kind: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    withheld: int = 0
    details: dict = field(default_factory=dict)

    def summary(self) -> list[str]:
        """What the file holds and what importing it does, for `--dry-run`."""
        d = self.details
        lines = [f"{self.path.name}: {d.get('format', self.kind)}"]
        if "matched" in d:
            lines.append(f"  indicators: {len(d['matched'])} matched ({', '.join(d['matched']) or 'none'}), "
                         f"{len(d['created'])} created ({', '.join(d['created']) or 'none'})")
        if "places" in d:
            missing = d["missing"]
            lines.append(f"  {d['places']} places, {d['periods']} periods, {d['values']} values, "
                         f"{sum(missing.values())} missing" +
                         (" (" + ", ".join(f"{why}: {n}" for why, n in sorted(missing.items())) + ")" if missing else ""))
        if d.get("other places"):
            lines.append(f"  left out: {_places(d['other places'])}")
        if d.get("other levels"):
            lines.append(f"  left out: rows at levels perfbot holds no places for ({', '.join(d['other levels'])})")
        if d.get("joint areas"):
            lines.append(f"  left out: values for areas reported jointly ({', '.join(d['joint areas'])}), "
                         "which are not one place")
        lines.append(f"  would add {self.added}, correct {self.changed}, leave {self.unchanged} as they are"
                     + (f"; {self.withheld} missing values would not replace recorded ones" if self.withheld else ""))
        return lines


def _places(codes: list[str]) -> str:
    """'values for 3 places perfbot holds no level for (A81001, A81002, E38000001)'."""
    shown = ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
    return f"values for {len(codes)} place{'s' if len(codes) != 1 else ''} perfbot holds no level for ({shown})"


@dataclass
class ImportReport:
    """What an import did, file by file."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        """True when any file added or changed a row."""
        return any(f.added or f.changed for f in self.files)

    def lines(self) -> list[str]:
        """One readable line per file."""
        return [f"{f.path.name} ({f.kind}): {f.added} added, {f.changed} changed, {f.unchanged} unchanged"
                + (f", {f.withheld} missing values kept out (they would replace recorded values; "
                   "--allow-withdrawals lets them)" if f.withheld else "")
                + (f"; left out values for areas reported jointly ({', '.join(f.details['joint areas'])})"
                   if f.details.get("joint areas") else "")
                + (f"; left out {_places(f.details['other places'])}" if f.details.get("other places") else "")
                + (f"; left out rows at levels perfbot holds no places for ({', '.join(f.details['other levels'])})"
                   if f.details.get("other levels") else "")
                for f in self.files]


def find_files(paths: list[Path]) -> list[Path]:
    """The CSV and Excel files named, and those inside named folders (recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                                and not p.name.startswith(("~$", "."))))  # not Excel lock files or hidden files
        elif path.is_file():
            found.append(path)
        else:
            raise ImportRefused(path, "no such file or folder")
    return found


def detect(table: Table, options: Options = Options()) -> FileKind:
    """The kind of file its header says it is (a file with the --map columns is read by them);
    refuses a file that fits no kind, saying which columns could not be found and how to name them."""
    if not options.maps(table.columns):
        for kind in KINDS:
            if kind.matches(table.columns):
                return kind
    try:
        recognise(table, options)
    except ImportRefused as refusal:
        raise table.refuse_header(f"{refusal.problem}; expected one of: {EXPECTED}") from refusal
    return GENERIC


def import_paths(session: Session, paths: list[Path], actor: str, now: datetime,
                 options: Options = Options()) -> ImportReport:
    """Import every file under `paths` within the caller's transaction (the caller commits or rolls back)."""
    tables = [read_table(path) for path in find_files(paths)]
    if options.mapping and not any(options.maps(table.columns) for table in tables):
        names = ", ".join(column for column, _ in options.mapping)
        raise ImportRefused("--map", f"no file has all the columns named ({names}); give the names as in the header")
    work = sorted(((detect(table, options), table) for table in tables),
                  key=lambda pair: (pair[0].order, str(pair[1].path)))
    report = ImportReport()
    for kind, table in work:
        try:
            outcome = kind.load(session, table, actor, now, options)
        except IntegrityError as error:  # a safety net: importers check what they can first
            raise ImportRefused(table.path, f"the database refused it ({error.orig}); nothing was written") from error
        result = FileResult(table.path, kind.name, outcome.added, outcome.changed, outcome.unchanged,
                            outcome.withheld, outcome.details)
        if result.added or result.changed:
            record_change(session, now, actor, "import", kind.name, table.path.name, None,
                          {"added": result.added, "changed": result.changed, "unchanged": result.unchanged})
        report.files.append(result)
        session.flush()
    return report
