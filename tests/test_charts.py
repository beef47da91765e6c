"""Charts drawn from the demo-council CSVs: what each figure shows (titles, series, labels,
highlighted bars, hatching) and the PNG's size — never its pixels."""
from __future__ import annotations

import math
import re
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.path import Path as LinePath
from matplotlib.transforms import Bbox

from charts import (
    Bar, ComparisonData, Point, RankingData, ScorecardData, Series, TrendData, comparison_figure,
    ranking_figure, render_comparison, render_ranking, render_scorecard, render_trend,
    scorecard_figure, trend_figure,
)
from charts.comparison import verdict_words
from charts.gallery import (
    COUNCIL, DemoCouncil, demo_comparison, demo_ranking, demo_scorecard, demo_trend, financial_year,
    main, period_span,
)
from charts.ranking import MAX_ROWS, ordinal, shown_rows
from charts.style import OTHER, SUBJECT, format_value, period_text, shorten, wrap

BILSTON_NORTH = "E05014838"
TETTENHALL_WIGHTWICK = "E05014855"
LONG_NAME = ("The Royal and Ancient Borough Ward of Upper Ettingshall South, Spring Vale and the "
             "Lower Bilston Canal Side Neighbourhoods")


@pytest.fixture(scope="module")
def demo() -> DemoCouncil:
    """The bundled demo-council CSVs, loaded once for the module."""
    return DemoCouncil()


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR header."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def texts(fig: Figure) -> list[str]:
    """Every piece of text drawn on the figure and its axes."""
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.texts]
    return found


def has_text(fig: Figure, fragment: str) -> bool:
    """True when some text on the figure contains `fragment`."""
    return any(fragment in text for text in texts(fig))


def subject_line(fig: Figure):
    """The thickest line of a trend: the place's own series."""
    return max(fig.axes[0].lines, key=lambda line: line.get_linewidth())


def assert_chart_png(png: bytes) -> None:
    """A chat-sized PNG: 800×450 and well under Teams' 1 MB."""
    assert png_size(png) == (800, 450)
    assert len(png) < 300_000


# ---- trend -------------------------------------------------------------------------------------

def test_trend_shows_series_targets_rag_and_comparators(demo):
    data = demo_trend(demo, "CLAIMANT_RATE", COUNCIL)
    fig = trend_figure(data)
    ax = fig.axes[0]
    assert fig.texts[0].get_text() == "Claimant count rate"
    assert fig.texts[1].get_text() == "Wolverhampton, Apr 2021 to Oct 2026"
    for year in ("2021/22", "2022/23", "2023/24", "2024/25", "2025/26", "2026/27"):
        assert has_text(fig, year)
    assert has_text(fig, "Per cent (%)")
    assert has_text(fig, "Source: DWP Claimant Count via Nomis.")
    assert has_text(fig, "6.0%")  # the latest value, labelled
    line = subject_line(fig)
    assert len(line.get_ydata()) == len(data.points) == 67
    assert line.get_color() == SUBJECT
    # thinner comparator lines, one per comparator
    thin = [line for line in ax.lines if line.get_linewidth() == 1.3]
    assert len(thin) == 2
    # one dashed target segment per financial year
    target = next(line for line in ax.lines
                  if line.get_linestyle() == "--" and line.get_linewidth() == 1.4)
    assert sum(not math.isnan(y) for y in target.get_ydata()) == 2 * 6
    # RAG shown by marker shape as well as colour
    markers = {line.get_marker() for line in ax.lines if line.get_linestyle() == "None"}
    assert markers == {"^", "o"}  # this series has amber and green points, no red
    for label in ("Wolverhampton", "West Midlands", "England", "Target", "Amber", "Green"):
        assert label in texts(fig)


def test_render_trend_png_and_alt_text(demo):
    chart = render_trend(demo_trend(demo, "CLAIMANT_RATE", COUNCIL))
    assert_chart_png(chart.png)
    assert chart.title == "Claimant count rate \u2014 Wolverhampton, Apr 2021 to Oct 2026"
    assert "Latest value 6.0% in Oct 2026, amber against a target of 5.8% for 2026/27" in (
        chart.alt_text)
    assert "West Midlands: latest 5.7% in Oct 2026" in chart.alt_text
    assert "Lower is better." in chart.alt_text


