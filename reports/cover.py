"""The report's front pages, as council quarterly performance reports open: a cover naming the
council, the quarter and the date the figures are as at (saying so when the quarter is not over),
and a contents page with each section's pages and how to read the RAG marks."""
from __future__ import annotations

from dataclasses import dataclass

from pptx import Presentation
from pptx.slide import Slide
from pptx.util import Inches

from reports import slides as s
from reports.content import Report
from reports.wording import RAG_SYMBOLS

TITLE = "Corporate performance report"


@dataclass(frozen=True)
class Section:
    """A section of the deck as the contents lists it: its name, first and last page, and a note."""

    name: str
    first: int
    last: int
    note: str = ""

    @property
    def pages(self) -> str:
        """'5' or '5–8'."""
        return str(self.first) if self.first == self.last else f"{self.first}\u2013{self.last}"


def quarter_heading(report: Report) -> str:
    """'Quarter 2, 2026/27: July to September 2026'."""
    quarter = report.quarter
    return f"Quarter {quarter.label.rsplit('Q', 1)[1]}, {quarter.label.split()[0]}: {quarter.start:%B} to {quarter.end:%B %Y}"


def partial_note(report: Report) -> str:
    """What a partial report says about itself ('' for a quarter that is over)."""
    if not report.partial:
        return ""
    return (f"Partial report: the quarter runs to {report.quarter.end:%-d %B %Y}, so it holds only the values in by "
            f"{report.as_at:%-d %B %Y}.")


def footer_words(report: Report) -> str:
    """'Wolverhampton · Corporate performance report, 2026/27 Q2 · as at 27 November 2026'."""
    partial = " (partial)" if report.partial else ""
    return f"{report.council_name} \u00b7 {TITLE}, {report.quarter.label}{partial} \u00b7 as at {report.as_at:%-d %B %Y}"


def cover(deck: Presentation, report: Report) -> Slide:
    """The cover: council, title, quarter, the date the figures are as at, and what the report holds."""
    slide = s.cover(deck, TITLE, report.council_name, quarter_heading(report))
    measures = [m for m in report.measures if m.value is not None]
    counts = {rag: sum(1 for m in measures if m.rag == rag) for rag in ("red", "amber", "green", None)}
    services = len(report.services)
    lines: list[s.Line] = [(f"Figures as at {report.as_at:%-d %B %Y}", 24, True)]
    if report.partial:
        lines.append((partial_note(report), 16, True, s.OUTSTANDING))
    lines.append((f"{len(report.measures)} measures across {services} service{'s' if services != 1 else ''}: "
                  f"{counts['red']} red, {counts['amber']} amber, {counts['green']} green, {counts[None]} without a "
                  "target" + (f", {len(report.measures) - len(measures)} with no value yet" if len(measures) < len(report.measures) else "")
                  + ".", 16, False, s.MUTED))
    returns = len(report.returns)
    if returns:
        lines.append((f"{returns} return{'s' if returns != 1 else ''} for the quarter still outstanding: those measures "
                      "show their previous value, marked as carried.", 16, False, s.MUTED))
    s.text(slide, s.MARGIN, Inches(4.75), s.WIDTH - 2 * s.MARGIN, Inches(2.4), lines)
    return slide


def contents(deck: Presentation, report: Report) -> Slide:
    """The contents page, filled in by `fill_contents` once the sections' pages are known."""
    slide = s.titled(deck, f"Contents, {report.quarter.label}")
    key = [("How to read this report", 16, True),
           (f"{RAG_SYMBOLS['red']} Red: off target by more than the tolerance", 13, False),
           (f"{RAG_SYMBOLS['amber']} Amber: off target, within the tolerance", 13, False),
           (f"{RAG_SYMBOLS['green']} Green: on target", 13, False),
           (f"{RAG_SYMBOLS[None]} No target: reported for information", 13, False),
           ("Each measure is shown at its newest value in the quarter (the newest month for monthly measures, "
            "the newest year for annual ones) against the financial year's target.", 12, False, s.MUTED),
           ("Carried: the quarter's return is not in yet, so the previous period's value is shown, marked as "
            "such; the returns still outstanding are listed.", 12, False, s.MUTED),
           ("Direction of travel compares with the previous period; comparisons with the region and England are of "
            "rates and percentages. A count is shown as a share of the region's and England's totals.", 12, False,
            s.MUTED)]
    if report.partial:
        key.append((partial_note(report), 12, True, s.OUTSTANDING))
    s.text(slide, Inches(7.6), s.CONTENT_TOP, Inches(5.2), Inches(5.8), key)
    return slide


def fill_contents(slide: Slide, sections: list[Section]) -> None:
    """List the sections with their pages on the contents page."""
    rows = [[section.name, section.note, section.pages] for section in sections]
    size, height = (13, Inches(0.36)) if len(rows) <= 14 else (10, Inches(5.6) // (len(rows) + 1))
    s.table(slide, s.MARGIN, s.CONTENT_TOP, Inches(6.8), ["Section", "In brief", "Pages"], rows, [3.0, 2.6, 1.0], size=size,
            row_height=height)
