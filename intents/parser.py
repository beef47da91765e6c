"""Text → `Query`: read the period, the places and the indicator, then let the intent rules compete.
Each rule is a cue pattern with a score; the highest-scoring rule whose needs are met wins, and
`Query.why` records which rule it was and on what words. When two indicators fit about equally the
query becomes a clarification; when nothing fits it is `unknown`, with the nearest indicators."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
from rapidfuzz import fuzz

from intents import query as q
from intents.indicators import IndicatorIndex, decide
from intents.places import COUNCILS, PlaceIndex
from intents.submission import read_submission
from intents.text import content_words, normalise
from intents.when import read_when


@dataclass(frozen=True)
class Rule:
    """An intent cue: a regular expression over the normalised question and the score it earns."""

    intent: str
    pattern: str
    score: float


RULES = [
    Rule(q.ACTION, r"^(?:please\s+)?(?:add|record|log|enter)\s+(?:an?\s+)?(?:improvement\s+)?action\b|^(?:improvement\s+)?action\s+for\b", 0.999),
    Rule(q.REPORT_COMMENT, r"^(?:my\s+)?(?:cabinet\s+(?:members?\s+)?)?comment\s+(?:on|for)\s+(?:the\s+|my\s+)?.*\breport\b", 0.9985),
    Rule(q.REPORT_OUTSTANDING, r"\b(?:outstanding|missing|owed|still\s+needed)\b.*\breport\b|\breport\b.*\b(?:outstanding|missing|owed)\b", 0.998),
    Rule(q.REPORT, r"\b(?:send|give|email|share|download|get)\b.*\breport\b|\bq[1-4]\s+report\b|\bcorporate\s+performance\s+report\b|^(?:the\s+)?(?:[\w']+\s+){1,4}report$", 0.997),
    Rule(q.SUBSCRIPTIONS, r"\bwhat\s+(?:am\s+i|are\s+my)\s+(?:subscri\w*|following|alerts?)\b|\bmy\s+(?:subscriptions|alerts)\b|\b(?:list|show)\s+(?:me\s+)?(?:my\s+)?(?:subscriptions|alerts)\b|\bwhat\s+(?:do|will)\s+i\s+get\s+alert\w*\b", 0.995),
    Rule(q.ALERT_RULE, r"\bworse\s+than\s+england\s+by\b|\b(?:remove|clear|delete|drop|stop)\s+(?:the\s+)?england\s+(?:rule|alerts?)\b", 0.99),
    Rule(q.COMMENTARY, r"^(?:please\s+)?(?:add|give|write|enter|submit|record)?\s*(?:a\s+|my\s+|the\s+)?commentary\s+(?:for|on|about)\b", 0.99),
    Rule(q.UNSUBSCRIBE, r"\bunsubscribe\b|\b(?:stop|cancel|no\s+more)\s+(?:alerting|alerts?|notifying|notifications|telling\s+me)\b|\bdont\s+(?:alert|tell|notify)\s+me\b", 0.985),
    Rule(q.SUBSCRIBE, r"\bsubscribe\b|\b(?:alert|tell|notify|warn|message|ping)\s+me\s+(?:when|if|whenever)\b|\bkeep\s+me\s+(?:posted|informed|updated)\b", 0.975),
    Rule(q.UNAVAILABLE, r"\bnot\s+(?:yet\s+)?available\b|\bunavailable\b|\b(?:data|figures?|value)\s+(?:isnt|is\s+not|arent|are\s+not|wont\s+be)\s+(?:available|ready|in)\b|\bwaiting\s+(?:for|on)\s+(?:the\s+)?(?:data|figures?|nhs|dwp|ons|dfe)\b", 0.97),
    Rule(q.SNOOZE, r"\bsnooze\b|\bremind\s+me\s+(?:again\s+)?(?:tomorrow|later|next\s+week|on\s+\w+|in\s+\w+\s+days?|after)\b|\b(?:pause|stop|mute)\s+(?:my\s+|the\s+)?reminders\b", 0.96),
    Rule(q.HELP, r"^(?:help|\?+|hi|hello|hey|start|menu|commands|what can you do|how do (?:i|you) use (?:this|you|perfbot)|what do you do)\b[\s?!.]*$", 1.0),
    Rule(q.SUBMIT, r"^(?:please\s+)?(?:submit|record|enter|log|report)\b.*\d", 0.95),
    Rule(q.SUBMIT, r"(?:\bis|=|\bwas|:)\s*-?£?\d[\d,]*(?:\.\d+)?\s*(?:%|k|m|per\s*cent|percent)?"
                   r"(?:\s*(?:of|out\s+of|/)\s*\d[\d,]*)?\s*[.!]?$", 0.93),
    Rule(q.DUE, r"\b(?:returns?|submissions?|kpis?|figures?)\b.*\b(?:i\s+owe|owe|due|outstanding|overdue|missing)\b|\bwhat(?:s|\s+is)\s+(?:due|overdue)\b|\bdue\s+from\s+me\b|\bwho\s+(?:hasnt|has\s+not|havent|have\s+not)\s+(?:submitted|sent)\b|\bwhat\s+do\s+i\s+(?:owe|need\s+to\s+(?:submit|send))\b", 0.92),
    Rule(q.OWNER, r"\bwho\s+(?:owns|is\s+responsible|looks\s+after|manages|leads|is\s+the\s+owner|reports)\b|\bowner\b|\bresponsible\s+for\b|\bwho\s+(?:do|should)\s+i\s+(?:ask|contact|speak\s+to)\b|\bwhose\b", 0.9),
    Rule(q.DEFINITION, r"\bwhat\s+(?:does|do)\b.*\bmean\b|\bmeaning\b|\bdefin(?:e|ed|ition)\b|\bexplain\b|\bwhat\s+is\s+meant\b|\bwhere\s+does\b.*\bcome\s+from\b|\bsource\s+of\b|\bhow\s+is\b.*\b(?:measured|calculated|defined|worked\s+out)\b|\bwhat\s+is\s+(?:a|an)\b", 0.88),
    Rule(q.TARGET, r"\btargets?\b|\bon\s+track\b|\bon\s+target\b|\bgoal\b|\baiming\s+for\b", 0.86),
    Rule(q.STATUS, r"\b(?:red|amber|green|rag)\b|\bscorecard\b|\bdashboard\b|\bmy\s+portfolio\b|\bperformance\s+(?:summary|report|overview)\b|\bwhat(?:s|\s+is)\s+(?:off\s+track|failing|struggling)\b|\bunder\s*performing\b|\bmissing\s+(?:their\s+|its\s+)?targets?\b", 0.87),
    Rule(q.SEARCH, r"\b(?:which|what|list|any|all)\s+(?:the\s+)?(?:indicators|measures|kpis|metrics|data\s+sets?|datasets)\b|\b(?:indicators|measures|kpis|metrics)\s+(?:about|on|for|relating|related|covering)\b|\bdo\s+we\s+(?:have|measure|track|collect|hold)\b|\bsearch\b|\bfind\s+(?:indicators|measures)\b", 0.84),
    Rule(q.PROFILE, r"\btell\s+me\s+about\b|\bprofile\b|\bat\s+a\s+glance\b|\boverview\b|\bsnapshot\b|\bsummary\s+of\b|\bhow\s+(?:is|are)\b.*\b(?:doing|getting\s+on|performing)\b", 0.8),
    Rule(q.RANK, r"\b(?:highest|lowest|top|bottom|worst|best|rank|ranked|ranking|league\s+table|most|least|biggest|smallest|fewest)\b|\bwhich\s+(?:wards?|councils?|areas?|places?)\b", 0.82),
    Rule(q.TREND, r"\btrends?\b|\bover\s+time\b|\bsince\b|\bhistory\b|\bhistoric(?:al)?\b|\bgoing\s+(?:up|down)\b|\brising\b|\bfalling\b|\bincreas\w*\b|\bdecreas\w*\b|\bimprov\w*\b|\bgetting\s+(?:better|worse)\b|\bchanged?\b|\btime\s+series\b|\bover\s+the\s+(?:last|past)\b|\bdeclin\w*\b|\bworsen\w*\b", 0.8),
    Rule(q.COMPARE, r"\bcompar\w*\b|\bvs\b|\bversus\b|\bagainst\b|\bthan\b|\brelative\s+to\b|\bsimilar\s+to\b", 0.78),
]
CHART = r"\b(?:chart|graph|plot|visual\w*|picture|diagram)\b"
ORDER = [("highest", r"\b(?:highest|top|most|biggest|largest|greatest)\b"),
         ("lowest", r"\b(?:lowest|bottom|least|smallest|fewest)\b"),
         ("worst", r"\bworst\b"), ("best", r"\bbest\b")]
NUMBER = r"\b(?:top|bottom|best|worst|highest|lowest|first|last)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b"
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@dataclass
class Lexicon:
    """What the parser knows about this store: indicators, places, services and portfolios."""

    indicators: IndicatorIndex
    places: PlaceIndex
    services: dict[str, str]

    @classmethod
    def build(cls, indicators: pd.DataFrame, places: pd.DataFrame, council: str | None,
              groups: dict[str, list[str]]) -> Lexicon:
        """Build the matchers from the store's dictionary, places and comparator groups."""
        services = {}
        for column in ("service", "portfolio"):
            for name in indicators[column].dropna().unique():
                services[normalise(name)] = name
        return cls(IndicatorIndex.build(indicators), PlaceIndex.build(places, council, groups), services)

    def service_in(self, text: str) -> str | None:
        """A service or portfolio named in `text`, matched on whole words, nearly exactly."""
        best, best_score = None, 0.0
        for key, name in self.services.items():
            score = fuzz.partial_ratio(key, text) if len(key) >= 6 else (100.0 if re.search(rf"\b{re.escape(key)}\b", text) else 0.0)
            if score >= 90 and score + len(key) / 100 > best_score:
                best, best_score = name, score + len(key) / 100
        return best


