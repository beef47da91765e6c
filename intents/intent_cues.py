"""The intent-cue stage: which intents the question's words cue, each with the words that cued it —
the rules of cues.txt, then what only the reading so far shows: a period "since" asks a trend, an
indicator alone after "what is" its definition, a figure set down with its unit or period a submission."""
from __future__ import annotations

import re

from intents import query as q
from intents.breakdowns import asked_words
from intents.cues import RULES, Rule
from intents.rephrase import clean
from intents.text import content_words

FIGURE = r"-?£?\d[\d,]*(?:\.\d+)?"
RANKED_NUMBER = "|".join([r"\b(?:top|bottom|best|worst|highest|lowest|first|last|which|what)\s+\d",
                          r"\b\d+\s*(?:\+|plus|s)(?:\s|$)"])
POLITE = r"(?:please|pls|thanks|thank\s+you|ta|cheers)"
FIGURE_SET_DOWN = rf"(?:^|\s)(?:=\s*|as\s+|at\s+|-\s*)?{FIGURE}\s*(?:%|k|per\s*cent)?\s*{POLITE}?[\s.!]*$"
STATE_WORDS = "|".join(["at", "like", "looking", "doing", "now", "today", "currently", "latest", "current", "newest",
                        "figures?", "numbers?", "stats?", "statistics", "level", "value", "performance", "score", "story",
                        "position", "picture", "situation"])
HOW_MUCH = rf"\b(?:{STATE_WORDS})\b"
WHAT_IS = "|".join([r"^(?:so\s+|ok\s+|sorry\s+|and\s+)?(?:what\s+(?:is|are)|whats)\b",
                    r"\b(?:mean|means|meaning|stand\s+for|refer\s+to|in\s+plain\s+english|about\s+exactly)\b"])
SAID_AT = r"(?:\bis|=|\bwas|:|\bcame\s+(?:in\s+)?at|\bstands\s+at)"
UNITS = "|".join(["days?", "per", "1,?000", "10,?000", "100,?000", "tonnes", "kg", "people", "households", "homes",
                  "visits", "incidents", "journeys", "cases", "children", "pupils", "fte", "percent", "pc", "a",
                  "head", "population", "premises", "complaints", "requests", "applications"])
FIGURE_WITH_UNIT = rf"{SAID_AT}\s*{FIGURE}\s*(?:%|k)?(?:\s+(?:{UNITS})){{1,3}}[\s.!]*$"


def cues_in(text: str, cleaned: str, timeless: str, when, found, indicator: str | None,
            measure: str | None) -> list[tuple[Rule, str]]:
    """(rule, the words that cued it) for every intent the question cues, in the rules' order."""
    cue_text = asked_words(cleaned)[1]
    cues = [(rule, rule.first(cue_text)) for rule in RULES]
    cues = [(rule, span) for rule, span in cues if span is not None]
    if when.since is not None:
        cues.append((Rule(q.TREND, "", 0.8), when.phrase))
    if indicator and not cues and not found.mentions and not when.phrase and measure is None \
            and re.search(WHAT_IS, cleaned) and not re.search(HOW_MUCH, cleaned) and len(content_words(timeless)) <= 6:
        cues.append((Rule(q.DEFINITION, "", 0.885), "what is, of an indicator alone"))  # "what is reablement?"
    if "?" not in text and re.search(FIGURE_WITH_UNIT, timeless):
        cues.append((Rule(q.SUBMIT, "", 0.93), "a figure with its unit"))  # "sickness for Q2 was 9.4 days"
    if when.period is not None and "?" not in text and re.search(FIGURE_SET_DOWN, timeless) \
            and not re.search(RANKED_NUMBER, timeless):
        cues.append((Rule(q.SUBMIT, "", 0.93), "a figure set beside a period"))  # "november neet 5.2"
    return cues


def cued_intents(text: str) -> list[str]:
    """The intents the question's own cue words ask for, strongest first ("which wards are worst for
    it" → rank), whatever the rest of it names."""
    cue_text = asked_words(clean(text))[1]
    return [rule.intent for rule in sorted(RULES, key=lambda rule: -rule.score) if rule.first(cue_text) is not None]
