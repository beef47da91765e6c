"""Conversation memory, so follow-ups work: "and for Penn?", "as a chart", "what about last year?",
or a click on a clarification button. Keeps the last understood question per conversation in the
store (see data_access/conversations.py), for PERFBOT_CONVERSATION_MINUTES; nothing here is needed
to answer a fresh question."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.core.codec import Codec, Undecodable
from bot.core.returnfiles import FileCommentary, FileReason, FileSubmission
from bot.core.submitting import LastSubmission, Pending
from data_access.conversations import ConversationKey, ConversationTurns, conversation_lifetime
from data_access.periods import parse_period
from data_access.store import Store
from intents import query as q
from intents.parser import WHY_ASKED, cued_intents, rank_order
from intents.places import MY_WARD, THE_WARD, PlaceMention, is_comparator, is_ward, shortens
from intents.queries import FIGURE_WORDS, LAST_SENT, SENT
from intents.rephrase import clean
from intents.text import content_words, expand_shorthand, normalise
from intents.when import NUMBER_WORDS, When

log = logging.getLogger(__name__)
FOLLOW_UP_WORDS = 8
LAST_YEAR = r"\b(?:last|previous|prior)\s+year\b|\b(?:a|the)\s+year\s+(?:ago|earlier|before|prior)\b|\bsame\s+time\s+last\s+year\b"
UNITS_BEFORE = r"\b(\d{1,2}|a|one|two|three|four|six|twelve)\s+(months?|quarters?|years?)\s+(?:before|earlier|prior)\b"
PERIOD_BEFORE = (r"\b(?:the\s+)?(?:quarter|month|period|one)\s+(?:before|earlier|prior)\b|\b(?:previous|prior)\s+(?:quarter|month|period|one)\b"
                 r"|^(?:and\s+|what\s+about\s+)?before\s+that\b")  # "and before that?", not "3 months before that"
ONLY_CHART = (r"^(?:and\s+)?(?:(?:can\s+(?:i|you)\s+(?:see|have|show\s+me|draw|make)|show\s+(?:me\s+)?|give\s+me|draw|make|put)\s*"
              r"(?:it|that|this|those)?\s*)?(?:as\s+|in\s+|into\s+)?(?:a\s+)?(?:chart|graph|plot|picture)(?:\s+(?:it|that|please))?[\s?!.]*$"
              r"|^(?:chart|graph|plot)\s+(?:it|that|this)")
ANOTHER_SUBJECT = r"^(?:(?:ok|okay|right|fine|alright|cool|hmm+)\W+)*(?:and|what\s+about|how\s+about|same\s+for|now)\b"  # "ok. and fly tipping?"
MINE = r"(?<!\bof\s)\b(?:mine|my\s+one)\b"  # not "any of mine": the measures of one's own
SAME_AGAIN = r"\b(?:(?:the\s+)?same|too|as\s+well|likewise)[\s?!.]*$"  # "business rates same"
# "who owns it?", "what's the target?", "define it": the same indicator, another question about it
ABOUT_IT = [
    (q.OWNER, r"^(?:and\s+)?(?:who\s+(?:owns|is\s+responsible\s+for|looks\s+after)\s+(?:it|that|this)|who(?:s|\s+is)\s+the\s+owner)[\s?!.]*$"),
    (q.TARGET, r"^(?:and\s+)?(?:what(?:s|\s+is)\s+)?(?:the\s+|its\s+)?target(?:\s+for\s+(?:it|that|this))?[\s?!.]*$"),
    (q.STATUS, r"^(?:and\s+)?(?:is|are)\s+(?:it|that|we|they)\s+on\s+(?:target|track)[\s?!.]*$"),
    (q.DEFINITION, r"^(?:and\s+)?(?:define\s+(?:it|that|this)|what\s+does\s+(?:it|that|this)\s+(?:mean|measure)|how\s+is\s+(?:it|that)\s+(?:measured|calculated|defined))[\s?!.]*$"),
    (q.TREND, r"^(?:and\s+)?(?:is|has)\s+(?:it|that)\s+(?:going|gone)\s+(?:up|down)[\s?!.]*$|^(?:and\s+)?(?:the\s+)?trend[\s?!.]*$"),
]
RANK_AGAIN = (r"^(?:and|what\s+about|how\s+about)?\s*(?:the\s+)?(top|bottom|best|worst|highest|lowest)"
              r"(?:\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten))?(?:\s+(?:ones|wards|councils|places))?[\s?!.]*$")


@dataclass(frozen=True)
class Turn:
    """What the bot understood last in a conversation, the period it answered for, a submission
    waiting for the next message (confirmation, reason, commentary), the last one recorded, after a
    ranking, the place it put first, after a list of measures (the reds), those listed, and while
    the talk is of one of the wards offered in a question back, those offered."""

    query: q.Query
    period: str | None
    pending: Any = None
    submitted: Any = None
    first: str | None = None
    listed: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()


TURNS = Codec(Turn, Pending, LastSubmission, FileReason, FileCommentary, FileSubmission)


class Memory:
    """The last turn of each conversation, kept in the store so that any process can carry it on and
    a restart loses nothing; a turn older than the conversation lifetime is forgotten, and one that
    can no longer be read (the bot changed under it) counts as no turn."""

    def __init__(self, store: Store, lifetime: timedelta | None = None):
        self._turns = ConversationTurns(store.engine, store.clock, lifetime or conversation_lifetime())

    def last(self, key: ConversationKey) -> Turn | None:
        """The previous turn of conversation `key` (channel, conversation, person), if any (none
        while the database cannot be reached: the question is answered afresh)."""
        try:
            kept = self._turns.read(key)
        except SQLAlchemyError as error:
            log.warning("conversation memory unavailable, answering afresh: %s", type(error).__name__)
            return None
        if kept is None:
            return None
        try:
            return TURNS.loads(kept)
        except Undecodable as error:
            log.warning("forgot an unreadable conversation turn on %s: %s", key[0], error)
            return None

    def remember(self, key: ConversationKey, turn: Turn) -> None:
        """Store the turn just answered (logged and dropped while the database cannot be reached)."""
        try:
            self._turns.write(key, TURNS.dumps(turn))
        except SQLAlchemyError as error:
            log.warning("conversation memory unavailable, this turn is not kept: %s", type(error).__name__)


CONTINUED = frozenset({q.VALUE, q.COMPARE, q.TREND, q.RANK, q.TARGET, q.STATUS})


def offered_still(query: q.Query, previous: Turn | None) -> tuple[str, ...]:
    """The wards offered in the last question back ("which Bilston — north or south?"), while the
    question answered is about one of them."""
    if previous is None or not query.places:
        return ()
    offered = previous.query.place_choices if previous.query.intent == q.CLARIFY else previous.offered
    return offered if query.places[0].code in offered else ()


def _place_written_out(text: str, fresh: q.Query, previous: Turn, name_of: Callable[[str], str] | None) -> str | None:
    """`text` with the place it means written out, when it says it by a word that leans on the talk so
    far: one of the wards just offered ("the south one"), or "mine" after a place's figure ("and
    mine?": the asker's ward). None when it names its places itself."""
    before = previous.query
    offered = before.place_choices if before.intent == q.CLARIFY and not before.unmatched else previous.offered
    written_out = _offered_by_word(text, fresh, offered, name_of) if name_of else None
    if written_out is None and before.indicator and before.intent in CONTINUED and not fresh.places \
            and not fresh.indicator and re.search(MINE, text, re.I):  # ("in mine" is read as the asker's ward by the parser)
        written_out = re.sub(MINE, "my ward", text, count=1, flags=re.I)
    return written_out