def _first(pattern: str, text: str) -> str | None:
    found = re.search(pattern, text)
    return found.group(0) if found else None


def parse(text: str, lexicon: Lexicon, today: date) -> q.Query:
    """Understand one question (see the module docstring)."""
    clean = normalise(text)
    if not content_words(clean) and not re.search(r"[a-z0-9?]", clean):
        return q.Query(q.UNKNOWN, why="nothing to read: no words")
    when, timeless = read_when(clean, today)
    submission = read_submission(timeless)
    found = lexicon.places.find(timeless)
    matches = lexicon.indicators.match(found.without_names)
    indicator, choices = decide(matches)
    service = lexicon.service_in(found.without_names)
    cues = [(rule, _first(rule.pattern, clean)) for rule in RULES]
    cues = [(rule, words) for rule, words in cues if words is not None]
    if when.since is not None:
        cues.append((Rule(q.TREND, "", 0.8), when.phrase))
    base = dict(places=tuple(found.mentions), subject_named=_subject_named(timeless, found), when=when, group=found.group, collection=found.collection,
                chart=bool(re.search(CHART, clean)), service=service)
    for rule, words in sorted(cues, key=lambda pair: -pair[0].score):
        built = _build(rule.intent, clean, indicator, choices, matches, base, found, submission)
        if built is not None:
            return built.but(why=f"{rule.intent}: matched '{words}'" + (f"; indicator by '{matches[0].phrase}'" if built.indicator and matches else ""),
                             score=rule.score)
    if indicator or choices:
        intent = q.COMPARE if len(found.mentions) > 1 or found.group else (q.TREND if when.since else q.VALUE)
        built = _build(intent, clean, indicator, choices, matches, base, found, submission)
        return built.but(why=f"{intent}: an indicator was named" + (f" ('{matches[0].phrase}')" if matches else ""),
                         score=matches[0].score if matches else 0.5)
    if found.mentions and any(m.kind in ("named", "my_ward") for m in found.mentions):
        return q.Query(q.PROFILE, **base, why="profile: only a place was named", score=0.6)
    return q.Query(q.UNKNOWN, **base, suggestions=tuple(m.code for m in matches[:3]),
                   unmatched=tuple(content_words(found.rest)), why="no rule or indicator matched")


