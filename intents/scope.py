"""The scope stage: whose measures the question is about ("my portfolio", "my directorate", "my
measures", "any of mine")."""
from __future__ import annotations

import re

TEAMS = r"service|services|directorate|department|dept|division|area\s+of\s+work|team|teams"
MEASURES = r"measures|indicators|kpis|pis|metrics|ones"
SCOPES = [("portfolio", r"\b(?:my|our)\s+(?:cabinet\s+)?portfolio\b"),
          ("service", rf"\b(?:my|our)\s+(?:own\s+)?(?:{TEAMS})\b")]
OWN = rf"\bmy\s+(?:own\s+)?(?:{MEASURES})\b|\bof\s+mine\b|\bthe\s+ones\s+i\s+(?:own|look\s+after)\b"


def scope_in(text: str) -> tuple[str | None, str]:
    """Whose measures the question is about ("my portfolio", "my directorate"), and the text without it."""
    for scope, pattern in SCOPES:
        found = re.search(pattern, text)
        if found:
            return scope, " ".join((text[:found.start()] + " " + text[found.end():]).split())
    if re.search(OWN, text):  # the words stay: "are any of my measures red" still asks a status
        return "own", text
    return None, text
