"""Finding the places a question names: "my ward", "here", "the city" / "the council" / "us", "the
region", "England" / "national", named wards (the council's own), councils, regions, comparator
groups ("CIPFA neighbours"), and collections to rank ("wards", "the West Midlands councils").
Names are matched exactly or, for longer names, with rapidfuzz (typos such as "tettenhal regis")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from intents.english import zipf
from intents.filler import FILLER

MY_WARD, COUNCIL, REGION, ENGLAND = "my_ward", "council", "region", "england"
THE_WARD = "the_ward"  # "in the ward": the ward talked about (else the asker's own)
WARDS, COUNCILS, REGIONS = "wards", "councils", "regions"

CITY_WORDS = "|".join(["city", "council", "borough", "authority", r"local\s+authority", r"city[\s-]?wide",
                       r"borough[\s-]?wide", r"whole\s+city", r"whole\s+borough"])
ENGLAND_WORDS = "|".join(["england", r"english\s+average", "national(?:ly)?", r"(?:the\s+)?national\s+average",
                          "nationwide", r"(?:the\s+(?:whole\s+)?)?country(?!\s+parks?)", "nation"])
SPECIAL = [
    (MY_WARD, "|".join([r"\b(?:my|our)\s+(?:ward|wd|area|patch|division|bit|neck\s+of\s+the\s+woods)\b", r"\bhere\b",
                        r"\bwhere\s+i\s+live\b", r"\b(?:a)?round\s+(?:our|my)\s+way\b", r"\blocally\b",
                        r"\b(?:in|for|at|(?:a)?round|near)\s+mine\b"])),  # "fly tipping in mine", "round mine"
    (THE_WARD, r"\b(?:in|for|of|at|from|across)\s+(?:the|that|this)\s+(?:ward|wd)\b(?!\s*s\b)"),
    (COUNCIL, rf"\b(?:the\s+)?(?:{CITY_WORDS})\b(?!\s+(?:tax|councils?))|\bus\b|\bwe\b|\bours?\b"),
    (REGION, r"\b(?:the\s+)?(?:region|regional|regionally|regional\s+average)\b"),
    (ENGLAND, rf"\b(?:{ENGLAND_WORDS})\b"),
]
COMPARING_WORDS = r"\b(?:vs|v|versus|compared?|comparing|comparison|against|than|with|beside|relative)\b"
GROUP_NAMES = "|".join([r"(?:childrens?\s+services\s+)?statistical\s+neighbou?rs?",
                        r"cipfa(?:\s+(?:nearest\s+|statistical\s+)?neighbou?rs?)?", r"nearest\s+neighbou?rs?",
                        r"statistical\s+neighbou?rs?", r"neighbou?rs?", r"similar\s+councils", "comparators?", "peers?",
                        "cssn"])
GROUP_WORDS = rf"\b(?:{GROUP_NAMES})\b"
WHICH = r"which|what|rank|ranking|all|other|each|every|compare|best|worst|top|bottom|highest|lowest"
A_COUNCIL = r"(?:council|authority|local\s+authority|borough|district)\b(?!\s+tax)"
WHICH_COUNCIL = rf"\b(?:{WHICH})\s+(?:the\s+)?(?:of\s+the\s+)?(?:performing\s+)?{A_COUNCIL}"
WHICH_REGION = r"\b(?:which|what|rank|ranking|each|every)\s+(?:english\s+)?region\b|\b(?:english\s+)?regions\b"
COLLECTIONS = [
    (WARDS, r"\b(?:wards?|neighbourhoods?|areas)\b"),
    (COUNCILS, r"\b(?:councils?(?!\s+tax)|authorities|local\s+authorities|boroughs|districts|las)\b"),
]


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a question: a code, or a special reference resolved later (my ward, the region…)."""

    kind: str
    code: str | None = None
    phrase: str = ""


@dataclass
class PlaceFinding:
    """Everything about places found in a question, in the order they were mentioned."""

    mentions: list[PlaceMention] = field(default_factory=list)
    partial: tuple[str, tuple[str, ...]] | None = None  # a name that is part of several wards: (phrase, ward codes)
    group: str | None = None
    collection: str | None = None
    rest: str = ""
    without_names: str = ""


COMPASS = frozenset({"north", "south", "east", "west", "central"})
GENERIC_NAME_WORDS = frozenset({"north", "south", "east", "west", "central", "upper", "lower", "town", "park", "and",
                                "st", "the", "village", "green", "hill", "road", "new", "old", "great", "little",
                                "common", "vale", "low", "high", "end", "city", "ward", "on", "upon", "with", "of"})


