"""A service's pages in the report: its summary (RAG counts and a tile for every measure, running on
over more pages when there are more than fit), what's going well beside what's not, one page for
each red measure — its figures beside a trend chart that fills the space, and the director's
commentary or a band saying it is outstanding — and the improvement approach as a table. A service
with nothing red gets no red or improvement pages: its summary says so."""
from __future__ import annotations

from pptx import Presentation
from pptx.slide import Slide
from pptx.util import Emu, Inches

from reports import slides as s
from reports.content import Measure, Report, ServiceReport
from reports.overview import count_tiles, paged_table
from charts.style import period_text
from reports.pictures import Trends
from reports.wording import (POLARITY_WORDS, RAG_SYMBOLS, carried_note, comparison_text, concern, direction_text,
                             good_news, rag_label, shown, target_text)

FIRST_TILES, MORE_TILES = 9, 12  # measure tiles on the summary page, and on each page it runs on to
GOOD_LINES = 8
APPROACH_ROWS = 5
OUTSTANDING = "Commentary outstanding"
ESCALATE = "Red for {n} periods in a row: escalate to the corporate performance group"
TILE_WIDTH, TILE_HEIGHT, TILE_STEP_X, TILE_STEP_Y = Inches(4.0), Inches(1.55), Inches(4.15), Inches(1.65)
CHART_LEFT, CHART_WIDTH, CHART_HEIGHT = Inches(4.9), Inches(7.95), Inches(4.47)  # the chart's 16:9, filled


def _tile_order(service: ServiceReport) -> list[Measure]:
    """Every measure: reds first, then amber, green, those without a target, and those with no value yet."""
    order = {"red": 0, "amber": 1, "green": 2, None: 3}
    return sorted(service.measures, key=lambda m: (m.value is None, order[m.rag if m.value is not None else None]))


def _tile_lines(m: Measure, region_name: str) -> list[s.Line]:
    if m.value is None:
        lines = [(m.name, 11, True), ("No value yet", 15, True), (target_text(m).capitalize(), 10, False)]
        if m.returns:
            lines.append((f"Return for {' and '.join(r.period for r in m.returns)} outstanding", 10, True, s.OUTSTANDING))
        return lines
    lines: list[s.Line] = [(m.name, 11, True), (f"{shown(m, m.value)}  \u00b7  {rag_label(m)}", 15, True),
                           (f"{target_text(m).capitalize()} \u00b7 {period_text(m.period or '')}", 10, False)]
    if m.carried:
        lines.append((carried_note(m, short=True), 10, True, s.OUTSTANDING))
    lines += [(line, 10, False) for line in (direction_text(m), comparison_text(m, region_name)) if line]
    return lines


def _status_line(service: ServiceReport, good: bool) -> str:
    reds = len(service.reds)
    said = [f"{reds} measure{'s are' if reds != 1 else ' is'} red: see the pages that follow." if reds
            else "No measure is red this quarter."]
    if not good:
        said.append("No measure is on target or improving this quarter.")
    return " ".join(said)


