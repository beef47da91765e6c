"""Reading the value in a submission: `5.4`, `5.4%`, `1,234`, `£12k`, `12.5k`, `2m`, or a numerator
and denominator (`23 of 410`, `23 out of 410`, `23/410`, which give a percentage)."""
from __future__ import annotations

import re

from intents.query import Submission

FRACTION = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(?:of|out\s+of|/)\s*(\d[\d,]*(?:\.\d+)?)(?![\w.])")
DIGITS = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)"
NUMBER = re.compile(rf"(?<![\w.])(-?)(£)?{DIGITS}\s*(k|m|bn|%|percent|per\s+cent)?(?![\w.])")
SCALE = {"k": 1e3, "m": 1e6, "bn": 1e9}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def read_submission(text: str) -> Submission | None:
    """The value in normalised `text` (periods already taken out), or None when it has no number."""
    fraction = FRACTION.search(text)
    if fraction:
        top, bottom = _number(fraction.group(1)), _number(fraction.group(2))
        value = round(100 * top / bottom, 6) if bottom else None
        return Submission(fraction.group(0), value, top, bottom)
    candidates = [m for m in NUMBER.finditer(text) if not re.fullmatch(r"(?:19|20)\d{2}", m.group(3))
                  and not re.search(r"\bper\s*$", text[: m.start()])]  # "per 10,000 children" names the indicator
    plain = [m for m in candidates if not re.search(r"\d\s*-\s*$", text[: m.start()]) and
             not re.match(r"\s*-\s*\d", text[m.end():]) and not re.match(r"\s*year", text[m.end():])]
    chosen = (plain or candidates)[-1:] if (plain or candidates) else []
    if not chosen:
        return None
    found = chosen[0]
    value = _number(found.group(3)) * SCALE.get(found.group(4) or "", 1.0)
    if found.group(1):
        value = -value
    return Submission(found.group(0).strip(), value)
