"""Ranking chart: places ranked on an indicator as horizontal bars, the asker's own place
highlighted (colour, hatching, bold label and a pointer), the city / England values as lines."""
from __future__ import annotations

from functools import partial

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from charts.data import Bar, Chart, RankingData
from charts.style import (
    FONT, GRID, INK, OTHER, SMALL_SIZE, SUBJECT, TEXT_SIZE, LegendEntry, add_footnote, add_heading,
    bar_axis, dot_axis, draw_legend, footnote, format_value, is_narrow_band, new_axes, new_figure,
    period_text, polarity_note, shorten, source_note, to_chart,
)

MAX_ROWS = 25
_LEFT, _BOTTOM, _NAMES_LEFT, _VALUES_RIGHT = 0.3, 0.15, 0.02, 0.95
_CHAR_PX = 7.5  # a generous average width of one character of the value labels
_POINTER = "\u25c0 "
_FIGURE_SPACE = "\u2007"
_REFERENCE_STYLES = (("#1a1a1a", "--"), ("#CC79A7", ":"), ("#E69F00", "-."))


def ranking_figure(data: RankingData) -> Figure:
    """Build (without rendering) the ranking chart's figure."""
    fig = new_figure()
    top = add_heading(fig, data.indicator_name, _subtitle(data))
    rows = shown_rows(data)
    widest = max((len(format_value(b.value, data.unit, data.decimals)) for _, b in rows if b),
                 default=4)
    right = _VALUES_RIGHT - ((widest + 2) * _CHAR_PX + 10) / fig.bbox.width
    ax = new_axes(fig, _LEFT, _BOTTOM, right, top - (0.06 if data.reference else 0.02))
    lit = [bar is not None and _is_highlight(data, bar) for _, bar in rows]
    ax.set_ylim(len(rows) - 0.5, -0.5)
    references = [v for _, v in data.reference]
    if as_dots(data):
        _dots(ax, rows, lit, references, data.unit)
    else:
        _bars(ax, rows, lit, references, data.unit)
    size = SMALL_SIZE if len(rows) > 12 else TEXT_SIZE
    names = blended_transform_factory(fig.transFigure, ax.transData)
    width = len(str(rows[-1][0])) if rows else 1
    for row, ((rank, bar), highlight) in enumerate(zip(rows, lit)):
        if bar is None:
            ax.text(_NAMES_LEFT, row, "\u22ee", transform=names, va="center", fontsize=size)
            continue
        weight = "bold" if highlight else "normal"
        rank_text = f"{rank:>{width}}".replace(" ", _FIGURE_SPACE)
        ax.text(_NAMES_LEFT, row, f"{rank_text}  {shorten(bar.name, 25)}", transform=names,
                ha="left", va="center", fontsize=size, color=INK, fontweight=weight, family=FONT)
        text = (_POINTER if highlight else "") + format_value(bar.value, data.unit, data.decimals)
        ax.text(_VALUES_RIGHT, row, text, transform=names, ha="right", va="center",
                fontsize=size, color=INK, fontweight=weight, family=FONT)
    legend = []
    for (name, value), (colour, style) in zip(data.reference, _REFERENCE_STYLES):
        line = {"color": colour, "linestyle": style, "linewidth": 1.5}
        ax.axvline(value, zorder=3, **line)
        legend.append(LegendEntry(f"{name} {format_value(value, data.unit, data.decimals)}",
                                  line=line))
    _reference_legend(fig, top, legend)
    add_footnote(fig, footnote(source_note(data.source), polarity_note(data.polarity)))
    return fig


def _bars(ax: Axes, rows: list[tuple[int, Bar | None]], lit: list[bool],
          references: list[float], unit: str) -> None:
    """Bars from zero, the highlighted one hatched."""
    values = [(bar.value or 0.0) if bar else 0.0 for _, bar in rows]
    drawn = ax.barh(range(len(rows)), values, height=0.7, linewidth=0, edgecolor="white",
                    color=[SUBJECT if h else OTHER for h in lit], zorder=2)
    for bar, highlight in zip(drawn, lit):
        if highlight:
            bar.set_hatch("//")
    bar_axis(ax, values + references, unit, label_px=8)


