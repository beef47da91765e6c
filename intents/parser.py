"""Text → `Query`: read the period, the places and the indicator, then let the intent rules compete.
Each rule is a cue pattern with a score; the highest-scoring rule whose needs are met wins, and
`Query.why` records which rule it was and on what words. When two indicators fit about equally the
query becomes a clarification; when nothing fits it is `unknown`, with the nearest indicators."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from intents import query as q
from intents.accounting import Reading, account
from intents.breakdowns import BreakdownIndex, asked_words, label_words, without_breakdowns
from intents.filler import FILLER
from intents.indicators import IndicatorIndex, IndicatorMatch, decide, prefer_measure, stem
from data_access.areas import area_aliases, area_members
from intents.places import COUNCILS, GROUP_WORDS, REGIONS, WARDS, PlaceIndex, clean_name, is_region, is_ward
from intents.spelling import Speller
from intents.submission import read_submission
from intents.text import content_words, expand_shorthand, normalise, words
from intents.when import read_when


@dataclass(frozen=True)
class Rule:
    """An intent cue: a regular expression over the normalised question and the score it earns."""

    intent: str
    pattern: str
    score: float


PROFILE_CUE = (r"\b(?:fact\s*sheet|one\s*pager|pen\s+picture)\b|\btell\s+me\s+about\b|\bprofile\b|\bat\s+a\s+glance\b|\boverview\b|\bsnapshot\b|\bsummary\s+(?:of|for)\b"
               r"|\bkey\s+(?:stats|statistics|figures|facts|numbers|data)\b|\b(?:run\s*down|lowdown|headlines)\s+(?:on|for)\b")
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
    Rule(q.HELP, r"^(?:help(?:\s+(?:me|please))?|\?+|hi|hello|hey|start|menu|commands|what can you do|how do (?:i|you) use (?:this|you|perfbot)|what do you do"
                 r"|who are you|what are you|(?:can|could) you help(?:\s+me)?|i need (?:some\s+)?help|what can i ask(?:\s+you)?)\b[\s?!.]*$", 1.0),
    Rule(q.THANKS, r"^(?:ok(?:ay)?\s+)?(?:thanks|thank\s+you|thankyou|thx|cheers|ta|great|perfect|brilliant|lovely|super|got\s+it|nice\s+one|ok(?:ay)?)"
                   r"(?:\s+(?:very\s+much|a\s+lot|so\s+much|again|perfbot|mate|all|that\s+helps))*[\s!.]*$", 1.0),
    Rule(q.SUBMIT, r"^(?:please\s+)?(?:submit|record|enter|log|report)\b.*\d|\b(?:put|mark|pop|stick|log|record|enter)\b.*\b(?:down\s+)?(?:as|at)\s+-?£?\d", 0.95),
    Rule(q.SUBMIT, r"(?:\bis|=|\bwas|:)\s*-?£?\d[\d,]*(?:\.\d+)?\s*(?:%|k|m|per\s*cent|percent)?"
                   r"(?:\s*(?:of|out\s+of|/)\s*\d[\d,]*)?\s*[.!]?$", 0.93),
    Rule(q.DUE, r"\b(?:returns?|submissions?|kpis?|figures?)\b.*\b(?:i\s+owe|owe|due|outstanding|overdue|missing)\b|\bwhat(?:s|\s+is)\s+(?:due|overdue)\b|\bdue\s+from\s+me\b|\bwho\s+(?:hasnt|has\s+not|havent|have\s+not)\s+(?:submitted|sent)\b|\bwhat\s+do\s+i\s+(?:owe|need\s+to\s+(?:submit|send))\b|\bwhat\s+(?:am\s+i|are\s+we)\s+(?:due|supposed|meant|expected)\s+to\s+(?:submit|send|return|report)\b", 0.92),
    Rule(q.DUE, r"\b(?:returns?|submissions?|data|figures?|figs|numbers)\b.*\b(?:late|behind|missing|overdue|outstanding|owed)\b", 0.921),
    Rule(q.DUE, r"\bdeadlines?\b|\bwhen\s+(?:is|are|s|was)\b.*\b(?:due|in)\b|\b(?:need|have|got)\s+to\s+(?:submit|send|return|do)\b"
                r"|\bam\s+i\s+(?:late|behind|overdue)\b|\b(?:my|our)\s+(?:next\s+)?(?:returns?|submissions?)\b", 0.921),
    Rule(q.DUE, r"\b(?:need|have|got)\s+to\s+(?:get|put|send|submit|do)\b.*\b(?:in|returns?)\b|\breturns?\s+(?:cycle|round)\b"
                r"|\b(?:has|have|is|are)\b.*\b(?:been\s+)?(?:put|sent|submitted|entered|uploaded|returned)\s+(?:in|yet|through)\b", 0.921),
    Rule(q.DUE, r"\b(?:overdue|late|outstanding|missing)\s+(?:returns?|submissions?|kpis?|data)\b", 0.921),
    Rule(q.DUE, r"\bneeds?\s+(?:submitting|sending|returning|doing|to\s+be\s+(?:submitted|sent|done|returned))\b|\bstill\s+to\s+(?:submit|send|return)\b"
                r"|\bwhat\s+am\s+i\s+behind\s+(?:on|with)\b|\b(?:outstanding|owed|due|overdue|needed)\s+from\s+me\b|\bdo\s+i\s+owe\b|\bwhat\s+i\s+owe\b", 0.921),
    Rule(q.DUE, r"\bwho(?:s|\s+is|\s+are)\s+(?:late|behind)\b|\bwho\s+(?:still\s+)?(?:owes|needs\s+to\s+(?:submit|send))\b|\bstill\s+(?:missing|outstanding|to\s+come\s+in)\b", 0.921),
    Rule(q.DUE, r"\b(?:has|have|did)\s+\w+(?:\s+\w+)?\s+(?:sent|submitted|done|put|returned|filled|entered)\b.*\breturns?\b", 0.921),
    Rule(q.OWNER, r"\bwho\s+(?:sends|submits|does|fills|puts|provides|enters)\b.*\b(?:returns?|figures?|data|numbers)\b"
                  r"|\bwho\s+(?:submits|sends\s+in|reports\s+on|provides|produces|compiles|collects|updates)\b|\blead\s+officer\b|\bofficer\s+(?:for|responsible)\b|\bwhos\s+(?:responsible|in\s+charge|the\s+lead|accountable)\b", 0.9),
    Rule(q.OWNER, r"\bowns\b|\bowned\s+by\b|\bwho\s+(?:owns|is\s+responsible|looks\s+after|manages|leads|is\s+the\s+owner|reports)\b|\bowner\b|\bresponsible\s+for\b|\bwhose\b"
                  r"|\bwho\s+(?:do|should|can|could|would)\s+i\s+(?:ask|contact|speak|talk|go|email|e-mail|ring|call|chase)\b"
                  r"|\bwho\s+(?:to|should\s+i|can\s+i)\s+(?:ask|contact|talk|speak|chase)\b|\bwho(?:s|\s+is)\s+(?:in\s+charge|the\s+lead|the\s+contact|accountable)\b"
                  r"|\bcontact\s+(?:for|about|on)\b|\bwho\s+knows\s+about\b|\bwho\s+(?:deals|handles)\s+with\b|\bwho\s+(?:deals|handles)\b", 0.9),
    Rule(q.DUE, r"^(?:show\s+(?:me\s+)?)?(?:my|our)\s+(?:kpi\s+)?(?:returns|submissions|deadlines)[\s?!.]*$|\b(?:got|have|has)\s+(?:\w+\s+){0,2}?(?:due|outstanding|overdue)\b|\bwhat(?:s|\s+is)?\s+(?:still\s+)?(?:due|outstanding|overdue)\b", 0.92),
    Rule(q.DEFINITION, r"^(?:what|whats)\s+(?:is|are)?\s*(?:an?\s+|the\s+)?[\w&-]+\s*[?!.]*$|\bstands?\s+for\b|\babbreviation\b|\bacronym\b"
                       r"|\bwhat\s+(?:exactly\s+|actually\s+)?does\s+(?:the\s+)?[\w&-]+(?:\s+[\w&-]+)?\s+(?:actually\s+|exactly\s+)?(?:measure|count|cover|include)\b", 0.885),
    Rule(q.CHANGES, r"\b(?:what|anything|which\s+\w+)(?:s|\s+has|\s+have)?\s+(?:got|gotten|gone|become|been\s+getting)\s+(?:worse|better)\b"
                    r"|\bwhat(?:s|\s+has|\s+have)?\s+(?:moved|shifted|slipped)\b|\banything\s+(?:improved|deteriorated|declined|slipped|worsened|changed|moved)\b"
                    r"|\bwhat(?:s|\s+has|\s+have)?\s+(?:improved|deteriorated|declined|slipped|worsened|changed)\b"
                    r"|\b(?:biggest|largest|main|top)\s+(?:movers|changes|risers|fallers)\b|\b(?:new|newly)\s+(?:in(?:to)?\s+)?(?:the\s+)?red\b"
                    r"|\b(?:gone|went|turned|moved|slipped|dropped)\s+(?:in(?:to)?\s+)?(?:the\s+)?red\b|\bany\s+(?:movers|changes)\b"
                    r"|\bchanged?\s+(?:status|rag|colou?r)\b|\b(?:status|rag)\s+changes?\b|\banything\s+new\b|\bwhat(?:s|\s+is)\s+new\b", 0.88),
    Rule(q.STATUS, r"\b(?:off\s+(?:track|target)|failing|struggling|under\s*performing|behind\s+(?:target|plan)|not\s+on\s+(?:track|target)"
                   r"|needs?\s+(?:attention|looking\s+at)|going\s+wrong|problem\s+areas?|areas?\s+of\s+concern|worrying|at\s+risk)\b", 0.875),
    Rule(q.STATUS, r"\b(?:against|meeting|hitting|missing|meet|hit|miss)\s+(?:its|our|their|the)?\s*targets\b|\bhow\s+(?:is|are)\s+(?:the\s+)?(?:council|we|things)\s+(?:doing|performing|getting\s+on)\b", 0.875),
    Rule(q.DEFINITION, r"\bwhat\s+(?:does|do)\b.*\bmean\b|\bmeaning\b|\bdefin(?:e|ed|ition)\b|\bexplain\b|\bwhat\s+is\s+meant\b|\bwhere\s+does\b.*\bcome\s+from\b|\bsource\s+of\b|\bhow\s+is\b.*\b(?:measured|calculated|defined|worked\s+out)\b|\bwhat\s+is\s+(?:a|an)\b"
                       r"|\bwhat\s+counts\s+as\b|\bwhen\s+(?:its|it\s+is)\s+at\s+home\b|\b(?:source|sources|methodology)\s+(?:for|of)\b|\bwhere\s+(?:do|does)\b.*\b(?:come|comes)\s+from\b"
                       r"|\b(?:measuring|counting)\s+(?:exactly|actually)\b|\bwhat\s+(?:is|does)\b.*\bmeasuring\b", 0.88),
    Rule(q.TARGET, r"\btargets?\b|\bgoal\b|\baiming\s+for\b|\bwhat\s+should\b.*\bbe\b", 0.86),
    Rule(q.STATUS, r"\b(?:meeting|hitting|hit|meet|met|making|reaching|reach|miss|missed|missing|against|on|to|off)\s+(?:the\s+|its\s+|our\s+|their\s+)?(?:target|track)\b", 0.865),
    Rule(q.STATUS, r"\b(?:reds?|ambers?|greens?|rag|status)\b|\bscorecard\b|\bdashboard\b|\bmy\s+portfolio\b|\bperformance\s+(?:summary|report|overview)\b|\bwhat(?:s|\s+is)\s+(?:off\s+track|failing|struggling)\b|\bunder\s*performing\b|\bmissing\s+(?:their\s+|its\s+)?targets?\b", 0.87),
    Rule(q.SEARCH, r"^(?:is\s+there\s+|have\s+you\s+got\s+|do\s+you\s+have\s+)?anything\s+(?:about|on)\b", 0.845),
    Rule(q.SEARCH, r"\b(?:list|show)\s+(?:me\s+)?(?:all\s+)?(?:the\s+|our\s+)?(?:[\w']+\s+){0,3}?(?:indicators|measures|kpis|metrics)\b|\b(?:indicators|measures|kpis|metrics)\s+(?:do\s+)?i\s+own\b", 0.845),
    Rule(q.SEARCH, r"\b(?:which|what|list|any|all)\s+(?:the\s+)?(?:[\w']+\s+){0,2}?(?:indicators|measures|kpis|metrics|data\s+sets?|datasets)\b|\b(?:indicators|measures|kpis|metrics)\s+(?:about|on|for|relating|related|covering)\b|\bdo\s+we\s+(?:have|measure|track|collect|hold)\b|\bsearch\b|\bfind\s+(?:indicators|measures)\b", 0.84),
    Rule(q.PROFILE, r"\bhows\b.*\b(?:doing|getting\s+on|performing|going)\b", 0.8),
    Rule(q.PROFILE, PROFILE_CUE + r"|\bhow\s+(?:is|are)\b.*\b(?:doing|getting\s+on|performing|looking)\b", 0.8),
    Rule(q.RANK, r"\b(?:highest|lowest|top(?!\s+(?:line|level))|bottom(?!\s+line)|worst|best|rank|ranked|ranking|league\s+table"
                 r"|most(?!\s+(?:recent|up\s+to\s+date|current|latest))|least|biggest|smallest|fewest)\b|\bwhich\s+(?:wards?|councils?|areas?|places?)\b", 0.82),
    Rule(q.TREND, r"\b(?:gone|went|going)\s+(?:up|down)\b|\btrending\b|\bmoved\b|\bmoving\b|\bfallen\b|\bfell\b|\brisen\b|\brose\b|\bdropped\b|"
                  r"\bgrown\b|\bgrew\b|\bshrunk\b|\b(?:worse\s+or\s+better|better\s+or\s+worse)\b(?!\s+than)|\bup\s+or\s+down\b|\bdown\s+or\s+up\b"
                  r"|\b(?:right|wrong)\s+(?:way|direction)\b|\bdirection\b|\bover\s+the\s+years\b|\blong[\s-]term\b"
                  r"|\bbeen\s+happening\b|\bhappening\s+(?:with|to)\b|\bbeen\s+(?:going|doing|looking|getting\s+on)\b"
                  r"|\bby\s+(?:quarter|month|year)\b|\b(?:last|past)\s+(?:few|couple\s+of|several|\d+|two|three|four|five)\s+(?:years|quarters|months)\b", 0.8),
    Rule(q.TREND, r"^(?:are|is)\s+(?:there\s+)?(?:more|fewer|less)\b(?!.*\bthan\b)|\bmore\s+and\s+more\b|\b(?:getting|going)\s+(?:more|less)\b|\btrends?\b|\bover\s+time\b|\bsince\b|\bhistory\b|\bhistoric(?:al)?\b|\bgoing\s+(?:up|down)\b|\brising\b|\bfalling\b|\bincreas\w*\b|\bdecreas\w*\b|\bimprov\w*\b|\bgetting\s+(?:better|worse)\b|\bchanged?\b|\btime\s+series\b|\bover\s+the\s+(?:last|past)\b|\bdeclin\w*\b|\bworsen\w*\b", 0.8),
    Rule(q.COMPARE, r"\bcompar\w*\b|\bvs\b|\bversus\b|\bagainst\b|\bthan\b|\brelative\s+to\b|\bsimilar\s+to\b", 0.78),
]
RANKED_NUMBER = r"\b(?:top|bottom|best|worst|highest|lowest|first|last|which|what)\s+\d|\b\d+\s*(?:\+|plus|s)(?:\s|$)"
FIGURE_SET_DOWN = r"(?:^|\s)(?:=\s*|as\s+|at\s+|-\s*)?-?£?\d[\d,]*(?:\.\d+)?\s*(?:%|k|per\s*cent)?\s*(?:please|pls|thanks|thank\s+you|ta|cheers)?[\s.!]*$"
HOW_MUCH = r"\b(?:at|like|looking|doing|now|today|currently|latest|current|newest|figures?|numbers?|stats?|statistics|level|value|performance|score)\b"
WHAT_IS = (r"^(?:so\s+|ok\s+|sorry\s+|and\s+)?(?:what\s+(?:is|are)|whats)\b"
           r"|\b(?:mean|means|meaning|stand\s+for|refer\s+to|in\s+plain\s+english|about\s+exactly)\b")
FIGURE_WITH_UNIT = (r"(?:\bis|=|\bwas|:|\bcame\s+(?:in\s+)?at|\bstands\s+at)\s*-?£?\d[\d,]*(?:\.\d+)?\s*(?:%|k)?"
                    r"(?:\s+(?:days?|per|1,?000|10,?000|100,?000|tonnes|kg|people|households|homes|visits|incidents|journeys"
                    r"|cases|children|pupils|fte|percent|pc|a|head|population|premises|complaints|requests|applications)){1,3}[\s.!]*$")
CHART = r"\b(?:chart|graph|plot|visual\w*|picture|diagram)\b"
RATE_WORDS = r"\b(?:rate|rates|percentage|percent|per\s+cent|proportion|share|ratio|per\s+(?:1,?000|10,?000|100,?000|head|capita|household))\b|%"
REPHRASINGS = [
    (r"\bhow\s+long\s+(?:do|does|can|will|would|are)\s+(?:the\s+)?(.+?)\s+(?:expected\s+to\s+|expect\s+to\s+)?(?:live|survive)\b", r"life expectancy \1"),
    (r"\bhow\s+many\s+(?:people|residents|persons|folk)\s+(?:live|are\s+living|reside|are\s+there)\b", "population"),
    (r"\bhow\s+many\s+(women|men|girls|boys|children|older\s+people|young\s+people)\s+(?:live|are\s+living|reside|are\s+there)\b",
     r"population \1"),
    (r"\bhow\s+many\s+(?:people|residents|inhabitants)\s+(?:does|do|has|have)\s+(.+?)\s+(?:have|got)\b", r"population of \1"),
    (r"\b(?:most|biggest|largest)\s+(?:people|residents|population)\b", "highest population"),
    (r"\b(?:fewest|least|smallest)\s+(?:people|residents|population)\b", "lowest population"),
    (r"\b(?:forecast|predict(?:ion|ed)?|projected|projection)\b", "forecast"),
    (r"\b(?:vs|versus|compared\s+(?:to|with)|than|against|to|with|on)\s+(?:the\s+)?(?:same\s+(?:time|point|period)\s+)?"
     r"(?:last\s+year|a\s+year\s+(?:ago|earlier|before)|the\s+year\s+before|12\s+months\s+(?:ago|earlier))\b", "over the last year"),
    (r"\b(?:vs|versus|compared\s+(?:to|with)|than|against|on)\s+(?:the\s+)?(?:last|previous|prior)\s+(?:quarter|month)\b", "trend"),
    (r"\bthe\s+rest\s+of\s+the\s+(city|borough|council)\b", r"the \1"),
    (r"\b(?:the\s+)?(city|borough|council)(?:\s*-?\s*wide)?\s+(?:average|figure|rate|as\s+a\s+whole)\b", r"the \1"),
    (r"\b(?:the\s+)?regional\s+(?:average|figure|rate)\b", "the region"),
    (r"\b(?:than|vs|versus|against|compared\s+(?:to|with)|to)\s+(?:the\s+)?averages?\b", "compared with the averages"),
    (r"\b(?:stacks?|measures?|shapes?)\s+up\s+(?=against|to|with|next)", "compared "),
    (r"\bhow\s+(?:do|does|did)\s+(.+?)\s+(?:fare|do)\s+(?=against|compared|next\s+to|relative)", r"\1 "),
    (r"\bwest\s+mids\b", "west midlands"), (r"\bbrum\b", "birmingham"), (r"\bwolves\b", "wolverhampton"),
]
COUNT_WORDS = (r"\bhow\s+many\b|\b(?:number|count|total)\s+of\b|\bcount\b|\btonnes\b|\bhow\s+much\b"
               r"|\b(?:the\s+)?(?:most|fewest|least)\s+(?!deprived)[a-z]+s\b|^(?:claimants|incidents|cases|visits|journeys)\b|\b(?:claimants|incidents|cases|visits|journeys)\s+(?:in|for|at)\b")
ORDER = [("highest", r"\b(?:highest|top|most|biggest|largest|greatest)\b"),
         ("lowest", r"\b(?:lowest|bottom|least|smallest|fewest)\b"),
         ("worst", r"\bworst\b|\bstruggling\b|\bhardest[\s-]hit\b|\bworse\s+off\b|\bmost\s+(?:affected|in\s+need)\b"),
         ("best", r"\bbest\b|\bbetter\s+off\b|\bdoing\s+well\b")]
NUMBER = (r"\b(?:top|bottom|best|worst|highest|lowest|first|last|which|what|the|list|show|name)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
          r"(?=\s+(?:wards?|councils?|areas?|places?|neighbourhoods?|authorities|boroughs|districts|highest|lowest|best|worst|top|bottom|most|least)\b|\s*$)")
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@dataclass
class Lexicon:
    """What the parser knows about this store: indicators, places, services and portfolios."""

    indicators: IndicatorIndex
    places: PlaceIndex
    services: dict[str, str]
    breakdowns: BreakdownIndex
    units: dict[str, str]
    names: dict[str, str]
    levels: dict[str, str]
    descriptions: dict[str, str]
    meaningful: frozenset[str] = frozenset()  # perfbot's own words, stemmed: a leftover one is asked about
    people: dict[str, str] = field(default_factory=dict)  # a person's name, normalised ("maya rowe") → e-mail
    service_words: dict[str, str] = field(default_factory=dict)  # a word only one service's name has → that service
    homes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # an indicator's service and portfolio
    speller: Speller = field(default_factory=lambda: Speller(frozenset()))  # typing slips mended

    @classmethod
    def build(cls, indicators: pd.DataFrame, places: pd.DataFrame, council: str | None,
              groups: dict[str, list[str]], breakdowns: pd.DataFrame | None = None,
              with_figures: frozenset[str] = frozenset(), people: dict[str, str] | None = None) -> Lexicon:
        """Build the matchers from the store's dictionary, places, comparator groups, the
        (indicator_code, breakdown) pairs its observations have, the places it holds figures for and
        the people it knows (name → e-mail)."""
        services = {}
        for column in ("service", "portfolio"):
            for name in indicators[column].dropna().unique():
                services[normalise(name)] = name
        pairs = breakdowns if breakdowns is not None else pd.DataFrame(columns=["indicator_code", "breakdown"])
        index, labels = IndicatorIndex.build(indicators), BreakdownIndex.build(pairs)
        meaningful = {word for word in index.vocabulary | {stem(word) for name in services for word in words(name)}
                      | {stem(word) for found in labels.labels.values() for label in found for word in label_words(label)}
                      if zipf_frequency(word, "en") < EVERYDAY}  # "not", "in", "work" say too little to ask about
        return cls(index, PlaceIndex.build(places, council, groups, with_figures, _areas_named(places, council)), services,
                   labels, dict(zip(indicators["code"], indicators["unit"])),
                   dict(zip(indicators["code"], indicators["name"])),
                   dict(zip(indicators["code"], indicators["geography_levels"].fillna(""))),
                   dict(zip(indicators["code"], indicators["description"].fillna(""))), frozenset(meaningful),
                   {_person_key(name): email for name, email in (people or {}).items()}, _service_words(indicators),
                   {row.code: tuple(name for name in (row.service, row.portfolio) if isinstance(name, str))
                    for row in indicators.itertuples()}, Speller(_known_words(indicators, places, services)))

    def person_in(self, text: str) -> tuple[str | None, str]:
        """The e-mail of a person named in full in `text` ("has Maya Rowe sent…", "Cllr Priya Evans"),
        and the text without the name."""
        for name, email in self.people.items():
            found = re.search(rf"\b(?:cllr\s+|councillor\s+)?{re.escape(name)}\b", text)
            if found:
                return email, " ".join((text[:found.start()] + " " + text[found.end():]).split())
        return None, text

    def service_word_in(self, text: str) -> str | None:
        """The service or portfolio one distinctive word names ("anything red in adults?", "housing")."""
        for word in words(text):
            found = self.service_words.get(word) or self.service_words.get(word.rstrip("s"))
            if found:
                return found
        return None

    def service_in(self, text: str) -> str | None:
        """A service or portfolio named in `text`, matched on whole words, nearly exactly."""
        best, best_score = None, 0.0
        for key, name in self.services.items():
            if len(key) < 6:
                score = 100.0 if re.search(rf"\b{re.escape(key)}\b", text) else 0.0
            else:  # the whole name, nearly, somewhere in the text (never a short text inside a long name)
                score = fuzz.partial_ratio(key, text) if len(text) >= len(key) else fuzz.ratio(key, text)
            if score >= 90 and score + len(key) / 100 > best_score:
                best, best_score = name, score + len(key) / 100
        return best


EVERYDAY = 5.8  # a word of perfbot's vocabulary at least this common in English is not asked about when unused
GENERIC_SERVICE_WORDS = frozenset({"city", "services", "service", "and", "the", "of", "young", "people", "wellbeing",
                                   "public", "climate", "corporate"})


def _service_words(indicators: pd.DataFrame) -> dict[str, str]:
    """Each word that names exactly one service (else exactly one portfolio), singular: "adult" →
    Adult Services, "housing" → City Housing, "resources" → Resources."""
    found: dict[str, str] = {}
    for column in ("service", "portfolio"):
        names = indicators[column].dropna().unique()
        owners: dict[str, set[str]] = {}
        for name in names:
            for word in words(normalise(name)):
                word = word.rstrip("s") if len(word) > 4 else word
                if word not in GENERIC_SERVICE_WORDS:
                    owners.setdefault(word, set()).add(name)
        for word, holders in owners.items():
            if len(holders) == 1 and word not in found:
                found[word] = next(iter(holders))
    return found


SCOPES = [("portfolio", r"\b(?:my|our)\s+(?:cabinet\s+)?portfolio\b"),
          ("service", r"\b(?:my|our)\s+(?:own\s+)?(?:service|services|directorate|department|dept|division|area\s+of\s+work)\b")]


def _scope(text: str) -> tuple[str | None, str]:
    """Whose measures the question is about ("my portfolio", "my directorate"), and the text without it."""
    for scope, pattern in SCOPES:
        found = re.search(pattern, text)
        if found:
            return scope, " ".join((text[:found.start()] + " " + text[found.end():]).split())
    return None, text


def _person_key(name: str) -> str:
    """A person's name as a question would hold it: normalised, without a "Cllr" title."""
    return re.sub(r"^(?:cllr|councillor)\s+", "", normalise(name))


