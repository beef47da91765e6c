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
import re
import textwrap
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation, Transform, blended_transform_factory

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
    """`text` cut to at most `width` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip(" ,;:-&") + "\u2026"


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
    title_text = wrap(title, 70, 2)
    height = fig.bbox.height
    top = 1 - 12 / height
    fig.text(0.02, top, title_text, ha="left", va="top", fontsize=13, fontweight="bold",
             color=INK, family=FONT)
    top -= (title_text.count("\n") + 1) * 22 / height
    fig.text(0.02, top - 2 / height, wrap(subtitle, 92, 1), ha="left", va="top",
             fontsize=10.5, color=MUTED, family=FONT)
    return top - 24 / height


def add_footnote(fig: Figure, text: str) -> None:
    """Write the footnote (source and how to read the chart) along the bottom edge."""
    fig.text(0.02, 8 / fig.bbox.height, wrap(text, 140, 1), ha="left", va="bottom", fontsize=8,
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


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values within [low, high], about `count` of them."""
    locator = MaxNLocator(nbins=count, steps=[1, 2, 2.5, 5, 10])
    slack = (high - low) * 1e-9
    return [float(t) for t in locator.tick_values(low, high) if low - slack <= t <= high + slack]


def tick_decimals(ticks: list[float]) -> int:
    """Just enough decimals to tell the ticks apart (0 for 0, 5, 10; 1 for 0.5, 1.0, 1.5)."""
    step = min((abs(b - a) for a, b in zip(ticks, ticks[1:])), default=1.0) or 1.0
    return next((d for d in range(4) if abs(round(step, d) - step) < step * 1e-6), 4)


def value_axis(ax: Axes, low: float, high: float, unit: str) -> None:
    """Set the y limits and draw gridlines, tick labels and the unit above them as plain artists."""
    ticks = nice_ticks(low, high)
    decimals = tick_decimals(ticks)
    ax.set_ylim(low, high)
    ax.hlines(ticks, 0, 1, transform=ax.get_yaxis_transform(), colors=GRID, linewidth=0.8,
              zorder=0.5)
    labels = offset(ax, ax.get_yaxis_transform(), -4, 0)
    for tick in ticks:
        ax.text(0, tick, format_number(tick, decimals), transform=labels, ha="right",
                va="center", fontsize=9, color=INK, family=FONT)
    corner = blended_transform_factory(ax.figure.transFigure, ax.transAxes)
    ax.text(0.02, 1, axis_label(unit), transform=offset(ax, corner, 0, 8), ha="left",
            va="bottom", fontsize=9, color=INK, family=FONT)


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
            va="top", fontsize=9, color=INK, family=FONT)


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
        centre = y - 7 * lines / height
        if entry.patch:
            fig.add_artist(Rectangle((key_left, centre - 6 / height), key_right - key_left,
                                     12 / height, transform=fig.transFigure, **entry.patch))
        if entry.line:
            fig.add_artist(Line2D([key_left, key_right], [centre, centre],
                                  transform=fig.transFigure, **entry.line))
        if entry.marker:
            fig.add_artist(Line2D([(key_left + key_right) / 2], [centre], linestyle="none",
                                  transform=fig.transFigure, **entry.marker))
        fig.text(label_left, centre, label, ha="left", va="center", fontsize=9, color=INK,
                 family=FONT, linespacing=1.1)
        y -= (14 * lines + 9) / height


def to_chart(fig: Figure, title: str, alt_text: str) -> Chart:
    """Render the figure to PNG bytes and wrap them with the alt text and title."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return Chart(png=buffer.getvalue(), alt_text=alt_text, title=title)