def test_trend_with_gaps_breaks_the_line(demo):
    data = demo_trend(demo, "CLAIMANT_RATE", COUNCIL)
    points = list(data.points)
    points[10] = replace(points[10], value=None, rag=None)  # a return never made
    del points[30:33]  # three months missing altogether
    gappy = replace(data, points=points)
    ys = subject_line(trend_figure(gappy)).get_ydata()
    assert sum(math.isnan(y) for y in ys) == 2
    chart = render_trend(gappy)
    assert "1 period has no value." in chart.alt_text
    assert_chart_png(chart.png)


def test_trend_single_point(demo):
    data = demo_trend(demo, "LIFE_EXP_MALE", COUNCIL, comparators=[])
    single = replace(data, points=data.points[-1:], period_label="")
    fig = trend_figure(single)
    assert fig.texts[1].get_text() == "Wolverhampton, 2025/26"
    assert has_text(fig, "2025/26")
    assert has_text(fig, format_value(single.points[0].value, "years", 1))
    chart = render_trend(single)
    assert_chart_png(chart.png)
    assert "Lowest" not in chart.alt_text


def test_trend_in_range_target_band(demo):
    data = demo_trend(demo, "BUDGET_VARIATION", COUNCIL)
    fig = trend_figure(data)
    bands = [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1 and len(bands[0].get_paths()) == 6
    assert "Target range" in texts(fig)
    assert {line.get_marker() for line in fig.axes[0].lines if line.get_linestyle() == "None"} == {
        "X", "^", "o"}
    chart = render_trend(data)
    assert "red against a target range of \u22122.0% to 0.0% for 2026/27" in chart.alt_text
    assert_chart_png(chart.png)


def test_trend_negative_values(demo):
    data = demo_trend(demo, "BUDGET_VARIATION", COUNCIL)
    negative = replace(data, points=[replace(p, value=-p.value - 0.6) for p in data.points])
    fig = trend_figure(negative)
    assert has_text(fig, "\u22121.9%")  # latest value, with a true minus sign
    assert min(fig.axes[0].get_ylim()) < -1.9
    assert any(t.startswith("\u2212") for t in texts(fig))  # negative tick labels
    assert_chart_png(render_trend(negative).png)


def test_trend_without_targets_or_rag(demo):
    data = demo_trend(demo, "POPULATION", BILSTON_NORTH)
    fig = trend_figure(data)
    assert subject_line(fig).get_marker() == "o"  # plain markers, no RAG legend
    assert not {"Red", "Amber", "Green", "Target"} & set(texts(fig))
    assert has_text(fig, "Number")
    assert_chart_png(render_trend(data).png)


def test_trend_with_no_values():
    empty = TrendData("Library visits", "count", 0, "higher_is_better", "Park",
                      [Point("2026-10", date(2026, 10, 1), None)])
    fig = trend_figure(empty)
    assert has_text(fig, "No values to show")
    assert "There are no values to show." in render_trend(empty).alt_text


def test_trend_long_names_are_wrapped(demo):
    data = demo_trend(demo, "NEET", COUNCIL)
    long = replace(data, place_name=LONG_NAME,
                   comparators=[Series(LONG_NAME, data.comparators[0].points)])
    fig = trend_figure(long)
    title = fig.texts[0].get_text()
    assert title.count("\n") == 1 and title.startswith("16-17 year olds not in education")
    assert all(len(line) <= 92 for t in texts(fig) for line in t.split("\n"))
    legend_labels = [t for t in texts(fig)[2:] if t.startswith("The Royal")]
    assert len(legend_labels) == 2 and all(
        t.count("\n") <= 1 and t.endswith("\u2026") and max(map(len, t.split("\n"))) <= 18
        for t in legend_labels)
    assert has_text(fig, "Per cent (%)")
    assert_chart_png(render_trend(long).png)


# ---- comparison --------------------------------------------------------------------------------

def test_comparison_shows_subject_against_comparators(demo):
    data = demo_comparison(demo, "CLAIMANT_RATE", BILSTON_NORTH)
    fig = comparison_figure(data)
    ax = fig.axes[0]
    bars = ax.containers[0].patches
    assert [b.get_width() for b in bars] == [6.5, 6.0, 5.7, 5.4]
    assert to_hex(bars[0].get_facecolor()) == SUBJECT.lower() and bars[0].get_hatch() == "//"
    assert all(to_hex(b.get_facecolor()) == OTHER and not b.get_hatch() for b in bars[1:])
    assert fig.texts[1].get_text() == "Bilston North, Oct 2026"
    for name in ("Bilston North", "Wolverhampton", "West Midlands", "England"):
        assert name in texts(fig)
    # better / worse in words, not only in colour
    assert "\u2716 worse by 0.5 pts" in texts(fig)
    assert "\u2716 worse by 1.1 pts" in texts(fig)
    assert has_text(fig, "Per cent (%)")
    chart = render_comparison(data)
    assert_chart_png(chart.png)
    assert "Wolverhampton 6.0% (Bilston North is worse, 0.5 percentage points higher)" in (
        chart.alt_text)


def test_comparison_better_and_neutral(demo):
    best = demo_comparison(demo, "CLAIMANT_RATE", TETTENHALL_WIGHTWICK)
    assert has_text(comparison_figure(best), "\u2714 better by")
    assert verdict_words(best, best.comparators[0]).startswith("better, ")
    neutral = demo_comparison(demo, "POPULATION", BILSTON_NORTH)
    words = [verdict_words(neutral, bar) for bar in neutral.comparators]
    assert all(w.endswith(" lower") and "better" not in w for w in words)
    same = replace(best, comparators=[Bar("Twin", best.subject.value)])
    assert verdict_words(same, same.comparators[0]) == "the same"
    assert "= the same" in texts(comparison_figure(same))


def test_comparison_negative_values_and_long_names():
    data = ComparisonData("Net variation to revenue budget", "%", 1, "in_range", "2026/27 Q1",
                          Bar(LONG_NAME, -1.2), [Bar("Walsall", 0.4), Bar("England", -0.3)],
                          "Local finance systems")
    fig = comparison_figure(data)
    ax = fig.axes[0]
    assert ax.get_xlim()[0] < -1.2 < 0.4 < ax.get_xlim()[1]
    assert "\u22121.2%" in texts(fig)
    name = next(t.get_text() for t in ax.texts if t.get_text().startswith("The Royal"))
    assert name.count("\n") == 1 and max(map(len, name.split("\n"))) <= 20
    assert "1.6 pts lower" in texts(fig)  # in_range: no better/worse, just the direction
    assert_chart_png(render_comparison(data).png)


def test_comparison_missing_value(demo):
    data = demo_comparison(demo, "CLAIMANT_RATE", BILSTON_NORTH)
    missing = replace(data, comparators=[*data.comparators, Bar("Walsall", None)])
    fig = comparison_figure(missing)
    assert "no data" in texts(fig)
    assert "Walsall no data." in render_comparison(missing).alt_text


# ---- ranking -----------------------------------------------------------------------------------

def test_ranking_highlights_the_askers_ward(demo):
    data = demo_ranking(demo, "CLAIMANT_RATE", COUNCIL, BILSTON_NORTH)
    fig = ranking_figure(data)
    ax = fig.axes[0]
    bars = ax.containers[0].patches
    assert len(bars) == 20
    lit = [i for i, b in enumerate(bars) if b.get_hatch()]
    assert lit == [10]
    assert to_hex(bars[10].get_facecolor()) == SUBJECT.lower()
    assert all(to_hex(b.get_facecolor()) == OTHER for i, b in enumerate(bars) if i != 10)
    label = next(t for t in ax.texts if t.get_text().endswith("Bilston North"))
    assert label.get_fontweight() == "bold" and label.get_text().startswith("11")
    assert "\u25c0 6.5%" in texts(fig)
    values = [b.get_width() for b in bars]
    assert values == sorted(values)  # lower is better: best first
    # the city and England as reference lines
    references = sorted(line.get_xdata()[0] for line in ax.lines
                        if line.get_linestyle() in ("--", ":"))
    assert references == [5.4, 6.0]
    assert "Wolverhampton 6.0%" in texts(fig) and "England 5.4%" in texts(fig)
    assert fig.texts[1].get_text() == "Wolverhampton wards ranked, Oct 2026"
    chart = render_ranking(data)
    assert_chart_png(chart.png)
    assert "Bilston North is 11th of 20, at 6.5%." in chart.alt_text
    assert "First: Tettenhall Wightwick, 3.5%." in chart.alt_text


def test_ranking_of_councils_with_long_names_and_negative_values(demo):
    data = demo_ranking(demo, "EMPLOYMENT_RATE", "E12000005", COUNCIL)
    assert [b.name for b in data.bars][:1] and data.scope_name == "West Midlands councils"
    bars = [replace(b, name=LONG_NAME if b.code == COUNCIL else b.name, value=b.value - 70)
            for b in data.bars]
    shifted = replace(data, bars=bars, reference=[(n, v - 70) for n, v in data.reference])
    fig = ranking_figure(shifted)
    assert min(fig.axes[0].get_xlim()) < min(b.value for b in bars)
    label = next(t for t in texts(fig) if "The Royal" in t)
    assert label.endswith("\u2026") and len(label.split("  ", 1)[1]) <= 28
    assert_chart_png(render_ranking(shifted).png)


def test_long_rankings_keep_top_bottom_and_highlight():
    bars = [Bar(f"Council {n}", float(n), f"E{n:08d}") for n in range(1, 301)]
    data = RankingData("Made-up rate", "per 1,000", 1, "lower_is_better", "2025/26", bars,
                       highlight_code="E00000150", reference=[("England", 150.0)],
                       scope_name="English councils")
    rows = shown_rows(data)
    ranks = [rank for rank, bar in rows if bar]
    assert ranks[:10] == list(range(1, 11)) and ranks[-10:] == list(range(291, 301))
    assert {149, 150, 151} <= set(ranks)
    assert len(rows) <= MAX_ROWS + 4
    fig = ranking_figure(data)
    assert "\u22ee" in texts(fig)
    chart = render_ranking(data)
    assert "Council 150 is 150th of 300" in chart.alt_text
    assert_chart_png(chart.png)
    unmarked = replace(data, bars=[replace(b, code=None) for b in bars[:5]], highlight_code=None)
    assert not any(b.get_hatch() for b in ranking_figure(unmarked).axes[0].containers[0].patches)
    assert " of 5, at " not in render_ranking(unmarked).alt_text
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]


