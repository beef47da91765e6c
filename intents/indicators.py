"""Finding the indicator a question is about, by name, code, aliases and everyday words, tolerant
of typos. Each indicator's phrases are split into words; a phrase scores by how much of it (weighted
by how distinctive each word is) the question contains, exactly or nearly (rapidfuzz), and by how
much of the question it explains. Close scores are reported so the bot can ask back."""
from __future__ import annotations

import re

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
from intents.english import zipf
from rapidfuzz import fuzz, process

from intents.filler import FILLER
from intents.text import content_words, normalise

ACCEPT = 0.45
CLOSE = 0.12
FUZZY_FLOOR = 82.0
FUZZY_LENGTH = 5  # shorter words only match exactly
NEAR_CACHE = 20_000
RATE_UNITS = ("%", "per ")
QUALIFIERS = frozenset({"resident", "aged", "age", "percentage", "percent", "proportion", "count", "frequency", "rate", "number",
                        "old", "olds", "yrs", "including", "inc", "excluding", "persons", "all", "total", "score",
                        "weighted", "value", "data", "combined", "best", "fit", "oas", "from"})
QUALIFIER_WEIGHT = 0.3
CONCEPT_CREDIT = 0.85
NEGATIONS = ("un", "non", "in", "dis")
RARE = 2  # a word naming at most this many indicators is evidence on its own


