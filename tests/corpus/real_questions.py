"""Questions on real published data with Trafford (E08000009) as the council: the Trafford Data
Lab extracts and ONS lookup in tests/data/real, and the Fingertips, Nomis and DfE extracts
(questions on those carry `needs`: the runner asks them once the files are in tests/data/real).
Nobody in a people table asks them (`as` is null). Imported series have codes made up at import,
so the indicator is checked by words of its name (`indicator_like`) and its unit."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.corpus.data import ENGLAND, REAL, TRAFFORD, RealData, Series, dfe, fingertips, nomis
from tests.corpus.expect import Lines, value_facts

NORTH_WEST, STOCKPORT, BURY, SOLIHULL, WARRINGTON = "E12000002", "E08000007", "E08000002", "E08000029", "E06000007"
MANCHESTER = "E08000003"
RAW = Path(os.environ.get("PERFBOT_REAL_DATA", REAL))  # the published files, wherever they are kept


def like(words: str, unit: str | None = None) -> dict[str, Any]:
    """The indicator by words of its name (and its unit)."""
    return {"indicator_like": words, **({"unit": unit} if unit else {})}


class RealFacts:
    """Expected facts on the real data."""

    def __init__(self, data: RealData) -> None:
        self.data = data

    def facts(self, series: Series, key: str, places: list[str], indicator: dict[str, Any], period: str | None = None,
              breakdown: str = "", intent: str = "value") -> dict[str, Any]:
        """A value or comparison of one series."""
        facts = {**value_facts(series, key, places, period, breakdown, intent), **indicator}
        if breakdown:
            facts["breakdown"] = breakdown
        return facts

    def group(self, series: Series, key: str, group: list[str], indicator: dict[str, Any]) -> dict[str, Any]:
        """Trafford against a comparator group: every member with a value at Trafford's newest period."""
        period = series.latest(key, [TRAFFORD])
        members = [code for code in group if series.at(key, code, period) is not None]
        facts = self.facts(series, key, [TRAFFORD, *members], indicator, period, intent="compare")
        del facts["geographies"]
        return facts


