"""The ranking chart drawn for a narrow screen (a phone, about 350 px across): tall rather than wide,
each place's rank and name on a line of its own above its bar, so names are never squeezed into a
column beside the bars and text stays about as large as the chat's own when the PNG is shown at
that width. The same data, marks and highlight as charts/ranking.py; values at the bars' ends."""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from charts.data import Chart, RankingData
from charts.ranking import _REFERENCE_STYLES, _is_highlight, _subtitle, as_dots, ranking_alt_text, shown_rows
from charts.style import (DPI, FONT, GRID, INK, MUTED, OTHER, SUBJECT, axis_label, footnote, format_value,
                          polarity_note, source_note, to_chart, wrap)

WIDTH_PX = 420
ROW_PX, HEAD_PX, LEGEND_ROW_PX, FOOT_PX = 40, 70, 20, 56
NAME_SIZE, VALUE_SIZE, TITLE_SIZE, SMALL_SIZE = 12.0, 12.0, 14.0, 10.5
LEFT, RIGHT = 10, 12  # pixels of margin


def narrow_ranking_figure(data: RankingData) -> Figure:
    """Build (without rendering) the tall ranking figure."""
    rows = shown_rows(data)
    title = wrap(data.indicator_name, 38, 2)
    head = HEAD_PX + 18 * title.count("\n") + LEGEND_ROW_PX * len(data.reference)
    height = head + ROW_PX * len(rows) + FOOT_PX
    fig = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)

    def at(x_px: float, y_px: float) -> tuple[float, float]:
        """Figure fractions for a point given in pixels from the top left."""
        return x_px / WIDTH_PX, 1 - y_px / height

    fig.text(*at(LEFT, 8), title, ha="left", va="top", fontsize=TITLE_SIZE, fontweight="bold", color=INK, family=FONT)
    fig.text(*at(LEFT, 14 + 22 * (title.count("\n") + 1)), wrap(_subtitle(data), 48, 1), ha="left", va="top",
             fontsize=SMALL_SIZE, color=MUTED, family=FONT)
    values = [bar.value for _, bar in rows if bar is not None and bar.value is not None]
    references = [value for _, value in data.reference]
    dots = as_dots(data)
    low = min(values + references) if dots else min([0.0, *values, *references])
    high = max([*values, *references, 0.0 if not dots else low + 1e-9])
    if dots:
        low -= (high - low) * 0.15 or 1.0
    top = head - 8
    ax = fig.add_axes((LEFT / WIDTH_PX, 1 - (top + ROW_PX * len(rows)) / height,
                       (WIDTH_PX - LEFT - RIGHT) / WIDTH_PX * 0.78, ROW_PX * len(rows) / height))
    ax.set_axis_off()
    ax.set_xlim(low, high if high > low else low + 1)
    ax.set_ylim(len(rows), 0)
    for (name, value), (colour, style) in zip(data.reference, _REFERENCE_STYLES):  # across the bars, not the names
        ax.vlines([value] * len(rows), [row + 0.48 for row in range(len(rows))], [row + 0.9 for row in range(len(rows))],
                  colors=colour, linestyles=style, linewidth=1.4, zorder=3)
    width = len(str(rows[-1][0])) if rows else 1
    for row, (rank, bar) in enumerate(rows):
        if bar is None:
            ax.text(low, row + 0.5, "\u22ee", va="center", fontsize=NAME_SIZE, color=INK, family=FONT)
            continue
        lit = _is_highlight(data, bar)
        weight = "bold" if lit else "normal"
        ax.text(low, row + 0.05, f"{rank:>{width}}. {bar.name}", va="top", ha="left", fontsize=NAME_SIZE,
                color=INK, fontweight=weight, family=FONT, clip_on=False, zorder=6)
        if bar.value is None:
            continue
        end = bar.value
        if dots:
            ax.hlines(row + 0.68, low, high, colors=GRID, linewidth=0.8, zorder=1)
            ax.plot([end], [row + 0.68], marker="D" if lit else "o", markersize=9 if lit else 7,
                    color=SUBJECT if lit else OTHER, markeredgecolor="white" if lit else SUBJECT, zorder=4)
        else:
            drawn = ax.barh([row + 0.68], [end - low], left=low, height=0.34, color=SUBJECT if lit else OTHER,
                            linewidth=0, zorder=2)
            if lit:
                drawn[0].set_hatch("//")
        ax.annotate(("\u25c0 " if lit else "") + format_value(bar.value, data.unit, data.decimals), (end, row + 0.68),
                    xytext=(6, 0), textcoords="offset points", va="center", ha="left", fontsize=VALUE_SIZE,
                    color=INK, fontweight=weight, family=FONT, annotation_clip=False, zorder=5,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    legend_top = head - LEGEND_ROW_PX * len(data.reference) - 4
    for index, ((name, value), (colour, style)) in enumerate(zip(data.reference, _REFERENCE_STYLES)):
        y = legend_top + LEGEND_ROW_PX * index
        fig.add_artist(_key(fig, at, y, colour, style))
        fig.text(*at(LEFT + 34, y), f"{name} {format_value(value, data.unit, data.decimals)}", ha="left",
                 va="center", fontsize=SMALL_SIZE, color=INK, family=FONT)
    note = footnote(axis_label(data.unit) + (" · the axis does not start at zero." if dots else "."),
                    source_note(data.source), polarity_note(data.polarity))
    fig.text(*at(LEFT, height - 6), wrap(note, 54, 3), ha="left", va="bottom", fontsize=SMALL_SIZE - 1, color=MUTED,
             family=FONT, linespacing=1.15)
    return fig


def _key(fig: Figure, at, y: float, colour: str, style: str) -> Line2D:
    """A short line in a reference line's style, for its legend row."""
    (x0, y0), (x1, _) = at(LEFT, y), at(LEFT + 26, y)
    return Line2D([x0, x1], [y0, y0], transform=fig.transFigure, color=colour, linestyle=style, linewidth=1.5)


def render_ranking_narrow(data: RankingData) -> Chart:
    """Render the tall ranking chart to PNG, with the same alt text as the wide one."""
    return to_chart(narrow_ranking_figure(data), f"{data.indicator_name} \u2014 {_subtitle(data)}",
                    ranking_alt_text(data))