def summary(deck: Presentation, report: Report, service: ServiceReport) -> None:
    """The service's summary: RAG counts, director, portfolio, the cabinet member's comment and a tile
    for each of its measures (running on to more pages when there are more than fit)."""
    measures = _tile_order(service)
    pages = 1 + max(0, -(-(len(measures) - FIRST_TILES) // MORE_TILES))
    title = f"{service.name}: summary, {report.quarter.label}"
    slide = s.titled(deck, title + (f" (1 of {pages})" if pages > 1 else ""))
    count_tiles(slide, s.MARGIN, s.CONTENT_TOP, service.measures, height=Inches(0.8))
    good = any(good_news(m) for m in service.measures)
    comment = (f"Cabinet member's comment: \u201c{service.cabinet_comment}\u201d", 12, False) if service.cabinet_comment \
        else ("Cabinet member's comment: awaited.", 11, False, s.MUTED)
    s.text(slide, Inches(7.1), s.CONTENT_TOP - Inches(0.05), Inches(5.7), Inches(0.9),
           [(f"Director: {service.director} \u00b7 Portfolio: {service.portfolio}", 11, False, s.MUTED),
            (_status_line(service, good), 12, True), comment])
    _tiles(slide, report, measures[:FIRST_TILES], Inches(2.1))
    for page in range(2, pages + 1):
        start = FIRST_TILES + (page - 2) * MORE_TILES
        slide = s.titled(deck, f"{title} ({page} of {pages})")
        _tiles(slide, report, measures[start:start + MORE_TILES], s.CONTENT_TOP)
    if pages > 1:
        s.text(slide, Inches(7.1), Inches(6.7), Inches(5.7), Inches(0.3), f"{len(measures)} measures on {pages} pages.",
               size=10, colour=s.MUTED)


def _tiles(slide: Slide, report: Report, measures: list[Measure], top: Emu) -> None:
    """Tiles for `measures`, three to a row from `top`."""
    for index, m in enumerate(measures):
        row, column = divmod(index, 3)
        s.tile(slide, s.MARGIN + TILE_STEP_X * column, top + TILE_STEP_Y * row, TILE_WIDTH, TILE_HEIGHT, m.rag,
               _tile_lines(m, report.region_name))


def going_well_and_not(deck: Presentation, report: Report, service: ServiceReport) -> None:
    """What's going well (greens and improvements) beside what's not (reds, measures getting worse,
    values carried because a return is outstanding), worded by polarity; no page when there is
    neither."""
    good = [line for line in (good_news(m) for m in service.measures) if line]
    bad = [line for line in (concern(m) for m in service.measures) if line]
    pages = -(-max(len(good), len(bad)) // GOOD_LINES)
    for page in range(pages):
        slide = s.titled(deck, f"{service.name}: what's going well and what's not, {report.quarter.label}"
                         + (f" ({page + 1} of {pages})" if pages > 1 else ""))
        for left, heading, lines, none in ((s.MARGIN, "What's going well", good, "No measure is on target or improving."),
                                           (Inches(6.85), "What's not going well", bad, "Nothing is red or getting worse.")):
            chunk = lines[page * GOOD_LINES:(page + 1) * GOOD_LINES]
            s.text(slide, left, s.CONTENT_TOP, Inches(5.95), Inches(0.45), heading, size=18, bold=True, colour=s.HEADER)
            s.text(slide, left, s.CONTENT_TOP + Inches(0.5), Inches(5.95), Inches(5.3),
                   chunk if chunk else [(none, 14, False, s.MUTED)] if page == 0 else [], size=14, bullets=bool(chunk))


def red_measures(deck: Presentation, report: Report, service: ServiceReport, trends: Trends) -> None:
    """A page for each red measure: its figures, its trend chart filling the rest of the page's width,
    and the director's commentary or a band saying it is outstanding."""
    reds = service.reds
    for number, m in enumerate(reds, 1):
        slide = s.titled(deck, f"{service.name}: red measures, {report.quarter.label}"
                         + (f" ({number} of {len(reds)})" if len(reds) > 1 else ""))
        facts: list[s.Line] = [(f"{RAG_SYMBOLS['red']} {m.name}", 17, True),
                               (shown(m, m.value), 32, True, s.rag_fill("red")),
                               (f"against a {target_text(m)} \u00b7 {period_text(m.period or '')}", 14, False)]
        if m.carried:
            facts.append((carried_note(m), 13, True, s.OUTSTANDING))
        facts += [(line, 13, False) for line in (direction_text(m), comparison_text(m, report.region_name)) if line]
        polarity = POLARITY_WORDS.get(m.polarity, "").capitalize()
        facts.append(("  \u00b7  ".join(part for part in (polarity, f"Owner: {m.owner_name}") if part), 12, False, s.MUTED))
        s.text(slide, s.MARGIN, s.CONTENT_TOP, CHART_LEFT - s.MARGIN - Inches(0.2), CHART_HEIGHT, facts)
        chart = trends.trend(m)
        if chart is not None:
            s.picture(slide, chart, CHART_LEFT, s.CONTENT_TOP, CHART_WIDTH, CHART_HEIGHT)
        below = s.CONTENT_TOP + CHART_HEIGHT + Inches(0.15)
        if m.commentary:
            size = 14 if len(m.commentary) <= 400 else 12 if len(m.commentary) <= 700 else 11
            s.text(slide, s.MARGIN, below, Inches(12.35), s.CONTENT_BOTTOM - below,
                   [("Director's commentary", 13, True, s.HEADER), (f"\u201c{m.commentary}\u201d", size, False)])
        else:
            s.warning(slide, s.MARGIN, below + Inches(0.1), Inches(12.35), Inches(0.7),
                      f"{OUTSTANDING}: the {service.name} director has not yet said what is happening and what is "
                      "being done.", size=16)


def improvement_approach(deck: Presentation, report: Report, service: ServiceReport) -> None:
    """A table of the red measures' improvement actions (what, who, by when), each measure red for
    two periods or more flagged for escalation (no page when nothing is red)."""
    reds = service.reds
    if not reds:
        return
    rows = []
    for m in reds:
        actions = [f"\u2022 {a.action[:1].upper()}{a.action[1:]} \u2014 {a.lead}" + (f", by {a.due:%-d %B %Y}" if a.due else "")
                   for a in m.actions]
        rows.append([f"{RAG_SYMBOLS['red']} {m.name}", f"{shown(m, m.value)} against a {target_text(m)}",
                     ESCALATE.format(n=m.red_quarters) if m.persistent else
                     f"Red for {max(m.red_quarters, 1)} period{'s' if m.red_quarters > 1 else ''}",
                     "\n".join(actions) or "No improvement action recorded yet."])
    paged_table(deck, f"{service.name}: improvement approach, {report.quarter.label}",
                ["Red measure", "Now", "Escalation", "Improvement actions (what, who lead, by when)"], rows,
                [3.2, 2.4, 2.3, 4.4], size=13, per_page=APPROACH_ROWS,
                fills=lambda r, c: s.OUTSTANDING if c == 2 and reds[r].persistent else None)
