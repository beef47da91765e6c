"""Accounting for every word of a question: after the period, the places, the breakdown, the intent
cues and the indicator have taken their words, what is left over is either framing (polite words,
question words, the way people say "figures" or "looking like"), a phrase that stands where a place
would (after "in", "for", "vs", "than", "compared with"… or a capitalised name) but is no place the
store knows, or a subject no indicator covers. The parser lowers its confidence for the last two."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from data_access.periods import MONTH_NAMES
from intents.english import zipf

from intents import query as q
from intents.filler import FILLER
from intents.gazetteer import english_place, names_a_place
from intents.breakdowns import ASKING, age_band, asked_words, without_breakdowns
from intents.indicators import IndicatorMatch, concept_words, stem
from intents.places import PlaceFinding
from intents.text import normalise, synonyms, words
from intents.when import NUMBER_WORDS

PLACE_WORDS = r"in|on|for|at|vs|versus|than|against|across|within|near|around"
PLACE_CUES = rf"(?:{PLACE_WORDS}|compared\s+(?:to|with)|relative\s+to|with)"
JOINED = r"(?:and|or|&)"
ASKING_ON = r"(?:stats|statistics|figures?|data|numbers|info|information|anything|updates?|details|reports?)"
# "stats on dog fouling": what follows "on" is a subject, not a place
OVERVIEW = r"\b(?:overview|rundown|run\s+down|summary|snapshot|picture|profile|at\s+a\s+glance|brief(?:ing)?)\b"
DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|sat|sun|weekend"
A_DAY = rf"\b(?:on|last|this|at\s+the|over\s+the)\s+(?:{DAYS})\b|\b(?:last\s+night|yesterday)\b"


@dataclass(frozen=True)
class Leftover:
    """The words no part of the parse placed: `places` are phrases standing where a place would and
    looking like a name, `subject` words of perfbot's own vocabulary the reading left unused (they
    must be asked about), `framing` the ordinary words around the question (never a block)."""

    places: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    framing: tuple[str, ...] = ()
    finer: tuple[str, ...] = ()


YOUNG_AND_OLD = frozenset({"young", "youth", "younger", "older", "elderly", "pensioners", "teenagers", "teenage"})
AGED_NAME = re.compile(r"\d\s*(?:-|\+|to)|\byear\s+\d|\b(?:children|pupils|older|young|olds)\b", re.I)
SPLITTING = frozenset({"by", "per", "each", "every", "my", "our", "which", "individual", "separate"})


@lru_cache(maxsize=1)
def finer_words() -> frozenset[str]:
    """Words naming a place or split finer than perfbot holds (finer.json)."""
    return frozenset(json.loads((Path(__file__).parent / "finer.json").read_text(encoding="utf-8"))["finer"])


ORDINARY = 5.2  # an unknown word at least this common in English (wordfreq's Zipf scale) is no place name
NAME_LIKE = 5.0  # a capitalised word rarer than this, mid-sentence, may be a name


RARE_SUBJECT = 4.3  # a word rarer than this in English is more likely a subject ("dementia") than chat


@lru_cache(maxsize=8192)
def _rare(word: str) -> bool:
    """True for a word rare in English that is not a slip of a framing word ("waht", "teh")."""
    if word.isdigit() or zipf(word) >= RARE_SUBJECT or len(word) < 3:
        return False
    root = re.sub(r"(?:ing|ed|es|s)$", "", word)
    if root != word and max(zipf(root), zipf(root + "e")) >= RARE_SUBJECT:  # "needing", "sends"
        return False
    return not any(len(word) >= 4 and len(known) >= 4 and _one_slip(word, known) for known in FILLER)


def _one_slip(word: str, known: str) -> bool:
    """True when `word` is `known` with one letter changed, added, dropped or two swapped."""
    return abs(len(word) - len(known)) <= 1 and fuzz.ratio(word, known) >= 85 - 10 * (len(word) < 6)


def _qualifies(word: str) -> bool:
    """True for a word that may narrow the subject beside it ("knife", "violent", "reception"), not a
    verb or a chat word ("hit", "needing", "got")."""
    return not re.search(r"(?:ing|ed)$", word) and zipf(word) < QUALIFIER


QUALIFIER = 5.0


def looks_like_place(run: list[str], capitalised: set[str]) -> bool:
    """A run of unknown words is a place only when it looks like a name: a word written with a capital
    that is not too common, or two capitalised words ("Emerald City", "Middle Earth"), or a word that
    is neither framing nor common in English ("narnia", "mars") — never "the red", "home" or "sept"."""
    named = [word for word in run if word in capitalised]
    return len(named) >= 2 or any(word in capitalised and zipf(word) < NAME_LIKE or zipf(word) < ORDINARY
                                  for word in run if not word.isdigit() and not _doing(word, capitalised))


def _personal(tokens: list[str], index: int, run: list[str], capitalised: set[str]) -> bool:
    """True for ordinary words after "my", "our" or "the", written in lower case ("ahead of my visit",
    "on the shared drive", "for the community safety partnership"): things of the asker's day, not
    places — unless a word is rare enough to be a name ("the shire")."""
    before = tokens[index - 1] if index > 0 else ""
    inside = index > 1 and tokens[index - 2] in ("in", "across", "within", "throughout", "around")  # "in the X": a place
    return before in ("my", "our", "your", "the") and not inside and not set(run) & capitalised \
        and all(zipf(word) >= PERSONAL for word in run if not word.isdigit())


PERSONAL = 3.5  # words at least this common in English, after "my" or "the" in lower case, name no place


def _activity(tokens: list[str], end: int, run: list[str]) -> bool:
    """True for what the asker is doing, said in passing: a verb in "-ing" before "my", "a", "the"…
    ("writing my newsletter", "preparing a briefing") — not "reading attainment"."""
    after = tokens[end + 1] if end + 1 < len(tokens) else ""
    return len(run) == 1 and run[0].endswith("ing") and after in ("my", "our", "a", "an", "the", "this", "some")


def _doing(word: str, capitalised: set[str]) -> bool:
    """A common word in "-ing" written in lower case ("putting together"): never a place's name."""
    return len(word) > 5 and word.endswith("ing") and word not in capitalised and zipf(word) >= 3.5