def cued_intents(text: str) -> list[str]:
    """The intents the question's own cue words ask for, strongest first ("which wards are worst for
    it" → rank), whatever the rest of it names."""
    clean = asked_words(rephrase(expand_shorthand(normalise(text))))[1]
    return [rule.intent for rule in sorted(RULES, key=lambda rule: -rule.score) if re.search(rule.pattern, clean)]


def _first(pattern: str, text: str) -> str | None:
    found = re.search(pattern, text)
    return found.group(0) if found else None


COMMENT_INLINE = re.compile(r"^\s*(?:please\s+)?(?:add\s+|my\s+|a\s+)?(?:comment|commentary|note)\s+(?:on|for|about|re)\s+"
                            r"(?P<subject>(?:(?!\breport\b)[^:])+?)\s*(?::|\s[-–]\s)\s*(?P<text>\S.*)$", re.I | re.S)


def _areas_named(places: pd.DataFrame, council: str | None) -> dict[str, str]:
    """The ways of naming the groups of councils held ("the Black Country", "the mets") → group name."""
    held = area_members(places, council)
    region = places.loc[places["code"] == council, "region_code"]
    region_name = places.loc[places["code"] == region.iloc[0], "name"] if not region.empty else pd.Series([], dtype=str)
    aliases = area_aliases(region_name.iloc[0] if not region_name.empty else "")
    return {clean_name(alias): name for alias, name in aliases.items() if name in held}


