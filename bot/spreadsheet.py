"""Cells safe to open in Excel: text beginning with =, +, -, @, a tab or a carriage return is a
formula to a spreadsheet (OWASP's "CSV injection"), so every CSV perfbot writes passes its cells
through `safe_cell`, which puts a ' before such text. Numbers (-3.5) are left as they are."""
from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # with the full-width forms Excel also reads
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet shows it as text: a leading ' before anything read as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START) or NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    """Every cell of a row made safe (see `safe_cell`)."""
    return {name: safe_cell(value) for name, value in row.items()}
