"""Importer for comparator groups (`area_code, area_name`, e.g. CIPFA nearest neighbours): the
group is named after the file unless a `group` column names it."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data_access.audit import record_change
from data_access.importers.observations import check_known
from data_access.importers.observations import WriteResult
from data_access.importers.reading import Table
from data_access.models import ComparatorGroup, ComparatorMember, Geography

GROUP_COLUMNS = ("group", "group_name", "comparator_group")


def is_comparator_list(columns: list[str]) -> bool:
    """True for a file of area codes and names with nothing else but perhaps a group name."""
    return {"area_code", "area_name"} <= set(columns) and set(columns) <= {"area_code", "area_name", *GROUP_COLUMNS}


def group_label(stem: str) -> str:
    """A readable group name from a file name: cipfa2021 → 'CIPFA 2021', cssn → 'CSSN'."""
    letters = "".join(ch for ch in stem if ch.isalpha())
    digits = "".join(ch for ch in stem if ch.isdigit())
    if letters and len(letters) <= 6 and stem.replace("_", "").isalnum():
        return f"{letters.upper()} {digits}".strip()
    return stem.replace("_", " ").strip().capitalize()


def import_comparators(session: Session, table: Table, actor: str, now: datetime) -> WriteResult:
    """Each group's membership made equal to the file's list (members added, removed, kept)."""
    codes = table.required_text("area_code")
    check_known(session, table, codes, Geography, "area_code", "place code")
    group_column = next((name for name in GROUP_COLUMNS if name in table.columns), None)
    groups = table.text(group_column) if group_column else pd.Series(group_label(table.path.stem), index=codes.index)
    result = WriteResult()
    for name, members in codes.groupby(groups.replace("", group_label(table.path.stem))):
        group = session.scalar(select(ComparatorGroup).where(ComparatorGroup.name == name))
        if group is None:
            group = ComparatorGroup(name=name)
            session.add(group)
            session.flush()
        current = set(session.scalars(select(ComparatorMember.geography_code).where(ComparatorMember.group_id == group.id)))
        wanted = set(members)
        for code in sorted(wanted - current):
            session.add(ComparatorMember(group_id=group.id, geography_code=code))
        if current - wanted:
            session.execute(delete(ComparatorMember).where(ComparatorMember.group_id == group.id,
                                                           ComparatorMember.geography_code.in_(current - wanted)))
        if wanted != current:
            record_change(session, now, actor, "update", "comparator_group", name, sorted(current), sorted(wanted))
        result.added += len(wanted - current)
        result.changed += len(current - wanted)
        result.unchanged += len(wanted & current)
    return result
