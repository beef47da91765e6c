"""Reading a council's CSV or Excel file into text columns, and the refusal every importer raises
when a file is not what it should be (naming file, line and column, and what was expected)."""
from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.importers.markers import MARKERS as MISSING_MARKERS



MAX_REPORTED = 50  # bad rows listed in one refusal; beyond it, "and N more"


def _where(line: int | None, column: str | None, sheet: str | None) -> str:
    parts = [f"sheet '{sheet}'"] if sheet is not None else []
    if line is not None:
        parts.append(f"{'row' if sheet is not None else 'line'} {line}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (line or sheet row, column) and what to do about it."""

    line: int | None
    column: str | None
    problem: str
    sheet: str | None = None


class ImportRefused(ValueError):
    """A file refused whole; says which file, line and column, and what was expected there — for
    every bad row found (up to MAX_REPORTED, then how many more), so one run shows them all."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None, column: str | None = None,
                 sheet: str | None = None, problems: list[Problem] | None = None, total: int | None = None):
        self.path, self.problem, self.line, self.column, self.sheet = str(path), problem, line, column, sheet
        self.problems = problems or [Problem(line, column, problem, sheet)]
        self.total = total if total is not None else len(self.problems)
        name = Path(self.path).name
        if self.total <= 1:
            where = _where(line, column, sheet)
            super().__init__(f"{name}{', ' + where if where else ''}: {problem}")
            return
        lines = [f"{name}: {self.total} problems, each to correct before anything is imported:"]
        lines += [f"  {_where(p.line, p.column, p.sheet)}: {p.problem}" for p in self.problems[:MAX_REPORTED]]
        if self.total > MAX_REPORTED:
            lines.append(f"  and {self.total - MAX_REPORTED} more")
        super().__init__("\n".join(lines))

    @classmethod
    def of(cls, path: Path | str, problems: list[Problem], total: int) -> "ImportRefused":
        """One refusal for all of `problems` (the first MAX_REPORTED in file order of `total`)."""
        first = problems[0]
        return cls(path, first.problem, first.line, first.column, first.sheet, problems, total)


@dataclass
class Table:
    """A file's rows as text, with the file's path for refusals. `header_line` is the header's
    line in the file (metadata rows may stand above it); a data row's line is found from the file
    itself when a refusal needs it, since quoted fields may hold newlines."""

    path: Path
    frame: pd.DataFrame
    header_line: int = 1
    encoding: str | None = None
    _stripped: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    _records: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _problems: list[Problem] = field(default_factory=list, repr=False)
    _flagged: int = field(default=0, repr=False)

    @property
    def columns(self) -> list[str]:
        """The header, lower-cased and stripped."""
        return list(self.frame.columns)

    def _record_layout(self) -> tuple[np.ndarray, np.ndarray]:
        """Each data row's first line in the file and its number of fields (read once, when needed)."""
        if self._records is None:
            if self.encoding is None:  # a workbook: one row per line, every field present
                lines = np.arange(len(self.frame)) + self.header_line + 1
                self._records = (lines, np.full(len(self.frame), len(self.columns)))
            else:
                starts, widths = [], []
                with open(self.path, encoding=self.encoding, newline="") as handle:
                    reader = csv.reader(handle)
                    line = 1
                    for record in reader:
                        if line > self.header_line and record and any(field.strip() for field in record):
                            starts.append(line)
                            widths.append(len(record))
                        line = reader.line_num + 1
                n = len(self.frame)
                self._records = (np.asarray(starts[:n]), np.asarray(widths[:n]))
        return self._records

    def adopt(self, names: tuple[str, ...]) -> None:
        """Rename the columns that are `names` written another way ('IndicatorID', 'indicator_id' →
        'indicator id'), as R packages such as fingertipsR and nomisr write them."""
        wanted = {canonical(name): name for name in names}
        renamed = [wanted.get(canonical(column), column) if column not in names else column for column in self.columns]
        if renamed != self.columns:
            self.frame.columns = renamed
            self._stripped.clear()

    def line_of(self, row: int) -> int:
        """The line of the file data row `row` (0-based) starts on."""
        lines = self._record_layout()[0]
        return int(lines[row]) if row < len(lines) else int(row) + self.header_line + 1

    def refuse(self, problem: str, row: int | None = None, column: str | None = None) -> ImportRefused:
        """A refusal for this file at data row `row` (0-based) and `column`."""
        return ImportRefused(self.path, problem, None if row is None else self.line_of(int(row)), column)

    def flag(self, problem, rows, column: str | None) -> None:
        """Note that each of `rows` (0-based data rows) is wrong in `column`: `problem` is the text,
        or a function of the row giving it. The import goes on checking, and `check` refuses the
        file with every problem noted, so one run names them all."""
        rows = sorted({int(row) for row in rows})
        self._flagged += len(rows)
        for row in rows[:MAX_REPORTED]:
            self._problems.append(self._problem(problem(row) if callable(problem) else problem, row, column))

    def _problem(self, problem: str, row: int, column: str | None) -> Problem:
        return Problem(self.line_of(row), column, problem)

    @property
    def has_problems(self) -> bool:
        """True when some row was flagged."""
        return bool(self._problems)

    def check(self) -> None:
        """Refuse the file, naming every row flagged (in file order, the first MAX_REPORTED), if any was."""
        if not self._problems:
            return
        seen, problems = set(), []
        for p in sorted(self._problems, key=lambda p: (p.sheet or "", p.line or 0, p.column or "")):
            if (p.sheet, p.line, p.column) not in seen:  # one problem per cell: the first check's
                seen.add((p.sheet, p.line, p.column))
                problems.append(p)
        total = len(problems) + max(0, self._flagged - len(self._problems))
        raise ImportRefused.of(self.path, problems, total)

    def refuse_header(self, problem: str) -> ImportRefused:
        """A refusal of the header."""
        return ImportRefused(self.path, problem, self.header_line)

    def check_not_short(self, column: str, blank: np.ndarray) -> None:
        """Refuse the file at the first of the `blank` rows that stops before `column`: a row
        without its value field is a malformed file, not a missing value."""
        if not blank.any() or self.encoding is None:
            return
        position = self.columns.index(column)
        candidates = np.flatnonzero(blank)
        tail = self.frame.iloc[candidates, position:]
        if not (tail.fillna("") == "").all(axis=1).any():
            return  # a row with a field filled after `column` did not stop before it
        widths = self._record_layout()[1]
        rows = np.flatnonzero(blank[:len(widths)] & (widths[:len(blank)] <= position))
        if len(rows):
            raise self.refuse(f"this row has {int(widths[rows[0]])} fields and stops before '{column}' (the header "
                              f"has {len(self.columns)}); give every row its value, or a marker such as NA "
                              "when it is missing", rows[0], column)

    def require(self, *columns: str) -> None:
        """Refuse the file unless every named column is in its header."""
        missing = [name for name in columns if name not in self.frame.columns]
        if missing:
            raise self.refuse_header(f"the header lacks {', '.join(missing)}; expected columns: {', '.join(columns)}")

    def text(self, column: str) -> pd.Series:
        """A column's values stripped of surrounding spaces ('' where blank)."""
        if column not in self._stripped:
            # Strip each distinct value once: columns of codes, periods and even values repeat a lot.
            codes, uniques = pd.factorize(self.frame[column].to_numpy(dtype=object))
            stripped = np.asarray([str(v).strip() if isinstance(v, str) else "" for v in uniques] + [""], dtype=object)
            self._stripped[column] = pd.Series(stripped[codes], index=self.frame.index, name=column)
        return self._stripped[column].copy()

    def required_text(self, column: str) -> pd.Series:
        """A column that must not be blank; each blank line is flagged (see `flag`)."""
        values = self.text(column)
        blank = np.flatnonzero((values == "").to_numpy())
        if len(blank):
            self.flag(f"a value is required here; write the {column}", blank, column)
        return values

    def numbers(self, column: str, required: bool = False) -> pd.Series:
        """A column of numbers: missing markers (NA, blank, .., c, x, z…: markers.REASONS) become NaN; text is flagged
        (see `flag`), and so are infinities; thousands separators and a trailing % are allowed."""
        raw = self.text(column)
        self.check_not_short(column, (raw == "").to_numpy())
        codes, uniques = pd.factorize(raw.to_numpy(dtype=object))
        values, missing = _numbers_of(uniques)
        bad = (np.isnan(values) & ~missing) | np.isinf(values)
        if bad.any():
            values = np.where(bad, np.nan, values)
            self.flag(lambda row: f"'{raw.iloc[row]}' is not a number; expected a number, or NA/blank "
                                  "when missing", np.flatnonzero(np.isin(codes, np.flatnonzero(bad))), column)
        if required and missing.any():
            self.flag("a number is required here", np.flatnonzero(np.isin(codes, np.flatnonzero(missing))), column)
        return pd.Series(np.append(values, np.nan)[codes], index=raw.index, name=column)


def canonical(name: str) -> str:
    """A column name without case, spaces or punctuation, to compare names written different ways."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def joined(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    """The non-blank values of several text columns joined with '; ' ('' when every one is blank)."""
    result = pd.Series("", index=index, dtype=object)
    for part in parts:
        part = part.fillna("").astype(str)
        result = result.where(part == "", result.where(result == "", result + "; ") + part)
    return result


def each_distinct(values: pd.Series, change) -> pd.Series:
    """`change` applied to each distinct value of a text column once (columns repeat a lot)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    changed = np.empty(len(uniques) + 1, dtype=object)
    changed[:-1] = [change(value) for value in uniques]
    changed[-1] = None
    return pd.Series(changed[codes], index=values.index, name=values.name)


def _numbers_of(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The numbers distinct cell texts mean (NaN where not a number) and which are missing markers.
    Read by numpy, which parses as Python's float does (correctly rounded), in one call when every
    text is a plain number; text by text otherwise."""
    distinct = pd.Series(texts, dtype=object)
    missing = distinct.str.lower().isin(MISSING_MARKERS).to_numpy() if len(distinct) < 1000 else \
        np.asarray([len(t) <= 5 and t.lower() in MISSING_MARKERS for t in texts], dtype=bool)
    joined = "".join(texts.tolist())
    plain = distinct.where(~missing, "nan").to_numpy(dtype=object)
    if "," not in joined and "%" not in joined and "_" not in joined:
        try:
            values = np.asarray(plain, dtype=str).astype(float)
            values[missing] = np.nan
            return values, missing
        except ValueError:
            pass  # some text is not a number: find which, text by text
    cleaned = distinct.str.replace(",", "", regex=False).str.replace("%", "", regex=False)
    values = np.asarray([np.nan if gone else _number(text) for text, gone in zip(cleaned, missing)], dtype=float)
    return values, missing


def _number(text: str) -> float:
    """The number a cell's text means, read exactly (Python's float, unlike pandas' faster parser,
    rounds correctly: '0.30000000000000004' stays itself); NaN when it is not a number."""
    try:
        return float(text) if "_" not in text else np.nan
    except ValueError:
        return np.nan


EXCEL_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$")
SAMPLE_ROWS = 60


def header_row(rows: list[list[str]]) -> int:
    """Which of a file's first rows is its header: the first as wide as the widest of them, give or
    take a few blank trailing cells (the rows above are a title, a source and such metadata)."""
    filled = [sum(1 for cell in row if str(cell).strip()) for row in rows]
    widest = max(filled, default=0)
    for number, count in enumerate(filled):
        if count >= 2 and count >= 0.6 * widest:
            return number
    return 0


def without_footnotes(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without the rows of notes below the data (each a single filled cell, in a table of
    three or more columns: in a narrower one such a row is data with a value left out)."""
    end = len(frame)
    while end and len(frame.columns) >= 3 and (frame.iloc[end - 1].fillna("").astype(str).str.strip() != "").sum() <= 1:
        end -= 1
    return frame.iloc[:end] if end < len(frame) else frame


def _csv_encoding(path: Path) -> str:
    """The encoding a CSV is in: UTF-16 or UTF-8 by its byte-order mark; else UTF-8 when it decodes
    as UTF-8, else Windows-1252 as Excel saves it. A file mixing the two (UTF-8 letters on some
    lines, Windows-1252 bytes on others) is refused, naming a line of each."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    utf8_line = cp1252_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            cp1252_line = cp1252_line or number
        if utf8_line and cp1252_line:
            raise ImportRefused(path, f"mixes two encodings: line {utf8_line} is UTF-8 but line {cp1252_line} is not "
                                      "(Windows-1252, as older Excel saves it), so its names would be garbled; "
                                      "save the whole file as CSV UTF-8 and import it again", cp1252_line)
    return "cp1252"


def read_csv_rows(path: Path, encoding: str | None = None) -> list[list[str]]:
    """Every row of a CSV as text cells, blank lines kept (so row numbers are the file's lines)."""
    encoding = encoding or _csv_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        return [row for row in csv.reader(handle)]


def table_of_sheet(path: Path, sheet) -> Table:
    """A workbook sheet read as a plain table: the header found below any title rows, notes below
    the data left out (as `read_table` reads a workbook's first sheet)."""
    rows = sheet.rows
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object) if rows else pd.DataFrame()
    if grid.empty:
        return Table(path, pd.DataFrame(), 1, None)
    header = header_row(grid.head(SAMPLE_ROWS).values.tolist())
    names = [str(name) for name in grid.iloc[header]]
    frame = grid.iloc[header + 1:].reset_index(drop=True)
    frame.columns = names
    filled = [i for i, name in enumerate(names) if name.strip()]
    frame = frame.iloc[:, :max(filled) + 1] if filled else frame
    frame = frame[(frame != "").any(axis=1)].reset_index(drop=True)
    frame.columns = [str(name).strip().lower() for name in frame.columns]
    frame = frame.loc[:, ~pd.Index(frame.columns).duplicated()]
    return Table(path, without_footnotes(frame), header + 1, None)


def _read_csv(path: Path) -> tuple[pd.DataFrame, int, str]:
    """A CSV's rows below its header, the header's line and the file's encoding."""
    encoding = _csv_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        rows, starts, line = [], [], 1
        for record in reader:
            if record:
                rows.append(record)
                starts.append(line)
            line = reader.line_num + 1
            if len(rows) >= SAMPLE_ROWS:
                break
    header = header_row(rows)
    skip = starts[header] - 1 if rows else 0
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, skiprows=skip,
                        skip_blank_lines=True)
    return frame, skip + 1, encoding