def stem(word: str) -> str:
    """A light plural stem: 'admissions' → 'admission', keeping 'ss' endings and short words."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


@dataclass(frozen=True)
class IndicatorMatch:
    """An indicator and how well the question matched it (0–1), with the phrase that matched."""

    code: str
    score: float
    phrase: str
    words: tuple[str, ...] = ()  # the question's words this indicator's phrases took
    complete: bool = False  # some phrase of the indicator was found whole in the question


MEASURE_WORDS = frozenset({"count", "counts", "number", "numbers", "rate", "rates", "total", "percentage", "per", "figure",
                           "figures", "level", "proportion", "share", "score", "performance", "results", "data",
                           "stats", "statistics", "usage"})  # say how (or that it is measured), not what
COMMON = 5.5  # an English word at least this common (Zipf) is no evidence of an indicator on its own


def _evidence(match: IndicatorMatch) -> bool:
    """True when the words a match took support it: a whole name or alias, two of its words ("business
    rates"), or one word that is neither a measure word ("count") nor among English's most common ("new"
    in "A&E at New Cross" is no evidence of new homes)."""
    if match.words and all(len(word) <= 3 and word in FILLER for word in match.words):
        return False  # "ta" (thanks) is no evidence of temporary accommodation, though an alias of it
    named = [word for word in match.words if word not in MEASURE_WORDS]
    return match.complete or len(match.words) >= 2 and bool(named) \
        or any(zipf(word) < COMMON for word in named)


@dataclass
class IndicatorIndex:
    """Every indicator's phrases as stemmed words, with word weights (rarer words weigh more).
    Matching looks only at the phrases sharing a word (or a near word) with the question."""

    phrases: list[tuple[str, str, tuple[str, ...]]]
    weights: dict[str, float]
    indicators_with: dict[str, int] = field(default_factory=dict)  # how many indicators each word names
    _totals: list[float] = field(init=False, repr=False)
    _phrases_with: dict[str, list[int]] = field(init=False, repr=False)
    _fuzzy_words: list[str] = field(init=False, repr=False)
    _near: dict[str, tuple[tuple[str, float], ...]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._totals = [sum(self._weight(t) for t in tokens) for _, _, tokens in self.phrases]
        self._phrases_with = {}
        for number, (_, _, tokens) in enumerate(self.phrases):
            for token in tokens:
                self._phrases_with.setdefault(token, []).append(number)
        self._fuzzy_words = [token for token in self._phrases_with if len(token) >= FUZZY_LENGTH]

    @classmethod
    def build(cls, indicators: pd.DataFrame) -> IndicatorIndex:
        """Index the dictionary's names, codes, aliases and measures."""
        phrases: list[tuple[str, str, tuple[str, ...]]] = []
        documents: dict[str, set[str]] = {}
        sources = _series_sources(indicators)
        for row in indicators.itertuples():
            texts = [row.name, row.code.replace("_", " "), *[a for a in (row.aliases or "").split(";") if a.strip()],
                     *sources.get(row.code, ())]
            texts += [re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text) for text in texts if re.search(r"[a-z]-[a-z]", text)]
            for text in texts:  # a hyphenated name is also known by its parts ("gigabit capable")
                tokens = tuple(dict.fromkeys(stem(w) for w in content_words(normalise(text))))
                if tokens:
                    phrases.append((row.code, text.strip(), tokens))
                    documents.setdefault(row.code, set()).update(tokens)
        total = max(len(documents), 1)
        frequency: dict[str, int] = {}
        for tokens in documents.values():
            for token in tokens:
                frequency[token] = frequency.get(token, 0) + 1
        weights = {token: 1.0 + math.log(total / count) for token, count in frequency.items()}
        return cls(phrases, weights, frequency)

    def match(self, text: str) -> list[IndicatorMatch]:
        """Indicators the normalised `text` may be about, best first (one entry per indicator)."""
        raw = [w for w in content_words(text) if w not in FILLER or stem(w) in self._phrases_with]
        question = [stem(w) for w in raw]
        if not question:
            return []
        credits = self._credits(question)
        candidates = sorted({number for token in credits for number in self._phrases_with[token]})
        best: dict[str, IndicatorMatch] = {}
        taken: dict[str, set[int]] = {}
        complete: set[str] = set()
        for number in candidates:
            code, phrase, tokens = self.phrases[number]
            score = self._score(question, tokens, self._totals[number], credits)
            found = [credits[t] for t in tokens if t in credits]
            taken.setdefault(code, set()).update(where for _, where in found)
            if len(found) == len(tokens) and all(credit >= 0.7 for credit, _ in found):
                complete.add(code)
            if score > 0 and (code not in best or score > best[code].score):
                best[code] = IndicatorMatch(code, round(score, 4), phrase)
        eligible = {code for code in best if self._whole_question(taken[code], raw, credits)}
        top = max((best[code].score for code in eligible), default=0.0)
        lift = max(0.0, ACCEPT + 0.1 - top) if eligible else 0.0  # the same lift for all: their order stays
        matches = [IndicatorMatch(m.code, round(m.score + (lift if m.code in eligible else 0.0), 4), m.phrase,
                                  tuple(raw[i] for i in sorted(taken[m.code])), m.code in complete)
                   for m in best.values()]
        return sorted((m for m in matches if _evidence(m)), key=lambda m: (-m.score, m.code))

    def _credits(self, question: list[str]) -> dict[str, tuple[float, int]]:
        """For each indexed word the question contains: 1 for the first exact occurrence, else the
        best near one, (ratio - 80) / 20; with the position of the question word it matched."""
        credits: dict[str, tuple[float, int]] = {}
        exact: dict[str, int] = {}
        for where, word in enumerate(question):
            if word in self._phrases_with:
                exact.setdefault(word, where)
            near = self._near_words(word)
            for token, credit in near:
                if credit > credits.get(token, (0.0, where))[0]:
                    credits[token] = (credit, where)
            if word not in self._phrases_with and all(credit < CONCEPT_CREDIT for _, credit in near):  # "safest": crime, not "safety"
                for token in concept_words(word):
                    if token in self._phrases_with and token not in credits:
                        credits[token] = (CONCEPT_CREDIT, where)
        credits.update({token: (1.0, where) for token, where in exact.items()})
        return credits

    def _near_words(self, word: str) -> tuple[tuple[str, float], ...]:
        """Indexed words other than `word` within FUZZY_FLOOR of it, with their credit (cached)."""
        near = self._near.get(word)
        if near is None:
            found = process.extract(word, self._fuzzy_words, scorer=fuzz.ratio, score_cutoff=FUZZY_FLOOR, limit=None) \
                if len(word) >= FUZZY_LENGTH else []
            near = tuple((token, (ratio - 80) / 20) for token, ratio, _ in found if token != word and not _negates(word, token))
            if len(self._near) >= NEAR_CACHE:
                self._near.clear()
            self._near[word] = near
        return near

    def _whole_question(self, taken: set[int], question: list[str], credits: dict[str, tuple[float, int]]) -> bool:
        """True when the indicator's phrases together took every word of the question that names a
        subject (not "children", "residents"…), and either two or more ("homes built": "new homes" +
        "houses built") or one that at most two indicators are named by ("recycling" in a long
        published name): such an indicator is lifted to just above ACCEPT."""
        needed = {where for where, word in enumerate(question) if word not in FILLER}
        if not question or not taken or not needed <= taken:
            return False
        rare = any(self.indicators_with.get(token, 99) <= RARE and credit >= 0.7
                   for token, (credit, where) in credits.items() if where in taken)
        return len(taken) >= 2 or rare

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every (stemmed) word of the indicators' names, codes and aliases."""
        return frozenset(self._phrases_with)

    def _weight(self, token: str) -> float:
        """How much a phrase's word counts: qualifiers (ages, "aged", "percentage") count little, so a
        long published name is found by its subject words."""
        return QUALIFIER_WEIGHT if token.isdigit() or token in QUALIFIERS else self.weights.get(token, 1.0)

    def _score(self, question: list[str], tokens: tuple[str, ...], total: float,
               credits: dict[str, tuple[float, int]]) -> float:
        earned, used = 0.0, set()
        for token in tokens:
            credit = credits.get(token)
            if credit is not None:
                earned += credit[0] * self._weight(token)
                used.add(credit[1])
        if not used:
            return 0.0
        coverage = len(used) / len(question)
        return (earned / total) * (0.75 + 0.25 * coverage)


