"""Trend chart: an indicator over time for one place, with each financial year's target line (or
band), points marked by RAG, and comparator series (region, England) as thinner lines."""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from functools import partial
from statistics import median

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from charts.data import Chart, Point, TargetSpan, TrendData
from charts.style import (
    AXIS, COMPARATOR_STYLES, FONT, GRID, INK, MUTED, RAG_ORDER, RAG_STYLES, SUBJECT, LegendEntry,
    add_footnote, add_heading, draw_legend, footnote, format_value, new_axes, new_figure, offset,
    SMALL_SIZE, TEXT_SIZE, padded_range, period_text, place_clear, polarity_note, rag_key,
    source_note, to_chart, value_axis,
)

_LEFT, _BOTTOM, _RIGHT, _LEGEND_LEFT = 0.09, 0.13, 0.745, 0.775
_TARGET_STYLE = {"color": INK, "linestyle": (0, (5, 3)), "linewidth": 1.4}
# Where a value label may go, tried in turn: (x, y) offset in points, horizontal and vertical
# alignment — right of its point, above, below, then above or below to the left.
_YEAR_LABEL_PX = 66  # the width a '2025/26' label needs, with a gap to the next
_LABEL_SPOTS = (((7, 0), "left", "center"), ((0, 9), "center", "bottom"),
                ((0, -9), "center", "top"), ((-6, 8), "right", "bottom"),
                ((-6, -8), "right", "top"), ((7, 10), "left", "bottom"),
                ((7, -10), "left", "top"))
_BAND_STYLE = {"facecolor": "#009E73", "alpha": 0.2, "edgecolor": "#00664a", "linewidth": 1.0,
               "linestyle": "--"}


def trend_figure(data: TrendData) -> Figure:
    """Build (without rendering) the trend chart's figure."""
    fig = new_figure()
    top = add_heading(fig, data.indicator_name, _subtitle(data))
    ax = new_axes(fig, _LEFT, _BOTTOM, _RIGHT, top - 0.06)
    legend = _draw_subject(ax, data)
    legend += _draw_targets(ax, data)
    for series, (colour, style) in zip(data.comparators, COMPARATOR_STYLES):
        xs, ys = _line(series.points)
        ax.plot(xs, ys, color=colour, linestyle=style, linewidth=1.3, zorder=2.5)
        legend.append(LegendEntry(series.name, line={"color": colour, "linestyle": style,
                                                     "linewidth": 1.3}))
    _financial_year_axis(ax, data)
    low, high = padded_range(_all_values(data), below=0.08, above=0.16)
    value_axis(ax, low, high, data.unit)
    if low < 0 < high:
        ax.axhline(0, color=AXIS, linewidth=0.9, zorder=1.5)
    _label_latest(ax, data)
    draw_legend(fig, _LEGEND_LEFT, top, legend)
    add_footnote(fig, footnote(source_note(data.source), polarity_note(data.polarity)))
    return fig


def render_trend(data: TrendData) -> Chart:
    """Render the trend chart to PNG with its alt text."""
    return to_chart(trend_figure(data), _title(data), trend_alt_text(data))


def trend_alt_text(data: TrendData) -> str:
    """Say in words what the trend chart shows."""
    fmt = partial(_format, data)
    known = [p for p in data.points if p.value is not None]
    parts = [f"Line chart of {data.indicator_name} for {data.place_name}, {_period(data)}."]
    if not known:
        parts.append("There are no values to show.")
    else:
        latest = known[-1]
        parts.append(f"Latest value {fmt(latest.value)} in {period_text(latest.period_label)}"
                     f"{_rag_phrase(latest, data)}.")
        if len(known) > 1:
            low = min(known, key=lambda p: p.value)
            high = max(known, key=lambda p: p.value)
            parts.append(f"Lowest {fmt(low.value)} in {period_text(low.period_label)}, "
                         f"highest {fmt(high.value)} in {period_text(high.period_label)}.")
        counts = {k: sum(rag_key(p.rag) == k for p in known) for k in ("red", "amber", "green")}
        if any(counts.values()):
            parts.append("Periods against target: " + ", ".join(
                f"{n} {k}" for k, n in counts.items()) + ".")
    missing = len(data.points) - len(known)
    if missing:
        parts.append(f"{missing} period{'s have' if missing > 1 else ' has'} no value.")
    for series in data.comparators:
        values = [p for p in series.points if p.value is not None]
        if values:
            parts.append(f"{series.name}: latest {fmt(values[-1].value)} in "
                         f"{period_text(values[-1].period_label)}.")
    parts += [polarity_note(data.polarity), source_note(data.source)]
    return " ".join(p for p in parts if p)


