"""The look every chart shares: size, colour-blind-safe palette, RAG encoding, text, axes, legend
and PNG output.

Everything is set on the artists themselves, never through pyplot or the global rcParams, so
charts can be drawn from several threads at once. Colours are the Okabe–Ito palette; RAG is
shown by marker shape, hatching and label as well as colour.

Axis labels, gridlines and legends are drawn as plain texts and lines rather than matplotlib
Tick and Legend objects: those cost several milliseconds each to lay out, and a chart answering
a chat message should cost little more than a bare figure (see benchmarks/bench_charts.py).
"""
from __future__ import annotations

import io
import math
import re
import textwrap
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import (
    Affine2D, Bbox, ScaledTranslation, Transform, blended_transform_factory,
)

from charts.data import Chart

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 100
FONT = "DejaVu Sans"
INK = "#1a1a1a"
MUTED = "#595959"
GRID = "#e3e3e3"
AXIS = "#8c8c8c"
SUBJECT = "#0072B2"
OTHER = "#a9c4dc"
COMPARATOR_STYLES = (("#CC79A7", "--"), ("#444444", ":"), ("#E69F00", "-."), ("#56B4E9", "--"))
MINUS = "\u2212"
# Text sizes in points. A chat client may show the 800 px PNG at 400 px wide, halving every
# size: SMALL_SIZE is the least that stays readable then (about 7 px to the em).
TITLE_SIZE, SUBTITLE_SIZE, TEXT_SIZE, SMALL_SIZE = 15.0, 12.0, 11.0, 10.0
# A ranking or comparison whose values all lie within this fraction of the largest of them (life
# expectancy 72–83 years, collection rates 95–98%) is drawn as dots on a truncated axis, since
# bars from zero would all look the same length.
NARROW_BAND = 0.15


@dataclass(frozen=True)
class RagStyle:
    """How one RAG status is drawn: label, colour, line-marker, text symbol, bar hatching and
    the colour of that hatching."""

    label: str
    colour: str
    marker: str
    symbol: str
    hatch: str
    hatch_colour: str = "white"


RAG_STYLES = {
    "red": RagStyle("Red", "#D55E00", "X", "\u2716", "xx"),
    "amber": RagStyle("Amber", "#E69F00", "^", "\u25b2", "//"),
    "green": RagStyle("Green", "#009E73", "o", "\u25cf", ""),
    "none": RagStyle("No target", "#d4d4d4", "o", "\u25cb", "..", "#595959"),
}
RAG_ORDER = ("red", "amber", "green", "none")


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: its label and how its key is drawn ('line', 'marker' or 'patch' style)."""

    label: str
    line: dict = field(default_factory=dict)
    marker: dict = field(default_factory=dict)
    patch: dict = field(default_factory=dict)


_UNIT_AXIS = {"%": "Per cent (%)", "count": "Number", "kg": "Kilograms (kg)"}
_POLARITY_NOTE = {
    "higher_is_better": "Higher is better.",
    "lower_is_better": "Lower is better.",
    "in_range": "Best within the target range.",
}
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_MONTH_LABEL = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])\b")


def rag_key(rag: str | None) -> str:
    """The RAG_STYLES key for a status: 'red', 'amber', 'green', or 'none' for anything else."""
    key = (rag or "none").lower()
    return key if key in RAG_STYLES else "none"


def format_number(value: float, decimals: int) -> str:
    """A number with thousands separators, `decimals` places and a true minus sign."""
    text = f"{value:,.{max(decimals, 0)}f}"
    return MINUS + text[1:] if text.startswith("-") else text


def format_value(value: float | None, unit: str, decimals: int) -> str:
    """A value with its unit, e.g. '5.4%', '1,234', '27.9 per 1,000', '78.2 years'."""
    if value is None:
        return "no data"
    number = format_number(value, decimals)
    if unit == "%":
        return f"{number}%"
    if unit in ("count", ""):
        return number
    return f"{number} {unit}"


def format_difference(difference: float, unit: str, decimals: int) -> str:
    """The size of a gap between two values: '2.3 percentage points', '1,200', '4.1 per 1,000'."""
    size = abs(difference)
    if unit == "%":
        return f"{format_number(size, decimals)} percentage points"
    return format_value(size, unit, decimals)


def axis_label(unit: str) -> str:
    """The value-axis label for a unit: 'Per cent (%)', 'Number', 'Per 1,000', 'Years'."""
    return _UNIT_AXIS.get(unit, unit[:1].upper() + unit[1:])


def polarity_note(polarity: str) -> str:
    """'Higher is better.' / 'Lower is better.' / … or '' for a neutral indicator."""
    return _POLARITY_NOTE.get(polarity, "")


def period_text(label: str) -> str:
    """A period label as people read it: month labels '2026-10' become 'Oct 2026'."""
    return _MONTH_LABEL.sub(lambda m: f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}", label)


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` characters, at a word boundary when one is near the end,
    ending in an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-&") + "\u2026"


def wrap(text: str, width: int, max_lines: int = 2) -> str:
    """`text` wrapped at `width` characters on at most `max_lines` lines, the last ellipsized."""
    lines = textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [shorten(" ".join(lines[max_lines - 1 :]), width)]
    return "\n".join(lines)


def footnote(*notes: str) -> str:
    """Join the non-empty notes of a footnote into one line."""
    return " ".join(n for n in notes if n)


def source_note(source: str) -> str:
    """'Source: …' or '' when the source is unknown."""
    return f"Source: {source}." if source else ""


def new_figure() -> Figure:
    """An empty 800×450 px figure on its own Agg canvas (no pyplot, no global state)."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def add_heading(fig: Figure, title: str, subtitle: str) -> float:
    """Write the bold title (up to two lines) and the subtitle; return the figure y below them."""
    title_text = wrap(title, 62, 2)
    height = fig.bbox.height
    top = 1 - 10 / height
    fig.text(0.02, top, title_text, ha="left", va="top", fontsize=TITLE_SIZE, fontweight="bold",
             color=INK, family=FONT)
    top -= (title_text.count("\n") + 1) * 25 / height
    fig.text(0.02, top - 2 / height, wrap(subtitle, 90, 1), ha="left", va="top",
             fontsize=SUBTITLE_SIZE, color=MUTED, family=FONT)
    return top - 26 / height


