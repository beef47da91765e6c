"""Cabinet members' comments on their services' pages of a quarter's report: one per service and
quarter (a new comment replaces the old), audited."""
from __future__ import annotations

from sqlalchemy import select

from data_access.audit import record_change
from data_access.models import ReportComment
from data_access.store import Store


def record_comment(store: Store, quarter: str, service: str, comment: str, actor: str) -> None:
    """Record (or replace) the cabinet member's comment on a service's pages for the quarter."""
    now = store.clock()
    with store.sessions.begin() as session:
        row = session.scalar(select(ReportComment).where(ReportComment.quarter == quarter,
                                                         ReportComment.service == service))
        old = row.comment if row else None
        if row is None:
            session.add(ReportComment(quarter=quarter, service=service, comment=comment, recorded_by=actor,
                                      recorded_at=now))
        else:
            row.comment, row.recorded_by, row.recorded_at = comment, actor, now
        record_change(session, now, actor, "add" if old is None else "change", "report_comment",
                      f"{quarter}|{service}", old, comment)
