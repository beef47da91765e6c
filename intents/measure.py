"""The measure stage: whether the question asks for a rate or percentage, a count or a score."""
from __future__ import annotations

import re

PER = r"per\s+(?:1,?000|10,?000|100,?000|head|capita|household)"
RATE_WORDS = rf"\b(?:rate|rates|percentage|percent|per\s+cent|proportion|share|ratio|{PER})\b|%"
COUNTED = r"(?:claimants|incidents|cases|visits|journeys)"
COUNT_WORDS = "|".join([r"\bhow\s+many\b", r"\b(?:number|count|total)\s+of\b", r"\bcount\b", r"\btonnes\b",
                        r"\bhow\s+much\b", r"\b(?:the\s+)?(?:most|fewest|least)\s+(?!deprived)[a-z]+s\b",
                        rf"^{COUNTED}\b", rf"\b{COUNTED}\s+(?:in|for|at)\b"])


def measure_asked(text: str) -> str | None:
    """'rate' when the question asks for a rate or percentage, 'count' for "how many" / "number of",
    'score' for a score. A measure said not to be wanted ("the number, not the percentage") is not asked."""
    text = re.sub(rf"\b(?:not|rather\s+than|instead\s+of)\s+(?:the\s+|a\s+)?(?:{RATE_WORDS}|number|count|total)", " ", text)
    if re.search(RATE_WORDS, text):
        return "rate"
    if re.search(COUNT_WORDS, text):
        return "count"
    if re.search(r"\bscores?\b", text):
        return "score"
    return None