def _offered_by_word(text: str, fresh: q.Query, offered: tuple[str, ...], name_of: Callable[[str], str]) -> str | None:
    """`text` with one of the wards just offered written out in full, when it names it by a word of its
    own name or its initials and names no place itself: "the south one" or "and north?" after Bilston
    North and Bilston South were offered → "Bilston South", "and Bilston North?". Not after a question
    back asked over words not understood: the reply would answer without them."""
    if len(offered) < 2 or any(m.kind == MY_WARD or is_ward(m.code) for m in fresh.places):
        return None  # (the council or the region beside it is what the ward is set against: "south vs the borough")
    names = {code: name_of(code).split() for code in offered}
    shared = set.intersection(*(set(words) for words in names.values()))
    if not shared:  # wards offered as near misses of a name, not as the wards one name is part of
        return None
    said = set(normalise(text).split())
    picked = []
    for code, words in names.items():
        own = {word for word in words if word not in shared and word not in JOINING}  # not the "and" of "… & Low Hill"
        initials = "".join(word[0] for word in words)
        found = (own & said) or ({initials} & said if len(initials) > 1 else set())
        if found:
            picked.append((code, found.pop()))
    if len(picked) != 1 or not names[picked[0][0]]:
        return None
    code, word = picked[0]
    return re.sub(rf"(?i)\b(?:the\s+)?{re.escape(word)}(?:\s+one)?\b", " ".join(names[code]), text, count=1)


