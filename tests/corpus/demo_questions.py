"""Questions on the demo council (as of 2026-11-27), as councillors, officers and the leader type
them, each with the facts a right answer carries (looked up in the CSV files)."""
from __future__ import annotations

from tests.corpus.data import COUNCIL, ENGLAND, REGION, DemoCouncil
from tests.corpus.expect import (BEN, FARID, IMRAN, MAYA, NIKHIL, NIKHIL_W, PATEL, PRIYA, RACHEL, ZOE, DemoFacts,
                                 Lines, refuse)

# wards and councils by name (codes from geographies.csv)
BILSTON_N, BILSTON_S, BLAKENHALL = "E05014838", "E05014839", "E05014840"
BUSHBURY_N, BUSHBURY_S, EAST_PARK = "E05014841", "E05014842", "E05014843"
ETTINGSHALL_N, ETTINGSHALL_S, FALLINGS_PARK = "E05014844", "E05014845", "E05014846"
GRAISELEY, HEATH_TOWN, MERRY_HILL, OXLEY = "E05014847", "E05014848", "E05014849", "E05014850"
PARK, PENN, ST_PETERS = "E05014851", "E05014852", "E05014853"
TETTENHALL_R, TETTENHALL_W = "E05014854", "E05014855"
WEDNESFIELD_N, WEDNESFIELD_S = "E05014856", "E05014857"
BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL = "E08000025", "E08000026", "E08000027", "E08000028"
SOLIHULL, WALSALL = "E08000029", "E08000030"