def _dots(ax: Axes, rows: list[tuple[int, Bar | None]], lit: list[bool],
          references: list[float], unit: str) -> None:
    """A dot per place on a truncated axis, the highlighted one a larger dark diamond."""
    known = [(row, bar.value) for row, (_, bar) in enumerate(rows)
             if bar is not None and bar.value is not None]
    dot_axis(ax, [v for _, v in known] + references, unit, label_px=8)
    ax.hlines([row for row, _ in known], 0, 1, transform=ax.get_yaxis_transform(),
              colors=GRID, linewidth=0.8, zorder=1)
    plain = [(row, v) for row, v in known if not lit[row]]
    ax.plot([v for _, v in plain], [row for row, _ in plain], linestyle="none", marker="o",
            markersize=7, markerfacecolor=OTHER, markeredgecolor=SUBJECT, markeredgewidth=0.8,
            zorder=4)
    mine = [(row, v) for row, v in known if lit[row]]
    ax.plot([v for _, v in mine], [row for row, _ in mine], linestyle="none", marker="D",
            markersize=9, color=SUBJECT, markeredgecolor="white", zorder=5)


def render_ranking(data: RankingData) -> Chart:
    """Render the ranking chart to PNG with its alt text."""
    return to_chart(ranking_figure(data), f"{data.indicator_name} \u2014 {_subtitle(data)}",
                    ranking_alt_text(data))


def ranking_alt_text(data: RankingData) -> str:
    """Say in words what the ranking chart shows."""
    fmt = partial(format_value, unit=data.unit, decimals=data.decimals)
    bars = list(data.bars)
    kind = "Dot plot" if as_dots(data) else "Bar chart"
    parts = [f"{kind} ranking {len(bars)} {data.scope_name or 'places'} on "
             f"{data.indicator_name}, {period_text(data.period_label)}."]
    if bars:
        parts.append(f"First: {bars[0].name}, {fmt(bars[0].value)}. "
                     f"Last: {bars[-1].name}, {fmt(bars[-1].value)}.")
    rank = next((i for i, b in enumerate(bars, 1) if _is_highlight(data, b)), None)
    if rank:
        bar = bars[rank - 1]
        parts.append(f"{bar.name} is {ordinal(rank)} of {len(bars)}, at {fmt(bar.value)}.")
    parts += [f"{name}: {fmt(value)}." for name, value in data.reference]
    parts += [polarity_note(data.polarity), source_note(data.source)]
    return " ".join(p for p in parts if p)


def shown_rows(data: RankingData) -> list[tuple[int, Bar | None]]:
    """(rank, bar) rows to draw: all, or top ten, bottom ten and the highlight (None: a gap)."""
    bars = list(data.bars)
    if len(bars) <= MAX_ROWS:
        return list(enumerate(bars, 1))
    keep = set(range(10)) | set(range(len(bars) - 10, len(bars)))
    lit = next((i for i, b in enumerate(bars) if _is_highlight(data, b)), None)
    if lit is not None:
        keep |= {lit - 1, lit, lit + 1} & set(range(len(bars)))
    rows: list[tuple[int, Bar | None]] = []
    for index in sorted(keep):
        if rows and rows[-1][0] != index:
            rows.append((index, None))
        rows.append((index + 1, bars[index]))
    return rows


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st…"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def as_dots(data: RankingData) -> bool:
    """True when the values (and reference lines) sit in a narrow band: drawn as a dot plot."""
    return is_narrow_band([b.value for b in data.bars] + [v for _, v in data.reference])


def _is_highlight(data: RankingData, bar: Bar) -> bool:
    return data.highlight_code is not None and bar.code == data.highlight_code


def _reference_legend(fig: Figure, top: float, entries: list[LegendEntry]) -> None:
    """The reference lines' legend, in a row above the bars."""
    left = _LEFT
    for entry in entries:
        draw_legend(fig, left, top, [entry], width=80)
        left += (len(entry.label) * 8.2 + 62) / fig.bbox.width


def _subtitle(data: RankingData) -> str:
    scope = data.scope_name or "Places"
    return f"{scope} ranked, {period_text(data.period_label)}"

