"""Charts for chat: an answer's data in, a small PNG with alt text out.

Four kinds — trend, comparison, ranking and scorecard — each with a `*_figure(data)` that builds
the matplotlib `Figure` (object-oriented API on the Agg canvas, no pyplot) and a `render_*(data)`
that returns a `Chart` (PNG bytes, alt text, title). The inputs are the plain dataclasses of
`charts.data`, so this package does not depend on the store.
"""
from charts.comparison import comparison_figure, render_comparison
from charts.data import (
    Bar, Chart, ComparisonData, Point, RankingData, ScorecardData, Series, TargetSpan, TrendData,
)
from charts.ranking import ranking_figure, render_ranking
from charts.scorecard import render_scorecard, scorecard_figure
from charts.trend import render_trend, trend_figure

__all__ = [
    "Bar", "Chart", "ComparisonData", "Point", "RankingData", "ScorecardData", "Series",
    "TargetSpan", "TrendData", "comparison_figure", "ranking_figure", "render_comparison",
    "render_ranking", "render_scorecard", "render_trend", "scorecard_figure", "trend_figure",
]
