"""The turns of each corpus conversation on the demo council: (asker, [(question, expected facts)])."""
from __future__ import annotations

from typing import Any

from tests.corpus.data import COUNCIL, ENGLAND, REGION
from tests.corpus.demo_questions import (BILSTON_N, BILSTON_S, BIRMINGHAM, DUDLEY, EAST_PARK, GRAISELEY, HEATH_TOWN,
                                         OXLEY, PARK, PENN, SANDWELL, TETTENHALL_R, TETTENHALL_W, WALSALL,
                                         WEDNESFIELD_N, WEDNESFIELD_S)
from tests.corpus.expect import BEN, FARID, IMRAN, PATEL, ZOE, DemoFacts, ask, only, refuse

EDDIE = "eddie.jones@demo-council.example"  # a Governance officer who may not submit FOI

Turns = list[tuple[str, dict[str, Any]]]


def chart(facts: dict[str, Any]) -> dict[str, Any]:
    """The same facts, drawn as a chart."""
    return {**facts, "chart": True}


def CONVERSATIONS(f: DemoFacts) -> list[tuple[str, Turns]]:  # noqa: N802 - a table
    """Every conversation."""
    return [
        (BEN, [  # the direct-message conversation, and more unrelated questions after it
            ("NEET in Sandwell vs Dudley", f.compare("NEET", [SANDWELL, DUDLEY])),
            ("how many homes were built last year", f.value("NEW_HOMES", period="2025/26")),
            ("what did we score on FOIs in October", f.value("FOI_ON_TIME", period="2026-10")),
            ("who owns temporary accommodation?", f.owner("TEMP_ACCOMMODATION")),
            ("unemployment in Narnia", refuse("narnia")),
            ("Which measures are red?", f.red()),
            ("child poverty in Heath Town", f.value("CHILD_POVERTY", HEATH_TOWN)),
            ("what's the weather in Penn", refuse("weather")),
            ("is crime going up?", f.trend("CRIME_RATE")),
            ("recycling rate Q1 2025/26", f.value("RECYCLING_RATE", period="2025/26 Q1")),
            ("what does KSI mean?", f.definition("KSI")),
            ("population of penn", f.value("POPULATION", PENN)),
        ]),
        (FARID, [  # a ward councillor's morning
            ("unemployment in my ward vs region", f.compare("CLAIMANT_RATE", [PARK, REGION])),
            ("and for Penn?", f.compare("CLAIMANT_RATE", [PENN, REGION])),
            ("as a chart", chart(f.compare("CLAIMANT_RATE", [PENN, REGION]))),
            ("who do I talk to about NEET figures", f.owner("NEET")),
            ("how many people live in Penn?", f.value("POPULATION", PENN)),
            ("crime in park", f.value("CRIME_RATE", PARK)),
            ("what's the capital of england", refuse()),
            ("child poverty in my ward", f.value("CHILD_POVERTY", PARK)),
            ("what about last year?", f.value("CHILD_POVERTY", PARK, "2024/25")),
            ("top 5 wards for fly tipping last month", f.rank("FLY_TIPPING", True, top=5, period="2026-10")),
            ("what is the target for staff retention this year?", f.target("STAFF_RETENTION")),
            ("unemployment in Bilston", ask(BILSTON_N, BILSTON_S)),
        ]),
        (BEN, [  # the leader's briefing: each question names its own subject
            ("whats the unemployment rate", f.value("CLAIMANT_RATE")),
            ("Compare our employment rate with Birmingham and Walsall",
             f.compare("EMPLOYMENT_RATE", [COUNCIL, BIRMINGHAM, WALSALL])),
            ("house prices in Penn", refuse("house prices")),
            ("year 6 obesity vs the west midlands and england", f.compare("OBESITY_Y6", [COUNCIL, REGION, ENGLAND])),
            ("rank the west midlands councils on council tax collection",
             f.rank("COUNCIL_TAX_COLLECTION", True, f.demo.councils())),
            ("how's city housing getting on", f.red("City Housing")),
            ("male life expectancy", f.value("LIFE_EXP_MALE")),
            ("unemployment in December 2027", refuse("2027")),
            ("library visits in september 2026", f.value("LIBRARY_VISITS", period="2026-09")),
            ("which ward has the highest crime rate?", f.rank("CRIME_RATE", True, top=1)),
            ("sickness absence", f.value("SICKNESS_DAYS")),
            ("fly tipping in Birmingham", refuse("birmingham")),
        ]),
        (PATEL, [  # Heath Town's councillor, with typos
            ("jobless rate heath town", f.value("CLAIMANT_RATE", HEATH_TOWN)),
            ("compared with england", f.compare("CLAIMANT_RATE", [HEATH_TOWN, ENGLAND])),
            ("child poverty trend heath town", f.trend("CHILD_POVERTY", HEATH_TOWN)),
            ("unemplyment in tettenhal regis", f.value("CLAIMANT_RATE", TETTENHALL_R)),
            ("how many residents are there in Oxley?", f.value("POPULATION", OXLEY)),
            ("crime in Birmingham vs Manchester", only("manchester", BIRMINGHAM)),
            ("who owns ksi", f.owner("KSI")),
            ("life expectancy for women in Heath Town compared to Wolverhampton",
             f.compare("LIFE_EXP_FEMALE", [HEATH_TOWN, COUNCIL])),
            ("tell me a joke", refuse()),
            ("which wards have the least child poverty?", f.rank("CHILD_POVERTY", False, top=3)),
            ("crime in Tettenhall", ask(TETTENHALL_R, TETTENHALL_W)),
        ]),
        (IMRAN, [  # a director on Children's Services
            ("How is Children's Services doing?", f.red("Children's Services")),
            ("whats the neet figure", f.value("NEET")),
            ("neet vs england", f.compare("NEET", [COUNCIL, ENGLAND])),
            ("ks2 results", f.value("KS2_RWM")),
            ("what about last year?", f.value("KS2_RWM", period="2024/25")),
            ("how many looked after children per 10,000", f.value("CLA_RATE")),
            ("female recycling rate", refuse()),
            ("who owns child poverty", f.owner("CHILD_POVERTY")),
            ("which 5 wards have the most child poverty", f.rank("CHILD_POVERTY", True, top=5, count=5)),
            ("care leavers NEET vs the west mids", f.compare("CARE_LEAVERS_NEET", [COUNCIL, REGION])),
            ("unemployment in Atlantis", refuse("atlantis")),
            ("define reablement", f.definition("REABLEMENT_91")),
        ]),
        (ZOE, [  # the performance team checking the scorecard
            ("show me the red indicators", f.red()),
            ("what's the target for the budget variation", f.target("BUDGET_VARIATION")),
            ("residual waste per household vs england", f.compare("RESIDUAL_WASTE", [COUNCIL, ENGLAND])),
            ("claimant rate for Wednesfield", ask(WEDNESFIELD_N, WEDNESFIELD_S)),
            ("foi response times", f.value("FOI_ON_TIME")),
            ("complaints on time last month", f.value("COMPLAINTS_ON_TIME", period="2026-10")),
            ("is staff retention improving?", f.trend("STAFF_RETENTION")),
            ("who won the football last night", refuse("football")),
            ("council tax collection rate", f.value("COUNCIL_TAX_COLLECTION")),
            ("which governance measures are red", f.red("Governance")),
            ("NEET in March 2027", refuse("2027")),
        ]),
        (BEN, [  # short, lower case, no question marks
            ("crime rate", f.value("CRIME_RATE")),
            ("recycling", f.value("RECYCLING_RATE")),
            ("neet", f.value("NEET")),
            ("child poverty", f.value("CHILD_POVERTY")),
            ("ks2", f.value("KS2_RWM")),
            ("unemployment in park", f.value("CLAIMANT_RATE", PARK)),
            ("weather", refuse("weather")),
            ("temporary accommodation", f.value("TEMP_ACCOMMODATION")),
            ("population of the west midlands", f.value("POPULATION", REGION)),
            ("bus journeys", f.value("BUS_JOURNEYS")),
            ("potholes", f.value("ROAD_CONDITION")),
            ("asb in oxley in august 2026", f.value("ASB_INCIDENTS", OXLEY, "2026-08")),
        ]),
        (FARID, [  # follow-ups mixed with fresh questions
            ("child poverty in Park", f.value("CHILD_POVERTY", PARK)),
            ("and for Penn?", f.value("CHILD_POVERTY", PENN)),
            ("what about last year?", f.value("CHILD_POVERTY", PENN, "2024/25")),
            ("how does park compare with england on unemployment", f.compare("CLAIMANT_RATE", [PARK, ENGLAND])),
            ("and Graiseley?", f.compare("CLAIMANT_RATE", [GRAISELEY, ENGLAND])),
            ("is fly tipping rising", f.trend("FLY_TIPPING")),
            ("neet in my ward", refuse("park")),
            ("what's the recycling rate", f.value("RECYCLING_RATE")),
            ("compared with the region", f.compare("RECYCLING_RATE", [COUNCIL, REGION])),
            ("crime in East Park", f.value("CRIME_RATE", EAST_PARK)),
            ("Bilston South", f.value("CRIME_RATE", BILSTON_S)),
            ("what's the price of a pint in Wolverhampton", refuse()),
        ]),
        (EDDIE, [  # an officer whose submission is refused: it must not colour what follows
            ("submit 80 for FOI October 2026", {"intent": "submit", "indicator": "FOI_ON_TIME", "period": "2026-10",
                                                "refused": True}),
            ("whats the neet figure", f.value("NEET")),
            ("who owns FOI?", f.owner("FOI_ON_TIME")),
            ("complaints on time last month", f.value("COMPLAINTS_ON_TIME", period="2026-10")),
            ("unemployment in Qwertyton", refuse("qwertyton")),
            ("what does KSI mean?", f.definition("KSI")),
            ("crime in Bushbury", ask("E05014841", "E05014842")),
            ("staff retention", f.value("STAFF_RETENTION")),
            ("which measures are red?", f.red()),
            ("recycling wolverhampton vs england", f.compare("RECYCLING_RATE", [COUNCIL, ENGLAND])),
        ]),
        (BEN, [  # long, polite questions one after another
            ("Good morning, could you tell me what the latest claimant count rate is for the city, please?",
             f.value("CLAIMANT_RATE")),
            ("Thank you. Could you also let me know which ward has the highest crime rate at the moment?",
             f.rank("CRIME_RATE", True, top=1)),
            ("I'd be grateful if you could tell me who is responsible for the recycling rate.", f.owner("RECYCLING_RATE")),
            ("Would you mind telling me how many people live in Bilston North?", f.value("POPULATION", BILSTON_N)),
            ("Could you compare child poverty in Park and Penn for me, please?", f.compare("CHILD_POVERTY", [PARK, PENN])),
            ("Please could you tell me what the weather will be like tomorrow?", refuse("weather")),
            ("Might I ask which measures are currently red?", f.red()),
            ("Could you show me the trend in recycling since 2023, please?", f.trend("RECYCLING_RATE")),
            ("Would you be able to tell me the NEET rate in Birmingham?", f.value("NEET", BIRMINGHAM)),
            ("And lastly, what is the target for council tax collection this year?", f.target("COUNCIL_TAX_COLLECTION")),
        ]),
    ]