def _read_workbook(path: Path) -> tuple[pd.DataFrame, int]:
    """The first sheet's rows below its header, and the header's row number."""
    grid = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl", header=None).fillna("")
    grid = grid.replace(EXCEL_MIDNIGHT, r"\1", regex=True)
    header = header_row(grid.head(SAMPLE_ROWS).values.tolist())
    names = [str(name) for name in grid.iloc[header]] if len(grid) else []
    frame = grid.iloc[header + 1:].reset_index(drop=True)
    frame.columns = names
    filled = [i for i, name in enumerate(names) if name.strip()]
    frame = frame.iloc[:, :max(filled) + 1] if filled else frame
    frame = frame[(frame != "").any(axis=1)].reset_index(drop=True)
    return frame, header + 1


def read_table(path: Path) -> Table:
    """Read a CSV (UTF-8 with or without BOM, else Windows-1252 as Excel saves it) or the first
    sheet of an Excel workbook (.xlsx/.xlsm) as text, skipping metadata rows above the header and
    notes below the data; Excel date cells read as ISO dates."""
    suffix = path.suffix.lower()
    encoding: str | None = None
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame, header_line = _read_workbook(path)
        else:
            frame, header_line, encoding = _read_csv(path)
    except (UnicodeDecodeError, ValueError, OSError, zipfile.BadZipFile, KeyError, csv.Error) as error:
        raise ImportRefused(path, f"cannot be read as a table ({error}); "
                                  "expected a CSV or Excel file with a header row") from error
    frame.columns = [str(name).strip().lower() for name in frame.columns]
    return Table(path, without_footnotes(frame), header_line, encoding)