def follow_up(text: str, fresh: q.Query, previous: Turn | None, reread: Callable[[str], q.Query] | None = None,
              name_of: Callable[[str], str] | None = None) -> q.Query:
    """The query to answer: `fresh`, or — only when `text` is elliptical (a place, a time, "as a
    chart", "compared with the region", and nothing else of its own) — the previous question adjusted;
    another question about the same indicator ("who owns it?", "what's the target?"); another
    indicator named on its own for the same places ("and crime?"); the other end of a ranking ("and
    the bottom 5?"); or the answer to a question back (which ward, which indicator). A message that
    names its own subject, or has words the parse could not place, is always answered afresh.
    `reread` parses another text: "female?" after male life expectancy is read with its measure's words;
    `name_of` names a place by its code, for a ward offered in a question back and named by a word."""
    if previous is None:
        return fresh
    previous = _measure_offered(previous, fresh, reread)
    before = previous.query
    corrected = re.sub(CORRECTION_AFTER, r"\1", re.sub(CORRECTION, "", normalise(text)))
    if reread and corrected != normalise(text) and corrected.strip():  # "sorry no, I meant Wightwick": the last question, so
        text, fresh = corrected, reread(corrected)
    written_out = _place_written_out(text, fresh, previous, name_of) if reread else None
    if written_out is not None:
        text, fresh = written_out, reread(written_out)
    fresh = _the_ward_meant(fresh, before)
    if not fresh.indicator and before.indicator in fresh.choices and not fresh.place_choices:  # "the Q2 budget figure"
        fresh = fresh.but(intent=(fresh.wanted or q.VALUE) if fresh.intent == q.CLARIFY else fresh.intent,
                          indicator=before.indicator, choices=(), why=f"{fresh.why}; of the two, the one talked of")
    if re.search(WHY, normalise(text)) and (before.indicator or fresh.indicator) and fresh.intent != q.DUE:
        return _asks_why(text, fresh, before)
    fresh = _variant(text, fresh, before, reread)
    if before.indicator and fresh.indicator not in (None, before.indicator) and not fresh.places \
            and set(re.findall(r"[a-z']+", normalise(text))) - JOINING <= SEXES:  # "men?" after women's in a ward
        return before.but(indicator=fresh.indicator, understood=fresh.understood, why="follow-up: a variant")
    other = _the_other(text, fresh, before)
    if other is not None:
        return other
    listed = [code for code in fresh.choices if code in previous.listed] if fresh.intent == q.CLARIFY else []
    if len(listed) == 1 and not fresh.place_choices:  # "who's the lead on the waste one" after the reds listed
        return fresh.but(intent=fresh.wanted or q.VALUE, indicator=listed[0], choices=(), why="follow-up: the one listed")
    if before.intent == q.RANK and previous.first and re.search(RANKED_FIRST, normalise(text)) and not fresh.places:
        intent = next((i for i in cued_intents(text) if i in (q.TREND, q.COMPARE, q.STATUS, q.OWNER)), q.VALUE)
        first = (PlaceMention("named", previous.first, "the first ranked"),)
        if fresh.indicator or fresh.choices:  # "and the 1st one's life expectancy": its own measure, for that place
            return fresh.but(places=first, collection=None, subject_named=True, why=f"{fresh.why}; the place ranked first")
        return before.but(intent=intent, places=first,
                          collection=None, subject_named=True, when=fresh.when if not fresh.when.latest else before.when,
                          understood=fresh.understood, why="follow-up: the place ranked first")
    if before.intent == q.CLARIFY:
        return _clarified(text, fresh, before)
    if fresh.intent == q.CLARIFY and fresh.place_choices and before.places and before.indicator and not fresh.indicator \
            and (fresh.wanted == q.COMPARE or re.search(COMPARING, normalise(text))):  # "how do we compare with X"
        return before.but(intent=q.CLARIFY, wanted=q.COMPARE, place_choices=fresh.place_choices, places=before.places[:1],
                          choices=(), understood=fresh.understood, why=WHICH_TO_COMPARE)  # "how does that compare to tettenhall"
    instead = _instead_of_unknown_place(text, fresh, before)
    if instead is not None:
        return instead
    plain = expand_shorthand(normalise(text))
    lowered = plain
    about_it = next((intent for intent, pattern in ABOUT_IT if re.search(pattern, plain)), None)
    if about_it and before.indicator and fresh.indicator is None and not fresh.places:
        when = When() if about_it == q.TREND and before.when.period is not None else before.when  # "trend" after Sept's: up to now
        return before.but(intent=about_it, chart=False, when=when, understood=fresh.understood, why=f"follow-up: {about_it} of it")
    if before.intent == q.RANK and re.search(RANK_AGAIN, plain):
        found = re.search(RANK_AGAIN, plain)
        count = found.group(2)
        order = {"top": "highest", "bottom": "lowest"}.get(found.group(1), found.group(1))
        return before.but(order=order, count=int(count) if count and count.isdigit() else NUMBER_WORDS.get(count or "", before.count),
                          understood=fresh.understood, why="follow-up: the other end of the ranking")
    if before.intent in (q.OWNER, q.DEFINITION) and fresh.indicator and not fresh.places and not re.search(A_FIGURE, lowered) \
            and re.search(ANOTHER_SUBJECT, lowered) and not fresh.unmatched and _question_length(text) <= FOLLOW_UP_WORDS:
        return before.but(indicator=fresh.indicator, understood=fresh.understood, why=f"follow-up: {before.intent} of another")
    if before.intent in CONTINUED and fresh.intent == q.CLARIFY and fresh.choices and not fresh.places \
            and not fresh.place_choices and before.places and re.search(ANOTHER_SUBJECT, lowered):
        return fresh.but(places=before.places, subject_named=before.subject_named)  # "and life expectancy?": men's or women's, there
    if before.intent == q.PROFILE and _measure_there(text, fresh, before):  # "crime rate?" after Park at a glance
        return fresh.but(places=before.places[:1], subject_named=True, why=f"{fresh.why}; the place just profiled")
    if before.intent in CONTINUED and before.indicator and _another_subject(text, fresh, before):
        carried = q.VALUE if before.intent == q.TREND and fresh.when.period and not fresh.when.since else before.intent
        return before.but(indicator=fresh.indicator, intent=carried if fresh.intent == q.VALUE else fresh.intent,
                          when=before.when if fresh.when.latest and re.search(SAME_PERIOD, lowered) else fresh.when,
                          breakdown=fresh.breakdown, chart=fresh.chart, choices=(),
                          understood=fresh.understood, why="follow-up: another indicator, the same places")
    there = _there(text, fresh, before)
    if there is not None:
        return there
    same = _same_period(lowered, fresh, before, previous.period)
    if same is not None:
        return same
    if before.intent == q.DUE and re.search(DUE_AGAIN, lowered) and not fresh.indicator and not fresh.places:
        return before.but(understood=fresh.understood, why="follow-up: the returns just listed, their dates")  # "how late are they"
    if before.intent == q.DUE and fresh.intent in (q.UNKNOWN, q.DUE) and not fresh.when.latest and not fresh.indicator \
            and not fresh.places and not fresh.unmatched and _question_length(text) <= FOLLOW_UP_WORDS \
            and not re.search(A_FIGURE, lowered) and not re.search(FIGURE_SENT, lowered):
        return before.but(when=fresh.when, understood=fresh.understood, why="follow-up: the returns of another period")
    if before.intent == q.DUE and fresh.indicator and not fresh.places and re.search(ANOTHER_SUBJECT, lowered) \
            and fresh.intent in (q.VALUE, q.DUE) and not re.search(A_FIGURE, lowered) \
            and _question_length(text) <= FOLLOW_UP_WORDS:  # "and the asb one?", not "and staff retention, the trend?"
        return before.but(indicator=fresh.indicator, when=fresh.when, understood=fresh.understood,
                          why="follow-up: the returns of another measure")
    leaned = _of_it(text, fresh, before, previous.period, previous.first) if previous.pending is None else None  # a waiting step reads its own reply
    if leaned is not None:
        return leaned
    if before.intent not in CONTINUED or before.indicator is None or not _elliptical(text, fresh):
        return fresh
    if fresh.intent == q.CLARIFY and fresh.place_choices:  # "and for Bilston?": which Bilston ward
        return before.but(intent=q.CLARIFY, wanted=before.intent, place_choices=fresh.place_choices,
                          places=before.places[1:], choices=(), understood=fresh.understood, why="follow-up: which ward")
    if re.search(ONLY_CHART, lowered):
        return before.but(chart=True, why="follow-up: as a chart")
    changes: dict = {}
    if re.search(LAST_YEAR, lowered) and previous.period:
        changes["when"] = When(parse_period(previous.period).year_earlier())
    elif _again(fresh.when, previous.period):  # "last qtr?" just after last quarter's figure: the one before it
        changes["when"] = When(parse_period(previous.period).previous())
    elif re.search(PERIOD_BEFORE, lowered) and previous.period:  # "and the quarter before?"
        changes["when"] = When(parse_period(previous.period).previous())
    elif re.search(UNITS_BEFORE, lowered) and previous.period:  # "3 months before that?"
        changes["when"] = _units_before(re.search(UNITS_BEFORE, lowered), parse_period(previous.period)) or fresh.when
    elif not fresh.when.latest:
        changes["when"] = fresh.when
    elif re.search(r"\b(?:latest|newest|current|now)\b", lowered) and not before.when.latest:
        changes["when"] = When()  # "and the city overall, latest": the newest, not the period before
    if fresh.places and before.intent == q.RANK and not fresh.collection:
        changes["intent"] = q.VALUE  # "and England?" after the wards ranked: England's figure
    if fresh.places:
        if re.search(r"\b(?:vs|v|versus|compared?|against|with)\b", lowered):
            own = fresh.subject_named and len(fresh.places) > 1  # "and the council overall compared to the region"
            changes["places"] = fresh.places if own else _home(before) + fresh.places
            changes["intent"] = q.COMPARE if before.intent in (q.VALUE, q.COMPARE) or own else before.intent
        elif re.search(r"\binstead\b", lowered) and before.intent in (q.VALUE, q.COMPARE):
            changes["places"], changes["intent"] = fresh.places, q.VALUE  # "actually do the region instead"
        elif before.intent == q.COMPARE and _ours_alone(fresh.places, before):
            changes["places"], changes["intent"] = fresh.places, q.VALUE  # "what was ours the quarter before"
        elif before.intent in (q.COMPARE, q.VALUE, q.TARGET, q.STATUS) and _looked_up_to(fresh.places, before):
            changes["places"] = _home(before) + fresh.places  # "and the region?" after Park's figure: Park vs the region
            changes["intent"] = q.COMPARE
        else:
            changes["places"] = fresh.places + before.places[1:]
        changes["subject_named"] = fresh.subject_named or "places" in changes and before.subject_named
        if changes.get("intent") == q.COMPARE and not _home(before):
            changes["subject_named"] = False  # the council's own figure against them
    if fresh.chart:
        changes["chart"] = True
    if before.intent == q.TARGET and changes.get("when") and changes["when"].period is not None \
            and changes["when"].period.kind != "financial_year":
        changes["intent"] = q.VALUE  # "what about Q4 last yr" after its target: that quarter's figure
    if not changes:
        return fresh
    measure_said = tuple(said for said in before.understood if said[0] == "indicator")  # "and for women" next
    return before.but(**changes, understood=measure_said + fresh.understood, why="follow-up: " + ", ".join(sorted(changes)))