# ---- scorecard ---------------------------------------------------------------------------------

def test_scorecard_whole_council(demo):
    data = demo_scorecard(demo)
    assert data.counts == {"red": 6, "amber": 15, "green": 12, "none": 7}  # as the data README says
    fig = scorecard_figure(data)
    bars = fig.axes[0].containers[0].patches
    assert [b.get_width() for b in bars] == [6, 15, 12, 7]
    assert [b.get_hatch() for b in bars] == ["xx", "//", "", ".."]
    for label in ("\u2716 Red", "\u25b2 Amber", "\u25cf Green", "\u25cb No target",
                  "Red measures (6)", "6  (15%)"):
        assert label in texts(fig)
    assert has_text(fig, "Staff retention")
    assert fig.texts[0].get_text() == "Performance health: Whole council"
    chart = render_scorecard(data)
    assert_chart_png(chart.png)
    assert "up to Oct 2026): 40 measures, 6 red, 15 amber, 12 green and 7 without a target" in (
        chart.alt_text)
    assert "Red: Total recorded crime per 1,000 population;" in chart.alt_text


def test_scorecard_for_a_service_and_edge_cases(demo):
    children = demo_scorecard(demo, "Children's Services")
    assert sum(children.counts.values()) == 7
    assert_chart_png(render_scorecard(children).png)
    many = ScorecardData("Whole council", "2026/27 Q2", {"red": 14, "green": 1},
                         [f"Measure number {n} with a long and winding name that goes on" for n
                          in range(14)])
    fig = scorecard_figure(many)
    assert has_text(fig, "\n\u2026 and 6 more")
    assert "14 red, 0 amber, 1 green and 0 without a target" in render_scorecard(many).alt_text
    unnamed = ScorecardData("Governance", "2026/27 Q2", {"red": 2, "green": 3})
    assert "Red measures (2)" in texts(scorecard_figure(unnamed))
    none = ScorecardData("Governance", "2026/27 Q2", {})
    fig = scorecard_figure(none)
    assert "No measures are red" in texts(fig)
    assert_chart_png(render_scorecard(none).png)


