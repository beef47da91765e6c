"""Text → `Query`, as a pipeline of small stages over one question, each in its own module:

1. normalise (`rephrase`): lower case, shorthand expanded, everyday phrasings said as the measure;
2. periods (`when`): the period asked about, taken out of the text;
3. people and scope (`lexicon`, `scope`): a person named in full, "my portfolio", "my directorate";
4. places (`places`): the places named, ranked over or compared with;
5. measure and indicator evidence (`measure`, `indicator_choice`): rate or count, the indicator the
   words support, close rivals to ask between, a service named;
6. intent cues (`intent_cues`, with the cue words in cues.txt), and of several sentences the one
   that asks, which decides the cues and the period (`asking`);
7. decide (`decision`, `queries`): the strongest cued intent whose needs are met, else what was
   named — then every word is accounted for (`accounting`)."""
from __future__ import annotations

import re
from datetime import date

from intents import query as q
from intents.asking import asking_sentence, cues_asked, period_asked, schedule_in_passing
from intents.decision import decide_intent
from intents.indicator_choice import choose_indicator, service_named
from intents.intent_cues import cued_intents, cues_in
from intents.lexicon import Lexicon
from intents.measure import measure_asked
from intents.period_forms import plain_periods, unread_period
from intents.places import GROUP_WORDS
from intents.queries import rank_order
from intents.rephrase import clean
from intents.scope import scope_in
from intents.submission import read_submission
from intents.text import content_words
from intents.when import read_when

__all__ = ["WHY_ASKED", "Lexicon", "cued_intents", "parse", "rank_order"]

COMMENT_ON = r"^\s*(?:please\s+)?(?:add\s+|my\s+|a\s+)?(?:comment|commentary|note)\s+(?:on|for|about|re)\s+"
COMMENT_INLINE = re.compile(COMMENT_ON + r"(?P<subject>(?:(?!\breport\b)[^:])+?)\s*(?::|\s[-–]\s)\s*(?P<text>\S.*)$",
                            re.I | re.S)
CHART = r"\b(?:chart|graph|plot|visual\w*|picture|diagram)\b"
IT_SAID = r"\b(?:it|its)\b(?!(?:['’]s|\s+is)?\s+(?:ok|okay|fine|alright|all\s+right)\b)"  # not "hope it's ok to ask"
OF_IT = IT_SAID + r"|\b(?:that|this)\s+(?:one|measure|indicator|kpi|figure|number|rate)\b|\b(?:that|this)[?.!]*$"
LISTING = r"\b(?:any|anything|what|whats|which|everything|all|list)\b"  # "anything gone red?": every measure
WHY_ASKED = r"(?:(?:but|so|and|ok)\s+)?whys?\b"  # a question that begins "why"
BESIDE = r"vs|v|versus|against|compared?\s+(?:to|with)|than|relative\s+to|with|above|below|off|gap\s+to"
COMPARED_WITH = rf"\b(?:{BESIDE})\s+(?:the\s+)?$"


def parse(text: str, lexicon: Lexicon, today: date) -> q.Query:
    """Understand one question, stage by stage (see the module docstring); a commentary typed with its
    measure ("comment on CLA: placements rose…") reads only the measure (a comment on a report is the
    report's, `REPORT_COMMENT`). Of several sentences, one asking ("…?") and the rest naming no place
    or period ("residents on at me about the alley again"), the question is read on its own when it
    is understood so — unless the others hold its measure, or the kind of answer it asks for."""
    return _asking_why(text, _question_among_sentences(text, lexicon, today))


def _question_among_sentences(text: str, lexicon: Lexicon, today: date) -> q.Query:
    """The question read alone when the sentences beside it say nothing it needs (see `parse`)."""
    asked = _the_question(text)
    if asked is not None:
        question, rest = asked
        alone = _parse(question, lexicon, today)
        asks_of_it = cued_intents(rest) and re.search(OF_IT, rest.lower())  # "how is it defined"
        which_ward = alone.intent == q.CLARIFY and alone.place_choices and alone.indicator  # its measure known
        if (alone.intent not in (q.UNKNOWN, q.CLARIFY, q.HELP) or which_ward) and not alone.unmatched and not asks_of_it \
                and not _names_a_place(rest, lexicon) and read_when(rest, today)[0].latest:
            whole = _measure_or_kind_beside(text, question, rest, alone, lexicon, today)
            if whole is not None:
                return whole
            return alone.but(why=alone.why + "; the other sentences said in passing")
    return _parse(text, lexicon, today)


def _asking_why(text: str, query: q.Query) -> q.Query:
    """"why has residual waste gone up so much?", "why is crime so high in Penn": a cause, which the
    figures cannot tell — said so, with the measure's owner, never answered with a figure. (A why of
    a colour is its status; a why of a missing figure, its return.)"""
    if query.intent in (q.VALUE, q.TREND, q.COMPARE, q.RANK) and query.indicator and re.match(WHY_ASKED, clean(text)):
        return query.but(intent=q.UNKNOWN, why="asks why")
    return query