PLACE_CUE_WORDS = frozenset({"in", "for", "at", "vs", "v", "versus", "than", "against", "with", "across", "and", "within"})
EDGE_WORDS = frozenset({"in", "for", "at", "of", "the", "and", "vs", "v", "than", "with", "to", "on", "by", "is", "my", "our"})
EVERYDAY_ZIPF = 4.5  # a word this common in English ("not", "best") is said for itself, not as a shortened name
WARD_CODE = re.compile(r"^(?:E05|W05|S13|N08)\d{6}$")


def is_ward(code: str | None) -> bool:
    """True for a ward's GSS code (E05…, W05…, S13…, N08…)."""
    return bool(code and WARD_CODE.match(code))


def is_region(code: str | None) -> bool:
    """True for an English region's GSS code (E12…)."""
    return bool(code and code.startswith("E12"))


def is_comparator(code: str | None) -> bool:
    """True for a region or a country (E12…, E92…): what a place is compared against."""
    return bool(code and code[:3] in ("E12", "E92"))


def clean_name(name: str) -> str:
    """A place name as matched: lower case, '&' as 'and', no apostrophes or full stops, hyphens and
    commas as spaces, 'Saint' as 'St' ("St. Peter's" and "saint peters" are the same)."""
    text = re.sub(r"(?<=\w)['’](?=\w)", "", name.lower()).replace("&", " and ").replace(".", "")
    text = re.sub(r"[,'’\-/()]", " ", text)
    return " ".join("st" if word == "saint" else word for word in text.split())


_clean = clean_name