# ---- shared behaviour --------------------------------------------------------------------------

def test_formatting_helpers():
    assert format_value(5.44, "%", 1) == "5.4%"
    assert format_value(1234, "count", 0) == "1,234"
    assert format_value(27.9, "per 1,000", 1) == "27.9 per 1,000"
    assert format_value(-0.5, "%", 1) == "\u22120.5%"
    assert format_value(None, "%", 1) == "no data"
    assert period_text("2026-10 to 2027-03") == "Oct 2026 to Mar 2027"
    assert period_text("2026/27 Q2") == "2026/27 Q2"
    assert shorten("Ettingshall South & Spring Vale", 20) == "Ettingshall South\u2026"
    assert wrap("a " * 40, 10, 2).count("\n") == 1


def test_period_helpers():
    assert period_span("2026-10") == (date(2026, 10, 1), date(2026, 10, 31))
    assert period_span("2026/27 Q4") == (date(2027, 1, 1), date(2027, 3, 31))
    assert period_span("2025/26") == (date(2025, 4, 1), date(2026, 3, 31))
    assert financial_year(date(2027, 3, 31)) == "2026/27"


def test_charts_render_the_same_from_several_threads(demo):
    inputs = [
        (render_trend, demo_trend(demo, "CLAIMANT_RATE", COUNCIL)),
        (render_trend, demo_trend(demo, "BUDGET_VARIATION", COUNCIL)),
        (render_comparison, demo_comparison(demo, "CLAIMANT_RATE", BILSTON_NORTH)),
        (render_ranking, demo_ranking(demo, "CLAIMANT_RATE", COUNCIL, BILSTON_NORTH)),
        (render_scorecard, demo_scorecard(demo)),
    ]
    expected = [render(data).png for render, data in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(render, data) for _ in range(3) for render, data in inputs]
        results = [future.result().png for future in futures]
    assert results == expected * 3


