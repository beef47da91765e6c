"""The asking-sentence stage: of a message of several sentences (or clauses), the one that asks —
the last that asks ("who …?") or names the measure — decides what kind of answer is wanted and for
which period; the others are said in passing ("Ahead of the Ofsted visit I want to be clear on our
story. How has the CLA rate changed over time": a trend, for no period of the diary)."""
from __future__ import annotations

import re
from datetime import date

from intents.intent_cues import cued_intents
from intents.rephrase import clean
from intents.text import content_words
from intents.when import When, read_when

SENTENCES = r"(?<=[.?!;])\s+|\s+[-–—]\s+"
CLAUSES = rf"{SENTENCES}|,\s*"
QUESTION_WORDS = "who whos what whats when which where why how is are was were does did do can could has have will".split()
ASKS = rf"(?:and\s+|so\s+|but\s+)?(?:{'|'.join(QUESTION_WORDS)})\b"  # a sentence that asks


def asking_sentence(text: str, named: tuple[str, ...]) -> str | None:
    """Of several sentences, the asking one: the last that asks ("who …?") or names the measure;
    None for a single sentence."""
    sentences = [part for part in re.split(SENTENCES, text) if part.strip()]
    asking = [part for part in sentences if re.match(ASKS, clean(part)) and part.rstrip().endswith("?")
              or set(named) & set(content_words(clean(part)))]
    return asking[-1] if len(sentences) > 1 and asking else None


def cues_asked(asking: str | None, cues: list) -> list:
    """The cues of the asking sentence, when it has any ("Ahead of the visit I want to be clear on our
    story. How has the CLA rate changed over time": a trend; "need to chase the TA numbers - who owns
    that one?": its owner)."""
    if asking is None:
        return cues
    wanted = set(cued_intents(asking))
    return [(rule, span) for rule, span in cues if rule.intent in wanted] or cues


def period_asked(asking: str | None, when: When, today: date, mend) -> When:
    """The asking sentence's own period ("the recycling target in 2025/26 - I think it was lower than
    this year's"); and none from a period still to come named in passing ("Before the inspection next
    month I want … How has it changed")."""
    if asking is None:
        return when
    own = read_when(clean(asking, mend), today)[0]
    to_come = when.period is not None and when.period.start > today
    return own if not own.latest or to_come else when


def schedule_in_passing(text: str, when: When, named: tuple[str, ...]) -> When:
    """No period from a day or week said in a clause of its own, beside the one naming the measure:
    the asker's diary ("doing a leaflet for the ward this week, need the unemployment figure")."""
    if when.finer not in ("week", "day") or not named:
        return when
    clauses = [clean(part) for part in re.split(CLAUSES, text) if part.strip()]
    naming = [clause for clause in clauses if set(named) & set(content_words(clause))]
    return When() if naming and not any(when.phrase in clause for clause in naming) else when