def leftover(rest: str, original: str, explained: set[str], meaningful: frozenset[str],
             credited: set[str] = frozenset(), partial: bool = False) -> Leftover:
    """The words of `rest` (the normalised question with places, period and breakdown taken out) that
    `explained` (the indicator's, the cues' and the service's words) and FILLER do not cover, sorted
    three ways: runs after a place cue (or capitalised in `original`) that look like a name are
    places (and so are England's councils and regions by name); words of perfbot's `meaningful`
    vocabulary (stemmed) are subject words to ask about, and so is a word just before one of the
    indicator's `credited` words ("knife" in "knife crime");
    every other word is framing — and so are the words of sentences said in passing around the question
    and ordinary lower-case words after "my" or "the" ("ahead of my visit"), unless they name a known place."""
    capitalised = _capitalised(original)
    said = normalise(original)
    tokens = words(rest)
    aside = _aside_words(original, credited, explained)
    stop = synonyms().stopwords
    unexplained = [not _explained(token, explained, stop) for token in tokens]
    places: list[str] = []
    subject: list[str] = []
    framing: list[str] = []
    finer: list[str] = []
    index = 0
    while index < len(tokens):
        if not unexplained[index]:
            index += 1
            continue
        end = index
        while end + 1 < len(tokens) and unexplained[end + 1]:
            end += 1
        run = tokens[index:end + 1]
        before = " ".join(tokens[max(0, index - 4):index])
        cued = (re.search(rf"\b{PLACE_CUES}(?:\s+the)?$", before) is not None
                or re.search(rf"\b{PLACE_CUES}\b.*\b{JOINED}(?:\s+the)?$", before) is not None) \
            and not re.search(rf"\b{ASKING_ON}\s+on(?:\s+the)?$", before)
        written = _as_written(run, original)
        part_of_name = run[0] in capitalised and len(written.split()) > len(run)  # "West" of "West Park"
        ours = all(stem(word) in meaningful for word in run)  # "the housing measure": a service, not a place
        if run[0] in MONTH_NAMES:  # a month, never a place: said again beside its period, framing; else not read
            (framing if _month_read(run[0], said) else subject).extend(run)
        elif english_place(written) or any(names_a_place(word) for word in run):
            places.append(written)
        elif all(word in aside for word in run) and (not set(run) & capitalised or not cued) \
                or (_personal(tokens, index, run, capitalised) or _activity(tokens, end, run)) \
                and not (end + 1 < len(tokens) and tokens[end + 1] in credited):  # "the knife crime rate": a kind of crime
            framing.extend(run)  # "… residents on at me about the alley again", "ahead of my visit", "on the shared drive"
        elif (cued or run[0] in capitalised) and not ours and (part_of_name or looks_like_place(run, capitalised)):
            places.append(written)
        else:
            after = tokens[end + 1] if end + 1 < len(tokens) else ""
            of_it = index >= 2 and tokens[index - 1] == "of" and tokens[index - 2] in credited  # "population of pandas"
            for word in run:
                after_part = word == run[0] and partial and index > 0 and tokens[index - 1] in credited \
                    and zipf(word) < QUALIFIER + 0.5  # "housing *waiting* list" beside "housing delivery"
                modifier = (word == run[-1] and after in credited or word == run[0] and of_it) and _qualifies(word)
                modifier = (modifier or after_part) and stem(word) not in credited
                subjectlike = (stem(word) in meaningful or modifier or partial and _rare(word))
                split = word in finer_words() and (tokens[max(0, index - 1)] in SPLITTING or word in run[1:]
                                                   or re.search(rf"\b(?:{'|'.join(SPLITTING)})\s+(?:\w+\s+)?{re.escape(word)}\b", said))
                (finer if split else subject if subjectlike else framing).append(word)
        index = end + 1
    return Leftover(tuple(dict.fromkeys(places)), tuple(subject), tuple(framing), tuple(finer))


