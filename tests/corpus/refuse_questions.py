"""Questions a careful analyst would refuse or ask back about, on the demo council and on the real
(Trafford) data: unknown places and subjects, partial ward names, places without data for the
indicator, future periods, breakdowns that do not exist, counts compared across places of
different size."""
from __future__ import annotations

from tests.corpus.data import COUNCIL, TRAFFORD
from tests.corpus.demo_questions import (BILSTON_N, BILSTON_S, BIRMINGHAM, BUSHBURY_N, BUSHBURY_S, EAST_PARK,
                                         ETTINGSHALL_N, ETTINGSHALL_S, FALLINGS_PARK, HEATH_TOWN, PARK, PENN,
                                         TETTENHALL_R, TETTENHALL_W, WEDNESFIELD_N, WEDNESFIELD_S)
from tests.corpus.expect import BEN, FARID, PATEL, ZOE, Lines, ask, only, refuse

SALE_CENTRAL, SALE_MOOR = "E05015254", "E05015255"
TIMPERLEY_C, TIMPERLEY_N, HALE_BARNS = "E05015257", "E05015258", "E05015249"


def demo_refusals(lines: Lines) -> None:
    """Refusals and questions back on the demo council."""
    place = lambda who, q, facts: lines.add("refuse-place", who, q, facts)  # noqa: E731
    place(FARID, "unemployment in Narnia", refuse("narnia"))
    place(BEN, "what's the claimant rate in narnia?", refuse("narnia"))
    place(BEN, "child poverty in Atlantis", refuse("atlantis"))
    place(BEN, "How does Hogwarts compare with England on NEET?", refuse("hogwarts"))
    place(BEN, "crime rate in gotham", refuse("gotham"))
    place(BEN, "recycling in Wolverhampton vs Atlantis", only("atlantis", COUNCIL))
    place(BEN, "crime in Birmingham vs Manchester", only("manchester", BIRMINGHAM))
    place(BEN, "unemployment in Manchester", refuse("manchester"))
    place(BEN, "how many people live in Leeds", refuse("leeds"))
    place(BEN, "Bristol recycling rate", refuse("bristol"))
    place(BEN, "compare our neet rate with Liverpool", only("liverpool", COUNCIL))
    place(BEN, "life expectancy in Sheffield", refuse("sheffield"))
    place(BEN, "what's child poverty like in Newcastle?", refuse("newcastle"))
    place(BEN, "unemployment in Qwertyton", refuse("qwertyton"))
    place(BEN, "crime in Blorpington North", refuse("blorpington"))
    place(BEN, "claimant rate in Zzyzx ward", refuse("zzyzx"))
    place(BEN, "ks2 results for Wakanda", refuse("wakanda"))
    place(FARID, "unemployment in Park vs Mordor", only("mordor", PARK))
    place(BEN, "which ward has the highest crime in Springfield", refuse("springfield"))
    place(BEN, "obesity in Middle Earth", refuse("middle earth"))
    place(BEN, "how is unemployment in Cardiff", refuse("cardiff"))
    place(BEN, "population of Paris", refuse("paris"))
    place(BEN, "child poverty in Wolvercote", refuse("wolvercote"))
    place(BEN, "recycling rate for Kent County Council", refuse("kent"))
    place(BEN, "unemployment in Telford compared with Wolverhampton", only("telford", COUNCIL))
    place(BEN, "neet in Stoke", refuse("stoke"))
    place(PATEL, "Could you tell me the crime rate in Little Whinging please?", refuse("little whinging"))
    place(BEN, "unemployment in Bilstonshire Heights", refuse("bilstonshire"))

    subject = lambda who, q, facts: lines.add("refuse-subject", who, q, facts)  # noqa: E731
    subject(FARID, "what's the weather in Penn", refuse("weather"))
    subject(BEN, "weather forecast for wolverhampton tomorrow", refuse("weather"))
    subject(BEN, "what is the capital of england", refuse())
    subject(BEN, "who won the football last night", refuse("football"))
    subject(BEN, "how are wolves doing in the league", refuse())
    subject(BEN, "house prices in Penn", refuse("house prices"))
    subject(BEN, "what's the average house price in Wolverhampton", refuse("house price"))
    subject(BEN, "average rent in park", refuse("rent"))
    subject(BEN, "air quality in Heath Town", refuse("air quality"))
    subject(BEN, "tell me a joke", refuse())
    subject(BEN, "who is the prime minister", refuse())
    subject(BEN, "what time is it", refuse())
    subject(BEN, "train times to Birmingham", refuse("train"))
    subject(BEN, "parking fines issued in East Park", refuse("parking"))
    subject(BEN, "covid cases in wolverhampton", refuse("covid"))
    subject(BEN, "number of dogs in Oxley", refuse("dogs"))
    subject(BEN, "how much does the chief executive earn", refuse())
    subject(BEN, "what's the bin collection day in Penn", refuse())
    subject(BEN, "electric vehicle charging points in Blakenhall", refuse())
    subject(BEN, "how many trees did we plant", refuse("trees"))
    subject(BEN, "voter turnout in Park", refuse("turnout"))
    subject(BEN, "what's the price of a pint in Wolverhampton", refuse())
    subject(BEN, "how's the traffic on the ring road", refuse("traffic"))
    subject(BEN, "teenage pregnancy rate", refuse("pregnancy"))
    subject(BEN, "suicide rate in wolverhampton", refuse("suicide"))
    subject(ZOE, "what's the carbon footprint of the council", refuse("carbon"))

    partial = lambda who, q, facts: lines.add("refuse-partial", who, q, facts)  # noqa: E731
    partial(BEN, "unemployment in Bilston", ask(BILSTON_N, BILSTON_S))
    partial(BEN, "child poverty in tettenhall", ask(TETTENHALL_R, TETTENHALL_W))
    partial(BEN, "claimant rate for Wednesfield", ask(WEDNESFIELD_N, WEDNESFIELD_S))
    partial(BEN, "crime in Bushbury", ask(BUSHBURY_N, BUSHBURY_S))
    partial(BEN, "Ettingshall unemployment", ask(ETTINGSHALL_N, ETTINGSHALL_S))
    partial(BEN, "how many people live in Bilston?", ask(BILSTON_N, BILSTON_S))
    partial(BEN, "male life expectancy in Tettenhall", ask(TETTENHALL_R, TETTENHALL_W))
    partial(BEN, "is crime going up in wednesfield", ask(WEDNESFIELD_N, WEDNESFIELD_S))
    partial(BEN, "ks2 in bushbury", ask(BUSHBURY_N, BUSHBURY_S))
    partial(BEN, "compare Bilston with England on child poverty", ask(BILSTON_N, BILSTON_S))
    partial(BEN, "obesity in ettingshall", ask(ETTINGSHALL_N, ETTINGSHALL_S))
    partial(BEN, "fly tipping in Tettenhall last month", ask(TETTENHALL_R, TETTENHALL_W))
    partial(BEN, "What's the unemployment rate in Wednesfield at the moment, please?", ask(WEDNESFIELD_N, WEDNESFIELD_S))
    partial(BEN, "unemployment in my ward", ask())

    nodata = lambda who, q, facts: lines.add("refuse-nodata", who, q, facts)  # noqa: E731
    nodata(BEN, "which ward has the highest unemployment in Birmingham", refuse("birmingham"))
    nodata(BEN, "birmingham wards ranked by crime", refuse("birmingham"))
    nodata(BEN, "child poverty by ward in Dudley", refuse("dudley"))
    nodata(BEN, "fly tipping in Birmingham", refuse("birmingham"))
    nodata(BEN, "temporary accommodation in Sandwell", refuse("sandwell"))
    nodata(BEN, "sickness absence in England", refuse("england"))
    nodata(BEN, "FOI response times for Walsall", refuse("walsall"))
    nodata(BEN, "NEET Bilston North oct", refuse("bilston north"))
    nodata(FARID, "neet in my ward", refuse("park"))
    nodata(BEN, "employment rate in Penn", refuse("penn"))
    nodata(BEN, "what's the recycling rate in Heath Town", refuse("heath town"))
    nodata(BEN, "library visits in East Park", refuse("east park"))
    nodata(BEN, "council tax collection in Oxley", refuse("oxley"))
    nodata(BEN, "asb in the west midlands", refuse("west midlands"))
    nodata(BEN, "budget variation for coventry", refuse("coventry"))
    nodata(BEN, "how many households are in temporary accommodation in Park", refuse("park"))
    nodata(BEN, "new homes in england", refuse("england"))
    nodata(BEN, "early help assessments in Solihull", refuse("solihull"))

    future = lambda who, q, facts: lines.add("refuse-future", who, q, facts)  # noqa: E731
    future(BEN, "unemployment in December 2027", refuse("2027"))
    future(BEN, "what will NEET be next year", refuse())
    future(BEN, "crime rate in 2027/28", refuse("2027"))
    future(BEN, "recycling rate Q4 2027/28", refuse("2027"))
    future(BEN, "child poverty in 2030", refuse("2030"))
    future(FARID, "unemployment in park in january 2027", refuse("2027"))
    future(BEN, "claimant rate next month", refuse())
    future(BEN, "forecast the claimant rate for 2028", refuse("2028"))
    future(BEN, "what will the population be in 2035", refuse("2035"))
    future(BEN, "NEET in March 2027", refuse("2027"))

    breakdown = lambda who, q, facts: lines.add("refuse-breakdown", who, q, facts)  # noqa: E731
    breakdown(BEN, "female recycling rate", refuse())
    breakdown(BEN, "male unemployment in Park", refuse())
    breakdown(BEN, "claimant rate for under 25s", refuse())
    breakdown(BEN, "crime against over 65s in Penn", refuse())
    breakdown(BEN, "child poverty for girls in heath town", refuse())
    breakdown(BEN, "NEET in the most deprived quintile", refuse())
    breakdown(BEN, "ks2 results for boys", refuse())
    breakdown(BEN, "female fly tipping", refuse())
    breakdown(BEN, "unemployment among women in Bilston North", refuse())
    breakdown(BEN, "council tax collection in the least deprived decile", refuse())

    counts = lambda who, q, facts: lines.add("refuse-counts", who, q, facts)  # noqa: E731
    counts(FARID, "new homes in Park vs Wolverhampton", {"values_within": [PARK]})
    counts(BEN, "fly tipping in East Park compared with the city", {"values_within": [EAST_PARK]})
    counts(BEN, "asb in Fallings Park vs Wolverhampton", {"values_within": [FALLINGS_PARK]})
    counts(PATEL, "road casualties in my ward compared to the council", {"values_within": [HEATH_TOWN]})
    counts(BEN, "is fly tipping in Penn worse than wolverhampton's?", {"values_within": [PENN]})
    counts(BEN, "houses built in Heath Town against the city total", {"values_within": [HEATH_TOWN]})


