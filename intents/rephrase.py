"""The normalise stage: the question in lower case with its shorthand expanded ("ppl" → "people"),
and everyday phrasings of a few measures said as the measure ("how long do women live" → "life
expectancy women", "how many people live in" → "population in", "most people" → "highest population");
years said in words in figures ("twenty twenty five" → "2025")."""
from __future__ import annotations

import re
from collections.abc import Callable

from intents.text import expand_shorthand, normalise

ASKERS = r"(?:residents?|constituents?|a\s+member\s+of\s+the\s+public)"
LIVE = r"(?:live|are\s+living|reside|are\s+there)"
GROUPS = r"(women|men|girls|boys|children|older\s+people|young\s+people)"
HOW_LONG = r"\bhow\s+long\s+(?:do|does|can|will|would|are)\s+(?:the\s+)?(.+?)\s+"
BESIDE = r"(?:vs|versus|compared\s+(?:to|with)|than|against|to|with|on)"
A_YEAR_AGO = "|".join([r"last\s+year", r"a\s+year\s+(?:ago|earlier|before)", r"the\s+year\s+before",
                       r"12\s+months\s+(?:ago|earlier)"])
WHOLE_FIGURE = r"(?:average|figure|rate|total|overall|as\s+a\s+whole)"
LAST_TIME = r"(?:last|previous|prior)\s+(?:quarter|month)"
TA_SAID = r"target|targets|nos|numbers|figures?|placements|households|families|levels?|cases|q[1-4]"
REPHRASINGS = [
    (r"\b(?:looks|look|looking)\s+after\b", "manages"),  # "who looks after it": not "looked after children"
    (rf"\b(?:asking|on\s+behalf\s+of|for)\s+(?:a\s+|some\s+)?{ASKERS}\b", " "),  # who it is for, not what
    (rf"\b{ASKERS}\s+(?:are\s+)?up\s+in\s+arms\b", " "),
    (r"\b(?:residents|tenants|community)\s+(?=meeting|association|group|forum|surgery)", " "),  # "a residents meeting"
    (HOW_LONG + r"(?:expected\s+to\s+|expect\s+to\s+)?(?:live|survive)\b", r"life expectancy \1"),
    (rf"\bhow\s+many\s+(?:people|residents|persons|folk)\s+{LIVE}\b", "population"),
    (rf"\bhow\s+many\s+{GROUPS}\s+{LIVE}\b", r"population \1"),
    (r"\bhow\s+many\s+(?:people|residents|inhabitants)\s+(?:does|do|has|have)\s+(.+?)\s+(?:have|got)\b",
     r"population of \1"),
    (r"\b(?:most|biggest|largest)\s+(?:people|residents|population)\b", "highest population"),
    (r"\b(?:fewest|least|smallest)\s+(?:people|residents|population)\b", "lowest population"),
    (r"\b(?:forecast|predict(?:ion|ed)?|projected|projection)\b", "forecast"),
    (rf"\b{BESIDE}\s+(?:the\s+)?(?:same\s+(?:time|point|period)\s+)?(?:{A_YEAR_AGO})\b", "over the last year"),
    (rf"\b(?:vs|versus|compared\s+(?:to|with)|than|against|on)\s+(?:the\s+)?{LAST_TIME}\b", "trend"),
    (r"\bthe\s+rest\s+of\s+the\s+(city|borough|council)\b", r"the \1"),
    (rf"\b(?:the\s+)?(city|borough|council)(?:\s*-?\s*wide)?\s+{WHOLE_FIGURE}\b", r"the \1"),
    (r"\b(?:the\s+)?regional\s+(?:average|figure|rate)\b", "the region"),
    (r"\b(?:than|vs|versus|against|compared\s+(?:to|with)|to)\s+(?:the\s+)?averages?\b", "compared with the averages"),
    (r"\b(?:stacks?|measures?|shapes?)\s+up\s+(?=against|to|with|next)", "compared "),
    (r"\bhow\s+(?:do|does|did)\s+(.+?)\s+(?:fare|do)\s+(?=against|compared|next\s+to|relative)", r"\1 "),
    (r"\b(q[1-4])\s+(?:jan|apr|jul|oct)[a-z]*\s*-\s*(?:mar|jun|sep|dec)[a-z]*\b", r"\1"),  # "Q1 (apr-jun)": the quarter
    (rf"\bta\s+(?=(?:{TA_SAID})\b)", "temporary accommodation "),  # "TA numbers", not "ta" for thanks
    (r"\b(in|into|of)\s+ta\b(?!\s+(?:very|much|mate))", r"\1 temporary accommodation"),
    (r"\b(owns?|owner\s+of|lead\s+(?:on|for)|responsible\s+for)\s+ta\b", r"\1 temporary accommodation"),
    (r"\b(is|are|was|has)\s+ta\b", r"\1 temporary accommodation"),  # "is TA on target": never thanks
    (r"\bwest\s+mids\b", "west midlands"), (r"\bbrum\b", "birmingham"), (r"\bwolves\b", "wolverhampton"),
]


UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
UNIT_WORDS, TEEN_WORDS = "|".join(UNITS), "|".join(TEENS)
TWENTY = r"\b(?:twenty|two\s+thousand(?:\s+and)?)[\s-]+"  # the century of "twenty twenty five"
YEAR_SAID = re.compile(rf"{TWENTY}(?:(twenty|thirty)(?:[\s-]+({UNIT_WORDS}))?|({TEEN_WORDS}))\b")
MONTHS_SAID = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
SHORT_YEAR_SAID = re.compile(rf"\b((?:{MONTHS_SAID})[a-z]*\.?)\s+twenty[\s-]+({UNIT_WORDS})\b")  # "Sept twenty-six"


def _year(found: re.Match) -> str:
    """"2025" for "twenty twenty five" or "two thousand and twenty-five"."""
    tens, unit, teen = found.groups()
    return str(2000 + (TEENS[teen] if teen else {"twenty": 20, "thirty": 30}[tens] + UNITS.get(unit or "", 0)))


def rephrase(text: str) -> str:
    """Everyday phrasings of a few measures, said as the measure (see the module docstring); years
    said in words written in figures."""
    text = YEAR_SAID.sub(_year, text)
    text = SHORT_YEAR_SAID.sub(lambda found: f"{found.group(1)} {2020 + UNITS[found.group(2)]}", text)
    for pattern, replacement in REPHRASINGS:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def clean(text: str, mend: Callable[[str], str] = str) -> str:
    """The question as every later stage reads it: normalised, its typing slips mended (`mend`: the
    lexicon's speller), shorthand expanded, rephrased."""
    return rephrase(expand_shorthand(mend(normalise(text))))