def values(lines: Lines, f: DemoFacts) -> None:
    """Single values: the council, a ward, a neighbour, the region, England; latest or a period asked for."""
    add = lambda who, q, facts: lines.add("demo-value", who, q, facts)  # noqa: E731
    add(BEN, "what's the unemployment rate", f.value("CLAIMANT_RATE"))
    add(BEN, "whats the claimant count rate at the moment?", f.value("CLAIMANT_RATE"))
    add(FARID, "unemployment in Park", f.value("CLAIMANT_RATE", PARK))
    add(FARID, "how many people are out of work in my ward", f.value("CLAIMANT_RATE", PARK))
    add(PATEL, "jobless rate heath town", f.value("CLAIMANT_RATE", HEATH_TOWN))
    add(BEN, "claimant rate for Bilston South in March 2025", f.value("CLAIMANT_RATE", BILSTON_S, "2025-03"))
    add(BEN, "Could you tell me the claimant count rate in Graiseley for January 2026, please?",
        f.value("CLAIMANT_RATE", GRAISELEY, "2026-01"))
    add(FARID, "unemployment in east park in october", f.value("CLAIMANT_RATE", EAST_PARK, "2026-10"))
    add(BEN, "unemployment in Sandwell", f.value("CLAIMANT_RATE", SANDWELL))
    add(BEN, "What is the unemployment rate in England?", f.value("CLAIMANT_RATE", ENGLAND))
    add(BEN, "claimant rate west midlands", f.value("CLAIMANT_RATE", REGION))
    add(MAYA, "whats the neet figure", f.value("NEET"))
    add(IMRAN, "How many 16-17 year olds are NEET?", f.value("NEET"))
    add(BEN, "neet rate in june 2026", f.value("NEET", period="2026-06"))
    add(BEN, "NEET for Dudley", f.value("NEET", DUDLEY))
    add(BEN, "neet in october", refuse("isn't in yet"))  # a month not in yet is said, never replaced by the newest
    add(BEN, "what was the NEET rate in November 2025", f.value("NEET", period="2025-11"))
    add(BEN, "child poverty", f.value("CHILD_POVERTY"))
    add(PATEL, "child poverty in heath town", f.value("CHILD_POVERTY", HEATH_TOWN))
    add(FARID, "What percentage of kids are in poverty in my ward?", f.value("CHILD_POVERTY", PARK))
    add(BEN, "children in low income families in 2023/24", f.value("CHILD_POVERTY", period="2023/24"))
    add(BEN, "crime rate", f.value("CRIME_RATE"))
    add(FARID, "crime in park", f.value("CRIME_RATE", PARK))
    add(BEN, "recorded crime in Walsall last quarter", f.value("CRIME_RATE", WALSALL, "2026/27 Q2"))
    add(BEN, "how's recycling", f.value("RECYCLING_RATE"))
    add(BEN, "recycling rate Q1 2025/26", f.value("RECYCLING_RATE", period="2025/26 Q1"))
    add(BEN, "what's the recycling rate in england?", f.value("RECYCLING_RATE", ENGLAND))
    add(BEN, "how many people live in Wolverhampton", f.value("POPULATION"))
    add(FARID, "population of penn", f.value("POPULATION", PENN))
    add(PATEL, "How many residents are there in Oxley?", f.value("POPULATION", OXLEY))
    add(BEN, "population of the west midlands", f.value("POPULATION", REGION))
    add(BEN, "male life expectancy", f.value("LIFE_EXP_MALE"))
    add(BEN, "life expectancy for men in Blakenhall", f.value("LIFE_EXP_MALE", BLAKENHALL))
    add(BEN, "womens life expectancy in penn", f.value("LIFE_EXP_FEMALE", PENN))
    add(BEN, "year 6 obesity", f.value("OBESITY_Y6"))
    add(BEN, "childhood obesity in merry hill", f.value("OBESITY_Y6", MERRY_HILL))
    add(BEN, "ks2 results", f.value("KS2_RWM"))
    add(BEN, "KS2 reading writing and maths in St Peters", f.value("KS2_RWM", ST_PETERS))
    add(BEN, "how many homes were built last year", f.value("NEW_HOMES", period="2025/26"))
    add(BEN, "new homes delivered in 2024/25", f.value("NEW_HOMES", period="2024/25"))
    add(BEN, "what did we score on FOIs in October", f.value("FOI_ON_TIME", period="2026-10"))
    add(BEN, "foi response times", f.value("FOI_ON_TIME"))
    add(BEN, "complaints on time last month", f.value("COMPLAINTS_ON_TIME", period="2026-10"))
    add(BEN, "How many households are in temporary accommodation?", f.value("TEMP_ACCOMMODATION"))
    add(BEN, "homelessness preventions last quarter", f.value("HOMELESS_PREVENTIONS", period="2026/27 Q2"))
    add(BEN, "council tax collection rate", f.value("COUNCIL_TAX_COLLECTION"))
    add(BEN, "business rates collected", f.value("BUSINESS_RATES_COLLECTION"))
    add(BEN, "where are we on the budget?", f.value("BUDGET_VARIATION"))
    add(BEN, "sickness absence", f.value("SICKNESS_DAYS"))
    add(BEN, "staff retention", f.value("STAFF_RETENTION"))
    add(BEN, "library visits in september 2026", f.value("LIBRARY_VISITS", period="2026-09"))
    add(BEN, "bus journeys", f.value("BUS_JOURNEYS"))
    add(BEN, "gigabit broadband coverage", f.value("BROADBAND"))
    add(BEN, "fly tipping incidents in Bushbury North", f.value("FLY_TIPPING", BUSHBURY_N))
    add(BEN, "anti-social behaviour in Fallings Park", f.value("ASB_INCIDENTS", FALLINGS_PARK))
    add(BEN, "asb in oxley in august 2026", f.value("ASB_INCIDENTS", OXLEY, "2026-08"))
    add(BEN, "road casualties in Tettenhall Wightwick", f.value("KSI", TETTENHALL_W))
    add(BEN, "how many looked after children per 10,000", f.value("CLA_RATE"))
    add(BEN, "reablement", f.value("REABLEMENT_91"))
    add(BEN, "care home admissions for over 65s", f.value("RES_ADMISSIONS_65"))
    add(BEN, "what's the employment rate in Coventry", f.value("EMPLOYMENT_RATE", COVENTRY))
    add(BEN, "smoking at time of delivery", f.value("SMOKING_DELIVERY"))
    add(BEN, "Percentage of major planning applications on time", f.value("PLANNING_MAJOR"))
    add(NIKHIL, "unemplyment in tettenhal regis", f.value("CLAIMANT_RATE", TETTENHALL_R))
    add(BEN, "claimant rate in wednesfeild north", f.value("CLAIMANT_RATE", WEDNESFIELD_N))
    add(BEN, "Unemployment in Bushbury South and Low Hill", f.value("CLAIMANT_RATE", BUSHBURY_S))
    add(BEN, "crime in Ettingshall South & Spring Vale", f.value("CRIME_RATE", ETTINGSHALL_S))
    add(BEN, "UNEMPLOYMENT IN ST. PETERS", f.value("CLAIMANT_RATE", ST_PETERS))
    add(BEN, "unemployment in Saint Peters", f.value("CLAIMANT_RATE", ST_PETERS))
    add(BEN, "E05014850 claimant rate", f.value("CLAIMANT_RATE", OXLEY))
    add(ZOE, "residual waste per household", f.value("RESIDUAL_WASTE"))
    add(ZOE, "potholes", f.value("ROAD_CONDITION"))
    add(BEN, "NEET Dudley", f.value("NEET", DUDLEY))
    add(BEN, "CRIME WALSALL", f.value("CRIME_RATE", WALSALL))
    add(BEN, "whats the neet %", f.value("NEET"))
    add(PATEL, "jobless figures for graiseley pls", f.value("CLAIMANT_RATE", GRAISELEY))
    add(BEN, "oxley crime", f.value("CRIME_RATE", OXLEY))
    add(BEN, "Penn population", f.value("POPULATION", PENN))
    add(BEN, "how many folk live in merry hill", f.value("POPULATION", MERRY_HILL))
    add(BEN, "life expectancy for females in east park", f.value("LIFE_EXP_FEMALE", EAST_PARK))
    add(BEN, "ks2 attainment in fallings park", f.value("KS2_RWM", FALLINGS_PARK))
    add(PATEL, "what percentage of year 6 kids are obese in heath town?", f.value("OBESITY_Y6", HEATH_TOWN))
    add(BEN, "recycling figure for last quarter", f.value("RECYCLING_RATE", period="2026/27 Q2"))
    add(BEN, "how much council tax have we collected", f.value("COUNCIL_TAX_COLLECTION"))
    add(BEN, "what's the capital spend position", f.value("CAPITAL_SPEND"))
    add(BEN, "how many people get adult social care", f.value("ASC_CLIENTS"))
    add(BEN, "early help assessments open", f.value("EARLY_HELP"))
    add(BEN, "customer satisfaction with the contact centre", f.value("CONTACT_SATISFACTION"))
    add(BEN, "percentage of pupils in good or outstanding schools", f.value("GOOD_SCHOOLS"))
    add(BEN, "care leavers not in work", f.value("CARE_LEAVERS_NEET"))
    add(BEN, "unemployment in the city in april 2021", f.value("CLAIMANT_RATE", period="2021-04"))
    add(FARID, "child poverty in my ward in 2019/20", f.value("CHILD_POVERTY", PARK, "2019/20"))
    add(BEN, "Hello! What was Wolverhampton's crime rate in Q3 2024/25?", f.value("CRIME_RATE", period="2024/25 Q3"))
    add(BEN, "fly-tipping last month", f.value("FLY_TIPPING", period="2026-10"))
    add(BEN, "how many people were killed or seriously injured on our roads in 2023/24", f.value("KSI", period="2023/24"))
    add(BEN, "unemployment in november", refuse("isn't in yet"))
    add(BEN, "library visits this month", refuse("isn't in yet"))
    add(BEN, "how many homes were built in Park last year", f.value("NEW_HOMES", PARK, "2025/26"))


