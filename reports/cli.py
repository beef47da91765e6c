"""`perfbot report`: check the arguments, write the deck and say in one line what is in it (and
that it is partial, for a quarter not over by the date it is as at)."""
from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from data_access.periods import PeriodError
from data_access.store import Store
from reports.content import QuarterNotBegun, UnknownService, quarter_label
from reports.deck import write_report


def default_name(quarter: str) -> str:
    """'cpr-2026-27-Q2.pptx' for '2026/27 Q2'."""
    return f"cpr-{re.sub(r'[^A-Za-z0-9]+', '-', quarter).strip('-')}.pptx"


def write_from_command_line(store: Store, quarter_text: str, services: list[str] | None, out: str | None,
                            today: str | None) -> int:
    """Write the deck as at `today` (default: the store's today); a bad quarter, service, date or
    file name, or a quarter not begun, gets one line on stderr and exit code 2."""
    try:
        quarter = quarter_label(quarter_text)
        as_at = date.fromisoformat(today) if today else store.clock().date()
    except (PeriodError, ValueError) as error:
        print(f"Report not written: {error}", file=sys.stderr)
        return 2
    path = Path(out or default_name(quarter.label))
    if path.suffix.lower() != ".pptx":
        print(f"Report not written: {path} should end in .pptx.", file=sys.stderr)
        return 2
    try:
        report = write_report(store, quarter, path, services, as_at)
    except (UnknownService, QuarterNotBegun) as error:
        print(f"Report not written: {error}", file=sys.stderr)
        return 2
    reds = [m for m in report.measures if m.rag == "red"]
    partial = f" — partial: the quarter runs to {quarter.end:%-d %B %Y}" if report.partial else ""
    print(f"Wrote {path}: {quarter.label} as at {as_at:%-d %B %Y}{partial}, {len(report.services)} "
          f"service{'s' if len(report.services) != 1 else ''}, {len(report.measures)} measures, {len(reds)} red "
          f"({sum(1 for m in reds if not m.commentary)} without commentary, {sum(1 for m in reds if m.persistent)} "
          f"escalated), {len(report.returns)} return{'s' if len(report.returns) != 1 else ''} outstanding.")
    return 0
