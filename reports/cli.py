"""`perfbot report`: check the arguments, write the deck and say in one line what is in it."""
from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from data_access.periods import PeriodError
from data_access.store import Store
from reports.content import UnknownService, quarter_label
from reports.deck import write_report


def default_name(quarter: str) -> str:
    """'cpr-2026-27-Q2.pptx' for '2026/27 Q2'."""
    return f"cpr-{re.sub(r'[^A-Za-z0-9]+', '-', quarter).strip('-')}.pptx"


def write_from_command_line(store: Store, quarter_text: str, services: list[str] | None, out: str | None,
                            today: str | None) -> int:
    """Write the deck; a bad quarter, service, date or file name gets one line on stderr and exit code 2."""
    try:
        quarter = quarter_label(quarter_text)
        built_on = date.fromisoformat(today) if today else store.clock().date()
    except (PeriodError, ValueError) as error:
        print(f"Report not written: {error}", file=sys.stderr)
        return 2
    path = Path(out or default_name(quarter.label))
    if path.suffix.lower() != ".pptx":
        print(f"Report not written: {path} should end in .pptx.", file=sys.stderr)
        return 2
    try:
        report = write_report(store, quarter, path, services, built_on)
    except UnknownService as error:
        print(f"Report not written: {error}", file=sys.stderr)
        return 2
    reds = [m for m in report.measures if m.rag == "red"]
    print(f"Wrote {path}: {quarter.label}, {len(report.services)} service{'s' if len(report.services) != 1 else ''}, "
          f"{len(report.measures)} measures, {len(reds)} red ({sum(1 for m in reds if not m.commentary)} without "
          f"commentary, {sum(1 for m in reds if m.persistent)} escalated).")
    return 0