def _title(data: TrendData) -> str:
    return f"{data.indicator_name} \u2014 {_subtitle(data)}"


def _subtitle(data: TrendData) -> str:
    return f"{data.place_name}, {_period(data)}"


def _period(data: TrendData) -> str:
    if data.period_label:
        return period_text(data.period_label)
    if not data.points:
        return "no periods"
    first, last = data.points[0].period_label, data.points[-1].period_label
    return period_text(first if first == last else f"{first} to {last}")


def _format(data: TrendData, value: float | None) -> str:
    return format_value(value, data.unit, data.decimals)


def _rag_phrase(point: Point, data: TrendData) -> str:
    """', amber against a target of 5.8% for 2026/27', or '' for a point without RAG."""
    key = rag_key(point.rag)
    if key == "none":
        return ""
    span = next((t for t in data.targets if t.start <= point.start <= t.end), None)
    return f", {key} against {_target_phrase(span, data)}" if span else f", {key}"


def _target_phrase(span: TargetSpan, data: TrendData) -> str:
    if span.low is not None and span.high is not None:
        return (f"a target range of {_format(data, span.low)} to {_format(data, span.high)} "
                f"for {span.label}")
    return f"a target of {_format(data, span.target)} for {span.label}"


def _x(point: Point) -> float:
    """A point's place on the time axis: the middle of its period when the end is known."""
    if point.end is None:
        return float(point.start.toordinal())
    return (point.start.toordinal() + point.end.toordinal() + 1) / 2


def _line(points: Sequence[Point]) -> tuple[list[float], list[float]]:
    """x and y of a series, broken (NaN) at missing values and at periods left out."""
    xs = [_x(p) for p in points]
    step = median([b - a for a, b in zip(xs, xs[1:])]) if len(xs) > 1 else 0.0
    line_x: list[float] = []
    line_y: list[float] = []
    for i, (x, point) in enumerate(zip(xs, points)):
        if i and x - xs[i - 1] > 1.6 * step:
            line_x.append(math.nan)
            line_y.append(math.nan)
        line_x.append(x)
        line_y.append(math.nan if point.value is None else point.value)
    return line_x, line_y


def _draw_subject(ax: Axes, data: TrendData) -> list[LegendEntry]:
    """The place's own series: a thick line, each point marked by its RAG status."""
    xs, ys = _line(data.points)
    has_rag = any(rag_key(p.rag) != "none" for p in data.points)
    size = 7 if len(data.points) <= 30 else 6
    line = {"color": SUBJECT, "linewidth": 2.2}
    plain = {} if has_rag else {"marker": "o", "markersize": size - 2}
    ax.plot(xs, ys, zorder=3, **line, **plain)
    legend = [LegendEntry(data.place_name, line=line, marker=plain and {"color": SUBJECT, **plain})]
    for key in RAG_ORDER if has_rag else ():
        chosen = [p for p in data.points if rag_key(p.rag) == key and p.value is not None]
        if not chosen:
            continue
        style = RAG_STYLES[key]
        marker = {"marker": style.marker, "markersize": size + (1 if key == "red" else 0),
                  "markerfacecolor": "white" if key == "none" else style.colour,
                  "markeredgecolor": MUTED if key == "none" else "white",
                  "markeredgewidth": 0.8}
        ax.plot([_x(p) for p in chosen], [p.value for p in chosen], linestyle="none", zorder=4,
                **marker)
        legend.append(LegendEntry(style.label, marker=marker))
    return legend


