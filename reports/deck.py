"""The corporate performance report as a PowerPoint deck, laid out as council quarterly performance
reports are: a cover (council, quarter, the date the figures are as at) and contents, the council
overview, the reds at a glance and the returns outstanding, then for each service its summary,
what's going well, its red measures with commentary and its improvement approach, and an appendix
of every measure. Every page but the cover has a footer with its page number, as the contents
gives it."""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pptx import Presentation

from data_access.periods import Period
from data_access.store import Store
from reports import cover as front
from reports import overview, service_pages
from reports import slides as s
from reports.content import Report, ServiceReport, build_report
from reports.pictures import Trends


def build_deck(store: Store, report: Report) -> Presentation:
    """The whole deck for a report."""
    deck = s.new_deck()
    trends = Trends(store, report)
    front.cover(deck, report)
    contents = front.contents(deck, report)
    sections: list[front.Section] = []

    def section(name: str, note: str, make: Callable[[], None]) -> None:
        """Make a section's pages and note where they are (a section that made none is not listed)."""
        first = len(deck.slides) + 1
        make()
        if len(deck.slides) >= first:
            sections.append(front.Section(name, first, len(deck.slides), note))

    section("Council overview", "RAG by service, what changed", lambda: overview.overview(deck, report))
    section("Red measures at a glance", f"{sum(1 for m in report.measures if m.rag == 'red')} red",
            lambda: overview.reds_at_a_glance(deck, report))
    section("Returns outstanding", f"{len(report.returns)} not in yet", lambda: overview.returns_outstanding(deck, report))
    for service in report.services:
        reds = len(service.reds)
        section(service.name, f"{reds} red" if reds else "nothing red", lambda service=service: _service(deck, report, service, trends))
    section("Appendix: every measure", f"{len(report.measures)} measures", lambda: overview.appendix(deck, report))
    front.fill_contents(contents, sections)
    words = front.footer_words(report)
    for number, slide in enumerate(deck.slides, 1):
        if number > 1:
            s.footer(slide, words, number)
    return deck


def _service(deck: Presentation, report: Report, service: ServiceReport, trends: Trends) -> None:
    """A service's pages, in order."""
    service_pages.summary(deck, report, service)
    service_pages.going_well_and_not(deck, report, service)
    service_pages.red_measures(deck, report, service, trends)
    service_pages.improvement_approach(deck, report, service)


def write_report(store: Store, quarter: Period, out: Path, services: list[str] | None, as_at: date) -> Report:
    """Build the report for `quarter` as at `as_at` and write its deck to `out`; returns what it says."""
    report = build_report(store, quarter, services, as_at)
    build_deck(store, report).save(str(out))
    return report


def deck_bytes(store: Store, report: Report) -> bytes:
    """The deck as the bytes of a .pptx file."""
    buffer = io.BytesIO()
    build_deck(store, report).save(buffer)
    return buffer.getvalue()