def comparisons(lines: Lines, f: DemoFacts) -> None:
    """Comparisons between places, the subject first."""
    add = lambda who, q, facts: lines.add("demo-compare", who, q, facts)  # noqa: E731
    add(FARID, "unemployment in my ward vs region", f.compare("CLAIMANT_RATE", [PARK, REGION]))
    add(FARID, "how does park compare with england on unemployment", f.compare("CLAIMANT_RATE", [PARK, ENGLAND]))
    add(FARID, "claimant rate park vs the city", f.compare("CLAIMANT_RATE", [PARK, COUNCIL]))
    add(PATEL, "Is child poverty in Heath Town worse than in Wolverhampton as a whole?",
        f.compare("CHILD_POVERTY", [HEATH_TOWN, COUNCIL]))
    add(BEN, "compare child poverty in Park and Penn", f.compare("CHILD_POVERTY", [PARK, PENN]))
    add(BEN, "How does Park compare with England on child poverty?", f.compare("CHILD_POVERTY", [PARK, ENGLAND]))
    add(BEN, "NEET in Sandwell vs Dudley", f.compare("NEET", [SANDWELL, DUDLEY]))
    add(BEN, "neet vs england", f.compare("NEET", [COUNCIL, ENGLAND]))
    add(BEN, "how do we compare to the region on NEETs?", f.compare("NEET", [COUNCIL, REGION]))
    add(BEN, "year 6 obesity vs the west midlands and england", f.compare("OBESITY_Y6", [COUNCIL, REGION, ENGLAND]))
    add(BEN, "Compare our employment rate with Birmingham and Walsall",
        f.compare("EMPLOYMENT_RATE", [COUNCIL, BIRMINGHAM, WALSALL]))
    add(BEN, "employment rate us v solihull", f.compare("EMPLOYMENT_RATE", [COUNCIL, SOLIHULL]))
    add(BEN, "recycling wolverhampton vs england", f.compare("RECYCLING_RATE", [COUNCIL, ENGLAND]))
    add(BEN, "is our recycling rate better than Dudley's?", f.compare("RECYCLING_RATE", [COUNCIL, DUDLEY]))
    add(BEN, "crime rate compared with the region", f.compare("CRIME_RATE", [COUNCIL, REGION]))
    add(BEN, "crime in Birmingham compared to Coventry", f.compare("CRIME_RATE", [BIRMINGHAM, COVENTRY]))
    add(FARID, "crime in my ward compared with the city", f.compare("CRIME_RATE", [PARK, COUNCIL]))
    add(PATEL, "life expectancy for women in Heath Town compared to Wolverhampton",
        f.compare("LIFE_EXP_FEMALE", [HEATH_TOWN, COUNCIL]))
    add(BEN, "male life expectancy wolverhampton v england", f.compare("LIFE_EXP_MALE", [COUNCIL, ENGLAND]))
    add(BEN, "How does female life expectancy in Penn compare with the national average?",
        f.compare("LIFE_EXP_FEMALE", [PENN, ENGLAND]))
    add(BEN, "ks2 attainment vs england", f.compare("KS2_RWM", [COUNCIL, ENGLAND]))
    add(BEN, "KS2 in Bilston North vs Bilston South", f.compare("KS2_RWM", [BILSTON_N, BILSTON_S]))
    add(BEN, "council tax collection compared with walsall and sandwell",
        f.compare("COUNCIL_TAX_COLLECTION", [COUNCIL, WALSALL, SANDWELL]))
    add(BEN, "business rates collection: us against england", f.compare("BUSINESS_RATES_COLLECTION", [COUNCIL, ENGLAND]))
    add(BEN, "looked after children rate compared with the region",
        f.compare("CLA_RATE", [COUNCIL, REGION]))
    add(BEN, "how do our schools compare with england? good or outstanding", f.compare("GOOD_SCHOOLS", [COUNCIL, ENGLAND]))
    add(BEN, "care leavers NEET vs the west mids", f.compare("CARE_LEAVERS_NEET", [COUNCIL, REGION]))
    add(BEN, "residual waste per household vs england", f.compare("RESIDUAL_WASTE", [COUNCIL, ENGLAND]))
    add(BEN, "broadband coverage: wolverhampton, birmingham, coventry",
        f.compare("BROADBAND", [COUNCIL, BIRMINGHAM, COVENTRY]))
    add(BEN, "planning performance vs region", f.compare("PLANNING_MAJOR", [COUNCIL, REGION]))
    add(BEN, "unemployment in Tettenhall Regis compared with Tettenhall Wightwick",
        f.compare("CLAIMANT_RATE", [TETTENHALL_R, TETTENHALL_W]))
    add(BEN, "claimant rate: Blakenhall v Graiseley v Penn", f.compare("CLAIMANT_RATE", [BLAKENHALL, GRAISELEY, PENN]))
    add(NIKHIL, "unemployment here against england", f.compare("CLAIMANT_RATE", [TETTENHALL_R, ENGLAND]))
    add(PRIYA, "how does my ward compare to the region for child poverty",
        f.compare("CHILD_POVERTY", [BILSTON_N, REGION]))
    add(BEN, "obesity in year 6: Oxley compared with England", f.compare("OBESITY_Y6", [OXLEY, ENGLAND]))
    add(BEN, "smoking in pregnancy wolverhampton vs england", f.compare("SMOKING_DELIVERY", [COUNCIL, ENGLAND]))
    add(BEN, "Would you compare reablement here with the West Midlands, please",
        f.compare("REABLEMENT_91", [COUNCIL, REGION]))
    add(BEN, "road condition vs england", f.compare("ROAD_CONDITION", [COUNCIL, ENGLAND]))
    add(BEN, "unemployment in march 2025, park against england", f.compare("CLAIMANT_RATE", [PARK, ENGLAND], "2025-03"))
    add(BEN, "compare child poverty in heath town and east park in 2022/23",
        f.compare("CHILD_POVERTY", [HEATH_TOWN, EAST_PARK], "2022/23"))


