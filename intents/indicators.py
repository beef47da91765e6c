"""Finding the indicator a question is about, by name, code, aliases and everyday words, tolerant
of typos. Each indicator's phrases are split into words; a phrase scores by how much of it (weighted
by how distinctive each word is) the question contains, exactly or nearly (rapidfuzz), and by how
much of the question it explains. Close scores are reported so the bot can ask back."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from intents.text import content_words, normalise

ACCEPT = 0.45
CLOSE = 0.12
FUZZY_FLOOR = 82.0
FUZZY_LENGTH = 5  # shorter words only match exactly
NEAR_CACHE = 20_000


def stem(word: str) -> str:
    """A light plural stem: 'admissions' → 'admission', keeping 'ss' endings and short words."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class IndicatorMatch:
    """An indicator and how well the question matched it (0–1), with the phrase that matched."""

    code: str
    score: float
    phrase: str


@dataclass
class IndicatorIndex:
    """Every indicator's phrases as stemmed words, with word weights (rarer words weigh more).
    Matching looks only at the phrases sharing a word (or a near word) with the question."""

    phrases: list[tuple[str, str, tuple[str, ...]]]
    weights: dict[str, float]
    _totals: list[float] = field(init=False, repr=False)
    _phrases_with: dict[str, list[int]] = field(init=False, repr=False)
    _fuzzy_words: list[str] = field(init=False, repr=False)
    _near: dict[str, tuple[tuple[str, float], ...]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._totals = [sum(self.weights.get(t, 1.0) for t in tokens) for _, _, tokens in self.phrases]
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
        for row in indicators.itertuples():
            texts = [row.name, row.code.replace("_", " "), *[a for a in (row.aliases or "").split(";") if a.strip()]]
            for text in texts:
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
        return cls(phrases, weights)

    def match(self, text: str) -> list[IndicatorMatch]:
        """Indicators the normalised `text` may be about, best first (one entry per indicator)."""
        question = [stem(w) for w in content_words(text)]
        if not question:
            return []
        credits = self._credits(question)
        candidates = sorted({number for token in credits for number in self._phrases_with[token]})
        best: dict[str, IndicatorMatch] = {}
        for number in candidates:
            code, phrase, tokens = self.phrases[number]
            score = self._score(question, tokens, self._totals[number], credits)
            if score > 0 and (code not in best or score > best[code].score):
                best[code] = IndicatorMatch(code, round(score, 4), phrase)
        return sorted(best.values(), key=lambda m: (-m.score, m.code))

    def _credits(self, question: list[str]) -> dict[str, tuple[float, int]]:
        """For each indexed word the question contains: 1 for the first exact occurrence, else the
        best near one, (ratio - 80) / 20; with the position of the question word it matched."""
        credits: dict[str, tuple[float, int]] = {}
        exact: dict[str, int] = {}
        for where, word in enumerate(question):
            if word in self._phrases_with:
                exact.setdefault(word, where)
            for token, credit in self._near_words(word):
                if credit > credits.get(token, (0.0, where))[0]:
                    credits[token] = (credit, where)
        credits.update({token: (1.0, where) for token, where in exact.items()})
        return credits

    def _near_words(self, word: str) -> tuple[tuple[str, float], ...]:
        """Indexed words other than `word` within FUZZY_FLOOR of it, with their credit (cached)."""
        near = self._near.get(word)
        if near is None:
            found = process.extract(word, self._fuzzy_words, scorer=fuzz.ratio, score_cutoff=FUZZY_FLOOR, limit=None) \
                if len(word) >= FUZZY_LENGTH else []
            near = tuple((token, (ratio - 80) / 20) for token, ratio, _ in found if token != word)
            if len(self._near) >= NEAR_CACHE:
                self._near.clear()
            self._near[word] = near
        return near

    def _score(self, question: list[str], tokens: tuple[str, ...], total: float,
               credits: dict[str, tuple[float, int]]) -> float:
        earned, used = 0.0, set()
        for token in tokens:
            credit = credits.get(token)
            if credit is not None:
                earned += credit[0] * self.weights.get(token, 1.0)
                used.add(credit[1])
        if not used:
            return 0.0
        coverage = len(used) / len(question)
        return (earned / total) * (0.75 + 0.25 * coverage)


def decide(matches: list[IndicatorMatch]) -> tuple[str | None, list[str]]:
    """The indicator to answer about, or None with the close candidates to ask about."""
    if not matches or matches[0].score < ACCEPT:
        return None, []
    close = [m.code for m in matches if matches[0].score - m.score < CLOSE]
    if len(close) == 1:
        return close[0], []
    return None, close[:4]
