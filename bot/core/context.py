"""Conversation memory, so follow-ups work: "and for Penn?", "as a chart", "what about last year?",
or a click on a clarification button. Keeps the last understood question per conversation, bounded
in size; nothing here is needed to answer a fresh question."""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

from data_access.periods import parse_period
from intents import query as q
from intents.text import content_words
from intents.when import When

MAX_CONVERSATIONS = 10_000
FOLLOW_UP_WORDS = 8
LAST_YEAR = r"\b(?:last|previous|the\s+previous)\s+year\b|\ba\s+year\s+(?:ago|earlier|before)\b|\bsame\s+time\s+last\s+year\b"
ONLY_CHART = r"^(?:and\s+)?(?:show\s+(?:it|that|me|this)\s+|(?:can\s+i\s+(?:see|have)|give\s+me)\s+(?:it|that|this)?\s*)?(?:as\s+)?(?:a\s+)?(?:chart|graph|plot|picture)(?:\s+(?:it|that|please))?[\s?!.]*$|^(?:chart|graph|plot)\s+(?:it|that|this)"


@dataclass(frozen=True)
class Turn:
    """What the bot understood last in a conversation, the period it answered for, a submission
    waiting for the next message (confirmation, reason, commentary) and the last one recorded."""

    query: q.Query
    period: str | None
    pending: Any = None
    submitted: Any = None


class Memory:
    """The last turn of each conversation (least recently used ones forgotten first)."""

    def __init__(self, size: int = MAX_CONVERSATIONS):
        self._turns: OrderedDict[str, Turn] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def last(self, key: str) -> Turn | None:
        """The previous turn of conversation `key`, if any."""
        with self._lock:
            turn = self._turns.get(key)
            if turn is not None:
                self._turns.move_to_end(key)
            return turn

    def remember(self, key: str, turn: Turn) -> None:
        """Store the turn just answered."""
        with self._lock:
            self._turns[key] = turn
            self._turns.move_to_end(key)
            while len(self._turns) > self._size:
                self._turns.popitem(last=False)


def follow_up(text: str, fresh: q.Query, previous: Turn | None) -> q.Query:
    """The query to answer: `fresh`, or the previous one adjusted when `text` is a follow-up to it
    (a short message naming only a place, a time or "as a chart"), or the clarification's choice."""
    if previous is None:
        return fresh
    before = previous.query
    if before.intent == q.CLARIFY:
        if fresh.indicator in before.choices and len(content_words(text)) <= FOLLOW_UP_WORDS:
            return before.but(intent=before.wanted or q.VALUE, indicator=fresh.indicator, choices=(),
                              why=f"clarified: {fresh.indicator}")
        return fresh
    open_ended = fresh.intent == q.UNKNOWN or fresh.why.startswith("profile: only a place")
    if before.indicator is None or not open_ended or len(content_words(text)) > FOLLOW_UP_WORDS:
        return fresh
    lowered = text.lower().strip()
    if re.search(ONLY_CHART, lowered):
        return before.but(chart=True, why="follow-up: as a chart")
    changes: dict = {}
    if re.search(LAST_YEAR, lowered) and previous.period:
        changes["when"] = When(parse_period(previous.period).year_earlier())
    elif not fresh.when.latest:
        changes["when"] = fresh.when
    if fresh.places:
        if re.search(r"\b(?:vs|versus|compared?|against|with)\b", lowered):
            changes["places"] = (before.places[:1] or ()) + fresh.places
            changes["intent"] = q.COMPARE if before.intent in (q.VALUE, q.COMPARE) else before.intent
        else:
            changes["places"] = fresh.places + before.places[1:]
        changes["subject_named"] = fresh.subject_named or "places" in changes and before.subject_named
    if fresh.chart:
        changes["chart"] = True
    if not changes:
        return fresh
    return before.but(**changes, why="follow-up: " + ", ".join(sorted(changes)))
