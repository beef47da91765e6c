"""The corporate performance report as a PowerPoint deck: a cover, the council overview and the
reds at a glance, then for each service its summary (infographic), what's good, its red measures
with commentary and its improvement approach, and an appendix table of every measure."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches

from data_access.periods import Period
from data_access.store import Store
from reports import slides as s
from reports.content import Measure, Report, ServiceReport, build_report, quarter_words
from reports.pictures import Trends, scorecard
from reports.wording import (OBA_LABELS, comparison_text, direction_text, good_news, period_note, rag_label,
                             rag_words, shown, target_cell, target_text)

TILES = 6
REDS_PER_SLIDE = 2
APPENDIX_ROWS = 14
OUTSTANDING = "Commentary outstanding"
ESCALATE = "Red for {n} periods in a row: escalate to the corporate performance group."


def build_deck(store: Store, report: Report, built_on: date) -> Presentation:
    """The whole deck for a report."""
    deck = s.new_deck()
    trends = Trends(store, report)
    s.cover(deck, f"{report.council_name}: corporate performance report",
            f"{quarter_words(report.quarter)}\nEach measure at its newest value in the quarter (annual measures at "
            f"their newest year) · built {built_on:%d %B %Y}")
    _overview(deck, report)
    _reds_at_a_glance(deck, report)
    for service in report.services:
        _summary(deck, report, service)
        _good(deck, report, service)
        _reds(deck, report, service, trends)
        _approach(deck, report, service)
    _appendix(deck, report)
    return deck


def write_report(store: Store, quarter: Period, out: Path, services: list[str] | None, built_on: date) -> Report:
    """Build the report for `quarter` and write its deck to `out`; returns what it says."""
    report = build_report(store, quarter, services)
    build_deck(store, report, built_on).save(str(out))
    return report


def deck_bytes(store: Store, report: Report, built_on: date) -> bytes:
    """The deck as the bytes of a .pptx file."""
    buffer = io.BytesIO()
    build_deck(store, report, built_on).save(buffer)
    return buffer.getvalue()


def _overview(deck: Presentation, report: Report) -> None:
    slide = s.titled(deck, f"Council overview, {report.quarter.label}")
    rows, fills = [], {}
    for r, service in enumerate(report.services):
        rows.append([service.name, str(service.count("red")), str(service.count("amber")), str(service.count("green")),
                     str(service.count(None))])
        if service.count("red"):
            fills[(r, 1)] = s.rag_fill("red")
    measures = [m for m in report.measures if m.value is not None]
    total = ["Council", *(str(sum(1 for m in measures if m.rag == rag)) for rag in ("red", "amber", "green")),
             str(sum(1 for m in measures if m.rag is None))]
    s.table(slide, s.MARGIN, Inches(1.2), Inches(6.2), ["Service", "\u2716 Red", "\u25b2 Amber", "\u25cf Green", "\u25cb No target"],
            [*rows, total], [3.2, 1, 1.1, 1.1, 1.3], size=12, fills=fills)
    s.picture(slide, scorecard(report, report.council_name, report.measures), Inches(7.0), Inches(1.2), Inches(5.8))
    better = sum(1 for m in measures if m.direction == "better")
    worse = sum(1 for m in measures if m.direction == "worse")
    s.text(slide, Inches(7.0), Inches(4.7), Inches(5.8), Inches(1.5),
           [f"{better} measures improved and {worse} got worse since their previous period.",
            f"{sum(1 for m in measures if m.persistent)} red for two periods or more in a row (escalated).",
            f"{sum(1 for m in measures if m.rag == 'red' and not m.commentary)} red measures still need commentary."],
           size=14, bullets=True)


def _reds_at_a_glance(deck: Presentation, report: Report) -> None:
    slide = s.titled(deck, f"Red measures at a glance, {report.quarter.label}")
    reds = [m for m in report.measures if m.rag == "red"]
    if not reds:
        s.text(slide, s.MARGIN, Inches(1.3), Inches(12), Inches(1), "No measure is red this quarter.", size=18)
        return
    rows = [[m.service, m.name, f"{shown(m, m.value)} ({period_note(m)})", target_cell(m),
             "Yes" if m.commentary else OUTSTANDING] for m in reds]
    fills = {(r, 4): s.OUTSTANDING for r, m in enumerate(reds) if not m.commentary}
    shape = s.table(slide, s.MARGIN, Inches(1.2), Inches(12.3), ["Service", "Measure", "Value", "Target", "Commentary"],
                    rows, [1.6, 4.2, 2.0, 2.0, 1.8], size=12, fills=fills)
    for r, m in enumerate(reds):
        if not m.commentary:
            run = shape.table.cell(r + 1, 4).text_frame.paragraphs[0].runs[0]
            run.font.bold, run.font.color.rgb = True, s.WHITE


def _summary(deck: Presentation, report: Report, service: ServiceReport) -> None:
    slide = s.titled(deck, f"{service.name}: summary, {report.quarter.label}")
    counts = [("red", service.count("red")), ("amber", service.count("amber")), ("green", service.count("green")),
              (None, service.count(None))]
    for index, (rag, count) in enumerate(counts):
        s.tile(slide, s.MARGIN + Inches(1.6) * index, Inches(1.15), Inches(1.45), Inches(0.95), rag,
               [(str(count), 24, True), (rag_words(rag), 11, False)])
    s.text(slide, Inches(7.1), Inches(1.15), Inches(5.7), Inches(0.95),
           [f"Director: {service.director}", f"Portfolio: {service.portfolio}"], size=13, colour=s.MUTED)
    for index, m in enumerate(_key_measures(service)):
        row, column = divmod(index, 3)
        lines = [(m.name, 12, True), (f"{shown(m, m.value)}  ·  {rag_label(m)}", 18, True),
                 (f"{target_text(m).capitalize()} · {period_note(m)}", 11, False)]
        if direction_text(m):
            lines.append((direction_text(m), 11, False))
        if comparison_text(m, report.region_name):
            lines.append((comparison_text(m, report.region_name), 11, False))
        s.tile(slide, s.MARGIN + Inches(4.15) * column, Inches(2.3) + Inches(2.05) * row, Inches(4.0), Inches(1.9),
               m.rag, lines)
    if service.cabinet_comment:
        s.text(slide, s.MARGIN, Inches(6.45), Inches(12.3), Inches(0.8),
               f"Cabinet member's comment: “{service.cabinet_comment}”", size=14)
    else:
        s.text(slide, s.MARGIN, Inches(6.45), Inches(12.3), Inches(0.8), "Cabinet member's comment: awaited.", size=12,
               colour=s.MUTED)


def _key_measures(service: ServiceReport) -> list[Measure]:
    """The tiles: reds first, then amber, then green, then those without a target."""
    order = {"red": 0, "amber": 1, "green": 2, None: 3}
    valued = [m for m in service.measures if m.value is not None]
    return sorted(valued, key=lambda m: order[m.rag])[:TILES]


def _good(deck: Presentation, report: Report, service: ServiceReport) -> None:
    slide = s.titled(deck, f"{service.name}: what's good, {report.quarter.label}")
    lines = [line for line in (good_news(m) for m in service.measures) if line]
    s.text(slide, s.MARGIN, Inches(1.2), Inches(12.3), Inches(5.8),
           lines or ["No measure is on target or improving this quarter."], size=15, bullets=bool(lines))


def _reds(deck: Presentation, report: Report, service: ServiceReport, trends: Trends) -> None:
    reds = service.reds
    if not reds:
        slide = s.titled(deck, f"{service.name}: red measures, {report.quarter.label}")
        s.text(slide, s.MARGIN, Inches(1.3), Inches(12), Inches(1), "No measure is red this quarter.", size=18)
        return
    for start in range(0, len(reds), REDS_PER_SLIDE):
        part = f" ({start // REDS_PER_SLIDE + 1} of {-(-len(reds) // REDS_PER_SLIDE)})" if len(reds) > REDS_PER_SLIDE else ""
        slide = s.titled(deck, f"{service.name}: red measures, {report.quarter.label}{part}")
        for index, m in enumerate(reds[start:start + REDS_PER_SLIDE]):
            top = Inches(1.15) + Inches(3.1) * index
            heading = s.text(slide, s.MARGIN, top, Inches(6.6), Inches(0.9),
                             [f"\u2716 {m.name}", f"{shown(m, m.value)} against a {target_text(m)} ({period_note(m)}). "
                                                  f"{direction_text(m)}."], size=13)
            heading.text_frame.paragraphs[0].runs[0].font.bold = True
            if m.commentary:
                s.text(slide, s.MARGIN, top + Inches(1.0), Inches(6.6), Inches(1.9),
                       f"Director's commentary: “{m.commentary}”", size=13)
            else:
                s.text(slide, s.MARGIN, top + Inches(1.05), Inches(6.6), Inches(0.6),
                       f"\u26a0 {OUTSTANDING}", size=18, bold=True, colour=s.WHITE, fill=s.OUTSTANDING)
            chart = trends.trend(m)
            if chart is not None:
                s.picture(slide, chart, Inches(7.35), top, Inches(5.3))


def _approach(deck: Presentation, report: Report, service: ServiceReport) -> None:
    slide = s.titled(deck, f"{service.name}: improvement approach, {report.quarter.label}")
    if not service.reds:
        s.text(slide, s.MARGIN, Inches(1.3), Inches(12), Inches(1),
               "No measure is red, so no improvement action is needed this quarter.", size=18)
        return
    top = Inches(1.2)
    for m in service.reds:
        lines = [f"\u2716 {m.name} ({shown(m, m.value)}, {target_text(m)})"]
        if m.persistent:
            lines.append(ESCALATE.format(n=m.red_quarters))
        lines += [f"Action: {a.action} — {a.lead}" + (f", by {a.due:%d %B %Y}" if a.due else "") for a in m.actions]
        if not m.actions:
            lines.append("No improvement action recorded yet.")
        height = Inches(0.3) * len(lines) + Inches(0.3)
        box = s.text(slide, s.MARGIN, top, Inches(12.3), height, lines, size=13)
        box.text_frame.paragraphs[0].runs[0].font.bold = True
        if m.persistent:
            run = box.text_frame.paragraphs[1].runs[0]
            run.font.bold, run.font.color.rgb = True, s.OUTSTANDING
        top += height


def _appendix(deck: Presentation, report: Report) -> None:
    measures = report.measures
    pages = -(-len(measures) // APPENDIX_ROWS)
    for page in range(pages):
        chunk = measures[page * APPENDIX_ROWS:(page + 1) * APPENDIX_ROWS]
        slide = s.titled(deck, f"Appendix: every measure, {report.quarter.label} ({page + 1} of {pages})")
        rows = [[m.service, m.name, period_note(m), shown(m, m.value), target_cell(m),
                 rag_label(m), direction_text(m).split(" since ")[0], OBA_LABELS.get(m.oba_category, m.oba_category),
                 m.owner_name] for m in chunk]
        fills = {(r, 5): s.rag_fill(m.rag) for r, m in enumerate(chunk) if m.value is not None and m.rag}
        s.table(slide, Inches(0.3), Inches(1.1), Inches(12.7),
                ["Service", "Measure", "Period", "Value", "Target", "RAG", "Direction", "OBA category", "Owner"],
                rows, [1.5, 3.6, 1.5, 1.1, 1.4, 1.1, 1.2, 1.8, 1.3], size=9, fills=fills)