def trafford_files(lines: Lines, f: RealFacts) -> None:
    """Questions on the Trafford Data Lab extracts."""
    d, s = f.data, f.data.series
    rate = d.key("claimant_count", "Percentage")
    count = d.key("claimant_count", "Count")
    claim_rate, claim_count = like("claimant", "%"), like("claimant", "count")
    ward = d.code
    value = lambda q, facts: lines.add("real-value", None, q, facts)  # noqa: E731
    compare = lambda q, facts: lines.add("real-compare", None, q, facts)  # noqa: E731
    rank = lambda q, facts: lines.add("real-rank", None, q, facts)  # noqa: E731

    value("claimant count rate in Trafford", f.facts(s, rate, [TRAFFORD], claim_rate))
    value("what percentage of working age people are claiming in trafford", f.facts(s, rate, [TRAFFORD], claim_rate))
    value("how many people are claiming in Trafford", f.facts(s, count, [TRAFFORD], claim_count))
    value("number of claimants in trafford", f.facts(s, count, [TRAFFORD], claim_count))
    value("how many people are claiming in Stretford & Humphrey Park",
          f.facts(s, count, [ward("Stretford & Humphrey Park")], claim_count))
    value("how many people are claiming in Stretford and Humphrey Park",
          f.facts(s, count, [ward("Stretford & Humphrey Park")], claim_count))
    value("claimant rate Old Trafford", f.facts(s, rate, [ward("Old Trafford")], claim_rate))
    value("unemployment rate in Bucklow St Martins", f.facts(s, rate, [ward("Bucklow-St Martins")], claim_rate))
    value("claimants in Gorse Hill and Cornbrook", f.facts(s, count, [ward("Gorse Hill & Cornbrook")], claim_count))
    value("claimant count rate in Trafford in March 2024", f.facts(s, rate, [TRAFFORD], claim_rate, "2024-03"))
    value("number of people claiming in England", f.facts(s, count, [ENGLAND], claim_count))
    value("claimant rate in stockport", f.facts(s, rate, [STOCKPORT], claim_rate))
    value("deprivation score for Old Trafford",
          f.facts(s, d.key("index_of_multiple_deprivation", "Weighted Score"), [ward("Old Trafford")],
                  like("multiple deprivation")))
    value("IMD score in Hale", f.facts(s, d.key("index_of_multiple_deprivation", "Weighted Score"), [ward("Hale")],
                                       like("multiple deprivation")))
    value("income deprivation affecting children in Longford",
          f.facts(s, d.key("income_deprivation_children", "Percentage"), [ward("Longford")], like("income deprivation")))
    value("how many people live in Altrincham",
          f.facts(s, d.key("total_resident_population", "Count"), [ward("Altrincham")], like("population")))
    value("population of urmston ward", f.facts(s, d.key("total_resident_population", "Count"), [ward("Urmston")],
                                              like("population")))
    value("what share of households in Stretford & Humphrey Park have no car",
          f.facts(s, d.key("households_with_no_car", "Percentage"), [ward("Stretford & Humphrey Park")], like("car")))
    value("social rented housing in Sale Moor", f.facts(s, d.key("social_rented_housing", "Percentage"),
                                                        [ward("Sale Moor")], like("social rented")))
    value("people in bad health in Bucklow-St Martins",
          f.facts(s, d.key("general_health_bad_or_very_bad", "Percentage"), [ward("Bucklow-St Martins")], like("health")))
    value("employment rate in trafford", f.facts(s, d.key("employment_rate", "Percentage"), [TRAFFORD], like("employment")))
    value("Trafford recycling rate", f.facts(s, d.key("household_waste_recycling", "Percentage"), [TRAFFORD],
                                             like("recycling", "%")))
    value("recycling in trafford in 2019/20", f.facts(s, d.key("household_waste_recycling", "Percentage"), [TRAFFORD],
                                                      like("recycling", "%"), "2019/20"))
    value("NEET in Trafford", f.facts(s, d.key("neet", "Percentage",
                                              "Not in education, employment or training (NEET)(16-17 years old)"),
                                      [TRAFFORD], like("neet")))
    value("ks2 reading writing and maths in trafford", f.facts(s, d.key("expected_standard_ks2", "Percentage"),
                                                               [TRAFFORD], like("key stage 2")))
    value("year 6 obesity in Trafford",
          f.facts(s, d.key("obese_year6", "Percentage", "Year 6 prevalence of obesity (including severe obesity)"),
                  [TRAFFORD], like("obesity")))
    value("major planning applications decided on time in Trafford",
          f.facts(s, d.key("planning_applications_major", "Percentage"), [TRAFFORD], like("planning")))
    value("care home admissions for over 65s in trafford",
          f.facts(s, d.key("admissions_care_homes_65p", "Rate per 100,000 aged 65+"), [TRAFFORD], like("admissions")))
    value("child poverty in trafford (relative low income)",
          f.facts(s, d.key("children_poverty", "Percentage", "% of children living in relative low income families: Aged 0-15"),
                  [TRAFFORD], like("relative low income")))
    value("children in absolute low income families in Trafford",
          f.facts(s, d.key("children_poverty", "Percentage", "% of children living in absolute low income families: Aged 0-15"),
                  [TRAFFORD], like("absolute low income")))
    value("child poverty in Old Trafford ward",
          f.facts(s, d.key("children_poverty", "Percentage", "Children in relative low income families (under 16s)"),
                  [ward("Old Trafford")], like("low income")))

    value("Claimants as a proportion of residents aged 16-64 in Davyhulme", f.facts(s, rate, [ward("Davyhulme")], claim_rate))
    value("what % of people claim in flixton", f.facts(s, rate, [ward("Flixton")], claim_rate))
    value("unemployment in Sale Central", f.facts(s, rate, [ward("Sale Central")], claim_rate))
    value("claimant count rate, Timperley North", f.facts(s, rate, [ward("Timperley North")], claim_rate))
    value("How many claimants are there in Hale Barns and Timperley South?",
          f.facts(s, count, [ward("Hale Barns & Timperley South")], claim_count))
    value("number of people on the claimant count in Lostock & Barton", f.facts(s, count, [ward("Lostock & Barton")],
                                                                                claim_count))
    value("IMD Bucklow St Martins", f.facts(s, d.key("index_of_multiple_deprivation", "Weighted Score"),
                                            [ward("Bucklow-St Martins")], like("multiple deprivation")))
    value("how many people live in Gorse Hill & Cornbrook",
          f.facts(s, d.key("total_resident_population", "Count"), [ward("Gorse Hill & Cornbrook")], like("population")))
    value("households without a car in old trafford",
          f.facts(s, d.key("households_with_no_car", "Percentage"), [ward("Old Trafford")], like("car")))
    value("claimant rate in trafford in september 2023", f.facts(s, rate, [TRAFFORD], claim_rate, "2023-09"))
    value("claimant count in Trafford in the latest month", f.facts(s, count, [TRAFFORD], claim_count))
    value("trafford's employment rate for apr 2024-mar 2025",
          f.facts(s, d.key("employment_rate", "Percentage"), [TRAFFORD], like("employment"), "Apr 2024-Mar 2025"))
    value("recycling in Bury", f.facts(s, d.key("household_waste_recycling", "Percentage"), [BURY], like("recycling", "%")))
    value("how much household waste did trafford recycle (tonnes)",
          f.facts(s, d.key("household_waste_recycling", "Frequency"), [TRAFFORD], like("recycling", "count")))
    compare("claimant rate trafford vs england", f.facts(s, rate, [TRAFFORD, ENGLAND], claim_rate, intent="compare"))
    compare("how does Trafford's unemployment compare with England?",
            f.facts(s, rate, [TRAFFORD, ENGLAND], claim_rate, intent="compare"))
    compare("claimant count: Trafford against England", f.facts(s, rate, [TRAFFORD, ENGLAND], claim_rate, intent="compare"))
    compare("claimant count in Old Trafford compared with Trafford",
            f.facts(s, rate, [ward("Old Trafford"), TRAFFORD], claim_rate, intent="compare"))
    compare("how many people claim in Urmston vs England",
            f.facts(s, rate, [ward("Urmston"), ENGLAND], claim_rate, intent="compare"))
    compare("claimant rate Altrincham v Hale", f.facts(s, rate, [ward("Altrincham"), ward("Hale")], claim_rate,
                                                        intent="compare"))
    compare("claimant rate trafford vs our cipfa neighbours", f.group(s, rate, d.cipfa, claim_rate))
    compare("Trafford vs Stockport and Bury on claimant rate",
            f.facts(s, rate, [TRAFFORD, STOCKPORT, BURY], claim_rate, intent="compare"))
    employment = d.key("employment_rate", "Percentage")
    compare("employment rate compared with england", f.facts(s, employment, [TRAFFORD, ENGLAND], like("employment"),
                                                            intent="compare"))
    compare("employment rate vs CIPFA nearest neighbours", f.group(s, employment, d.cipfa, like("employment")))
    recycling = d.key("household_waste_recycling", "Percentage")
    compare("recycling trafford v england", f.facts(s, recycling, [TRAFFORD, ENGLAND], like("recycling", "%"),
                                                    intent="compare"))
    compare("how does our recycling compare to our cipfa neighbours", f.group(s, recycling, d.cipfa, like("recycling", "%")))
    compare("recycling rate Trafford, Stockport, Warrington",
            f.facts(s, recycling, [TRAFFORD, STOCKPORT, WARRINGTON], like("recycling", "%"), intent="compare"))
    neet = d.key("neet", "Percentage", "Not in education, employment or training (NEET)(16-17 years old)")
    compare("neet trafford vs england", f.facts(s, neet, [TRAFFORD, ENGLAND], like("neet"), intent="compare"))
    compare("NEET rate against statistical neighbours", f.group(s, neet, d.cssn, like("neet")))
    ks2 = d.key("expected_standard_ks2", "Percentage")
    compare("ks2 attainment trafford compared to england", f.facts(s, ks2, [TRAFFORD, ENGLAND], like("key stage 2"),
                                                                   intent="compare"))
    compare("KS2 results vs our children's services statistical neighbours", f.group(s, ks2, d.cssn, like("key stage 2")))
    planning = d.key("planning_applications_major", "Percentage")
    compare("planning major applications trafford vs england",
            f.facts(s, planning, [TRAFFORD, ENGLAND], like("planning"), intent="compare"))
    admissions = d.key("admissions_care_homes_65p", "Rate per 100,000 aged 65+")
    compare("care home admissions 65+ compared with cipfa neighbours", f.group(s, admissions, d.cipfa, like("admissions")))
    obesity = d.key("obese_year6", "Percentage", "Year 6 prevalence of obesity (including severe obesity)")
    compare("year 6 obesity trafford vs england", f.facts(s, obesity, [TRAFFORD, ENGLAND], like("obesity"), intent="compare"))
    imd = d.key("index_of_multiple_deprivation", "Weighted Score")
    compare("deprivation: Old Trafford compared with Hale", f.facts(s, imd, [ward("Old Trafford"), ward("Hale")],
                                                                    like("multiple deprivation"), intent="compare"))
    poverty = d.key("children_poverty", "Percentage", "% of children living in relative low income families: Aged 0-15")
    compare("relative child poverty trafford vs england", f.facts(s, poverty, [TRAFFORD, ENGLAND], like("relative low income"),
                                                                 intent="compare"))

    compare("claimant rate in Old Trafford vs Stretford & Humphrey Park",
            f.facts(s, rate, [ward("Old Trafford"), ward("Stretford & Humphrey Park")], claim_rate, intent="compare"))
    compare("Is unemployment in Bucklow-St Martins higher than in Trafford overall?",
            f.facts(s, rate, [ward("Bucklow-St Martins"), TRAFFORD], claim_rate, intent="compare"))
    compare("ks2 trafford v stockport", f.facts(s, ks2, [TRAFFORD, STOCKPORT], like("key stage 2"), intent="compare"))
    compare("employment rate trafford compared with solihull and stockport",
            f.facts(s, employment, [TRAFFORD, SOLIHULL, STOCKPORT], like("employment"), intent="compare"))
    compare("care home admissions trafford vs england", f.facts(s, admissions, [TRAFFORD, ENGLAND], like("admissions"),
                                                                 intent="compare"))
    compare("social rented housing: Old Trafford vs Hale",
            f.facts(s, d.key("social_rented_housing", "Percentage"), [ward("Old Trafford"), ward("Hale")],
                    like("social rented"), intent="compare"))
    rank("which ward has the highest claimant rate", _ranked(s, rate, d.wards(), claim_rate, 1))
    rank("which Trafford ward has the most claimants?", _ranked(s, count, d.wards(), claim_count, 1))
    rank("most deprived wards in trafford", _ranked(s, imd, d.wards(), like("multiple deprivation"), 3))
    rank("which ward has the most people", _ranked(s, d.key("total_resident_population", "Count"), d.wards(),
                                                  like("population"), 1))

    life = d.key("life_expectancy", "Life expectancy")
    breakdown = lambda q, facts: lines.add("real-breakdown", None, q, facts)  # noqa: E731
    breakdown("female life expectancy in Trafford", f.facts(s, life, [TRAFFORD], like("life expectancy"), breakdown="Female"))
    breakdown("life expectancy for women in trafford", f.facts(s, life, [TRAFFORD], like("life expectancy"), breakdown="Female"))
    breakdown("male life expectancy trafford", f.facts(s, life, [TRAFFORD], like("life expectancy"), breakdown="Male"))
    breakdown("How long can men in Trafford expect to live?", f.facts(s, life, [TRAFFORD], like("life expectancy"),
                                                                      breakdown="Male"))
    breakdown("female life expectancy trafford vs england",
              f.facts(s, life, [TRAFFORD, ENGLAND], like("life expectancy"), breakdown="Female", intent="compare"))
    breakdown("male life expectancy in Manchester", f.facts(s, life, [MANCHESTER], like("life expectancy"), breakdown="Male"))
    breakdown("life expectancy of men in Stockport compared with England",
              f.facts(s, life, [STOCKPORT, ENGLAND], like("life expectancy"), breakdown="Male", intent="compare"))
    breakdown("womens life expectancy in England", f.facts(s, life, [ENGLAND], like("life expectancy"), breakdown="Female"))
    breakdown("female life expectancy in Trafford in 2019 - 21",
              f.facts(s, life, [TRAFFORD], like("life expectancy"), "2019 - 21", breakdown="Female"))
    breakdown("life expectancy at birth for females, Stockport", f.facts(s, life, [STOCKPORT], like("life expectancy"),
                                                                          breakdown="Female"))
    breakdown("male life expectancy in trafford compared with stockport and bury",
              f.facts(s, life, [TRAFFORD, STOCKPORT, BURY], like("life expectancy"), breakdown="Male", intent="compare"))
    breakdown("how long do women live in Manchester", f.facts(s, life, [MANCHESTER], like("life expectancy"),
                                                                breakdown="Female"))
    pooled = d.key("obese_year6", "Percentage",
                   "Year 6 prevalence of obesity (including severe obesity), 5 years data combined")
    for text, quintile in [("year 6 obesity in the most deprived quintile in Trafford", "Most deprived quintile"),
                           ("Year 6 obesity, least deprived quintile, Trafford", "Least deprived quintile"),
                           ("childhood obesity in trafford's most deprived areas (quintile)", "Most deprived quintile"),
                           ("obesity in year 6 for the second most deprived quintile", "Second most deprived quintile")]:
        breakdown(text, f.facts(s, pooled, [TRAFFORD], like("obesity"), breakdown=quintile))
    breakdown("year 6 obesity in the most deprived quintile, trafford vs england",
              f.facts(s, pooled, [TRAFFORD, ENGLAND], like("obesity"), breakdown="Most deprived quintile", intent="compare"))
    breakdown("most deprived quintile year 6 obesity in England",
              f.facts(s, pooled, [ENGLAND], like("obesity"), breakdown="Most deprived quintile"))