def trends(lines: Lines, f: DemoFacts) -> None:
    """Trends, always with a chart."""
    add = lambda who, q, facts: lines.add("demo-trend", who, q, facts)  # noqa: E731
    add(BEN, "is crime going up?", f.trend("CRIME_RATE"))
    add(BEN, "Show me the trend in recycling since 2023", f.trend("RECYCLING_RATE"))
    add(BEN, "show sickness absence over the last 2 years as a chart", f.trend("SICKNESS_DAYS"))
    add(BEN, "are more people getting killed on the roads", f.trend("KSI"))
    add(BEN, "has unemployment gone down this year", f.trend("CLAIMANT_RATE"))
    add(FARID, "unemployment trend in my ward", f.trend("CLAIMANT_RATE", PARK))
    add(FARID, "is crime getting worse in park", f.trend("CRIME_RATE", PARK))
    add(BEN, "how has NEET changed over the last year", f.trend("NEET"))
    add(BEN, "child poverty over time", f.trend("CHILD_POVERTY"))
    add(PATEL, "child poverty trend heath town", f.trend("CHILD_POVERTY", HEATH_TOWN))
    add(BEN, "is fly tipping rising", f.trend("FLY_TIPPING"))
    add(BEN, "trend in temporary accommodation", f.trend("TEMP_ACCOMMODATION"))
    add(BEN, "Is staff retention improving?", f.trend("STAFF_RETENTION"))
    add(BEN, "chart of council tax collection since 2021", f.trend("COUNCIL_TAX_COLLECTION"))
    add(BEN, "library visits over the past 3 years", f.trend("LIBRARY_VISITS"))
    add(BEN, "has life expectancy for women improved?", f.trend("LIFE_EXP_FEMALE"))
    add(BEN, "year 6 obesity trend", f.trend("OBESITY_Y6"))
    add(BEN, "is asb getting better or worse", f.trend("ASB_INCIDENTS"))
    add(BEN, "how are homelessness preventions trending", f.trend("HOMELESS_PREVENTIONS"))
    add(BEN, "Plot the FOI figures over time", f.trend("FOI_ON_TIME"))
    add(BEN, "complaints response times trend", f.trend("COMPLAINTS_ON_TIME"))
    add(BEN, "how has the employment rate moved since 2022", f.trend("EMPLOYMENT_RATE"))
    add(BEN, "is the budget position getting worse", f.trend("BUDGET_VARIATION"))
    add(BEN, "residual waste over the last two years", f.trend("RESIDUAL_WASTE"))
    add(NIKHIL, "has unemployment in tettenhall regis fallen", f.trend("CLAIMANT_RATE", TETTENHALL_R))
    add(BEN, "bus patronage trend", f.trend("BUS_JOURNEYS"))


