"""Breakdowns named in questions: "female life expectancy", "obesity in the most deprived quintile",
"children under 10", "aged 65+". The store's own breakdown labels (per indicator) are the
vocabulary; a question naming a breakdown an indicator does not have is told so, never answered
with the whole-population figure, and a breakdown value is never quoted as the whole."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from intents.text import normalise, words

# Words that only say what kind of breakdown a label is; the other words of a label must all be asked.
KIND_WORDS = frozenset({"yrs", "years", "year", "aged", "age", "ages", "group", "band", "quintile", "decile",
                        "quintiles", "deciles", "imd", "imd2019", "imd2015", "imd2010", "fifth", "tenth", "persons",
                        "people", "all", "the", "of", "and", "to", "in", "county", "ua", "district", "by",
                        "deprivation", "old", "olds", "category", "type", "sex", "gender"})
# Words that ask for a breakdown in any question (sex, age, deprivation); plural forms are synonyms.
ASKING = frozenset({"female", "male", "deprived", "quintile", "decile", "aged", "ethnicity", "ethnic", "young",
                    "youth", "younger", "older", "elderly", "pensioners", "teenagers", "teenage"})
RANKED = re.compile(r"\b(?:most|least)\s+deprived\s+(?=(?:wards?|councils?|boroughs?|authorit\w+|places?|las?)\b)")
DURATION = r"(?:years?|yrs?|months?|mths?|quarters?|qtrs?)\b"  # "over 5 years" is a span of time
AGE_UNDER = re.compile(r"(?:<|\bunder\s+|\bbelow\s+|\baged\s+under\s+)(\d{1,3})")
AGE_OVER = re.compile("|".join([r"\b(\d{1,3})\s*(?:\+|plus\b|and\s+over\b|or\s+over\b|and\s+older\b)",
                                  r"\b(?:over|aged\s+over)\s+(\d{1,3})(?!\s*" + DURATION + ")"]))
AGE_SPAN = re.compile(r"\b(\d{1,3})\s*(?:-|to)\s*(\d{1,3})s?\b(?!\s*/)")
PLACES_OF = r"(?:wards?|councils?|boroughs?|authorit\w+|places?|la|las)"
DEPRIVED = rf"\b(?:the\s+)?(?:second\s+)?(?:most|least)\s+deprived(?!\s+{PLACES_OF}\b)"
SHARE_OF = r"(?:\s+(?:quintile|decile|fifth|tenth|areas?|communities|neighbourhoods))?\b"
YEARS_OLD = r"\s*-?\s*(?:years?|yrs?)(?:\s*-?\s*olds?)?\b(?!\s+(?:ago|back|earlier))"
PHRASE = re.compile("|".join([DEPRIVED + SHARE_OF,
                              r"\b(?:aged|under|over)\s+\d{1,3}s?\b(?:\s*(?:\+|and\s+over|or\s+over|plus))?",
                              r"\b\d{1,3}\s*(?:\+|plus|and\s+over)",
                              r"\b\d{1,3}(?:\s*(?:-|to|\s)\s*\d{1,3})?" + YEARS_OLD,
                              r"\b\d{1,3}\s*-\s*\d{1,3}s\b"]))


def label_words(label: str) -> set[str]:
    """The words of a breakdown label that a question must name ("Most deprived quintile (IMD2019)"
    → {most, deprived})."""
    return {w.rstrip("+") for w in words(normalise(label.replace("+", " plus ").replace("-", " ")))
            if w.rstrip("+") and w.rstrip("+") not in KIND_WORDS}


@dataclass
class BreakdownIndex:
    """Each indicator's breakdown labels (those other than the whole population)."""

    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, pairs: pd.DataFrame) -> BreakdownIndex:
        """From (indicator_code, breakdown) rows of the store."""
        labels: dict[str, list[str]] = {}
        for code, label in pairs[["indicator_code", "breakdown"]].itertuples(index=False):
            if label:
                labels.setdefault(code, []).append(label)
        return cls({code: tuple(sorted(found)) for code, found in labels.items()})

    def of(self, indicator: str | None) -> tuple[str, ...]:
        """The breakdown labels an indicator has."""
        return self.labels.get(indicator or "", ())

    def by_age(self, indicator: str | None, text: str) -> str | None:
        """The indicator's breakdown for the age band `text` names ("under 75" ↔ "<75 yrs", "65 and
        over" ↔ "65+ yrs", "aged 16 to 64" ↔ "16-64 yrs")."""
        asked = age_band(text)
        if asked is None:
            return None
        return next((label for label in self.of(indicator) if age_band(label.lower()) == asked), None)

    def choose(self, indicator: str | None, asked: set[str], phrase_words: set[str]) -> tuple[str | None, set[str]]:
        """The indicator's breakdown whose words are all among `asked` (the most specific one), and
        the words of `asked` it used."""
        best, best_words = None, set()
        for label in self.of(indicator):
            needed = label_words(label)
            for kind in ("quintile", "decile"):
                if kind in phrase_words and kind not in label.lower():
                    needed = needed | {kind}
            if needed and needed <= asked and len(needed) > len(best_words):
                best, best_words = label, needed
        return best, best_words


def asked_words(text: str) -> tuple[set[str], str]:
    """The breakdown words of normalised `text` (sex, age, deprivation) and the text without the
    breakdown phrases ("most deprived quintile" is not a ranking; "most deprived wards" is)."""
    phrases = [found.group(0) for found in PHRASE.finditer(text)]
    asked = {w.rstrip("+") for phrase in phrases for w in words(phrase.replace("+", " plus "))}
    asked |= {w for w in words(RANKED.sub(" ", text)) if w in ASKING}
    rest = PHRASE.sub(" ", text)
    return asked - {"the", "and", "or"}, " ".join(rest.split())


def age_band(text: str) -> tuple[int, int] | None:
    """The age band a text names, as (lowest, highest) years; None when it names none."""
    over = AGE_OVER.search(text)
    if over:
        return int(over.group(1) or over.group(2)), 999
    under = AGE_UNDER.search(text)
    if under:
        return 0, int(under.group(1)) - 1
    for span in AGE_SPAN.finditer(text):
        low, high = int(span.group(1)), int(span.group(2))
        if not _a_year(low, high, text[:span.start()], text[span.end():]):
            return low, high
    return None


def _a_year(low: int, high: int, before: str, after: str) -> bool:
    """True for a span that reads as a financial year ("24-25 Q4"), not ages: consecutive numbers from
    18 up, not said to be ages ("aged 24-25", "24-25 year olds")."""
    said_ages = re.search(r"\bage[sd]?\s*$", before) or re.search(r"^\s*(?:year|yr|y)[\s-]*olds?\b|^\s*yo\b", after)
    return high == low + 1 and low >= 18 and not said_ages


def without_breakdowns(rest: str, text: str) -> str:
    """`rest` without the breakdown phrases that `text` (the fuller text it was cut from) has."""
    for found in PHRASE.finditer(text):
        rest = rest.replace(found.group(0), " ")
    return " ".join(rest.split())