SENTENCES = r"(?<=[.?!;])\s+|\s+[-–—]\s+|[()]"


def _aside_words(original: str, credited: set[str], explained: set[str]) -> set[str]:
    """The words of the sentences around a question that ask nothing themselves ("For my surgery on
    Saturday. What is the crime rate in Penn?"): the question's sentence holds the words of its
    indicator — or, when none does, of a cue — and the sentences without any are said in passing
    ("I'm comparing old briefing notes - what was child poverty…": a cue word in passing asks nothing)."""
    sentences = [set(words(normalise(part))) for part in re.split(SENTENCES, original) if part and part.strip()]
    asking = [said for said in sentences if said & credited] or [said for said in sentences if said & explained]
    if not asking or len(asking) == len(sentences):
        return set()
    return set().union(*(said for said in sentences if said not in asking)) - set().union(*asking)


def _whole_phrase(subject: tuple[str, ...], tokens: list[str]) -> tuple[str, ...]:
    """The words not understood with the words they stand beside, to say back whole ("house prices",
    not "prices"; "credit rating", not "credit")."""
    stop = synonyms().stopwords
    kept: set[int] = set()
    for at, token in enumerate(tokens):
        if token not in subject:
            continue
        start = end = at
        while start > 0 and tokens[start - 1] not in stop and not tokens[start - 1].isdigit():
            start -= 1
        while end + 1 < len(tokens) and tokens[end + 1] not in stop and not tokens[end + 1].isdigit():
            end += 1
        kept.update(range(start, end + 1))
    return tuple(tokens[at] for at in sorted(kept)) if kept else subject