def subject_words(name: str) -> set[str]:
    """The stemmed words of an indicator's name that say what it is about (qualifiers such as
    "count", "percentage" or "aged" left out)."""
    return {stem(w) for w in content_words(normalise(name)) if w not in QUALIFIERS and not w.isdigit()}


@lru_cache(maxsize=1)
def _concepts() -> dict[str, tuple[str, ...]]:
    data = json.loads((Path(__file__).parent / "concepts.json").read_text(encoding="utf-8"))["concepts"]
    return {stem(key): tuple(stem(w) for phrase in words for w in content_words(normalise(phrase)))
            for key, words in data.items()}


def _series_sources(indicators: pd.DataFrame) -> dict[str, list[str]]:
    """Each indicator's source names that name no other indicator's source ("ASCOF 2A", "NCCIS"):
    a publisher behind several series ("DWP", "ONS", "HR") says nothing of which one is meant."""
    named = {row.code: _named_source(getattr(row, "source", None)) for row in indicators.itertuples()}
    counts: dict[str, int] = {}
    for found in named.values():
        for phrase in set(found):
            counts[phrase.lower()] = counts.get(phrase.lower(), 0) + 1
    return {code: [phrase for phrase in found if counts[phrase.lower()] == 1] for code, found in named.items()}


def _named_source(source) -> list[str]:
    """The names of its own a source has, which people call the series by: its codes and acronyms
    ("ASCOF 2A", "NCCIS", "STATS19", "WasteDataFlow"), never its ordinary or place words ("Trafford
    Data Lab", "Local revenues system")."""
    phrases, run = [], []
    for token in (source.split() if isinstance(source, str) else []) + [""]:
        if re.search(r"\d", token) or len(token) >= 3 and sum(letter.isupper() for letter in token) >= 2:
            run.append(token)
        elif run:
            phrases, run = phrases + [" ".join(run)], []
    return phrases


def concept_words(word: str) -> tuple[str, ...]:
    """The (stemmed) words a question word may stand for in published names ("unemployment" → claimant)."""
    return _concepts().get(word, ())


def _negates(word: str, token: str) -> bool:
    """True when one word is the other negated ("unemployment" / "employment"): never near words."""
    return any(word == prefix + token or token == prefix + word for prefix in NEGATIONS)


