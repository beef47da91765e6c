"""The report's council-wide pages: the overview (the RAG counts, by service, the scorecard and
what changed), every red at a glance, the returns still outstanding for the quarter, and the
appendix of every measure. Long tables run on over as many pages as they need."""
from __future__ import annotations

from collections.abc import Callable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.slide import Slide
from pptx.util import Emu, Inches

from reports import slides as s
from reports.content import Measure, Report
from reports.pictures import scorecard
from charts.style import period_text
from reports.wording import OBA_LABELS, direction_text, period_note, rag_label, rag_words, shown, target_cell

TABLE_ROWS = 14
OUTSTANDING = "Commentary outstanding"
CARRIED_FOOTNOTE = "Carried: the quarter's return is not in yet, so the previous period's value is shown."


def counts(measures: list[Measure]) -> dict[str | None, int]:
    """How many measures with a value are red, amber, green or without a target."""
    valued = [m for m in measures if m.value is not None]
    return {rag: sum(1 for m in valued if m.rag == rag) for rag in ("red", "amber", "green", None)}


def count_tiles(slide: Slide, left: Emu, top: Emu, measures: list[Measure], width: Emu = Inches(1.45),
                height: Emu = Inches(0.95)) -> None:
    """Four tiles: how many measures are red, amber, green and without a target."""
    size = 24 if height >= Inches(0.9) else 20
    for index, (rag, count) in enumerate(counts(measures).items()):
        s.tile(slide, left + (width + Inches(0.15)) * index, top, width, height, rag,
               [(str(count), size, True), (rag_words(rag), 11, False)])