def add_footnote(fig: Figure, text: str) -> None:
    """Write the footnote (source and how to read the chart) along the bottom edge."""
    fig.text(0.02, 6 / fig.bbox.height, wrap(text, 118, 1), ha="left", va="bottom",
             fontsize=SMALL_SIZE,
             color=MUTED, family=FONT)


def new_axes(fig: Figure, left: float, bottom: float, right: float, top: float) -> Axes:
    """Plain axes between the given figure fractions: left and bottom spines, no Tick objects."""
    ax = fig.add_axes((left, bottom, right - left, top - bottom))
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS)
    return ax


def offset(ax: Axes, transform: Transform, dx_points: float, dy_points: float) -> Transform:
    """`transform` shifted by a distance in points (for labels just off an axis)."""
    return transform + ScaledTranslation(dx_points / 72, dy_points / 72, ax.figure.dpi_scale_trans)


def nice_ticks(low: float, high: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values within [low, high], about `count` of them (whole numbers if `whole`)."""
    locator = MaxNLocator(nbins=count, steps=[1, 2, 2.5, 5, 10], integer=whole)
    slack = (high - low) * 1e-9
    return [float(t) for t in locator.tick_values(low, high) if low - slack <= t <= high + slack]


def tick_decimals(ticks: list[float]) -> int:
    """Just enough decimals to tell the ticks apart (0 for 0, 5, 10; 1 for 0.5, 1.0, 1.5)."""
    step = min((abs(b - a) for a, b in zip(ticks, ticks[1:])), default=1.0) or 1.0
    return next((d for d in range(4) if abs(round(step, d) - step) < step * 1e-6), 4)


def value_axis(ax: Axes, low: float, high: float, unit: str) -> None:
    """Set the y limits and draw gridlines, tick labels and the unit above them as plain artists."""
    ticks = nice_ticks(low, high, whole=unit == "count")
    decimals = tick_decimals(ticks)
    ax.set_ylim(low, high)
    ax.hlines(ticks, 0, 1, transform=ax.get_yaxis_transform(), colors=GRID, linewidth=0.8,
              zorder=0.5)
    labels = offset(ax, ax.get_yaxis_transform(), -4, 0)
    for tick in ticks:
        ax.text(0, tick, format_number(tick, decimals), transform=labels, ha="right",
                va="center", fontsize=SMALL_SIZE, color=INK, family=FONT)
    corner = blended_transform_factory(ax.figure.transFigure, ax.transAxes)
    ax.text(0.02, 1, axis_label(unit), transform=offset(ax, corner, 0, 8), ha="left",
            va="bottom", fontsize=SMALL_SIZE, color=INK, family=FONT)


def bar_axis(ax: Axes, values: list[float], unit: str, label_px: float) -> None:
    """Fit labelled bars (0 included, `label_px` spare past their ends) and put the unit below."""
    low, high = min(values + [0.0]), max(values + [0.0])
    spare = label_px / ax.bbox.width
    below, above = (spare if low < 0 else 0.0), (spare if high > 0 else 0.0)
    total = (high - low or 1.0) / (1 - below - above)
    ax.set_xlim(low - below * total, high + above * total)
    if low < 0:
        ax.axvline(0, color=AXIS, linewidth=0.9, zorder=3)
    ax.text(1, 0, axis_label(unit), transform=offset(ax, ax.transAxes, 0, -4), ha="right",
            va="top", fontsize=SMALL_SIZE, color=INK, family=FONT)


def is_narrow_band(values: list[float | None]) -> bool:
    """True when the values share a sign and differ by less than NARROW_BAND of the largest."""
    known = [v for v in values if v is not None]
    if len(known) < 2 or (min(known) < 0 < max(known)):
        return False
    return max(known) - min(known) < NARROW_BAND * max(abs(v) for v in known)


def dot_axis(ax: Axes, values: list[float], unit: str, label_px: float) -> None:
    """Fit a dot plot's truncated x axis (`label_px` spare right of the largest value), with
    gridlines, tick labels and a note below saying where the axis starts."""
    low, high = min(values), max(values)
    span = high - low or abs(high) * 0.1 or 1.0
    rough = nice_ticks(low - span * 0.1, high, count=4, whole=unit == "count")
    step = rough[1] - rough[0] if len(rough) > 1 else span
    left = math.floor((low - span * 0.05) / step) * step
    right = left + (high - left) / (1 - label_px / ax.bbox.width)
    ax.set_xlim(left, right)
    while (right - left) / step > 6:
        step *= 2
    ticks = [left + i * step for i in range(int((right - left) / step) + 1)]
    decimals = tick_decimals(ticks)
    ax.vlines(ticks, 0, 1, transform=ax.get_xaxis_transform(), colors=GRID, linewidth=0.8,
              zorder=0.5)
    labels = offset(ax, ax.get_xaxis_transform(), 0, -3)
    for tick in ticks:
        ax.text(tick, 0, format_number(tick, decimals), transform=labels, ha="center", va="top",
                fontsize=SMALL_SIZE, color=INK, family=FONT)
    start = format_value(left, unit, decimals)
    points = Affine2D().scale(ax.figure.dpi / 72) + ScaledTranslation(0, 0, ax.transAxes)
    for dx in (-2, 2):  # a break mark where the axis leaves out zero
        ax.add_artist(Line2D([dx - 2, dx + 2], [-4, 4], color=INK, linewidth=1.2, clip_on=False,
                             transform=points))
    ax.text(1, 0, f"{axis_label(unit)} \u00b7 axis starts at {start}, not zero",
            transform=offset(ax, ax.transAxes, 0, -18), ha="right", va="top",
            fontsize=SMALL_SIZE, color=INK, family=FONT, fontstyle="italic")


def padded_range(values: list[float], below: float, above: float) -> tuple[float, float]:
    """The span of `values` widened by fractions of itself below and above (0–1 when empty)."""
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    span = high - low or (abs(high) * 0.1 or 1.0)
    return low - span * below, high + span * above


def draw_legend(fig: Figure, left: float, top: float, entries: list[LegendEntry],
                width: int = 18) -> None:
    """A legend as plain artists: a key (line, marker and/or patch) and a wrapped label per row."""
    height = fig.bbox.height
    key_left, key_right, label_left = left, left + 30 / fig.bbox.width, left + 38 / fig.bbox.width
    y = top
    for entry in entries:
        label = wrap(entry.label, width)
        lines = label.count("\n") + 1
        centre = y - 7.5 * lines / height
        if entry.patch:
            fig.add_artist(Rectangle((key_left, centre - 6 / height), key_right - key_left,
                                     12 / height, transform=fig.transFigure, **entry.patch))
        if entry.line:
            fig.add_artist(Line2D([key_left, key_right], [centre, centre],
                                  transform=fig.transFigure, **entry.line))
        if entry.marker:
            fig.add_artist(Line2D([(key_left + key_right) / 2], [centre], linestyle="none",
                                  transform=fig.transFigure, **entry.marker))
        fig.text(label_left, centre, label, ha="left", va="center", fontsize=SMALL_SIZE, color=INK,
                 family=FONT, linespacing=1.1)
        y -= (15 * lines + 9) / height


def as_written(fig: Figure) -> None:
    """Draw every text of the figure as written: names and sources are the council's and the
    publishers' words, never maths text (a `$` would start it, and a stray one fails the chart)."""
    for item in fig.findobj(Text):
        item.set_parse_math(False)


def to_chart(fig: Figure, title: str, alt_text: str) -> Chart:
    """Render the figure to PNG bytes and wrap them with the alt text and title."""
    as_written(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return Chart(png=buffer.getvalue(), alt_text=alt_text, title=title)


def place_clear(ax: Axes, label: Annotation, spots: tuple, right_px: float = 0.0) -> None:
    """Move `label` (offset in points from its point) to the first of `spots`, each ((dx, dy),
    ha, va), whose box stays inside the axes (or up to `right_px` past their right edge) and
    clear of every line, marker and other text; when none is clear, to the one covering least."""
    renderer = ax.figure.canvas.get_renderer()
    as_written(ax.figure)  # measured before the chart is drawn
    segments, dots = _obstacles(ax)
    others = [t.get_window_extent(renderer) for t in ax.texts if t is not label]
    inside = Bbox.from_extents(ax.bbox.x0, ax.bbox.y0, ax.bbox.x1 + right_px, ax.bbox.y1)
    best, best_cost = spots[0], math.inf
    for spot in spots:
        (dx, dy), ha, va = spot
        label.set_position((dx, dy))
        label.set_ha(ha)
        label.set_va(va)
        box = label.get_window_extent(renderer).padded(2)
        cost = (_hits(segments, dots, box) + sum(box.overlaps(o) for o in others)
                + 10 * (box.x0 < inside.x0 or box.x1 > inside.x1 or box.y0 < inside.y0
                        or box.y1 > inside.y1))
        if cost < best_cost:
            best, best_cost = spot, cost
        if cost == 0:
            return
    (dx, dy), ha, va = best
    label.set_position((dx, dy))
    label.set_ha(ha)
    label.set_va(va)


def _obstacles(ax: Axes) -> tuple[np.ndarray, np.ndarray]:
    """The axes' line segments (n×4: x0, y0, x1, y1) and markers (n×3: x, y, radius) in pixels."""
    segments, dots = [np.empty((0, 4))], [np.empty((0, 3))]
    for line in ax.lines:
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        if line.get_linestyle() not in ("None", "none", "", " "):
            pairs = np.hstack([xy[:-1], xy[1:]])
            segments.append(pairs[np.isfinite(pairs).all(axis=1)])
        if line.get_marker() not in ("None", "none", "", " ", None):
            radius = line.get_markersize() / 2 * ax.figure.dpi / 72
            known = xy[np.isfinite(xy).all(axis=1)]
            dots.append(np.hstack([known, np.full((len(known), 1), radius)]))
    return np.vstack(segments), np.vstack(dots)


def _hits(segments: np.ndarray, dots: np.ndarray, box: Bbox) -> int:
    """How many of the segments cross `box` and how many markers touch it (Liang–Barsky clip)."""
    near = ((dots[:, 0] + dots[:, 2] >= box.x0) & (dots[:, 0] - dots[:, 2] <= box.x1)
            & (dots[:, 1] + dots[:, 2] >= box.y0) & (dots[:, 1] - dots[:, 2] <= box.y1))
    x0, y0, x1, y1 = segments.T
    dx, dy = x1 - x0, y1 - y0
    low, high = np.zeros(len(segments)), np.ones(len(segments))
    crossing = np.ones(len(segments), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x0 - box.x0), (dx, box.x1 - x0), (-dy, y0 - box.y0),
                     (dy, box.y1 - y0)):
            ratio = q / p
            crossing &= ~((p == 0) & (q < 0))
            low = np.where(p < 0, np.maximum(low, ratio), low)
            high = np.where(p > 0, np.minimum(high, ratio), high)
    return int(near.sum() + (crossing & (low <= high)).sum())