def _the_question(text: str) -> tuple[str, str] | None:
    """(the one sentence ending in "?", the others) when there are others."""
    parts = [part for part in re.split(r"(?<=[?.!])\s+", text.strip()) if part.strip()]
    asked = [part for part in parts if part.rstrip().endswith("?")]
    if len(parts) < 2 or len(asked) != 1:
        return None
    return asked[0], " ".join(part for part in parts if part is not asked[0])


def _measure_or_kind_beside(text: str, question: str, rest: str, alone: q.Query, lexicon: Lexicon, today: date) -> q.Query | None:
    """The whole message read as one, when the other sentences hold what the question leans on: its
    measure ("so complaints responded to in timescale... on track?") or the kind of answer it wants
    ("asb hotspots? which wards have the most incidents"), or say what was meant ("… answer in time? the
    target I mean"). None when they hold neither."""
    asked_beside = {q.RANK, q.TREND, q.COMPARE} | ({q.STATUS} if len(content_words(clean(rest))) <= 3 else set())
    kinds = asked_beside & set(cued_intents(rest)) if not cued_intents(question) else set()  # "… on time? whats the RAG"
    if re.search(r"\bi\s+mean[t]?\b", rest.lower()):  # a correction of the question: what it names is asked
        kinds = set(cued_intents(rest)) & {q.RANK, q.TREND, q.COMPARE, q.TARGET, q.STATUS, q.OWNER, q.DEFINITION}
    of_a_measure = alone.intent in (q.STATUS, q.TREND, q.TARGET, q.OWNER, q.DEFINITION) and not re.search(LISTING, question.lower())
    if alone.indicator is None and of_a_measure and not alone.scope and not alone.service:
        said = _parse(rest, lexicon, today)
        if not (said.indicator and not said.unmatched and not said.unknown_places):
            return None
    elif not kinds:
        return None
    whole = _parse(text, lexicon, today)
    if not whole.indicator or whole.unmatched or whole.intent in (q.UNKNOWN, q.CLARIFY, q.HELP):
        return None
    return whole if not kinds or whole.intent in kinds else None


def _names_a_place(text: str, lexicon: Lexicon) -> bool:
    """True when `text` names a place of its own (not only "we", "the city", the council by its name
    as in "the Wolverhampton Rd", or "Sam here")."""
    found = lexicon.places.find(text, lexicon.indicators.vocabulary).mentions
    return any(m.kind != "council" and m.phrase != "here" and m.code != lexicon.places.council for m in found)


def _parse(text: str, lexicon: Lexicon, today: date) -> q.Query:
    """The stages over the whole of `text`."""
    inline = COMMENT_INLINE.match(text)
    if inline:
        measure = _parse(inline.group("subject"), lexicon, today)
        return q.Query(q.COMMENTARY, indicator=measure.indicator, choices=measure.choices, when=measure.when,
                       comment=inline.group("text").strip(), why="commentary: typed with its measure")
    cleaned = clean(text, lexicon.speller.mend)
    if not content_words(cleaned) and not re.search(r"[a-z0-9?]", cleaned):
        return q.Query(q.UNKNOWN, why="nothing to read: no words")
    when, timeless = read_when(cleaned, today)
    person, person_choices, timeless = lexicon.person_in(timeless)
    scope, timeless = scope_in(timeless)
    submission = read_submission(timeless)
    found = lexicon.places.find(timeless, lexicon.indicators.vocabulary)
    if found.group == "":  # "vs our statistical neighbours" where the store holds no comparator group
        named = re.search(GROUP_WORDS, timeless)
        return q.Query(q.UNKNOWN, unknown_places=(named.group(0) if named else "comparators",), when=when,
                       why="no comparator group held")
    measure = measure_asked(cleaned)
    indicator, choices, matches = choose_indicator(cleaned, found, measure, lexicon)
    service, indicator, choices = service_named(found, matches, indicator, choices, lexicon)
    named = next((m.words for m in matches if m.code == indicator), ())
    asking = asking_sentence(text, named)
    when = period_asked(asking, schedule_in_passing(text, when, named), today, lexicon.speller.mend)
    cues = cues_asked(asking, cues_in(text, cleaned, timeless, when, found, indicator, measure))
    base = dict(places=tuple(found.mentions), subject_named=_subject_named(timeless, found), when=when, group=found.group,
                collection=found.collection, chart=bool(re.search(CHART, cleaned)), service=service, measure=measure,
                person=person, person_choices=person_choices, scope=scope, unread_period=unread_period(plain_periods(cleaned, today)) or "")
    return decide_intent(text, cleaned, cues, indicator, choices, matches, base, found, submission, lexicon)


def _subject_named(text: str, found) -> bool:
    """False when the first place named follows "vs", "against", "compared with"…: it is a comparator."""
    if not found.mentions:
        return False
    phrase = found.mentions[0].phrase
    position = text.find(phrase) if phrase else -1
    before = text[:position] if position >= 0 else ""
    return not re.search(COMPARED_WITH, before)