def paged_table(deck: Presentation, title: str, header: list[str], rows: list[list[str]], widths: list[float],
                fills: Callable[[int, int], RGBColor | None] = lambda r, c: None, size: float = 12,
                footnote: Callable[[range], str] = lambda rows: "", per_page: int = TABLE_ROWS,
                wide: bool = False) -> None:
    """A table over as many slides as it needs, `per_page` rows each ('(1 of 3)' in the title when more
    than one); `fills(row, column)` colours cells, `footnote(rows on the page)` goes under the table;
    `wide` uses the slide's whole width."""
    pages = max(1, -(-len(rows) // per_page))
    for page in range(pages):
        shown_rows = range(page * per_page, min(len(rows), (page + 1) * per_page))
        slide = s.titled(deck, title + (f" ({page + 1} of {pages})" if pages > 1 else ""))
        coloured = {(r - shown_rows.start, c): fill for r in shown_rows for c in range(len(header))
                    if (fill := fills(r, c)) is not None}
        shape = s.table(slide, Inches(0.3) if wide else s.MARGIN, s.CONTENT_TOP, Inches(12.7) if wide else Inches(12.3),
                        header, [rows[r] for r in shown_rows], widths, size=size, fills=coloured)
        for (r, c), fill in coloured.items():
            if fill == s.OUTSTANDING:
                for run in (run for p in shape.table.cell(r + 1, c).text_frame.paragraphs for run in p.runs):
                    run.font.bold, run.font.color.rgb = True, s.WHITE
        note = footnote(shown_rows)
        if note:
            s.text(slide, s.MARGIN, s.CONTENT_BOTTOM - Inches(0.4), Inches(12.3), Inches(0.35), note, size=11,
                   colour=s.MUTED)


def overview(deck: Presentation, report: Report) -> None:
    """The council overview: RAG counts, RAG by service, the scorecard and what changed."""
    slide = s.titled(deck, f"Council overview, {report.quarter.label}")
    count_tiles(slide, s.MARGIN, s.CONTENT_TOP, report.measures)
    rows, fills = [], {}
    for r, service in enumerate(report.services):
        rows.append([service.name, *(str(service.count(rag)) for rag in ("red", "amber", "green", None))])
        if service.count("red"):
            fills[(r, 1)] = s.rag_fill("red")
    total = counts(report.measures)
    rows.append(["Council", *(str(total[rag]) for rag in ("red", "amber", "green", None))])
    room = s.CONTENT_BOTTOM - Inches(2.3)
    height = min(Inches(0.34), room // (len(rows) + 1))
    s.table(slide, s.MARGIN, Inches(2.3), Inches(6.2), ["Service", *(rag_words(rag) for rag in ("red", "amber", "green", None))],
            rows, [3.2, 1, 1.1, 1.1, 1.3], size=12 if height >= Inches(0.3) else 9, fills=fills, row_height=height)
    s.picture(slide, scorecard(report, report.council_name, report.measures), Inches(7.0), s.CONTENT_TOP, Inches(5.8))
    measures = [m for m in report.measures if m.value is not None]
    better = sum(1 for m in measures if m.direction == "better")
    worse = sum(1 for m in measures if m.direction == "worse")
    returns = len(report.returns)
    lines = [f"{better} measures improved and {worse} got worse since their previous period.",
             f"{sum(1 for m in measures if m.persistent)} red for two periods or more in a row (escalated).",
             f"{sum(1 for m in measures if m.rag == 'red' and not m.commentary)} red measures still need commentary.",
             f"{returns} return{'s' if returns != 1 else ''} for the quarter still outstanding"
             + (" (listed on their own page)." if returns else ".")]
    s.text(slide, Inches(7.0), Inches(4.6), Inches(5.8), Inches(2.3), lines, size=14, bullets=True)


def reds_at_a_glance(deck: Presentation, report: Report) -> None:
    """Every red: service, value, target and whether it has commentary (no page when nothing is red)."""
    reds = [m for m in report.measures if m.rag == "red"]
    if not reds:
        return
    rows = [[m.service, m.name, f"{shown(m, m.value)} ({period_note(m)})", target_cell(m),
             "Yes" if m.commentary else OUTSTANDING] for m in reds]
    paged_table(deck, f"Red measures at a glance, {report.quarter.label}", ["Service", "Measure", "Value", "Target",
                                                                           "Commentary"],
                rows, [1.6, 4.2, 2.0, 2.0, 1.8],
                fills=lambda r, c: s.OUTSTANDING if c == 4 and not reds[r].commentary else None,
                footnote=lambda shown_rows: CARRIED_FOOTNOTE if any(reds[r].carried for r in shown_rows) else "")


def returns_outstanding(deck: Presentation, report: Report) -> None:
    """The quarter's returns not in yet: whose, when due, and what the report shows instead (no page when none)."""
    owed = [(m, r) for m in report.measures for r in m.returns]
    if not owed:
        return
    rows = [[m.service, m.name, period_text(r.period), m.owner_name,
             f"{r.deadline:%-d %b %Y}" + (" (overdue)" if r.overdue(report.as_at) else ""),
             f"{shown(m, m.value)} ({period_text(m.period)}, carried)" if m.carried else
             (f"{shown(m, m.value)} ({period_text(m.period)})" if m.value is not None else "no value")]
            for m, r in owed]
    paged_table(deck, f"Returns outstanding, {report.quarter.label}",
                ["Service", "Measure", "Period owed", "Owner", "Due", "Shown in this report"], rows,
                [1.6, 3.9, 1.3, 1.5, 1.6, 2.4], size=11,
                fills=lambda r, c: s.OUTSTANDING if c == 4 and owed[r][1].overdue(report.as_at) else None,
                footnote=lambda shown_rows: "Values for these periods were not in by "
                                            f"{report.as_at:%-d %B %Y}; the owners are chased by the reminder ladder.")


def appendix(deck: Presentation, report: Report) -> None:
    """Every measure: service, period, value, target, RAG, direction, OBA category and owner."""
    measures = report.measures
    rows = [[m.service, m.name, period_note(m), shown(m, m.value), target_cell(m), rag_label(m),
             direction_text(m).split(" since ")[0], OBA_LABELS.get(m.oba_category, m.oba_category), m.owner_name]
            for m in measures]
    paged_table(deck, f"Appendix: every measure, {report.quarter.label}",
                ["Service", "Measure", "Period", "Value", "Target", "RAG", "Direction", "OBA category", "Owner"], rows,
                [1.5, 3.6, 1.5, 1.1, 1.4, 1.1, 1.2, 1.8, 1.3], size=9,
                fills=lambda r, c: s.rag_fill(measures[r].rag) if c == 5 and measures[r].value is not None
                and measures[r].rag else None,
                footnote=lambda shown_rows: CARRIED_FOOTNOTE if any(measures[r].carried for r in shown_rows) else "",
                wide=True)
