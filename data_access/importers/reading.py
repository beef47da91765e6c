"""Reading a council's CSV or Excel file into text columns, and the refusal every importer raises
when a file is not what it should be (naming file, line and column, and what was expected)."""
from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def columns(self) -> list[str]:
        """The header, lower-cased and stripped."""
        return list(self.frame.columns)

    def refuse(self, problem: str, row: int | None = None, column: str | None = None) -> ImportRefused:
        """A refusal for this file at data row `row` (0-based) and `column`."""
        return ImportRefused(self.path, problem, None if row is None else int(row) + 2, column)

    def require(self, *columns: str) -> None:
        """Refuse the file unless every named column is in its header."""
        missing = [name for name in columns if name not in self.frame.columns]
        if missing:
            raise self.refuse(f"the header lacks {', '.join(missing)}; expected columns: {', '.join(columns)}")

    def text(self, column: str) -> pd.Series:
        """A column's values stripped of surrounding spaces ('' where blank)."""
        return self.frame[column].str.strip()

    def required_text(self, column: str) -> pd.Series:
        """A column that must not be blank; refuses at the first blank line."""
        values = self.text(column)
        blank = np.flatnonzero((values == "").to_numpy())
        if len(blank):
            raise self.refuse("a value is required here", blank[0], column)
        return values

    def numbers(self, column: str, required: bool = False) -> pd.Series:
        """A column of numbers: missing markers (NA, blank, ..) become NaN; text is refused."""
        raw = self.text(column)
        missing = raw.str.lower().isin(MISSING_MARKERS)
        cleaned = raw.str.replace(",", "", regex=False).str.replace("%", "", regex=False)
        values = pd.to_numeric(cleaned.where(~missing), errors="coerce")
        bad = np.flatnonzero((values.isna() & ~missing).to_numpy())
        if len(bad):
            raise self.refuse(f"'{raw.iloc[bad[0]]}' is not a number; expected a number, or NA/blank when missing",
                              bad[0], column)
        if required and missing.any():
            raise self.refuse("a number is required here", np.flatnonzero(missing.to_numpy())[0], column)
        return values.astype(float)


def read_table(path: Path) -> Table:
    """Read a CSV (any encoding with or without BOM) or the first sheet of an Excel file as text."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as error:
        raise ImportRefused(path, f"cannot be read as a table ({error}); expected a CSV or Excel file with a header row") from error
    frame.columns = [str(name).strip().lower() for name in frame.columns]
    return Table(path, frame.fillna(""))