def _explained(token: str, explained: set[str], stop: frozenset[str]) -> bool:
    """True when a word is taken by the parse, framing, a stop word or a number (plural and
    possessive forms too: "childrens"); number words count as numbers ("which five wards")."""
    if re.fullmatch(r"[\d.,%£-]+", token) or token in NUMBER_WORDS:
        return True
    forms = {token, token[:-1] if token.endswith("s") else token}
    return bool(forms & (explained | FILLER | stop))


def _as_written(run: list[str], original: str) -> str:
    """The place-like run as the question wrote it, with the capitalised words around it ("whinging"
    in "Little Whinging" → "little whinging", "Emerald City", "West Park")."""
    tokens = [token.strip("\"'“”‘’(),.?!:;") for token in original.split()]
    lowered = [token.lower() for token in tokens]
    if run[0] not in lowered:
        return " ".join(run)
    start = lowered.index(run[0])
    end = start + len(run) - 1 if lowered[start:start + len(run)] == run else start

    def framing(token: str) -> bool:  # a capitalised word beside it is part of the name ("West Park", "Emerald City")
        return token[:1].isupper() and token.lower() not in ("i", "in", "for", "vs", "and", "the")

    while start > 0 and framing(tokens[start - 1]):
        start -= 1
    while end + 1 < len(tokens) and framing(tokens[end + 1]):
        end += 1
    return " ".join(lowered[start:end + 1])


def _month_read(month: str, said: str) -> bool:
    """True when the month is the one the period read names too ("dipped in january …, the RAG for jan 26")."""
    number = MONTH_NAMES[month]
    return any(MONTH_NAMES.get(word) == number for word in said.split() if word != month)


def _capitalised(original: str) -> set[str]:
    """Words written with a capital that do not begin a sentence (names, as people write them)."""
    found: set[str] = set()
    tokens = original.split()
    for number, token in enumerate(tokens):
        starts = number == 0 or tokens[number - 1][-1:] in ".?!:"
        word = token.strip("\"'“”‘’(),.?!:;")
        if not starts and re.fullmatch(r"[A-Z][a-z][\w'-]*", word):
            found.add(word.lower())
    return found


@dataclass(frozen=True)
class Reading:
    """What the parser read from one question, for the accounting: the text as typed and
    normalised, the places found, the indicator matches, the intent cues that matched and the service."""

    text: str
    clean: str
    found: PlaceFinding
    matches: list[IndicatorMatch]
    cues: list[tuple[object, str]]
    service: str | None


QUESTION_INTENTS = frozenset({q.VALUE, q.COMPARE, q.TREND, q.RANK, q.PROFILE, q.STATUS, q.OWNER, q.TARGET,
                              q.DEFINITION, q.CLARIFY, q.UNKNOWN})
WORDS_NOT_FIGURES = frozenset({q.DEFINITION, q.OWNER})  # answers that quote no figure: a word left over is no risk
LONG_CUE = 4  # a cue span longer than this many words took a gap (".*"): only its ends are cue words


