"""The decide stage: the strongest cued intent whose needs are met answers; failing every cue, what
was named does — a service (its status), an indicator (its value, or a ranking, comparison or trend
as the places and period ask), a place alone (its profile) — else the question is unknown, with the
nearest indicators. `Query.why` says which it was and on what words; then every word of the question
is accounted for (intents/accounting.py)."""
from __future__ import annotations

import re

from intents import query as q
from intents.accounting import Reading, account
from intents.lexicon import Lexicon
from intents.places import is_comparator, is_ward
from intents.queries import build

OWNER_SAID = 0.87  # owner cues scoring less ("who sorts …", "the lead for …") need a measure named
AGAINST = r"\b(?:vs|v|versus|against|compared?|comparison)\b"
ONE_FIGURE = r"\b(?:figure|number|stat|value|score)\b|\bthe\s+(?:latest\s+|current\s+|newest\s+)?rate\b"  # "the West Mids figure"


def decide_intent(text: str, cleaned: str, cues: list, indicator: str | None, choices: list[str], matches: list,
                  base: dict, found, submission, lexicon: Lexicon) -> q.Query:
    """The query for the question, its words accounted for (see the module docstring)."""
    service, when = base["service"], base["when"]
    reading = Reading(text, cleaned, found, matches, cues, service)
    for rule, span in sorted(cues, key=lambda pair: -pair[0].score):
        if rule.intent == q.OWNER and rule.score < OWNER_SAID and not (indicator or choices):
            continue  # a bare "who …" asks for an owner only when a measure is named ("who won the football")
        built = build(rule.intent, cleaned, indicator, choices, matches, base, found, submission)
        if built is not None:
            by = f"; indicator by '{_phrase(matches, built.indicator)}'" if built.indicator and matches else ""
            return account(built.but(why=f"{rule.intent}: matched '{span}'" + by, score=rule.score), reading, lexicon)
    if (service or base["scope"]) and not indicator and not choices:  # "how are my kpis doing"
        named = f"a service was named ('{service}')" if service else f"whose measures ({base['scope']})"
        return account(q.Query(q.STATUS, **base, why=f"status: {named}", score=0.7), reading, lexicon)
    if indicator or choices:
        intent = q.RANK if found.collection and not any(m.kind == "named" and is_ward(m.code) for m in found.mentions) else \
            q.COMPARE if len(found.mentions) > 1 or found.group else (q.TREND if when.since else q.VALUE)
        built = build(intent, cleaned, indicator, choices, matches, base, found, submission)
        return account(built.but(why=f"{intent}: an indicator was named" + (f" ('{_phrase(matches, indicator)}')" if matches else ""),
                                 score=matches[0].score if matches else 0.5), reading, lexicon)
    if (found.mentions and any(m.kind in ("named", "my_ward") for m in found.mentions)) or found.partial:
        if re.search(ONE_FIGURE, cleaned) and not found.partial:  # one figure, its measure not named: which?
            return account(q.Query(q.CLARIFY, **base, wanted=q.VALUE, why="clarify: a figure for a place, no measure named"),
                           reading, lexicon)
        if all(is_comparator(m.code) for m in found.mentions) and re.search(AGAINST, cleaned):  # "vs England": of what?
            return account(q.Query(q.CLARIFY, **base, wanted=q.COMPARE, why="clarify: a comparison, no measure named"),
                           reading, lexicon)
        return account(q.Query(q.PROFILE, **base, why="profile: only a place was named", score=0.6), reading, lexicon)
    return account(q.Query(q.UNKNOWN, **base, suggestions=tuple(m.code for m in matches[:3]),
                           why="no rule or indicator matched"), reading, lexicon)


def _phrase(matches: list, code: str | None) -> str:
    """The phrase the chosen indicator was matched on, for `why`."""
    return next((match.phrase for match in matches if match.code == code), matches[0].phrase)
