"""What a question asks, as data: the `Query` the parser produces and the handlers answer."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from intents.places import PlaceMention
from intents.when import When

VALUE, COMPARE, TREND, RANK, STATUS, PROFILE = "value", "compare", "trend", "rank", "status", "profile"
OWNER, TARGET, DEFINITION, SEARCH, DUE, SUBMIT = "owner", "target", "definition", "search", "due", "submit"
HELP, UNKNOWN, CLARIFY, THANKS = "help", "unknown", "clarify", "thanks"
SNOOZE, UNAVAILABLE = "snooze", "unavailable"
SUBSCRIBE, UNSUBSCRIBE, SUBSCRIPTIONS = "subscribe", "unsubscribe", "subscriptions"
COMMENTARY, ALERT_RULE = "commentary", "alert_rule"
ACTION, REPORT, REPORT_OUTSTANDING, REPORT_COMMENT = "action", "report", "report_outstanding", "report_comment"
CHANGES = "changes"
WHY_THAT_COLOUR = "why that colour"  # `why` of a status asked as "why's it red": its owner is named too
NEEDS_INDICATOR = frozenset({VALUE, COMPARE, TREND, RANK, OWNER, TARGET, DEFINITION, SUBMIT})


@dataclass(frozen=True)
class Submission:
    """A value someone says they want to record: the number as typed and as parsed."""

    text: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Query:
    """A question understood: intent, indicator, places, time and the details each intent needs.

    `why` says which rule matched and on what words; `score` how sure the parser is (0–1);
    `choices` lists indicator codes to ask about when two readings were close, `place_choices` the
    wards a partial name could be, and `wanted` the intent to answer once one is chosen.
    `understood` lists the phrases the parse used, by role (indicator, place, period, breakdown,
    intent); `unmatched` the words it could not place and `unknown_places` the phrases standing where
    a place would that are no place it knows. `breakdown` is the breakdown asked for ('' = the whole
    population) and `missing_breakdown` the breakdown words the indicator has no figures for."""

    intent: str
    indicator: str | None = None
    places: tuple[PlaceMention, ...] = ()
    subject_named: bool = True
    when: When = field(default_factory=When)
    group: str | None = None
    collection: str | None = None
    region_named: str | None = None
    order: str | None = None
    count: int | None = None
    change: str = ""  # "rise", "fall", "better" or "worse": places ranked by their change over the period asked
    service: str | None = None
    rag: str | None = None
    everyone: bool | None = False  # None: the question did not say whose (a DUE question)
    person: str | None = None  # the e-mail of a person the question names
    person_choices: tuple[str, ...] = ()  # the e-mails of everyone a first name said alone may be ("has Imran sent…")
    comment: str | None = None  # commentary typed with its measure ("comment on CLA: …"), as typed
    scope: str | None = None  # "portfolio", "service" or "own": the asker's ("my portfolio", "my directorate", "my measures")
    chart: bool = False
    submission: Submission | None = None
    margin: float | None = None
    search_words: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    wanted: str | None = None
    unmatched: tuple[str, ...] = ()
    unused: tuple[str, ...] = ()  # ordinary words around the question, read as framing
    suggestions: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    place_choices: tuple[str, ...] = ()
    breakdown: str = ""
    missing_breakdown: tuple[str, ...] = ()
    measure: str | None = None
    future: bool = False
    unread_period: str = ""  # a period-like phrase that could be two periods ("10/11", "fy25"): asked back
    understood: tuple[tuple[str, str], ...] = ()
    why: str = ""
    score: float = 0.0

    def but(self, **changes) -> Query:
        """A copy with some fields changed (for follow-ups)."""
        return replace(self, **changes)