def _label_latest(ax: Axes, data: TrendData) -> None:
    """Write the newest value near its point, at the first spot clear of every line and marker."""
    known = [p for p in data.points if p.value is not None]
    if not known:
        ax.text(0.5, 0.5, "No values to show", transform=ax.transAxes, ha="center",
                va="center", fontsize=TEXT_SIZE, color=MUTED, family=FONT)
        return
    last = known[-1]
    label = ax.annotate(_format(data, last.value), (_x(last), last.value), xytext=(7, 0),
                        textcoords="offset points", fontsize=TEXT_SIZE, fontweight="bold",
                        color=INK, family=FONT, zorder=5, annotation_clip=False)
    gap_px = (_LEGEND_LEFT - _RIGHT) * ax.figure.bbox.width - 4  # up to the legend
    place_clear(ax, label, _LABEL_SPOTS, right_px=gap_px)


def _draw_targets(ax: Axes, data: TrendData) -> list[LegendEntry]:
    """Each financial year's target as a dashed segment, or its in-range band as a shaded box."""
    legend: list[LegendEntry] = []
    single = [t for t in data.targets if t.target is not None and t.low is None]
    if single:
        xs: list[float] = []
        ys: list[float] = []
        for span in single:
            xs += [span.start.toordinal(), span.end.toordinal() + 1, math.nan]
            ys += [span.target, span.target, math.nan]
        ax.plot(xs, ys, zorder=2, **_TARGET_STYLE)
        legend.append(LegendEntry("Target", line=_TARGET_STYLE))
    bands = [t for t in data.targets if t.low is not None and t.high is not None]
    if bands:
        verts = [[(t.start.toordinal(), t.low), (t.end.toordinal() + 1, t.low),
                  (t.end.toordinal() + 1, t.high), (t.start.toordinal(), t.high)] for t in bands]
        ax.add_collection(PolyCollection(verts, zorder=1, **_BAND_STYLE), autolim=False)
        legend.append(LegendEntry("Target range", patch=_BAND_STYLE))
    return legend


def _all_values(data: TrendData) -> list[float]:
    """Every value the y axis must show: the series, comparators and targets."""
    values = [p.value for p in data.points if p.value is not None]
    values += [p.value for s in data.comparators for p in s.points if p.value is not None]
    for span in data.targets:
        values += [v for v in (span.target, span.low, span.high) if v is not None]
    return values


def _fy_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _financial_year_axis(ax: Axes, data: TrendData) -> None:
    """Gridlines at each 1 April and a '2025/26' label in the middle of each financial year."""
    days = [p.start for p in data.points]
    days += [p.start for s in data.comparators for p in s.points]
    if not days:
        days = [t.start for t in data.targets] or [date.today()]
    first, last = _fy_start(min(days)), _fy_start(max(days))
    spans = [t for t in data.targets if t.end >= first and t.start <= date(last.year + 1, 3, 31)]
    first = min([first] + [_fy_start(t.start) for t in spans])
    last = max([last] + [_fy_start(t.end) for t in spans])
    starts = [date(year, 4, 1).toordinal() for year in range(first.year, last.year + 2)]
    ax.set_xlim(starts[0], starts[-1])
    ax.vlines(starts[1:-1], 0, 1, transform=ax.get_xaxis_transform(), colors=GRID,
              linewidth=0.8, zorder=0.5)
    ax.vlines(starts, -0.025, 0, transform=ax.get_xaxis_transform(), colors=AXIS,
              linewidth=0.8, clip_on=False)
    years = len(starts) - 1
    year_px = ax.bbox.width / years
    every = math.ceil(_YEAR_LABEL_PX / year_px)
    labels = offset(ax, ax.get_xaxis_transform(), 0, -4)
    for year in range(first.year, last.year + 1, every):
        middle = (date(year, 4, 1).toordinal() + date(year + 1, 4, 1).toordinal()) / 2
        ax.text(middle, 0, f"{year}/{(year + 1) % 100:02d}", transform=labels, ha="center",
                va="top", fontsize=SMALL_SIZE, color=INK, family=FONT)
