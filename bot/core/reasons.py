"""Whether a reply to "Why change it?" reads as a reason for a correction. A correction overwrites a
value others may already have seen, so it is taken only on a reply that says why: a retraction
("sorry wrong month", "oops I meant October"), a new request ("submit a value", "show me NEET"), a
question, or a bare yes, number or single filler word is never stored as the reason."""
from __future__ import annotations

import re
from dataclasses import dataclass

from intents import query as q

RETRACTION = re.compile(
    r"\b(?:sorry|oops+|whoops|my bad|i meant|meant to (?:say|put|send)|i mean\b|wrong (?:month|period|quarter|year|"
    r"one|value|number|figure|indicator|kpi|return)|ignore (?:that|this|it|me)|scratch that|never ?mind|"
    r"didn'?t mean|did not mean|not that one|hang on|wait)\b", re.I)
REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:submit|send|show|give|tell|list|change|update|set|subscribe|unsubscribe|remind|snooze|"
    r"chart|compare|rank|record|enter|add|delete|remove|undo|help|report)\b", re.I)
QUESTION = re.compile(r"^\s*(?:what|who|whom|whose|which|when|where|how|is|are|am|can|could|do|does|did|should|"
                      r"shall|will|would|has|have)\b", re.I)
BARE = re.compile(r"^\s*(?:yes|y|yep|yeah|ok|okay|sure|fine|because|why|correct|confirm|confirmed|right|done|"
                  r"that'?s it|go ahead|no reason|dunno|idk|[-+£\d.,%\s]+)\s*[.!]*\s*$", re.I)
ANSWERED_INTENTS = frozenset({q.UNKNOWN, q.THANKS, q.CLARIFY})


@dataclass(frozen=True)
class ReasonCheck:
    """What a reply to "Why change it?" is: 'reason', 'retraction', 'request', 'question' or 'unclear'."""

    kind: str

    @property
    def taken(self) -> bool:
        """True when the reply can be stored as the correction's reason."""
        return self.kind == "reason"


def check_reason(text: str, parsed: q.Query) -> ReasonCheck:
    """Classify a reply to "Why change it?" (`parsed` is its fresh parse)."""
    stripped = text.strip()
    if RETRACTION.search(stripped):
        return ReasonCheck("retraction")
    if stripped.endswith("?") or QUESTION.match(stripped):
        return ReasonCheck("question")
    if REQUEST.match(stripped) or parsed.intent == q.SUBMIT or (
            parsed.intent not in ANSWERED_INTENTS and parsed.indicator and len(stripped.split()) <= 8):
        return ReasonCheck("request")
    letters = re.findall(r"[a-z]{2,}", stripped.lower())
    if BARE.match(stripped) or not letters:
        return ReasonCheck("unclear")
    return ReasonCheck("reason")