def _known_words(indicators: pd.DataFrame, places: pd.DataFrame, services: dict[str, str]) -> frozenset[str]:
    """The words a question's slips are mended to: indicators' names and aliases, services, places, framing."""
    texts = [*indicators["name"], *indicators["aliases"].fillna(""), *services, *places["name"]]
    return frozenset(word for text in texts for word in words(normalise(text.replace(";", " ")))) | FILLER


def parse(text: str, lexicon: Lexicon, today: date) -> q.Query:
    """Understand one question (see the module docstring), then account for its every word; a
    commentary typed with its measure ("comment on CLA: placements rose…") reads only the measure (a
    comment on a report is the report's, `REPORT_COMMENT`)."""
    inline = COMMENT_INLINE.match(text)
    if inline:
        measure = parse(inline.group("subject"), lexicon, today)
        return q.Query(q.COMMENTARY, indicator=measure.indicator, choices=measure.choices, when=measure.when,
                       comment=inline.group("text").strip(), why="commentary: typed with its measure")
    clean = rephrase(expand_shorthand(lexicon.speller.mend(normalise(text))))
    if not content_words(clean) and not re.search(r"[a-z0-9?]", clean):
        return q.Query(q.UNKNOWN, why="nothing to read: no words")
    when, timeless = read_when(clean, today)
    person, timeless = lexicon.person_in(timeless)
    scope, timeless = _scope(timeless)
    submission = read_submission(timeless)
    found = lexicon.places.find(timeless, lexicon.indicators.vocabulary)
    if found.group == "":  # "vs our statistical neighbours" where the store holds no comparator group
        named = re.search(GROUP_WORDS, timeless)
        return q.Query(q.UNKNOWN, unknown_places=(named.group(0) if named else "comparators",), when=when,
                       why="no comparator group held")
    measure = _measure(clean)
    subject_text = without_breakdowns(found.rest, found.without_names)  # "most deprived quintile" is no subject
    code = clean.upper().replace(" ", "_")
    matches = [IndicatorMatch(code, 1.0, code, tuple(content_words(clean)), True)] if code in lexicon.units else \
        prefer_measure(lexicon.indicators.match(subject_text), measure, lexicon.units)
    indicator, choices = decide(matches, lexicon.names, lexicon.units, measure)
    if choices:
        indicator, choices = _settle(choices, lexicon, asked_words(found.without_names)[0], clean, found)
    indicator = _published_here(indicator, matches, found, lexicon)
    cue_text = asked_words(clean)[1]
    cues = [(rule, _first(rule.pattern, cue_text)) for rule in RULES]
    cues = [(rule, span) for rule, span in cues if span is not None]
    service = lexicon.service_in(found.without_names)
    if service is None and not (matches and matches[0].complete):
        service = lexicon.service_word_in(found.without_names)  # "is anything in adults red?"
    if service and (indicator or choices) and matches and set(matches[0].words) <= set(words(normalise(service))):
        indicator, choices = None, []  # "how are things looking for children's services": the service, not a child measure
    if when.since is not None:
        cues.append((Rule(q.TREND, "", 0.8), when.phrase))
    if indicator and not cues and not found.mentions and not when.phrase and measure is None and re.search(WHAT_IS, clean) \
            and not re.search(HOW_MUCH, clean) and len(content_words(timeless)) <= 6:
        cues.append((Rule(q.DEFINITION, "", 0.885), "what is, of an indicator alone"))  # "what is reablement?"
    if "?" not in text and re.search(FIGURE_WITH_UNIT, timeless):
        cues.append((Rule(q.SUBMIT, "", 0.93), "a figure with its unit"))  # "sickness for Q2 was 9.4 days"
    if when.period is not None and "?" not in text and re.search(FIGURE_SET_DOWN, timeless) and not re.search(RANKED_NUMBER, timeless):
        cues.append((Rule(q.SUBMIT, "", 0.93), "a figure set beside a period"))  # "november neet 5.2"
    base = dict(places=tuple(found.mentions), subject_named=_subject_named(timeless, found), when=when, group=found.group,
                collection=found.collection, chart=bool(re.search(CHART, clean)), service=service, measure=measure,
                person=person, scope=scope)
    reading = Reading(text, clean, found, matches, cues, service)
    for rule, span in sorted(cues, key=lambda pair: -pair[0].score):
        built = _build(rule.intent, clean, indicator, choices, matches, base, found, submission)
        if built is not None:
            return account(built.but(why=f"{rule.intent}: matched '{span}'" + (f"; indicator by '{matches[0].phrase}'" if built.indicator and matches else ""),
                                     score=rule.score), reading, lexicon)
    if service and not indicator and not choices:
        return account(q.Query(q.STATUS, **base, why=f"status: a service was named ('{service}')", score=0.7), reading, lexicon)
    if indicator or choices:
        intent = q.RANK if found.collection and not any(m.kind == "named" and is_ward(m.code) for m in found.mentions) else \
            q.COMPARE if len(found.mentions) > 1 or found.group else (q.TREND if when.since else q.VALUE)
        built = _build(intent, clean, indicator, choices, matches, base, found, submission)
        return account(built.but(why=f"{intent}: an indicator was named" + (f" ('{matches[0].phrase}')" if matches else ""),
                                 score=matches[0].score if matches else 0.5), reading, lexicon)
    if (found.mentions and any(m.kind in ("named", "my_ward") for m in found.mentions)) or found.partial:
        return account(q.Query(q.PROFILE, **base, why="profile: only a place was named", score=0.6), reading, lexicon)
    return account(q.Query(q.UNKNOWN, **base, suggestions=tuple(m.code for m in matches[:3]),
                           why="no rule or indicator matched"), reading, lexicon)


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