REFERS = r"\b(?:it|its|that|this|them|those|these|same|there)\b"
DUE_AGAIN = (r"^(?:and\s+)?(?:how\s+(?:late|overdue|long\s+overdue)\b|(?:the\s+|what\s+)?(?:dates?|deadlines?|when)[\s?!.]*$"
             r"|when\s+(?:are|were|was|is)\s+(?:they|it|those|that|these)\s+due\b)")
ANY_GOOD = r"\bany\s+(?:good|better|worse|higher|lower|different|use)\b"
GOOD_OR_BAD = r"\b(?:good|bad|ok|okay|alright|decent|high|low|worrying|concerning)\b"
AGAINST_TARGET = r"\b(?:targets?|track|red|amber|green|rag)\b"
WHICH_TO_COMPARE = "follow-up: which ward to compare with"
COMPARING = r"\b(?:vs|versus|v|compared?|comparing|against|than|w|above|below|gap|difference|off)\b"
A_FIGURE = r"\b(?:figure|figures|number|numbers|value|latest|rate|stats?|avg|average)\b"
EVERYTHING = r"\b(?:everything|all\s+(?:the\s+)?(?:measures|indicators|kpis)|across\s+the\s+board|overall)\b"
ASKED_OF_IT = frozenset({q.OWNER, q.TARGET, q.DEFINITION, q.TREND, q.RANK, q.COMPARE, q.STATUS, q.DUE})
IT = (r"\b(?:it|its)\b|\b(?:that|this)\s+(?:one|measure|indicator|kpi|return)\b|\b(?:that|this)[\s?!.]*$|\bthe\s+(?:[\w/]+\s+)?return\b"
      r"|\bof\s+(?:those|them|these)\b")  # "how many of those in East Park"
FIGURE_SENT = rf"\bwhat{FIGURE_WORDS}\s+{SENT}|\bc[oa]me\s+in\s+at\b|{LAST_SENT}|\bactuals?\b"  # "and q1 actual?"
OWNING = r"\b(?:owns?|owner|responsible|lead|manages|contact|charge|chase|ask|speak|talk|e-?mail|ring|call|moan|complain|send(?:ing|s)?|submit(?:ting|s)?)\b"
WHERE_AT = r"\bwhere(?:s|\s+is|\s+are|\s+do|\s+does)?\s+(?:we|it|that|this|things)\b(?:\s+at|\s+now|\s+stand)?"
LISTING = r"\b(?:any|anything|what|whats|which|everything|all|list|measures|indicators|kpis)\b"


