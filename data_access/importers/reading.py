"""Reading a council's CSV or Excel file into text columns, and the refusal every importer raises
when a file is not what it should be (naming file, line and column, and what was expected)."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

MISSING_MARKERS = frozenset({"", "na", "n/a", "..", ":", "-", "x", "*", "null", "none", "nan"})


class ImportRefused(ValueError):
    """A file refused whole; says which file, line and column, and what was expected there."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None, column: str | None = None):
        self.path, self.problem, self.line, self.column = str(path), problem, line, column
        where = Path(self.path).name
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")


@dataclass
class Table:
    """A file's rows as text, with the file's path for refusals. Row i is on line i + 2."""

    path: Path
    frame: pd.DataFrame
    _stripped: dict[str, pd.Series] = field(default_factory=dict, repr=False)

    @property
    def columns(self) -> list[str]:
        """The header, lower-cased and stripped."""
        return list(self.frame.columns)

    def refuse(self, problem: str, row: int | None = None, column: str | None = None) -> ImportRefused:
        """A refusal for this file at data row `row` (0-based) and `column`."""
        return ImportRefused(self.path, problem, None if row is None else int(row) + 2, column)

    def refuse_header(self, problem: str) -> ImportRefused:
        """A refusal of the header (line 1)."""
        return ImportRefused(self.path, problem, 1)

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
            stripped = np.asarray([str(v).strip() for v in uniques] + [""], dtype=object)
            self._stripped[column] = pd.Series(stripped[codes], index=self.frame.index, name=column)
        return self._stripped[column].copy()

    def required_text(self, column: str) -> pd.Series:
        """A column that must not be blank; refuses at the first blank line."""
        values = self.text(column)
        blank = np.flatnonzero((values == "").to_numpy())
        if len(blank):
            raise self.refuse("a value is required here", blank[0], column)
        return values

    def numbers(self, column: str, required: bool = False) -> pd.Series:
        """A column of numbers: missing markers (NA, blank, ..) become NaN; text is refused, and so
        are infinities; thousands separators and a trailing % are allowed."""
        raw = self.text(column)
        codes, uniques = pd.factorize(raw.to_numpy(dtype=object))
        distinct = pd.Series(uniques, dtype=object)
        missing = distinct.str.lower().isin(MISSING_MARKERS).to_numpy()
        cleaned = distinct.str.replace(",", "", regex=False).str.replace("%", "", regex=False)
        values = np.asarray([np.nan if gone else _number(text) for text, gone in zip(cleaned, missing)], dtype=float)
        bad = (np.isnan(values) & ~missing) | np.isinf(values)
        if bad.any():
            row = int(np.flatnonzero(np.isin(codes, np.flatnonzero(bad)))[0])
            raise self.refuse(f"'{raw.iloc[row]}' is not a number; expected a number, or NA/blank when missing",
                              row, column)
        if required and missing.any():
            row = int(np.flatnonzero(np.isin(codes, np.flatnonzero(missing)))[0])
            raise self.refuse("a number is required here", row, column)
        return pd.Series(np.append(values, np.nan)[codes], index=raw.index, name=column)


def _number(text: str) -> float:
    """The number a cell's text means, read exactly (Python's float, unlike pandas' faster parser,
    rounds correctly: '0.30000000000000004' stays itself); NaN when it is not a number."""
    try:
        return float(text) if "_" not in text else np.nan
    except ValueError:
        return np.nan


EXCEL_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$")


def read_table(path: Path) -> Table:
    """Read a CSV (UTF-8 with or without BOM, else Windows-1252 as Excel saves it) or the first
    sheet of an Excel workbook (.xlsx/.xlsm) as text; Excel date cells read as ISO dates."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ImportRefused(path, "is an Excel 97-2003 workbook (.xls), which perfbot cannot read; "
                                  "save it as .xlsx or CSV")
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
            frame = frame.replace(EXCEL_MIDNIGHT, r"\1", regex=True)
        else:
            try:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            except UnicodeDecodeError:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="cp1252")
    except (UnicodeDecodeError, ValueError, OSError, zipfile.BadZipFile, KeyError) as error:
        raise ImportRefused(path, f"cannot be read as a table ({error}); "
                                  "expected a CSV or Excel file with a header row") from error
    frame.columns = [str(name).strip().lower() for name in frame.columns]
    return Table(path, frame if suffix == ".csv" else frame.fillna(""))  # a CSV read this way has no NaN