def account(query: q.Query, reading: Reading, lexicon) -> q.Query:
    """The query with every word of the question accounted for: unknown places named back, a partial
    ward name asked back, a breakdown chosen or said to be missing, and words no indicator covers
    turning an answer into a question back (or `unknown`)."""
    if query.intent not in QUESTION_INTENTS:
        return query.but(understood=_understood(query, reading, set(), ""))
    codes = [query.indicator] if query.indicator else list(query.choices)
    credited = {word for match in reading.matches if match.code in codes for word in match.words}
    asked, _ = asked_words(reading.found.without_names)
    breakdown, used = _breakdown(query.indicator, reading, lexicon, asked, credited)
    named = lexicon.names.get(query.indicator or "", "") + " " + lexicon.descriptions.get(query.indicator or "", "")
    in_name = set(words(normalise(named)))
    ages = YOUNG_AND_OLD if AGED_NAME.search(named) else frozenset()  # "youth" beside NEET (16-17 year olds)
    missing = tuple(sorted((asked - credited - used - in_name - ages) & ASKING))
    band = age_band(reading.clean)
    if band and query.indicator and not breakdown and not credited & {str(n) for n in band} \
            and not any(str(n) in named for n in band if n != 999):
        missing += (f"age {band[0]}+" if band[1] == 999 else f"age {band[0]}-{band[1]}",)
    homes = lexicon.homes.get(query.indicator or "", ())  # "claimant rate for the economy O&S": its own service
    explained = credited | _cue_words(reading.cues, asked_words(reading.clean)[1]) | asked | _service_words(reading.service) \
        | {word for home in homes for word in _service_words(home)} \
        | _said_otherwise(reading.clean, {stem(word) for word in in_name}) \
        | {word for name in lexicon.people for word in name.split()}  # "Fiona has asked for…": a colleague, no place
    rest = without_breakdowns(reading.found.rest, reading.found.without_names)
    partial = not any(match.complete for match in reading.matches if match.code in codes)
    left = leftover(rest, reading.text, explained, lexicon.meaningful, credited, partial)
    if query.intent in WORDS_NOT_FIGURES:  # "who's supposed to be sending october's?": the owner is the month's too
        left = replace(left, subject=tuple(word for word in left.subject if word not in MONTH_NAMES))
    tokens = words(rest)
    query = query.but(breakdown=breakdown, understood=_understood(query, reading, credited, breakdown),
                      unmatched=_whole_phrase(left.subject, tokens) or query.unmatched,
                      unused=_whole_phrase(left.framing, tokens))
    if re.search(r"\bforecast\b|\bwill\s+(?:\w+\s+){0,4}?be\b|\bgoing\s+to\s+be\b", reading.clean) \
            and (query.indicator or not left.subject):
        return q.Query(q.UNKNOWN, indicator=query.indicator, when=query.when, future=True, understood=query.understood,
                       why="asks for a forecast")
    if query.unread_period and query.intent != q.UNKNOWN:
        return q.Query(q.UNKNOWN, indicator=query.indicator, unread_period=query.unread_period, understood=query.understood,
                       why=f"period not read: '{query.unread_period}'")
    if left.places:
        return q.Query(q.UNKNOWN, indicator=query.indicator, unknown_places=left.places, unmatched=left.subject,
                       place_choices=lexicon.places.nearest(left.places[0]), understood=query.understood,
                       why=f"unknown place: '{left.places[0]}'")
    if reading.found.partial is not None:
        phrase, wards = reading.found.partial
        return query.but(intent=q.CLARIFY, wanted=query.wanted if query.intent == q.CLARIFY else query.intent,
                         place_choices=wards, choices=query.choices if query.intent == q.CLARIFY else (),
                         why=f"'{phrase}' is part of {len(wards)} ward names")
    missing += tuple(word for word in left.finer if word not in missing)
    missing += _service_split(query, reading, lexicon)
    if query.why.startswith("status: a service was named") and (left.framing or left.subject):  # "housing waiting list?"
        return q.Query(q.UNKNOWN, unmatched=_whole_phrase(left.subject + left.framing, tokens), understood=query.understood,
                       why=f"only a service was named, beside '{' '.join(left.subject + left.framing)}'")
    day = re.search(A_DAY, reading.clean)
    if query.intent == q.PROFILE and day and not re.search(OVERVIEW, reading.clean):  # "how did Wolves get on Saturday"
        return q.Query(q.UNKNOWN, unmatched=(day.group(0),), understood=query.understood, why=f"a day's events: '{day.group(0)}'")
    if query.intent == q.PROFILE and not _cued(reading, q.PROFILE) and (left.framing or left.finer):
        return q.Query(q.UNKNOWN, unmatched=_whole_phrase(left.framing + left.finer, tokens), understood=query.understood,
                       suggestions=tuple(m.code for m in reading.matches[:3]),
                       why=f"only a place was named, beside '{' '.join(left.framing + left.finer)}'")
    if missing and query.indicator:
        return query.but(intent=q.UNKNOWN, missing_breakdown=missing, why=f"no breakdown '{' '.join(missing)}'")
    if missing:
        query = query.but(missing_breakdown=missing)
    if left.subject and query.intent != q.UNKNOWN:
        if query.indicator and query.intent in WORDS_NOT_FIGURES and not partial:
            return query  # "what is budget variation measuring, revenue or capital?": its definition says
        if query.indicator:
            return query.but(intent=q.CLARIFY, choices=(query.indicator,), wanted=query.intent,
                             why=f"not understood: '{' '.join(left.subject)}'")
        if query.intent in (q.PROFILE, q.STATUS, q.CLARIFY) and not query.service:
            suggestions = tuple(m.code for m in reading.matches[:3])
            return q.Query(q.UNKNOWN, unmatched=_whole_phrase(left.subject, tokens), suggestions=suggestions,
                           understood=query.understood,
                           why=f"not understood: '{' '.join(left.subject)}'")
    return query


