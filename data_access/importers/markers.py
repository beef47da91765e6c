"""The markers published statistics put where a value is missing, and what each means: the ONS and
GSS symbols (`..`, `:`, `-`, `*`, `!`, `~`), the EES symbols (`x`, `z`, `c`, `u`, `low`, `k`), NA and
blank. A missing value is recorded with its reason, never as zero."""
from __future__ import annotations

import pandas as pd

REASONS = {
    "": "blank",
    "..": "not available (..)",
    ".": "not applicable (.)",
    ":": "not available (:)",
    "-": "nil or not available (-)",
    "*": "suppressed (*)",
    "!": "suppressed (!)",
    "~": "rounds to zero (~)",
    "x": "not available (x)",
    "z": "not applicable (z)",
    "c": "suppressed (c)",
    "u": "low reliability (u)",
    "low": "rounds to zero (low)",
    "k": "rounds to zero (k)",
    "na": "not available (NA)",
    "n/a": "not available (NA)",
    "null": "not available",
    "none": "not available",
    "nan": "not available",
    "[x]": "not available ([x])",
    "[z]": "not applicable ([z])",
    "[c]": "suppressed ([c])",
    "[u]": "low reliability ([u])",
    "[low]": "rounds to zero ([low])",
    "[n]": "not available ([n])",
    "[y]": "not relevant ([Y])",
    "[w]": "rounds to zero ([w])",
}
MARKERS = frozenset(REASONS)


def reasons(texts: pd.Series) -> pd.Series:
    """The reason each cell's text gives for a missing value (None where the text is not a marker)."""
    codes, uniques = pd.factorize(texts.to_numpy(dtype=object))
    found = [REASONS.get(str(text).lower()) for text in uniques] + [None]
    return pd.Series(pd.array(found, dtype=object)[codes], index=texts.index, dtype=object)
