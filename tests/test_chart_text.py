"""Text reaching matplotlib is drawn as written (issue 24, item 10): `$…$` in an indicator, place
or source name is not maths text, so every chart of it draws; and a chart that still fails is left
out with a line saying so, never the answer."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bot.core import charting
from bot.core.bot import Bot
from bot.core.messages import ChartReply, Message
from charts import (Bar, ComparisonData, Point, RankingData, ScorecardData, Series, TrendData, render_comparison,
                    render_ranking, render_scorecard, render_trend)
from charts.ranking_narrow import render_ranking_narrow

HOSTILE = r"Cost $x^{2}$ per \frac{1}{0} $$ head $"
POINTS = [Point(f"2026-0{m}", date(2026, m, 1), 4.0 + m / 10, "red") for m in range(1, 7)]


@pytest.mark.parametrize("draw", [
    lambda: render_trend(TrendData(HOSTILE, "%", 1, "lower_is_better", HOSTILE, POINTS, [],
                                   [Series(HOSTILE, POINTS)], HOSTILE, "2026-01 to 2026-06")),
    lambda: render_comparison(ComparisonData(HOSTILE, "%", 1, "lower_is_better", "2026-06", Bar(HOSTILE, 4.0, "A"),
                                             [Bar(f"{HOSTILE} {i}", 4.5 + i, str(i)) for i in range(3)], HOSTILE)),
    lambda: render_ranking(RankingData(HOSTILE, "%", 1, "lower_is_better", "2026-06",
                                       [Bar(f"{HOSTILE} {i}", float(i), str(i)) for i in range(30)], "3",
                                       [(HOSTILE, 4.0)], HOSTILE, HOSTILE)),
    lambda: render_ranking_narrow(RankingData(HOSTILE, "%", 1, "lower_is_better", "2026-06",
                                              [Bar(f"{HOSTILE} {i}", float(i), str(i)) for i in range(30)], "3",
                                              [(HOSTILE, 4.0)], HOSTILE, HOSTILE)),
    lambda: render_scorecard(ScorecardData(HOSTILE, HOSTILE, {"red": 2, "amber": 1, "green": 3, "none": 0},
                                           [HOSTILE, HOSTILE])),
], ids=["trend", "comparison", "ranking", "ranking-narrow", "scorecard"])
def test_maths_text_in_names_is_drawn_as_written(draw):
    chart = draw()
    assert chart.png.startswith(b"\x89PNG") and len(chart.png) > 5000
    assert "\\$" not in chart.alt_text  # the words people read are not escaped


@pytest.fixture
def bot(store) -> Bot:
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE indicator SET name = :n WHERE code = 'NEET'"), {"n": r"NEET $\sqrt{$ rate"})
    store.reload()
    return Bot(store, today=lambda: date(2026, 11, 27))


def test_a_trend_of_an_indicator_named_with_dollars_is_answered_with_its_chart(bot):
    answer = bot.answer(Message("NEET trend", None, "c"))
    assert [r for r in answer.replies if isinstance(r, ChartReply)] and r"NEET $\sqrt{$ rate" in answer.facts["answer"]


def test_a_chart_that_fails_is_left_out_with_a_line_saying_so(bot, monkeypatch):
    def broken(data):
        raise ValueError("matplotlib could not lay this out")
    monkeypatch.setattr(charting, "render", broken)
    answer = bot.answer(Message("NEET trend", None, "c"))
    assert not [r for r in answer.replies if isinstance(r, ChartReply)]
    assert "Went from" in answer.facts["answer"] and "The chart could not be drawn" in answer.facts["answer"]
    assert answer.facts["chart"] is False
