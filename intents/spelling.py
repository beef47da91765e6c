"""Typing slips mended before anything else is read: a word that is no English word ("obseity",
"absense", "dedline", "prevnted") and one slip — a letter changed, added or dropped, or two swapped —
from exactly one word perfbot knows (its indicators' and services' names and its cue words) becomes
that word — never a framing word, which would let a word that blocks an answer through. Known words
and ordinary English are taken as typed."""
from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from intents.english import zipf

ENGLISH = 3.0  # a word at least this common in English (Zipf) is a word, not a slip
SHORTEST = 4  # shorter words have too many neighbours to mend safely
CUE_WORDS = frozenset("""target targets trend trends deadline deadlines compare compared comparison owner owns
responsible improving improved worsening getting highest lowest ranking ranked average submitted overdue
outstanding performance percentage population national regional neighbours england wards council women men
female male boys girls child""".split())


class Speller:
    """The words perfbot knows, by length, and the mending of one question's words."""

    def __init__(self, known: frozenset[str]):
        self.known = frozenset(word for word in known | CUE_WORDS if word.isalpha())
        self._by_length: dict[int, list[str]] = {}
        for word in self.known:
            self._by_length.setdefault(len(word), []).append(word)
        self.mended = lru_cache(maxsize=4096)(self._mend_word)

    def mend(self, text: str) -> str:
        """Normalised `text` with its slips mended."""
        return " ".join(self.mended(word) for word in text.split())

    def _mend_word(self, word: str) -> str:
        if word.endswith("in") and word + "g" in self.known:
            return word + "g"  # "goin", "lookin", "tippin"
        if len(word) < SHORTEST or not word.isalpha() or word in self.known or word[:-1] in self.known \
                or zipf(word) >= ENGLISH:
            return word  # a known word, its plural ("ksis"), or ordinary English
        near = [choice for size in (len(word) - 1, len(word), len(word) + 1)
                for choice, _, _ in process.extract(word, self._by_length.get(size, []), scorer=OSA.distance,
                                                     score_cutoff=1, limit=2)]
        if len(near) > 1:  # a letter dropped is the likelier slip: "wmen" is "women" before "when" or "men"
            near = [choice for choice in near if len(choice) > len(word)] or [c for c in near if len(c) == len(word)]
        return near[0] if len(near) == 1 else word