def rankings(lines: Lines, f: DemoFacts) -> None:
    """Rankings of the wards and of the region's councils."""
    add = lambda who, q, facts: lines.add("demo-rank", who, q, facts)  # noqa: E731
    councils = f.demo.councils()
    add(BEN, "Which ward has the highest crime rate?", f.rank("CRIME_RATE", True, top=1))
    add(BEN, "which ward has the lowest crime rate", f.rank("CRIME_RATE", False, top=1))
    add(BEN, "which wards have the highest unemployment", f.rank("CLAIMANT_RATE", True, top=3))
    add(BEN, "which 3 wards have the highest unemployment?", f.rank("CLAIMANT_RATE", True, top=3, count=3))
    add(BEN, "which 5 wards have the most child poverty", f.rank("CHILD_POVERTY", True, top=5, count=5))
    add(BEN, "rank the wards on child poverty, highest to lowest", f.rank("CHILD_POVERTY", True))
    add(BEN, "worst ward for unemployment", f.rank("CLAIMANT_RATE", True, top=1))
    add(BEN, "best ward for unemployment", f.rank("CLAIMANT_RATE", False, top=1))
    add(BEN, "where is unemployment lowest", f.rank("CLAIMANT_RATE", False, top=1))
    add(BEN, "top 5 wards for fly tipping last month", f.rank("FLY_TIPPING", True, top=5, period="2026-10"))
    add(BEN, "which ward has the most fly-tipping", f.rank("FLY_TIPPING", True, top=1))
    add(BEN, "which ward has the highest male life expectancy", f.rank("LIFE_EXP_MALE", True, top=1))
    add(BEN, "lowest female life expectancy by ward", f.rank("LIFE_EXP_FEMALE", False, top=1))
    add(BEN, "wards ranked by year 6 obesity, worst first", f.rank("OBESITY_Y6", True))
    add(BEN, "which ward does best at KS2", f.rank("KS2_RWM", True, top=1))
    add(BEN, "Which wards have the worst KS2 results?", f.rank("KS2_RWM", False, top=3))
    add(BEN, "ward with the highest crime rate in 2025/26 Q4", f.rank("CRIME_RATE", True, top=1, period="2025/26 Q4"))
    add(BEN, "rank the west midlands councils on council tax collection", f.rank("COUNCIL_TAX_COLLECTION", True, councils))
    add(BEN, "which council in the west midlands has the highest unemployment",
        f.rank("CLAIMANT_RATE", True, councils, top=1))
    add(BEN, "league table of west midlands councils for recycling", f.rank("RECYCLING_RATE", True, councils))
    add(BEN, "which west mids authority has the lowest employment rate", f.rank("EMPLOYMENT_RATE", False, councils, top=1))
    add(BEN, "rank the councils in the region by neet, highest first", f.rank("NEET", True, councils))
    add(BEN, "Which West Midlands council has the highest child poverty?", f.rank("CHILD_POVERTY", True, councils, top=1))
    add(BEN, "which wards have the highest unemployment in wolverhampton", f.rank("CLAIMANT_RATE", True, top=3))
    add(FARID, "which ward has the most people", f.rank("POPULATION", True, top=1))
    add(BEN, "smallest ward by population", f.rank("POPULATION", False, top=1))
    add(BEN, "top 3 wards for crime", f.rank("CRIME_RATE", True, top=3, count=3))
    add(BEN, "bottom 3 wards for male life expectancy", f.rank("LIFE_EXP_MALE", False, top=3, count=3))
    add(BEN, "which wards have the least child poverty?", f.rank("CHILD_POVERTY", False, top=3))
    add(BEN, "unemployment by ward, highest first", f.rank("CLAIMANT_RATE", True))
    add(BEN, "which ward had the highest unemployment in march 2025", f.rank("CLAIMANT_RATE", True, top=1, period="2025-03"))