def _of_it(text: str, fresh: q.Query, before: q.Query, period: str | None, first: str | None = None) -> q.Query | None:
    """Another question about the indicator just answered, when the message names none of its own:
    "who owns that one", "is it going the right way", "which wards are worst for it", "how's that
    compare to England", "Heath Town vs the borough", "is it red?", "when was it due" — its own cue
    decides what is asked, and its own places and period replace the previous ones ("that year":
    the period just answered, `period`). A pronoun with no cue of its own
    is not enough (measured on the blind set: it answered more wrongly than rightly). None when the
    message is not of that kind."""
    if not before.indicator or fresh.indicator or fresh.choices or fresh.unmatched or fresh.unknown_places \
            or _question_length(text) > FOLLOW_UP_WORDS:
        return None
    if fresh.missing_breakdown:  # "can I get that by age band": a split it does not have, said so
        return before.but(intent=q.UNKNOWN, missing_breakdown=fresh.missing_breakdown, why="follow-up: a split not held")
    plain = normalise(text)
    whole = [re.escape(normalise(m.phrase)) for m in fresh.places if m.phrase and not is_ward(m.code)]  # "the city overall"
    if re.search(EVERYTHING, re.sub(rf"\b(?:{'|'.join(whole)})\s+overall\b", " ", plain) if whole else plain):
        return None  # "is Park worse than Penn on everything": a question of its own
    comparing = bool(fresh.places) and re.search(COMPARING, plain) is not None
    place_only = fresh.why.startswith(("profile: only a place", "clarify: a figure")) \
        or fresh.intent == q.CLARIFY and bool(fresh.place_choices) and not fresh.indicator
    listing = (fresh.service or fresh.scope or re.search(LISTING, re.sub(ANY_GOOD, " ", plain))) \
        and not re.search(IT, plain)  # "is anything red?", not "is that any good?"
    cued = next((intent for intent in cued_intents(text) if intent in ASKED_OF_IT and not (intent == q.STATUS and listing)), None)
    if fresh.intent == q.STATUS and listing:
        return None
    sent = re.search(FIGURE_SENT, plain) is not None  # "what did we submit for Q2": the figure sent
    missing = re.search(r"\bwhys?\b", plain) is not None and q.DUE in (fresh.intent, cued)  # "why's there no october"
    if q.DUE in (fresh.intent, cued) and not sent and not missing and not re.search(IT, plain) and not re.search(A_FIGURE, plain):
        return None  # "what's due?" after a figure: every return owed, not this one's
    if sent:
        intent = q.VALUE
    elif fresh.intent in ASKED_OF_IT or cued:
        intent = fresh.intent if fresh.intent in ASKED_OF_IT else cued
        if intent == q.OWNER and not re.search(f"{IT}|{OWNING}", plain):
            return None  # "who won the football last night": a bare "who" asks nothing of the measure
    elif comparing:
        intent = q.COMPARE
    elif fresh.group and not fresh.places:
        intent = q.COMPARE  # "and the other mets?": the same measure against a group of councils
    elif fresh.intent == q.UNKNOWN and before.intent not in CONTINUED and (not fresh.when.latest or re.search(A_FIGURE, plain)):
        intent = q.VALUE  # "and the figure for Q1?" after its definition or owner
    elif place_only and re.search(f"{A_FIGURE}|{IT}", plain) and not _figure_of_its_own(plain, fresh):
        intent = q.VALUE  # "what's Dudley's figure?", "can I get it for Penn": the same measure for another place
    elif place_only and before.intent in (q.OWNER, q.DEFINITION) and _bare_places(text, fresh):
        intent = q.VALUE  # "and in Penn?" after who owns it or what it means: its figure there
    elif place_only and not fresh.when.latest and _bare_places(text, fresh):
        intent = q.VALUE  # "what was mine in september" after the wards ranked: its figure there, then
    elif fresh.intent == q.UNKNOWN and re.search(WHERE_AT, plain):
        intent = q.VALUE  # "and where are we", "where's that at": its newest figure
    else:
        return None
    if fresh.place_choices:  # "is it any better in Bilston?": which Bilston ward, then this of the measure
        return before.but(intent=q.CLARIFY, wanted=intent, place_choices=fresh.place_choices, places=(), choices=(),
                          subject_named=False, when=fresh.when, understood=fresh.understood, why="follow-up: which ward")
    places, named = before.places, before.subject_named
    council_wide = intent == q.RANK and all(m.kind == "council" for m in fresh.places)  # "the worst in the city?"
    if fresh.places and not council_wide:  # "how's that compare to England": the place answered for, against England
        leading = comparing and (not fresh.subject_named or all(map(_comparator, fresh.places)))  # "… to England": against it
        places = _home(before) + fresh.places if leading else fresh.places
        named = bool(_home(before)) if leading else not comparing or len(fresh.places) > 1
        if comparing and first and before.intent == q.RANK and re.search(REFERS, plain):  # "how does mine compare to that"
            ranked_first = PlaceMention("named", first, "the first ranked")
            against = all(map(_comparator, fresh.places))  # "how does that compare to England": it, against England
            places, named = ((ranked_first, *fresh.places) if against else (*fresh.places, ranked_first)), True
    elif intent == q.STATUS and before.places and is_ward(before.places[0].code) and re.search(GOOD_OR_BAD, plain) \
            and not re.search(AGAINST_TARGET, plain):
        intent, places = q.COMPARE, before.places[:1]  # "is that good?" of a ward, which has no target: against the city
    elif intent in (q.STATUS, q.TARGET) and _home(before) != before.places[:1]:
        places, named = (), False  # "on target?" after the region's figure: the council's own target
    if intent == q.RANK and fresh.intent != q.RANK:  # "which wards are worst for it"
        fresh = fresh.but(order=rank_order(clean(text)), collection=fresh.collection or before.collection)
    when = When(parse_period(period)) if fresh.when.latest and period and re.search(SAME_PERIOD, plain) else fresh.when
    if intent in (q.STATUS, q.VALUE) and fresh.when.latest and not before.when.latest and not re.search(NOW, plain):
        when = before.when  # "is that good?", "vs city" after September's figure: September's
    if missing:  # "why is it only April-June": the period seen is not the one asked about — its returns owed, anyone's
        when, fresh = When(), fresh.but(everyone=True)
    return fresh.but(intent=intent, indicator=before.indicator, places=places, choices=(),
                     subject_named=named, breakdown=before.breakdown, when=when,
                     why=f"follow-up: {intent} of {before.indicator}")