def _ranked(series: Series, key: str, places: list[str], indicator: dict[str, Any], top: int) -> dict[str, Any]:
    """The first `top` places by value, highest first (tied places grouped)."""
    period = series.latest(key, places[:1])
    having = sorted(((series.at(key, p, period), p) for p in places if series.at(key, p, period) is not None), reverse=True)
    order: list[Any] = []
    for number, (value, place) in enumerate(having):
        if len(order) >= top and having[number - 1][0] != value:
            break
        if number and having[number - 1][0] == value:
            last = order[-1] if isinstance(order[-1], list) else [order[-1]]
            order[-1] = sorted([*last, place])
        else:
            order.append(place)
    return {"intent": "rank", "period": period, "ranked": order, **indicator}


def national_files(lines: Lines, f: RealFacts) -> None:
    """Questions on the Fingertips, Nomis and DfE extracts (asked once those files are imported)."""
    def add(category: str, needs: str, q: str, facts: dict[str, Any]) -> None:
        lines.add(category, None, q, facts)["needs"] = needs

    if not (RAW / "fingertips").exists():
        raise SystemExit(f"no Fingertips, Nomis and DfE files in {RAW}: set PERFBOT_REAL_DATA to the folder holding them")
    campylobacter, campy = fingertips(RAW), like("campylobacter")
    add("real-value", "fingertips", "campylobacter rate in Trafford", f.facts(campylobacter, "93356", [TRAFFORD], campy))
    add("real-value", "fingertips", "campylobacter incidence in trafford in 2016",
        f.facts(campylobacter, "93356", [TRAFFORD], campy, "2016"))
    add("real-value", "fingertips", "what's the campylobacter rate in england", f.facts(campylobacter, "93356", [ENGLAND], campy))
    add("real-compare", "fingertips", "campylobacter Trafford vs North West",
        f.facts(campylobacter, "93356", [TRAFFORD, NORTH_WEST], campy, intent="compare"))
    add("real-compare", "fingertips", "campylobacter: trafford compared with england and the north west",
        f.facts(campylobacter, "93356", [TRAFFORD, ENGLAND, NORTH_WEST], campy, intent="compare"))
    add("real-compare", "fingertips", "campylobacter in Trafford and Stockport",
        f.facts(campylobacter, "93356", [TRAFFORD, STOCKPORT], campy, intent="compare"))
    add("real-breakdown", "fingertips", "campylobacter in children under 10 in Trafford",
        f.facts(campylobacter, "93356", [TRAFFORD], campy, breakdown="0-9 yrs"))
    add("real-breakdown", "fingertips", "campylobacter rate for 0-9 year olds in England",
        f.facts(campylobacter, "93356", [ENGLAND], campy, breakdown="0-9 yrs"))
    add("refuse-breakdown", "fingertips", "female campylobacter rate in Trafford", {"refuse": True})
    add("refuse-breakdown", "fingertips", "campylobacter in Trafford's most deprived decile", {"refuse": True})

    population, pop = nomis(RAW), like("population")
    add("real-value", "nomis", "population of Trafford", f.facts(population, "population", [TRAFFORD], pop))
    add("real-value", "nomis", "how many people live in Stockport", f.facts(population, "population", [STOCKPORT], pop))
    add("real-value", "nomis", "north west population", f.facts(population, "population", [NORTH_WEST], pop))
    add("real-value", "nomis", "How many residents does Manchester have?", f.facts(population, "population", [MANCHESTER], pop))
    add("refuse-breakdown", "nomis", "how many women live in Trafford", {"refuse": True})
    add("refuse-breakdown", "nomis", "population aged 65 and over in Trafford", {"refuse": True})

    workforce, _ = dfe(RAW)
    for q, measure, words, places in [
            ("social worker turnover rate in Trafford", "turnover_rate_fte", "turnover", [TRAFFORD]),
            ("children's social worker turnover trafford vs england", "turnover_rate_fte", "turnover", [TRAFFORD, ENGLAND]),
            ("agency social worker rate in trafford", "agency_rate_fte", "agency", [TRAFFORD]),
            ("social worker vacancy rate Trafford compared with the North West", "vacancy_rate_fte", "vacancy",
             [TRAFFORD, NORTH_WEST]),
            ("average caseload of children's social workers in trafford", "caseload_fte", "caseload", [TRAFFORD]),
            ("social worker caseloads: Trafford v Stockport", "caseload_fte", "caseload", [TRAFFORD, STOCKPORT]),
            ("social worker vacancy rate in England in 2024", "vacancy_rate_fte", "vacancy", [ENGLAND]),
            ("social worker absence rate trafford", "absence_rate_fte", "absence", [TRAFFORD])]:
        period = "2024" if "2024" in q else None
        intent = "compare" if len(places) > 1 else "value"
        add(f"real-{intent}", "dfe", q, f.facts(workforce, measure, places, like(words), period, intent=intent))


