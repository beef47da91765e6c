"""The query each intent makes once its needs are met — a ranking's order and count, a status's
colour, whose returns are due — or None when they are not, so that the next intent cued may answer."""
from __future__ import annotations

import re

from intents import query as q
from intents.cues import PROFILE_CUE
from intents.places import COUNCILS, is_region
from intents.filler import FILLER
from intents.text import content_words

ORDER = [("highest", r"\b(?:highest|top|most|biggest|largest|greatest|topped|tops|longest)\b"),
         ("lowest", r"\b(?:lowest|bottom|least|smallest|fewest|shortest)\b"),
         ("worst", r"\bworst\b|\bstruggling\b|\bhardest[\s-]hit\b|\bworse\s+off\b|\bmost\s+(?:affected|in\s+need)\b"),
         ("worst", r"\bleast\s+safe\b|\bmost\s+dangerous\b"),
         ("best", r"\bbest\b|\bbetter\s+off\b|\bdoing\s+well\b|\bsafest\b")]
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
BEFORE_COUNT = r"top|bottom|best|worst|highest|lowest|first|last|which|what|the|list|show|name"
COUNTED_PLACES = r"wards?|councils?|areas?|places?|neighbourhoods?|authorities|boroughs|districts"
AFTER_COUNT = rf"{COUNTED_PLACES}|highest|lowest|best|worst|top|bottom|most|least"
COUNT_ENDS = rf"\s+(?:{AFTER_COUNT})\b|\s*$|\s*[,;:!?]"  # "top 3 wards", "top 3", "top 3, worst first"
NUMBER = rf"\b(?:{BEFORE_COUNT})\s+(\d{{1,2}}|{'|'.join(WORD_NUMBERS)})(?={COUNT_ENDS})"
DUE_WORDS = frozenset({"outstanding", "due", "late", "missing", "overdue", "return", "returns", "owe", "owed", "behind"})
EVERYONE = "|".join([r"\bwhos?\b", r"\bin\s+(?:my|our|the)\s+(?:service|team|directorate)\b", r"\beveryone\b",
                     r"\ball\s+returns\b", r"\bacross\s+the\s+(?:council|board)\b"])


ON_IT = r"\b(?:on|for|with|about|of)\s+(?:it|that|this)\b(?!\s+(?:year|month|quarter|week|one))"
WHERE_WE_SAID = r"\b(?:where|what)\s+we\s+(?:said|wanted|planned|hoped|promised|set|agreed)\b"  # "are we where we said we'd be"
SHOULD_BE = r"\bwhere\s+(?:it|they|we)\s+(?:should|ought\s+to)\s+be\b"
RATED_WORDS = r"targets?|track|rag|reds?|ambers?|greens?|status|colou?r|good\s+or\s+bad|tolerance|acceptable|ok|okay"
WORRIED = r"alright|concern(?:s|ed)?|worr(?:y|ies|ied|ying)|a\s+problem|an\s+issue|problems|issues"  # "is X ok", "any concerns on X"
AGAINST_PLAN = "|".join([r"\b(?:to|on)\s+plan\b", r"\bwithin\s+(?:the\s+|its\s+|our\s+)?(?:range|limits?|band)\b",
                         r"\bare\s+we\s+there\b", r"\bwhere\s+(?:it|they|we)\s+(?:needs?|has|have)\s+to\s+be\b",
                         r"\b(?:hit|met|meet|made|make)(?:ting|ing)?\s+(?:the|our)\s+(?:\w+\s+){0,3}?number\b"])
RATED = rf"\b(?:{RATED_WORDS}|{WORRIED})\b|" + WHERE_WE_SAID + "|" + SHOULD_BE + "|" + AGAINST_PLAN


def rank_order(text: str) -> str | None:
    """"highest", "lowest", "worst" or "best" as the question asks a ranking, or None; the first said
    wins ("best to worst")."""
    plain = re.sub(r"\b(?:top|bottom)\b", " ", text)  # "top 3 with the lowest": the count, not the order
    said = [(found.start(), name) for name, pattern in ORDER for found in [re.search(pattern, plain)] if found]
    return min(said)[1] if said else next((name for name, pattern in ORDER if re.search(pattern, text)), None)