def _breakdown(indicator: str | None, reading: Reading, lexicon, asked: set[str], credited: set[str]) -> tuple[str, set[str]]:
    """The breakdown the question asks of the indicator ('' for the whole population), and the words it used."""
    if not indicator:
        return "", set()
    by_age = lexicon.breakdowns.by_age(indicator, reading.clean)
    if by_age:
        return by_age, set(asked)
    if not asked:
        return "", set()
    label, used = lexicon.breakdowns.choose(indicator, asked - credited, asked)
    return label or "", used | ({"quintile", "decile", "aged"} & asked if label else set())


def _service_split(query: q.Query, reading: Reading, lexicon) -> tuple[str, ...]:
    """The service named beside an indicator of another service ("sickness absence for children's
    services only"): a split perfbot does not hold, never answered with the council's figure."""
    service = reading.service
    if not service or not query.indicator or reading.found.group or query.intent not in (q.VALUE, q.COMPARE, q.TREND, q.RANK):
        return ()  # "vs our children's services statistical neighbours" names a comparator group
    return () if service in lexicon.homes.get(query.indicator, ()) else (service,)


def _cued(reading: Reading, intent: str) -> bool:
    """True when one of the question's own cue words asked for `intent`."""
    return any(getattr(rule, "intent", None) == intent for rule, _ in reading.cues)


def _said_otherwise(text: str, named: set[str]) -> set[str]:
    """The question's everyday words for what the indicator's name says ("poverty" for "low income")."""
    return {word for word in words(text) if set(concept_words(stem(word))) & named}


def _cue_words(cues: list[tuple[object, str]], text: str) -> set[str]:
    """The words of the intent cues that matched ("who owns", "going up", "compared with"), wherever
    in `text` a matched rule's cues appear ("an overview … all the key stats": both)."""
    found: set[str] = set()
    for rule, span in cues:
        for said in [span or ""] + (rule.every(text) if hasattr(rule, "every") and rule.pattern else []):
            parts = words(said)
            found.update(parts if len(parts) <= LONG_CUE else parts[:1] + parts[-1:])
    return found


def _service_words(service: str | None) -> set[str]:
    return set(words(normalise(service))) if service else set()


def _understood(query: q.Query, reading: Reading, credited: set[str], breakdown: str) -> tuple[tuple[str, str], ...]:
    """The phrases the parse used, by role, in the order: intent, indicator, breakdown, places, period."""
    roles: list[tuple[str, str]] = []
    cue = next((span for rule, span in reading.cues if getattr(rule, "intent", None) == query.intent and span), None)
    if cue:
        roles.append(("intent", cue))
    if credited:
        roles.append(("indicator", " ".join(word for word in words(reading.clean) if word in credited)))
    if breakdown:
        roles.append(("breakdown", breakdown))
    roles.extend(("place", mention.phrase) for mention in reading.found.mentions if mention.phrase)
    if reading.found.partial:
        roles.append(("place", reading.found.partial[0]))
    if query.when.phrase:
        roles.append(("period", query.when.phrase))
    if query.service:
        roles.append(("service", query.service))
    return tuple(roles)