def statuses(lines: Lines, f: DemoFacts) -> None:
    """The red measures, of the whole council or of one service."""
    add = lambda who, q, facts: lines.add("demo-status", who, q, facts)  # noqa: E731
    add(BEN, "Which measures are red?", f.red())
    add(BEN, "what's red", f.red())
    add(BEN, "anything red at the moment?", f.red())
    add(ZOE, "show me the red indicators", f.red())
    add(BEN, "which kpis are in the red", f.red())
    add(BEN, "what is failing", f.red())
    add(BEN, "scorecard", f.red())
    add(BEN, "How is the council performing against its targets overall?", f.red())
    add(IMRAN, "How is Children's Services doing?", f.red("Children's Services"))
    add(BEN, "how is city environment doing", f.red("City Environment"))
    add(BEN, "which governance measures are red", f.red("Governance"))
    add(BEN, "finance scorecard", f.red("Finance"))
    add(BEN, "how's city housing getting on", f.red("City Housing"))
    add(BEN, "is anything red in adult services", f.red("Adult Services"))
    add(BEN, "public health status", f.red("Public Health"))
    add(BEN, "red measures in economy and skills", f.red("Economy and Skills"))


def profiles(lines: Lines, f: DemoFacts) -> None:
    """A place at a glance, and the conversation helpers."""
    add = lambda who, q, facts: lines.add("demo-profile", who, q, facts)  # noqa: E731
    add(FARID, "tell me about my ward", {"intent": "profile", "subject": PARK})
    add(BEN, "Penn", {"intent": "profile", "subject": PENN})
    add(BEN, "tell me about Heath Town", {"intent": "profile", "subject": HEATH_TOWN})
    add(BEN, "how is Blakenhall doing?", {"intent": "profile", "subject": BLAKENHALL})
    add(BEN, "give me a profile of east park", {"intent": "profile", "subject": EAST_PARK})
    add(BEN, "Tettenhall Wightwick at a glance", {"intent": "profile", "subject": TETTENHALL_W})
    add(RACHEL, "What returns do I owe?", {"intent": "due"})
    add(MAYA, "what have I got due", {"intent": "due"})
    add(ZOE, "who hasn't submitted?", {"intent": "due"})
    add(FARID, "help", {"intent": "help"})
    add(BEN, "what can you do?", {"intent": "help"})


