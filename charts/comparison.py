"""Comparison chart: one place's value next to its comparators (ward, city, region, England, or
named councils), each comparator row saying in words whether the place is better or worse."""
from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from charts.data import Bar, Chart, ComparisonData
from charts.style import (
    FONT, GRID, INK, OTHER, SUBJECT, TEXT_SIZE, add_footnote, add_heading, bar_axis, dot_axis,
    format_difference, format_value, is_narrow_band, new_axes, new_figure, period_text,
    polarity_note, shorten, source_note, to_chart, wrap,
)

_LEFT, _BOTTOM, _RIGHT, _NAMES_LEFT = 0.2, 0.16, 0.74, 0.02
_CHAR_PX = 8  # a generous average width of one character of the value labels
_MARKS = {"better": "\u2714 ", "worse": "\u2716 "}


def comparison_figure(data: ComparisonData) -> Figure:
    """Build (without rendering) the comparison chart's figure."""
    fig = new_figure()
    top = add_heading(fig, data.indicator_name,
                      f"{data.subject.name}, {period_text(data.period_label)}") - 0.04
    ax = new_axes(fig, _LEFT, _BOTTOM, _RIGHT, top)
    bars = [data.subject, *data.comparators]
    values = [b.value or 0.0 for b in bars]
    ax.set_ylim(len(bars) - 0.5, -0.5)
    labels = [format_value(b.value, data.unit, data.decimals) for b in bars]
    label_px = max(map(len, labels)) * _CHAR_PX + 14
    if as_dots(data):
        _dots(ax, bars, data.unit, label_px)
    else:
        drawn = ax.barh(range(len(bars)), values, height=0.62, linewidth=0, edgecolor="white",
                        color=[SUBJECT] + [OTHER] * len(data.comparators), zorder=2)
        drawn[0].set_hatch("//")
        bar_axis(ax, values, data.unit, label_px=label_px)
    gap = 8 if as_dots(data) else 4
    names = blended_transform_factory(fig.transFigure, ax.transData)
    for row, bar in enumerate(bars):
        weight = "bold" if row == 0 else "normal"
        ax.text(_NAMES_LEFT, row, wrap(bar.name, 18), transform=names, ha="left", va="center",
                fontsize=TEXT_SIZE, color=INK, fontweight=weight, family=FONT, linespacing=1.1)
        value = bar.value or 0.0
        ax.annotate(labels[row], (value, row),
                    xytext=(gap if value >= 0 else -gap, 0), textcoords="offset points",
                    ha="left" if value >= 0 else "right", va="center", fontsize=TEXT_SIZE,
                    color=INK,
                    fontweight=weight, family=FONT, zorder=4)
    _verdicts(ax, data)
    add_footnote(fig, source_note(data.source))
    return fig


def as_dots(data: ComparisonData) -> bool:
    """True when the values sit in a narrow band: drawn as a dot plot on a truncated axis."""
    return is_narrow_band([data.subject.value] + [b.value for b in data.comparators])


def _dots(ax: Axes, bars: list[Bar], unit: str, label_px: float) -> None:
    """A dot per place on a truncated axis, the subject a larger dark diamond."""
    known = [(row, bar.value) for row, bar in enumerate(bars) if bar.value is not None]
    dot_axis(ax, [v for _, v in known], unit, label_px)
    ax.hlines([row for row, _ in known], 0, 1, transform=ax.get_yaxis_transform(),
              colors=GRID, linewidth=0.8, zorder=1)
    for row, value in known:
        style = ({"marker": "D", "markersize": 11, "color": SUBJECT, "markeredgecolor": "white"}
                 if row == 0 else {"marker": "o", "markersize": 10, "markerfacecolor": OTHER,
                                   "markeredgecolor": SUBJECT, "markeredgewidth": 0.8})
        ax.plot([value], [row], linestyle="none", zorder=4, **style)


def render_comparison(data: ComparisonData) -> Chart:
    """Render the comparison chart to PNG with its alt text."""
    return to_chart(comparison_figure(data), _title(data),
                    comparison_alt_text(data))


def comparison_alt_text(data: ComparisonData) -> str:
    """Say in words what the comparison chart shows."""
    subject = data.subject
    kind = "Dot plot" if as_dots(data) else "Bar chart"
    parts = [f"{kind} of {data.indicator_name} in {period_text(data.period_label)}: "
             f"{subject.name} {format_value(subject.value, data.unit, data.decimals)}."]
    for bar in data.comparators:
        words = verdict_words(data, bar)
        parts.append(f"{bar.name} {format_value(bar.value, data.unit, data.decimals)}"
                     + (f" ({subject.name} is {words})." if words else "."))
    parts += [polarity_note(data.polarity), source_note(data.source)]
    return " ".join(p for p in parts if p)


def verdict(data: ComparisonData, other: Bar) -> tuple[str, float] | None:
    """('better'|'worse'|'higher'|'lower'|'the same', subject − other) or None without values."""
    mine, theirs = data.subject.value, other.value
    if mine is None or theirs is None:
        return None
    gap = round(mine - theirs, data.decimals)
    if gap == 0:
        return "the same", 0.0
    if data.polarity in ("higher_is_better", "lower_is_better"):
        better = (gap > 0) == (data.polarity == "higher_is_better")
        return ("better" if better else "worse"), gap
    return ("higher" if gap > 0 else "lower"), gap


def verdict_words(data: ComparisonData, other: Bar) -> str:
    """The verdict in words, e.g. 'worse, 2.3 percentage points higher' or '120 lower'."""
    found = verdict(data, other)
    if found is None:
        return ""
    word, gap = found
    if gap == 0:
        return word
    size = format_difference(gap, data.unit, data.decimals)
    direction = "higher" if gap > 0 else "lower"
    return f"{word}, {size} {direction}" if word in _MARKS else f"{size} {direction}"


def _verdicts(ax: Axes, data: ComparisonData) -> None:
    """A column right of the bars saying, per comparator, whether the subject is better or worse."""
    if data.subject.value is None:
        return
    transform = ax.get_yaxis_transform()
    ax.text(1.03, -0.5, f"{shorten(data.subject.name, 18)} is\u2026", transform=transform,
            ha="left", va="bottom", fontsize=TEXT_SIZE, fontweight="bold", color=INK, family=FONT)
    for row, bar in enumerate(data.comparators, start=1):
        found = verdict(data, bar)
        if found is None:
            continue
        word, gap = found
        size = format_difference(gap, data.unit, data.decimals).replace(" percentage points",
                                                                        " pts")
        text = f"{_MARKS[word]}{word} by {size}" if word in _MARKS else (
            "= the same" if gap == 0 else f"{size} {word}")
        ax.text(1.03, row, text, transform=transform, ha="left", va="center", fontsize=TEXT_SIZE,
                color=INK, family=FONT)


def _title(data: ComparisonData) -> str:
    names = [b.name for b in data.comparators]
    others = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    compared = f" compared with {others}" if others else ""
    return (f"{data.indicator_name} \u2014 {data.subject.name}{compared}, "
            f"{period_text(data.period_label)}")
