"""Normalising what people type: lower case, tidy punctuation, apply the synonym table, and split
into words — the common first step of every matcher."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_QUESTION = 500
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})  # and dashes as hyphens
_DROP = re.compile(r"[^\w\s/%£.,&'+=:-]")
_WORD = re.compile(r"[a-z0-9£%][a-z0-9£%&'./+-]*")


@dataclass(frozen=True)
class Synonyms:
    """The word-level synonym table and the stop words, loaded from synonyms.json."""

    words: dict[str, str]
    stopwords: frozenset[str]


class SynonymConflict(ValueError):
    """The synonym table rewrites a word into another word it also rewrites (a chain or a loop)."""


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    """The synonym table, checked for chains when loaded."""
    data = json.loads((Path(__file__).parent / "synonyms.json").read_text(encoding="utf-8"))
    words = {key.lower(): value.lower() for key, value in data["words"].items()}
    chained = sorted(key for key, value in words.items() if any(part in words and part != key for part in value.split()))
    if chained:
        raise SynonymConflict(f"synonyms rewrite to words that are themselves rewritten: {', '.join(chained)}")
    return Synonyms(words, frozenset(word.lower() for word in data["stopwords"]))


CONTRACTED = frozenset({"what", "it", "that", "who", "where", "how", "there", "here", "let", "he", "she", "when", "why"})


def normalise(text: str) -> str:
    """Lower-case ASCII-ish text with tidy spaces and punctuation, cut to MAX_QUESTION characters;
    a possessive 's is dropped ("Park's" → "park"), a contraction kept as one word ("what's" → "whats")."""
    text = unicodedata.normalize("NFKC", text[: MAX_QUESTION * 4]).translate(_APOSTROPHES).lower()
    text = _DROP.sub(" ", text)
    text = re.sub(r"\b([a-z]+)'s\b", lambda m: m.group(0) if m.group(1) in CONTRACTED else m.group(1), text)  # "Park's" → "park"
    text = re.sub(r"(?<=[a-z])'(?=[a-z])", "", text)
    return " ".join(text.split())[:MAX_QUESTION]


def words(text: str) -> list[str]:
    """The words of normalised text with trailing punctuation removed and synonyms applied."""
    table = synonyms().words
    out: list[str] = []
    for raw in _WORD.findall(text):
        word = raw.strip(".,'-/+")
        if not word:
            continue
        out.extend(table.get(word, word).split())
    return out


def content_words(text: str) -> list[str]:
    """Words that carry meaning (stop words removed)."""
    stop = synonyms().stopwords
    return [word for word in words(text) if word not in stop]


class ShorthandConflict(ValueError):
    """The shorthand table rewrites a phrase into text holding another of its phrases."""


@lru_cache(maxsize=1)
def _shorthand() -> tuple[re.Pattern, dict[str, str]]:
    """The shorthand table (shorthand.json) as one pattern, longest phrase first, checked for chains."""
    table = json.loads((Path(__file__).parent / "shorthand.json").read_text(encoding="utf-8"))["shorthand"]
    keys = sorted(table, key=len, reverse=True)
    chained = sorted(key for key, value in table.items()
                     if any(other in value and other not in key  # (a plain search first: the pattern is rarely needed)
                            and re.search(rf"(?<![\w']){re.escape(other)}(?![\w'])", value) for other in keys))
    if chained:
        raise ShorthandConflict(f"shorthand rewrites to text holding other shorthand: {', '.join(chained)}")
    pattern = re.compile(r"(?<![\w'&/.-])(?:" + "|".join(re.escape(key) for key in keys) + r")(?![\w'&/.-])")
    return pattern, table


def expand_shorthand(text: str) -> str:
    """Normalised `text` with chat and local-government shorthand written out ("temp accom" →
    "temporary accommodation", "yr6" → "year 6", "ppl" → "people"; "lol", "tbh" dropped)."""
    pattern, table = _shorthand()
    text = re.sub(r"^n\s+(?=[a-z])", "and ", text)  # "n what about Penn": "and" typed as one letter, leading
    return " ".join(pattern.sub(lambda found: table[found.group(0)], text).split())