def decide(matches: list[IndicatorMatch], names: dict[str, str] | None = None, units: dict[str, str] | None = None,
           measure: str | None = None) -> tuple[str | None, list[str]]:
    """The indicator to answer about, or None with the close candidates to ask about. Close
    candidates that are one published series in two measures (a count and a percentage of the same
    name) are one: the measure asked for, else the rate."""
    if not matches or matches[0].score < ACCEPT:
        return None, []
    matches = _beside_everyday_words(matches)
    wider = next((m for m in matches[1:] if m.score >= ACCEPT and set(matches[0].words) < set(m.words)), None)
    if wider is not None and not any(set(wider.words) < set(m.words) for m in matches):
        return wider.code, []  # "care leavers": the match taking both words, not "care rate" taking one
    rivals = [m for m in matches[1:] if matches[0].score - m.score < CLOSE]
    if rivals and matches[0].complete and all(set(m.words) < set(matches[0].words) for m in rivals):
        return matches[0].code, []  # "care leavers neet": the match taking every word its rivals took, and more
    if rivals and matches[0].complete and all(len(m.words) == 1 and len(matches[0].words) >= 3 for m in rivals):
        return matches[0].code, []  # "residents satisfied with the call centre": three words of one, not one of another
    close = [m.code for m in matches if matches[0].score - m.score < CLOSE]
    if len(close) > 1 and names and units and len({names.get(code, code).lower() for code in close}) == 1:
        rates = [code for code in close if str(units.get(code, "")).startswith(RATE_UNITS)]
        counts = [code for code in close if units.get(code) == "count"]
        chosen = counts if measure == "count" else rates
        if len(chosen) == 1:
            return chosen[0], []
    if len(close) == 1:
        return close[0], []
    return None, close[:4]


def _beside_everyday_words(matches: list[IndicatorMatch]) -> list[IndicatorMatch]:
    """Without the close matches that took only everyday words ("residents keep going on about crime":
    the crime rate, not the resident population), when a close one took a word of its own."""
    close = [m for m in matches if matches[0].score - m.score < CLOSE]
    everyday = {m.code for m in close if m.words and all(word in FILLER for word in m.words)}
    if not everyday or len(everyday) == len(close):
        return matches
    return [m for m in matches if m.code not in everyday]


MEASURES = {"rate": lambda unit: unit != "count", "count": lambda unit: unit == "count",
            "score": lambda unit: unit == "score"}


DEFAULT_LIFT = 0.45  # unasked, a rate goes first only when it matched the same words at least this well


def prefer_measure(matches: list[IndicatorMatch], measure: str | None, units: dict[str, str]) -> list[IndicatorMatch]:
    """Matches re-ordered for what the question asks — a rate ("rate", "percentage", "per 1,000"), a
    count ("how many"), a score — when the same subject is held in that measure and in another: the
    best match in the measure asked for goes first. Unasked, a rate of the very same words goes before
    a count (a careful analyst quotes the claimant rate, not the count). Otherwise nothing changes."""
    asked = measure is not None
    if not matches:
        return matches
    fits = MEASURES[measure or "rate"]
    top = matches[0]
    if fits(str(units.get(top.code, ""))):  # asked for and found: the other measures are no rival
        return matches if not asked else [top, *sorted(
            (m if fits(str(units.get(m.code, ""))) else IndicatorMatch(m.code, round(m.score * 0.5, 4), m.phrase, m.words, m.complete)
             for m in matches[1:]), key=lambda m: (-m.score, m.code))]
    same_subject = [m for m in matches if fits(str(units.get(m.code, ""))) and (
        set(m.words) >= set(top.words) - QUALIFIERS if asked else set(m.words) == set(top.words) and m.complete == top.complete and m.score >= top.score * DEFAULT_LIFT)]
    if not same_subject:
        return matches
    lifted = same_subject[0]
    first = IndicatorMatch(lifted.code, max(lifted.score, top.score), lifted.phrase, lifted.words, lifted.complete)
    rest = [IndicatorMatch(m.code, round(m.score * 0.5, 4), m.phrase, m.words, m.complete)
            if not fits(str(units.get(m.code, ""))) else m for m in matches if m.code != lifted.code]
    return [first, *sorted(rest, key=lambda m: (-m.score, m.code))]
