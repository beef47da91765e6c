"""Charts for chat: an answer's data in, a small PNG with alt text out.

Four kinds — trend, comparison, ranking and scorecard — each with a `*_figure(data)` that builds
the matplotlib `Figure` (object-oriented API on the Agg canvas, no pyplot) and a `render_*(data)`
that returns a `Chart` (PNG bytes, alt text, title). The inputs are the plain dataclasses of
`charts.data`, so this package does not depend on the store.
"""
from importlib import import_module

from charts.data import (
    Bar, Chart, ComparisonData, Point, RankingData, ScorecardData, Series, TargetSpan, TrendData,
)

# The drawing modules load matplotlib (a second or more): they are imported on first use, so a
# process that answers without drawing (`perfbot ask`, the scheduler) never pays for it.
_DRAWING = {"comparison_figure": "comparison", "render_comparison": "comparison", "ranking_figure": "ranking",
            "render_ranking": "ranking", "render_scorecard": "scorecard", "scorecard_figure": "scorecard",
            "render_trend": "trend", "trend_figure": "trend"}

__all__ = [
    "Bar", "Chart", "ComparisonData", "Point", "RankingData", "ScorecardData", "Series",
    "TargetSpan", "TrendData", "comparison_figure", "ranking_figure", "render_comparison",
    "render_ranking", "render_scorecard", "render_trend", "scorecard_figure", "trend_figure",
]


def __getattr__(name: str):
    """A drawing function, its module imported now."""
    if name in _DRAWING:
        return getattr(import_module(f"charts.{_DRAWING[name]}"), name)
    raise AttributeError(f"module 'charts' has no attribute {name!r}")