def test_no_pyplot_anywhere():
    root = Path(__file__).resolve().parents[1]
    sources = list((root / "charts").glob("*.py")) + [root / "benchmarks" / "bench_charts.py"]
    imports = re.compile(r"^\s*(from|import)\s+matplotlib(\.pyplot|\s+import\s+pyplot)", re.M)
    assert not [p.name for p in sources if imports.search(p.read_text(encoding="utf-8"))]
    script = "import sys, charts.gallery; print('matplotlib.pyplot' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                            text=True, check=True)
    assert loaded.stdout.strip() == "False"


def test_gallery_writes_one_png_of_each_kind(tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == ["comparison.png", "ranking.png", "scorecard.png", "trend-target-range.png",
                     "trend.png"]
    for path in tmp_path.glob("*.png"):
        assert_chart_png(path.read_bytes())
    printed = capsys.readouterr().out
    assert "trend.png" in printed and "Line chart of Claimant count rate" in printed


# ---- differences visible, whole counts, labels clear, readable at 400 px -----------------------

def number_texts(ax) -> list[float]:
    """The axes' texts that are plain numbers (tick labels), as floats."""
    found = []
    for text in ax.texts:
        raw = text.get_text().replace(",", "").replace("\u2212", "-")
        if re.fullmatch(r"-?\d+(\.\d+)?", raw):
            found.append(float(raw))
    return found


def dot_lines(ax):
    """The axes' marker-only lines (the dots of a dot plot)."""
    return [line for line in ax.lines if line.get_linestyle() == "None"]


def test_narrow_band_ranking_is_a_dot_plot_on_a_marked_truncated_axis(demo):
    data = demo_ranking(demo, "LIFE_EXP_MALE", COUNCIL, BILSTON_NORTH)
    values = [b.value for b in data.bars]
    assert 72 < min(values) and max(values) < 84  # life expectancy: a narrow band
    fig = ranking_figure(data)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert 0 < low <= min(values) and max(values) < high  # does not start at zero
    assert not ax.patches  # no bars from a baseline that is not there
    dots = dot_lines(ax)
    lit = next(line for line in dots if line.get_marker() == "D")
    assert list(lit.get_xdata()) == [76.8] and list(lit.get_ydata()) == [9]
    assert sorted(x for line in dots for x in line.get_xdata()) == sorted(values)
    assert has_text(fig, f"axis starts at {format_value(low, 'years', 0)}, not zero")
    assert number_texts(ax)[0] == low  # the axis starts at a labelled tick
    # the differences are visible: the best and worst wards sit most of the axis apart
    assert (max(values) - min(values)) / (high - low) > 0.6
    assert render_ranking(data).alt_text.startswith("Dot plot ranking 20 Wolverhampton wards")


def test_wide_ranking_and_comparison_keep_bars_from_zero(demo):
    ranking = ranking_figure(demo_ranking(demo, "CLAIMANT_RATE", COUNCIL, BILSTON_NORTH))
    comparison = comparison_figure(demo_comparison(demo, "CLAIMANT_RATE", BILSTON_NORTH))
    for fig in (ranking, comparison):
        ax = fig.axes[0]
        assert ax.get_xlim()[0] == 0 and ax.containers and not dot_lines(ax)
        assert not has_text(fig, "axis starts at")


def test_narrow_band_comparison_is_a_dot_plot(demo):
    data = demo_comparison(demo, "COUNCIL_TAX_COLLECTION", COUNCIL)
    values = [data.subject.value] + [b.value for b in data.comparators]
    assert max(values) - min(values) < 2  # collection rates: 95–98%
    fig = comparison_figure(data)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert 90 < low <= min(values) and not ax.patches
    assert sorted(x for line in dot_lines(ax) for x in line.get_xdata()) == sorted(values)
    assert has_text(fig, "axis starts at") and has_text(fig, "not zero")
    for value in values:  # every value still written beside its dot
        assert has_text(fig, format_value(value, "%", 1))
    assert render_comparison(data).alt_text.startswith("Dot plot of Council tax collected")


def test_counts_get_whole_number_ticks():
    points = [Point(f"2026-{m:02d}", date(2026, m, 1), v, None, date(2026, m, 28))
              for m, v in zip(range(4, 10), [1, 2, 1, 2, 2, 1])]
    fig = trend_figure(TrendData("People killed on roads", "count", 0, "lower_is_better",
                                 "Park", points))
    ticks = number_texts(fig.axes[0])
    assert len(ticks) >= 2 and all(t == int(t) for t in ticks)
    grid = [seg[0][1] for seg in fig.axes[0].collections[0].get_segments()]
    assert grid == [int(y) for y in grid]
    bars = [Bar(f"Ward {n}", float(v), f"E{n:08d}") for n, v in enumerate([103, 102, 101])]
    ranking = ranking_figure(RankingData("Fly-tipping incidents", "count", 0, "lower_is_better",
                                         "2025/26", bars))
    ticks = number_texts(ranking.axes[0])
    assert ticks and all(t == int(t) for t in ticks if t not in (101, 102, 103))


def boxes(fig: Figure) -> list:
    """(text, window extent) of every non-empty text on the figure, after a draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = [t for t in fig.texts] + [t for ax in fig.axes for t in ax.texts]
    return [(t, t.get_window_extent(renderer)) for t in found if t.get_text().strip()]


def crosses(line, box) -> bool:
    """True when the drawn line (or one of its markers) touches the box, in pixels."""
    xy = line.get_transform().transform(line.get_xydata())
    if line.get_marker() not in ("None", "", None):
        radius = line.get_markersize() / 2
        if any(box.x0 - radius <= x <= box.x1 + radius and box.y0 - radius <= y <= box.y1 + radius
               for x, y in xy if math.isfinite(x) and math.isfinite(y)):
            return True
    if line.get_linestyle() == "None":
        return False
    finite = [math.isfinite(x) and math.isfinite(y) for x, y in xy]
    runs, run = [], []
    for point, ok in zip(xy, finite):
        if ok:
            run.append(point)
        elif run:
            runs.append(run)
            run = []
    runs.append(run)
    return any(len(r) > 1 and LinePath(r).intersects_bbox(box, filled=False) for r in runs)


def value_label(fig: Figure, text: str):
    """The text artist reading `text`, with its window extent."""
    return next((t, box) for t, box in boxes(fig) if t.get_text() == text)


def test_trend_value_label_sits_clear_of_every_line(demo):
    data = demo_trend(demo, "CLAIMANT_RATE", COUNCIL)
    latest = data.points[-1]
    # a comparator running on past the place's newest point, level with it, right where the
    # label would go
    ahead = [Point(f"2026-{m:02d}", date(2026, m, 1), latest.value, None, date(2026, m, 28))
             for m in (10, 11, 12)]
    blocked = replace(data, comparators=[Series("Forecast", ahead), *data.comparators])
    for case in (data, blocked, demo_trend(demo, "BUDGET_VARIATION", COUNCIL),
                 demo_trend(demo, "KSI", COUNCIL)):
        fig = trend_figure(case)
        label, box = value_label(fig, format_value(case.points[-1].value, case.unit,
                                                   case.decimals))
        assert not [line for line in fig.axes[0].lines if crosses(line, box)]
        assert label.get_bbox_patch() is None  # no white box painted over a line
        others = [b for t, b in boxes(fig) if t is not label]
        assert not [b for b in others if b.overlaps(box)]


def all_kinds(demo) -> dict[str, Figure]:
    """One figure of each kind, with the narrow-band and count variants."""
    return {
        "trend": trend_figure(demo_trend(demo, "CLAIMANT_RATE", COUNCIL)),
        "trend band": trend_figure(demo_trend(demo, "BUDGET_VARIATION", COUNCIL)),
        "trend count": trend_figure(demo_trend(demo, "KSI", COUNCIL)),
        "comparison": comparison_figure(demo_comparison(demo, "CLAIMANT_RATE", BILSTON_NORTH)),
        "comparison dots": comparison_figure(
            demo_comparison(demo, "COUNCIL_TAX_COLLECTION", COUNCIL)),
        "ranking": ranking_figure(demo_ranking(demo, "CLAIMANT_RATE", COUNCIL, BILSTON_NORTH)),
        "ranking dots": ranking_figure(
            demo_ranking(demo, "LIFE_EXP_MALE", COUNCIL, BILSTON_NORTH)),
        "scorecard": scorecard_figure(demo_scorecard(demo)),
    }


def test_text_stays_readable_at_400_px_wide(demo):
    for kind, fig in all_kinds(demo).items():
        scale = 400 / fig.bbox.width
        for text, box in boxes(fig):
            em_px = text.get_fontsize() * fig.dpi / 72 * scale
            assert em_px >= 6.9, (kind, text.get_text(), text.get_fontsize())
            assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, (kind, text.get_text())
            assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, (kind, text.get_text())


def test_no_two_texts_touch(demo):
    for kind, fig in all_kinds(demo).items():
        found = [(t, Bbox.from_extents(box.x0 - 2, box.y0, box.x1 + 2, box.y1))
                 for t, box in boxes(fig)]  # at least 4 px apart side by side
        for i, (a, box_a) in enumerate(found):
            for b, box_b in found[i + 1:]:
                assert not box_a.overlaps(box_b), (kind, a.get_text(), b.get_text())


def test_long_names_are_shortened_at_a_word_boundary(demo):
    assert shorten("Households prevented from becoming homeless", 38) == (
        "Households prevented from becoming\u2026")
    assert shorten("Supercalifragilisticexpialidocious", 10) == "Supercali\u2026"
    fig = scorecard_figure(demo_scorecard(demo))
    listed = next(t for t in texts(fig) if "Households prevented" in t)
    assert "\u2716  Households prevented from becoming\u2026" in listed.split("\n")


def test_a_long_ranking_drawn_for_a_narrow_screen_is_tall_with_every_name_whole_and_readable():
    from charts.ranking_narrow import narrow_ranking_figure, render_ranking_narrow
    names = ["Bushbury South & Low Hill", "Ettingshall South & Spring Vale", "Tettenhall Wightwick", "Heath Town",
             "Bilston North", "Wednesfield North", "Park", "Penn", "Oxley", "Blakenhall", "Graiseley", "Merry Hill"]
    data = RankingData("Claimant count rate", "%", 1, "lower_is_better", "2026-10",
                       [Bar(name, 8.0 - n * 0.3, f"W{n}") for n, name in enumerate(names)], "W6",
                       (("Wolverhampton", 6.0), ("England", 5.4)), "DWP", "Wolverhampton wards")
    chart = render_ranking_narrow(data)
    width, height = struct.unpack(">II", chart.png[16:24])
    assert width == 420 and height > 1.5 * width
    fig = narrow_ranking_figure(data)
    fig.canvas.draw()
    drawn = {t.get_text(): t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize"))}
    for rank, name in enumerate(names, 1):
        label = drawn[f"{rank:>2}. {name}"]  # whole: never shortened
        assert label.get_fontsize() >= 12 and label.get_window_extent().x1 <= width
    assert chart.alt_text.startswith("Bar chart ranking 12 Wolverhampton wards")