def _figure_of_its_own(plain: str, fresh: q.Query) -> bool:
    """True for "number of dog walkers in Penn": a figure of words perfbot does not know, never the
    measure just answered (unlike "what's Dudley's figure?")."""
    said = re.search(rf"{A_FIGURE}\s+(?:of|on|about)\s+(?:the\s+)?([a-z']+)", plain)
    return bool(said and said.group(1) in fresh.unused)


RANKED_FIRST = r"\b(?:the\s+)?(?:top|worst|best|first|1st|highest|lowest|bottom|number\s+one)\s+(?:one|ward|council|place|area)\b"
WHY = rf"(?:^|,\s*){WHY_ASKED}"  # "why's it red", "ok and the budget one, why's that red"
CORRECTION = r"^(?:(?:sorry|soz|oops|no|nope|apologies|my\s+bad|ah|actually)\W+)*(?:i\s+)?(?:meant|mean)\b\W*"
CORRECTION_AFTER = r"^(?:(?:sorry|soz|oops|no|nope|apologies|my\s+bad|ah|actually)\W+)*(.+?)\W+(?:is\s+what\s+)?i\s+(?:meant|mean)\W*$"
WHY_COLOUR = r"\b(?:red|amber|green|(?:on|off|below|above|under|over|missing|miss(?:ed|ing)?)\s+(?:the\s+)?target)\b"
CAUSE_OFFERED = r"\b(?:is\s+it|was\s+it|because|cos|due\s+to|down\s+to)\b"  # after the colour: a cause put forward
SEXES = frozenset({"male", "female", "men", "women", "mens", "womens", "boys", "girls"})


def _variant(text: str, fresh: q.Query, before: q.Query, reread) -> q.Query:
    """"female?" after male life expectancy: the variant of the indicator just answered that the
    question back would have offered, read by putting the word in the indicator's phrase."""
    said_before = [p for role, p in before.understood if role == "indicator"]
    phrase = next((p for p in reversed(said_before) if set(p.split()) - SEXES), said_before[-1] if said_before else "")
    split = bool(fresh.missing_breakdown) and not fresh.indicator  # "lowest 3 wards for women?" after female
    if reread is None or not (fresh.intent == q.CLARIFY and fresh.choices or split) or not phrase or fresh.places:
        return fresh
    said = [word for word in content_words(text) if word not in JOINING]
    kept = [word for word in phrase.split() if not (SEXES & set(said) and word in SEXES)]  # "female?" after male
    found = reread(" ".join([*kept, *said]))
    if split:
        asked = found.intent in (q.RANK, q.TREND, q.COMPARE, q.TARGET, q.STATUS, q.OWNER)
        return found.but(why=f"follow-up: {found.why}") if found.indicator and asked and not found.missing_breakdown else fresh
    if found.indicator in fresh.choices and found.indicator != before.indicator:
        return before.but(intent=before.intent if before.intent in CONTINUED else q.VALUE, indicator=found.indicator,
                          choices=(), understood=(*fresh.understood, ("indicator", " ".join([*kept, *said]))),
                          why="follow-up: a variant")
    return fresh


def _the_other(text: str, fresh: q.Query, before: q.Query) -> q.Query | None:
    """"what about the other Tettenhall one": of the wards a name fits, the one not just answered for."""
    if not (fresh.intent == q.CLARIFY and fresh.place_choices and before.indicator and re.search(r"\bother\b", normalise(text))):
        return None
    answered = {m.code for m in before.places}
    left = [code for code in fresh.place_choices if code not in answered]
    if len(left) != 1 or len(left) == len(fresh.place_choices):
        return None
    return before.but(intent=before.intent if before.intent in CONTINUED else q.VALUE,
                      places=(PlaceMention("named", left[0], "the other one"), *before.places[1:]), subject_named=True,
                      understood=fresh.understood, why="follow-up: the other ward of the name")


def _asks_why(text: str, fresh: q.Query, before: q.Query) -> q.Query:
    """"why's it red", "why amber": its figure against its target says why the colour (and its owner
    why the figure); any other why ("why did it spike", "why is it red, is it the new estate?") is
    for its owner, as perfbot cannot tell from the figures."""
    indicator = fresh.indicator or before.indicator
    asked = before if indicator == before.indicator else fresh  # another measure: its own places and period
    if fresh.places:  # "why is Penn red", "why's it so high round here"
        asked = asked.but(places=fresh.places, subject_named=fresh.subject_named)
    colour = re.search(WHY_COLOUR, normalise(text))
    if colour and not re.search(CAUSE_OFFERED, colour.string[colour.end():]):
        return asked.but(intent=q.STATUS, indicator=indicator, understood=fresh.understood, why=q.WHY_THAT_COLOUR)
    return asked.but(intent=q.UNKNOWN, indicator=indicator, why="asks why", understood=fresh.understood)


def _again(when: When, answered: str | None) -> bool:
    """True when "last quarter" (or month, or year) names the very period just answered."""
    return bool(answered and when.period is not None and when.period.label == answered
                and re.search(r"\b(?:last|previous)\b", when.phrase))