def _measure(text: str) -> str | None:
    """'rate' when the question asks for a rate or percentage, 'count' for "how many" / "number of",
    'score' for a score."""
    if re.search(RATE_WORDS, text):
        return "rate"
    if re.search(COUNT_WORDS, text):
        return "count"
    if re.search(r"\bscores?\b", text):
        return "score"
    return None


def rephrase(text: str) -> str:
    """Everyday phrasings of a few measures, said as the measure ("how long do women live" → "life
    expectancy women", "how many people live in" → "population in", "most people" → "highest population")."""
    for pattern, replacement in REPHRASINGS:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def _subject_named(text: str, found) -> bool:
    """False when the first place named follows "vs", "against", "compared with"…: it is a comparator."""
    if not found.mentions:
        return False
    phrase = found.mentions[0].phrase
    position = text.find(phrase) if phrase else -1
    before = text[:position] if position >= 0 else ""
    return not re.search(r"\b(?:vs|versus|against|compared?\s+(?:to|with)|than|relative\s+to|with)\s+(?:the\s+)?$", before)


DUE_WORDS = frozenset({"outstanding", "due", "late", "missing", "overdue", "return", "returns", "owe", "owed", "behind"})


def rank_order(text: str) -> str | None:
    """"highest", "lowest", "worst" or "best" as the question asks a ranking, or None; the first said
    wins ("best to worst")."""
    plain = re.sub(r"\b(?:top|bottom)\b", " ", text)  # "top 3 with the lowest": the count, not the order
    said = [(found.start(), name) for name, pattern in ORDER for found in [re.search(pattern, plain)] if found]
    return min(said)[1] if said else next((name for name, pattern in ORDER if re.search(pattern, text)), None)


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
        if intent in (q.VALUE, q.COMPARE, q.TREND, q.RANK, q.TARGET, q.DEFINITION):
            return None
        return q.Query(intent, **base, suggestions=tuple(m.code for m in matches[:3]), why="")
    if intent == q.SUBMIT:
        return q.Query(q.SUBMIT, indicator=indicator, submission=submission, **base)
    if intent == q.RANK:
        order = rank_order(text)
        region = next((m.code for m in found.mentions if m.kind == "named"), None)
        collection = base["collection"] or (COUNCILS if base["group"] or is_region(region) else None)  # "across the West Midlands"
        return q.Query(q.RANK, indicator=indicator, order=order, count=_count(text, collection),
                       region_named=region, **{**base, "collection": collection})
    if intent == q.CHANGES:
        if indicator is not None and not base["service"]:  # "has NEET gone red?": that measure's value and status
            return None
        return q.Query(q.CHANGES, rag="red" if re.search(r"\bred\b", text) else None, **base)
    if intent == q.STATUS:
        rag = next((c for c in ("red", "amber", "green") if re.search(rf"\b{c}s?\b", text)), None)
        if indicator is not None and not base["service"]:  # "is FOI red?", "are we on target for NEET": its value and RAG
            others = base["group"] or any(m.kind != "council" for m in found.mentions)  # "how are we doing vs Dudley"
            rated = re.search(r"\b(?:targets?|track|rag|reds?|ambers?|greens?|status)\b", text)
            return q.Query(q.STATUS, indicator=indicator, **base) if rated and not others else None
        return q.Query(q.STATUS, rag=rag, indicator=None, **base)
    if intent == q.PROFILE:
        if base["service"]:
            return q.Query(q.STATUS, **base)
        if indicator is not None and not re.search(PROFILE_CUE, text):
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
        others = True if re.search(r"\bwhos?\b|\bin\s+(?:my|our|the)\s+(?:service|team|directorate)\b|\beveryone\b|\ball\s+returns\b"
                                   r"|\bacross\s+the\s+(?:council|board)\b", text) \
            else False if re.search(r"\b(?:my|me|i|mine|im)\b", text) or base["person"] else None
        named = indicator if matches and set(matches[0].words) - DUE_WORDS else None  # "outstanding" is no Ofsted grade here
        return q.Query(q.DUE, everyone=others, indicator=named, **base)
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
