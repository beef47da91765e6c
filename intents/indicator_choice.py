"""The indicator-evidence stage: which indicator the question names, on the evidence of its words —
the closest matches, settled among close rivals by the place asked about, the breakdown asked for
and the plainest name — and which service or portfolio it names instead or beside."""
from __future__ import annotations

from intents.breakdowns import asked_words, without_breakdowns
from intents.indicators import IndicatorMatch, decide, prefer_measure, stem
from intents.lexicon import Lexicon
from intents.places import COUNCILS, REGIONS, WARDS
from intents.text import content_words, normalise, words


def choose_indicator(cleaned: str, found, measure: str | None, lexicon: Lexicon) -> tuple[str | None, list[str], list]:
    """(the indicator, the close rivals to ask between, every match) for the question's subject: the
    words left when places and breakdowns are taken out ("most deprived quintile" is no subject);
    a question that is only an indicator's code is that indicator."""
    subject_text = without_breakdowns(found.rest, found.without_names)
    code = cleaned.upper().replace(" ", "_")
    matches = [IndicatorMatch(code, 1.0, code, tuple(content_words(cleaned)), True)] if code in lexicon.units else \
        prefer_measure(lexicon.indicators.match(subject_text), measure, lexicon.units)
    indicator, choices = decide(matches, lexicon.names, lexicon.units, measure)
    if choices:
        indicator, choices = _settle(choices, lexicon, asked_words(found.without_names)[0], cleaned, found)
    return _published_here(indicator, matches, found, lexicon), choices, matches


def service_named(found, matches: list, indicator: str | None, choices: list[str],
                  lexicon: Lexicon) -> tuple[str | None, str | None, list[str]]:
    """(the service or portfolio named, the indicator, its rivals): "is anything in adults red?" names
    Adult Services by one word; "how are things looking for children's services" names the service,
    not a child measure."""
    service = lexicon.service_in(found.without_names)
    if service is None and not (matches and matches[0].complete):
        service = lexicon.service_word_in(found.without_names)
    said = {stem(word) for word in words(normalise(service or ""))}
    if service and (indicator or choices) and matches and {stem(word) for word in matches[0].words} <= said:
        indicator, choices = None, []
    return service, indicator, choices


LEVEL_KEYS = {"ward": "ward", "local_authority": "la", "county": "la", "region": "region", "country": "country"}


def _level_asked(found, lexicon: Lexicon) -> str:
    """The level of place the question is about: the first place named, else the places ranked."""
    named = next((m.code for m in found.mentions if m.kind == "named"), None)
    if named:
        return LEVEL_KEYS.get(lexicon.places.levels.get(named, ""), "")
    return {WARDS: "ward", COUNCILS: "la", REGIONS: "region"}.get(found.collection or "", "")


def _published_for(code: str, level: str, lexicon: Lexicon) -> bool:
    levels = lexicon.levels.get(code) or ""
    return not level or not levels or level in levels.split(";")


def _published_here(indicator: str | None, matches: list, found, lexicon: Lexicon) -> str | None:
    """The indicator, or a near rival that is published for the place asked about when it is not
    ("child poverty in Trafford": the council's series, not the ward one), or any rival taking every
    word the indicator took ("population of Trafford": the estimates, not the ward census count)."""
    level = _level_asked(found, lexicon)
    if indicator is None or not level:
        return indicator

    def published(code: str) -> bool:
        return _published_for(code, level, lexicon)

    if published(indicator):
        return indicator
    best = next((m for m in matches if m.code == indicator), None)
    rival = next((m for m in matches if m.code != indicator and published(m.code) and best is not None
                  and (m.score >= best.score - RIVAL_GAP and set(m.words) & set(best.words)
                       or set(m.words) >= set(best.words))), None)
    return rival.code if rival else indicator


RIVAL_GAP = 0.2
POPULATIONS = frozenset({"children", "child", "pupils", "older", "women", "men", "girls", "boys", "adults", "young",
                         "students", "carers", "veterans"})  # a series about some of the people, not all


def _settle(choices: list[str], lexicon: Lexicon, asked: set[str], text: str, found) -> tuple[str | None, list[str]]:
    """Among close indicators: those published for the place asked about, those holding the breakdown
    asked for, then the plainest one when every other is the same series with more said ("NEET" over
    "NEET (inc not known)"), and a workforce rate by FTE over the same by headcount."""
    level = _level_asked(found, lexicon)
    here = [code for code in choices if _published_for(code, level, lexicon)]
    choices = here or choices
    if asked:
        holding = [code for code in choices if lexicon.breakdowns.choose(code, asked, asked)[0]
                   or lexicon.breakdowns.by_age(code, text)]
        if holding:
            choices = holding
    named = {code: set(content_words(normalise(lexicon.names.get(code, code)))) for code in choices}
    plainest = [code for code in choices if all(named[code] < named[other] for other in choices if other != code)]
    if len(choices) == 1:
        return choices[0], []
    if len(plainest) == 1:
        return plainest[0], []
    asked_all = set(content_words(text))
    for_everyone = [code for code in choices if not (named[code] & POPULATIONS) - asked_all]
    if len(for_everyone) == 1:  # "deprivation": the index for everyone, not the one affecting children
        return for_everyone[0], []
    headline = [code for code in choices if "fte" in named[code]
                and any(named[other] ^ named[code] == {"fte", "headcount"} for other in choices if other != code)]
    if len(choices) == 2 and len(headline) == 1:  # a workforce rate by full-time equivalents, as it is published
        return headline[0], []
    return None, choices