@dataclass
class PlaceIndex:
    """Names of the places a council's users talk about: its wards, councils, regions and countries."""

    names: dict[str, str]
    groups: dict[str, str]
    codes: frozenset[str] = frozenset()
    partials: dict[str, tuple[str, ...]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # "black country", "metropolitan councils" → group name
    council: str | None = None  # the council whose users these are
    shortened: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)  # ward names by initials

    @classmethod
    def build(cls, places: pd.DataFrame, council: str | None, groups: dict[str, list[str]],
              with_figures: frozenset[str] = frozenset(), areas: dict[str, str] | None = None) -> PlaceIndex:
        """Index the council's own wards, the wards the store holds figures for (published ward data of
        any council), every council, region and country, and comparator-group members."""
        members = {code for codes in groups.values() for code in codes}
        wanted = places[(places["level"].isin(["local_authority", "county", "region", "country"]))
                        | (places["la_code"] == council) | places["code"].isin(members | with_figures)]
        names: dict[str, str] = {}
        for row in wanted.sort_values("level", key=lambda s: s.map({"ward": 0}).fillna(1)).itertuples():
            names.setdefault(_clean(row.name), row.code)
        names.update({alias: council for alias in _initials_of(names, council) if alias not in names})
        group_names = {_clean(name): name for name in groups}
        levels = dict(zip(places["code"], places["level"]))
        return cls(names, group_names, frozenset(places["code"]), _partials(names, places),
                   levels, dict(areas or {}), council, _by_initials(names, levels))

    def find(self, text: str, subject_words: frozenset[str] = frozenset()) -> PlaceFinding:
        """The places named in normalised `text`; `rest` is the text with them removed. A one-word
        name that is also a word of the indicators' names ("reading", "sale") is a place only after
        "in", "for", "vs"…"""
        found: list[tuple[int, PlaceMention]] = []
        rest = " " + self._both(self._shortened(self._initials(_clean(text)))) + " "
        area = next((alias for alias in self.areas if f" {alias} " in rest), None)  # "the Black Country"
        rest = rest.replace(f" {area} ", " ") if area else rest
        rest, named = self._named(rest, subject_words)
        found.extend(named)
        whole, (rest, partial) = rest, self._partial(rest)
        if partial is not None and len(partial[1]) == 1:  # "bushbury south": part of one ward's name only
            found.append((whole.find(f" {partial[0]} "), PlaceMention("named", partial[1][0], partial[0])))
            partial = None
        finding = PlaceFinding(without_names=" ".join(rest.split()), partial=partial)
        if re.search(WHICH_REGION, rest):  # "which region has the highest…": the regions are ranked
            finding.collection = REGIONS
            rest = re.sub(WHICH_REGION, " ", rest)
        if re.search(WHICH_COUNCIL, rest):
            finding.collection = COUNCILS
            rest = re.sub(WHICH_COUNCIL, lambda m: m.group(0).rsplit(" ", 1)[0] + " ", rest)
        if any(is_region(m.code) for _, m in named):  # "the West Midlands region": the region named, said twice
            rest = re.sub(r"(?:\bthe)?(\s{2,})region\b", r"\1", rest)
        for name, pattern in SPECIAL:
            for match in re.finditer(pattern, rest):
                found.append((match.start(), PlaceMention(name, phrase=match.group(0).strip())))
            rest = re.sub(pattern, " ", rest)
        group = re.search(GROUP_WORDS, rest)
        if area:
            finding.group = self.areas[area]
        elif group:
            finding.group = self._group(group.group(0))
            rest = rest.replace(group.group(0), " ")
        for name, pattern in COLLECTIONS:
            if re.search(pattern, rest):
                finding.collection = finding.collection or name
                rest = re.sub(pattern, " ", rest)
        if any(is_ward(m.code) or m.kind == MY_WARD for _, m in found):  # "in the ward of Penn", "for my patch": that ward
            found = [(at, m) for at, m in found if m.kind != THE_WARD]
        if any(is_ward(m.code) or m.kind in (MY_WARD, THE_WARD) for _, m in found) and not re.search(COMPARING_WORDS, text):
            found = [(at, m) for at, m in found if not (m.kind == COUNCIL and m.phrase in ("we", "us", "our", "ours"))]
        seen: set[tuple[str, str | None]] = set()  # "did we have in Park": the ward's, not the council's beside it
        for _, mention in sorted(found, key=lambda pair: pair[0]):
            if (mention.kind, mention.code) not in seen:
                seen.add((mention.kind, mention.code))
                finding.mentions.append(mention)
        finding.rest = " ".join(rest.split())
        return finding

    def _named(self, text: str, subject_words: frozenset[str]) -> tuple[str, list[tuple[int, PlaceMention]]]:
        """Named places, longest phrases first, exact or (for 6+ characters) nearly exact."""
        words = text.split()
        found: list[tuple[int, PlaceMention]] = []
        taken = [False] * len(words)
        for size in range(min(6, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start:start + size]):
                    continue
                phrase = " ".join(words[start:start + size])
                code = self.names.get(phrase) or (phrase.upper() if size == 1 and phrase.upper() in self.codes else None)
                if code is None and len(phrase) >= 6 and not {words[start], words[start + size - 1]} & EDGE_WORDS \
                        and not (size == 1 and (phrase in FILLER or phrase in subject_words)):
                    best = process.extractOne(phrase, self.names.keys(), scorer=fuzz.ratio, score_cutoff=88)
                    code = self.names[best[0]] if best and _typo_of(phrase, best[0]) else None
                if code is not None and size == 1 and phrase in subject_words and \
                        (start == 0 or words[start - 1] not in PLACE_CUE_WORDS):
                    continue
                if code is not None:
                    taken[start:start + size] = [True] * size
                    found.append((start, PlaceMention("named", code, phrase)))
        rest = " ".join(" " * len(word) if taken[i] else word for i, word in enumerate(words))
        offsets = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
        return " " + rest + " ", [(offsets[i] + 1, mention) for i, mention in found]

    def name_of(self, code: str) -> str:
        """The name a place is matched by ('' for a code not held): "bilston north" for E05014838."""
        return next((name for name, held in self.names.items() if held == code), "")

    def nearest(self, phrase: str, limit: int = 3) -> tuple[str, ...]:
        """The codes of the known places whose names are nearest to `phrase` (for "did you mean …?")."""
        found = process.extract(_clean(phrase), self.names.keys(), scorer=fuzz.ratio, score_cutoff=70, limit=limit)
        return tuple(dict.fromkeys(self.names[name] for name, _, _ in found))

    def _initials(self, text: str) -> str:
        """`text` with a ward name shortened to its first word(s) and an initial written out: "bilston n"
        → "bilston north", "tettenhall w" → "tettenhall wightwick", when one ward's name fits."""
        words = text.split()
        for start in range(len(words) - 1):
            for size in (2, 1):
                run, short = " ".join(words[start:start + size]), words[start + size] if start + size < len(words) else ""
                if run not in self.partials or not short.isalpha() or len(short) > 3:
                    continue
                nexts = {name.split()[size] for name, code in self.names.items() if code in self.partials[run]
                         and name.startswith(run + " ") and len(name.split()) > size}
                fitting = [word for word in nexts if word.startswith(short) and word != short]
                if len(fitting) == 1:
                    words[start + size] = fitting[0]
                    break
        return " ".join(words)

    def _shortened(self, text: str) -> str:
        """`text` with a ward name of two or more words said with its words shortened written out,
        when one ward's name fits: "weds south" → "wednesfield south", "tett wightwick", "st pete"."""
        words = text.split()
        for size in (3, 2):
            for start in range(len(words) - size + 1):
                said = tuple(words[start:start + size])
                if " ".join(said) in self.names or " ".join(said) in self.partials:
                    continue
                fitting = [name for name in self.shortened.get(tuple(word[0] for word in said), ())
                           if len(name) == size and all(map(shortens, said, name))]
                if len(fitting) == 1 and any(len(a) >= 3 and a != b for a, b in zip(said, fitting[0])):
                    words[start:start + size] = fitting[0]
        return " ".join(words)

    def _both(self, text: str) -> str:
        """`text` with the wards a shared word names, when said of them all ("the two Tettenhalls", "both
        Bilston wards"), written out: "tettenhall regis and tettenhall wightwick"."""
        def written_out(found: re.Match) -> str:
            codes = self.partials.get(found.group(2), ())
            names = sorted(name for name, code in self.names.items() if code in codes)
            return " and ".join(names) if len(names) == len(codes) > 1 else found.group(0)
        return re.sub(r"\b(both\s+(?:the\s+)?|(?:the\s+)?(?:two|2)\s+)?([a-z]+?)(?:s|\s+wards)\b",
                      lambda m: written_out(m) if m.group(2) in self.partials and (m.group(1) or m.group(0).endswith("s"))
                      else m.group(0), text)

    def _partial(self, text: str) -> tuple[str, tuple[str, ...] | None]:
        """A word (or two) that is part of several ward names but names none ("Bilston" → Bilston North,
        Bilston South), taken out of `text` wherever it is said."""
        words = text.split()
        for size in (2, 1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start:start + size])
                codes = self.partials.get(phrase)
                if codes:
                    return f" {text} ".replace(f" {phrase} ", " "), (phrase, codes)
        return text, None

    def _group(self, phrase: str) -> str:
        """The comparator group a phrase refers to (CIPFA, statistical neighbours…), or the first one;
        '' when the store has none."""
        if not self.groups:
            return ""
        if "statistical" in phrase or "cssn" in phrase:
            preferred = [name for key, name in self.groups.items() if "cssn" in key or "statistical" in key]
        else:
            preferred = [name for key, name in self.groups.items() if "cipfa" in key]
        return (preferred or sorted(self.groups.values()))[0]


