"""`perfbot import PATH...`: recognise each CSV or workbook (.xlsx, .xls, .ods) by its header — the
council's own files, the ONS lookup, tidy files, Fingertips, Nomis and EES extracts, any other long
or wide file whose columns can be recognised, and government publications as published (title
rows, super-headers, several sheets, names without codes: `publications.py`) — load them in
dependency order (places before the values about them) in one transaction, and audit each file.
A refused file rolls the whole import back: nothing is half-written. `preview` reads one file
given as bytes (an upload) and says what importing it would change, writing nothing."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers import council
from data_access.importers.comparators import import_comparators, is_comparator_list
from data_access.importers.ees import META_SUFFIX, import_ees, is_ees
from data_access.importers.fingertips import import_fingertips, is_fingertips
from data_access.importers.generic import import_generic, recognise
from data_access.importers.nomis import import_nomis, is_nomis
from data_access.importers.ons import import_ons_lookup, is_ons_lookup
from data_access.importers.publications import import_publication
from data_access.importers.reading import ImportRefused, Table, read_csv_rows, read_table, table_of_sheet
from data_access.importers.series import Options
from data_access.importers.tidy import import_tidy, is_tidy
from data_access.importers.workbooks import WORKBOOK_SUFFIXES, Sheet, read_sheets

__all__ = ["ImportRefused", "ImportReport", "Options", "import_paths", "find_files"]

SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)


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
PUBLICATION = FileKind("government publication", 12, lambda columns: False, None)
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
        lines.extend(f"  {note}" for note in d.get("notes", []))
        lines.append(f"  would add {self.added}, correct {self.changed}, leave {self.unchanged} as they are"
                     + (f"; {self.withheld} missing values would not replace recorded ones" if self.withheld else ""))
        lines.extend(f"  would correct {change}" for change in d.get("corrections", [])[:20])
        if len(d.get("corrections", [])) > 20:
            lines.append(f"  … and {len(d['corrections']) - 20} more corrections")
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
                + "".join(f"; {note}" for note in f.details.get("notes", []))
                for f in self.files]


def find_files(paths: list[Path]) -> list[Path]:
    """The CSV and Excel files named, and those inside named folders (recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                                and not p.name.startswith(("~$", "."))  # not Excel lock files or hidden files
                                and not _is_metadata(p)))
        elif path.is_file():
            found.append(path)
        else:
            raise ImportRefused(path, "no such file or folder")
    return found


def _is_metadata(path: Path) -> bool:
    """True for an EES metadata file beside its data file (read with it, not as data of its own)."""
    name = path.name.lower()
    return name.endswith(META_SUFFIX) and path.with_name(path.name[:-len(META_SUFFIX)] + ".csv").is_file()


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


@dataclass
class Source:
    """One file read: as a table with a header (CSV, or a workbook's plain first sheet) and, for a
    workbook or a CSV no plain kind fits, its sheets as a publication."""

    path: Path
    table: Table | None
    sheets: list[Sheet] | None = None


def read_source(path: Path) -> Source:
    """A file read as a table, a workbook's sheets, or both."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        sheets = read_sheets(path)
        first = next((s for s in sheets if s.rows and any(any(c for c in row) for row in s.rows)), None)
        return Source(path, table_of_sheet(path, first) if first is not None else None, sheets)
    return Source(path, read_table(path))


def _kind_of(source: Source, options: Options) -> FileKind:
    """The kind of a file: a plain kind its header fits, else a government publication."""
    table = source.table
    if table is not None:
        if not options.maps(table.columns):
            for kind in KINDS:
                if kind.matches(table.columns):
                    return kind
        if source.sheets is None or options.maps(table.columns):
            try:
                return detect(table, options)
            except ImportRefused as refusal:
                if options.maps(table.columns) or _has_codes(table):
                    raise  # a file with place codes perfbot cannot place otherwise: say what it lacks
                source.sheets = [Sheet("", read_csv_rows(source.path, table.encoding))]
                source.refusal = refusal  # type: ignore[attr-defined]
    return PUBLICATION


def _has_codes(table: Table) -> bool:
    """True when a column of the table is mostly GSS codes (a CSV of that kind is not a publication)."""
    for column in table.columns:
        filled = table.text(column)
        filled = filled[filled != ""]
        if len(filled) and filled.str.match(r"^[ENSWK]\d{8}$").mean() >= 0.5:
            return True
    return False


def _load(session: Session, kind: FileKind, source: Source, actor: str, now: datetime, options: Options):
    if kind is PUBLICATION:
        try:
            return import_publication(session, source.path, source.sheets or [], actor, now, options)
        except ImportRefused as refusal:
            earlier = getattr(source, "refusal", None)
            if earlier is not None and refusal.line is None:  # a CSV neither kind reads: say what a CSV lacks
                raise earlier from refusal
            raise
    try:
        outcome = kind.load(session, source.table, actor, now, options)
    except (IntegrityError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        if isinstance(error, ImportRefused) or not source.table.has_problems:
            raise
        source.table.check()  # rows already flagged explain what went wrong after them: name them all
    source.table.check()  # (each importer checks before writing; this is a safety net)
    return outcome


def import_paths(session: Session, paths: list[Path], actor: str, now: datetime,
                 options: Options = Options()) -> ImportReport:
    """Import every file under `paths` within the caller's transaction (the caller commits or rolls back)."""
    sources = [_read_safely(path) for path in find_files(paths)]
    if options.mapping and not any(s.table is not None and options.maps(s.table.columns) for s in sources):
        names = ", ".join(column for column, _ in options.mapping)
        raise ImportRefused("--map", f"no file has all the columns named ({names}); give the names as in the header")
    work = sorted(((_kind_of(source, options), source) for source in sources),
                  key=lambda pair: (pair[0].order, str(pair[1].path)))
    report = ImportReport()
    for kind, source in work:
        try:
            outcome = _load(session, kind, source, actor, now, options)
        except IntegrityError as error:  # a safety net: importers check what they can first
            raise ImportRefused(source.path, f"the database refused it ({error.orig}); nothing was written") from error
        except ImportRefused:
            raise
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError, ZeroDivisionError,
                RecursionError, UnicodeError) as error:  # never a traceback: the whole import is refused, saying why
            raise ImportRefused(source.path, f"perfbot could not read this file ({type(error).__name__}: "
                                            f"{str(error)[:200]}); nothing was written. This is a fault in perfbot: "
                                            "please report it with the file") from error
        result = FileResult(source.path, kind.name, outcome.added, outcome.changed, outcome.unchanged,
                            outcome.withheld, outcome.details)
        if result.added or result.changed:
            record_change(session, now, actor, "import", kind.name, source.path.name, None,
                          {"added": result.added, "changed": result.changed, "unchanged": result.unchanged})
        report.files.append(result)
        session.flush()
    return report


def _read_safely(path: Path) -> Source:
    """A file read, or refused with what was wrong — never a traceback."""
    try:
        return read_source(path)
    except ImportRefused:
        raise
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, RecursionError, MemoryError) as error:
        raise ImportRefused(path, f"cannot be read ({type(error).__name__}: {str(error)[:200]}); expected a CSV or "
                                  "a workbook (.xlsx, .xls, .ods) with a header row") from error


def preview(session: Session, data: bytes, name: str, actor: str, now: datetime,
            options: Options = Options()) -> ImportReport:
    """What importing one file given as bytes (an upload) would do — added, corrected (old → new),
    left out — written nowhere: the caller's transaction is rolled back here."""
    safe_name = Path(name).name or "upload.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        try:
            return import_paths(session, [path], actor, now, options)
        finally:
            session.rollback()
