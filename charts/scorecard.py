"""Scorecard: how many measures of a service, portfolio or the whole council are red, amber,
green or without a target, with the red ones named — the "health of the service" picture."""
from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from charts.data import Chart, ScorecardData
from charts.style import (
    FONT, INK, RAG_ORDER, RAG_STYLES, TEXT_SIZE, add_footnote, add_heading, footnote, new_axes,
    new_figure, shorten, source_note, to_chart,
)

MAX_NAMES = 9
_LEFT, _BOTTOM, _RIGHT, _LIST_LEFT, _NAMES_LEFT = 0.19, 0.1, 0.49, 0.54, 0.03


def scorecard_figure(data: ScorecardData) -> Figure:
    """Build (without rendering) the scorecard's figure."""
    fig = new_figure()
    counts = [int(data.counts.get(key, 0)) for key in RAG_ORDER]
    total = sum(counts)
    top = add_heading(fig, _title(data), f"{data.period_note} \u00b7 {_measures(total)}")
    ax = new_axes(fig, _LEFT, _BOTTOM, _RIGHT, top - 0.02)
    styles = [RAG_STYLES[key] for key in RAG_ORDER]
    bars = ax.barh(range(4), counts, height=0.66, color=[s.colour for s in styles],
                   edgecolor="white", linewidth=0, zorder=2)
    ax.set_ylim(3.5, -0.5)
    ax.set_xlim(0, max(counts + [1]) * 1.4)
    ax.spines["bottom"].set_visible(False)
    names = blended_transform_factory(fig.transFigure, ax.transData)
    for row, (bar, style, count) in enumerate(zip(bars, styles, counts)):
        bar.set_hatch(style.hatch)
        bar.set_edgecolor(style.hatch_colour)
        ax.text(_NAMES_LEFT, row, f"{style.symbol} {style.label}", transform=names, ha="left",
                va="center", fontsize=TEXT_SIZE + 1, color=INK, family=FONT)
        share = f"  ({count / total:.0%})" if total else ""
        ax.annotate(f"{count}{share}", (count, row), xytext=(4, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=11, fontweight="bold", color=INK, family=FONT)
    _red_list(fig, data, top)
    add_footnote(fig, footnote("RAG against each financial year's target.",
                               source_note(data.source)))
    return fig


def render_scorecard(data: ScorecardData) -> Chart:
    """Render the scorecard to PNG with its alt text."""
    return to_chart(scorecard_figure(data), f"{_title(data)} \u2014 {data.period_note}",
                    scorecard_alt_text(data))


def scorecard_alt_text(data: ScorecardData) -> str:
    """Say in words what the scorecard shows."""
    counts = {key: int(data.counts.get(key, 0)) for key in RAG_ORDER}
    total = sum(counts.values())
    parts = [f"Scorecard for {data.scope_name} ({data.period_note}): {_measures(total)},",
             f"{counts['red']} red, {counts['amber']} amber, {counts['green']} green and "
             f"{counts['none']} without a target."]
    if data.red_names:
        parts.append("Red: " + "; ".join(data.red_names) + ".")
    return " ".join(parts)


def _red_list(fig: Figure, data: ScorecardData, top: float) -> None:
    """The names of the red measures, as a list right of the bars."""
    red = RAG_STYLES["red"]
    names = list(data.red_names)
    count = int(data.counts.get("red", 0)) or len(names)
    heading = f"Red measures ({count})" if count else "No measures are red"
    fig.text(_LIST_LEFT, top, heading, ha="left", va="top", fontsize=11, fontweight="bold",
             color=INK, family=FONT)
    shown = names if len(names) <= MAX_NAMES else names[: MAX_NAMES - 1]
    lines = [f"{red.symbol}  {shorten(name, 38)}" for name in shown]
    if len(shown) < len(names):
        lines.append(f"\u2026 and {len(names) - len(shown)} more")
    if lines:
        fig.text(_LIST_LEFT, top - 30 / fig.bbox.height, "\n".join(lines), ha="left", va="top",
                 fontsize=TEXT_SIZE, color=INK, family=FONT, linespacing=1.6)


def _title(data: ScorecardData) -> str:
    return f"Performance health: {data.scope_name}"


def _measures(total: int) -> str:
    return f"{total} measure{'' if total == 1 else 's'}"
