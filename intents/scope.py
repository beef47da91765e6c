"""The scope stage: whose measures the question is about ("my portfolio", "my directorate")."""
from __future__ import annotations

import re

TEAMS = r"service|services|directorate|department|dept|division|area\s+of\s+work"
SCOPES = [("portfolio", r"\b(?:my|our)\s+(?:cabinet\s+)?portfolio\b"),
          ("service", rf"\b(?:my|our)\s+(?:own\s+)?(?:{TEAMS})\b")]


def scope_in(text: str) -> tuple[str | None, str]:
    """Whose measures the question is about ("my portfolio", "my directorate"), and the text without it."""
    for scope, pattern in SCOPES:
        found = re.search(pattern, text)
        if found:
            return scope, " ".join((text[:found.start()] + " " + text[found.end():]).split())
    return None, text
