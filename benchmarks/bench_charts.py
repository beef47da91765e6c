"""Render time of each chart kind against a bare matplotlib figure of the same data.

    python benchmarks/bench_charts.py [--runs 200]

For each kind (trend, trend with a target band, comparison, ranking, scorecard) it renders the
demo-council chart `--runs` times, interleaved with a bare figure of the same size and dpi that
plots the same points with matplotlib's defaults and no styling (`ax.plot` / `ax.barh`, saved
with `savefig(format="png")`), and prints p50 / p99 of both, the p50 ratio, and whether the goals
hold: p50 ≤ 80 ms, p99 ≤ 150 ms, ratio ≤ 1.3. p50 / p99 are wall-clock; `cpu p50` is the process
CPU time of a render, and the ratio is taken between the CPU-time medians of the chart and its
bare figure, which stays steady on a machine that other work shares.
A script, not a test: timings depend on the machine, so it reports and exits 0 unless `--check`
is given and a goal is missed.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matplotlib.figure import Figure  # noqa: E402

from charts import (  # noqa: E402
    ComparisonData, RankingData, ScorecardData, TrendData, render_comparison, render_ranking,
    render_scorecard, render_trend,
)
from charts.gallery import (  # noqa: E402
    COUNCIL, DemoCouncil, demo_comparison, demo_ranking, demo_scorecard, demo_trend,
)
from charts.style import DPI, HEIGHT_IN, WIDTH_IN  # noqa: E402

P50_GOAL_MS, P99_GOAL_MS, RATIO_GOAL = 80.0, 150.0, 1.3


def bare_png(draw: Callable) -> bytes:
    """A default-styled figure of the chart's size and dpi, drawn by `draw(ax)`, saved as PNG."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    draw(fig.add_subplot())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def bare_trend(data: TrendData) -> bytes:
    """The trend's series, comparators and target segments as plain lines."""
    def draw(ax):
        for points in [data.points, *(s.points for s in data.comparators)]:
            ax.plot([p.start.toordinal() for p in points], [p.value for p in points])
        for span in data.targets:
            for value in (span.target, span.low, span.high):
                if value is not None:
                    ax.plot([span.start.toordinal(), span.end.toordinal()], [value, value])
    return bare_png(draw)


def bare_comparison(data: ComparisonData) -> bytes:
    """The subject and comparators as plain horizontal bars."""
    bars = [data.subject, *data.comparators]
    return bare_png(lambda ax: ax.barh([b.name for b in bars], [b.value or 0 for b in bars]))


def bare_ranking(data: RankingData) -> bytes:
    """The ranked places as plain horizontal bars, the references as plain lines."""
    def draw(ax):
        ax.barh([b.name for b in data.bars], [b.value or 0 for b in data.bars])
        for _, value in data.reference:
            ax.axvline(value)
    return bare_png(draw)


def bare_scorecard(data: ScorecardData) -> bytes:
    """The four counts as plain horizontal bars, the red measures' names as plain text."""
    keys = ("red", "amber", "green", "none")

    def draw(ax):
        ax.barh(keys, [data.counts.get(k, 0) for k in keys])
        ax.text(0.5, 0.5, "\n".join(data.red_names), transform=ax.transAxes)
    return bare_png(draw)


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) of the samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    """Time every chart kind against its bare figure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="renders per kind (default 200)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    demo = DemoCouncil()
    cases = {
        "trend": (render_trend, bare_trend, demo_trend(demo, "CLAIMANT_RATE", COUNCIL)),
        "trend (band)": (render_trend, bare_trend, demo_trend(demo, "BUDGET_VARIATION", COUNCIL)),
        "comparison": (render_comparison, bare_comparison,
                       demo_comparison(demo, "CLAIMANT_RATE", "E05014838")),
        "ranking": (render_ranking, bare_ranking,
                    demo_ranking(demo, "CLAIMANT_RATE", COUNCIL, "E05014838")),
        "scorecard": (render_scorecard, bare_scorecard, demo_scorecard(demo)),
    }
    print(f"{'chart':<14}{'p50 ms':>8}{'p99 ms':>8}{'cpu p50':>9}{'bare p50':>10}{'bare p99':>10}"
          f"{'ratio':>7}{'PNG KB':>8}  goals")
    missed = False
    for name, (render, bare, data) in cases.items():
        for _ in range(5):
            render(data), bare(data)
        styled: list[float] = []
        cpu: list[float] = []
        plain: list[float] = []
        plain_cpu: list[float] = []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            png = render(data).png
            middle, middle_cpu = time.perf_counter(), time.process_time()
            bare(data)
            styled.append((middle - start) * 1000)
            cpu.append((middle_cpu - start_cpu) * 1000)
            plain.append((time.perf_counter() - middle) * 1000)
            plain_cpu.append((time.process_time() - middle_cpu) * 1000)
        p50, p99 = statistics.median(styled), percentile(styled, 99)
        ratio = statistics.median(cpu) / statistics.median(plain_cpu)
        ok = p50 <= P50_GOAL_MS and p99 <= P99_GOAL_MS and ratio <= RATIO_GOAL
        missed |= not ok
        print(f"{name:<14}{p50:>8.1f}{p99:>8.1f}{statistics.median(cpu):>9.1f}"
              f"{statistics.median(plain):>10.1f}"
              f"{percentile(plain, 99):>10.1f}{ratio:>7.2f}{len(png) / 1024:>8.0f}  "
              f"{'ok' if ok else 'MISSED'}")
    print(f"goals: p50 <= {P50_GOAL_MS:.0f} ms, p99 <= {P99_GOAL_MS:.0f} ms, "
          f"cpu p50 <= {RATIO_GOAL} x bare; {args.runs} runs each")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
