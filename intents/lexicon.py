"""What the parser knows about one store: its indicators, places, services and portfolios, the
breakdowns its figures have and the people it knows — built once, read by every stage."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz
from intents.english import zipf

from data_access.areas import area_aliases, area_members
from intents.breakdowns import BreakdownIndex, label_words
from intents.indicators import IndicatorIndex, stem
from intents.places import PlaceIndex, clean_name
from intents.spelling import Speller
from intents.text import normalise, words


@dataclass
class Lexicon:
    """What the parser knows about this store: indicators, places, services and portfolios."""

    indicators: IndicatorIndex
    places: PlaceIndex
    services: dict[str, str]
    breakdowns: BreakdownIndex
    units: dict[str, str]
    names: dict[str, str]
    levels: dict[str, str]
    descriptions: dict[str, str]
    meaningful: frozenset[str] = frozenset()  # perfbot's own words, stemmed: a leftover one is asked about
    people: dict[str, str] = field(default_factory=dict)  # a person's name, normalised ("maya rowe") → e-mail
    service_words: dict[str, str] = field(default_factory=dict)  # a word only one service's name has → that service
    homes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # an indicator's service and portfolio
    speller: Speller = field(default_factory=lambda: Speller(frozenset()))  # typing slips mended
    _first_names: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, indicators: pd.DataFrame, places: pd.DataFrame, council: str | None,
              groups: dict[str, list[str]], breakdowns: pd.DataFrame | None = None,
              with_figures: frozenset[str] = frozenset(), people: dict[str, str] | None = None) -> Lexicon:
        """Build the matchers from the store's dictionary, places, comparator groups, the
        (indicator_code, breakdown) pairs its observations have, the places it holds figures for and
        the people it knows (name → e-mail)."""
        services = {}
        for column in ("service", "portfolio"):
            for name in indicators[column].dropna().unique():
                services[normalise(name)] = name
        pairs = breakdowns if breakdowns is not None else pd.DataFrame(columns=["indicator_code", "breakdown"])
        index, labels = IndicatorIndex.build(indicators), BreakdownIndex.build(pairs)
        meaningful = {word for word in index.vocabulary | {stem(word) for name in services for word in words(name)}
                      | {stem(word) for found in labels.labels.values() for label in found for word in label_words(label)}
                      if zipf(word) < EVERYDAY}  # "not", "in", "work" say too little to ask about
        return cls(index, PlaceIndex.build(places, council, groups, with_figures, _areas_named(places, council)), services,
                   labels, dict(zip(indicators["code"], indicators["unit"])),
                   dict(zip(indicators["code"], indicators["name"])),
                   dict(zip(indicators["code"], indicators["geography_levels"].fillna(""))),
                   dict(zip(indicators["code"], indicators["description"].fillna(""))), frozenset(meaningful),
                   {_person_key(name): email for name, email in (people or {}).items()}, _service_words(indicators),
                   {row.code: tuple(name for name in (row.service, row.portfolio) if isinstance(name, str))
                    for row in indicators.itertuples()}, Speller(_known_words(indicators, services)))

    def person_in(self, text: str) -> tuple[str | None, tuple[str, ...], str]:
        """The e-mail of a person named in full in `text` ("has Maya Rowe sent…", "Cllr Priya Evans"),
        or else the e-mails of everyone a first name said alone may be ("what does Imran still owe"),
        and the text without the name. A first name that is an everyday word ("will", "may") is none."""
        for name, email in self.people.items():
            found = re.search(rf"\b(?:cllr\s+|councillor\s+)?{re.escape(name)}\b", text)
            if found:
                return email, (), " ".join((text[:found.start()] + " " + text[found.end():]).split())
        for found in re.finditer(r"[a-z]+", text):
            emails = self.first_names.get(found.group(0), ())
            if emails and zipf(found.group(0)) < EVERYDAY_NAME and not re.match(ON_BEHALF, text[found.end():]):
                rest = " ".join((text[:found.start()] + " " + text[found.end():]).split())
                return (emails[0] if len(emails) == 1 else None), (emails if len(emails) > 1 else ()), rest
        return None, (), text

    @property
    def first_names(self) -> dict[str, tuple[str, ...]]:
        """Each first name of the people perfbot knows, with the e-mails of everyone of that name."""
        if self._first_names is None:
            found: dict[str, list[str]] = {}
            for name, email in self.people.items():
                found.setdefault(name.split()[0], []).append(email)
            self._first_names = {first: tuple(sorted(set(emails))) for first, emails in found.items()}
        return self._first_names

    def service_word_in(self, text: str) -> str | None:
        """The service or portfolio one distinctive word names ("anything red in adults?", "housing")."""
        for word in words(text):
            found = self.service_words.get(word) or self.service_words.get(word.rstrip("s"))
            if found:
                return found
        return None

    def service_in(self, text: str) -> str | None:
        """A service or portfolio named in `text`, matched on whole words, nearly exactly."""
        best, best_score = None, 0.0
        for key, name in self.services.items():
            if len(key) < 6:
                score = 100.0 if re.search(rf"\b{re.escape(key)}\b", text) else 0.0
            else:  # the whole name, nearly, somewhere in the text (never a short text inside a long name)
                score = fuzz.partial_ratio(key, text) if len(text) >= len(key) else fuzz.ratio(key, text)
            if score >= 90 and score + len(key) / 100 > best_score:
                best, best_score = name, score + len(key) / 100
        return best


EVERYDAY_NAME = 4.8  # a first name this common as an English word ("will", "may", "mark") is read as the word
# "Fiona's asked me to check…", "Chloe thinks I did it": the one who asks, not the one asked about
ON_BEHALF = r"\s+(?:has\s+|is\s+|has\s+just\s+)?(?:asked|asking|wants|wanted|needs|said|says|told|thinks)\b"
EVERYDAY = 5.8  # a word of perfbot's vocabulary at least this common in English is not asked about when unused
GENERIC_SERVICE_WORDS = frozenset({"city", "services", "service", "and", "the", "of", "young", "people", "wellbeing",
                                   "public", "climate", "corporate"})


def _service_words(indicators: pd.DataFrame) -> dict[str, str]:
    """Each word that names exactly one service (else exactly one portfolio), singular: "adult" →
    Adult Services, "housing" → City Housing, "resources" → Resources."""
    found: dict[str, str] = {}
    for column in ("service", "portfolio"):
        names = indicators[column].dropna().unique()
        owners: dict[str, set[str]] = {}
        for name in names:
            for word in words(normalise(name)):
                word = word.rstrip("s") if len(word) > 4 else word
                if word not in GENERIC_SERVICE_WORDS:
                    owners.setdefault(word, set()).add(name)
        for word, holders in owners.items():
            if len(holders) == 1 and word not in found:
                found[word] = next(iter(holders))
    return found


def _areas_named(places: pd.DataFrame, council: str | None) -> dict[str, str]:
    """The ways of naming the groups of councils held ("the Black Country", "the mets") → group name."""
    held = area_members(places, council)
    region = places.loc[places["code"] == council, "region_code"]
    region_name = places.loc[places["code"] == region.iloc[0], "name"] if not region.empty else pd.Series([], dtype=str)
    aliases = area_aliases(region_name.iloc[0] if not region_name.empty else "")
    return {clean_name(alias): name for alias, name in aliases.items() if name in held}


def _known_words(indicators: pd.DataFrame, services: dict[str, str]) -> frozenset[str]:
    """The words a question's slips are mended to: indicators' names and aliases and services — never a
    place's name ("Quxbridge" is no slip of "Uxbridge": places have their own near matching) and never
    a framing word (a word that would block an answer must not be mended into one that does not)."""
    texts = [*indicators["name"], *indicators["aliases"].fillna(""), *services]
    return frozenset(word for text in texts for word in words(normalise(text.replace(";", " "))))


def _person_key(name: str) -> str:
    """A person's name as a question would hold it: normalised, without a "Cllr" title."""
    return re.sub(r"^(?:cllr|councillor)\s+", "", normalise(name))