CHANGES_ASKED = [  # "which ward's crime went up the most", "the biggest drop", "most improved"
    ("rise", r"\b(?:went|gone|go|goes|going)\s+up\s+(?:the\s+)?most\b"),
    ("rise", r"\b(?:risen|rose|grew|grown|increased)\s+(?:the\s+)?most\b"),
    ("rise", r"\b(?:biggest|largest|greatest|most)\s+(?:rise|increase|jump|growth)\b"),
    ("fall", r"\b(?:went|gone|go|goes|going|come|came)\s+down\s+(?:the\s+)?most\b"),
    ("fall", r"\b(?:fallen|fell|dropped)\s+(?:the\s+)?most\b"),
    ("fall", r"\b(?:biggest|largest|greatest|most)\s+(?:drop|fall|decrease|reduction|decline)\b"),
    ("better", r"\bmost\s+improved\b|\bimproved\s+(?:the\s+)?most\b|\b(?:biggest|largest|most)\s+improvement\b"),
    ("worse", r"\b(?:worsened|deteriorated)\s+(?:the\s+)?most\b|\bgot\s+worse\s+(?:the\s+)?most\b"),
]


def change_asked(text: str) -> str:
    """"rise", "fall", "better" or "worse" when a ranking is by how much places changed; '' when not."""
    return next((change for change, pattern in CHANGES_ASKED if re.search(pattern, text)), "")


GOING_WELL = r"\bgoing\s+well\b|\bbest[\s-]+perform|\bwhats\s+on\s+(?:track|target)\b"


def _rag_meant(text: str) -> str | None:
    """"green" for "what's going well", "best performing"; None when no colour is meant."""
    return "green" if re.search(GOING_WELL, text) and not re.search(r"\bnot\b", text) else None


def _count(text: str) -> int | None:
    """How many places a ranking asks for ("top 3 wards"), or None for the usual few."""
    found = re.search(NUMBER, text)
    if found:
        value = found.group(1)
        return int(value) if value.isdigit() else WORD_NUMBERS[value]
    return None


FIGURE_WORDS = r"(?:\s+(?:figure|number|value|rate|score)s?)?"  # "what figure did we submit"
SENT = r"(?:did|have)\s+(?:we|i|you|they)\s+(?:submit|send|sent|submitted|put\s+in|report|reported)\b"
# "the last figure we sent in", "the last one we submitted": the newest figure sent, asked of a measure
LAST_SENT = r"\b(?:last|latest)\s+(?:figure|number|value|one)\s+(?:we|i|you)\s+(?:submitted|sent|reported)\b"
WHAT_WE_SENT = rf"^(?:and\s+)?what{FIGURE_WORDS}\s+{SENT}"
NAMED_RETURN = r"\bthe\s+((?:[\w/]+\s+){1,3}?)(?:returns?|submissions?)\b"


MONTHS = r"jan\w*|feb\w*|mar\w*|apr\w*|may|june?|july?|aug\w*|sept?\w*|oct\w*|nov\w*|dec\w*"


def _return_not_known(text: str) -> tuple[str, ...]:
    """The words naming a return no indicator matched ("the parking enforcement return"), if any."""
    found = re.search(NAMED_RETURN, text)
    said = content_words(found.group(1)) if found else []
    return tuple(word for word in said if word not in FILLER and not re.fullmatch(rf"q[1-4]|[\d/-]+|fy\w*|{MONTHS}", word))