def _units_before(found: re.Match, period) -> When | None:
    """"3 months before that": the period that many months, quarters or years before `period`."""
    count = int(found.group(1)) if found.group(1).isdigit() else NUMBER_WORDS.get(found.group(1), 1)
    months = count * {"month": 1, "quarter": 3, "year": 12}[found.group(2).rstrip("s")]
    step = {"month": 1, "quarter": 3}.get(period.kind, 12)
    if months % step:
        return None
    shifted = period
    for _ in range(months // step):
        shifted = shifted.previous()
    return When(shifted)


def _home(before: q.Query) -> tuple:
    """The place a comparison is made from: the one answered for, unless that was the region or
    England (a comparator) — then the council's own."""
    first = before.places[:1]
    return () if first and _comparator(first[0]) else first


def _comparator(mention: PlaceMention) -> bool:
    """True for the region or England: what a place is compared against, not a subject of its own."""
    return mention.kind in ("region", "england") or is_comparator(mention.code)


COUNCIL_CODES = ("E06", "E07", "E08", "E09")


def _above(mention: PlaceMention, subject: PlaceMention) -> bool:
    """True when `mention` is a place a comparison looks up to from `subject`: the region, England,
    or (from a ward) a council."""
    code = mention.code or ""
    return mention.kind in ("region", "england") or code[:3] in ("E12", "E92") or \
        (code[:3] in COUNCIL_CODES or mention.kind == "council") and (subject.code or "")[:3] == "E05"


THERE = r"\bthere\b(?!\s+(?:is|are|was|were|been|any))|\b(?:same|those|these|both)\s+(?:two\s+|2\s+|three\s+)?(?:wards?|places?|areas?|councils?)\b"


def _there(text: str, fresh: q.Query, before: q.Query) -> q.Query | None:
    """"crime rate there in Q2", "and claimant rate, same two wards": a measure of its own for the
    places just asked about (compared again when they were compared)."""
    if not (fresh.indicator and before.places and not fresh.places and re.search(THERE, normalise(text))):
        return None
    if fresh.intent not in (q.VALUE, q.COMPARE, q.TREND, q.TARGET, q.STATUS, q.RANK):
        return None
    intent = q.COMPARE if fresh.intent in (q.VALUE, q.RANK) and len(before.places) > 1 else \
        q.VALUE if fresh.intent == q.RANK else fresh.intent  # "same two wards" names the places, not a ranking
    return fresh.but(intent=intent, places=before.places, subject_named=before.subject_named,
                     collection=None, why=f"follow-up: {fresh.indicator} for the places before")


def _ours_alone(places: tuple, before: q.Query) -> bool:
    """True when the place a comparison was made from is named alone after it: the council ("ours",
    "we") after a comparison made from the council, "my ward" after one made from the asker's ward."""
    home = _home(before)
    from_council = not home or home[0].kind == "council" or (home[0].code or "")[:3] in COUNCIL_CODES
    if len(places) == 1 and home and (places[0].kind, places[0].code) == (home[0].kind, home[0].code) != ("council", None):
        return True  # "what was my ward the quarter before" after my ward against the city
    return bool(places) and all(m.kind == "council" for m in places) and from_council


def _looked_up_to(places: tuple, before: q.Query) -> bool:
    """True when every place named is one the place just answered for is compared with: the region
    or England (or, from a ward, a council) — the council's own when no place was named before it."""
    home = _home(before)
    if home and before.intent == q.COMPARE:
        return all(_above(m, home[0]) for m in places)
    if home:  # after a ward's figure, "and the city overall" is the city's figure
        return all(m.kind in ("region", "england") or (m.code or "")[:3] in ("E12", "E92") for m in places)
    council_asked = not before.places or not before.subject_named
    return council_asked and all(m.kind in ("region", "england") or (m.code or "")[:3] in ("E12", "E92") for m in places)


def _another_subject(text: str, fresh: q.Query, before: q.Query) -> bool:
    """True for "and crime?" or "what about recycling?" after an answer about some places (or a
    ranking of them): another indicator, named on its own, for the places just asked about."""
    plain = expand_shorthand(normalise(text))
    return bool((re.search(ANOTHER_SUBJECT, plain) or re.search(SAME_AGAIN, plain)) and fresh.indicator
                and (before.places or before.intent == q.RANK)
                and fresh.indicator != before.indicator and not fresh.places and not fresh.group
                and not fresh.collection and not fresh.unmatched and not fresh.unknown_places
                and not fresh.missing_breakdown and fresh.intent in (q.VALUE, q.COMPARE, q.TREND)
                and _question_length(text) <= FOLLOW_UP_WORDS)


def _measure_offered(previous: Turn, fresh: q.Query, reread: Callable[[str], q.Query] | None) -> Turn:
    """After "I'm not sure what X means here — did you mean *Y*?", a reply that names no measure but
    leans on one ("is that good?", "and the west mids figure?", "rag?") is about Y, the one offered —
    unless X itself names some other measure ("anti social" when "residents" offered the population)."""
    before = previous.query
    offered = before.intent == q.CLARIFY and len(before.choices) == 1 and before.unmatched and not before.place_choices
    if not offered or fresh.indicator or fresh.choices or reread is None:
        return previous
    unclear = reread(" ".join(before.unmatched))
    if {unclear.indicator, *unclear.choices} - {None, before.choices[0]}:
        return previous
    return replace(previous, query=before.but(intent=before.wanted or q.VALUE, indicator=before.choices[0],
                                              choices=(), unmatched=(), why="the measure offered"))


def _the_ward_meant(fresh: q.Query, before: q.Query) -> q.Query:
    """"in the ward" after a ward's figures: that ward."""
    talked_of = next((m for m in before.places if m.code and is_ward(m.code) or m.kind == MY_WARD), None)
    if talked_of is None or not any(m.kind == THE_WARD for m in fresh.places):
        return fresh
    return fresh.but(places=tuple(talked_of if m.kind == THE_WARD else m for m in fresh.places))


def _same_period(plain: str, fresh: q.Query, before: q.Query, period: str | None) -> q.Query | None:
    """"residual waste for us, same quarter" after Q1's recycling: another measure, asked of the
    period just answered (the kind said must be that period's: "same month" after a quarter is not)."""
    said = re.search(SAME_PERIOD, plain)
    if not (said and period and before.indicator and fresh.indicator and fresh.indicator != before.indicator
            and fresh.when.latest and fresh.intent in CONTINUED and not fresh.unmatched and not fresh.unknown_places):
        return None
    answered = parse_period(period)
    if said.group(1) in ("month", "quarter") and answered.kind != said.group(1):
        return None
    return fresh.but(when=When(answered), places=fresh.places or before.places,
                     subject_named=fresh.subject_named if fresh.places else before.subject_named,
                     why=f"{fresh.why}; the period just answered")


def _measure_there(text: str, fresh: q.Query, before: q.Query) -> bool:
    """True for "crime rate?" or "and is unemployment going up?" after a place's profile: a measure
    named on its own, asked of the one place just looked at."""
    return bool(fresh.indicator and len(before.places) == 1 and not fresh.places and not fresh.group
                and not fresh.collection and not fresh.unmatched and not fresh.unknown_places
                and fresh.intent in (q.VALUE, q.TREND, q.STATUS) and _question_length(text) <= FOLLOW_UP_WORDS)


def _question_length(text: str) -> int:
    """How many words carry meaning in the question itself: in a message that asks with a question
    mark, the sentences that ask ("why is there no Q2 figure yet? the board pack goes next week")."""
    asking = [sentence for sentence in re.split(r"(?<=\?)\s+", text) if sentence.rstrip().endswith("?")]
    return len(content_words(" ".join(asking) if asking else text))


def _bare_places(text: str, fresh: q.Query) -> bool:
    """True when the message is its places, its period and a few joining words ("and Penn?", "ok Penn then"),
    not a question of its own about them ("is Park worse than Penn on everything")."""
    named = {word for mention in fresh.places for word in normalise(mention.phrase or "").split()}
    named |= set(normalise(fresh.when.phrase or "").split())  # "what was Penn this time last year"
    named |= {word for kind, phrase in fresh.understood if kind == "place" for word in normalise(phrase).split()}  # "Bilston"
    return not [word for word in re.findall(r"[\w']+", clean(text)) if word not in named and word not in JOINING
                and not any(known.startswith(word) or shortens(word, known) for known in named)]  # "bilston n", "weds"


SAME_PERIOD = r"\b(?:same|that)\s+(month|quarter|period|year|time|date)\b"
NOW = r"\b(?:now|currently|current|latest|newest|today|at\s+the\s+moment|atm)\b"
JOINING = frozenset("and ok okay so then what whats how hows about for in at the please now same instead too also overall whole as just ward "
                    "huh hmm hm oh ah eh "
                    "show me give try latest newest current month quarter year did do does have has had get got was is a ago "
                    "fine right cool great thanks avg average figure rate number "
                    "with there compared compare comparing vs versus against than to".split())


def _elliptical(text: str, fresh: q.Query) -> bool:
    """True when the message leans on the one before: short, naming no indicator, with no words left
    over and no unknown place (those are answered, or refused, on their own)."""
    if fresh.indicator or fresh.choices or fresh.unmatched or fresh.unknown_places or fresh.missing_breakdown:
        return False
    if _question_length(text) > FOLLOW_UP_WORDS:
        return False
    place_only = fresh.intent == q.PROFILE and fresh.why.startswith("profile: only a place") and _bare_places(text, fresh)
    unknown = fresh.intent == q.UNKNOWN and not fresh.unused  # "whats band D this year": words of its own
    return unknown or place_only or (fresh.intent == q.CLARIFY and bool(fresh.place_choices))


def _instead_of_unknown_place(text: str, fresh: q.Query, before: q.Query) -> q.Query | None:
    """After "unemployment in Sedgley?" was refused for a place not held, a place on its own ("what
    about Bilston then", "ok Penn?") asks the same measure there."""
    if before.intent != q.UNKNOWN or not before.indicator or not before.unknown_places or fresh.indicator:
        return None
    place_only = fresh.why.startswith("profile: only a place") or fresh.intent == q.CLARIFY and bool(fresh.place_choices)
    if not place_only or not _bare_places(text, fresh):
        return None
    when = before.when if fresh.when.latest else fresh.when
    if fresh.intent == q.CLARIFY:
        return fresh.but(indicator=before.indicator, wanted=q.VALUE, when=when, why="follow-up: which ward, instead")
    return fresh.but(intent=q.VALUE, indicator=before.indicator, when=when, why="follow-up: the measure, another place")


def _clarified(text: str, fresh: q.Query, before: q.Query) -> q.Query:
    """The question asked back, completed by the reply: a ward chosen (then, if the measure is still
    open, asked which), or an indicator chosen. One ward chosen after a ranking gets its own figure.
    A reply naming its own place or time is a question of its own ("claimant rate in Park 3 months ago")."""
    if before.place_choices:
        chosen = [m for m in fresh.places if m.code in before.place_choices]
        if chosen and not fresh.indicator and not fresh.unmatched:
            if before.indicator is None and before.choices:  # the measure is still to be chosen
                return before.but(places=(chosen[0], *before.places), place_choices=(), subject_named=True,
                                  why=f"clarified: {chosen[0].code}; which measure")
            own = next((i for i in cued_intents(text) if i in (q.TREND, q.COMPARE, q.TARGET, q.STATUS, q.OWNER)), None)
            wanted = q.VALUE if before.wanted == q.RANK else before.wanted  # one ward chosen: its own figure
            places = (*before.places, chosen[0]) if before.why == WHICH_TO_COMPARE else (chosen[0], *before.places)
            return before.but(intent=own or wanted or q.VALUE, places=places, place_choices=(),
                              subject_named=True, why=f"clarified: {chosen[0].code}")
        return fresh
    names_its_own = fresh.places or not fresh.when.latest or fresh.unmatched or fresh.unknown_places
    if fresh.indicator and fresh.intent in (q.RANK, q.TREND, q.COMPARE, q.TARGET, q.OWNER, q.STATUS):
        return fresh  # "which ward is lowest for women": a question of its own, naming its measure
    if (fresh.indicator in before.choices or fresh.indicator and not before.choices) \
            and _question_length(text) <= FOLLOW_UP_WORDS and not names_its_own:  # "male life expectancy sorry"
        return before.but(intent=before.wanted or q.VALUE, indicator=fresh.indicator, choices=(), unmatched=(),
                          understood=before.understood + tuple(p for p in fresh.understood if p[0] == "indicator"),
                          why=f"clarified: {fresh.indicator}")
    return fresh