def real_conversations(f: RealFacts) -> list[tuple[None, list[tuple[str, dict[str, Any]]]]]:
    """Conversations on the real data: unrelated questions in a row, and true follow-ups."""
    d, s = f.data, f.data.series
    rate, count = d.key("claimant_count", "Percentage"), d.key("claimant_count", "Count")
    claim_rate, claim_count = like("claimant", "%"), like("claimant", "count")
    life = d.key("life_expectancy", "Life expectancy")
    recycling = d.key("household_waste_recycling", "Percentage")
    imd = d.key("index_of_multiple_deprivation", "Weighted Score")
    old, stretford, hale = d.code("Old Trafford"), d.code("Stretford & Humphrey Park"), d.code("Hale")
    return [
        (None, [
            ("claimant count rate in Trafford", f.facts(s, rate, [TRAFFORD], claim_rate)),
            ("and for Old Trafford?", f.facts(s, rate, [old], claim_rate)),
            ("compared with England", f.facts(s, rate, [old, ENGLAND], claim_rate, intent="compare")),
            ("female life expectancy in Trafford", f.facts(s, life, [TRAFFORD], like("life expectancy"), breakdown="Female")),
            ("what's the weather in Altrincham", {"refuse": True, "mentions": "weather"}),
            ("deprivation score for Old Trafford", f.facts(s, imd, [old], like("multiple deprivation"))),
            ("and Hale?", f.facts(s, imd, [hale], like("multiple deprivation"))),
            ("recycling trafford v england", f.facts(s, recycling, [TRAFFORD, ENGLAND], like("recycling", "%"),
                                                     intent="compare")),
            ("claimant rate in Narnia", {"refuse": True, "mentions": "narnia"}),
            ("how many people are claiming in Stretford & Humphrey Park", f.facts(s, count, [stretford], claim_count)),
            ("life expectancy in Old Trafford", {"refuse": True, "mentions": "old trafford"}),
            ("male life expectancy trafford", f.facts(s, life, [TRAFFORD], like("life expectancy"), breakdown="Male")),
        ]),
    ]


def real_lines() -> Lines:
    """Every real-data question."""
    lines = Lines("real")
    facts = RealFacts(RealData())
    trafford_files(lines, facts)
    national_files(lines, facts)
    return lines
