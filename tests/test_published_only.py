"""Questions on the national statistics as published, imported with no council dictionary: the
names, places and numbers come from the files alone (Trafford Data Lab, Fingertips, Nomis, DfE)."""
from __future__ import annotations

from datetime import date
from typing import Iterator

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message
from data_access.store import Store
from tests.conftest import REAL, _filled

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    for store in _filled(tmp_path_factory.mktemp("published"), lambda s: s.import_files([REAL])):
        yield Bot(store, today=lambda: TODAY)


def ask(bot: Bot, question: str) -> dict:
    return bot.answer(Message(question, None, question, channel="console"), render_charts=False).facts


def only_value(facts: dict) -> tuple[str, float]:
    [value] = facts["values"]
    return value["geography"], value["value"]


def test_wards_the_files_hold_figures_for_are_places(published):
    facts = ask(published, "unemployment rate in Stretford and Humphrey Park")
    assert only_value(facts) == ("E05015256", 4.2) and facts["period"] == "2026-03"
    ranked = ask(published, "which Trafford ward has the most claimants")
    assert ranked["ranked"][:2] == ["E05015253", "E05015247"] and "Trafford wards" in ranked["answer"]


def test_a_council_figure_is_taken_from_the_series_published_for_councils(published):
    facts = ask(published, "population of Trafford")
    assert only_value(facts) == ("E08000009", 235546.0) and facts["period"] == "2021"
    assert "Compared with the averages" not in facts["answer"]  # a count: a region is always bigger


def test_the_social_work_workforce_is_found_by_what_people_call_it(published):
    caseload = ask(published, "average caseload for social workers in Trafford in 2024")
    assert only_value(caseload) == ("E08000009", 13.7) and "*13.7*" in caseload["answer"]
    sick = ask(published, "social workers off sick in Trafford")
    assert sick["indicator"] == "ABSENCE_RATE_FTE" and only_value(sick) == ("E08000009", 1.7)


def test_national_rankings_of_councils_and_regions(published):
    vacancies = ask(published, "which council in England has the highest social worker vacancy rate")
    assert "councils in England" in vacancies["answer"] and len(vacancies["ranked"]) >= 140
    regions = ask(published, "rank the regions on population")
    assert regions["ranked"][:2] == ["E12000008", "E12000007"] and len(regions["ranked"]) == 9  # no Inner/Outer London
    assert "highest first" in regions["answer"]
    north_west = ask(published, "which councils in the north west have the lowest agency rate fte")
    assert north_west["ranked"][0] == "E06000007"  # Warrington


@pytest.mark.parametrize("question, indicator, value", [
    ("social worker turnover rate in Trafford", "TURNOVER_RATE_FTE", None),
    ("campylobacter rate for 0-9 year olds in England", "CAMPYLOBACTER_INCIDENCE_RATE_100_000", None),
    ("How many residents does Manchester have?", "POPULATION_ESTIMATES", 549853.0),
    ("child poverty in trafford (relative low income)", "OF_CHILDREN_LIVING_IN_RELATIVE_LOW_INCOM_PERCENTAGE", None),
])
def test_published_names_found_from_everyday_words(published, question, indicator, value):
    facts = ask(published, question)
    assert facts["indicator"] == indicator and facts["values"]
    assert value is None or facts["values"][0]["value"] == value


def test_a_breakdown_of_a_count_nobody_publishes_is_refused(published):
    facts = ask(published, "how many women live in Trafford")
    assert facts["values"] == [] and facts["intent"] != "profile"