def _subject_named(text: str, found) -> bool:
    """False when the first place named follows "vs", "against", "compared with"…: it is a comparator."""
    if not found.mentions:
        return False
    phrase = found.mentions[0].phrase
    position = text.find(phrase) if phrase else -1
    before = text[:position] if position >= 0 else ""
    return not re.search(r"\b(?:vs|versus|against|compared?\s+(?:to|with)|than|relative\s+to|with)\s+(?:the\s+)?$", before)


def _count(text: str, collection: str | None) -> int | None:
    found = re.search(NUMBER, text)
    if found:
        value = found.group(1)
        return int(value) if value.isdigit() else WORD_NUMBERS[value]
    if re.search(r"\bwhich\s+(?:ward|council|area|place)\s+(?:has|is|had|was|have)\b", text):
        return 1
    return None


def _build(intent: str, text: str, indicator: str | None, choices: list[str], matches, base: dict,
           found, submission) -> q.Query | None:
    """The query for `intent`, or None when the intent's needs are not met (another rule may fit)."""
    if intent in q.NEEDS_INDICATOR and indicator is None:
        if choices:
            return q.Query(q.CLARIFY, choices=tuple(choices), wanted=intent, **base, why="")
        if intent in (q.VALUE, q.COMPARE, q.TREND, q.RANK):
            return None
        return q.Query(intent, **base, suggestions=tuple(m.code for m in matches[:3]), why="")
    if intent == q.SUBMIT:
        return q.Query(q.SUBMIT, indicator=indicator, submission=submission, **base)
    if intent == q.RANK:
        order = next((name for name, pattern in ORDER if re.search(pattern, text)), "best")
        collection = base["collection"] or (COUNCILS if base["group"] else None)
        region = next((m.code for m in found.mentions if m.kind == "named"), None)
        return q.Query(q.RANK, indicator=indicator, order=order, count=_count(text, collection),
                       region_named=region, **{**base, "collection": collection})
    if intent == q.STATUS:
        rag = next((c for c in ("red", "amber", "green") if re.search(rf"\b{c}\b", text)), None)
        return q.Query(q.STATUS, rag=rag, indicator=None, **base)
    if intent == q.PROFILE:
        if base["service"]:
            return q.Query(q.STATUS, **base)
        if indicator is not None and not re.search(r"\btell\s+me\s+about\b|\bprofile\b", text):
            return None
        if base["service"] or not any(m.kind in ("named", "my_ward", "council") for m in found.mentions):
            return q.Query(q.STATUS, **base) if base["service"] or re.search(r"\bwe\b|\bus\b|\bcouncil\b", text) else None
        return q.Query(q.PROFILE, **base)
    if intent == q.SEARCH:
        words = tuple(w for w in content_words(found.rest)
                      if w not in {"indicators", "measures", "kpis", "metrics", "indicator", "measure", "kpi",
                                   "list", "search", "find", "track", "collect", "hold", "relating", "related", "covering"})
        return q.Query(q.SEARCH, search_words=words, **base)
    if intent == q.DUE:
        others = bool(re.search(r"\bwho\b|\bin\s+(?:my|our|the)\s+(?:service|team|directorate)\b|\beveryone\b|\ball\s+returns\b", text))
        return q.Query(q.DUE, everyone=others, **base)
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