def build(intent: str, text: str, indicator: str | None, choices: list[str], matches, base: dict,
           found, submission) -> q.Query | None:
    """The query for `intent`, or None when the intent's needs are not met (another rule may fit)."""
    if intent in q.NEEDS_INDICATOR and indicator is None:
        if choices:
            return q.Query(q.CLARIFY, choices=tuple(choices), wanted=intent, **base, why="")
        if intent in (q.VALUE, q.COMPARE, q.TREND, q.RANK, q.TARGET, q.DEFINITION):
            return None
        return q.Query(intent, **base, suggestions=tuple(m.code for m in matches[:3]), why="")
    if intent == q.SUBMIT:
        return q.Query(q.SUBMIT, indicator=indicator, submission=submission, **base)
    if intent == q.RANK:
        order = rank_order(text)
        region = next((m.code for m in found.mentions if m.kind == "named"), None)
        collection = base["collection"] or (COUNCILS if base["group"] or is_region(region) else None)  # "across the West Midlands"
        return q.Query(q.RANK, indicator=indicator, order=order, count=_count(text), change=change_asked(text),
                       region_named=region, **{**base, "collection": collection})
    if intent == q.COMPARE and re.search(r"\b(?:vs|v|versus|against)\s+(?:the\s+)?budget\b", text) \
            and not found.mentions and not base["group"]:
        return None  # "capital spend vs budget": the measure's own name, not a comparison of places
    if intent == q.CHANGES:
        if indicator is not None and not base["service"]:  # "has NEET gone red?": that measure's value and status
            return None
        return q.Query(q.CHANGES, rag="red" if re.search(r"\bred\b", text) else None, **base)
    if intent == q.STATUS:
        if indicator is None and choices and not base["service"]:  # "is care … meeting the target": which measure?
            return q.Query(q.CLARIFY, choices=tuple(choices), wanted=q.STATUS, **base, why="")
        rag = next((c for c in ("red", "amber", "green") if re.search(rf"\b{c}s?\b", text)), None) or _rag_meant(text)
        if indicator is not None and not base["service"]:  # "is FOI red?", "are we on target for NEET": its value and RAG
            others = base["group"] or any(m.kind != "council" for m in found.mentions)  # "how are we doing vs Dudley"
            return q.Query(q.STATUS, indicator=indicator, **base) if re.search(RATED, text) and not others else None
        if not base["service"] and not base["scope"] and re.search(ON_IT, text):  # "how are we doing on it": on what?
            return q.Query(q.CLARIFY, wanted=q.STATUS, **base)
        return q.Query(q.STATUS, rag=rag, indicator=None, **base)
    if intent == q.PROFILE:
        if base["service"]:
            return q.Query(q.STATUS, **base)
        if indicator is not None and not re.search(PROFILE_CUE, text):
            return None
        if base["service"] or not any(m.kind in ("named", "my_ward", "council") for m in found.mentions):
            return q.Query(q.STATUS, **base) if base["service"] or re.search(r"\bwe\b|\bus\b|\bcouncil\b", text) else None
        return q.Query(q.PROFILE, **base)
    if intent == q.SEARCH:
        if indicator is not None and (not base["when"].latest or found.mentions):
            return None  # "do we have the bus patronage for end of Q1": its figure, not the dictionary
        words = tuple(w for w in content_words(found.rest)
                      if w not in {"indicators", "measures", "kpis", "metrics", "indicator", "measure", "kpi",
                                   "list", "search", "find", "track", "collect", "hold", "relating", "related", "covering"})
        return q.Query(q.SEARCH, search_words=words, **base)
    if intent == q.DUE:
        if re.search(WHAT_WE_SENT, text):
            return None  # "what did we submit for Q2": the figure sent, not what is owed
        others = True if re.search(EVERYONE, text) \
            else False if re.search(r"\b(?:my|me|i|mine|im)\b", text) or base["person"] else None
        named = indicator if matches and set(matches[0].words) - DUE_WORDS else None  # "outstanding" is no Ofsted grade here
        unknown = _return_not_known(text) if named is None and not base["service"] else ()
        if unknown:  # "when's the parking enforcement return due": no such return
            return q.Query(q.UNKNOWN, unmatched=unknown, **base, why=f"no return called '{' '.join(unknown)}'")
        return q.Query(q.DUE, everyone=others, indicator=named, **base)
    if intent in (q.HELP, q.SNOOZE, q.SUBSCRIPTIONS):
        return q.Query(intent, **base)
    if intent == q.UNSUBSCRIBE:
        every = bool(re.search(r"\b(?:everything|all|anything|every\s+thing)\b", text))
        return q.Query(q.UNSUBSCRIBE, indicator=indicator, everyone=every, **base)
    if intent == q.ALERT_RULE:
        found_margin = re.search(r"\bby\s+(?:more\s+than\s+)?(\d+(?:\.\d+)?)", text)
        return q.Query(q.ALERT_RULE, indicator=indicator, margin=float(found_margin.group(1)) if found_margin else None,
                       **base)
    if intent == q.UNAVAILABLE:
        return q.Query(q.UNAVAILABLE, indicator=indicator, **base)
    return q.Query(intent, indicator=indicator, **base)