def _initials_of(names: dict[str, str], council: str | None) -> tuple[str, ...]:
    """The council's name as its staff shorten it: "wcc", "cwc" (City of Wolverhampton Council), "wmbc"."""
    name = next((name for name, code in names.items() if code == council), "")
    letters = "".join(word[0] for word in name.split())
    return (f"{letters}cc", f"c{letters}c", f"{letters}mbc") if letters else ()


def _by_initials(names: dict[str, str], levels: dict[str, str]) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """The names of wards of two or three words, by their words' first letters (for `_shortened`)."""
    found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for name, code in names.items():
        words = tuple(name.split())
        if levels.get(code) == "ward" and 2 <= len(words) <= 3:
            found.setdefault(tuple(word[0] for word in words), []).append(words)
    return found


def shortens(said: str, word: str) -> bool:
    """True when `said` is `word` or a shortening of it of three letters or more that is no everyday
    word ("not" is no shortening of "north"): its start ("tett", "pete") or its letters in order from
    its first ("weds" for "wednesfield")."""
    if said == word:
        return True
    if len(said) < 3 or len(said) >= len(word) or zipf(said) >= EVERYDAY_ZIPF:
        return False
    letters = iter(word)
    return word.startswith(said) or said[0] == word[0] and all(letter in letters for letter in said)


def _typo_of(phrase: str, name: str) -> bool:
    """True when `phrase` is `name` with typos: the same number of words, each nearly the same
    ("tettenhal regis"), never another word ("west park" is not East Park)."""
    said, known = phrase.split(), name.split()
    return len(said) == len(known) and all(fuzz.ratio(a, b) >= 80 for a, b in zip(said, known))


def _partials(names: dict[str, str], places: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Runs of words inside ward names that are not a name themselves ("bilston", "timperley"), with
    the wards they are part of; runs of generic words only (north, park…) are left out unless two or
    more of them, no compass point among them, name one ward only ("low hill")."""
    wards = {name: code for name, code in names.items() if places["level"].get(code) == "ward"}
    found: dict[str, set[str]] = {}
    for name, code in wards.items():
        words = name.split()
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                part = words[start:start + size]
                run = " ".join(part)
                if run not in names and len(run) >= 4 and part[0] not in ("and", "st") and part[-1] != "and" \
                        and (not set(part) <= GENERIC_NAME_WORDS or len(part) > 1 and not set(part) & COMPASS):
                    found.setdefault(run, set()).add(code)
    return {run: tuple(sorted(codes)) for run, codes in found.items()  # "low hill": generic words, one ward only
            if not set(run.split()) <= GENERIC_NAME_WORDS or len(codes) == 1}
