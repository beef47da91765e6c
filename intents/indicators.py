"""Finding the indicator a question is about, by name, code, aliases and everyday words, tolerant
of typos. Each indicator's phrases are split into words; a phrase scores by how much of it (weighted
by how distinctive each word is) the question contains, exactly or nearly (rapidfuzz), and by how
much of the question it explains. Close scores are reported so the bot can ask back."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

from intents.text import content_words, normalise

ACCEPT = 0.45
CLOSE = 0.12
FUZZY_FLOOR = 82.0


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
    """Every indicator's phrases as stemmed words, with word weights (rarer words weigh more)."""

    phrases: list[tuple[str, str, tuple[str, ...]]]
    weights: dict[str, float]

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
        best: dict[str, IndicatorMatch] = {}
        for code, phrase, tokens in self.phrases:
            score = self._score(question, tokens)
            if score > 0 and (code not in best or score > best[code].score):
                best[code] = IndicatorMatch(code, round(score, 4), phrase)
        return sorted(best.values(), key=lambda m: (-m.score, m.code))

    def _score(self, question: list[str], tokens: tuple[str, ...]) -> float:
        total = sum(self.weights.get(t, 1.0) for t in tokens)
        earned, used = 0.0, set()
        for token in tokens:
            credit, where = 0.0, None
            for i, word in enumerate(question):
                if word == token:
                    credit, where = 1.0, i
                    break
                if len(token) >= 5 and len(word) >= 5:
                    ratio = fuzz.ratio(word, token)
                    if ratio >= FUZZY_FLOOR and (ratio - 80) / 20 > credit:
                        credit, where = (ratio - 80) / 20, i
            if where is not None:
                earned += credit * self.weights.get(token, 1.0)
                used.add(where)
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
