"""How common a word is in English, on the Zipf scale: wordfreq's English list ("large_en"), read
once from the file wordfreq ships, with wordfreq's own figure for every word (tests/test_english.py
checks they agree). A plain lower-case word is looked up in the list; anything else (capitals,
hyphens, digits, other scripts) is split by wordfreq's tokenizer and its numbers are wordfreq's
estimate. Reading the list here spares each process about a third of a second before its first answer:
wordfreq's own lookup tokenizes every word and builds its table of floats, and on import it finds
its data folder by reading the interpreter's stack, which at the depth of perfbot's imports reads
the source of every module on it (so it is imported on a thread of its own, whose stack is short)."""
from __future__ import annotations

import gzip
import importlib
import importlib.util
import math
import threading
from functools import lru_cache
from pathlib import Path

import msgpack

LIST_FILE = "large_en.msgpack.gz"


def _list_path() -> Path:
    """Where wordfreq's English list lies, found without importing wordfreq."""
    spec = importlib.util.find_spec("wordfreq")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / LIST_FILE


@lru_cache(maxsize=1)
def _centibels() -> dict[str, int]:
    """Each word of the list with its band: band n holds the words of frequency 10^(-n/100)."""
    with gzip.open(_list_path(), "rb") as packed:
        header, *bands = msgpack.load(packed, raw=False)
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"wordfreq's {LIST_FILE} is not in the format read here: {header!r}")
    bands_of: dict[str, int] = {}
    for band, band_words in enumerate(bands):
        bands_of.update(dict.fromkeys(band_words, band))
    return bands_of


@lru_cache(maxsize=1)
def _wordfreq():
    """wordfreq itself, imported once on a short-lived thread of its own (see the module's docstring)."""
    worker = threading.Thread(target=importlib.import_module, args=("wordfreq",), name="import-wordfreq")
    worker.start()
    worker.join()
    return importlib.import_module("wordfreq")  # imported by now (or its error raised here)


def _frequency(word: str) -> float:
    """The word's frequency as wordfreq gives it: the list's figure for each of its tokens (a number's
    digits counted together, then its share of such numbers), combined as 1/f = 1/f1 + 1/f2 + …"""
    if word.isascii() and word.isalpha() and word.islower():
        tokens, numbers = [word], None
    else:
        wordfreq = _wordfreq()
        tokens, numbers = wordfreq.lossy_tokenize(word, "en"), wordfreq.numbers
    bands, inverse = _centibels(), 0.0
    for token in tokens:
        counted = numbers.smash_numbers(token) if numbers else token
        band = bands.get(counted)
        if band is None:
            return 0.0
        frequency = 10 ** (-band / 100) * (numbers.digit_freq(token) if counted != token else 1)
        inverse += 1 / frequency
    return 1 / inverse if inverse else 0.0


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """`wordfreq.zipf_frequency(word, "en")`: 0 for a word not in the list, about 7 for "the"."""
    frequency = max(_frequency(word), 1e-9)  # wordfreq's floor: Zipf 0, once in a billion words
    frequency = round(frequency, math.floor(-math.log10(frequency)) + 3)  # wordfreq keeps 3 significant digits
    return round(math.log10(frequency) + 9, 2)