def lookups(lines: Lines, f: DemoFacts) -> None:
    """The data dictionary: owners, targets, definitions, search."""
    add = lambda who, q, facts: lines.add("demo-lookup", who, q, facts)  # noqa: E731
    add(BEN, "Who owns temporary accommodation?", f.owner("TEMP_ACCOMMODATION"))
    add(BEN, "who do I talk to about NEET figures", f.owner("NEET"))
    add(BEN, "who's responsible for the recycling rate", f.owner("RECYCLING_RATE"))
    add(FARID, "who is the lead officer for fly tipping?", f.owner("FLY_TIPPING"))
    add(BEN, "owner of the claimant rate", f.owner("CLAIMANT_RATE"))
    add(BEN, "who looks after sickness absence", f.owner("SICKNESS_DAYS"))
    add(BEN, "who owns KSI", f.owner("KSI"))
    add(BEN, "who should I ask about council tax collection", f.owner("COUNCIL_TAX_COLLECTION"))
    add(ZOE, "who reports the foi figures", f.owner("FOI_ON_TIME"))
    add(BEN, "whose kpi is child poverty", f.owner("CHILD_POVERTY"))
    add(BEN, "who is accountable for library visits", f.owner("LIBRARY_VISITS"))
    add(BEN, "What is the target for staff retention this year?", f.target("STAFF_RETENTION"))
    add(BEN, "target for neet", f.target("NEET"))
    add(BEN, "whats the target for unemployment", f.target("CLAIMANT_RATE"))
    add(BEN, "what are we aiming for on recycling this year", f.target("RECYCLING_RATE"))
    add(BEN, "council tax collection target 2026/27", f.target("COUNCIL_TAX_COLLECTION"))
    add(BEN, "what was the target for crime in 2025/26", f.target("CRIME_RATE", "2025/26"))
    add(BEN, "target for the budget variation", f.target("BUDGET_VARIATION"))
    add(BEN, "what's the temporary accommodation target", f.target("TEMP_ACCOMMODATION"))
    add(BEN, "what target do we have for sickness days", f.target("SICKNESS_DAYS"))
    add(BEN, "homelessness prevention target for last year", f.target("HOMELESS_PREVENTIONS", "2025/26"))
    add(BEN, "What does KSI mean?", f.definition("KSI"))
    add(BEN, "what is NEET", f.definition("NEET"))
    add(BEN, "define reablement", f.definition("REABLEMENT_91"))
    add(BEN, "what does CLA stand for", f.definition("CLA_RATE"))
    add(BEN, "how is the claimant count rate defined?", f.definition("CLAIMANT_RATE"))
    add(FARID, "what does satod mean", f.definition("SMOKING_DELIVERY"))
    add(BEN, "explain the residual waste indicator", f.definition("RESIDUAL_WASTE"))
    add(BEN, "what's NNDR", f.definition("BUSINESS_RATES_COLLECTION"))
    add(BEN, "definition of early help", f.definition("EARLY_HELP"))
    add(BEN, "what does the ncmp measure", f.definition("OBESITY_Y6"))
    add(BEN, "Which indicators do we have about housing?", f.search("TEMP_ACCOMMODATION", "HOMELESS_PREVENTIONS", "NEW_HOMES"))
    add(BEN, "what measures do we have on waste", f.search("RECYCLING_RATE", "RESIDUAL_WASTE"))
    add(BEN, "list the children's services indicators",
        f.search("CHILD_POVERTY", "NEET", "KS2_RWM", "GOOD_SCHOOLS", "CLA_RATE", "EARLY_HELP", "CARE_LEAVERS_NEET"))
    add(BEN, "what indicators are there about schools", f.search("KS2_RWM", "GOOD_SCHOOLS"))
    add(BEN, "any measures on life expectancy?", f.search("LIFE_EXP_MALE", "LIFE_EXP_FEMALE"))
    add(BEN, "which kpis cover roads", f.search("KSI", "ROAD_CONDITION"))
    add(BEN, "indicators about adult social care", f.search("ASC_CLIENTS", "REABLEMENT_91", "RES_ADMISSIONS_65"))
    add(BEN, "What do we measure about finance?", f.search("COUNCIL_TAX_COLLECTION", "BUSINESS_RATES_COLLECTION",
                                                            "BUDGET_VARIATION", "CAPITAL_SPEND"))
    add(RACHEL, "what kpis do I own", {"intent": "search", "includes": ["CLAIMANT_RATE", "EMPLOYMENT_RATE", "PLANNING_MAJOR"]})
    add(NIKHIL_W, "who owns the employment rate", f.owner("EMPLOYMENT_RATE"))


def demo_lines() -> Lines:
    """Every demo question."""
    lines = Lines("demo")
    facts = DemoFacts(DemoCouncil())
    for section in (values, comparisons, trends, rankings, statuses, profiles, lookups):
        section(lines, facts)
    return lines