def real_refusals(lines: Lines) -> None:
    """Refusals and questions back on the real (Trafford) data."""
    add = lambda category, q, facts: lines.add(category, None, q, facts)  # noqa: E731
    add("refuse-place", "claimant count rate in Narnia", refuse("narnia"))
    add("refuse-place", "life expectancy in Atlantis", refuse("atlantis"))
    add("refuse-place", "Trafford vs Gondor on recycling", only("gondor", TRAFFORD))
    add("refuse-place", "employment rate in Flixtonshire", refuse("flixtonshire"))
    add("refuse-place", "NEET in Quxbridge", refuse("quxbridge"))
    add("refuse-place", "how many people claim in Sale Water Park", refuse())
    add("refuse-subject", "what's the weather in Altrincham", refuse("weather"))
    add("refuse-subject", "house prices in Hale", refuse("house prices"))
    add("refuse-subject", "crime rate in Trafford", refuse("crime"))
    add("refuse-subject", "who won the derby, United or City", refuse())
    add("refuse-subject", "how many trams run through Old Trafford", refuse())
    add("refuse-subject", "fly tipping in Stretford", refuse())
    add("refuse-partial", "claimant count in Sale", ask(SALE_CENTRAL, SALE_MOOR))
    add("refuse-partial", "how many people are claiming in Timperley", ask(TIMPERLEY_C, TIMPERLEY_N, HALE_BARNS))
    add("refuse-partial", "deprivation in timperley", ask(TIMPERLEY_C, TIMPERLEY_N, HALE_BARNS))
    add("refuse-partial", "population of sale", ask(SALE_CENTRAL, SALE_MOOR))
    add("refuse-nodata", "which ward in Manchester has the highest claimant count", refuse("manchester"))
    add("refuse-nodata", "claimant rate in Manchester", refuse("manchester"))
    add("refuse-nodata", "life expectancy in Old Trafford", refuse("old trafford"))
    add("refuse-nodata", "female life expectancy in Altrincham ward", refuse("altrincham"))
    add("refuse-nodata", "NEET in Sale Moor", refuse("sale moor"))
    add("refuse-nodata", "employment rate Trafford vs North West", only("north west", TRAFFORD))
    add("refuse-nodata", "recycling in Birmingham", refuse("birmingham"))
    add("refuse-nodata", "ks2 in Urmston", refuse("urmston"))
    add("refuse-nodata", "which Stockport ward has the most people claiming", refuse("stockport"))
    add("refuse-future", "claimant count in Trafford in December 2027", refuse("2027"))
    add("refuse-future", "life expectancy in Trafford in 2030", refuse("2030"))
    add("refuse-future", "what will Trafford's recycling rate be next year", refuse())
    add("refuse-future", "employment rate for 2027", refuse("2027"))
    add("refuse-breakdown", "female claimant count in Trafford", refuse())
    add("refuse-breakdown", "recycling in the most deprived quintile", refuse())
    add("refuse-breakdown", "male NEET rate", refuse())
    add("refuse-breakdown", "life expectancy in the least deprived quintile in Trafford", refuse())
    add("refuse-breakdown", "claimant rate for women in Old Trafford", refuse())


def refusal_lines() -> tuple[Lines, Lines]:
    """(demo refusals, real refusals)."""
    demo, real = Lines("demo"), Lines("real")
    demo_refusals(demo)
    real_refusals(real)
    return demo, real
